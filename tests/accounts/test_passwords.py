"""Passwords: 12 characters at least, plus Django's common, numeric and similarity checks."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["court-mdp", "abcdefghijk", "12345678901234", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(email="claire.martin@example.org"))


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["un-mot-de-passe-solide", "demo-accompagnement"])
def test_factory_and_demo_passwords_still_pass(password):
    validate_password(password, UserFactory.build())


@pytest.mark.django_db
def test_eleven_characters_are_too_short_on_the_change_form(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        "/compte/mot-de-passe/changer/",
        {
            "old_password": "un-mot-de-passe-solide",
            "new_password1": "zq-kw-vb-px",
            "new_password2": "zq-kw-vb-px",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    coordinator.refresh_from_db()
    assert coordinator.check_password("un-mot-de-passe-solide")
