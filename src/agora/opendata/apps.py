from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "agora.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from agora.core.signals import worker_starting

        worker_starting.connect(_seed_daily, dispatch_uid="agora.opendata.statistics")


def _seed_daily(sender, **kwargs) -> None:
    """Seed the daily statistics refresh when a worker starts (never a second chain)."""
    from agora.opendata.tasks import statistics_daily_start

    statistics_daily_start()
