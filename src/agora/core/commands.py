"""`agora backup` and `agora restore`: the database, with the engines' own tools."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from agora.core.commandline import fail, out, setup_django


def backup_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Backup file to write (default: var/backups/agora-<time>.<ext>)."),
    ] = None,
) -> None:
    """Back up the database (SQLite online backup, or pg_dump); safe while Agora serves."""
    setup_django()
    from django.conf import settings

    from agora.core.backups import BackupError, database_backup

    database = settings.DATABASES["default"]
    if path is None:
        stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
        suffix = "sqlite3" if database["ENGINE"].endswith("sqlite3") else "pgdump"
        path = Path(settings.VAR_DIR) / "backups" / f"agora-{stamp}.{suffix}"
    with out.status(f"Backing up to {path}…"):
        try:
            result = database_backup(database=database, target=path)
        except BackupError as error:
            raise fail(error.detail, code=1) from None
    out.print(f"Backed up the {result.engine} database to {result.path} "
              f"({result.size_bytes:,} bytes).", soft_wrap=True)
    out.print(f"Keep the platform's private keys ({settings.PLATFORM_KEY_FILE} and "
              f"{settings.PLATFORM_KEY_DIR}/) with it: new heads and receipts are signed "
              "with them.", soft_wrap=True)


def restore_command(
    path: Annotated[Path, typer.Argument(help="A file written by `agora backup`.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that already has data.")
    ] = False,
) -> None:
    """Restore a backup into the configured database; a bad file changes nothing."""
    setup_django()
    from django.conf import settings

    from agora.core.backups import BackupError, database_restore

    database = settings.DATABASES["default"]
    with out.status(f"Restoring {path}…"):
        try:
            engine = database_restore(database=database, source=path, replace=replace)
        except BackupError as error:
            raise fail(error.detail, code=1) from None
    out.print(f"Restored {path} into the {engine} database. "
              "Run `agora audit verify` to check the log it holds.", soft_wrap=True)
