from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from beneficiaires.models import Beneficiary
from beneficiaires.permissions import can_list_beneficiaries


class BeneficiarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "kind",
            "name",
            "contact_name",
            "email",
            "phone",
            "postal_code",
            "territory",
            "situation",
        ]


class BeneficiaryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BeneficiarySerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return Beneficiary.objects.visible_to(self.request.user).order_by("name")

    def list(self, request, *args, **kwargs):
        if not can_list_beneficiaries(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)
