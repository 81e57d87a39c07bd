"""Pages of the questionnaire builder: list, preview, create and edit, copy, and questions.

Coordinators only (403 for other roles); a questionnaire outside their structures is a 404.
Shipped defaults are read on the same pages and only copied."""

import copy
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import add_service_errors
from evaluation.enums import SCALE_RANGE, QuestionKind
from evaluation.forms_builder import CopyForm, QuestionForm, QuestionnaireForm
from evaluation.models import Question, Questionnaire
from evaluation.permissions import can_list_questionnaires, can_manage_questionnaire
from evaluation.selectors import (
    questionnaire_has_responses,
    questionnaire_list_for,
    questionnaires_visible_to,
)
from evaluation.services import questionnaires as services


def _require_builder(request: HttpRequest) -> None:
    if not can_list_questionnaires(request.user):
        raise PermissionDenied


def _visible_questionnaire(request: HttpRequest, public_id) -> Questionnaire:
    """A questionnaire the user may read: 403 for roles without the builder, else 404."""
    _require_builder(request)
    return get_object_or_404(
        questionnaires_visible_to(request.user).select_related(
            "programme__organization", "organization", "copied_from"
        ),
        public_id=public_id,
    )


def _managed_questionnaire(request: HttpRequest, public_id) -> Questionnaire:
    questionnaire = _visible_questionnaire(request, public_id)
    if not can_manage_questionnaire(request.user, questionnaire):
        raise PermissionDenied
    return questionnaire


def _question_of(questionnaire: Questionnaire, question_id: int) -> Question:
    question = get_object_or_404(questionnaire.questions, pk=question_id)
    question.questionnaire = questionnaire  # the services read it: no second query
    return question


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    _require_builder(request)
    defaults, templates, by_programme = [], [], []
    programme_rows = []
    for questionnaire in questionnaire_list_for(request.user):
        if questionnaire.is_default:
            defaults.append(questionnaire)
        elif questionnaire.is_template:
            templates.append(questionnaire)
        else:
            programme_rows.append(questionnaire)
    for _programme_id, rows in groupby(programme_rows, key=lambda q: q.programme_id):
        rows = list(rows)
        by_programme.append({"programme": rows[0].programme, "questionnaires": rows})
    return render(
        request,
        "evaluation/questionnaires/questionnaire_list.html",
        {
            "defaults": defaults,
            "templates": templates,
            "by_programme": by_programme,
        },
    )


def _preview_rows(questions) -> list[dict]:
    """What the beneficiary will see for each question: the scale's numbers, the options."""
    rows = []
    for question in questions:
        low_high = SCALE_RANGE.get(question.kind)
        values = []
        if question.kind in (QuestionKind.SCALE, QuestionKind.NPS):
            values = list(range(low_high[0], low_high[1] + 1))
        rows.append({"question": question, "values": values})
    return rows


@login_required
def questionnaire_detail(request: HttpRequest, public_id) -> HttpResponse:
    questionnaire = _visible_questionnaire(request, public_id)
    questions = list(questionnaire.questions.order_by("position", "pk"))
    can_manage = can_manage_questionnaire(request.user, questionnaire)
    return render(
        request,
        "evaluation/questionnaires/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "rows": _preview_rows(questions),
            "can_manage": can_manage,
            "has_responses": can_manage and questionnaire_has_responses(questionnaire),
        },
    )


@login_required
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    _require_builder(request)
    form = QuestionnaireForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire created: now add its questions."))
            return redirect("evaluation:questionnaire_detail", questionnaire.public_id)
    return render(
        request,
        "evaluation/questionnaires/questionnaire_form.html",
        {"form": form, "questionnaire": None},
    )


@login_required
def questionnaire_edit(request: HttpRequest, public_id) -> HttpResponse:
    questionnaire = _managed_questionnaire(request, public_id)
    form = QuestionnaireForm(
        request.POST or None, instance=copy.copy(questionnaire), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_update(
                questionnaire=questionnaire, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect("evaluation:questionnaire_detail", questionnaire.public_id)
    return render(
        request,
        "evaluation/questionnaires/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
    )


@login_required
def questionnaire_copy(request: HttpRequest, public_id) -> HttpResponse:
    source = _visible_questionnaire(request, public_id)
    form = CopyForm(request.POST or None, user=request.user, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.questionnaire_copy(
                source=source, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire copied: you can now adapt it."))
            return redirect("evaluation:questionnaire_detail", copied.public_id)
    return render(
        request,
        "evaluation/questionnaires/questionnaire_copy.html",
        {"form": form, "questionnaire": source},
    )


@login_required
def question_new(request: HttpRequest, public_id) -> HttpResponse:
    questionnaire = _managed_questionnaire(request, public_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                questionnaire=questionnaire, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("evaluation:questionnaire_detail", questionnaire.public_id)
    return render(
        request,
        "evaluation/questionnaires/question_form.html",
        {"form": form, "questionnaire": questionnaire, "question": None},
    )


@login_required
def question_edit(request: HttpRequest, public_id, question_id: int) -> HttpResponse:
    questionnaire = _managed_questionnaire(request, public_id)
    question = _question_of(questionnaire, question_id)
    form = QuestionForm(request.POST or None, instance=copy.copy(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("evaluation:questionnaire_detail", questionnaire.public_id)
    return render(
        request,
        "evaluation/questionnaires/question_form.html",
        {"form": form, "questionnaire": questionnaire, "question": question},
    )


@login_required
def question_delete(request: HttpRequest, public_id, question_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    questionnaire = _managed_questionnaire(request, public_id)
    question = _question_of(questionnaire, question_id)
    error = None
    if request.method == "POST":
        try:
            services.question_delete(question=question, acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Question deleted."))
            return redirect("evaluation:questionnaire_detail", questionnaire.public_id)
    return render(
        request,
        "evaluation/questionnaires/question_delete.html",
        {"questionnaire": questionnaire, "question": question, "error": error},
    )


@login_required
@require_POST
def question_move(request: HttpRequest, public_id, question_id: int) -> HttpResponse:
    questionnaire = _managed_questionnaire(request, public_id)
    question = _question_of(questionnaire, question_id)
    try:
        services.question_move(
            question=question,
            direction=request.POST.get("direction", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    detail = reverse("evaluation:questionnaire_detail", args=[questionnaire.public_id])
    return redirect(f"{detail}#question-{question.pk}")
