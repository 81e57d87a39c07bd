"""Fuzz runs (hypothesis, schemathesis): count the cases tried and print the total at the end."""

import pytest

CASES: dict[str, int] = {}


def count_case(test_id: str) -> None:
    """Record one generated case of a test (called from inside the property)."""
    CASES[test_id] = CASES.get(test_id, 0) + 1


@pytest.fixture
def case_counter(request):
    """A callable counting the cases tried by the current test."""
    return lambda: count_case(request.node.nodeid)


def pytest_terminal_summary(terminalreporter):
    if not CASES:
        return
    api = {k: v for k, v in CASES.items() if "schemathesis" in k}
    forms = {k: v for k, v in CASES.items() if k not in api}
    terminalreporter.section("fuzzing")
    if forms:
        terminalreporter.write_line(
            f"hypothesis: {sum(forms.values())} cases over {len(forms)} tests"
        )
    if api:
        coverage = {k: v for k, v in api.items() if "coverage" in k}
        fuzzing = {k: v for k, v in api.items() if k not in coverage}
        terminalreporter.write_line(
            f"schemathesis: {sum(api.values())} cases: fuzzing {sum(fuzzing.values())} over "
            f"{len(fuzzing)} runs (API operation × valid or invalid data), coverage phase "
            f"{sum(coverage.values())} over {len(coverage)} operations"
        )
