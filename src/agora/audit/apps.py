from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "agora.audit"
    label = "audit"
    verbose_name = "Transparency log"
