"""The persona walk: every named URL (pages and API) for the nine personas.

One world (tests/walk_world.py) is built per module; every request runs in a savepoint rolled
back at once, so an allowed action changes nothing for the next persona. Each URL sends its
natural request: GET, or an empty POST when the page only takes POST (405 on GET); on the API,
GET for reads and an empty JSON body for each write method the route takes (an allowed person
gets 400 from validation, 204 for DELETE: authorization is proven without writing anything).

Codes: 302 is the login redirect for anonymous (any other redirect of anonymous is reported),
a redirect of a logged-in person never goes to the login page; 403 for anonymous on the API;
404 where the object exists but is not the person's to see (existence is not revealed); 403
where the person may see the object or the list but the role may not act.
"""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.walk_world import PERSONAS, SLUG, build_world

WRITE_METHODS = ("post", "put", "patch", "delete")
LOGIN_URL = "/compte/connexion/"


def url_names(resolver=None, prefix=""):
    """Every URL name, without the admin namespace and DRF's format-suffix variants."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern, namespace)
        elif pattern.name and not pattern.name.endswith("-format"):
            yield f"{prefix}{pattern.name}"


def _args(w, o):
    """URL name → positional arguments naming the objects of `o` (A's or B's)."""
    b = o.beneficiary.public_id
    programme = w.programme.public_id
    questionnaire = w.questionnaire.public_id
    names = {
        "core:programme_dashboard": [programme],
        # A valid reset link: Django stores it in the session and redirects to its form.
        "accounts:password_reset_confirm": [o.reset_uid, o.reset_token],
        "programmes:theme_edit": [w.theme.pk],
        "programmes:offer_edit": [programme, w.offer.public_id],
        "beneficiaires:consent_withdraw": [b, o.consent_purpose],
        "diagnostics:questionnaire": [o.diagnostic_token],
        "partners:referral_update": [o.referral.public_id],
        "notifications:resend": [o.notification.pk],
        "evaluation:answer_link": [o.invitation_token],
        "evaluation:my_answer": [o.invitation.public_id],
        "evaluation:entry_on_behalf": [b, questionnaire],
        "evaluation:entry_assessment": [b, w.assessment.public_id],
        "evaluation:response_detail": [o.response.public_id],
        "outreach:showcase_card": [o.card.public_id],
        "outreach:showcase_contact_handled": [o.showcase_contact.pk],
        "outreach:card_edit": [b, o.card.public_id],
        "outreach:card_delete": [b, o.card.public_id],
        "outreach:catalogue_project": [o.card.public_id],
        "outreach:support_request": [SLUG],
        "outreach:support_request_done": [SLUG, o.support_request.public_id],
        "outreach:support_request_book": [SLUG, o.support_request.public_id],
        "outreach:campaign_link": [o.campaign_token],
        "outreach:campaign_unsubscribe": [o.unsubscribe_token],
        "outreach:catalogue_event_registered": [
            o.group_session.public_id,
            o.registration.public_id,
        ],
        "outreach:catalogue_programme": [SLUG],
        "seances:availability_edit": [w.availability.pk],
        "seances:availability_delete": [w.availability.pk],
        "seances:exception_delete": [w.exception.pk],
        # The other mentor is a mentor of the group offer: manages its sessions' registrations.
        "seances:group_registration_cancel": [o.registration.public_id],
        "seances:calendar_feed": [o.calendar_token],
        "seances:record_start": [o.seance.public_id, b],
        "seances:record_edit": [o.draft_record.public_id],
        "seances:record_validate": [o.draft_record.public_id],
        "seances:task_status": [o.task.public_id],
        # API
        "programme-indicators": [programme],
        "catalogue-programme-detail": [SLUG],
        "campaign-detail": [w.campaign.public_id],
        "programme-detail": [programme],
        "offer-detail": [w.offer.public_id],
        "partner-detail": [w.partner_org.public_id],
        "beneficiary-detail": [b],
        "diagnostic-detail": [o.diagnostic.public_id],
        "enrollment-detail": [o.enrollment.public_id],
        "group-session-detail": [o.group_session.public_id],
        # B is enrolled in the group offer: may take a seat (201, rolled back); A already has one.
        "group-session-register": [o.group_session.public_id],
        "registration-detail": [o.registration.public_id],
        "registration-cancel": [o.registration.public_id],
        "seance-detail": [o.seance.public_id],
        "closing-record-detail": [o.record.public_id],
        "closing-record-detail PATCH": [o.draft_record.public_id],
        "closing-record-comments": [o.record.public_id],
        "closing-record-pdf": [o.record.public_id],
        "closing-record-validate": [o.draft_record.public_id],
        "task-detail": [o.task.public_id],
        "logbook-entry-detail": [o.logbook_entry.public_id],
        "questionnaire-detail": [questionnaire],
        "evaluation-response-detail": [o.response.public_id],
    }
    groups = {
        (programme,): (
            "programmes:detail programmes:edit programmes:open programmes:close "
            "programmes:duplicate programmes:offer_create evaluation:programme_dashboard "
            "evaluation:programme_export_csv evaluation:programme_export_xlsx "
            "evaluation:programme_report"
        ),
        (b,): (
            "beneficiaires:detail beneficiaires:edit beneficiaires:set_stage "
            "beneficiaires:set_priority beneficiaires:contact_add beneficiaires:consent_add "
            "beneficiaires:merge diagnostics:create partners:referral_create "
            "evaluation:entry_choose evaluation:beneficiary_follow_up outreach:card_new "
            "privacy:erase privacy:retention_keep"
        ),
        (o.diagnostic.public_id,): (
            "diagnostics:detail diagnostics:edit diagnostics:complete diagnostics:invite "
            "diagnostics:enroll"
        ),
        (w.partner_org.public_id,): "partners:detail partners:edit",
        (questionnaire,): (
            "evaluation:questionnaire_detail evaluation:questionnaire_edit "
            "evaluation:questionnaire_copy evaluation:question_new evaluation:invitation_send "
            "evaluation:invitation_list"
        ),
        (questionnaire, w.question.pk): (
            "evaluation:question_edit evaluation:question_delete evaluation:question_move"
        ),
        (w.campaign.public_id,): (
            "outreach:campaign_detail outreach:campaign_edit outreach:campaign_send"
        ),
        (o.group_session.public_id,): (
            "outreach:catalogue_event outreach:catalogue_event_register "
            "seances:group_session_detail seances:group_session_edit "
            "seances:group_session_cancel seances:group_session_register "
            "seances:group_session_attendance seances:group_session_ics "
            "seances:seance_from_group_session"
        ),
        (w.offer.public_id,): "seances:book_mentor seances:book_slots seances:book_confirm",
        (o.appointment.public_id,): (
            "seances:appointment_detail seances:appointment_ics seances:appointment_cancel "
            "seances:appointment_reschedule seances:appointment_reschedule_confirm "
            "seances:appointment_status seances:appointment_mark seances:behalf_confirmation "
            "seances:seance_from_appointment appointment-detail appointment-cancel "
            "appointment-reschedule appointment-status"
        ),
        (o.appointment_token,): (
            "seances:appointment_manage seances:appointment_manage_cancel "
            "seances:appointment_manage_reschedule seances:appointment_manage_reschedule_confirm"
        ),
        (o.seance.public_id,): (
            "seances:seance_detail seances:seance_attendance seances:seance_participant_add "
            "seances:confidential_note_add seances:hotline_update seances:observation_update "
            "seances:goal_review"
        ),
        (o.tutoring_pair.public_id,): (
            "seances:tutoring_pair_detail seances:learning_goal_add seances:tutoring_pair_end"
        ),
        (o.record.public_id,): (
            "seances:record_detail seances:record_correct seances:record_comment seances:record_pdf"
        ),
        (o.codev_seance.public_id,): (
            "seances:codev_facilitate seances:codev_summary seances:codev_prepare "
            "seances:codev_step_next seances:codev_step_notes seances:codev_action_add"
        ),
        (o.logbook_entry.public_id,): (
            "seances:logbook_entry_detail seances:logbook_entry_edit "
            "seances:logbook_entry_share seances:logbook_entry_delete"
        ),
    }
    for args, group in groups.items():
        for name in group.split():
            names[name] = list(args)
    return names


def _query(name, w, o):
    """The signed link of a support request's acknowledgement; the slots' required period."""
    if name in {"outreach:support_request_done", "outreach:support_request_book"}:
        return f"?cle={o.support_request_token}"
    if name == "slots-list":
        start = timezone.localdate() + datetime.timedelta(days=7)
        return f"?offer={w.offer.public_id}&start={start}&end={start + datetime.timedelta(6)}"
    return ""


def url_of(key, w, o):
    name = key.split()[0]
    args = _args(w, o)
    return reverse(name, args=args.get(key, args.get(name, []))) + _query(name, w, o)


def is_api(name):
    return ":" not in name and name != "set_language"


def api_write_methods(name, w):
    """The write methods the API route takes, from its view."""
    match = resolve(url_of(name, w, w.a).split("?")[0])
    callback = match.func
    allowed = getattr(getattr(callback, "cls", None), "http_method_names", [])
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return [m for m in WRITE_METHODS if m in actions and m in allowed]
    view_class = getattr(callback, "cls", None)
    return [m for m in WRITE_METHODS if m in allowed and hasattr(view_class, m)]


def api_reads(name, w):
    match = resolve(url_of(name, w, w.a).split("?")[0])
    actions = getattr(match.func, "actions", None)
    if actions is not None:
        return "get" in actions
    return hasattr(getattr(match.func, "cls", None), "get")


def walk_keys(w):
    """The walked requests: the URL name (natural request) and, on the API, 'name METHOD'
    for each write method."""
    keys = []
    for name in dict.fromkeys(url_names()):
        if is_api(name):
            writes = api_write_methods(name, w)
            if api_reads(name, w):
                keys.append(name)
            else:
                # A write-only route (token, support request): its natural request is the write.
                keys.append(name)
                writes = writes[1:]
            keys.extend(f"{name} {method.upper()}" for method in writes)
        else:
            keys.append(name)
    return keys


def send(w, key, persona, o):
    """One request as `persona`, in a savepoint rolled back at once. Returns the code, or a
    string naming a redirect that breaks the login rule."""
    name, _, method = key.partition(" ")
    api = is_api(name)
    client = APIClient() if api else Client()
    client.raise_request_exception = False
    url = url_of(key, w, o)
    cache.clear()  # the public forms' rate limits would answer 429 to the later personas
    with transaction.atomic():
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[persona]
        if method:
            verb = getattr(client, method.lower())
            response = (
                verb(url, format="json") if method == "DELETE" else verb(url, {}, format="json")
            )
        elif api and not api_reads(name, w):
            response = client.post(url, {}, format="json")
        else:
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {}, format="json") if api else client.post(url)
        transaction.set_rollback(True)
    code = response.status_code
    if code == 302:
        to_login = response.url.startswith(LOGIN_URL)
        if persona == "anonymous" and not to_login and name not in REDIRECT_ELSEWHERE:
            return f"302→{response.url}"
        if persona != "anonymous" and to_login and name != "accounts:logout":
            return "302→login"
    return code


# Token pages whose anonymous redirect leads on (not to the login page).
REDIRECT_ELSEWHERE = {
    "accounts:password_reset_confirm",
    "outreach:campaign_link",
    "seances:appointment_manage_cancel",
    "seances:appointment_manage_reschedule_confirm",
    "accounts:logout",
    "accounts:two_factor_verify",
    "set_language",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and throttles count in the cache: each URL starts from zero."""
    cache.clear()
    yield
    cache.clear()


