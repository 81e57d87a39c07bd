"""Receivers of django.contrib.auth's login signal: the session's clock and second step.

Infrastructure, not domain: every way of logging in (our form, the admin site, tests'
force_login) must start the session's clocks and ask for the code when a device exists.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_ACTIVITY_KEY, LOGIN_AT_KEY, OTP_PENDING_KEY


@receiver(user_logged_in, dispatch_uid="accounts_start_session_clocks")
def start_session_clocks(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[OTP_PENDING_KEY] = True
    else:
        request.session.pop(OTP_PENDING_KEY, None)
