"""The throwaway databases the benchmarks run on: a SQLite file under var/bench/ and a
database on the local PostgreSQL, created and dropped by the benchmark itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BENCH_DIR = PROJECT / "var" / "bench"
POSTGRES_SERVER = os.environ.get("AGORA_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SCALE = float(os.environ.get("AGORA_BENCH_SCALE", "1"))


class Throwaway:
    def __init__(self, *, sqlite_name: str, postgres_db: str):
        self.sqlite_file = BENCH_DIR / sqlite_name
        self.postgres_db = postgres_db

    def url(self, which: str) -> str:
        if which == "sqlite":
            return f"sqlite:///{self.sqlite_file}"
        return f"{POSTGRES_SERVER}/{self.postgres_db}"

    def setup(self, which: str) -> None:
        """Configure Django for the throwaway database `which` in this process."""
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        os.environ.update({
            "DATABASE_URL": self.url(which),
            "AGORA_SECRET_KEY": "bench-only-" + "b" * 50,
            "AGORA_PLATFORM_KEY_FILE": str(BENCH_DIR / "platform-key.pem"),
            "AGORA_VAR_DIR": str(BENCH_DIR),
            "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "agora.settings",
        })
        sys.path[:0] = [str(PROJECT / "src"), str(PROJECT)]
        import django

        django.setup()

    def postgres(self, action: str) -> bool:
        """Drop the PostgreSQL database, and create it afresh when `action` is "create"."""
        import psycopg

        try:
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {self.postgres_db} WITH (FORCE)")
                if action == "create":
                    connection.execute(f"CREATE DATABASE {self.postgres_db}")
        except psycopg.OperationalError as error:
            print(f"PostgreSQL is unreachable ({error}); skipping it.", file=sys.stderr)
            return False
        return True

    def postgres_keep(self) -> bool:
        """Create the PostgreSQL database unless it exists (a kept world); False if unreachable."""
        import psycopg

        try:
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
                found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                           [self.postgres_db]).fetchone()
                if not found:
                    connection.execute(f"CREATE DATABASE {self.postgres_db}")
        except psycopg.OperationalError as error:
            print(f"PostgreSQL is unreachable ({error}); skipping it.", file=sys.stderr)
            return False
        return True

    def remove_sqlite(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)

    def run_each(self, module: str, databases=("sqlite", "postgres"), *,
                 keep: bool = False) -> list[dict]:
        """Run `python -m module <database>` on each fresh database; return their figures.

        Each run gets its own process (Django is set up once per process) and a database
        made for it and removed afterwards; PostgreSQL is skipped when unreachable. With
        `keep`, a database left by an earlier run is used again and kept afterwards (the
        benchmark then decides whether its world is already built).
        """
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        figures = []
        for which in databases:
            if which == "sqlite":
                if not keep:
                    self.remove_sqlite()
            elif not (self.postgres_keep() if keep else self.postgres("create")):
                continue
            try:
                done = subprocess.run(  # noqa: S603 (our own module, fixed arguments)
                    [sys.executable, "-m", module, which], cwd=PROJECT,
                    stdout=subprocess.PIPE, text=True, check=True,
                )
                figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
            finally:
                if not keep and which == "postgres":
                    self.postgres("drop")
                elif not keep:
                    self.remove_sqlite()
        return figures
