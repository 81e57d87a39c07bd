"""The API under /api/v1/: one router for every app's viewsets, the token door, the schema and
its interactive documentation."""

import base64
import hashlib
import re

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.template.loader import get_template
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import ObtainAuthTokenView
from beneficiaires.api import BeneficiaryViewSet, EnrollmentViewSet
from diagnostics.api import DiagnosticViewSet
from evaluation.api_indicators import ProgrammeIndicatorsView
from evaluation.api_questionnaires import QuestionnaireViewSet
from evaluation.api_responses import EvaluationResponseViewSet
from partners.api import PartnerViewSet
from programmes.api import OfferViewSet, ProgrammeViewSet
from seances.api import AppointmentViewSet, GroupSessionViewSet, RegistrationViewSet, SlotViewSet
from seances.api_work import (
    ActionItemViewSet,
    ClosingRecordViewSet,
    LogbookEntryViewSet,
    SeanceViewSet,
)

router = DefaultRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("offres", OfferViewSet, basename="offer")
router.register("partenaires", PartnerViewSet, basename="partner")
router.register("beneficiaires", BeneficiaryViewSet, basename="beneficiary")
router.register("diagnostics", DiagnosticViewSet, basename="diagnostic")
router.register("inscriptions", EnrollmentViewSet, basename="enrollment")
router.register("slots", SlotViewSet, basename="slots")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("group-sessions", GroupSessionViewSet, basename="group-session")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("seances", SeanceViewSet, basename="seance")
router.register("closing-records", ClosingRecordViewSet, basename="closing-record")
router.register("tasks", ActionItemViewSet, basename="task")
router.register("logbook", LogbookEntryViewSet, basename="logbook-entry")
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register("evaluation-responses", EvaluationResponseViewSet, basename="evaluation-response")


def _inline_style_hashes(template_name: str) -> list[str]:
    """CSP hashes of the <style> blocks of a template that has no template tag inside them."""
    source = get_template(template_name).template.source
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    ]


# The split view serves Swagger UI's start-up script as a file (no inline script, so the CSP
# stays as it is for scripts); its page still carries one small <style> block, allowed here by
# its hash on this view only. Assets come from drf-spectacular-sidecar (no CDN).
docs_view = login_required(
    csp_update({"style-src": _inline_style_hashes(SpectacularSwaggerSplitView.template_name)})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")
    )
)

urlpatterns = [
    # Before the router: the programmes' viewset would take this path as a detail action.
    path(
        "programmes/<uuid:id>/indicators/",
        ProgrammeIndicatorsView.as_view(),
        name="programme-indicators",
    ),
    path("", include("outreach.api_urls")),
    path("", include(router.urls)),
    path("token/", ObtainAuthTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs_view, name="api-docs"),
]
