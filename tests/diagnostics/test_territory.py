import pytest

from diagnostics.territory import department_of, same_territory


@pytest.mark.parametrize(
    ("postal_code", "department"),
    [
        ("69003", "69"),
        ("01000", "01"),
        ("20000", "2A"),
        ("20600", "2B"),
        ("97400", "974"),
        ("", ""),
    ],
)
def test_department_of_a_postal_code(postal_code, department):
    assert department_of(postal_code) == department


@pytest.mark.parametrize(
    ("mentor", "territory", "postal_code", "expected"),
    [
        ("Lyon et Métropole de Lyon (Rhône)", "Lyon 7e", "69007", True),
        ("Rhône", "", "69100", True),
        ("69", "", "69100", True),
        ("Villeurbanne", "Villeurbanne", "", True),
        ("val de marne", "Créteil", "94000", True),
        ("Val-de-Marne", "Lyon 3e", "69003", False),
        ("", "Lyon", "69003", False),
        ("Ain", "Saint-Étienne", "42000", False),
    ],
)
def test_same_territory(mentor, territory, postal_code, expected):
    assert same_territory(mentor, territory=territory, postal_code=postal_code) is expected
