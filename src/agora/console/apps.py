from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "agora.console"
    label = "console"
