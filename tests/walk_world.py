"""The world of the persona walk (tests/test_persona_walk_access.py): one support structure
running one published programme, beneficiaries A and B with something in every table a URL
names, the nine personas, and the raw tokens of the secret links.

Built once per module: everything here is read by the walk, and each request runs in a
savepoint that is rolled back, so no request sees what another one wrote."""

import datetime
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.enums import Role
from beneficiaires.enums import ConsentPurpose, ContactChannel
from beneficiaires.models import Consent, ContactLog
from diagnostics.enums import DiagnosticMethod
from diagnostics.models import DiagnosticInvitation, Need, NeedsDiagnostic, hash_token
from evaluation.enums import EntryMode, Purpose, QuestionKind, SendMoment
from evaluation.models import Answer, Invitation, Question, Questionnaire, Response
from notifications.enums import Channel as NotificationChannel
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.models import (
    Campaign,
    CampaignRecipient,
    ProjectCard,
    ShowcaseContact,
    SupportRequest,
)
from outreach.services.campaigns import unsubscribe_token
from outreach.services.requests import booking_token
from partners.enums import ReferralStatus
from partners.models import Referral
from privacy.models import RetentionNotice
from programmes.enums import BookingAudience, OfferKind, OfferMode
from seances.enums import AttendanceStatus, RecordStatus, SeanceKind
from seances.links import appointment_token, calendar_feed_for
from seances.models import (
    ActionItem,
    AvailabilityException,
    ConfidentialNote,
    LearningGoal,
    LogbookEntry,
    TutoringPair,
)
from seances.services import closing
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ThemeFactory,
    UserFactory,
)
from tests.seances.conftest import (
    AppointmentFactory,
    AttendanceFactory,
    AvailabilityFactory,
    ClosingRecordFactory,
    GroupSessionFactory,
    RegistrationFactory,
    SeanceFactory,
)

PERSONAS = (
    "anonymous",
    "beneficiary_a",
    "beneficiary_b",
    "mentor_a",
    "other_mentor",
    "coordinator",
    "other_coordinator",
    "partner",
    "superuser",
)
SLUG = "fabrique-des-initiatives"


