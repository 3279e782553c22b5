from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "agora.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        """Record announced events in the outbox; recover lost work when a worker starts."""
        from agora.core.events import event_announced
        from agora.core.signals import worker_starting
        from agora.notifications import outbox

        event_announced.connect(outbox.event_record, dispatch_uid="notifications-outbox")
        worker_starting.connect(outbox.worker_started, dispatch_uid="notifications-recover")
