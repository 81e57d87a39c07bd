"""Every page of the coordinators' and mentors' work passes axe-core, on the demo data."""

from django.urls import reverse

from accounts.models import Organization
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.models import NeedsDiagnostic
from partners.models import Referral
from programmes.models import Programme, Theme
from seances.models import GroupSession
from tests.e2e.conftest import assert_accessible, log_in


def coordinator_pages() -> list[str]:
    programme = Programme.objects.get(title="Fabrique des initiatives citoyennes 2026-2027")
    offer = programme.offers.order_by("pk").first()
    actor = Beneficiary.objects.get(name="Asso Les Jardins du Lavoir")
    diagnostic = NeedsDiagnostic.objects.filter(beneficiary__organization=programme.organization)
    diagnostic = diagnostic.order_by("pk").first()
    partner = Organization.objects.partners().filter(steward=programme.organization).first()
    referral = Referral.objects.filter(referring_organization=programme.organization).first()
    theme = Theme.objects.filter(organization=programme.organization).order_by("pk").first()
    session = GroupSession.objects.filter(offer__programme=programme).order_by("starts_at")[0]
    enrolled = Enrollment.objects.filter(
        offer__programme=programme, offer__mode="individual", status="active"
    ).first()
    p, a = programme.public_id, actor.public_id
    return [
        reverse("programmes:list"),
        reverse("programmes:create"),
        reverse("programmes:edit", args=[p]),
        reverse("programmes:duplicate", args=[p]),
        reverse("programmes:offer_create", args=[p]),
        reverse("programmes:offer_edit", args=[p, offer.public_id]),
        reverse("programmes:themes"),
        reverse("programmes:theme_create"),
        reverse("programmes:theme_edit", args=[theme.pk]),
        reverse("beneficiaires:board"),
        reverse("beneficiaires:create"),
        reverse("beneficiaires:edit", args=[a]),
        reverse("beneficiaires:merge", args=[a]),
        reverse("diagnostics:detail", args=[diagnostic.public_id]),
        reverse("diagnostics:edit", args=[diagnostic.public_id]),
        reverse("partners:list"),
        reverse("partners:create"),
        reverse("partners:detail", args=[partner.public_id]),
        reverse("partners:edit", args=[partner.public_id]),
        reverse("partners:referrals"),
        reverse("partners:referral_create", args=[a]),
        reverse("partners:referral_update", args=[referral.public_id]),
        reverse("seances:mentors"),
        reverse("seances:attendance"),
        reverse("seances:book_on_behalf") + f"?beneficiary={enrolled.beneficiary.public_id}",
        reverse("seances:group_sessions"),
        reverse("seances:group_session_create"),
        reverse("seances:group_session_detail", args=[session.public_id]),
        reverse("seances:group_session_edit", args=[session.public_id]),
        reverse("seances:group_session_cancel", args=[session.public_id]),
    ]


def test_coordinator_pages_pass_axe(page, demo):
    log_in(page, demo, "coordinatrice@example.org")
    for path in coordinator_pages():
        response = page.goto(f"{demo.url}{path}")
        assert response.status == 200, path
        assert_accessible(page)


def test_mentor_pages_pass_axe(page, demo):
    log_in(page, demo, "accompagnant@example.org")
    for name in (
        "beneficiaires:list",
        "partners:list",
        "programmes:list",
        "seances:agenda",
        "seances:availability",
        "seances:availability_create",
        "seances:exception_create",
        "seances:calendar_settings",
        "seances:group_sessions",
    ):
        path = reverse(name)
        response = page.goto(f"{demo.url}{path}")
        assert response.status == 200, path
        assert_accessible(page)
    page.locator("main tbody a").first.click()
    assert_accessible(page)


def test_beneficiary_pages_pass_axe(page, demo):
    log_in(page, demo, "beneficiaire@example.org")
    for name in ("seances:book", "seances:calendar_settings", "seances:group_sessions"):
        response = page.goto(f"{demo.url}{reverse(name)}")
        assert response.status == 200, name
        assert_accessible(page)
    page.locator("main a[href*='/sessions-collectives/']").first.click()
    assert_accessible(page)


