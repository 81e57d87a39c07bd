"""The demo retention row: one dormant record with a notice, seeded once."""

import pytest

from core.demo.privacy import NAME, PROGRAMME, seed_privacy
from privacy.models import RetentionNotice
from privacy.services import inactive_beneficiaries
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_seed_privacy_adds_one_dormant_record_once(organization):
    ProgrammeFactory(organization=organization, title=PROGRAMME)

    seed_privacy()
    seed_privacy()

    notice = RetentionNotice.objects.get()
    assert notice.beneficiary.name == NAME
    assert list(inactive_beneficiaries(notice.due_on)) == [notice.beneficiary]


def test_seed_privacy_without_the_programme_does_nothing(db):
    seed_privacy()

    assert not RetentionNotice.objects.exists()
