from django.urls import path

from agora.portal import activity, applications, consents, download, hub, transparency, views

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
    path("search/", hub.search_page, name="search"),
    path("documents/<uuid:public_id>/", hub.document_page, name="document"),
    path("topics/", hub.topic_index, name="topics"),
    path("topics/<slug:slug>/", hub.topic_page, name="topic"),
    path("how-organisations-use-information/", transparency.purposes_index, name="purposes"),
    path("how-organisations-use-information/<slug:slug>/", transparency.organization_purposes,
         name="organization_purposes"),
    path("services/<slug:code>/apply/", applications.application_start,
         name="application_start"),
    path("services/<slug:code>/apply/continue/", applications.application_continue,
         name="application_continue"),
    path("services/<slug:code>/apply/use-your-information/", applications.application_prefill,
         name="application_prefill"),
    path("services/<slug:code>/apply/questions/<str:name>/", applications.application_question,
         name="application_question"),
    path("services/<slug:code>/apply/check/", applications.application_check,
         name="application_check"),
    path("services/<slug:code>/apply/sent/", applications.application_sent,
         name="application_sent"),
    path("services/<slug:code>/apply/delete/", applications.application_discard,
         name="application_discard"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
