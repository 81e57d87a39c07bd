"""API of beneficiaries and enrollments: the visible_to querysets, permissions and services of
the pages."""

import django_filters
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.enums import Role
from accounts.models import Organization
from accounts.rules import can
from audit.models import AuditAction
from audit.services import audit_change, audit_read, audit_record
from beneficiaires import services
from beneficiaires.enums import (
    BeneficiaryKind,
    EnrollmentStatus,
    OutreachStage,
    Priority,
    Situation,
    Source,
)
from beneficiaires.models import Beneficiary, Enrollment
from beneficiaires.permissions import (
    can_create_beneficiary,
    can_edit_beneficiary,
    can_list_beneficiaries,
    can_view_outreach,
)
from beneficiaires.selectors import organization_mentors
from core.api import VisibleSlugRelatedField
from programmes.models import Offer, Programme

# The team's working data about a person, not shown to the person themselves.
OUTREACH_FIELDS = ("stage", "stage_changed_at", "priority", "source", "source_detail", "notes")


def coordinated_structures(queryset, user):
    """Structures where `user` may create records: those they coordinate."""
    queryset = queryset.visible_to(user).support()
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=user.organization_ids_with_role(Role.COORDINATOR))


def managed_programmes(queryset, user):
    return queryset.visible_to(user).managed_by(user)


class BeneficiarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organization = VisibleSlugRelatedField(
        queryset=Organization.objects.all(),
        scope=coordinated_structures,
        required=False,
        help_text=(
            "The support structure holding the record (its id). Set on creation; may be left "
            "out by a coordinator of a single structure."
        ),
    )
    programme = VisibleSlugRelatedField(
        queryset=Programme.objects.all(),
        scope=managed_programmes,
        required=False,
        allow_null=True,
        help_text="The programme this actor is approached for (its id).",
    )
    has_account = serializers.SerializerMethodField(help_text="Whether the person can log in.")
    stage = serializers.ChoiceField(
        choices=OutreachStage.choices,
        required=False,
        help_text="Where the actor stands in the outreach pipeline.",
    )

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "contact_name",
            "email",
            "phone",
            "postal_code",
            "territory",
            "situation",
            "programme",
            "has_account",
            *OUTREACH_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage_changed_at"]
        # Left out of the answer for a beneficiary reading their own record (see AutoSchema).
        omitted_for_some_readers = OUTREACH_FIELDS

    def get_has_account(self, beneficiary) -> bool:
        return beneficiary.user_id is not None

    def to_representation(self, beneficiary):
        data = super().to_representation(beneficiary)
        if not can_view_outreach(self.context["request"].user, beneficiary):
            for name in OUTREACH_FIELDS:
                data.pop(name, None)
        return data


class BeneficiaryUpdateSerializer(BeneficiarySerializer):
    """The structure holding a record does not change."""

    organization = serializers.SlugRelatedField(slug_field="public_id", read_only=True)


class BeneficiaryFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=OutreachStage.choices)
    situation = django_filters.ChoiceFilter(choices=Situation.choices)
    kind = django_filters.ChoiceFilter(choices=BeneficiaryKind.choices)
    priority = django_filters.TypedChoiceFilter(choices=Priority.choices, coerce=int)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    programme = django_filters.UUIDFilter(field_name="programme__public_id")

    class Meta:
        model = Beneficiary
        fields = ["stage", "situation", "kind", "priority", "source", "programme"]


