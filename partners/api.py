"""API of the partner directory: the rules and services of the partner pages."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.enums import PartnerKind, Role
from accounts.models import Organization
from core.api import VisibleSlugRelatedField
from partners import selectors, services
from partners.permissions import can_create_partner, can_edit_partner, can_list_partners

EDITABLE_FIELDS = [
    "name",
    "partner_kind",
    "territory",
    "description",
    "contact_name",
    "email",
    "phone",
    "website",
]


def stewards_of(queryset, user):
    """The support structures whose partner entries `user` may keep: those they coordinate."""
    queryset = queryset.visible_to(user).support()
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=user.organization_ids_with_role(Role.COORDINATOR))


class PartnerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    partner_kind = serializers.ChoiceField(choices=PartnerKind.choices)
    steward = VisibleSlugRelatedField(
        queryset=Organization.objects.all(),
        scope=stewards_of,
        required=False,
        help_text=(
            "The support structure that keeps this entry up to date (its id). Set on creation; "
            "may be left out by a coordinator of a single structure."
        ),
    )
    themes = serializers.SerializerMethodField(help_text="Names of the themes it works on.")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "partner_kind",
            "territory",
            "description",
            "contact_name",
            "email",
            "phone",
            "website",
            "steward",
            "themes",
            "created_at",
        ]
        # The service checks names without case; the model's unique validator would run a
        # query of its own with another message.
        extra_kwargs = {"name": {"validators": []}}

    def get_themes(self, partner) -> list[str]:
        return selectors.theme_names(partner.partner_themes.all())


class PartnerUpdateSerializer(PartnerSerializer):
    """The steward of an entry does not change."""

    steward = serializers.SlugRelatedField(slug_field="public_id", read_only=True)


class PartnerFilter(django_filters.FilterSet):
    partner_kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    territory = django_filters.CharFilter(lookup_expr="icontains")
    steward = django_filters.UUIDFilter(field_name="steward__public_id")

    class Meta:
        model = Organization
        fields = ["partner_kind", "territory", "steward"]


@extend_schema_view(
    list=extend_schema(summary="The partner directory"),
    retrieve=extend_schema(summary="A partner entry"),
    create=extend_schema(summary="Add a partner kept by your structure"),
    partial_update=extend_schema(
        summary="Update a partner entry your structure keeps",
        request=PartnerUpdateSerializer,
        responses=PartnerSerializer,
    ),
)
class PartnerViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The network's partner directory, shared by every coordinator and mentor; coordinators
    add entries for their structure and update the entries their structure keeps."""

    serializer_class = PartnerSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = PartnerFilter

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The partner pages answer 403 to a beneficiary, on the list and on an entry.
        if not can_list_partners(request.user):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.partner_directory()

    def create(self, request, *args, **kwargs):
        user = request.user
        if not can_create_partner(user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        steward = data.pop("steward", None)
        if steward is None:
            stewards = list(stewards_of(Organization.objects.all(), user)[:2])
            if len(stewards) != 1:
                raise serializers.ValidationError(
                    {"steward": [serializers.Field.default_error_messages["required"]]}
                )
            steward = stewards[0]
        partner = services.partner_create(**data, steward=steward, acting_user=user)
        partner = self.get_queryset().get(pk=partner.pk)
        return Response(self.get_serializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        partner = self.get_object()
        user = request.user
        if not can_edit_partner(user, partner):
            raise PermissionDenied
        serializer = PartnerUpdateSerializer(
            partner, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        # The service takes the whole entry: what the request leaves out stays as it is.
        fields = {name: getattr(partner, name) for name in EDITABLE_FIELDS}
        fields |= serializer.validated_data
        # The API does not set themes (yet): keep the ones this person manages as they are.
        managed = None if user.is_superuser else user.organization_ids_with_role(Role.COORDINATOR)
        themes = [
            theme
            for theme in partner.partner_themes.all()
            if managed is None or theme.organization_id in managed
        ]
        services.partner_update(partner=partner, **fields, themes=themes, acting_user=user)
        partner = self.get_queryset().get(pk=partner.pk)
        return Response(self.get_serializer(partner).data)
