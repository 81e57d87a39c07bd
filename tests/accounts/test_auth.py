import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_with_email_reaches_home(client, coordinator):
    coordinator.set_password("un-mot-de-passe-solide")
    coordinator.save()

    response = client.post(
        reverse("accounts:login"),
        {"username": coordinator.email.upper(), "password": "un-mot-de-passe-solide"},
    )

    assert response.status_code == 302
    assert response.url == reverse("core:home")


@pytest.mark.django_db
def test_wrong_password_shows_a_french_error(client, coordinator):
    response = client.post(
        reverse("accounts:login"), {"username": coordinator.email, "password": "faux"}
    )

    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="claire@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "claire@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.org"]
    assert message.alternatives, "an HTML part is attached"
    link = re.search(r"https?://[^/]+(/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "nouveau-mot-de-passe-2026",
            "new_password2": "nouveau-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-mot-de-passe-2026")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_short_passwords_are_refused(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "un-mot-de-passe-solide",
            "new_password1": "court-9x",
            "new_password2": "court-9x",
        },
    )

    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.text


@pytest.mark.django_db
def test_profile_update(client, mentor):
    client.force_login(mentor)

    response = client.post(
        reverse("accounts:profile"), {"first_name": "Inès", "last_name": "Diallo", "phone": "0601"}
    )

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.first_name, mentor.last_name, mentor.phone) == ("Inès", "Diallo", "0601")


@pytest.mark.django_db
def test_emails_are_stored_lowercase_and_unique():
    User.objects.create_user(email="Claire@Example.org", password="un-mot-de-passe-solide")
    assert User.objects.filter(email="claire@example.org").exists()