@extend_schema_view(
    list=extend_schema(summary="List the beneficiaries you can see"),
    retrieve=extend_schema(summary="A beneficiary"),
    create=extend_schema(summary="Create a beneficiary record"),
    partial_update=extend_schema(
        summary="Change a beneficiary record",
        request=BeneficiaryUpdateSerializer,
        responses=BeneficiarySerializer,
    ),
)
class BeneficiaryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Beneficiaries: coordinators see their structures' records (and those enrolled in their
    programmes), mentors the people they follow, a beneficiary only themselves. Coordinators of
    the structure holding a record create and edit it."""

    serializer_class = BeneficiarySerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = BeneficiaryFilter

    def get_queryset(self):
        return (
            Beneficiary.objects.visible_to(self.request.user)
            .select_related("organization", "programme")
            .order_by("name", "pk")
        )

    def list(self, request, *args, **kwargs):
        if not can_list_beneficiaries(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        beneficiary = self.get_object()
        # Journaled when someone other than the person reads their record, as on the page.
        if beneficiary.user_id != request.user.pk:
            audit_read(
                actor=request.user,
                obj=beneficiary,
                summary=_("beneficiary record read (API)"),
                organization_id=beneficiary.organization_id,
            )
        return Response(self.get_serializer(beneficiary).data)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not can_create_beneficiary(user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        stage = fields.pop("stage", None)
        organization = fields.pop("organization", None)
        if organization is None:
            structures = list(coordinated_structures(Organization.objects.all(), user)[:2])
            if len(structures) != 1:
                raise serializers.ValidationError(
                    {"organization": [serializers.Field.default_error_messages["required"]]}
                )
            organization = structures[0]
        with transaction.atomic():
            beneficiary = services.beneficiary_create(
                organization=organization, acting_user=user, **fields
            )
            if stage is not None:
                services.beneficiary_change_stage(
                    beneficiary=beneficiary, stage=stage, acting_user=user
                )
            audit_record(
                actor=user,
                action=AuditAction.CREATE,
                obj=beneficiary,
                summary=_("beneficiary record created (API)"),
                organization_id=beneficiary.organization_id,
            )
        beneficiary = self.get_queryset().get(pk=beneficiary.pk)
        return Response(self.get_serializer(beneficiary).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        beneficiary = self.get_object()
        user = request.user
        if not can_edit_beneficiary(user, beneficiary):
            raise PermissionDenied
        serializer = BeneficiaryUpdateSerializer(
            beneficiary, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        stage = fields.pop("stage", None)
        with transaction.atomic():
            if fields:
                services.beneficiary_update(beneficiary=beneficiary, acting_user=user, **fields)
            if stage is not None:
                services.beneficiary_change_stage(
                    beneficiary=beneficiary, stage=stage, acting_user=user
                )
            if fields:
                audit_change(
                    actor=user,
                    obj=beneficiary,
                    fields=fields,
                    organization_id=beneficiary.organization_id,
                )
        beneficiary = self.get_queryset().get(pk=beneficiary.pk)
        return Response(self.get_serializer(beneficiary).data)


def mentors_of(queryset, user):
    """Mentors who may be named referent: those of the structures `user` coordinates."""
    return organization_mentors(user)


class EnrollmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    beneficiary = VisibleSlugRelatedField(
        queryset=Beneficiary.objects.all(), help_text="The beneficiary (their id)."
    )
    offer = VisibleSlugRelatedField(queryset=Offer.objects.all(), help_text="The offer (its id).")
    programme = serializers.SlugRelatedField(
        source="offer.programme",
        slug_field="public_id",
        read_only=True,
        help_text="The offer's programme (its id).",
    )
    referent_mentor = VisibleSlugRelatedField(
        queryset=get_user_model().objects.all(),
        scope=mentors_of,
        required=False,
        allow_null=True,
        help_text="The referent mentor (their user id), a mentor of the programme's structure.",
    )
    referent_mentor_name = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "beneficiary",
            "offer",
            "programme",
            "referent_mentor",
            "referent_mentor_name",
            "status",
            "started_on",
            "ended_on",
            "created_at",
        ]
        read_only_fields = ["status", "ended_on"]
        extra_kwargs = {"started_on": {"required": False}}
        # The model's unique constraint is checked by the service, with its own message.
        validators = []

    def get_referent_mentor_name(self, enrollment) -> str:
        mentor = enrollment.referent_mentor
        return (mentor.get_full_name() or mentor.email) if mentor else ""


class EnrollmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices)
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    offer = django_filters.UUIDFilter(field_name="offer__public_id")
    programme = django_filters.UUIDFilter(field_name="offer__programme__public_id")

    class Meta:
        model = Enrollment
        fields = ["status", "beneficiary", "offer", "programme"]


@extend_schema_view(
    list=extend_schema(summary="List the enrollments you can see"),
    retrieve=extend_schema(summary="An enrollment"),
    create=extend_schema(summary="Enroll a beneficiary in an offer"),
)
class EnrollmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enrollments: coordinators see those of their structures' programmes, mentors those they
    are referent for, a beneficiary their own. Coordinators enroll through the same service as
    the pages (one active enrollment per beneficiary and offer)."""

    serializer_class = EnrollmentSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = EnrollmentFilter

    def get_queryset(self):
        return (
            Enrollment.objects.visible_to(self.request.user)
            .select_related("beneficiary", "offer__programme", "referent_mentor")
            .order_by("-started_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        user = request.user
        if not can(user, "beneficiary.create"):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_create(**serializer.validated_data, acting_user=user)
        enrollment = self.get_queryset().get(pk=enrollment.pk)
        return Response(self.get_serializer(enrollment).data, status=status.HTTP_201_CREATED)
