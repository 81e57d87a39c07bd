"""The erase button other pages include shows only to who may erase."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from privacy.models import AnonymisationReason
from privacy.services import beneficiary_anonymise

pytestmark = pytest.mark.django_db


def render(user, beneficiary) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load privacy_tags %}{% beneficiary_erase_link beneficiary %}")
    return template.render(Context({"request": request, "beneficiary": beneficiary}))


def test_the_coordinator_sees_the_button(coordinator, beneficiary):
    assert reverse("privacy:erase", args=[beneficiary.public_id]) in render(
        coordinator, beneficiary
    )


def test_the_mentor_does_not(mentor, beneficiary):
    assert "effacer" not in render(mentor, beneficiary)


def test_an_anonymised_record_shows_its_date(coordinator, beneficiary):
    beneficiary_anonymise(
        beneficiary=beneficiary, acting_user=coordinator, reason=AnonymisationReason.REQUEST
    )

    html = render(coordinator, beneficiary)

    assert "effacer" not in html
    assert "badge" in html
