from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "agora.applications"
    label = "applications"
    verbose_name = "Applications"