def seance_pages(email: str) -> list[str]:
    """Issue 5's pages as each person reaches them, on the demo's séances."""
    from seances.models import ClosingRecord, LogbookEntry, Seance, TutoringPair

    paths = [reverse("seances:seance_list"), reverse("seances:action_plan")]
    if email == "beneficiaire@example.org":
        record = ClosingRecord.objects.filter(
            beneficiary__user__email=email, status="validated"
        ).first()
        entry = LogbookEntry.objects.filter(author__email=email).first()
        codev = Seance.objects.get(kind="codevelopment")
        return [
            *paths,
            reverse("seances:record_detail", args=[record.public_id]),
            reverse("seances:logbook"),
            reverse("seances:logbook_entry_create"),
            reverse("seances:logbook_entry_detail", args=[entry.public_id]),
            reverse("seances:logbook_entry_edit", args=[entry.public_id]),
            reverse("seances:codev_summary", args=[codev.public_id]),
            reverse("seances:seance_detail", args=[codev.public_id]),
        ]
    seances = Seance.objects.all()
    if email == "accompagnant@example.org":
        seances = seances.filter(mentor__email=email)
        draft = ClosingRecord.objects.filter(seance__mentor__email=email, status="draft").first()
        validated = ClosingRecord.objects.filter(
            seance__mentor__email=email, status="validated"
        ).first()
        paths += [
            reverse("seances:seance_new"),
            reverse("seances:logbook_shared"),
            reverse("seances:record_correct", args=[validated.public_id]),
        ]
        if draft is not None:
            paths.append(reverse("seances:record_edit", args=[draft.public_id]))
    paths.append(reverse("seances:tutoring_pairs"))
    if email == "coordinatrice@example.org":
        pair = TutoringPair.objects.first()
        paths.append(reverse("seances:tutoring_pair_detail", args=[pair.public_id]))
    for kind in (
        "individual",
        "group",
        "codevelopment",
        "hotline",
        "practice_analysis",
        "tutoring",
    ):
        seance = seances.filter(kind=kind).first()
        if seance is not None:
            paths.append(reverse("seances:seance_detail", args=[seance.public_id]))
    return paths


def test_seance_pages_pass_axe(page, demo):
    for email in (
        "accompagnant@example.org",
        "coordinatrice@example.org",
        "beneficiaire@example.org",
    ):
        page.context.clear_cookies()
        log_in(page, demo, email)
        for path in seance_pages(email):
            response = page.goto(f"{demo.url}{path}")
            assert response.status == 200, (email, path)
            assert_accessible(page)


def evaluation_pages(email: str) -> list[str]:
    """Issue 7's pages as each person reaches them, on the demo's questionnaires and answers."""
    from evaluation.models import Invitation, Questionnaire, Response

    programme = Programme.objects.get(title="Fabrique des initiatives citoyennes 2026-2027")
    if email == "beneficiaire@example.org":
        invitation = Invitation.objects.get(beneficiary__user__email=email)
        return [
            reverse("evaluation:my_questionnaires"),
            reverse("evaluation:my_answer", args=[invitation.public_id]),
            reverse("evaluation:beneficiary_follow_up", args=[invitation.beneficiary.public_id]),
        ]
    response = Response.objects.filter(programme=programme, entry_mode="link").first()
    if email == "accompagnant@example.org":
        followed = Enrollment.objects.filter(
            offer__programme=programme, referent_mentor__email=email, status="active"
        ).first()
        assessment = Questionnaire.objects.get(programme=programme, purpose="mentor_assessment")
        satisfaction = Questionnaire.objects.get(programme=programme, purpose="satisfaction")
        b = followed.beneficiary.public_id
        return [
            reverse("evaluation:entry_choose", args=[b]),
            reverse("evaluation:entry_on_behalf", args=[b, satisfaction.public_id]),
            reverse("evaluation:entry_assessment", args=[b, assessment.public_id]),
            reverse("evaluation:beneficiary_follow_up", args=[b]),
        ]
    default = Questionnaire.objects.get(default_key="progress")
    own = Questionnaire.objects.get(programme=programme, purpose="satisfaction")
    return [
        reverse("evaluation:questionnaire_list"),
        reverse("evaluation:questionnaire_new"),
        reverse("evaluation:questionnaire_detail", args=[default.public_id]),
        reverse("evaluation:questionnaire_copy", args=[default.public_id]),
        reverse("evaluation:questionnaire_edit", args=[own.public_id]),
        reverse("evaluation:question_new", args=[own.public_id]),
        reverse("evaluation:invitation_send", args=[own.public_id]),
        reverse("evaluation:invitation_list", args=[own.public_id]),
        reverse("evaluation:programme_dashboard", args=[programme.public_id]),
        reverse("evaluation:beneficiary_follow_up", args=[response.beneficiary.public_id]),
        reverse("evaluation:response_detail", args=[response.public_id]),
    ]


def test_evaluation_pages_pass_axe(browser, demo):
    for email, width in (
        ("coordinatrice@example.org", 1280),
        ("accompagnant@example.org", 1280),
        ("beneficiaire@example.org", 390),
    ):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        page = context.new_page()
        log_in(page, demo, email)
        for path in evaluation_pages(email):
            response = page.goto(f"{demo.url}{path}")
            assert response.status == 200, (email, path)
            assert_accessible(page)
        context.close()
