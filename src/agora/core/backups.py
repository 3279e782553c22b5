"""Back up the database and restore it, with the engines' own tools.

SQLite: the online backup API (`sqlite3.Connection.backup`), safe while Agora serves, and
the same API in reverse to restore, so the restored database appears in one step.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction`, so a restore
that fails part-way leaves the database as it was.

A restore checks the file first: the engine's format, its integrity, and that it holds
Agora's tables (a file from another application is refused), and it refuses a database
that already holds Agora's data unless told to replace it. The platform key ring is not in
the database file: back up `AGORA_PLATFORM_KEY_FILE` beside it (docs/operations.md).
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from agora.core.exceptions import AgoraError

# Tables every Agora database has; a backup without them is not Agora's.
MARKER_TABLES = ("django_migrations", "audit_logentry", "people_person")
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(AgoraError):
    code = "backup-failed"
    status = 400
    title = "The backup or restore could not be done"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size_bytes: int


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def database_backup(*, database: dict, target: Path) -> BackupResult:
    """Write a backup of `database` to `target`; a failure leaves no file behind."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    engine = _engine(database)
    try:
        if engine == "sqlite":
            _sqlite_backup(Path(database["NAME"]), partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], database)
        os.replace(partial, target)  # the backup appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, engine=engine, size_bytes=target.stat().st_size)


def database_restore(*, database: dict, source: Path, replace: bool = False) -> str:
    """Restore `source` into `database`; return the engine. Nothing changes on failure."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    engine = _engine(database)
    if engine == "sqlite":
        _sqlite_restore(source, Path(database["NAME"]), replace=replace)
    else:
        _postgres_restore(source, database, replace=replace)
    return engine


# ------------------------------------------------------------------------------ SQLite


def _sqlite_backup(database_file: Path, target: Path) -> None:
    if not database_file.is_file():
        raise BackupError(f"There is no database at {database_file} to back up.")
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _sqlite_check(source: Path) -> sqlite3.Connection:
    """Open `source` read-only after checking it is a whole SQLite file with Agora's tables."""
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup (its first bytes say otherwise).")
    candidate = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    try:
        result = candidate.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{source} is damaged or truncated: {result}.")
        tables = {row[0] for row in candidate.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        candidate.close()
        raise BackupError(f"{source} is damaged or truncated: {error}.") from error
    except BackupError:
        candidate.close()
        raise
    missing = [table for table in MARKER_TABLES if table not in tables]
    if missing:
        candidate.close()
        raise BackupError(f"{source} is not an Agora backup (no {', '.join(missing)} table).")
    return candidate


def _sqlite_restore(source: Path, database_file: Path, *, replace: bool) -> None:
    candidate = _sqlite_check(source)
    try:
        database_file.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database_file, timeout=20)
        try:
            if not replace and _sqlite_has_agora(target):
                raise BackupError(
                    f"{database_file} already holds an Agora database; pass --replace to "
                    "overwrite it (stop the server first)."
                )
            # One step (pages=-1): the target changes in a single transaction.
            candidate.backup(target, pages=-1)
        finally:
            target.close()
    finally:
        candidate.close()


def _sqlite_has_agora(connection: sqlite3.Connection) -> bool:
    return connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_logentry'"
    ).fetchone()[0] > 0


# -------------------------------------------------------------------------- PostgreSQL


def _pg_environment(database: dict) -> dict[str, str]:
    """Return the libpq variables naming `database`, so no password is on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(argv: list[str], database: dict, *, what: str = "") -> str:
    if shutil.which(argv[0]) is None:
        raise BackupError(
            f"{argv[0]} is not installed; install PostgreSQL's client tools "
            "(Debian: postgresql-client) of the server's major version."
        )
    done = subprocess.run(  # noqa: S603 (fixed program, arguments we built)
        argv, env=_pg_environment(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what or argv[0]} failed: {message}")
    return done.stdout


def _postgres_restore(source: Path, database: dict, *, replace: bool) -> None:
    with source.open("rb") as handle:
        if handle.read(len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
            raise BackupError(f"{source} is not a pg_dump custom-format backup.")
    listing = _run(["pg_restore", "--list", str(source)], database,
                   what=f"Reading {source} (it may be truncated)")
    missing = [table for table in MARKER_TABLES if f" TABLE public {table} " not in listing]
    if missing:
        raise BackupError(f"{source} is not an Agora backup (no {', '.join(missing)} table).")
    has_agora = _run(
        ["psql", "--no-psqlrc", "--tuples-only", "--no-align", "--command",
         "SELECT to_regclass('public.audit_logentry') IS NOT NULL"], database,
        what="Connecting to the database",
    ).strip() == "t"
    if has_agora and not replace:
        raise BackupError(
            f"The database {database.get('NAME')} already holds Agora's data; pass --replace "
            "to overwrite it (stop the server first)."
        )
    argv = ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error",
            "--dbname", database.get("NAME") or "postgres"]
    if has_agora:
        argv += ["--clean", "--if-exists"]
    _run([*argv, str(source)], database, what="pg_restore")
