"""The bench's support structures, their teams, themes, programmes, offers, availability
windows and the programmes' copies of the shipped questionnaires."""

import datetime

from accounts.enums import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from core.bench import texts
from core.bench.base import Context, Mentor, at
from core.bench.plan import BENCH_EMAIL_DOMAIN, BENCH_ORGANIZATION_PREFIX
from evaluation.defaults import ensure_default_questionnaires
from evaluation.models import Question, Questionnaire
from programmes.enums import OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme, Theme
from seances.enums import Channel
from seances.models import Availability, AvailabilityException

# Half-days a mentor can be booked: (weekday, start hour); each window lasts three hours
# and holds two appointments of up to 90 minutes.
HALF_DAYS = [(day, hour) for day in range(5) for hour in (9, 14)]
WINDOW_HOURS = 3
# A mentor follows beneficiaries in at most this many one-to-one offers (two windows each).
MAX_OFFERS_PER_MENTOR = 2
# Bench accounts were opened before the dataset's first day.
PAST_JOINED_DAYS = 760


def bench_user(ctx: Context, email: str, first_name: str, last_name: str, **extra) -> User:
    return User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=ctx.password_hash,
        date_joined=ctx.now - datetime.timedelta(days=PAST_JOINED_DAYS),
        **extra,
    )


def person_name(ctx: Context) -> tuple[str, str]:
    return ctx.rng.choice(texts.FIRST_NAMES), ctx.rng.choice(texts.LAST_NAMES)


