"""API of the requests part of outreach (issue 8): a partner's website sends a support request
on behalf of a visitor. Create-only, no login; the same rules as the public form
(outreach.services.requests.validate_request_data), the honeypot and the rate limit per IP.
The answer echoes no personal data."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from beneficiaires.enums import BeneficiaryKind, Situation
from core.api import BAD_REQUEST, FORBIDDEN, TOO_MANY_REQUESTS
from outreach.antispam import HONEYPOT_FIELD, rate_limited
from outreach.enums import PreferredChannel, RequestOrigin
from outreach.services.requests import (
    NEEDS_MAX_LENGTH,
    requestable_programmes,
    support_request_create,
    validate_request_data,
)
from programmes.models import Offer

# The same budget as the public form: a partner's site forwards one visitor at a time.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


class SupportRequestSerializer(serializers.Serializer):
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=requestable_programmes(),
        help_text="The programme's address on the public catalogue (its slug).",
        error_messages={"does_not_exist": gettext_lazy("No open programme has this address.")},
    )
    requester_kind = serializers.ChoiceField(
        choices=BeneficiaryKind.choices, default=BeneficiaryKind.INDIVIDUAL
    )
    name = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    territory = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    situation = serializers.ChoiceField(
        choices=Situation.choices, required=False, allow_blank=True, default=""
    )
    needs = serializers.CharField(max_length=NEEDS_MAX_LENGTH)
    preferred_channel = serializers.ChoiceField(
        choices=PreferredChannel.choices, default=PreferredChannel.EMAIL
    )
    offer = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="An offer of the programme."
    )
    consent_contact = serializers.BooleanField(
        help_text="The visitor agrees to be contacted about this request: must be true."
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave empty (anti-spam): a request with a value here is refused.",
    )

    def validate(self, attrs):
        if attrs.get(HONEYPOT_FIELD):
            raise serializers.ValidationError(
                _("Your request could not be sent. Please check it and send it again.")
            )
        programme = attrs["programme"]
        offer_id = attrs.get("offer")
        offer = None
        if offer_id is not None:
            offer = Offer.objects.filter(
                public_id=offer_id, programme=programme, is_active=True
            ).first()
            if offer is None:
                raise serializers.ValidationError(
                    {"offer": _("Choose an offer of this programme in the list.")}
                )
        attrs["offer"] = offer
        try:
            validate_request_data(
                programme=programme,
                requester_kind=attrs["requester_kind"],
                name=attrs["name"],
                contact_name=attrs.get("contact_name", ""),
                email=attrs.get("email", ""),
                phone=attrs.get("phone", ""),
                situation=attrs.get("situation", ""),
                needs=attrs["needs"],
                preferred_channel=attrs["preferred_channel"],
                offer=offer,
                consent_contact=attrs["consent_contact"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs


class SupportRequestCreateView(APIView):
    # No session or token: a partner's site posts for an anonymous visitor (and no CSRF).
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Send a support request (partner websites)",
        description=(
            "Create-only. The request lands in the programme's outreach list at the stage "
            "« à contacter »; the visitor receives the acknowledgement. At most "
            f"{RATE_LIMIT} requests per hour from one address."
        ),
        request=SupportRequestSerializer,
        responses={
            201: inline_serializer(
                "SupportRequestCreated",
                {"id": serializers.UUIDField(), "message": serializers.CharField()},
            ),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            429: TOO_MANY_REQUESTS,
        },
        tags=["support-requests"],
    )
    def post(self, request):
        if rate_limited(request, "support_request", RATE_LIMIT, RATE_WINDOW_SECONDS):
            return Response(
                {
                    "detail": _(
                        "Too many requests were sent from your connection. Please try again later."
                    )
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer = SupportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop(HONEYPOT_FIELD, None)
        created = support_request_create(origin=RequestOrigin.API, **data)
        return Response(
            {
                "id": str(created.public_id),
                "message": _(
                    "Thank you: the request has been sent. The team will contact the person "
                    "within a few days."
                ),
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path(
        "support-requests/",
        SupportRequestCreateView.as_view(),
        name="support-request-create",
    ),
]
