"""What every app's command-line verbs share: the consoles, failing with one line, Django set-up.

Each app keeps its verbs in its own `commands.py` (a typer group that `agora.cli` mounts),
as Django apps keep their management commands; this module is the little they share.
"""

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> typer.Exit:
    """Print one line naming the problem and return the exit to raise."""
    err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def demo_enabled() -> bool:
    """Say whether the demo conveniences are on (the environment or the demo's settings file)."""
    from agora.core.localenv import local_env_value

    value = os.environ.get("AGORA_DEMO") or local_env_value("AGORA_DEMO") or ""
    return value.strip().lower() in {"1", "true", "yes", "on"}


def setup_django() -> None:
    """Configure Django for this command; make the SQLite file's folder if it is missing."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise fail(str(error), code=1) from error
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
