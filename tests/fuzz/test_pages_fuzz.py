"""Random data posted to the main public and writing pages: never a 5xx, and a page that
answers with its form again has saved nothing."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beneficiaires.models import Beneficiary, ContactLog
from outreach.antispam import HONEYPOT_FIELD
from programmes.enums import ProgrammeStatus
from programmes.models import Offer, Programme, Theme
from tests.fuzz.test_forms_fuzz import VALUES

PAGE_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

MODELS = (Beneficiary, ContactLog, Programme, Offer, Theme)

# page id -> (persona or None, URL builder, field names posted)
PAGES = {
    "login": (None, lambda w: reverse("accounts:login"), ["username", "password"]),
    "beneficiary_create": (
        "coordinator",
        lambda w: reverse("beneficiaires:create"),
        ["name", "kind", "contact_name", "email", "phone", "postal_code", "territory",
         "situation", "priority", "stage", "notes", "programmes", "referent"],
    ),
    "contact_log": (
        "mentor",
        lambda w: reverse("beneficiaires:contact_add", args=[w["beneficiary"].public_id]),
        ["channel", "happened_on", "summary", "next_step", "next_step_on"],
    ),
    "programme_create": (
        "coordinator",
        lambda w: reverse("programmes:create"),
        ["title", "description", "start_date", "end_date", "coordinators", "status",
         "slug", "is_published", "territory", "audiences", "max_beneficiaries"],
    ),
    "offer_create": (
        "coordinator",
        lambda w: reverse("programmes:offer_create", args=[w["programme"].public_id]),
        ["kind", "title", "description", "mode", "duration_minutes", "capacity", "themes",
         "channel_in_person", "channel_phone", "channel_video", "partner_organization"],
    ),
    "theme_create": ("coordinator", lambda w: reverse("programmes:theme_create"), ["name"]),
    "support_request": (
        None,
        lambda w: reverse("outreach:support_request", args=[w["programme"].slug]),
        ["name", "email", "phone", "organization_name", "postal_code", "message", "offer",
         "consent", HONEYPOT_FIELD, "started"],
    ),
}  # fmt: skip


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_random_posts_never_fail_nor_half_save(page, client, request, beneficiary, case_counter):
    persona, url_of, names = PAGES[page]
    programme = request.getfixturevalue("programme")
    Programme.objects.filter(pk=programme.pk).update(
        is_published=True, status=ProgrammeStatus.OPEN, slug="programme-fuzz"
    )
    programme.refresh_from_db()
    url = url_of({"beneficiary": beneficiary, "programme": programme})
    if persona:
        client.force_login(request.getfixturevalue(persona))

    @PAGE_SETTINGS
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    def run(data):
        case_counter()
        cache.clear()  # rate limits of the public forms count in the cache
        # A NUL character cannot travel in a form-encoded body the test client builds.
        data = {name: value.replace("\x00", "") for name, value in data.items()}
        before = _counts()
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code == 200:  # the form again, with its errors
            assert _counts() == before

    run()
