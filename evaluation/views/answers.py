"""Answering questionnaires (the link, the beneficiary's space, the mentor's entry), sending
them (the coordinator) and reading a response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.enums import Role
from beneficiaires.models import Beneficiary
from beneficiaires.permissions import is_active_referent
from diagnostics.models import hash_token
from evaluation.enums import EntryMode, Phase, Purpose
from evaluation.forms_answers import PHASE_CHOICES, AnswersForm
from evaluation.models import Answer, Invitation, Questionnaire
from evaluation.permissions import can_manage_questionnaire
from evaluation.services.invitations import invitations_send, sendable_beneficiaries
from evaluation.services.responses import (
    answer_slots,
    invitation_refusal,
    mentor_entry_questionnaires,
    response_submit,
    responses_visible_to,
)
from programmes.models import Offer

UNAVAILABLE_STATUS = {"unknown": 404, "answered": 410, "expired": 410}


def _private(response: HttpResponse) -> HttpResponse:
    """Personal pages, and the link (a credential): out of caches and search engines."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    return _private(
        render(
            request,
            "evaluation/answers/unavailable.html",
            {"reason": reason},
            status=UNAVAILABLE_STATUS[reason],
        )
    )


def _refusal_code(error: ValidationError) -> str:
    """ "answered" or "expired" when the service refused the link itself, else ""."""
    if hasattr(error, "error_dict"):
        return ""
    codes = {item.code for item in error.error_list}
    return next((code for code in ("answered", "expired") if code in codes), "")


def _answer_page(
    request: HttpRequest,
    *,
    invitation: Invitation,
    entry_mode: str,
    on_success,
) -> HttpResponse:
    """The form of an invitation, and its submission through the service."""
    questionnaire = invitation.questionnaire
    slots = answer_slots(questionnaire, invitation.beneficiary)
    form = AnswersForm(request.POST if request.method == "POST" else None, slots=slots)
    if form.is_bound and form.is_valid():
        try:
            response = response_submit(
                questionnaire=questionnaire,
                beneficiary=invitation.beneficiary,
                answers=form.answers(),
                entry_mode=entry_mode,
                invitation=invitation,
            )
        except ValidationError as error:
            reason = _refusal_code(error)
            if reason:
                return _unavailable(request, reason)
            form.add_service_errors(error)
        else:
            return on_success(response)
    context = {"questionnaire": questionnaire, "invitation": invitation, "form": form}
    return _private(render(request, "evaluation/answers/answer.html", context))


# (a) The one-time link, without logging in


def answer_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire opened from the secure link: no account needed, answered once."""
    invitation = (
        Invitation.objects.select_related("questionnaire__programme", "beneficiary")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return _unavailable(request, "unknown")
    reason = invitation_refusal(invitation)
    if reason:
        return _unavailable(request, reason)

    def done(response):
        context = {"questionnaire": invitation.questionnaire}
        return _private(render(request, "evaluation/answers/done.html", context))

    return _answer_page(request, invitation=invitation, entry_mode=EntryMode.LINK, on_success=done)


# (b) The beneficiary, logged in


def _own_record(request: HttpRequest) -> Beneficiary:
    beneficiary = Beneficiary.objects.filter(user=request.user).first()
    if beneficiary is None:
        raise PermissionDenied
    return beneficiary


@login_required
def my_questionnaires_view(request: HttpRequest) -> HttpResponse:
    """The beneficiary's questionnaires to answer, and what they already answered."""
    beneficiary = _own_record(request)
    pending = (
        Invitation.objects.filter(
            beneficiary=beneficiary, answered_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("questionnaire__programme", "seance")
        .order_by("expires_at", "pk")
    )
    answered = (
        responses_visible_to(request.user)
        .filter(beneficiary=beneficiary)
        .select_related("questionnaire", "programme")
    )
    context = {"pending": pending, "answered": answered}
    return _private(render(request, "evaluation/answers/my_questionnaires.html", context))


@login_required
def my_answer_view(request: HttpRequest, public_id) -> HttpResponse:
    """A pending questionnaire answered from the beneficiary's space, without the link."""
    beneficiary = _own_record(request)
    invitation = get_object_or_404(
        Invitation.objects.select_related("questionnaire__programme", "beneficiary"),
        public_id=public_id,
        beneficiary=beneficiary,
    )
    reason = invitation_refusal(invitation)
    if reason:
        return _unavailable(request, reason)

    def done(response):
        messages.success(request, _("Thank you: your answers are recorded."))
        return redirect("evaluation:my_questionnaires")

    return _answer_page(
        request, invitation=invitation, entry_mode=EntryMode.ACCOUNT, on_success=done
    )


# (c) and (d) The mentor enters answers: on behalf of a phone-only person, or an assessment


def _followed(request: HttpRequest, beneficiary_id) -> Beneficiary:
    """A person the mentor follows (active referent); others are a 404 or a 403."""
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user), public_id=beneficiary_id
    )
    if not is_active_referent(request.user, beneficiary):
        raise PermissionDenied
    return beneficiary


