"""The Open311 GeoReport v2 addresses, each in `.json` and `.xml`; mounted at /open311/v2/."""

from django.urls import path, re_path

from agora.cases import open311_views as views

app_name = "open311"

_FMT = r"\.(?P<fmt>[^./]+)$"

urlpatterns = [
    re_path(r"^discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^services" + _FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + _FMT, views.service_definition, name="service"),
    re_path(r"^requests" + _FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+?)" + _FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token_id>[^/]+?)" + _FMT, views.token, name="token"),
    path("<path:path>", views.not_found),
    path("", views.not_found),
]
