"""The API under /api/v1/: one router for every app's viewsets, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from beneficiaires.api import BeneficiaryViewSet
from programmes.api import ProgrammeViewSet

router = DefaultRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("beneficiaires", BeneficiaryViewSet, basename="beneficiary")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
