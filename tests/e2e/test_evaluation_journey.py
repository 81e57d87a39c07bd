"""In Chromium: a coordinator sends a satisfaction questionnaire, the beneficiary answers through
her one-time link on a phone without logging in, and the evaluation dashboard shows the answer.
Every page passes axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluation.enums import EntryMode, Purpose, QuestionKind, SendMoment
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.e2e.conftest import assert_accessible, follow_nav, log_in
from tests.evaluation.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.factories import BeneficiaryFactory

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
COMMENT = "Les ateliers du jeudi soir m'ont beaucoup aidée."


@pytest.fixture
def questionnaire(programme):
    questionnaire = QuestionnaireFactory(
        programme=programme,
        title="Votre avis sur la séance",
        purpose=Purpose.SATISFACTION,
        send_moment=SendMoment.MANUAL,
    )
    QuestionFactory(
        questionnaire=questionnaire,
        position=1,
        kind=QuestionKind.SCALE,
        label="Êtes-vous satisfaite de la séance ?",
        code="satisfaction_overall",
    )
    QuestionFactory(
        questionnaire=questionnaire,
        position=2,
        kind=QuestionKind.TEXT,
        label="Qu'avez-vous envie de nous dire ?",
        required=False,
        code="satisfaction_comment",
    )
    return questionnaire


@pytest.fixture
def earlier_answers(questionnaire, organization):
    """Four people answered before: with the new answer the figures reach 5 people."""
    scale, text = questionnaire.questions.order_by("position")
    for value in (3, 4, 4, 5):
        response = ResponseFactory(
            questionnaire=questionnaire,
            beneficiary=BeneficiaryFactory(organization=organization),
            entry_mode=EntryMode.LINK,
        )
        AnswerFactory(response=response, question=scale, value_number=value)
        AnswerFactory(response=response, question=text, value_number=None, value_text="Bien.")


def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_questionnaire_sent_answered_by_link_and_seen_on_the_dashboard(
    browser, page, live_server, coordinator, beneficiary, questionnaire, earlier_answers
):
    # The coordinator finds the questionnaire from the navigation and sends it.
    log_in(page, live_server, coordinator.email, PASSWORD)
    follow_nav(page, reverse("evaluation:questionnaire_list"))
    assert_accessible(page)
    page.get_by_role("link", name="Votre avis sur la séance").click()
    page.get_by_role("link", name="Envoyer", exact=True).click()
    assert_accessible(page)
    for box in page.locator("input[name=beneficiaires]").all():
        box.uncheck()
    page.get_by_label(beneficiary.name).check()
    page.get_by_role("button", name="Envoyer aux personnes cochées").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "1 invitation envoyée"
    )

    # Her email holds the one-time link (the outbox row, sent after commit).
    message = Notification.objects.get(
        kind=NotificationKind.EVALUATION_INVITATION, to_address=beneficiary.email
    )
    link = re.search(r"https?://\S+/evaluation/r/[\w-]+/", message.body_text).group(0)
    path = link[link.index("/evaluation/") :]

    # She answers on her phone, without logging in.
    phone = phone_page(browser)
    phone.goto(f"{live_server.url}{path}")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Votre avis sur la séance")
    assert_accessible(phone)
    phone.get_by_role("group", name="Êtes-vous satisfaite de la séance ?").get_by_label(
        "5", exact=True
    ).check()
    phone.get_by_label("Qu'avez-vous envie de nous dire ?").fill(COMMENT)
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Merci")
    assert_accessible(phone)
    # The link works once.
    again = phone.goto(f"{live_server.url}{path}")
    assert again.status == 410
    phone.context.close()

    # The dashboard counts her answer among five and shows her words, without her name.
    page.goto(f"{live_server.url}{reverse('evaluation:questionnaire_list')}")
    page.get_by_role("link", name="Votre avis sur la séance").click()
    page.get_by_role("link", name="Tableau de bord d'évaluation").click()
    assert_accessible(page)
    # The free-text answers, grouped by question, unfold under the question.
    page.locator("summary", has_text="Qu'avez-vous envie de nous dire ?").click()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    satisfaction = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Satisfaction"))
    )
    expect(satisfaction.first).to_contain_text("4,2")
    expect(page.locator("main")).not_to_contain_text(beneficiary.name)
