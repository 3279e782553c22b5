from django.urls import path, re_path

from agora.opendata import action_api, views

app_name = "opendata"

urlpatterns = [
    path("api/3/action/<str:name>", action_api.action_view, name="action"),
    path("api/action/<str:name>", action_api.action_view, name="action_unversioned"),
    re_path(r"^catalog\.(?P<suffix>ttl|rdf|jsonld)$", views.catalog_rdf, name="catalog_rdf"),
    path("data/", views.catalogue, name="catalogue"),
    re_path(r"^dataset/(?P<name>[-\w]+)\.(?P<suffix>ttl|rdf|jsonld)$", views.dataset_rdf,
            name="dataset_rdf"),
    path("dataset/<str:name>/", views.dataset, name="dataset"),
    path("dataset/<str:name>/resource/<str:resource_id>/download", views.resource_download,
         name="resource_download"),
]
