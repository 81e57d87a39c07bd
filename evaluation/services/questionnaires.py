"""Writes of the questionnaire builder: questionnaires, their copies and their questions.

Shipped defaults are never written here (can_manage_questionnaire refuses them): they are
copied. Once a questionnaire has responses its questions keep their kind and options, so the
answers already given keep their meaning; labels and help texts stay editable."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import Organization
from evaluation.enums import CHOICE_KINDS, Purpose, QuestionKind, SendMoment
from evaluation.models import Question, Questionnaire
from evaluation.permissions import can_manage_questionnaire, coordinates
from evaluation.selectors import questionnaires_visible_to
from programmes.models import Programme

MIN_CHOICES = 2
MOVES = ("up", "down")


def _check_target(*, organization: Organization | None, programme: Programme | None, acting_user):
    """A questionnaire belongs to a programme the user runs, or is a template of a structure
    they coordinate."""
    if programme is not None:
        if not coordinates(acting_user, programme.organization):
            raise PermissionDenied
        if organization is not None and organization.pk != programme.organization_id:
            raise ValidationError(
                {"programme": _("The programme must belong to the questionnaire's structure.")}
            )
        return programme.organization
    if organization is None:
        raise ValidationError({"organization": _("Choose the structure this template belongs to.")})
    if not coordinates(acting_user, organization):
        raise PermissionDenied
    return organization


def _check_choice_values(purpose: str, send_moment: str) -> None:
    errors = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose a purpose from the list.")
    if send_moment not in SendMoment.values:
        errors["send_moment"] = _("Choose a moment from the list.")
    if errors:
        raise ValidationError(errors)


def questionnaire_create(
    *,
    title: str,
    programme: Programme | None = None,
    organization: Organization | None = None,
    introduction: str = "",
    purpose: str = Purpose.OTHER,
    send_moment: str = SendMoment.MANUAL,
    is_active: bool = True,
    acting_user,
) -> Questionnaire:
    """Create a programme's questionnaire, or a template of a structure (no programme)."""
    organization = _check_target(
        organization=organization, programme=programme, acting_user=acting_user
    )
    _check_choice_values(purpose, send_moment)
    if not title.strip():
        raise ValidationError({"title": _("Give the questionnaire a title.")})
    return Questionnaire.objects.create(
        organization=organization,
        programme=programme,
        title=title.strip(),
        introduction=introduction,
        purpose=purpose,
        send_moment=send_moment,
        is_active=is_active,
        created_by=acting_user,
    )


def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    title: str,
    programme: Programme | None = None,
    introduction: str = "",
    purpose: str = Purpose.OTHER,
    send_moment: str = SendMoment.MANUAL,
    is_active: bool = True,
    acting_user,
) -> Questionnaire:
    """Change a questionnaire; it moves to another programme (or becomes a template) only
    while it has never been sent, and stays within its structure."""
    if not can_manage_questionnaire(acting_user, questionnaire):
        raise PermissionDenied
    organization = questionnaire.organization or (
        questionnaire.programme.organization if questionnaire.programme_id else None
    )
    _check_target(organization=organization, programme=programme, acting_user=acting_user)
    _check_choice_values(purpose, send_moment)
    if not title.strip():
        raise ValidationError({"title": _("Give the questionnaire a title.")})
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        new_programme_id = programme.pk if programme else None
        if new_programme_id != questionnaire.programme_id and (
            questionnaire.invitations.exists() or questionnaire.responses.exists()
        ):
            raise ValidationError(
                {
                    "programme": _(
                        "This questionnaire has already been sent: it stays with its "
                        "programme. Copy it to use it elsewhere."
                    )
                }
            )
        questionnaire.organization = organization
        questionnaire.programme = programme
        questionnaire.title = title.strip()
        questionnaire.introduction = introduction
        questionnaire.purpose = purpose
        questionnaire.send_moment = send_moment
        questionnaire.is_active = is_active
        questionnaire.save()
    return questionnaire


def questionnaire_delete(*, questionnaire: Questionnaire, acting_user) -> None:
    """Delete a questionnaire that was never sent (else: deactivate it)."""
    if not can_manage_questionnaire(acting_user, questionnaire):
        raise PermissionDenied
    with transaction.atomic():
        if questionnaire.invitations.exists() or questionnaire.responses.exists():
            raise ValidationError(
                _(
                    "This questionnaire has already been sent and cannot be deleted: "
                    "deactivate it instead."
                )
            )
        questionnaire.delete()


def questionnaire_copy(
    *,
    source: Questionnaire,
    programme: Programme | None = None,
    organization: Organization | None = None,
    title: str = "",
    acting_user,
) -> Questionnaire:
    """Copy a questionnaire the user may read (a default, a template, a programme's) into one
    of their programmes, or into their structure's templates; questions keep their codes."""
    if not questionnaires_visible_to(acting_user).filter(pk=source.pk).exists():
        raise PermissionDenied
    organization = _check_target(
        organization=organization, programme=programme, acting_user=acting_user
    )
    with transaction.atomic():
        copy = Questionnaire.objects.create(
            organization=organization,
            programme=programme,
            title=(title or source.title).strip(),
            introduction=source.introduction,
            purpose=source.purpose,
            send_moment=source.send_moment,
            is_active=True,
            copied_from=source,
            created_by=acting_user,
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=copy,
                position=position,
                kind=question.kind,
                label=question.label,
                help_text=question.help_text,
                choices=list(question.choices),
                required=question.required,
                per_need=question.per_need,
                code=question.code,
            )
            for position, question in enumerate(source.questions.order_by("position", "pk"))
        )
    return copy


