"""The bench's beneficiaries: records across the outreach pipeline, their accounts, consents,
needs diagnostics and enrollments with a referent mentor."""

import datetime

from beneficiaires.enums import (
    BeneficiaryKind,
    ConsentPurpose,
    EnrollmentStatus,
    OutreachStage,
    Situation,
    Source,
)
from beneficiaires.models import Beneficiary, Consent, Enrollment
from core.bench import texts
from core.bench.base import Beneficiary as BenchBeneficiary
from core.bench.base import Context, apportion
from core.bench.plan import BENCH_EMAIL_DOMAIN
from core.bench.structure import bench_user
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus
from diagnostics.models import Need, NeedsDiagnostic
from programmes.enums import OfferMode

STAGES = [
    (OutreachStage.TO_CONTACT, 8),
    (OutreachStage.CONTACTED, 8),
    (OutreachStage.DIAGNOSED, 9),
    (OutreachStage.ENROLLED, 65),
    (OutreachStage.CLOSED, 7),
    (OutreachStage.DECLINED, 3),
]
KINDS = [
    (BeneficiaryKind.INDIVIDUAL, 70),
    (BeneficiaryKind.ASSOCIATION, 14),
    (BeneficiaryKind.RESIDENTS_COLLECTIVE, 6),
    (BeneficiaryKind.YOUTH_GROUP, 5),
    (BeneficiaryKind.ESS_STRUCTURE, 5),
]
# The one-to-one offer a person is followed in: coaching, advice appointments, hotline.
INDIVIDUAL_OFFER_WEIGHTS = {"coaching": 5, "individual_appointment": 4, "hotline": 1}
WITH_ACCOUNT = 0.5
STALE_STAGES = (OutreachStage.TO_CONTACT, OutreachStage.DECLINED)
IN_A_GROUP_OFFER = 0.45


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def seed_beneficiaries(ctx: Context) -> None:
    plan = ctx.plan
    per_org = apportion(plan.beneficiaries, [1] * plan.organizations)
    offers_by_programme: dict[int, list] = {}
    for offer in ctx.offers.values():
        offers_by_programme.setdefault(offer.programme_id, []).append(offer)
    programmes_by_org: dict[int, list] = {}
    for programme in ctx.programmes:
        o = next(
            i for i, org in enumerate(ctx.organizations) if org.pk == programme.organization_id
        )
        programmes_by_org.setdefault(o, []).append(programme)
    number = 0
    for o, count in enumerate(per_org):
        done = 0
        while done < count:
            size = min(2_000, count - done)
            _chunk(ctx, o, size, number, programmes_by_org[o], offers_by_programme)
            number += size
            done += size


