from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "agora.access"
    label = "access"
    verbose_name = "Information sharing rules"