# --- Questions --------------------------------------------------------------------------------


def clean_choices(kind: str, choices: Sequence[str]) -> list[str]:
    """The options of a question, trimmed; raises when they do not suit its kind."""
    options = [str(option).strip() for option in choices or () if str(option).strip()]
    if kind in CHOICE_KINDS:
        if len(options) < MIN_CHOICES:
            raise ValidationError(
                {"choices": _("A choice question needs at least two options, one per line.")}
            )
        if len(set(options)) != len(options):
            raise ValidationError({"choices": _("Each option must appear only once.")})
    elif options:
        raise ValidationError({"choices": _("Only choice questions have options.")})
    return options


def _check_question(*, kind: str, label: str, code: str, questionnaire, exclude_pk=None) -> None:
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question from the list.")})
    if not label.strip():
        raise ValidationError({"label": _("Write the question.")})
    if code and questionnaire.questions.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError({"code": _("Another question of this questionnaire has this code.")})


def _managed(questionnaire: Questionnaire, acting_user) -> None:
    if not can_manage_questionnaire(acting_user, questionnaire):
        raise PermissionDenied


def _locked_questionnaire(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire row, locked: two editors do not interleave positions or checks."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def question_add(
    *,
    questionnaire: Questionnaire,
    kind: str,
    label: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = True,
    per_need: bool = False,
    code: str = "",
    acting_user,
) -> Question:
    """Add a question at the end of the questionnaire."""
    _managed(questionnaire, acting_user)
    options = clean_choices(kind, choices)
    _check_question(kind=kind, label=label, code=code, questionnaire=questionnaire)
    with transaction.atomic():
        _locked_questionnaire(questionnaire)
        last = questionnaire.questions.aggregate(last=Max("position"))["last"]
        return Question.objects.create(
            questionnaire=questionnaire,
            position=0 if last is None else last + 1,
            kind=kind,
            label=label.strip(),
            help_text=help_text.strip(),
            choices=options,
            required=required,
            per_need=per_need,
            code=code,
        )


def question_update(
    *,
    question: Question,
    kind: str,
    label: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = True,
    per_need: bool = False,
    code: str | None = None,
    acting_user,
) -> Question:
    """Change a question. Once the questionnaire has responses, only the wording, the help
    text and whether it is required change; new options may be added to a choice question."""
    questionnaire = question.questionnaire
    _managed(questionnaire, acting_user)
    options = clean_choices(kind, choices)
    code = question.code if code is None else code
    _check_question(
        kind=kind, label=label, code=code, questionnaire=questionnaire, exclude_pk=question.pk
    )
    with transaction.atomic():
        _locked_questionnaire(questionnaire)
        if questionnaire.responses.exists():
            if kind != question.kind:
                raise ValidationError(
                    {
                        "kind": _(
                            "This questionnaire already has responses: the kind of its "
                            "questions can no longer change."
                        )
                    }
                )
            if per_need != question.per_need:
                raise ValidationError(
                    {
                        "per_need": _(
                            "This questionnaire already has responses: whether a question is "
                            "asked for each need can no longer change."
                        )
                    }
                )
            if any(option not in options for option in question.choices):
                raise ValidationError(
                    {
                        "choices": _(
                            "This questionnaire already has responses: its options can be "
                            "added to, not changed or removed."
                        )
                    }
                )
            if code != question.code:
                raise ValidationError(
                    {"code": _("This questionnaire already has responses: codes stay.")}
                )
        question.kind = kind
        question.label = label.strip()
        question.help_text = help_text.strip()
        question.choices = options
        question.required = required
        question.per_need = per_need
        question.code = code
        question.save()
    return question


def question_delete(*, question: Question, acting_user) -> None:
    """Remove a question from a questionnaire that has no responses yet."""
    questionnaire = question.questionnaire
    _managed(questionnaire, acting_user)
    with transaction.atomic():
        _locked_questionnaire(questionnaire)
        if questionnaire.responses.exists():
            raise ValidationError(
                _(
                    "This questionnaire already has responses: its questions can no longer "
                    "be deleted. Copy it to make a new version."
                )
            )
        question.delete()


def question_move(*, question: Question, direction: str, acting_user) -> None:
    """Swap a question with the one above ("up") or below ("down"); positions are renumbered
    0, 1, 2… on the way, so gaps and ties left by older edits disappear."""
    questionnaire = question.questionnaire
    _managed(questionnaire, acting_user)
    if direction not in MOVES:
        raise ValidationError(_("A question moves up or down."))
    with transaction.atomic():
        _locked_questionnaire(questionnaire)
        questions = list(questionnaire.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
        for position, item in enumerate(questions):
            item.position = position
        Question.objects.bulk_update(questions, ["position"])
