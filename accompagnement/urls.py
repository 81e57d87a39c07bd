from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from beneficiaires.api import BeneficiaryViewSet
from programmes.api import ProgrammeViewSet

admin.site.site_header = _("Accompagnement administration")
admin.site.site_title = _("Accompagnement")

router = DefaultRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("beneficiaires", BeneficiaryViewSet, basename="beneficiary")

urlpatterns = [
    path("", include("core.urls")),
    path("compte/", include("accounts.urls")),
    path("programmes/", include("programmes.urls")),
    path("beneficiaires/", include("beneficiaires.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