def _chunk(ctx: Context, o: int, size: int, number: int, programmes, offers_by_programme) -> None:
    rng = ctx.rng
    organization = ctx.organizations[o]
    coordinator_id = ctx.coordinators[o][0]
    people = []
    for n in range(number, number + size):
        stage = _pick(rng, STAGES)
        kind = _pick(rng, KINDS)
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        city, postal_code = rng.choice(texts.TERRITORIES)
        if kind == BeneficiaryKind.INDIVIDUAL:
            name, contact_name = f"{first} {last}", ""
        else:
            name = (
                f"{rng.choice(texts.STRUCTURE_WORDS)} {rng.choice(texts.STRUCTURE_TOPICS)} "
                f"({city}) n° {n + 1}"
            )
            contact_name = f"{first} {last}"
        followed = stage in (OutreachStage.ENROLLED, OutreachStage.CLOSED)
        account = followed and kind == BeneficiaryKind.INDIVIDUAL and rng.random() < WITH_ACCOUNT
        phone_only = not account and rng.random() < 0.25
        email = (
            f"beneficiaire-{n + 1}@{BENCH_EMAIL_DOMAIN}"
            if account
            else ("" if phone_only else f"contact-{n + 1}@{BENCH_EMAIL_DOMAIN}")
        )
        user = bench_user(ctx, email, first, last) if account else None
        people.append(
            {
                "stage": stage,
                "user": user,
                "record": Beneficiary(
                    organization=organization,
                    kind=kind,
                    name=name,
                    contact_name=contact_name,
                    email=email,
                    phone=f"06 {n // 1_000_000:02d} {n // 10_000 % 100:02d} "
                    f"{n // 100 % 100:02d} {n % 100:02d}",
                    postal_code=postal_code,
                    territory=city,
                    situation=rng.choice(Situation.values),
                    programme=rng.choice(programmes),
                    stage=stage,
                    # Some records left aside long ago: the retention scan has work.
                    stage_changed_at=ctx.past_moment(
                        days_max=1_000 if stage in STALE_STAGES else 600
                    ),
                    priority=rng.choice([1, 2, 2, 3]),
                    source=rng.choice(Source.values),
                    created_by_id=coordinator_id,
                ),
            }
        )
    ctx.insert(p["user"] for p in people if p["user"] is not None)
    for p in people:
        if p["user"] is not None:
            p["record"].user = p["user"]
    ctx.insert(p["record"] for p in people)

    consents, diagnostics, enrollments = [], [], []
    for p in people:
        record, stage = p["record"], p["stage"]
        if stage != OutreachStage.TO_CONTACT:
            given = ctx.past_moment(days_min=200)
            consents.append(_consent(record, ConsentPurpose.CONTACT, given, coordinator_id))
        if stage in (OutreachStage.DIAGNOSED, OutreachStage.ENROLLED, OutreachStage.CLOSED):
            held = ctx.past_moment(days_min=150, days_max=700)
            diagnostics.append(
                (
                    record,
                    NeedsDiagnostic(
                        beneficiary=record,
                        method=rng.choice(DiagnosticMethod.values),
                        held_on=held.date(),
                        conducted_by_id=coordinator_id,
                        expectations="Savoir par où commencer et trouver des financements.",
                        status=DiagnosticStatus.COMPLETED,
                        completed_at=held,
                    ),
                )
            )
        if stage in (OutreachStage.ENROLLED, OutreachStage.CLOSED):
            given = ctx.past_moment(days_min=150, days_max=700)
            consents.append(_consent(record, ConsentPurpose.SUPPORT, given, coordinator_id))
            if rng.random() < 0.7:
                withdrawn = rng.random() < 0.05
                consent = _consent(record, ConsentPurpose.STATISTICS, given, coordinator_id)
                consent.withdrawn_at = given + datetime.timedelta(days=90) if withdrawn else None
                consents.append(consent)
            if rng.random() < 0.3:
                consents.append(
                    _consent(record, ConsentPurpose.NETWORK_SHARING, given, coordinator_id)
                )
            enrollments += _enrollments(ctx, record, stage, offers_by_programme, coordinator_id)
    ctx.insert(consents)
    ctx.insert(d for _, d in diagnostics)
    needs, themes_of = [], {}
    for record, diagnostic in diagnostics:
        chosen = rng.sample(ctx.themes[o], rng.choice([2, 2, 3]))
        themes_of[record.pk] = tuple(chosen)
        needs += [
            Need(diagnostic=diagnostic, theme_id=theme_id, priority=rng.choice([1, 2, 3]))
            for theme_id in chosen
        ]
    ctx.insert(needs)
    ctx.insert(enrollments)
    for p in people:
        record = p["record"]
        ctx.beneficiaries[record.pk] = BenchBeneficiary(
            pk=record.pk,
            organization=o,
            name=record.name,
            contact_name=record.contact_name,
            email=record.email,
            phone=record.phone,
            user_id=record.user_id,
            needs=themes_of.get(record.pk, ()),
        )
    for enrollment in enrollments:
        offer = ctx.offers[enrollment.offer_id]
        if enrollment.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED):
            continue
        mentor_id = enrollment.referent_mentor_id
        if offer.mode == OfferMode.INDIVIDUAL:
            ctx.pair_beneficiaries[(mentor_id, offer.pk)].append(enrollment.beneficiary_id)
            ctx.programme_beneficiaries[offer.programme_id].append(
                (enrollment.beneficiary_id, mentor_id)
            )
        ctx.offer_beneficiaries[offer.pk].append(enrollment.beneficiary_id)


def _consent(record, purpose, given, recorded_by) -> Consent:
    return Consent(beneficiary=record, purpose=purpose, given_at=given, recorded_by_id=recorded_by)


def _enrollments(ctx: Context, record, stage, offers_by_programme, coordinator_id):
    """One one-to-one offer of the person's programme, and a group offer for some."""
    rng = ctx.rng
    offers = offers_by_programme[record.programme_id]
    individual = [o for o in offers if o.mode == OfferMode.INDIVIDUAL]
    weights = [INDIVIDUAL_OFFER_WEIGHTS.get(o.kind, 1) for o in individual]
    chosen = [rng.choices(individual, weights=weights)[0]]
    if rng.random() < IN_A_GROUP_OFFER:
        chosen.append(rng.choice([o for o in offers if o.mode == OfferMode.GROUP]))
    rows = []
    started = ctx.today - datetime.timedelta(days=rng.randint(400, 720))
    for offer in chosen:
        if stage == OutreachStage.CLOSED:
            status = rng.choice([EnrollmentStatus.COMPLETED] * 4 + [EnrollmentStatus.WITHDRAWN])
            ended = ctx.today - datetime.timedelta(days=rng.randint(5, 120))
        else:
            status = _pick(
                rng,
                [
                    (EnrollmentStatus.ACTIVE, 88),
                    (EnrollmentStatus.PAUSED, 5),
                    (EnrollmentStatus.PENDING, 7),
                ],
            )
            ended = None
        rows.append(
            Enrollment(
                beneficiary=record,
                offer=offer,
                referent_mentor_id=rng.choice(ctx.offer_mentors[offer.pk]),
                status=status,
                started_on=started,
                ended_on=ended,
                created_by_id=coordinator_id,
            )
        )
    return rows
