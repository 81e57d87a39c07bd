"""API of evaluation responses: read those you may see; answer a questionnaire.

A beneficiary answers one of their pending invitations; a mentor enters the answers of a
person they follow (on behalf, by phone) or their own assessment. Both go through
response_submit, whose messages come back as a 400 keyed by answer key ("q<id>", "q<id>_t<id>")."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response as ApiResponse

from accounts.rules import can
from beneficiaires.models import Beneficiary
from beneficiaires.permissions import is_active_referent
from core.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from evaluation.enums import EntryMode, Phase, Purpose
from evaluation.models import Answer, Invitation, Response
from evaluation.services.responses import (
    answer_key,
    invitation_refusal,
    mentor_entry_questionnaires,
    response_submit,
    responses_visible_to,
)


class AnswerSerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField(help_text="The answer key: q<question>[_t<theme>].")
    question = serializers.IntegerField(source="question_id", read_only=True)
    question_code = serializers.CharField(source="question.code", read_only=True)
    question_label = serializers.CharField(source="question.label", read_only=True)
    kind = serializers.CharField(source="question.kind", read_only=True)
    theme = serializers.CharField(source="theme.name", read_only=True, allow_null=True)

    class Meta:
        model = Answer
        fields = [
            "key",
            "question",
            "question_code",
            "question_label",
            "kind",
            "theme",
            "value_number",
            "value_text",
            "value_choices",
        ]

    def get_key(self, answer) -> str:
        return answer_key(answer.question, answer.theme)


class ResponseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    questionnaire = serializers.UUIDField(source="questionnaire.public_id", read_only=True)
    questionnaire_title = serializers.CharField(source="questionnaire.title", read_only=True)
    programme = serializers.UUIDField(source="programme.public_id", read_only=True)
    beneficiary = serializers.UUIDField(source="beneficiary.public_id", read_only=True)
    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)
    seance = serializers.UUIDField(source="seance.public_id", read_only=True, allow_null=True)
    entered_by_name = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "questionnaire",
            "questionnaire_title",
            "programme",
            "beneficiary",
            "beneficiary_name",
            "seance",
            "phase",
            "entry_mode",
            "entered_by_name",
            "submitted_at",
            "answers",
        ]

    def get_entered_by_name(self, response) -> str:
        user = response.entered_by
        return (user.get_full_name() or user.email) if user else ""


class ResponseCreateSerializer(serializers.Serializer):
    invitation = serializers.UUIDField(
        required=False, help_text="A beneficiary: the id of one of your pending invitations."
    )
    questionnaire = serializers.UUIDField(
        required=False, help_text="A mentor: the questionnaire filled in (without invitation)."
    )
    beneficiary = serializers.UUIDField(
        required=False, help_text="A mentor: the person the answers are about."
    )
    phase = serializers.ChoiceField(choices=Phase.choices, required=False, allow_blank=True)
    answers = serializers.DictField(
        help_text='Answers by key: {"q12": 4, "q13_t5": 3, "q14": "yes", "q15": ["A", "B"]}.'
    )

    def validate(self, attrs):
        if "invitation" not in attrs and not ("questionnaire" in attrs and "beneficiary" in attrs):
            raise serializers.ValidationError(
                _("Give an invitation, or a questionnaire and a beneficiary.")
            )
        return attrs


class ResponseFilter(django_filters.FilterSet):
    programme = django_filters.UUIDFilter(field_name="programme__public_id")
    questionnaire = django_filters.UUIDFilter(field_name="questionnaire__public_id")
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    entry_mode = django_filters.ChoiceFilter(choices=EntryMode.choices)

    class Meta:
        model = Response
        fields = ["programme", "questionnaire", "beneficiary", "phase", "entry_mode"]


@extend_schema_view(
    list=extend_schema(
        responses={200: ResponseSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN}
    ),
    retrieve=extend_schema(responses={200: ResponseSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
    create=extend_schema(
        request=ResponseCreateSerializer,
        responses={201: ResponseSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
)
class EvaluationResponseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Filled-in questionnaires: a programme's coordinators, the person's mentors and the
    person themselves see them."""

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return (
            responses_visible_to(self.request.user)
            .select_related("questionnaire", "programme", "beneficiary", "seance", "entered_by")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related("question", "theme").order_by(
                        "question__position", "question__pk", "theme__name"
                    ),
                )
            )
            .order_by("-submitted_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        # Answers come from a beneficiary or a mentor: other roles get 403 before the body.
        user = request.user
        if not can(user, "evaluation.answer"):
            raise PermissionDenied
        body = ResponseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        as_beneficiary = "invitation" in data
        arguments = self._as_beneficiary(data) if as_beneficiary else self._as_mentor(data)
        try:
            response = response_submit(answers=data["answers"], **arguments)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError({"answers": error.message_dict}) from error
            raise serializers.ValidationError({"non_field_errors": error.messages}) from error
        created = self.get_queryset().get(pk=response.pk)
        return ApiResponse(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def _as_beneficiary(self, data) -> dict:
        invitation = (
            Invitation.objects.select_related("questionnaire__programme", "beneficiary")
            .filter(public_id=data["invitation"], beneficiary__user=self.request.user)
            .first()
        )
        if invitation is None:
            raise serializers.ValidationError({"invitation": [_("No such pending invitation.")]})
        if invitation_refusal(invitation) == "answered":
            raise serializers.ValidationError(
                {"invitation": [_("This questionnaire has already been answered.")]}
            )
        if invitation_refusal(invitation) == "expired":
            raise serializers.ValidationError({"invitation": [_("This link has expired.")]})
        return {
            "questionnaire": invitation.questionnaire,
            "beneficiary": invitation.beneficiary,
            "invitation": invitation,
            "entry_mode": EntryMode.ACCOUNT,
        }

    def _as_mentor(self, data) -> dict:
        user = self.request.user
        beneficiary = (
            Beneficiary.objects.visible_to(user).filter(public_id=data["beneficiary"]).first()
        )
        if beneficiary is None:
            raise serializers.ValidationError({"beneficiary": [_("No such beneficiary.")]})
        if not is_active_referent(user, beneficiary):
            raise PermissionDenied(_("Only the person's referent mentor enters their answers."))
        questionnaire = (
            mentor_entry_questionnaires(user, beneficiary)
            .filter(public_id=data["questionnaire"])
            .first()
        )
        if questionnaire is None:
            raise serializers.ValidationError(
                {"questionnaire": [_("No such active questionnaire in this person's programmes.")]}
            )
        assessment = questionnaire.purpose == Purpose.MENTOR_ASSESSMENT
        return {
            "questionnaire": questionnaire,
            "beneficiary": beneficiary,
            "entry_mode": EntryMode.MENTOR if assessment else EntryMode.ON_BEHALF,
            "entered_by": user,
            "phase": data.get("phase", Phase.NONE),
        }
