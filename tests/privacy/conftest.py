"""A beneficiary with something in every table the export reads, and helpers."""

import datetime

import pytest
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose, ContactChannel
from beneficiaires.models import Consent, ContactLog
from notifications.enums import Channel as NotificationChannel
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.models import SupportRequest
from seances.enums import CommentKind, RecordStatus
from seances.models import Appointment, ClosingRecordComment, ConfidentialNote, LogbookEntry
from tests.evaluation.factories import AnswerFactory, QuestionFactory, ResponseFactory
from tests.seances.conftest import (  # noqa: F401 (fixture)
    ActionItemFactory,
    AppointmentFactory,
    AttendanceFactory,
    ClosingRecordFactory,
    SeanceFactory,
    individual_offer,
)


def fill(beneficiary, *, offer, mentor, programme, marker: str, rows: int = 1) -> None:
    """Give `beneficiary` `rows` items in each table, their free texts tagged with `marker`."""
    for n in range(rows):
        ContactLog.objects.create(
            beneficiary=beneficiary,
            contacted_at=timezone.now(),
            channel=ContactChannel.PHONE,
            author=mentor,
            outcome=f"{marker} appel {n}",
        )
        seance = SeanceFactory(offer=offer, mentor=mentor)
        AttendanceFactory(seance=seance, beneficiary=beneficiary)
        AppointmentFactory(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            reason=f"{marker} motif {n}",
            starts_at=timezone.now() + datetime.timedelta(days=10 + Appointment.objects.count()),
        )
        record = ClosingRecordFactory(
            seance=seance,
            beneficiary=beneficiary,
            status=RecordStatus.VALIDATED,
            content=f"{marker} compte-rendu {n}",
            snapshot={
                "beneficiary": beneficiary.name,
                "fields": {"content": f"{marker} compte-rendu {n}"},
            },
            validated_at=timezone.now(),
        )
        ClosingRecordComment.objects.create(
            record=record,
            author=beneficiary.user,
            kind=CommentKind.SYNTHESIS,
            body=f"{marker} synthèse {n}",
        )
        ConfidentialNote.objects.create(
            seance=seance, beneficiary=beneficiary, author=mentor, body=f"{marker} note {n}"
        )
        ActionItemFactory(beneficiary=beneficiary, seance=seance, title=f"{marker} tâche {n}")
        if beneficiary.user_id:
            LogbookEntry.objects.create(
                author=beneficiary.user,
                beneficiary=beneficiary,
                offer=offer,
                title=f"{marker} carnet {n}",
                learnings=f"{marker} appris {n}",
            )
            Notification.objects.create(
                kind=NotificationKind.APPOINTMENT_CONFIRMED,
                channel=NotificationChannel.EMAIL,
                recipient=beneficiary.user,
                to_address=beneficiary.user.email,
                object_type="seances.appointment",
                object_id="1",
                scheduled_for=timezone.now(),
                subject=f"{marker} message {n}",
                body_text=f"{marker} corps {n}",
            )
        response = ResponseFactory(
            beneficiary=beneficiary,
            questionnaire__programme=programme,
        )
        AnswerFactory(response=response, value_number=4)
        AnswerFactory(
            response=response,
            question=QuestionFactory(questionnaire=response.questionnaire, kind="text"),
            value_number=None,
            value_text=f"{marker} réponse {n}",
        )
        SupportRequest.objects.create(
            programme=programme,
            beneficiary=beneficiary,
            name=beneficiary.name,
            email=f"{marker.lower()}@example.org",
            needs=f"{marker} besoin {n}",
            consent_contact=True,
        )
    Consent.objects.get_or_create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_at=None,
        defaults={"given_at": timezone.now()},
    )


@pytest.fixture
def filled(beneficiary, individual_offer, mentor, programme):  # noqa: F811
    fill(beneficiary, offer=individual_offer, mentor=mentor, programme=programme, marker="ALPHA")
    return beneficiary


@pytest.fixture
def other_filled(other_beneficiary, individual_offer, mentor, programme):  # noqa: F811
    fill(
        other_beneficiary,
        offer=individual_offer,
        mentor=mentor,
        programme=programme,
        marker="BRAVO",
    )
    return other_beneficiary
