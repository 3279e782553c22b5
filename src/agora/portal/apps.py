from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "agora.portal"
    label = "portal"
