from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "agora.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from agora.core.signals import worker_starting
        from agora.opendata.models import DatastoreTable

        worker_starting.connect(_seed_daily, dispatch_uid="agora.opendata.statistics")
        post_delete.connect(_table_drop, sender=DatastoreTable,
                            dispatch_uid="agora.opendata.table_drop")


def _seed_daily(sender, **kwargs) -> None:
    """Seed the daily statistics refresh when a worker starts (never a second chain)."""
    from agora.opendata.tasks import statistics_daily_start

    statistics_daily_start()


def _table_drop(sender, instance, **kwargs) -> None:
    """Drop a DataStore table with its row, in the same transaction (DDL is transactional
    on SQLite and PostgreSQL): however the row goes (a resource removed, a dataset or an
    organisation deleted in the admin, datastore_delete), no table is left behind."""
    from agora.opendata.datastore import table_drop

    table_drop(instance.table_name)