@login_required
def entry_choose_view(request: HttpRequest, beneficiary_id) -> HttpResponse:
    """The questionnaires a mentor may fill in with, or about, a person they follow."""
    beneficiary = _followed(request, beneficiary_id)
    questionnaires = list(mentor_entry_questionnaires(request.user, beneficiary))
    context = {
        "beneficiary": beneficiary,
        "pending": _pending_invitations(beneficiary, questionnaires),
        "on_behalf": [q for q in questionnaires if q.purpose != Purpose.MENTOR_ASSESSMENT],
        "assessments": [q for q in questionnaires if q.purpose == Purpose.MENTOR_ASSESSMENT],
    }
    return _private(render(request, "evaluation/answers/entry_choose.html", context))


def _pending_invitations(beneficiary: Beneficiary, questionnaires) -> list[Invitation]:
    """The person's links still to answer, among these questionnaires: a mentor may enter the
    answers given by phone against the link, which then counts as answered."""
    return list(
        Invitation.objects.filter(
            beneficiary=beneficiary,
            questionnaire__in=[q for q in questionnaires if q.purpose != Purpose.MENTOR_ASSESSMENT],
            answered_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("questionnaire__programme", "seance")
        .order_by("expires_at", "pk")
    )


@login_required
def entry_view(
    request: HttpRequest, beneficiary_id, questionnaire_id, *, assessment: bool
) -> HttpResponse:
    """The form filled in by the mentor: the person's answers given by phone (on behalf), or
    the mentor's own assessment of the person's progress."""
    beneficiary = _followed(request, beneficiary_id)
    questionnaire = get_object_or_404(
        mentor_entry_questionnaires(request.user, beneficiary), public_id=questionnaire_id
    )
    if (questionnaire.purpose == Purpose.MENTOR_ASSESSMENT) != assessment:
        raise Http404
    invitation = None
    if request.GET.get("invitation") and not assessment:
        invitation = next(
            (
                pending
                for pending in _pending_invitations(beneficiary, [questionnaire])
                if str(pending.public_id) == request.GET["invitation"]
            ),
            None,
        )
        if invitation is None:
            raise Http404
    # A link carries its own phase; otherwise a progress assessment asks for it.
    ask_phase = invitation is None and questionnaire.purpose in (
        Purpose.PROGRESS,
        Purpose.MENTOR_ASSESSMENT,
    )
    slots = answer_slots(questionnaire, beneficiary)
    data = request.POST if request.method == "POST" else None
    form = AnswersForm(data, slots=slots, ask_phase=ask_phase)
    if form.is_bound and form.is_valid():
        try:
            response = response_submit(
                questionnaire=questionnaire,
                beneficiary=beneficiary,
                answers=form.answers(),
                entry_mode=EntryMode.MENTOR if assessment else EntryMode.ON_BEHALF,
                entered_by=request.user,
                invitation=invitation,
                phase=form.cleaned_data.get("phase", Phase.NONE),
            )
        except ValidationError as error:
            if _refusal_code(error):
                raise Http404 from error
            form.add_service_errors(error)
        else:
            messages.success(request, _("The answers are recorded."))
            return redirect("evaluation:response_detail", response.public_id)
    context = {
        "questionnaire": questionnaire,
        "beneficiary": beneficiary,
        "form": form,
        "assessment": assessment,
        "invitation": invitation,
    }
    return _private(render(request, "evaluation/answers/entry.html", context))


# (e) The coordinator sends a programme questionnaire and follows its invitations


def _managed(request: HttpRequest, public_id) -> Questionnaire:
    """A programme questionnaire the user coordinates: the structure's mentors get a 403,
    everyone else a 404 (they do not know it exists)."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("programme__organization"),
        public_id=public_id,
        programme__isnull=False,
    )
    if not can_manage_questionnaire(request.user, questionnaire):
        organization_id = questionnaire.programme.organization_id
        if organization_id in request.user.organization_ids_with_role(Role.MENTOR):
            raise PermissionDenied
        raise Http404
    return questionnaire


@login_required
def invitation_send_view(request: HttpRequest, public_id) -> HttpResponse:
    """Send a programme questionnaire to people of the programme, filtered by offer."""
    questionnaire = _managed(request, public_id)
    offers = list(Offer.objects.filter(programme_id=questionnaire.programme_id).order_by("title"))
    offer = next((o for o in offers if str(o.public_id) == request.GET.get("offre")), None)
    people = list(sendable_beneficiaries(questionnaire, offer=offer))
    ask_phase = questionnaire.purpose == Purpose.PROGRESS
    error = ""
    if request.method == "POST":
        chosen_ids = set(request.POST.getlist("beneficiaires"))
        chosen = [person for person in people if str(person.public_id) in chosen_ids]
        phase = request.POST.get("phase", "") if ask_phase else Phase.NONE
        if not chosen:
            error = _("Choose at least one person.")
        elif ask_phase and phase not in dict(PHASE_CHOICES):
            error = _("Choose the phase of this progress assessment.")
        else:
            try:
                sent = invitations_send(
                    questionnaire=questionnaire,
                    beneficiaries=chosen,
                    phase=phase,
                    acting_user=request.user,
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
                    % {"count": sent},
                )
                if sent < len(chosen):
                    messages.info(
                        request, _("People already invited to this questionnaire were skipped.")
                    )
                return redirect("evaluation:invitation_list", questionnaire.public_id)
    context = {
        "questionnaire": questionnaire,
        "offers": offers,
        "offer": offer,
        "people": people,
        "ask_phase": ask_phase,
        "phases": PHASE_CHOICES,
        "error": error,
    }
    return _private(render(request, "evaluation/answers/send.html", context))


@login_required
def invitation_list_view(request: HttpRequest, public_id) -> HttpResponse:
    """The invitations of a questionnaire, with their status (sent, answered, expired)."""
    questionnaire = _managed(request, public_id)
    invitations = list(
        questionnaire.invitations.select_related("beneficiary", "seance", "response").order_by(
            "-created_at", "-pk"
        )
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.status = (
            "answered"
            if invitation.answered_at
            else "expired"
            if invitation.expires_at <= now
            else "sent"
        )
        invitation.answer = getattr(invitation, "response", None)
    context = {"questionnaire": questionnaire, "invitations": invitations}
    return _private(render(request, "evaluation/answers/invitation_list.html", context))


@login_required
def response_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    """One filled-in questionnaire: its programme's coordinators, the person's mentors and
    the person themselves."""
    response = get_object_or_404(
        responses_visible_to(request.user)
        .select_related("questionnaire", "programme", "beneficiary", "entered_by", "seance")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question", "theme").order_by(
                    "question__position", "question__pk", "theme__name"
                ),
            )
        ),
        public_id=public_id,
    )
    context = {"response": response, "answers": response.answers.all()}
    return _private(render(request, "evaluation/answers/response_detail.html", context))
