import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from accounts.enums import Role
from beneficiaires.enums import OutreachStage, Priority
from beneficiaires.models import Enrollment
from diagnostics.enums import DiagnosticStatus, NeedSource
from diagnostics.models import DiagnosticInvitation, NeedsDiagnostic, hash_token
from tests.diagnostics.conftest import NeedFactory, NeedsDiagnosticFactory, make_invitation
from tests.factories import MembershipFactory, OfferFactory, ProgrammeFactory


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# --- create, edit, complete --------------------------------------------------------------------


@pytest.mark.django_db
def test_create_form_defaults_to_today_and_the_user(client, mentor, beneficiary, themes):
    client.force_login(mentor)
    response = client.get(reverse("diagnostics:create", args=[beneficiary.public_id]))
    form = response.context["form"]
    assert form["conducted_by"].value() == mentor.pk
    assert form["held_on"].value() is not None
    assert [row.theme for row in response.context["needs_form"].rows] == sorted(
        themes, key=lambda t: t.name
    )


@pytest.mark.django_db
def test_mentor_records_a_diagnostic_with_needs(client, mentor, beneficiary, themes):
    client.force_login(mentor)
    data = {
        "method": "workshop",
        "held_on": "2026-11-03",
        "conducted_by": mentor.pk,
        "expectations": "Mieux nous organiser",
        "notes": "",
        f"theme_{themes[0].pk}_selected": "on",
        f"theme_{themes[0].pk}_priority": Priority.HIGH,
        f"theme_{themes[0].pk}_description": "Le bureau s'essouffle",
        f"theme_{themes[1].pk}_description": "Not ticked: not a need for the team",
    }

    response = client.post(reverse("diagnostics:create", args=[beneficiary.public_id]), data)

    diagnostic = NeedsDiagnostic.objects.get(beneficiary=beneficiary)
    assert response.status_code == 302
    assert response.url == reverse("diagnostics:detail", args=[diagnostic.public_id])
    assert diagnostic.held_on == datetime.date(2026, 11, 3)
    assert diagnostic.conducted_by == mentor
    need = diagnostic.needs.get()
    assert (need.theme, need.priority, need.description) == (
        themes[0],
        Priority.HIGH,
        "Le bureau s'essouffle",
    )


@pytest.mark.django_db
def test_someone_outside_the_team_cannot_be_named_as_conductor(
    client, coordinator, beneficiary, other_organization_coordinator
):
    client.force_login(coordinator)
    response = client.post(
        reverse("diagnostics:create", args=[beneficiary.public_id]),
        {
            "method": "survey",
            "held_on": "2026-11-03",
            "conducted_by": other_organization_coordinator.pk,
        },
    )
    assert response.status_code == 200
    assert "conducted_by" in response.context["form"].errors
    assert not NeedsDiagnostic.objects.exists()


@pytest.mark.django_db
def test_edit_unticks_a_need(client, coordinator, diagnostic, themes):
    NeedFactory(diagnostic=diagnostic, theme=themes[0])
    NeedFactory(diagnostic=diagnostic, theme=themes[1])
    client.force_login(coordinator)
    data = {
        "method": diagnostic.method,
        "held_on": "2026-10-01",
        "conducted_by": coordinator.pk,
        "expectations": diagnostic.expectations,
        "notes": "Revoir en janvier",
        f"theme_{themes[1].pk}_selected": "on",
        f"theme_{themes[1].pk}_priority": Priority.LOW,
        f"theme_{themes[1].pk}_description": "Budget",
    }

    response = client.post(reverse("diagnostics:edit", args=[diagnostic.public_id]), data)

    assert response.status_code == 302
    assert [(n.theme, n.priority) for n in diagnostic.needs.all()] == [(themes[1], Priority.LOW)]
    diagnostic.refresh_from_db()
    assert diagnostic.notes == "Revoir en janvier"


@pytest.mark.django_db
def test_completing_from_the_page_moves_the_stage(client, coordinator, diagnostic):
    client.force_login(coordinator)
    response = client.post(reverse("diagnostics:complete", args=[diagnostic.public_id]))
    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    diagnostic.beneficiary.refresh_from_db()
    assert diagnostic.beneficiary.stage == OutreachStage.DIAGNOSED

    again = client.post(reverse("diagnostics:complete", args=[diagnostic.public_id]))
    assert again.status_code == 302
    assert messages_of(again)[-1][0] == "error"


# --- invitation --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_link_is_shown_once(
    client, coordinator, diagnostic, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("diagnostics:invite", args=[diagnostic.public_id]), {"email": ""}
        )

    assert response.status_code == 200
    link = response.context["link"]
    raw_token = link.rstrip("/").rsplit("/", 1)[1]
    assert link in response.content.decode()
    invitation = DiagnosticInvitation.objects.get()
    assert invitation.token_hash == hash_token(raw_token)
    detail = client.get(reverse("diagnostics:detail", args=[diagnostic.public_id]))
    assert raw_token not in detail.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_invalid_email_is_reported(client, coordinator, diagnostic):
    client.force_login(coordinator)
    response = client.post(
        reverse("diagnostics:invite", args=[diagnostic.public_id]), {"email": "pas-une-adresse"}
    )
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert not DiagnosticInvitation.objects.exists()


