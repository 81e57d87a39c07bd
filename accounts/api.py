"""API authentication: a token for scripts and tools, obtained with email and password."""

from django.utils.translation import gettext_lazy as _
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

    def validate_username(self, value: str) -> str:
        return value.lower()  # emails are stored lower-cased


@extend_schema(
    summary="Obtain an API token",
    description=(
        "Send your email address (as `username`) and password; the answer holds your token. "
        "Then send `Authorization: Token <token>` with each request. The same token is "
        "returned until an administrator deletes it."
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
