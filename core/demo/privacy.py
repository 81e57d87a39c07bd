"""Demo retention (issue 9): a record of the Lyon programme's structure with no activity for
more than two years, whose coordinators were told twelve days ago it will be anonymised, so
that « Records soon anonymised » shows a row with its « Keep » button.

Idempotent: the record is found by its name and left as it is."""

import datetime

from django.db import transaction
from django.utils import timezone

from beneficiaires.enums import ContactChannel, Situation
from beneficiaires.models import Beneficiary, ContactLog
from privacy.models import RetentionNotice
from programmes.models import Programme

PROGRAMME = "Fabrique des initiatives citoyennes 2026-2027"
NAME = "Gérard Lenoir"


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def seed_privacy(stdout=None) -> None:
    programme = Programme.objects.filter(title=PROGRAMME).select_related("organization").first()
    if programme is None:
        _say(stdout, "seed_privacy: the demo programme is missing, nothing done.")
        return
    organization = programme.organization
    if Beneficiary.objects.filter(organization=organization, name=NAME).exists():
        return
    long_ago = timezone.now() - datetime.timedelta(days=800)
    with transaction.atomic():
        beneficiary = Beneficiary.objects.create(
            organization=organization,
            name=NAME,
            email="gerard.lenoir@example.org",
            postal_code="69009",
            territory="Lyon 9e — La Duchère",
            situation=Situation.WANTS_TO_ACT,
        )
        # auto_now fields: dated in the past with an update, as a record untouched since.
        Beneficiary.objects.filter(pk=beneficiary.pk).update(
            created_at=long_ago, updated_at=long_ago
        )
        ContactLog.objects.create(
            beneficiary=beneficiary,
            contacted_at=long_ago,
            channel=ContactChannel.PHONE,
            outcome="Pas de suite pour le moment, à recontacter.",
        )
        notified = timezone.now() - datetime.timedelta(days=12)
        RetentionNotice.objects.create(
            beneficiary=beneficiary,
            notified_at=notified,
            due_on=timezone.localdate(notified) + datetime.timedelta(days=30),
        )
    _say(stdout, "seed_privacy: 1 record awaiting anonymisation.")