# --- questionnaire -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_questionnaire_shows_the_structure_and_the_active_themes(client, diagnostic, themes):
    themes[2].is_active = False
    themes[2].save()
    make_invitation(diagnostic, token="jeton")

    response = client.get(reverse("diagnostics:questionnaire", args=["jeton"]))

    content = response.content.decode()
    assert diagnostic.beneficiary.organization.name in content
    assert themes[0].name in content
    assert themes[2].name not in content
    assert diagnostic.notes not in content or not diagnostic.notes


@pytest.mark.django_db
def test_beneficiary_answers_alone_then_the_link_is_used(client, diagnostic, themes):
    make_invitation(diagnostic, token="jeton")
    url = reverse("diagnostics:questionnaire", args=["jeton"])
    data = {
        # Words without the checkbox still count as a need.
        f"theme_{themes[1].pk}_priority": Priority.HIGH,
        f"theme_{themes[1].pk}_description": "Trouver des subventions",
        f"theme_{themes[2].pk}_selected": "on",
        f"theme_{themes[2].pk}_priority": Priority.LOW,
        f"theme_{themes[0].pk}_priority": Priority.MEDIUM,
        "expectations": "Ne plus être seuls",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    needs = {n.theme: n for n in diagnostic.needs.all()}
    assert set(needs) == {themes[1], themes[2]}
    assert needs[themes[1]].source == NeedSource.BENEFICIARY
    assert needs[themes[1]].priority == Priority.HIGH
    diagnostic.refresh_from_db()
    assert diagnostic.expectations.endswith("Ne plus être seuls")
    assert client.get(url).status_code == 410
    assert client.post(url, data).status_code == 410
    assert diagnostic.needs.count() == 2


@pytest.mark.django_db
def test_a_tampered_answer_is_a_form_error_not_a_500(client, diagnostic, themes):
    make_invitation(diagnostic, token="jeton")
    url = reverse("diagnostics:questionnaire", args=["jeton"])
    response = client.post(
        url, {f"theme_{themes[0].pk}_selected": "on", f"theme_{themes[0].pk}_priority": "99"}
    )
    assert response.status_code == 200
    assert response.context["needs_form"].errors
    assert DiagnosticInvitation.objects.get().answered_at is None


# --- detail and recommendations ---------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_recommendations_and_suggested_mentors(
    client, coordinator, diagnostic, themes, programme, mentor, other_mentor
):
    NeedFactory(diagnostic=diagnostic, theme=themes[0], priority=Priority.HIGH)
    recommended = OfferFactory(programme=programme, title="Coaching gouvernance")
    recommended.themes.add(themes[0])
    recommended.mentors.add(other_mentor)
    unrelated = OfferFactory(programme=programme, title="Atelier sans rapport")
    unrelated.themes.add(themes[1])
    client.force_login(coordinator)

    response = client.get(reverse("diagnostics:detail", args=[diagnostic.public_id]))

    [recommendation] = response.context["recommendations"]
    assert recommendation.offer == recommended
    assert [s.mentor for s in recommendation.suggestions] == [other_mentor]
    content = response.content.decode()
    assert reverse("diagnostics:enroll", args=[diagnostic.public_id]) in content
    assert f'value="{other_mentor.public_id}"' in content


@pytest.mark.django_db
def test_mentor_sees_recommendations_without_the_enroll_form(
    client, mentor, diagnostic, themes, programme
):
    NeedFactory(diagnostic=diagnostic, theme=themes[0])
    OfferFactory(programme=programme).themes.add(themes[0])
    client.force_login(mentor)

    response = client.get(reverse("diagnostics:detail", args=[diagnostic.public_id]))

    assert len(response.context["recommendations"]) == 1
    assert reverse("diagnostics:enroll", args=[diagnostic.public_id]) not in (
        response.content.decode()
    )


# --- enroll ------------------------------------------------------------------------------------


@pytest.fixture
def new_offer(programme, mentor, other_mentor, themes):
    offer = OfferFactory(programme=programme, title="Accompagnement gouvernance")
    offer.themes.add(themes[0])
    offer.mentors.add(mentor, other_mentor)
    return offer


@pytest.mark.django_db
def test_enroll_with_the_chosen_mentor(client, coordinator, diagnostic, new_offer, other_mentor):
    client.force_login(coordinator)

    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": new_offer.public_id, "mentor": other_mentor.public_id},
    )

    beneficiary = diagnostic.beneficiary
    assert response.status_code == 302
    assert response.url == reverse("beneficiaires:detail", args=[beneficiary.public_id])
    enrollment = Enrollment.objects.get(beneficiary=beneficiary, offer=new_offer)
    assert enrollment.referent_mentor == other_mentor
    assert enrollment.created_by == coordinator
    beneficiary.refresh_from_db()
    assert beneficiary.stage == OutreachStage.ENROLLED
    assert [level for level, _ in messages_of(response)] == ["success"]


