from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "agora.access"
    label = "access"
    verbose_name = "Information sharing rules"

    def ready(self) -> None:
        from agora.access import signals  # noqa: F401 (connects the grant bookkeeping)
