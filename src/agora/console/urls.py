from django.urls import path

from agora.console import views

app_name = "console"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/", views.organization_index, name="organizations"),
    path("organisations/new", views.organization_new, name="organization_new"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization"),
    path("organisations/<slug:slug>/edit", views.organization_edit, name="organization_edit"),
    path("organisations/<slug:slug>/members", views.member_index, name="members"),
    path("organisations/<slug:slug>/members/add", views.member_add, name="member_add"),
    path(
        "organisations/<slug:slug>/members/<uuid:user_id>/<slug:role>/remove",
        views.member_remove,
        name="member_remove",
    ),
    path("organisations/<slug:slug>/api-clients", views.apiclient_index, name="apiclients"),
    path(
        "organisations/<slug:slug>/api-clients/<uuid:client_id>/deactivate",
        views.apiclient_deactivate_view,
        name="apiclient_deactivate",
    ),
]
