from django.urls import path

from agora.portal import (
    activity,
    catalogue,
    check,
    consents,
    download,
    hub,
    requests,
    transparency,
    views,
)

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/activity/", activity.activity_list, name="activity"),
    path("account/activity/<int:seq>/verify/", activity.activity_verify, name="activity_verify"),
    path("account/consents/", consents.consent_list, name="consents"),
    path("account/consents/new/", consents.consent_new, name="consent_new"),
    path("account/consents/<uuid:public_id>/", consents.consent_detail, name="consent"),
    path("account/consents/<uuid:public_id>/receipt.json", consents.consent_receipt_download,
         name="consent_receipt"),
    path("account/consents/<uuid:public_id>/withdraw/", consents.consent_withdraw_confirm,
         name="consent_withdraw"),
    path("account/download/", download.download, name="download"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<str:reference>/", requests.request_detail, name="request"),
    path("search/", hub.search_page, name="search"),
    path("documents/<uuid:public_id>/", hub.document_page, name="document"),
    path("topics/", hub.topic_index, name="topics"),
    path("topics/<slug:slug>/", hub.topic_page, name="topic"),
    path("how-organisations-use-information/", transparency.purposes_index, name="purposes"),
    path("how-organisations-use-information/<slug:slug>/", transparency.organization_purposes,
         name="organization_purposes"),
    path("services/", catalogue.service_index, name="services"),
    path("services/<slug:code>/", catalogue.service_page, name="service"),
    path("check/", check.check_start, name="check"),
    path("check/your-records/", check.check_records, name="check_records"),
    path("check/question/<slug:key>/", check.check_question, name="check_question"),
    path("check/results/", check.check_results, name="check_results"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
