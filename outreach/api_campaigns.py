"""API of the campaigns part of outreach (issue 8): the coordinators' campaigns with their
figures, read-only (GET /api/v1/campaigns/ and /api/v1/campaigns/<id>/). Writing and sending
stay on the pages, where the confirmation shows who receives what."""

from django.urls import path
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from outreach.models import Campaign
from outreach.permissions_campaigns import can_manage_campaigns
from outreach.selectors import campaign_figures, campaigns_visible_to


class CampaignFiguresSerializer(serializers.Serializer):
    recipients = serializers.IntegerField(source="recipients_count")
    sent = serializers.IntegerField(source="sent_count")
    failed = serializers.IntegerField(source="failed_count")
    pending = serializers.IntegerField(source="pending_count")
    opened = serializers.IntegerField(
        source="opened_count", help_text="Recipients who followed the link of the message."
    )
    replies = serializers.IntegerField(
        source="replies_count", help_text="Support requests sent in reply."
    )
    unsubscribed = serializers.IntegerField(
        source="unsubscribed_count", help_text="Addresses unsubscribed through this campaign."
    )


class CampaignSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    group_session = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    figures = CampaignFiguresSerializer(source="*", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "programme",
            "kind",
            "status",
            "subject",
            "body",
            "group_session",
            "filters",
            "per_minute",
            "created_at",
            "sent_at",
            "figures",
        ]
        read_only_fields = fields


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """The information campaigns of the programmes you coordinate, with their figures."""

    serializer_class = CampaignSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_manage_campaigns(request.user):
            raise PermissionDenied

    def get_queryset(self):
        return (
            campaign_figures(campaigns_visible_to(self.request.user))
            .select_related("programme", "group_session")
            .order_by("-created_at", "-id")
        )


urlpatterns = [
    path("campaigns/", CampaignViewSet.as_view({"get": "list"}), name="campaign-list"),
    path(
        "campaigns/<uuid:id>/",
        CampaignViewSet.as_view({"get": "retrieve"}),
        name="campaign-detail",
    ),
]
