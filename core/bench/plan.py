"""How many rows of each family the bench dataset holds at a given scale.

Scale 1 is the target of issue 10: 50 programmes, 20,000 beneficiaries, 500 mentors,
200,000 appointments and séances, 50,000 evaluation answers, 100,000 notifications. Every
figure is proportional to the scale, with a floor so that a tiny scale still has one of
each structure."""

from dataclasses import dataclass

BENCH_ORGANIZATION_PREFIX = "Banc d'essai"
BENCH_EMAIL_DOMAIN = "bench.example.org"
# Published on purpose: the load test logs in as any bench user with it.
BENCH_PASSWORD = "bench-accompagnement"  # noqa: S105

COORDINATORS_PER_ORGANIZATION = 3
THEMES_PER_ORGANIZATION = 8
# Each programme runs these offers: three one-to-one, three for groups.
OFFERS_PER_PROGRAMME = 6
# Share of the séances opened from an appointment (the rest: group sessions, hotline calls).
SEANCES_FROM_APPOINTMENTS = 0.78


def _at_least(value: float, floor: int) -> int:
    return max(floor, int(value + 0.5))


@dataclass(frozen=True)
class Plan:
    scale: float
    organizations: int
    mentors: int
    programmes: int
    beneficiaries: int
    appointments: int
    seances: int
    group_sessions: int
    answers: int
    notifications: int

    @classmethod
    def for_scale(cls, scale: float) -> "Plan":
        organizations = _at_least(10 * scale, 1)
        appointments = _at_least(120_000 * scale, 1)
        return cls(
            scale=scale,
            organizations=organizations,
            mentors=_at_least(500 * scale, 2 * organizations),
            programmes=_at_least(50 * scale, organizations),
            beneficiaries=_at_least(20_000 * scale, 10),
            appointments=appointments,
            seances=_at_least(200_000 * scale, appointments + 10) - appointments,
            group_sessions=_at_least(4_000 * scale, 3),
            answers=_at_least(50_000 * scale, 20),
            notifications=_at_least(100_000 * scale, 20),
        )

    @property
    def coordinators(self) -> int:
        return self.organizations * COORDINATORS_PER_ORGANIZATION

    @property
    def offers(self) -> int:
        return self.programmes * OFFERS_PER_PROGRAMME

    @property
    def themes(self) -> int:
        return self.organizations * THEMES_PER_ORGANIZATION
