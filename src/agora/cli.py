"""The `agora` command line: each app's verbs, mounted, plus serve, check and manage.

Every app keeps its own verbs in `commands.py` (a typer group), as Django apps keep their
management commands; this module only mounts them. Each command parses its arguments,
sets Django up only when it needs it, calls one service or Django command and prints a
short summary. Bad arguments get one line naming the problem and exit code 2, with
nothing written.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from agora.answers.commands import answers_app
from agora.audit.commands import audit_app, keys_app
from agora.cases.open311_commands import open311_app
from agora.catalog.commands import catalog_app
from agora.content.commands import ingest_command, search_app
from agora.core.commandline import err, out, setup_django
from agora.core.commands import backup_command, restore_command
from agora.core.worker import worker_command
from agora.demo.commands import demo_app
from agora.notifications.commands import notifications_app
from agora.opendata.commands import opendata_app
from agora.organizations.commands import apiclient_app
from agora.records.commands import people_app

app = typer.Typer(
    help="Agora: personalised public services built on secure information sharing.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(demo_app, name="demo")
app.add_typer(apiclient_app, name="apiclient")
app.add_typer(audit_app, name="audit")
app.add_typer(catalog_app, name="catalog")
app.add_typer(keys_app, name="keys")
app.command("worker")(worker_command)
app.add_typer(people_app, name="people")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(search_app, name="search")
app.command("ingest")(ingest_command)
app.add_typer(open311_app, name="open311")
app.add_typer(notifications_app, name="notifications")
app.add_typer(answers_app, name="answers")
app.add_typer(opendata_app, name="opendata")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Gunicorn worker processes.")] = 2,
    worker: Annotated[bool, typer.Option(
        "--worker/--no-worker",
        help="Also run one background worker (it signs tree heads on their cadence). "
        "Turn it off where workers run on their own (`agora worker`).",
    )] = True,
) -> None:
    """Collect static files, then run gunicorn and one background worker (Ctrl-C stops both)."""
    setup_django()
    from django.core.management import call_command

    with out.status("Collecting static files…"):
        call_command("collectstatic", interactive=False, verbosity=0)
    also = " and a background worker" if worker else ""
    out.print(f"Serving Agora on http://{host}:{port} with {workers} workers{also}; "
              "Ctrl-C stops it.")
    sys.stdout.flush()
    sys.stderr.flush()
    import gunicorn

    argv = [sys.executable, "-m", "gunicorn", "agora.wsgi", "--workers", str(workers),
            "--bind", f"{host}:{port}", "--access-logfile", "-",
            # Let Agora judge long headers (an oversized token gets a problem+json
            # answer naming it) instead of gunicorn's bare 400 at 8,190 bytes.
            "--limit-request-field_size", "32768"]
    if gunicorn.version_info >= (27,):  # its control socket is one fixed path per user
        argv.append("--no-control-socket")
    if not worker:
        # Replace this process, so Ctrl-C and signals reach gunicorn directly.
        os.execv(sys.executable, argv)  # noqa: S606 (fixed argv, no shell)
        return  # execv never returns; a test's stand-in for it does
    raise typer.Exit(_run_together([argv, [sys.executable, "-m", "agora.cli", "worker"]]))


def _run_together(commands: list[list[str]]) -> int:
    """Run the commands side by side until one ends or a signal comes; then stop them all.

    Ctrl-C reaches every process of the terminal's group, so on SIGINT they are given a
    moment to stop by themselves before a SIGTERM; SIGTERM (from a supervisor) is passed on
    at once. When one process ends by itself, the others are stopped too, so a dead worker
    never hides behind a live web server, and its exit code (1 if it was 0) is returned.
    """
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603 (fixed argv)
    asked: list[int] = []

    def remember(signum, frame):
        asked.append(signum)

    previous = {number: signal.signal(number, remember)
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not asked and all(child.poll() is None for child in children):
            time.sleep(0.2)
        if asked and signal.SIGTERM not in asked:
            deadline = time.monotonic() + 3  # Ctrl-C: they got it too
            while time.monotonic() < deadline and any(c.poll() is None for c in children):
                time.sleep(0.1)
        ended = next((child for child in children if child.poll() is not None), None)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if asked or ended is None:
        return 0
    return ended.returncode or 1


def _readiness_problems(*, deploy: bool) -> list[str]:
    """Return what stops this installation from serving, each with how to fix it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    try:  # with --deploy a warning is a problem too: production must pass it clean
        call_command("check", deploy=deploy, fail_level="WARNING" if deploy else "ERROR")
    except SystemCheckError as error:
        problems.append(f"Django's system checks failed:\n{error}")
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        problems.append(f"The database is unreachable ({settings.DATABASES['default']['ENGINE']}): "
                        f"{error}")
    else:
        if pending:
            problems.append(
                f"{len(pending)} migrations are not applied: run `agora manage migrate`."
            )
        if settings.CACHES["default"]["LOCATION"] not in tables:
            problems.append("The cache table is missing: run `agora manage createcachetable`.")
    for folder in settings.STATICFILES_DIRS:
        if not Path(folder).is_dir():
            problems.append(f"The front end is not built ({folder} is missing): run `make static`.")
    static_root = Path(settings.STATIC_ROOT)
    if not static_root.is_dir() or not any(static_root.iterdir()):
        problems.append(f"Static files are not collected into {static_root}: "
                        "run `agora manage collectstatic`.")
    elif not settings.DEBUG and not (static_root / "staticfiles.json").exists():
        problems.append("The static files manifest is missing: run `agora manage collectstatic`.")
    return problems


@app.command()
def check(
    deploy: Annotated[bool, typer.Option("--deploy", help="Run deployment checks too.")] = False,
) -> None:
    """Run Django's system checks and check the database and static files are ready."""
    setup_django()
    problems = _readiness_problems(deploy=deploy)
    if problems:
        for problem in problems:
            err.print(f"[bold red]✗[/] {escape(problem)}")
        raise typer.Exit(1)
    out.print("[green]✓[/] Agora is ready.")


@app.command(
    context_settings={
        "allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []
    }
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command: agora manage COMMAND [ARGS]..."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agora manage", *ctx.args])


def main() -> None:
    app()


if __name__ == "__main__":
    main()