def seed_structure(ctx: Context) -> None:
    plan, rng = ctx.plan, ctx.rng
    organizations = [
        Organization(
            name=f"{BENCH_ORGANIZATION_PREFIX} {n + 1:02d} — "
            f"{texts.TERRITORIES[n % len(texts.TERRITORIES)][0]}",
            kind=OrganizationKind.SUPPORT,
            territory=texts.TERRITORIES[n % len(texts.TERRITORIES)][0],
            email=f"contact-structure-{n + 1}@{BENCH_EMAIL_DOMAIN}",
            phone=f"04 72 00 {n // 100:02d} {n % 100:02d}",
        )
        for n in range(plan.organizations)
    ]
    ctx.organizations = ctx.insert(organizations)

    coordinators = []
    for o in range(plan.organizations):
        for k in range(plan.coordinators // plan.organizations):
            first, last = person_name(ctx)
            email = f"coordination-{o + 1}-{k + 1}@{BENCH_EMAIL_DOMAIN}"
            coordinators.append((o, bench_user(ctx, email, first, last)))
    ctx.insert(user for _, user in coordinators)
    for o, user in coordinators:
        ctx.coordinators.setdefault(o, []).append(user.pk)

    mentors = []
    for n in range(plan.mentors):
        first, last = person_name(ctx)
        email = f"accompagnant-{n + 1}@{BENCH_EMAIL_DOMAIN}"
        mentors.append((n % plan.organizations, bench_user(ctx, email, first, last)))
    ctx.insert(user for _, user in mentors)
    for o, user in mentors:
        ctx.mentors[user.pk] = Mentor(o, f"{user.first_name} {user.last_name}", user.email)

    ctx.insert(
        [
            Membership(user=user, organization=ctx.organizations[o], role=Role.COORDINATOR)
            for o, user in coordinators
        ]
        + [
            Membership(
                user=user,
                organization=ctx.organizations[o],
                role=Role.MENTOR,
                territory=ctx.organizations[o].territory,
            )
            for o, user in mentors
        ]
    )

    themes = [
        (o, Theme(organization=organization, name=name))
        for o, organization in enumerate(ctx.organizations)
        for name in texts.THEMES[: plan.themes // plan.organizations]
    ]
    ctx.insert(theme for _, theme in themes)
    for o, theme in themes:
        ctx.themes.setdefault(o, []).append(theme.pk)
    ctx.insert(
        Theme.mentors.through(theme_id=theme_id, user_id=user.pk)
        for o, user in mentors
        for theme_id in rng.sample(ctx.themes[o], 2)
    )
    seed_programmes(ctx, mentors)


def seed_programmes(ctx: Context, mentors) -> None:
    plan, rng = ctx.plan, ctx.rng
    programmes = []
    for n in range(plan.programmes):
        o = n % plan.organizations
        organization = ctx.organizations[o]
        start = ctx.today - datetime.timedelta(days=rng.randint(740, 760))
        programmes.append(
            Programme(
                organization=organization,
                title=f"{texts.PROGRAMME_NAMES[n % len(texts.PROGRAMME_NAMES)]} "
                f"{organization.territory} n° {n + 1}",
                description="Un programme d'accompagnement des projets d'utilité sociale.",
                objectives="Aider chaque porteur·euse de projet à passer de l'envie à l'action.",
                target_public="Habitant·es, associations et collectifs.",
                territory=organization.territory,
                start_date=start,
                end_date=ctx.today + datetime.timedelta(days=rng.randint(120, 400)),
                status=ProgrammeStatus.OPEN,
                confidentiality_statement="Ce que vous confiez reste entre vous et votre "
                "accompagnant·e.",
            )
        )
    ctx.programmes = ctx.insert(programmes)
    ctx.insert(
        Programme.coordinators.through(programme_id=programme.pk, user_id=user_id)
        for programme in ctx.programmes
        for user_id in ctx.coordinators[ctx.organizations.index(programme.organization)][:2]
    )

    offers = []
    for programme in ctx.programmes:
        for kind, mode, title, duration, capacity in texts.OFFERS:
            offers.append(
                Offer(
                    programme=programme,
                    kind=kind,
                    mode=mode,
                    title=title,
                    description=f"{title} du programme {programme.title}.",
                    channel_in_person=kind != "hotline",
                    channel_phone=kind in ("hotline", "individual_appointment"),
                    channel_video=kind in ("coaching", "individual_appointment"),
                    duration_minutes=duration,
                    capacity=capacity,
                )
            )
    ctx.insert(offers)
    org_index = {organization.pk: o for o, organization in enumerate(ctx.organizations)}
    for offer in offers:
        ctx.offers[offer.pk] = offer
    ctx.insert(
        Offer.themes.through(offer_id=offer.pk, theme_id=theme_id)
        for offer in offers
        for theme_id in rng.sample(ctx.themes[org_index[offer.programme.organization_id]], 2)
    )
    _assign_mentors(ctx, mentors, org_index)


def _assign_mentors(ctx: Context, mentors, org_index) -> None:
    """Each mentor follows people in one or two one-to-one offers of their structure and
    leads one group offer; every offer has at least one mentor."""
    rng = ctx.rng
    by_org: dict[int, list[int]] = {}
    for o, user in mentors:
        by_org.setdefault(o, []).append(user.pk)
    links: set[tuple[int, int]] = set()
    for o, mentor_ids in by_org.items():
        org_offers = [
            offer
            for offer in ctx.offers.values()
            if org_index[offer.programme.organization_id] == o
        ]
        individual = [offer for offer in org_offers if offer.mode == OfferMode.INDIVIDUAL]
        group = [offer for offer in org_offers if offer.mode == OfferMode.GROUP]
        for n, mentor_id in enumerate(mentor_ids):
            count = 1 if n % 3 == 0 else MAX_OFFERS_PER_MENTOR
            for k in range(min(count, len(individual))):
                links.add((mentor_id, individual[(n + k * 7) % len(individual)].pk))
            links.add((mentor_id, group[n % len(group)].pk))
        # Offers no mentor was given yet: the structure's mentors share them.
        for k, offer in enumerate(individual + group):
            if not any(offer_id == offer.pk for _, offer_id in links):
                links.add((mentor_ids[k % len(mentor_ids)], offer.pk))
    ordered = sorted(links)
    ctx.insert(
        Offer.mentors.through(offer_id=offer_id, user_id=user_id) for user_id, offer_id in ordered
    )
    for user_id, offer_id in ordered:
        ctx.offer_mentors.setdefault(offer_id, []).append(user_id)

    # Two weekly windows per one-to-one offer, on half-days of the mentor's own.
    availabilities = []
    for mentor_id in ctx.mentors:
        half_days = rng.sample(HALF_DAYS, len(HALF_DAYS))
        own = [offer_id for user_id, offer_id in ordered if user_id == mentor_id]
        k = 0
        for offer_id in own:
            offer = ctx.offers[offer_id]
            if offer.mode != OfferMode.INDIVIDUAL:
                continue
            windows = half_days[2 * k : 2 * k + 2]
            k += 1
            ctx.windows[(mentor_id, offer_id)] = windows
            channel = Channel.PHONE if offer.kind == "hotline" else Channel.IN_PERSON
            for weekday, hour in windows:
                availabilities.append(
                    Availability(
                        mentor_id=mentor_id,
                        offer_id=offer_id,
                        weekday=weekday,
                        start_time=datetime.time(hour),
                        end_time=datetime.time(hour + WINDOW_HOURS),
                        channel=channel,
                        location=""
                        if channel == Channel.PHONE
                        else ctx.organizations[ctx.mentors[mentor_id].organization].name,
                        valid_from=offer.programme.start_date,
                    )
                )
    ctx.insert(availabilities)

    # One mentor in five is away for a week next month: no slot that week.
    exceptions = []
    for n, mentor_id in enumerate(ctx.mentors):
        if n % 5:
            continue
        week = ctx.weeks - 3
        monday = ctx.first_monday + datetime.timedelta(weeks=week)
        ctx.blocked_week[mentor_id] = week
        exceptions.append(
            AvailabilityException(
                mentor_id=mentor_id,
                starts_at=at(monday, 0),
                ends_at=at(monday + datetime.timedelta(days=7), 0),
                reason="Congés",
            )
        )
    ctx.insert(exceptions)


def seed_questionnaires(ctx: Context) -> None:
    """Each programme copies the four shipped questionnaires, as a coordinator would."""
    ensure_default_questionnaires(Questionnaire, Question)
    defaults = list(
        Questionnaire.objects.filter(organization=None, programme=None)
        .exclude(default_key="")
        .prefetch_related("questions")
        .order_by("pk")
    )
    copies = []
    for programme in ctx.programmes:
        for default in defaults:
            copies.append(
                (
                    programme,
                    default,
                    Questionnaire(
                        organization_id=programme.organization_id,
                        programme=programme,
                        title=default.title,
                        introduction=default.introduction,
                        purpose=default.purpose,
                        send_moment=default.send_moment,
                        copied_from=default,
                    ),
                )
            )
    ctx.insert(copy for _, _, copy in copies)
    questions = []
    for programme, default, copy in copies:
        for position, question in enumerate(
            sorted(default.questions.all(), key=lambda q: (q.position, q.pk))
        ):
            questions.append(
                (
                    programme,
                    default,
                    Question(
                        questionnaire=copy,
                        position=position,
                        kind=question.kind,
                        label=question.label,
                        help_text=question.help_text,
                        choices=list(question.choices),
                        required=question.required,
                        per_need=question.per_need,
                        code=question.code,
                    ),
                )
            )
    ctx.insert(question for _, _, question in questions)
    for programme, default, copy in copies:
        ctx.questionnaires[(programme.pk, default.default_key)] = (copy.pk, {})
    for programme, default, question in questions:
        ctx.questionnaires[(programme.pk, default.default_key)][1][question.code] = question.pk
