from django.urls import path

from agora.portal import activity, download, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/activity/", activity.activity_list, name="activity"),
    path("account/activity/<int:seq>/verify/", activity.activity_verify, name="activity_verify"),
    path("account/download/", download.download, name="download"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
