from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Accompagnement administration")
admin.site.site_title = _("Accompagnement")

# Under /api/ Django's error pages answer JSON like the API's own errors; elsewhere, the pages.
handler400 = "core.api.bad_request"
handler403 = "core.api.permission_denied"
handler404 = "core.api.page_not_found"
handler500 = "core.api.server_error"

urlpatterns = [
    path("", include("core.urls")),
    path("compte/", include("accounts.urls")),
    path("programmes/", include("programmes.urls")),
    path("beneficiaires/", include("beneficiaires.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("partenaires/", include("partners.urls")),
    path("notifications/", include("notifications.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("", include("outreach.urls")),
    path("", include("privacy.urls")),
    path("", include("seances.urls")),
    path("", include("audit.urls")),
    path("api/v1/", include("accompagnement.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
