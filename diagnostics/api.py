"""API of needs diagnostics: read by the support team that sees the beneficiary, recorded by
the structure's coordinators and the referent mentors through the pages' service."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.enums import Role
from beneficiaires.enums import Priority
from beneficiaires.models import Beneficiary
from core.api import VisibleSlugRelatedField
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus
from diagnostics.models import Need, NeedsDiagnostic
from diagnostics.permissions import can_create_diagnostic, can_view_diagnostic
from diagnostics.services import NeedInput, diagnostic_create
from programmes.models import Theme


def team_of(queryset, user):
    """Who may be named as having conducted a diagnostic: the coordinators and mentors of the
    structures `user` belongs to, and `user`. The beneficiary's structure is checked later."""
    if user.is_superuser:
        return queryset.filter(memberships__is_active=True).distinct() | queryset.filter(pk=user.pk)
    structures = user.memberships.filter(is_active=True).values("organization_id")
    return queryset.filter(
        Q(
            memberships__organization_id__in=structures,
            memberships__is_active=True,
            memberships__role__in=[Role.COORDINATOR, Role.MENTOR],
        )
        | Q(pk=user.pk)
    ).distinct()


class NeedSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(
        source="theme.name",
        max_length=100,
        help_text="The name of a theme of the beneficiary's structure.",
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)

    class Meta:
        model = Need
        fields = ["theme", "priority", "description", "source"]
        read_only_fields = ["source"]


class DiagnosticSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    beneficiary = VisibleSlugRelatedField(
        queryset=Beneficiary.objects.all(), help_text="The beneficiary (their id)."
    )
    conducted_by = VisibleSlugRelatedField(
        queryset=get_user_model().objects.all(),
        scope=team_of,
        required=False,
        allow_null=True,
        help_text=(
            "Who conducted it (their user id): a coordinator or mentor of the beneficiary's "
            "structure. You, when left out."
        ),
    )
    conducted_by_name = serializers.SerializerMethodField()
    needs = NeedSerializer(many=True, required=False)

    class Meta:
        model = NeedsDiagnostic
        fields = [
            "id",
            "beneficiary",
            "method",
            "held_on",
            "conducted_by",
            "conducted_by_name",
            "expectations",
            "notes",
            "status",
            "completed_at",
            "needs",
            "created_at",
        ]
        read_only_fields = ["status", "completed_at"]

    def get_conducted_by_name(self, diagnostic) -> str:
        person = diagnostic.conducted_by
        return (person.get_full_name() or person.email) if person else ""

    def validate(self, attrs):
        beneficiary = attrs["beneficiary"]
        user = self.context["request"].user
        conducted_by = attrs.get("conducted_by", user)
        if (
            conducted_by is not None
            and conducted_by != user
            and not conducted_by.memberships.filter(
                organization_id=beneficiary.organization_id,
                is_active=True,
                role__in=[Role.COORDINATOR, Role.MENTOR],
            ).exists()
        ):
            raise serializers.ValidationError(
                {"conducted_by": [_("Choose a member of the beneficiary's structure.")]}
            )
        attrs["conducted_by"] = conducted_by
        themes = {
            theme.name: theme
            for theme in Theme.objects.filter(
                organization_id=beneficiary.organization_id, is_active=True
            )
        }
        needs, errors = [], []
        for need in attrs.get("needs", []):
            theme = themes.get(need["theme"]["name"])
            errors.append({} if theme else {"theme": [_("Unknown theme for this structure.")]})
            if theme:
                needs.append(
                    NeedInput(
                        theme=theme,
                        priority=need["priority"],
                        description=need.get("description", ""),
                    )
                )
        if any(errors):
            raise serializers.ValidationError({"needs": errors})
        if len({need.theme.pk for need in needs}) != len(needs):
            raise serializers.ValidationError({"needs": [_("Name each theme once.")]})
        attrs["needs"] = needs
        return attrs


class DiagnosticFilter(django_filters.FilterSet):
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    method = django_filters.ChoiceFilter(choices=DiagnosticMethod.choices)
    status = django_filters.ChoiceFilter(choices=DiagnosticStatus.choices)

    class Meta:
        model = NeedsDiagnostic
        fields = ["beneficiary", "method", "status"]


@extend_schema_view(
    list=extend_schema(summary="List the needs diagnostics you can see"),
    retrieve=extend_schema(summary="A needs diagnostic, with its needs"),
    create=extend_schema(summary="Record a needs diagnostic"),
)
class DiagnosticViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Needs diagnostics, with their needs: the support team reads those of the beneficiaries it
    sees (a beneficiary answers the questionnaire instead: 403); coordinators of the structure
    and referent mentors record them."""

    serializer_class = DiagnosticSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = DiagnosticFilter

    def get_queryset(self):
        return (
            NeedsDiagnostic.objects.visible_to(self.request.user)
            .select_related("beneficiary", "conducted_by")
            .prefetch_related(
                Prefetch(
                    "needs",
                    queryset=Need.objects.select_related("theme").order_by(
                        "priority", "theme__name", "pk"
                    ),
                )
            )
            .order_by("-held_on", "-pk")
        )

    def list(self, request, *args, **kwargs):
        # The rule depends on the role only: no diagnostic to look at yet.
        if not can_view_diagnostic(request.user, None):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def get_object(self):
        diagnostic = super().get_object()
        if not can_view_diagnostic(self.request.user, diagnostic):
            raise PermissionDenied
        return diagnostic

    def create(self, request, *args, **kwargs):
        user = request.user
        if not can_view_diagnostic(user, None):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not can_create_diagnostic(user, data["beneficiary"]):
            raise PermissionDenied
        diagnostic = diagnostic_create(**data, acting_user=user)
        diagnostic = self.get_queryset().get(pk=diagnostic.pk)
        return Response(self.get_serializer(diagnostic).data, status=status.HTTP_201_CREATED)
