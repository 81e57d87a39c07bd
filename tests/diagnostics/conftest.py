"""Diagnostics fixtures: a diagnostic of beneficiary A, its needs, questionnaire links."""

import datetime

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from beneficiaires.enums import Priority
from diagnostics.enums import DiagnosticMethod
from diagnostics.models import DiagnosticInvitation, Need, NeedsDiagnostic, hash_token
from tests.factories import BeneficiaryFactory, ThemeFactory


class NeedsDiagnosticFactory(DjangoModelFactory):
    class Meta:
        model = NeedsDiagnostic

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    method = DiagnosticMethod.INTERVIEW
    held_on = datetime.date(2026, 10, 1)
    expectations = "Savoir par où commencer."


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    diagnostic = factory.SubFactory(NeedsDiagnosticFactory)
    theme = factory.SubFactory(
        ThemeFactory, organization=factory.SelfAttribute("..diagnostic.beneficiary.organization")
    )
    priority = Priority.MEDIUM
    description = "Nous ne savons pas comment faire."


def make_invitation(diagnostic, *, token="jeton-de-test", expires_in=14, answered=False):  # noqa: S107
    """An invitation whose raw token is known to the test."""
    return DiagnosticInvitation.objects.create(
        diagnostic=diagnostic,
        token_hash=hash_token(token),
        sent_to="personne@example.org",
        expires_at=timezone.now() + datetime.timedelta(days=expires_in),
        answered_at=timezone.now() if answered else None,
    )


@pytest.fixture
def diagnostic(beneficiary, coordinator):
    """A draft diagnostic of beneficiary A, conducted by the coordinator."""
    return NeedsDiagnosticFactory(beneficiary=beneficiary, conducted_by=coordinator)
