from django.urls import path

from agora.challenges import views

app_name = "challenges"

urlpatterns = [
    path("challenges/", views.challenge_index, name="index"),
    path("challenges/<slug:slug>/", views.challenge_detail, name="detail"),
    path("challenges/<slug:slug>/propose", views.proposal_new, name="propose"),
    path("challenges/<slug:slug>/comment", views.comment_new, name="comment"),
    path("challenges/<slug:slug>/follow", views.follow, name="follow"),
    path("challenges/<slug:slug>/proposals/<str:proposal_id>/support", views.proposal_support,
         name="support"),
]
