"""Two facilitator tabs (or two co-facilitators) press "next step" at the same moment: the
séance row lock moves the séance one step, never two (PostgreSQL)."""

import itertools

import pytest

from seances.models import CodevStep, Seance
from seances.services import codev
from tests.seances.test_appointments_concurrency import run_together
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]

TABS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_next_step_from_tabs_showing_the_same_step_moves_one_step(
    codev_seance, mentor, beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 2)

    def press(n):
        seance = Seance.objects.get(pk=codev_seance.pk)
        return lambda: codev.codev_next_step(
            seance=seance, notes=f"Tab {n}", current=2, acting_user=mentor
        )

    successes, refusals, errors = run_together([press(n) for n in range(TABS)])

    assert errors == []
    assert refusals == []
    assert len(successes) == TABS
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 3
    assert CodevStep.objects.get(seance=codev_seance, number=3).notes == ""
    assert CodevStep.objects.get(seance=codev_seance, number=2).notes.startswith("Tab ")
    assert CodevStep.objects.filter(seance=codev_seance, started_at__isnull=False).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_next_step_without_current_still_runs_steps_in_order(
    codev_seance, mentor, beneficiary
):
    """Even blind presses (no `current`) serialise: each moves exactly one step."""
    run_to_step(codev_seance, mentor, beneficiary, 1)

    def press():
        seance = Seance.objects.get(pk=codev_seance.pk)
        return lambda: codev.codev_next_step(seance=seance, notes="", acting_user=mentor)

    _, _, errors = run_together([press() for _ in range(3)])

    assert errors == []
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 4
    steps = list(CodevStep.objects.filter(seance=codev_seance).order_by("number"))
    for earlier, later in itertools.pairwise(steps[:4]):
        assert earlier.ended_at == later.started_at
