from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "agora.opendata"
    label = "opendata"
    verbose_name = "Open data"