def _in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _personal_objects(person, *, mentor, offer, group_offer, tutoring_offer, world, marker):
    """What a URL can name that belongs to one beneficiary, all followed by `mentor`."""
    now = timezone.now()
    o = SimpleNamespace(beneficiary=person)
    o.enrollment = person.enrollments.get(offer=offer)
    o.referral = Referral.objects.create(
        beneficiary=person,
        partner=world.partner_org,
        referring_organization=world.organization,
        programme=world.programme,
        reason=f"{marker}: financements",
        status=ReferralStatus.SENT,
        sent_on=timezone.localdate(),
        created_by=mentor,
    )
    o.diagnostic = NeedsDiagnostic.objects.create(
        beneficiary=person,
        method=DiagnosticMethod.INTERVIEW,
        held_on=datetime.date(2026, 9, 20),
        conducted_by=mentor,
        expectations=f"{marker}: trouver un local.",
    )
    Need.objects.create(diagnostic=o.diagnostic, theme=world.theme, priority=1)
    o.diagnostic_token = secrets.token_urlsafe(32)
    DiagnosticInvitation.objects.create(
        diagnostic=o.diagnostic,
        token_hash=hash_token(o.diagnostic_token),
        sent_to=person.email,
        expires_at=now + datetime.timedelta(days=14),
        created_by=mentor,
    )
    o.appointment = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=person,
        booked_by=world.coordinator,
        starts_at=_in_days(8 if marker == "A" else 9),
        ends_at=_in_days(8 if marker == "A" else 9) + datetime.timedelta(hours=1),
    )
    o.appointment_token = appointment_token(o.appointment)
    o.group_session = GroupSessionFactory(
        offer=group_offer,
        organiser=mentor,
        starts_at=_in_days(10 if marker == "A" else 11, hour=14),
        ends_at=_in_days(10 if marker == "A" else 11, hour=16),
        is_open_event=True,
        public_description="Découvrir le programme.",
    )
    o.registration = RegistrationFactory(session=o.group_session, beneficiary=person)
    # Two séances led by the mentor: one with a validated record, one with a draft.
    o.seance = SeanceFactory(offer=offer, mentor=mentor)
    AttendanceFactory(seance=o.seance, beneficiary=person)
    # Validated by the service, which freezes what the report prints.
    o.record = closing.record_validate(
        record=ClosingRecordFactory(seance=o.seance, beneficiary=person, created_by=mentor),
        acting_user=mentor,
    )
    draft_seance = SeanceFactory(offer=offer, mentor=mentor)
    AttendanceFactory(seance=draft_seance, beneficiary=person)
    o.draft_record = ClosingRecordFactory(
        seance=draft_seance, beneficiary=person, status=RecordStatus.DRAFT, created_by=mentor
    )
    ConfidentialNote.objects.create(
        seance=o.seance, beneficiary=person, author=mentor, body=f"{marker}: note confidentielle"
    )
    o.task = ActionItem.objects.create(
        beneficiary=person, seance=o.seance, title=f"{marker}: appeler la mairie", created_by=mentor
    )
    o.logbook_entry = LogbookEntry.objects.create(
        author=person.user,
        beneficiary=person,
        offer=offer,
        seance=o.seance,
        title=f"{marker}: ce que j'ai appris",
        learnings="Déléguer.",
        shared_with_mentor=True,
        shared_at=now,
    )
    o.tutoring_pair = TutoringPair.objects.create(
        offer=tutoring_offer, tutor=mentor, tutee=person, started_on=datetime.date(2026, 9, 1)
    )
    LearningGoal.objects.create(pair=o.tutoring_pair, title="Animer une réunion")
    o.invitation_token = secrets.token_urlsafe(32)
    o.invitation = Invitation.objects.create(
        questionnaire=world.questionnaire,
        beneficiary=person,
        moment=SendMoment.MANUAL,
        token_hash=hash_token(o.invitation_token),
        expires_at=now + datetime.timedelta(days=30),
    )
    o.response = Response.objects.create(
        questionnaire=world.answered_questionnaire,
        programme=world.programme,
        beneficiary=person,
        entry_mode=EntryMode.LINK,
        submitted_at=now,
    )
    Answer.objects.create(response=o.response, question=world.answered_question, value_number=4)
    Consent.objects.create(beneficiary=person, purpose=ConsentPurpose.NETWORK_SHARING, given_at=now)
    Consent.objects.create(beneficiary=person, purpose=ConsentPurpose.CONTACT, given_at=now)
    o.consent_purpose = ConsentPurpose.CONTACT
    ContactLog.objects.create(
        beneficiary=person,
        contacted_at=now,
        channel=ContactChannel.PHONE,
        author=mentor,
        outcome=f"{marker}: premier appel",
    )
    o.card = ProjectCard.objects.create(
        beneficiary=person,
        programme=world.programme,
        title=f"{marker}: jardin partagé",
        summary="Un jardin au pied des immeubles.",
        is_public=True,
        created_by=mentor,
    )
    o.showcase_contact = ShowcaseContact.objects.create(
        card=o.card,
        sender=world.other_coordinator,
        sender_name="Réseau voisin",
        sender_email="voisin@example.org",
        message="Nous aimerions les rencontrer.",
    )
    o.support_request = SupportRequest.objects.create(
        programme=world.programme,
        offer=world.link_offer,
        beneficiary=person,
        name=person.name,
        email=person.email,
        needs=f"{marker}: lancer un jardin.",
        consent_contact=True,
    )
    o.support_request_token = booking_token(o.support_request)
    o.notification = Notification.objects.create(
        kind=NotificationKind.APPOINTMENT_CONFIRMED,
        channel=NotificationChannel.EMAIL,
        recipient=person.user,
        to_address=person.user.email,
        object_type="seances.appointment",
        object_id=str(o.appointment.pk),
        programme=world.programme,
        organization=world.organization,
        scheduled_for=now,
        subject=f"{marker}: rendez-vous confirmé",
        body_text="Votre rendez-vous est confirmé.",
    )
    RetentionNotice.objects.create(beneficiary=person, notified_at=now, due_on=timezone.localdate())
    o.calendar_token = calendar_feed_for(person.user).token
    return o


