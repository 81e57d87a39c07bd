"""API of the questionnaire builder: /api/v1/questionnaires/.

Reads follow questionnaires_visible_to (coordinators: the shipped defaults, their structures'
templates and programmes' questionnaires); writes go through the same services as the pages.
Questions are read here, nested; they are edited on the site."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from accounts.enums import Role
from accounts.models import Organization
from core.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, VisibleSlugRelatedField
from evaluation.models import Question, Questionnaire
from evaluation.permissions import can_list_questionnaires
from evaluation.selectors import questionnaires_visible_to
from evaluation.services import questionnaires as services
from programmes.models import Programme


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "code", "kind", "label", "help_text", "choices"]
        fields += ["required", "per_need"]
        read_only_fields = fields


def _managed_programmes(queryset, user):
    return queryset.managed_by(user)


def _coordinated_organizations(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=user.organization_ids_with_role(Role.COORDINATOR))


class QuestionnaireSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    programme = VisibleSlugRelatedField(
        queryset=Programme.objects.all(),
        scope=_managed_programmes,
        required=False,
        allow_null=True,
        help_text="A programme you run; null for a template of your structure.",
    )
    organization = VisibleSlugRelatedField(
        queryset=Organization.objects.all(),
        scope=_coordinated_organizations,
        required=False,
        allow_null=True,
        help_text="For a template: the structure it belongs to (taken from the programme else).",
    )
    copied_from = serializers.UUIDField(
        source="copied_from.public_id", read_only=True, allow_null=True
    )
    is_default = serializers.BooleanField(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "title",
            "introduction",
            "organization",
            "programme",
            "purpose",
            "send_moment",
            "is_active",
            "is_default",
            "default_key",
            "copied_from",
            "questions",
        ]
        read_only_fields = ["default_key"]


@extend_schema_view(
    create=extend_schema(
        summary="Create a questionnaire (a programme's, or a template of your structure)",
        responses={201: QuestionnaireSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change a questionnaire",
        responses={200: QuestionnaireSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    destroy=extend_schema(
        summary="Delete a questionnaire that was never sent",
        responses={204: None, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class QuestionnaireViewSet(viewsets.ModelViewSet):
    """Questionnaires with their questions: coordinators read the shipped defaults, their
    templates and their programmes' questionnaires, and write all but the defaults."""

    serializer_class = QuestionnaireSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    # No PUT, as everywhere in this API: PATCH changes what is sent.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # the schema generator's anonymous request
            return Questionnaire.objects.none()
        return (
            questionnaires_visible_to(user)
            .select_related("programme", "organization", "copied_from")
            .prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
            )
            .order_by("title", "pk")
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Roles without the builder get 403 (not an empty list), as on the site.
        if not can_list_questionnaires(request.user):
            raise PermissionDenied

    def _fetch(self, questionnaire: Questionnaire) -> Questionnaire:
        return self.get_queryset().get(pk=questionnaire.pk)

    def _settings(self, data: dict, instance: Questionnaire | None = None) -> dict:
        """The service's arguments: what was sent, and for a partial update what is stored."""
        names = ["title", "introduction", "purpose", "send_moment", "is_active", "programme"]
        if instance is None:
            return {name: data[name] for name in names if name in data}
        return {name: data.get(name, getattr(instance, name)) for name in names}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        settings = self._settings(data)
        questionnaire = services.questionnaire_create(
            **settings, organization=data.get("organization"), acting_user=request.user
        )
        return Response(
            self.get_serializer(self._fetch(questionnaire)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        questionnaire = services.questionnaire_update(
            questionnaire=instance,
            **self._settings(serializer.validated_data, instance),
            acting_user=request.user,
        )
        return Response(self.get_serializer(self._fetch(questionnaire)).data)

    def perform_destroy(self, instance):
        services.questionnaire_delete(questionnaire=instance, acting_user=self.request.user)
