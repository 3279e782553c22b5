from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "agora.audit"
    label = "audit"
    verbose_name = "Transparency log"

    def ready(self) -> None:
        from agora.core.signals import worker_starting

        worker_starting.connect(_seed_cadence, dispatch_uid="agora.audit.cadence")


def _seed_cadence(sender, **kwargs) -> None:
    """Seed the signed-tree-head cadence when a worker starts (never a second chain)."""
    from agora.audit.cadence import cadence_start

    cadence_start()