def format_row(persona_codes, expected):
    lines = []
    for persona, got, want in zip(PERSONAS, persona_codes, expected, strict=True):
        mark = "  " if got == want else "✗ "
        lines.append(f"{mark}{persona:<18} got {got!s:<10} expected {want}")
    return "\n".join(lines)


# URL name (or 'API name METHOD') → expected code per persona, in PERSONAS order:
# anonymous, beneficiary_a, beneficiary_b, mentor_a, other_mentor, coordinator,
# other_coordinator, partner, superuser. The objects are A's (or the programme's).
EXPECTED = {
    # core: home for everyone logged in; the programme's steering page: its coordinators.
    "core:home": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "core:healthz": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "core:programme_dashboard": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    # accounts: personal pages for everyone logged in; 2FA is for staff (beneficiaries and the
    # partner structure's staff: 403); the reset link logs nobody in and leads on (302).
    "accounts:login": (200, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:logout": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:profile": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:two_factor_setup": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "accounts:two_factor_disable": (302, 403, 403, 302, 302, 302, 302, 403, 302),
    "accounts:two_factor_verify": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:password_change": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_change_done": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_done": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_confirm": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # programmes: lists for the support team; a programme is read by its people (beneficiaries
    # included) and managed by its coordinators; another structure: 404; the partner: 403 / 404.
    "programmes:list": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "programmes:create": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "programmes:themes": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "programmes:theme_create": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "programmes:theme_edit": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "programmes:detail": (302, 200, 200, 200, 200, 200, 404, 404, 200),
    "programmes:edit": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "programmes:open": (302, 403, 403, 403, 403, 302, 404, 404, 302),
    "programmes:close": (302, 403, 403, 403, 403, 302, 404, 404, 302),
    "programmes:duplicate": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "programmes:offer_create": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "programmes:offer_edit": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    # beneficiaries: the record is read by the person, their referent mentor, the coordinators;
    # B, the other mentor, another structure and the partner: 404; role without the action: 403.
    "beneficiaires:list": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "beneficiaires:board": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "beneficiaires:export": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "beneficiaires:bulk": (302, 403, 403, 403, 403, 302, 302, 403, 302),
    "beneficiaires:create": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "beneficiaires:import": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "beneficiaires:import_preview": (302, 403, 403, 403, 403, 302, 302, 403, 302),
    "beneficiaires:import_confirm": (302, 403, 403, 403, 403, 302, 302, 403, 302),
    "beneficiaires:import_template": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "beneficiaires:detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "beneficiaires:edit": (302, 403, 404, 403, 404, 200, 404, 404, 200),
    "beneficiaires:set_stage": (302, 400, 404, 400, 404, 400, 404, 404, 400),
    "beneficiaires:set_priority": (302, 400, 404, 400, 404, 400, 404, 404, 400),
    "beneficiaires:contact_add": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "beneficiaires:consent_add": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "beneficiaires:consent_withdraw": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "beneficiaires:merge": (302, 403, 404, 403, 404, 200, 404, 404, 200),
    # diagnostics: the team's (the referent mentor and the coordinators); the person answers
    # through the link (any holder: 200); others 404.
    "diagnostics:create": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "diagnostics:detail": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "diagnostics:edit": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "diagnostics:complete": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "diagnostics:invite": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "diagnostics:enroll": (302, 403, 404, 403, 404, 302, 404, 404, 302),
    "diagnostics:questionnaire": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # partners: the network's directory for support teams (another structure reads it, only the
    # steward edits); referrals follow the record; beneficiaries and the partner persona: 403.
    "partners:list": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "partners:create": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "partners:detail": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "partners:edit": (302, 403, 403, 403, 403, 200, 403, 403, 200),
    "partners:referrals": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "partners:referral_create": (302, 403, 403, 200, 404, 200, 404, 403, 200),
    "partners:referral_update": (302, 403, 403, 200, 404, 200, 404, 403, 200),
    # notifications: own preferences for all; the outbox log for coordinators of the structure.
    "notifications:preferences": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications:log": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "notifications:resend": (302, 403, 403, 403, 403, 302, 404, 403, 302),
    # evaluation: questionnaires and dashboards for coordinators; answers by the person (own
    # invitation) or their referent mentor; the link works for whoever holds it.
    "evaluation:questionnaire_list": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "evaluation:questionnaire_new": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "evaluation:questionnaire_detail": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:questionnaire_edit": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:questionnaire_copy": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:question_new": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:question_edit": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:question_delete": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "evaluation:question_move": (302, 403, 403, 403, 403, 302, 404, 403, 302),
    "evaluation:answer_link": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:my_questionnaires": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "evaluation:my_answer": (302, 200, 404, 403, 403, 403, 403, 403, 403),
    "evaluation:entry_choose": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "evaluation:entry_on_behalf": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "evaluation:entry_assessment": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    # Beneficiaries get 404 here but 403 on the questionnaire pages: both refuse, nothing leaks.
    "evaluation:invitation_send": (302, 404, 404, 403, 403, 200, 404, 404, 200),
    "evaluation:invitation_list": (302, 404, 404, 403, 403, 200, 404, 404, 200),
    "evaluation:response_detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "evaluation:programme_dashboard": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "evaluation:programme_export_csv": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "evaluation:programme_export_xlsx": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "evaluation:programme_report": (302, 403, 403, 403, 403, 200, 404, 404, 200),
    "evaluation:beneficiary_follow_up": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    # outreach: the showcase is the network's (support teams, consented cards); campaigns for
    # coordinators; the catalogue, its forms and signed links are public.
    "outreach:showcase": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "outreach:showcase_card": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "outreach:showcase_contacts": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "outreach:showcase_contact_handled": (302, 404, 404, 404, 404, 302, 404, 404, 302),
    "outreach:card_new": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "outreach:card_edit": (302, 403, 404, 200, 404, 200, 404, 404, 200),
    "outreach:card_delete": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "outreach:my_project": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "outreach:catalogue_projects": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue_project": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:support_request": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:support_request_done": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:support_request_book": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:campaign_list": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "outreach:campaign_new": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "outreach:campaign_detail": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "outreach:campaign_edit": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "outreach:campaign_send": (302, 403, 403, 403, 403, 200, 404, 403, 200),
    "outreach:campaign_link": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "outreach:campaign_unsubscribe": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue_event": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue_event_register": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue_event_registered": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "outreach:catalogue_programme": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # privacy: own data for beneficiaries; erasure and retention for the structure's coordinators.
    "privacy:my_data": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "privacy:my_data_json": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "privacy:my_data_pdf": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "privacy:erase": (302, 403, 404, 403, 404, 200, 404, 404, 200),
    "privacy:retention": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "privacy:retention_keep": (302, 404, 404, 404, 404, 302, 404, 404, 302),
    "privacy:privacy": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "privacy:accessibility": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    # audit: the journal for coordinators (of their structure) and superusers.
    "audit:journal": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "audit:journal_export": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    # agenda and booking: a beneficiary books; an appointment is its person's, its mentor's and
    # the programme's coordinators'; others 404; secret links work for their holder.
    "seances:book": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "seances:book_mentor": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "seances:book_slots": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "seances:book_confirm": (302, 302, 302, 403, 403, 403, 403, 403, 403),
    "seances:appointment_detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:appointment_ics": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:appointment_cancel": (302, 302, 404, 302, 404, 302, 404, 404, 302),
    "seances:appointment_reschedule": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:appointment_reschedule_confirm": (302, 302, 404, 302, 404, 302, 404, 404, 302),
    "seances:appointment_status": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "seances:appointment_manage": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "seances:appointment_manage_cancel": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "seances:appointment_manage_reschedule": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "seances:appointment_manage_reschedule_confirm": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "seances:agenda": (302, 403, 403, 200, 200, 302, 302, 403, 302),
    "seances:mentors": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "seances:attendance": (302, 403, 403, 403, 403, 200, 200, 403, 200),
    "seances:availability": (302, 403, 403, 200, 200, 302, 302, 403, 302),
    "seances:availability_create": (302, 403, 403, 200, 200, 302, 302, 403, 302),
    "seances:availability_edit": (302, 403, 403, 200, 404, 200, 404, 403, 200),
    "seances:availability_delete": (302, 403, 403, 302, 404, 302, 404, 403, 302),
    "seances:exception_create": (302, 403, 403, 200, 200, 302, 302, 403, 302),
    "seances:exception_delete": (302, 403, 403, 302, 404, 302, 404, 403, 302),
    "seances:appointment_mark": (302, 403, 403, 302, 404, 302, 404, 403, 302),
    "seances:book_on_behalf": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "seances:group_session_attendance": (302, 403, 403, 302, 302, 302, 404, 404, 302),
    "seances:calendar_settings": (302, 200, 200, 200, 200, 403, 403, 403, 403),
    "seances:calendar_feed": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "seances:seance_from_appointment": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "seances:seance_attendance": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:logbook": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "seances:logbook_entry_create": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "seances:logbook_shared": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "seances:logbook_entry_detail": (302, 200, 404, 200, 404, 404, 404, 404, 404),
    "seances:logbook_entry_edit": (302, 200, 404, 403, 404, 404, 404, 404, 404),
    "seances:logbook_entry_share": (302, 302, 404, 403, 404, 404, 404, 404, 404),
    "seances:logbook_entry_delete": (302, 200, 404, 403, 404, 404, 404, 404, 404),
    # group sessions: the offer's mentors and enrolled people see them; the organiser and the
    # coordinators manage them; another structure and the partner: 404.
    "seances:group_sessions": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "seances:group_session_create": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "seances:group_session_detail": (302, 200, 200, 200, 200, 200, 404, 404, 200),
    "seances:group_session_edit": (302, 403, 403, 200, 200, 200, 404, 404, 200),
    "seances:group_session_cancel": (302, 403, 403, 200, 200, 200, 404, 404, 200),
    "seances:group_session_register": (302, 302, 302, 403, 403, 403, 404, 404, 403),
    "seances:group_session_ics": (302, 200, 200, 200, 200, 200, 404, 404, 200),
    "seances:group_registration_cancel": (302, 302, 404, 302, 302, 302, 404, 404, 302),
    # séances: its mentor(s), its participants (read), the programme's coordinators (read);
    # others 404; a role that sees the séance but may not act: 403.
    "seances:behalf_confirmation": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:seance_list": (302, 200, 200, 200, 200, 200, 200, 403, 200),
    "seances:seance_new": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "seances:seance_from_group_session": (302, 403, 403, 302, 403, 302, 404, 404, 302),
    "seances:seance_detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:seance_participant_add": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:confidential_note_add": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:hotline_update": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:observation_update": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:goal_review": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:tutoring_pairs": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "seances:tutoring_pair_create": (302, 403, 403, 200, 200, 200, 200, 403, 200),
    "seances:tutoring_pair_detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:learning_goal_add": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "seances:tutoring_pair_end": (302, 403, 404, 302, 404, 302, 404, 404, 302),
    "seances:record_start": (302, 403, 404, 302, 404, 403, 404, 404, 403),
    "seances:record_detail": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:record_edit": (302, 404, 404, 200, 404, 403, 404, 404, 403),
    "seances:record_validate": (302, 404, 404, 200, 404, 403, 404, 404, 403),
    "seances:record_correct": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "seances:record_comment": (302, 302, 404, 302, 404, 302, 404, 404, 302),
    "seances:record_pdf": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:action_plan": (302, 200, 200, 200, 200, 200, 200, 403, 200),
    "seances:task_status": (302, 302, 404, 302, 404, 302, 404, 404, 302),
    "seances:codev_facilitate": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "seances:codev_summary": (302, 200, 404, 200, 404, 200, 404, 404, 200),
    "seances:codev_prepare": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "seances:codev_step_next": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "seances:codev_step_notes": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    "seances:codev_action_add": (302, 403, 404, 200, 404, 403, 404, 404, 403),
    # API: anonymous 403; the pages' rules. Writes with an empty body: allowed → 400 (an empty
    # PATCH changes nothing: 200; DELETE: 204), refused → 403, not visible → 404.
    "programme-indicators": (403, 403, 403, 403, 403, 200, 404, 404, 200),
    "catalogue-programme-list": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue-programme-detail": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue-session-list": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "support-request-create": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "campaign-list": (403, 403, 403, 403, 403, 200, 200, 403, 200),
    "campaign-detail": (403, 403, 403, 403, 403, 200, 404, 403, 200),
    "programme-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "programme-detail": (403, 200, 200, 200, 200, 200, 404, 404, 200),
    "offer-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "offer-detail": (403, 200, 200, 200, 200, 200, 404, 404, 200),
    "partner-list": (403, 403, 403, 200, 200, 200, 200, 403, 200),
    "partner-list POST": (403, 403, 403, 403, 403, 400, 400, 403, 400),
    "partner-detail": (403, 403, 403, 200, 200, 200, 200, 403, 200),
    "partner-detail PATCH": (403, 403, 403, 403, 403, 200, 403, 403, 200),
    "beneficiary-list": (403, 403, 403, 200, 200, 200, 200, 403, 200),
    "beneficiary-list POST": (403, 403, 403, 403, 403, 400, 400, 403, 400),
    "beneficiary-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "beneficiary-detail PATCH": (403, 403, 404, 403, 404, 200, 404, 404, 200),
    "diagnostic-list": (403, 403, 403, 200, 200, 200, 200, 403, 200),
    "diagnostic-list POST": (403, 403, 403, 400, 400, 400, 400, 403, 400),
    "diagnostic-detail": (403, 403, 404, 200, 404, 200, 404, 404, 200),
    "enrollment-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "enrollment-list POST": (403, 403, 403, 403, 403, 400, 400, 403, 400),
    "enrollment-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "slots-list": (403, 200, 200, 200, 200, 200, 404, 404, 200),
    "appointment-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    # Finding: the partner structure's staff gets 400 (body validated first); no role to book.
    "appointment-list POST": (403, 400, 400, 400, 400, 400, 400, 403, 400),
    "appointment-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    # A cancels with an empty body (200, rolled back); staff must give a reason (400).
    "appointment-cancel": (403, 200, 404, 400, 404, 400, 404, 404, 400),
    "appointment-reschedule": (403, 400, 404, 400, 404, 400, 404, 404, 400),
    "appointment-status": (403, 403, 404, 400, 404, 400, 404, 404, 400),
    "group-session-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "group-session-detail": (403, 200, 200, 200, 200, 200, 404, 404, 200),
    "group-session-register": (403, 400, 201, 403, 403, 403, 404, 404, 403),
    "registration-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "registration-detail": (403, 200, 404, 200, 200, 200, 404, 404, 200),
    "registration-cancel": (403, 200, 404, 200, 200, 200, 404, 404, 200),
    "seance-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "seance-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "closing-record-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "closing-record-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "closing-record-detail PATCH": (403, 404, 404, 200, 404, 403, 404, 404, 403),
    "closing-record-comments": (403, 400, 404, 400, 404, 403, 404, 404, 403),
    "closing-record-pdf": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "closing-record-validate": (403, 404, 404, 200, 404, 403, 404, 404, 403),
    "task-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "task-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "task-detail PATCH": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "logbook-entry-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "logbook-entry-list POST": (403, 400, 400, 403, 403, 403, 403, 403, 403),
    "logbook-entry-detail": (403, 200, 404, 200, 404, 404, 404, 404, 404),
    "logbook-entry-detail PATCH": (403, 200, 404, 403, 404, 404, 404, 404, 404),
    "logbook-entry-detail DELETE": (403, 204, 404, 403, 404, 404, 404, 404, 404),
    "questionnaire-list": (403, 403, 403, 403, 403, 200, 200, 403, 200),
    "questionnaire-list POST": (403, 403, 403, 403, 403, 400, 400, 403, 400),
    "questionnaire-detail": (403, 403, 403, 403, 403, 200, 404, 403, 200),
    "questionnaire-detail PATCH": (403, 403, 403, 403, 403, 200, 404, 403, 200),
    "questionnaire-detail DELETE": (403, 403, 403, 403, 403, 400, 404, 403, 400),
    "evaluation-response-list": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation-response-list POST": (403, 400, 400, 400, 400, 403, 403, 403, 403),
    "evaluation-response-detail": (403, 200, 404, 200, 404, 200, 404, 404, 200),
    "api-root": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-token": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "api-schema": (403, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-docs": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "set_language": (302, 302, 302, 302, 302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_persona_walk(db, world, key):
    got = tuple(send(world, key, persona, world.a) for persona in PERSONAS)
    expected = EXPECTED[key]
    assert got == expected, f"{key} ({url_of(key, world, world.a)})\n" + format_row(got, expected)


def test_every_url_is_walked_and_no_row_is_stale(world):
    """Each URL name (and each API write method) has a reviewed row; no row names a URL
    that is gone."""
    walked = set(walk_keys(world))
    assert walked - set(EXPECTED) == set(), "URLs without an expected row"
    assert set(EXPECTED) - walked == set(), "rows of URLs that no longer exist"


# "Changing an id never reaches another person's data": A's URLs with B's objects in them.
# Not walked: secret links (the token is the credential), the public catalogue and the
# network's showcase (shared on purpose), group sessions (the offer's, not a person's).
SWAP_EXEMPT = {
    "accounts:password_reset_confirm",
    "diagnostics:questionnaire",
    "evaluation:answer_link",
    "outreach:campaign_link",
    "outreach:campaign_unsubscribe",
    "outreach:support_request_done",
    "outreach:support_request_book",
    "seances:appointment_manage",
    "seances:appointment_manage_cancel",
    "seances:appointment_manage_reschedule",
    "seances:appointment_manage_reschedule_confirm",
    "seances:calendar_feed",
    "outreach:catalogue_project",
    "outreach:catalogue_event",
    "outreach:catalogue_event_register",
    "outreach:catalogue_event_registered",
    "outreach:showcase_card",
    "seances:group_session_detail",
    "seances:group_session_edit",
    "seances:group_session_cancel",
    "seances:group_session_register",
    "seances:group_session_attendance",
    "seances:group_session_ics",
    "seances:seance_from_group_session",
    "group-session-detail",
    "group-session-register",
}
# A mentor of the group offer manages the registrations of its sessions, B's included.
SWAP_ALLOWED = {
    ("seances:group_registration_cancel", "mentor_a"): 302,
    ("registration-detail", "mentor_a"): 200,
    ("registration-cancel", "mentor_a"): 200,
}


def swapped_keys(w):
    """The rows whose URL names an object of A's: it changes when B's objects are named."""
    return [
        key
        for key in sorted(EXPECTED)
        if key.split()[0] not in SWAP_EXEMPT and url_of(key, w, w.a) != url_of(key, w, w.b)
    ]


@pytest.mark.parametrize("persona", ["beneficiary_a", "mentor_a"])
def test_changing_an_id_never_reaches_b(db, world, persona):
    index = PERSONAS.index(persona)
    wrong = []
    keys = swapped_keys(world)
    assert len(keys) > 60
    for key in keys:
        got = send(world, key, persona, world.b)
        allowed = SWAP_ALLOWED.get((key, persona))
        if allowed is not None:
            ok = got == allowed
        elif EXPECTED[key][index] == 403:
            ok = got in {403, 404}  # the role is refused before any lookup: nothing revealed
        else:
            ok = got == 404
        if not ok:
            wrong.append(f"{key} ({url_of(key, world, world.b)}): got {got}")
    assert wrong == [], f"{persona} on B's objects:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("persona", "sees_note"),
    [("mentor_a", True), ("other_mentor", False), ("coordinator", False), ("superuser", False)],
)
def test_confidential_note_stays_between_mentor_and_beneficiary(db, world, persona, sees_note):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]

    response = client.get(reverse("seances:seance_detail", args=[world.a.seance.public_id]))

    assert response.status_code == (200 if persona != "other_mentor" else 404)
    assert ("A: note confidentielle" in response.content.decode()) is sees_note
