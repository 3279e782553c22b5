from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "agora.records"
    label = "records"
    verbose_name = "Records"
