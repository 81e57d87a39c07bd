from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import EmailAuthenticationForm, OtpCodeForm, ProfileForm
from accounts.middleware import OTP_PENDING_KEY
from accounts.permissions import can_use_two_factor


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The email the attempt was for: forms and the API send it as `username`, any case."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username")
    return str(value or "").strip().lower()


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out attempt: the login page and its French message.

    The form already says why (EmailAuthenticationForm); only the status changes.
    """
    if response is None or response.status_code != 200:
        response = TemplateResponse(
            request, "accounts/login.html", {"form": EmailAuthenticationForm(request), "next": ""}
        )
        messages.error(request, EmailAuthenticationForm.locked_out_message())
        response.render()
    response.status_code = 429
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been updated."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.filter(is_active=True).select_related("organization")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "can_use_two_factor": can_use_two_factor(request.user),
        },
    )


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enable TOTP: scan the QR code (or type the secret), then confirm with a first code."""
    if not can_use_two_factor(request.user):
        raise PermissionDenied
    confirmed = _confirmed_device(request.user)
    if confirmed is not None:
        return render(
            request,
            "accounts/two_factor_setup.html",
            {"device": confirmed, "disable_form": OtpCodeForm(device=confirmed)},
        )
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": _("Authenticator app")}
    )
    form = OtpCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication is on."))
        return redirect("accounts:profile")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code to scan with your authenticator app")
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "device": None,
            "form": form,
            "qr_svg": qr_svg,
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@require_POST
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn TOTP off: needs a current code, so a borrowed session is not enough."""
    if not can_use_two_factor(request.user):
        raise PermissionDenied
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = OtpCodeForm(request.POST, device=device)
    if form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(OTP_PENDING_KEY, None)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"device": device, "disable_form": form},
        status=400,
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second login step: the code of the person's confirmed authenticator."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if not request.session.get(OTP_PENDING_KEY) or request.user.is_verified():
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    device = _confirmed_device(request.user)
    if device is None:  # removed meanwhile (by an administrator): nothing left to ask
        request.session.pop(OTP_PENDING_KEY, None)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = OtpCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session.pop(OTP_PENDING_KEY, None)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})