@pytest.mark.django_db
def test_enrolling_twice_shows_the_error(client, coordinator, diagnostic, offer, mentor):
    client.force_login(coordinator)

    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": offer.public_id, "mentor": mentor.public_id},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "diagnostics:detail", args=[diagnostic.public_id]
    )
    assert gettext("This beneficiary is already enrolled in this offer.") in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert Enrollment.objects.filter(beneficiary=diagnostic.beneficiary, offer=offer).count() == 1


@pytest.mark.django_db
def test_a_closed_programme_shows_the_error(client, coordinator, diagnostic, new_offer):
    new_offer.programme.status = "closed"
    new_offer.programme.save()
    client.force_login(coordinator)

    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]), {"offer": new_offer.public_id}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", gettext("This programme is closed: no new enrollment is possible."))
    ]


@pytest.mark.django_db
def test_a_mentor_who_was_not_suggested_is_refused(
    client, coordinator, diagnostic, new_offer, organization
):
    outsider = MembershipFactory(organization=organization, role=Role.COORDINATOR).user
    client.force_login(coordinator)

    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": new_offer.public_id, "mentor": outsider.public_id},
    )

    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert not Enrollment.objects.filter(offer=new_offer).exists()


@pytest.mark.django_db
def test_mentor_gets_403_on_enroll(client, mentor, diagnostic, new_offer):
    client.force_login(mentor)
    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": new_offer.public_id, "mentor": mentor.public_id},
    )
    assert response.status_code == 403
    assert not Enrollment.objects.filter(offer=new_offer).exists()


@pytest.mark.django_db
def test_other_organisation_gets_404_on_enroll(
    client, other_organization_coordinator, diagnostic, other_organization
):
    foreign_offer = OfferFactory(programme=ProgrammeFactory(organization=other_organization))
    client.force_login(other_organization_coordinator)
    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": foreign_offer.public_id},
    )
    assert response.status_code == 404
    assert not Enrollment.objects.filter(offer=foreign_offer).exists()


@pytest.mark.django_db
def test_an_offer_of_another_organisation_is_404(
    client, coordinator, diagnostic, other_organization
):
    foreign_offer = OfferFactory(programme=ProgrammeFactory(organization=other_organization))
    client.force_login(coordinator)
    response = client.post(
        reverse("diagnostics:enroll", args=[diagnostic.public_id]),
        {"offer": foreign_offer.public_id},
    )
    assert response.status_code == 404


# --- the section on the beneficiary's page ----------------------------------------------------

SECTION = Template("{% load diagnostics_tags %}{% beneficiary_diagnostics beneficiary %}")


def render_section(user, beneficiary):
    request = RequestFactory().get("/")
    request.user = user
    return SECTION.render(Context({"request": request, "beneficiary": beneficiary}))


@pytest.mark.django_db
def test_section_lists_diagnostics_with_links_for_the_team(coordinator, diagnostic, themes):
    NeedFactory(diagnostic=diagnostic, theme=themes[0])
    NeedFactory(diagnostic=diagnostic, theme=themes[1])

    html = render_section(coordinator, diagnostic.beneficiary)

    assert reverse("diagnostics:detail", args=[diagnostic.public_id]) in html
    assert reverse("diagnostics:create", args=[diagnostic.beneficiary.public_id]) in html
    assert '<td class="text-end">2</td>' in html


@pytest.mark.django_db
def test_section_for_the_beneficiary_has_no_links(beneficiary, diagnostic):
    html = render_section(beneficiary.user, beneficiary)

    assert reverse("diagnostics:detail", args=[diagnostic.public_id]) not in html
    assert reverse("diagnostics:create", args=[beneficiary.public_id]) not in html
    assert diagnostic.get_method_display() in html


@pytest.mark.django_db
def test_section_query_count_is_constant(coordinator, beneficiary, themes):
    def count():
        render_section(coordinator, beneficiary)  # warm the per-user role cache
        with CaptureQueriesContext(connection) as context:
            render_section(coordinator, beneficiary)
        return len(context.captured_queries)

    NeedFactory(diagnostic=NeedsDiagnosticFactory(beneficiary=beneficiary), theme=themes[0])
    few = count()
    for _ in range(29):
        diagnostic = NeedsDiagnosticFactory(beneficiary=beneficiary)
        for theme in themes:
            NeedFactory(diagnostic=diagnostic, theme=theme)
    assert count() == few <= 2


@pytest.mark.django_db
def test_questionnaire_without_themes_asks_only_the_expectations(client, diagnostic):
    make_invitation(diagnostic, token="jeton")
    url = reverse("diagnostics:questionnaire", args=["jeton"])

    page = client.get(url)
    response = client.post(url, {"expectations": "Rencontrer d'autres collectifs"})

    assert 'name="expectations"' in page.content.decode()
    assert "need-row" not in page.content.decode()
    assert response.status_code == 200
    diagnostic.refresh_from_db()
    assert diagnostic.expectations.endswith("Rencontrer d'autres collectifs")