def build_world() -> SimpleNamespace:
    """Create the world; returns the personas' users and, in `.a` and `.b`, the objects of
    beneficiaries A and B (same attribute names, so that a URL can name either)."""
    w = SimpleNamespace()
    w.organization = OrganizationFactory(name="Maison des projets")
    w.other_organization = OrganizationFactory(name="Autre structure")
    w.coordinator = MembershipFactory(organization=w.organization, role=Role.COORDINATOR).user
    w.other_coordinator = MembershipFactory(
        organization=w.other_organization, role=Role.COORDINATOR
    ).user
    w.mentor_a = MembershipFactory(organization=w.organization, role=Role.MENTOR).user
    w.other_mentor = MembershipFactory(organization=w.organization, role=Role.MENTOR).user
    # The worst case of a partner: a coordinator of a partner structure of the network.
    w.partner_org = OrganizationFactory(
        partner=True, name="Centre social des Pentes", steward=w.organization
    )
    w.partner = MembershipFactory(organization=w.partner_org, role=Role.COORDINATOR).user
    w.superuser = UserFactory(is_staff=True, is_superuser=True)

    w.programme = ProgrammeFactory(
        organization=w.organization,
        is_published=True,
        slug=SLUG,
        contact_email="contact@maison.example.org",
    )
    w.programme.coordinators.add(w.coordinator)
    w.theme = ThemeFactory(organization=w.organization, name="Financement")
    w.offer = OfferFactory(programme=w.programme, title="Rendez-vous individuel")
    w.offer.mentors.add(w.mentor_a, w.other_mentor)
    w.group_offer = OfferFactory(programme=w.programme, group=True, title="Atelier")
    w.group_offer.mentors.add(w.mentor_a, w.other_mentor)
    w.tutoring_offer = OfferFactory(
        programme=w.programme, kind=OfferKind.TUTORING, mode=OfferMode.INDIVIDUAL
    )
    w.tutoring_offer.mentors.add(w.mentor_a, w.other_mentor)
    # A first appointment anyone with the link may book (support requests).
    w.link_offer = OfferFactory(
        programme=w.programme, title="Premier rendez-vous", booking_audience=BookingAudience.LINK
    )
    w.link_offer.mentors.add(w.mentor_a)
    w.codev_offer = OfferFactory(
        programme=w.programme,
        kind=OfferKind.CODEVELOPMENT,
        mode=OfferMode.GROUP,
        capacity=12,
        title="Club managers",
    )
    w.codev_offer.mentors.add(w.mentor_a)

    w.beneficiary_a = BeneficiaryFactory(
        organization=w.organization, programme=w.programme, user=UserFactory()
    )
    w.beneficiary_b = BeneficiaryFactory(
        organization=w.organization, programme=w.programme, user=UserFactory()
    )
    for person, mentor in ((w.beneficiary_a, w.mentor_a), (w.beneficiary_b, w.other_mentor)):
        for offer in (w.offer, w.group_offer, w.tutoring_offer):
            EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)

    w.availability = AvailabilityFactory(mentor=w.mentor_a, offer=w.offer)
    w.exception = AvailabilityException.objects.create(
        mentor=w.mentor_a, starts_at=_in_days(20), ends_at=_in_days(21), reason="Congés"
    )
    w.questionnaire = Questionnaire.objects.create(
        programme=w.programme,
        organization=w.organization,
        title="Satisfaction",
        send_moment=SendMoment.MANUAL,
    )
    w.question = Question.objects.create(
        questionnaire=w.questionnaire, position=1, kind=QuestionKind.SCALE, label="Utile ?"
    )
    w.answered_questionnaire = Questionnaire.objects.create(
        programme=w.programme, organization=w.organization, title="Progrès"
    )
    w.answered_question = Question.objects.create(
        questionnaire=w.answered_questionnaire, position=1, kind=QuestionKind.SCALE, label="?"
    )
    w.assessment = Questionnaire.objects.create(
        programme=w.programme,
        organization=w.organization,
        title="Appréciation de l'accompagnant",
        purpose=Purpose.MENTOR_ASSESSMENT,
    )
    Question.objects.create(
        questionnaire=w.assessment, position=1, kind=QuestionKind.SCALE, label="Progrès ?"
    )
    w.campaign = Campaign.objects.create(
        programme=w.programme,
        subject="Découvrez la Fabrique",
        body="Un programme pour vos initiatives.",
        created_by=w.coordinator,
    )

    objects = {"world": w, "offer": w.offer, "group_offer": w.group_offer}
    objects["tutoring_offer"] = w.tutoring_offer
    w.a = _personal_objects(w.beneficiary_a, mentor=w.mentor_a, marker="A", **objects)
    w.b = _personal_objects(w.beneficiary_b, mentor=w.other_mentor, marker="B", **objects)

    # A co-development séance of A's mentor, A and a third person present (B is not).
    chloe = BeneficiaryFactory(organization=w.organization, user=UserFactory())
    w.a.codev_seance = SeanceFactory(
        kind=SeanceKind.CODEVELOPMENT, offer=w.codev_offer, mentor=w.mentor_a, duration_minutes=120
    )
    for person in (w.beneficiary_a, chloe):
        EnrollmentFactory(beneficiary=person, offer=w.codev_offer, referent_mentor=w.mentor_a)
        AttendanceFactory(seance=w.a.codev_seance, beneficiary=person)
    w.b.codev_seance = SeanceFactory(
        kind=SeanceKind.CODEVELOPMENT, offer=w.codev_offer, mentor=w.other_mentor
    )
    AttendanceFactory(
        seance=w.b.codev_seance, beneficiary=w.beneficiary_b, status=AttendanceStatus.PRESENT
    )

    # One session per persona, opened once: logging in at each request would cost more than
    # the request (and move last_login, which the password-reset tokens below depend on).
    w.sessions = {}
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(persona_user(w, persona))
        w.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value

    # Campaign links: one recipient per person, the raw token known.
    for person, objs in ((w.beneficiary_a, w.a), (w.beneficiary_b, w.b)):
        objs.campaign_token = secrets.token_urlsafe(32)
        recipient = CampaignRecipient.objects.create(
            campaign=w.campaign,
            beneficiary=person,
            email=person.email,
            token_hash=hash_token(objs.campaign_token),
        )
        objs.unsubscribe_token = unsubscribe_token(recipient)
        user = person.user
        objs.reset_uid = urlsafe_base64_encode(force_bytes(user.pk))
        objs.reset_token = default_token_generator.make_token(user)
    return w


def persona_user(world: SimpleNamespace, persona: str):
    if persona == "anonymous":
        return None
    if persona in {"beneficiary_a", "beneficiary_b"}:
        return getattr(world, persona).user
    return getattr(world, persona)
