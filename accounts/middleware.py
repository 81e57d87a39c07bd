"""Session lifetime and the second login step, checked on every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Session keys (set at login by accounts.signals, and by these middlewares).
LOGIN_AT_KEY = "accounts_login_at"
LAST_ACTIVITY_KEY = "accounts_last_activity"
OTP_PENDING_KEY = "accounts_otp_pending"

# The last-activity stamp is rewritten at most once a minute: fewer session writes.
ACTIVITY_RESOLUTION = 60

# Paths outside the person's pages: the API answers with its own status codes.
API_PREFIX = "/api/"


class SessionLifetimeMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT without a request, or SESSION_COOKIE_AGE after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self._expiry_reason(request)
            if reason:
                logout(request)
                if request.path.startswith(API_PREFIX):
                    return self.get_response(request)
                messages.warning(request, reason)
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    def _expiry_reason(self, request) -> str:
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT_KEY)
        if login_at is None:
            session[LOGIN_AT_KEY] = login_at = now
        if now - login_at > settings.SESSION_COOKIE_AGE:
            return _("Your session has ended: you have been logged in too long. Log in again.")
        last = session.get(LAST_ACTIVITY_KEY, now)
        if now - last > settings.SESSION_IDLE_TIMEOUT:
            return _("Your session has ended after a period of inactivity. Log in again.")
        if now - last >= ACTIVITY_RESOLUTION or LAST_ACTIVITY_KEY not in session:
            session[LAST_ACTIVITY_KEY] = now
        return ""


class TwoFactorRequiredMiddleware:
    """A person with a confirmed authenticator reaches nothing before giving a code.

    The flag is set at login (accounts.signals), so pages cost no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(OTP_PENDING_KEY)
            and not user.is_verified()
            and not self._is_exempt(request.path)
        ):
            if request.path.startswith(API_PREFIX):
                logout(request)
                return self.get_response(request)
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("accounts:two_factor_verify")
            )
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:two_factor_verify"),
            reverse("accounts:logout"),
            settings.STATIC_URL,
            "/i18n/",
        )
        return path.startswith(exempt)
