"""API authentication: a token for scripts and tools, obtained with email and password."""

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts.forms import EmailAuthenticationForm


class EmailAuthTokenSerializer(AuthTokenSerializer):
    """DRF's token serializer; people log in with their email, sent as `username`."""

    username = serializers.EmailField(label=_("Email address"), write_only=True)
    otp_token = serializers.CharField(
        label=_("6-digit code"),
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=_(
            "The code of your authenticator app: required when two-factor authentication "
            "is on for your account."
        ),
    )

    def validate_username(self, value: str) -> str:
        return value.lower()  # emails are stored lower-cased

    def validate(self, attrs: dict) -> dict:
        """The password first; then, for an account with a confirmed authenticator, its code.

        A wrong or missing code counts as a failed login for django-axes, like a wrong
        password, so guessing codes locks the account out as guessing passwords does."""
        attrs = super().validate(attrs)
        user = attrs["user"]
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            return attrs
        code = attrs.get("otp_token", "").strip().replace(" ", "")
        if code.isdigit() and device.verify_token(code):
            return attrs
        request = self.context.get("request")
        user_login_failed.send(
            sender=type(self), credentials={"username": attrs["username"]}, request=request
        )
        message = (
            _("This code is not valid. Type the code your app shows now.")
            if code
            else _("Two-factor authentication is on: send the code of your app in otp_token.")
        )
        raise serializers.ValidationError({"otp_token": [message]}, code="otp")


@extend_schema(
    summary="Obtain an API token",
    description=(
        "Send your email address (as `username`) and password; the answer holds your token. "
        "With two-factor authentication on for the account, also send the current code of the "
        "authenticator app as `otp_token` (without it, or with a wrong code: 400, counted as "
        "a failed login). Then send `Authorization: Token <token>` with each request. The "
        "same token is returned until an administrator deletes it."
    ),
)
class ObtainAuthTokenView(ObtainAuthToken):
    serializer_class = EmailAuthTokenSerializer
    # Credentials are the authentication here; a browser session plays no part.
    authentication_classes = ()
    # Slow down password guessing: a few attempts per minute and address (REST_FRAMEWORK).
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "api-token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid() and getattr(request, "axes_locked_out", False):
            # django-axes refused the attempt: same lock-out as the login page.
            return Response(
                {"detail": EmailAuthenticationForm.locked_out_message()},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
