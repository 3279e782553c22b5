from django.contrib import admin
from django.urls import include, path

from agora.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("console/", include("agora.console.urls")),
    path("open311/v2/", include("agora.cases.open311_urls")),
    path("", include("agora.opendata.urls")),
    path("", include("agora.challenges.urls")),
    path("", include("agora.core.urls")),
    path("", include("agora.portal.urls")),
]

handler400 = "agora.core.views.bad_request"
handler403 = "agora.core.views.permission_denied"
handler404 = "agora.core.views.page_not_found"
handler500 = "agora.core.views.server_error"
