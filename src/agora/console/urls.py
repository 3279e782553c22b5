from django.urls import path

from agora.console import (
    views,
    views_cases,
    views_dpo,
    views_people,
    views_purposes,
    views_sharing,
)

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
    path(
        "organisations/<slug:slug>/api-clients/<uuid:client_id>/purposes",
        views_purposes.apiclient_purposes,
        name="apiclient_purposes",
    ),
    path("organisations/<slug:slug>/purposes/", views_purposes.purpose_index, name="purposes"),
    path("organisations/<slug:slug>/purposes/new", views_purposes.purpose_new,
         name="purpose_new"),
    path("organisations/<slug:slug>/purposes/record.csv", views_purposes.art30_export_csv,
         name="purposes_csv"),
    path("organisations/<slug:slug>/purposes/record.json", views_purposes.art30_export_json,
         name="purposes_json"),
    path("organisations/<slug:slug>/purposes/<uuid:public_id>/", views_purposes.purpose_detail,
         name="purpose"),
    path("organisations/<slug:slug>/purposes/<uuid:public_id>/<slug:change>",
         views_purposes.purpose_change, name="purpose_change"),
    path("organisations/<slug:slug>/people/", views_people.person_search, name="people"),
    path(
        "organisations/<slug:slug>/people/<uuid:person_id>/",
        views_people.person_detail,
        name="person",
    ),
    path(
        "organisations/<slug:slug>/people/<uuid:person_id>/purpose",
        views_people.person_purpose,
        name="person_purpose",
    ),
    path("organisations/<slug:slug>/requests/", views_cases.queue, name="cases"),
    path("organisations/<slug:slug>/requests/<str:reference>/", views_cases.case_detail,
         name="case"),
    path("organisations/<slug:slug>/requests/<str:reference>/<slug:action>",
         views_cases.case_action, name="case_action"),
    path("organisations/<slug:slug>/dpo/", views_dpo.dpo_overview, name="dpo"),
    path("organisations/<slug:slug>/dpo/access", views_dpo.access_report, name="dpo_access"),
    path(
        "organisations/<slug:slug>/dpo/access.csv",
        views_dpo.access_report_csv,
        name="dpo_access_csv",
    ),
    path(
        "organisations/<slug:slug>/agreements/",
        views_sharing.agreement_index,
        name="agreements",
    ),
    path(
        "organisations/<slug:slug>/agreements/new",
        views_sharing.agreement_new,
        name="agreement_new",
    ),
    path(
        "organisations/<slug:slug>/agreements/<uuid:public_id>/",
        views_sharing.agreement_detail,
        name="agreement",
    ),
    path(
        "organisations/<slug:slug>/agreements/<uuid:public_id>/<slug:change>",
        views_sharing.agreement_change,
        name="agreement_change",
    ),
]
