"""What the load test asks for: the accounts to log in with and, for each, the objects of
their key pages (programmes, beneficiaries, séances, bookable offers), read from the bench
database once before the run and written as JSON for the locustfile and the contention test.

    DJANGO_SETTINGS_MODULE=accompagnement.settings.base DATABASE_URL=… \
        python scripts/bench/targets.py OUT.json

The logins come, in this order, from BENCH_COORDINATOR / BENCH_MENTOR / BENCH_BENEFICIARY
(and BENCH_PASSWORD), from bench/out/logins.json (written by `seed_bench`), or from the
database: the bench accounts (@bench.example.org), else the demo ones (`seed_demo`).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LOGINS_FILE = BASE_DIR / "bench" / "out" / "logins.json"
BENCH_DOMAIN = "@bench.example.org"
# The published passwords of the seeded accounts (seed_bench, seed_demo), not secrets.
BENCH_PASSWORD = "bench-accompagnement"  # noqa: S105
DEMO_PASSWORD = "demo-accompagnement"  # noqa: S105
DEMO_LOGINS = {
    "coordinator": "coordinatrice@example.org",
    "mentor": "accompagnant@example.org",
    "beneficiary": "beneficiaire@example.org",
}
ROLES = ("coordinator", "mentor", "beneficiary")
# Accounts per role in the load test (the first is the printed login); contention sessions.
ACCOUNTS_PER_ROLE = 4
CONTENTION_SESSIONS = 50
SAMPLE = 40
SLOT_SEARCH_DAYS = 21


def main(out: Path) -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    logins, password = _logins()
    targets = {
        "password": password,
        "coordinators": _coordinators(logins["coordinator"]),
        "mentors": _mentors(logins["mentor"]),
        "beneficiaries": _beneficiaries(logins["beneficiary"]),
    }
    targets["contention"] = _contention(targets["beneficiaries"][0]["offers"][0]["id"])
    _check_password(targets)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(targets, indent=1))
    print(
        "targets: "
        + ", ".join(f"{role} {targets[role][0]['email']}" for role in targets if role[-1] == "s")
        + f"; {len(targets['contention']['emails'])} contention accounts"
    )


# --- Logins ---------------------------------------------------------------------------------


def _logins() -> tuple[dict[str, str], str]:
    from accounts.models import User

    logins: dict[str, str] = {}
    password = os.environ.get("BENCH_PASSWORD", "")
    if LOGINS_FILE.exists():
        data = json.loads(LOGINS_FILE.read_text())
        for role in ROLES:
            value = data.get(role)
            if isinstance(value, dict):
                value = value.get("email") or value.get("login")
            if value:
                logins[role] = value
        password = password or data.get("password", "")
    for role in ROLES:
        if os.environ.get(f"BENCH_{role.upper()}"):
            logins[role] = os.environ[f"BENCH_{role.upper()}"]
    bench_users = User.objects.filter(email__endswith=BENCH_DOMAIN, is_active=True)
    if len(logins) < len(ROLES):
        if bench_users.exists():
            found = {
                "coordinator": bench_users.filter(memberships__role="coordinator"),
                "mentor": bench_users.filter(memberships__role="mentor"),
                "beneficiary": bench_users.filter(beneficiary_profile__isnull=False),
            }
            for role in ROLES:
                if role not in logins:
                    user = found[role].order_by("pk").first()
                    if user is not None:
                        logins[role] = user.email
        else:
            for role in ROLES:
                logins.setdefault(role, DEMO_LOGINS[role])
    missing = [role for role in ROLES if role not in logins]
    if missing:
        sys.exit(f"No account found for: {', '.join(missing)}. Seed the database first.")
    if not password:
        password = BENCH_PASSWORD if logins["coordinator"].endswith(BENCH_DOMAIN) else DEMO_PASSWORD
    return logins, password


def _user(email: str):
    from accounts.models import User

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        sys.exit(f"No active account {email} in this database.")
    return user


def _same_kind(user, queryset, count: int) -> list:
    """`user` first, then others of the same kind (the same structure when there is one)."""
    others = list(queryset.exclude(pk=user.pk).order_by("pk")[: count * 5])
    return [user, *sorted(others, key=lambda u: u.pk)[: count - 1]]


def _check_password(targets: dict) -> None:
    users = [_user(targets[role][0]["email"]) for role in ("coordinators", "mentors")]
    if not all(user.check_password(targets["password"]) for user in users):
        sys.exit(
            "The bench password does not open the bench accounts: set BENCH_PASSWORD "
            "(seed_bench: bench-accompagnement, seed_demo: demo-accompagnement)."
        )


# --- Per role -------------------------------------------------------------------------------


def _coordinators(email: str) -> list[dict]:
    from accounts.enums import Role
    from accounts.models import User
    from beneficiaires.enums import OutreachStage
    from beneficiaires.models import Beneficiary
    from programmes.models import Programme

    first = _user(email)
    peers = User.objects.filter(
        is_active=True,
        memberships__role=Role.COORDINATOR,
        memberships__is_active=True,
        memberships__organization_id__in=first.organization_ids_with_role(Role.COORDINATOR),
    ).distinct()
    accounts = []
    for user in _same_kind(first, peers, ACCOUNTS_PER_ROLE):
        programmes = list(
            Programme.objects.visible_to(user).order_by("pk").values_list("public_id", flat=True)
        )
        beneficiaries = Beneficiary.objects.visible_to(user)
        names = list(beneficiaries.order_by("?").values_list("name", flat=True)[:SAMPLE])
        mentor_ids = User.objects.filter(
            memberships__role=Role.MENTOR,
            memberships__is_active=True,
            memberships__organization_id__in=user.organization_ids_with_role(Role.COORDINATOR),
        ).values_list("public_id", flat=True)
        accounts.append(
            {
                "email": user.email,
                "programmes": [str(p) for p in programmes],
                "beneficiaries": [
                    str(b)
                    for b in beneficiaries.order_by("?").values_list("public_id", flat=True)[
                        :SAMPLE
                    ]
                ],
                "mentors": [str(m) for m in list(mentor_ids.distinct()[:SAMPLE])],
                # Searches that find someone: three letters of a name seen in the list.
                "searches": sorted({n.split()[-1][:3] for n in names if len(n.split()[-1]) >= 3}),
                "stages": [s.value for s in OutreachStage],
            }
        )
    return accounts


def _mentors(email: str) -> list[dict]:
    from accounts.enums import Role
    from accounts.models import User
    from seances.models import Seance

    first = _user(email)
    peers = User.objects.filter(
        is_active=True,
        memberships__role=Role.MENTOR,
        memberships__is_active=True,
        memberships__organization_id__in=first.organization_ids_with_role(Role.MENTOR),
        led_seances__isnull=False,
    ).distinct()
    accounts = []
    for user in _same_kind(first, peers, ACCOUNTS_PER_ROLE):
        seances = Seance.objects.visible_to(user).filter(mentor=user).order_by("?")
        accounts.append(
            {
                "email": user.email,
                "public_id": str(user.public_id),
                "seances": [
                    str(s)
                    for s in seances.order_by("?").values_list("public_id", flat=True)[:SAMPLE]
                ],
            }
        )
    return accounts


def _bookable_offers(beneficiary) -> list[dict]:
    """Individual offers the person may book, with room for one more booking and a free slot
    in the coming weeks, and the mentor to ask (the referent when they take appointments)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
    from beneficiaires.models import Enrollment
    from programmes.enums import OfferMode, ProgrammeStatus
    from programmes.models import Offer
    from seances.enums import AppointmentStatus
    from seances.slots import free_slots

    now = timezone.now()
    offers = (
        Offer.objects.filter(
            mode=OfferMode.INDIVIDUAL,
            programme__status=ProgrammeStatus.OPEN,
            # The load test cancels what it books, as the beneficiary.
            cancel_allowed=True,
            enrollments__beneficiary=beneficiary,
            enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES,
        )
        .annotate(
            upcoming=Count(
                "appointments",
                filter=Q(
                    appointments__beneficiary=beneficiary,
                    appointments__status=AppointmentStatus.BOOKED,
                    appointments__starts_at__gte=now,
                ),
                distinct=True,
            )
        )
        .distinct()
        .order_by("pk")
    )
    found = []
    today = timezone.localdate()
    for offer in offers:
        if offer.upcoming >= offer.max_active_bookings:
            continue
        mentors = list(offer.mentors.filter(is_active=True).order_by("pk"))
        enrollment = (
            Enrollment.objects.filter(beneficiary=beneficiary, offer=offer)
            .active()
            .order_by("-started_on", "pk")
            .first()
        )
        referent = enrollment.referent_mentor if enrollment else None
        if referent in mentors:
            mentors.remove(referent)
            mentors.insert(0, referent)
        for mentor in mentors[:3]:
            end = today + datetime.timedelta(days=SLOT_SEARCH_DAYS)
            if free_slots(offer=offer, mentor=mentor, start=today, end=end):
                found.append(
                    {
                        "id": str(offer.public_id),
                        "mentor": str(mentor.public_id),
                        "horizon_days": min(offer.horizon_days, SLOT_SEARCH_DAYS),
                    }
                )
                break
    return found


