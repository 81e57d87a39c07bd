"""The pages: answering by the link, from the beneficiary's space, entered by the mentor;
sending by the coordinator; reading a response."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from evaluation.enums import EntryMode, Phase, Purpose
from evaluation.models import Invitation, Response
from evaluation.services.responses import response_submit
from tests.evaluation.factories import QuestionnaireFactory
from tests.evaluation.factories_answers import (
    OPTIONS,
    diagnose,
    full_questionnaire,
    invite,
    per_need_questionnaire,
    valid_answers,
)
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory


def form_data(questions) -> dict:
    return {
        f"q{questions['scale'].pk}": "4",
        f"q{questions['nps'].pk}": "10",
        f"q{questions['yes_no'].pk}": "no",
        f"q{questions['single'].pk}": OPTIONS[1],
        f"q{questions['multiple'].pk}": [OPTIONS[0], OPTIONS[1]],
        f"q{questions['text'].pk}": "Les ateliers du jeudi.",
    }


def page(response) -> str:
    content = response.content.decode()
    assert "INVALID_VARIABLE" not in content
    return content


@pytest.fixture
def full(programme):
    return full_questionnaire(
        programme, title="Votre avis", introduction="Merci de prendre deux minutes."
    )


# (a) The link


def test_link_page_shows_the_programme_introduction_and_fieldsets(client, full, beneficiary):
    questionnaire, questions = full
    _invitation, token = invite(questionnaire, beneficiary)
    response = client.get(reverse("evaluation:answer_link", args=[token]))
    content = page(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert escape(questionnaire.programme.title) in content
    assert "Merci de prendre deux minutes." in content
    assert "<fieldset" in content
    assert f'<legend class="h6">\n          {questions["scale"].label}' in content
    # Eleven radio buttons for the recommendation, 0 to 10.
    assert content.count(f'name="q{questions["nps"].pk}"') == 11


def test_link_answer_is_recorded_then_the_link_is_used(client, full, beneficiary):
    questionnaire, questions = full
    invitation, token = invite(questionnaire, beneficiary)
    url = reverse("evaluation:answer_link", args=[token])
    response = client.post(url, form_data(questions))
    assert response.status_code == 200
    page(response)
    saved = Response.objects.get()
    assert saved.entry_mode == EntryMode.LINK
    assert saved.invitation == invitation
    assert saved.answers.get(question=questions["yes_no"]).value_number == 0
    assert saved.answers.get(question=questions["multiple"]).value_choices == OPTIONS[:2]

    assert client.get(url).status_code == 410
    assert client.post(url, form_data(questions)).status_code == 410
    assert Response.objects.count() == 1


def test_link_with_missing_answers_shows_the_errors(client, full, beneficiary):
    questionnaire, questions = full
    invitation, token = invite(questionnaire, beneficiary)
    data = form_data(questions)
    del data[f"q{questions['scale'].pk}"]
    data[f"q{questions['nps'].pk}"] = "11"
    response = client.post(reverse("evaluation:answer_link", args=[token]), data)
    assert response.status_code == 200
    page(response)
    form = response.context["form"]
    assert set(form.errors) == {f"q{questions['scale'].pk}", f"q{questions['nps'].pk}"}
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_per_need_question_is_asked_for_each_theme(client, programme, beneficiary, themes):
    questionnaire, question = per_need_questionnaire(programme)
    diagnose(beneficiary, themes[:2])
    _invitation, token = invite(questionnaire, beneficiary, phase=Phase.START)
    url = reverse("evaluation:answer_link", args=[token])
    content = page(client.get(url))
    assert f"{question.label} — {themes[0].name}" in content
    assert f"{question.label} — {themes[1].name}" in content
    assert themes[2].name not in content

    data = {f"q{question.pk}_t{themes[0].pk}": "2", f"q{question.pk}_t{themes[1].pk}": "3"}
    assert client.post(url, data).status_code == 200
    response = Response.objects.get()
    assert response.phase == Phase.START
    assert response.answers.count() == 2


# (b) The beneficiary's space


def test_my_questionnaires_lists_pending_and_answered(client, full, beneficiary, programme):
    questionnaire, _questions = full
    pending, _token = invite(questionnaire, beneficiary)
    invite(QuestionnaireFactory(programme=programme, title="Périmé"), beneficiary, expired=True)
    other, _token = invite(QuestionnaireFactory(programme=programme, title="Déjà"), beneficiary)
    response_submit(
        questionnaire=other.questionnaire,
        beneficiary=beneficiary,
        answers={},
        entry_mode=EntryMode.LINK,
        invitation=other,
    )
    client.force_login(beneficiary.user)
    response = client.get(reverse("evaluation:my_questionnaires"))
    content = page(response)
    assert "no-store" in response["Cache-Control"]
    assert reverse("evaluation:my_answer", args=[pending.public_id]) in content
    assert "Périmé" not in content
    assert reverse("evaluation:response_detail", args=[other.response.public_id]) in content


def test_beneficiary_answers_while_logged_in(client, full, beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary)
    client.force_login(beneficiary.user)
    url = reverse("evaluation:my_answer", args=[invitation.public_id])
    page(client.get(url))
    response = client.post(url, form_data(questions))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:my_questionnaires")
    saved = Response.objects.get()
    assert saved.entry_mode == EntryMode.ACCOUNT
    assert client.get(url).status_code == 410


# (c) and (d) The mentor


def test_mentor_enters_answers_on_behalf(client, full, beneficiary, mentor):
    questionnaire, questions = full
    client.force_login(mentor)
    content = page(client.get(reverse("evaluation:entry_choose", args=[beneficiary.public_id])))
    url = reverse(
        "evaluation:entry_on_behalf", args=[beneficiary.public_id, questionnaire.public_id]
    )
    assert url in content
    page(client.get(url))
    response = client.post(url, form_data(questions))
    saved = Response.objects.get()
    assert response["Location"] == reverse("evaluation:response_detail", args=[saved.public_id])
    assert saved.entry_mode == EntryMode.ON_BEHALF
    assert saved.entered_by == mentor
    assert saved.invitation is None
    detail = page(client.get(response["Location"]))
    assert escape(str(mentor)) in detail
    assert "Les ateliers du jeudi." in detail


def test_mentor_enters_phone_answers_against_the_pending_link(
    client, programme, beneficiary, mentor, themes
):
    questionnaire, question = per_need_questionnaire(programme)
    diagnose(beneficiary, themes[:1])
    invitation, token = invite(questionnaire, beneficiary, phase=Phase.MIDWAY)
    client.force_login(mentor)
    choose = page(client.get(reverse("evaluation:entry_choose", args=[beneficiary.public_id])))
    url = reverse(
        "evaluation:entry_on_behalf", args=[beneficiary.public_id, questionnaire.public_id]
    )
    link = f"{url}?invitation={invitation.public_id}"
    assert link in choose
    assert "phase" not in client.get(link).context["form"].fields  # the link carries it
    client.post(link, {f"q{question.pk}_t{themes[0].pk}": "3"})
    saved = Response.objects.get()
    assert saved.invitation == invitation
    assert saved.phase == Phase.MIDWAY
    assert saved.entry_mode == EntryMode.ON_BEHALF
    assert client.get(link).status_code == 404
    client.logout()
    assert client.get(reverse("evaluation:answer_link", args=[token])).status_code == 410


def test_mentor_cannot_enter_against_another_persons_link(
    client, full, beneficiary, other_beneficiary, mentor
):
    questionnaire, _questions = full
    theirs, _token = invite(questionnaire, other_beneficiary)
    client.force_login(mentor)
    url = reverse(
        "evaluation:entry_on_behalf", args=[beneficiary.public_id, questionnaire.public_id]
    )
    assert client.get(f"{url}?invitation={theirs.public_id}").status_code == 404


def test_mentor_assessment_with_its_phase(client, programme, beneficiary, mentor, themes):
    questionnaire, question = per_need_questionnaire(programme, purpose=Purpose.MENTOR_ASSESSMENT)
    diagnose(beneficiary, themes[:1])
    client.force_login(mentor)
    url = reverse(
        "evaluation:entry_assessment", args=[beneficiary.public_id, questionnaire.public_id]
    )
    response = client.post(url, {f"q{question.pk}_t{themes[0].pk}": "4"})
    assert response.status_code == 200  # the phase is asked
    assert "phase" in response.context["form"].errors
    client.post(url, {f"q{question.pk}_t{themes[0].pk}": "4", "phase": Phase.MIDWAY})
    saved = Response.objects.get()
    assert saved.entry_mode == EntryMode.MENTOR
    assert saved.phase == Phase.MIDWAY
    assert saved.mentor == mentor


def test_assessment_is_not_entered_as_on_behalf_and_back(
    client, full, programme, beneficiary, mentor
):
    questionnaire, _questions = full
    assessment = QuestionnaireFactory(programme=programme, purpose=Purpose.MENTOR_ASSESSMENT)
    client.force_login(mentor)
    person = beneficiary.public_id
    wrong = [
        reverse("evaluation:entry_on_behalf", args=[person, assessment.public_id]),
        reverse("evaluation:entry_assessment", args=[person, questionnaire.public_id]),
    ]
    for url in wrong:
        assert client.get(url).status_code == 404


def test_inactive_questionnaire_is_not_offered_to_the_mentor(
    client, programme, beneficiary, mentor
):
    inactive = QuestionnaireFactory(programme=programme, is_active=False)
    client.force_login(mentor)
    url = reverse("evaluation:entry_on_behalf", args=[beneficiary.public_id, inactive.public_id])
    assert client.get(url).status_code == 404


# (e) The coordinator


def test_coordinator_sends_to_the_people_ticked(
    client, full, beneficiary, other_beneficiary, coordinator
):
    questionnaire, _questions = full
    client.force_login(coordinator)
    url = reverse("evaluation:invitation_send", args=[questionnaire.public_id])
    content = page(client.get(url))
    assert escape(beneficiary.name) in content
    assert escape(other_beneficiary.name) in content
    response = client.post(url, {"beneficiaires": [str(beneficiary.public_id)]})
    assert response["Location"] == reverse(
        "evaluation:invitation_list", args=[questionnaire.public_id]
    )
    invitation = Invitation.objects.get()
    assert invitation.beneficiary == beneficiary
    assert invitation.created_by == coordinator
    listing = page(client.get(response["Location"]))
    assert escape(beneficiary.name) in listing


def test_send_page_filters_by_offer(
    client, full, programme, organization, beneficiary, coordinator
):
    questionnaire, _questions = full
    other_offer = OfferFactory(programme=programme)
    elsewhere = BeneficiaryFactory(organization=organization, name="Zoé Filtrée")
    EnrollmentFactory(beneficiary=elsewhere, offer=other_offer)
    client.force_login(coordinator)
    url = reverse("evaluation:invitation_send", args=[questionnaire.public_id])
    content = page(client.get(url, {"offre": str(other_offer.public_id)}))
    assert "Zoé Filtrée" in content
    assert escape(beneficiary.name) not in content


def test_progress_questionnaire_needs_a_phase(client, programme, beneficiary, coordinator):
    questionnaire = QuestionnaireFactory(programme=programme, purpose=Purpose.PROGRESS)
    client.force_login(coordinator)
    url = reverse("evaluation:invitation_send", args=[questionnaire.public_id])
    data = {"beneficiaires": [str(beneficiary.public_id)]}
    assert client.post(url, data).status_code == 200
    assert not Invitation.objects.exists()
    client.post(url, data | {"phase": Phase.START})
    assert Invitation.objects.get().phase == Phase.START


def test_invitation_list_shows_each_status(client, full, programme, organization, coordinator):
    questionnaire, _questions = full
    people = [BeneficiaryFactory(organization=organization) for _ in range(3)]
    invite(questionnaire, people[0])
    invite(questionnaire, people[1], expired=True)
    answered, _token = invite(questionnaire, people[2])
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:invitation_list", args=[questionnaire.public_id]))
    page(response)
    statuses = {i.beneficiary_id: i.status for i in response.context["invitations"]}
    assert statuses == {people[0].pk: "sent", people[1].pk: "expired", people[2].pk: "sent"}
    Invitation.objects.filter(pk=answered.pk).update(answered_at=answered.created_at)
    response = client.get(reverse("evaluation:invitation_list", args=[questionnaire.public_id]))
    assert {i.status for i in response.context["invitations"]} == {"sent", "expired", "answered"}


# Query counts: the same with 1 row and with 30


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_invitation_list_and_send_page_queries_do_not_grow(
    client, full, organization, offer, coordinator
):
    questionnaire, questions = full
    client.force_login(coordinator)
    urls = [
        reverse("evaluation:invitation_list", args=[questionnaire.public_id]),
        reverse("evaluation:invitation_send", args=[questionnaire.public_id]),
    ]

    def add_people(n):
        for _ in range(n):
            person = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=person, offer=offer)
            invitation, _token = invite(questionnaire, person)
            response_submit(
                questionnaire=questionnaire,
                beneficiary=person,
                answers=valid_answers(questions),
                entry_mode=EntryMode.LINK,
                invitation=invitation,
            )

    add_people(1)
    with_one = [_queries(client, url) for url in urls]
    add_people(29)
    assert [_queries(client, url) for url in urls] == with_one


def test_my_questionnaires_and_response_detail_queries_do_not_grow(
    client, full, programme, beneficiary
):
    questionnaire, questions = full
    client.force_login(beneficiary.user)

    def add(n):
        for _ in range(n):
            other = QuestionnaireFactory(programme=programme)
            invite(other, beneficiary)
            response_submit(
                questionnaire=questionnaire,
                beneficiary=beneficiary,
                answers=valid_answers(questions),
                entry_mode=EntryMode.LINK,
            )

    add(1)
    detail = reverse("evaluation:response_detail", args=[Response.objects.first().public_id])
    urls = [reverse("evaluation:my_questionnaires"), detail]
    with_one = [_queries(client, url) for url in urls]
    add(29)
    assert [_queries(client, url) for url in urls] == with_one
