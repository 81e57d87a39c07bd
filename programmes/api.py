from rest_framework import serializers, viewsets

from programmes.models import Offer, Programme


class OfferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "mode",
            "channel_in_person",
            "channel_phone",
            "channel_video",
            "duration_minutes",
            "capacity",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "title",
            "organization",
            "description",
            "objectives",
            "target_public",
            "territory",
            "start_date",
            "end_date",
            "status",
            "offers",
        ]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related("offers")
            .order_by("-start_date", "title")
        )