def _beneficiaries(email: str) -> list[dict]:
    from beneficiaires.models import Beneficiary

    first = _user(email)
    accounts = []
    first_offers = _bookable_offers(first.beneficiary_profile)
    if first_offers:
        accounts.append({"email": first.email, "offers": first_offers})
    candidates = (
        Beneficiary.objects.filter(
            user__isnull=False,
            user__is_active=True,
            organization_id=first.beneficiary_profile.organization_id,
        )
        .exclude(user=first)
        .select_related("user")
        .order_by("pk")
    )
    for beneficiary in candidates[:200]:
        if len(accounts) >= ACCOUNTS_PER_ROLE:
            break
        offers = _bookable_offers(beneficiary)
        if offers:
            accounts.append({"email": beneficiary.user.email, "offers": offers})
    if not accounts:
        sys.exit("No beneficiary account has an offer to book with a free slot.")
    return accounts


def _contention(offer_id: str) -> dict:
    """An offer and CONTENTION_SESSIONS logins that may book it (the same login several times
    when fewer people are enrolled: each session is a separate booking attempt)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
    from beneficiaires.models import Beneficiary
    from programmes.models import Offer
    from seances.enums import AppointmentStatus

    offer = Offer.objects.get(public_id=offer_id)
    enrolled = (
        Beneficiary.objects.filter(
            user__isnull=False,
            user__is_active=True,
            enrollments__offer=offer,
            enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES,
        )
        .annotate(
            upcoming=Count(
                "appointments",
                filter=Q(
                    appointments__offer=offer,
                    appointments__status=AppointmentStatus.BOOKED,
                    appointments__starts_at__gte=timezone.now(),
                ),
                distinct=True,
            )
        )
        .filter(upcoming__lt=offer.max_active_bookings)
        .distinct()
        .order_by("pk")
        .values_list("user__email", flat=True)[:CONTENTION_SESSIONS]
    )
    emails = list(enrolled)
    distinct = len(emails)
    while len(emails) < CONTENTION_SESSIONS:
        emails.append(emails[len(emails) % distinct])
    return {"offer": offer_id, "emails": emails, "distinct": distinct}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
