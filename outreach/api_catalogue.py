"""API of the catalogue part of outreach (issue 8, item 6): the public catalogue as read-only
JSON for partners' websites. No authentication, throttled per IP; never a person's data
(no registrant, only seat counts).

Included under /api/v1/ (outreach.api_urls)."""

from django.db.models import Prefetch
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from outreach.filters import CatalogueFilter, OpenEventFilter
from outreach.selectors_catalogue import (
    open_events,
    published_programmes,
    seats_left,
    upcoming_public_sessions,
)
from programmes.enums import Audience
from programmes.models import Offer, Programme, Theme
from seances.models import GroupSession

CHANNEL_FIELDS = {
    "in_person": "channel_in_person",
    "phone": "channel_phone",
    "video": "channel_video",
}


class CatalogueThrottle(AnonRateThrottle):
    # The rate lives here rather than in settings.DEFAULT_THROTTLE_RATES: it is the only
    # anonymous API and its rate is part of its contract.
    scope = "catalogue"
    rate = "120/minute"


class PublicAPIMixin:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [CatalogueThrottle]


class CatalogueOfferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    channels = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "description",
            "mode",
            "mode_label",
            "channels",
            "duration_minutes",
            "themes",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(["in_person", "phone", "video"]))
    )
    def get_channels(self, offer: Offer) -> list[str]:
        return [name for name, field in CHANNEL_FIELDS.items() if getattr(offer, field)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, offer: Offer) -> list[str]:
        return [theme.name for theme in offer.themes.all()]


class CatalogueSessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.SerializerMethodField()
    programme = serializers.CharField(source="offer.programme.slug", read_only=True)
    offer = serializers.UUIDField(source="offer.public_id", read_only=True)
    seats_left = serializers.SerializerMethodField()
    is_full = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "title",
            "programme",
            "offer",
            "starts_at",
            "ends_at",
            "channel",
            "location",
            "capacity",
            "seats_left",
            "is_full",
            "is_open_event",
            "public_description",
            "url",
        ]

    def get_title(self, session: GroupSession) -> str:
        return session.title or session.offer.title

    def get_seats_left(self, session: GroupSession) -> int:
        return seats_left(session)

    def get_is_full(self, session: GroupSession) -> bool:
        return seats_left(session) == 0

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_location(self, session: GroupSession) -> str | None:
        # The place of an open event is public; another session's may be a private video link.
        return session.location if session.is_open_event else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, session: GroupSession) -> str | None:
        """The event's public page, where people register (open events only)."""
        if not session.is_open_event:
            return None
        path = reverse("outreach:catalogue_event", kwargs={"public_id": session.public_id})
        return self.context["request"].build_absolute_uri(path)


class CatalogueProgrammeSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), read_only=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "organization",
            "territory",
            "description",
            "audiences",
            "is_free",
            "price",
            "url",
        ]

    def get_url(self, programme: Programme) -> str:
        """The programme's public page."""
        path = reverse("outreach:catalogue_programme", kwargs={"slug": programme.slug})
        return self.context["request"].build_absolute_uri(path)


class CatalogueProgrammeDetailSerializer(CatalogueProgrammeSerializer):
    offers = CatalogueOfferSerializer(source="public_offers", many=True, read_only=True)
    upcoming_sessions = CatalogueSessionSerializer(
        source="public_sessions", many=True, read_only=True
    )

    class Meta(CatalogueProgrammeSerializer.Meta):
        fields = [
            *CatalogueProgrammeSerializer.Meta.fields,
            "objectives",
            "target_public",
            "frame",
            "how_it_works",
            "contact_email",
            "contact_phone",
            "offers",
            "upcoming_sessions",
        ]


@extend_schema(tags=["catalogue"])
class CatalogueProgrammeList(PublicAPIMixin, generics.ListAPIView):
    """Published open programmes; filters ?q, ?territory, ?public (an audience), ?theme."""

    serializer_class = CatalogueProgrammeSerializer
    filterset_class = CatalogueFilter

    def get_queryset(self):
        return published_programmes().select_related("organization").order_by("title", "pk")


@extend_schema(
    tags=["catalogue"],
    parameters=[
        OpenApiParameter(
            "id",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The programme's slug (the end of its public page's address).",
            # The same characters as the URL converter: anything else never reaches the view.
            pattern=r"^[-a-zA-Z0-9_]+$",
        )
    ],
)
class CatalogueProgrammeDetail(PublicAPIMixin, generics.RetrieveAPIView):
    """A published programme with its offers and upcoming group sessions (seats left)."""

    serializer_class = CatalogueProgrammeDetailSerializer
    lookup_field = "slug"
    # Named "id" in the path like every other resource of the API; it holds the slug.
    lookup_url_kwarg = "id"

    def get_queryset(self):
        offers = (
            Offer.objects.filter(is_active=True)
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
            .order_by("kind", "title", "pk")
        )
        return (
            published_programmes()
            .select_related("organization")
            .prefetch_related(Prefetch("offers", queryset=offers, to_attr="public_offers"))
        )

    def get_object(self):
        programme = super().get_object()
        programme.public_sessions = list(
            upcoming_public_sessions().filter(offer__programme=programme)
        )
        return programme


@extend_schema(tags=["catalogue"])
class CatalogueSessionList(PublicAPIMixin, generics.ListAPIView):
    """Upcoming open events (information meetings, experience sharing) of published
    programmes, with the seats left and the page where people register; ?programme=<slug>."""

    serializer_class = CatalogueSessionSerializer
    filterset_class = OpenEventFilter

    def get_queryset(self):
        return open_events()


urlpatterns = [
    path(
        "catalogue/programmes/",
        CatalogueProgrammeList.as_view(),
        name="catalogue-programme-list",
    ),
    path(
        "catalogue/programmes/<slug:id>/",
        CatalogueProgrammeDetail.as_view(),
        name="catalogue-programme-detail",
    ),
    path(
        "catalogue/sessions/",
        CatalogueSessionList.as_view(),
        name="catalogue-session-list",
    ),
]
