from django.urls import path

from agora.core import problem_views, views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("problems/", problem_views.problem_list, name="problem-list"),
    path("problems/<slug:code>", problem_views.problem_detail, name="problem-detail"),
]
