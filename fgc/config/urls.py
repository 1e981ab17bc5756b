"""Root URLs: the hub at "/", accounts, audit, statistics releases and Django admin (administrators
only)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("fgc.accounts.urls")),
    path("audit/", include("fgc.audit.urls")),
    path("casework/", include("fgc.casework.urls")),
    path("admin/", admin.site.urls),
    path("insight/", include("fgc.insight_web.urls")),
    path("statistics/", include("fgc.statistics.urls")),
    path("", include("fgc.web.urls")),
    path("", include("fgc.hub.urls")),
]

handler400 = "fgc.web.views.bad_request"
handler403 = "fgc.web.views.permission_denied"
handler404 = "fgc.web.views.page_not_found"
handler500 = "fgc.web.views.server_error"
