"""API of programmes and offers: read-only, over the same visible_to querysets as the pages."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.filters import StrictBooleanFilter
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme, Theme


class ProgrammeOfferSerializer(serializers.ModelSerializer):
    """An offer as listed inside its programme."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "mode",
            "channel_in_person",
            "channel_phone",
            "channel_video",
            "duration_minutes",
            "capacity",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    offers = ProgrammeOfferSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "title",
            "organization",
            "description",
            "objectives",
            "target_public",
            "territory",
            "start_date",
            "end_date",
            "status",
            "offers",
        ]


class ProgrammeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices)

    class Meta:
        model = Programme
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(summary="List the programmes you can see"),
    retrieve=extend_schema(summary="A programme, with its offers"),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes: coordinators see their structures' programmes, mentors and beneficiaries the
    programmes they take part in."""

    serializer_class = ProgrammeSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related(Prefetch("offers", queryset=Offer.objects.order_by("title", "pk")))
            .order_by("-start_date", "title", "pk")
        )


class OfferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    partner_organization = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "programme",
            "kind",
            "title",
            "description",
            "mode",
            "channel_in_person",
            "channel_phone",
            "channel_video",
            "duration_minutes",
            "capacity",
            "is_active",
            "themes",
            "partner_organization",
        ]


class OfferFilter(django_filters.FilterSet):
    programme = django_filters.UUIDFilter(
        field_name="programme__public_id", label="Programme (its id)"
    )
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices)
    mode = django_filters.ChoiceFilter(choices=OfferMode.choices)
    is_active = StrictBooleanFilter()

    class Meta:
        model = Offer
        fields = ["programme", "kind", "mode", "is_active"]


@extend_schema_view(
    list=extend_schema(summary="List the offers of the programmes you can see"),
    retrieve=extend_schema(summary="An offer"),
)
class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Offers of the programmes you can see; `?programme=<id>` for one programme's offers."""

    serializer_class = OfferSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = OfferFilter

    def get_queryset(self):
        return (
            Offer.objects.visible_to(self.request.user)
            .select_related("programme", "partner_organization")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
            .order_by("programme__title", "title", "pk")
        )
