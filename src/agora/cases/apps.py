from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "agora.cases"
    label = "cases"
    verbose_name = "Requests"
