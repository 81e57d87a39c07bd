"""Light anti-spam for the forms the public fills in without an account (open event
registration, support request): a honeypot, a minimum fill time and a rate limit per IP.

Usage::

    class MyPublicForm(AntiSpamFormMixin, forms.Form):
        ...

The mixin adds two fields, "website" (the honeypot: a text input people never see) and
"form_started" (a signed timestamp set when the form is first shown). With a crispy layout,
add `*antispam_layout_fields()` to it; `{{ form }}` or a layout-less helper renders them
as they are (the honeypot's wrapper then needs the `d-none` class: use the layout helper).
"""

import time
from datetime import timedelta

from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# A person needs more than this to read and fill a form; a bot posts at once.
MIN_SECONDS = 3
MAX_AGE = timedelta(days=1)
HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
_SALT = "outreach.antispam.form_started"


def sign_form_started(now: float | None = None) -> str:
    """A signed token saying when the form was shown."""
    started = time.time() if now is None else now
    return signing.TimestampSigner(salt=_SALT).sign(f"{started:.3f}")


def read_form_started(token: str) -> float | None:
    """When the form was shown, or None if the token is forged or older than MAX_AGE."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token or "", max_age=MAX_AGE)
        return float(value)
    except (signing.BadSignature, ValueError):
        return None


def antispam_post_data(*, seconds_ago: float = 60) -> dict[str, str]:
    """The anti-spam fields of a form honestly filled in: for tests and API-free callers."""
    return {HONEYPOT_FIELD: "", STARTED_FIELD: sign_form_started(time.time() - seconds_ago)}


class AntiSpamFormMixin:
    """Adds a honeypot and a signed start time to a Django form and rejects obvious bots
    with a non-field error (never a 500, and without saying which check failed)."""

    antispam_error = _(
        "Your form could not be sent. Please check it and send it again in a few seconds."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[STARTED_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=sign_form_started
        )

    def clean(self):
        cleaned_data = super().clean()
        honeypot = (self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip()
        started = read_form_started(self.data.get(self.add_prefix(STARTED_FIELD)) or "")
        if started is None:
            # Expired (page left open for a day) or forged: give the next try a fresh token.
            self._refresh_started_token()
        if honeypot or started is None or time.time() - started < MIN_SECONDS:
            raise forms.ValidationError(self.antispam_error, code="spam")
        return cleaned_data

    def _refresh_started_token(self) -> None:
        data = self.data.copy()
        data[self.add_prefix(STARTED_FIELD)] = sign_form_started()
        self.data = data


def antispam_layout_fields() -> list:
    """The crispy layout items of the anti-spam fields (honeypot hidden from everyone)."""
    from crispy_forms.layout import Field

    return [
        Field(HONEYPOT_FIELD, wrapper_class="d-none"),
        Field(STARTED_FIELD),
    ]


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For can be set by anyone unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limited(request: HttpRequest, key: str, limit: int, window_seconds: int) -> bool:
    """True when this client IP already did `key` `limit` times in the current window.

    Counts the call: call it once per attempt (a POST), before doing the work."""
    cache_key = f"outreach:rl:{key}:{client_ip(request)}:{int(time.time()) // window_seconds}"
    # add() is a no-op when the key exists; incr() is atomic on Redis and locmem.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
