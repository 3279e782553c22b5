"""The `agora` command line: load the demo, serve, check, create API clients, manage.

Each command parses its arguments, sets Django up only when it needs it, calls one
service or Django command and prints a short summary. Bad arguments get one line
naming the problem and exit code 2, with nothing written.
"""

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

app = typer.Typer(
    help="Agora: personalised public services built on secure information sharing.",
    no_args_is_help=True,
    add_completion=False,
)
demo_app = typer.Typer(help="The demo town of Riverton.", no_args_is_help=True)
apiclient_app = typer.Typer(help="Machine clients of organisations.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
app.add_typer(apiclient_app, name="apiclient")
audit_app = typer.Typer(help="The transparency log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
people_app = typer.Typer(help="People whose data Agora holds.", no_args_is_help=True)
app.add_typer(people_app, name="people")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> typer.Exit:
    """Print one line naming the problem and return the exit to raise."""
    err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def demo_enabled() -> bool:
    return os.environ.get("AGORA_DEMO", "").strip().lower() in {"1", "true", "yes", "on"}


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


# ---------------------------------------------------------------- demo


@demo_app.command("load")
def demo_load_command(
    everyone: Annotated[bool, typer.Option("--all", help="List every demo account.")] = False,
    seed: Annotated[int, typer.Option(help="Seed: the same seed, the same town.")] = 2026,
) -> None:
    """Migrate the database and load Riverton (safe to run again), then list sign-ins."""
    if not demo_enabled():
        raise fail("The demo creates accounts with a published password; set AGORA_DEMO=1.")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from agora.demo.generator import town_plan
    from agora.demo.services import DEMO_PASSWORD, demo_load, demo_step_count
    from agora.demo.signins import sign_ins

    with out.status("Preparing the database (migrate, cache table)…"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
    plan = town_plan(seed)
    columns = (TextColumn("{task.description:<58}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Loading Riverton", total=demo_step_count(plan))
        summary = demo_load(
            plan=plan, progress=lambda label: progress.update(task, advance=1, description=label)
        )
    if summary.created_anything:
        out.print(
            f"Loaded Riverton: {summary.organisations_created} organisations, "
            f"{summary.accounts_created} accounts, {summary.households_created} households, "
            f"{summary.people_created} people."
        )
    else:
        out.print("Riverton was already loaded; nothing changed.")

    out.print(_sign_in_table(sign_ins(plan, everyone=everyone), DEMO_PASSWORD))
    if not everyone:
        out.print("Every demo account has the same password; `agora demo load --all` lists all.")
    out.print(
        "Staff and the operator also need a code from the TOTP secret: add it to an "
        "authenticator app, or run [bold]agora demo code EMAIL[/] for the current code."
    )
    out.print(f"\nOpen [bold]{settings.BASE_URL}[/]   API docs: {settings.BASE_URL}/api/v1/docs")


def _sign_in_table(rows: list, password: str) -> Table:
    """Return the sign-ins as a table; a narrow terminal gets the password in the title."""
    if not out.is_terminal:  # a log or a pipe: keep each sign-in on one line
        out.width = max(out.width, 160)
    wide = out.width >= 130
    title = "Demo sign-ins" if wide else f"Demo sign-ins (password of every one: {password})"
    table = Table(title=title, title_justify="left")
    columns = ["Email", "Password", "Who", "TOTP secret (staff)"] if wide else [
        "Email", "Who", "TOTP secret (staff)"]
    for column in columns:
        # Emails and secrets are copied: keep them whole while there is room.
        table.add_column(column, overflow="fold", no_wrap=out.width >= 100 and column != "Who")
    for row in rows:
        cells = [row.email, password, row.who, row.totp_secret or "—"]
        table.add_row(*(cells if wide else cells[:1] + cells[2:]))
    return table


@demo_app.command("code")
def demo_code_command(email: Annotated[str, typer.Argument(help="A demo email.")]) -> None:
    """Print the current 6-digit TOTP code of a demo account (demo only)."""
    if not demo_enabled():
        raise fail("`agora demo code` works only in the demo; set AGORA_DEMO=1.")
    setup_django()
    from agora.demo.names import EMAIL_DOMAIN
    from agora.demo.signins import demo_totp_code

    email = email.strip().lower()
    code = demo_totp_code(email) if email.endswith(EMAIL_DOMAIN) else None
    if code is None:
        raise fail(f"{email} is not a demo account with a second factor.")
    out.print(code)


# ---------------------------------------------------------------- API clients


class Alg(StrEnum):
    EDDSA = "EdDSA"
    ES256 = "ES256"


def _write_private_key(path: Path, pem: bytes) -> None:
    """Write the key readable by its owner only; never replace an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(pem)


@apiclient_app.command("create")
def apiclient_create_command(
    org: Annotated[str, typer.Option("--org", help="Short name (slug) of the organisation.")],
    name: Annotated[str, typer.Option("--name", help="Name, unique in the organisation.")],
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="Scope to grant, repeatable (default: whoami)."),
    ] = None,
    alg: Annotated[Alg, typer.Option("--alg", help="Signature algorithm of the key.")] = Alg.EDDSA,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Private key file (default: var/keys/ORG-NAME.pem)."),
    ] = None,
) -> None:
    """Create an API client: a new key pair, of which Agora keeps only the public half."""
    setup_django()
    from django.conf import settings
    from django.db import transaction
    from django.utils.text import slugify

    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError
    from agora.organizations.keys import keypair_generate
    from agora.organizations.models import Organization
    from agora.organizations.scopes import SCOPES
    from agora.organizations.services import apiclient_create

    name, scope = name.strip(), scope or ["whoami"]
    if not name:
        raise fail("--name is empty; give the client a name.")
    unknown = sorted(set(scope) - set(SCOPES))
    if unknown:
        raise fail(f"Unknown scope {', '.join(unknown)}; choose from: {', '.join(SCOPES)}.")
    organization = Organization.objects.filter(slug=org.strip()).first()
    if organization is None:
        raise fail(f"No organisation has the short name “{org}”.")
    path = key_file or Path(settings.VAR_DIR) / "keys" / f"{organization.slug}-{slugify(name)}.pem"
    if path.exists():
        raise fail(f"{path} already exists; remove it or choose another --key-file.")

    private_pem, public_jwk = keypair_generate(alg.value)
    written = False
    try:
        with transaction.atomic():
            client = apiclient_create(
                actor=SYSTEM, organization=organization, name=name,
                public_jwk=public_jwk, scopes=scope,
            )
            _write_private_key(path, private_pem)
            written = True
    except AgoraError as error:
        raise fail(error.detail) from error
    except OSError as error:
        if written:  # the transaction failed after the file was written
            path.unlink(missing_ok=True)
        raise fail(f"Cannot write the private key to {path}: {error.strerror}.") from error

    _print_client_usage(client, organization, path, settings.BASE_URL)


def _print_client_usage(client, organization, path: Path, base: str) -> None:
    """Print the new client and how to call the API with it (snippets are never wrapped)."""
    out.print(f"Created API client [bold]{escape(client.name)}[/] of {escape(organization.name)}.")
    out.print(f"  client id    {client.client_id}", soft_wrap=True)
    out.print(f"  scopes       {', '.join(client.scopes) or '(none)'}")
    out.print(f"  private key  {path} (mode 0600; Agora stores only the public key)",
              soft_wrap=True)
    out.print("\nCall the API from Python (every request signs a fresh 60-second token):",
              style="bold")
    out.print(
        "  from agora.client import AgoraClient\n"
        f"  api = AgoraClient('{base}', '{client.client_id}',\n"
        f"                    private_key_path='{path}', purpose='case-management')\n"
        "  api.get('/api/v1/whoami')",
        markup=False, soft_wrap=True,
    )
    out.print("\nOr with curl, minting one token first:", style="bold")
    out.print(
        "  TOKEN=$(.venv/bin/python -c 'import sys; from agora.client import mint_token; "
        "print(mint_token(client_id=sys.argv[1], key=open(sys.argv[2], \"rb\").read(), "
        f"audience=sys.argv[3], purpose=\"case-management\"))' {client.client_id} {path} {base})\n"
        f'  curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/whoami',
        markup=False, soft_wrap=True,
    )


# ---------------------------------------------------------------- transparency log


@audit_app.command("verify")
def audit_verify_command() -> None:
    """Recompute the log from its entries; check stored nodes and every signed tree head."""
    setup_django()
    from agora.audit.verify import log_verify

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Verifying the log", total=None)
        report = log_verify(
            progress=lambda done, total: progress.update(task, completed=done, total=total)
        )
    if not report.ok:
        problem = report.problem
        where = f" at entry {problem.seq}" if problem.seq is not None else ""
        raise fail(f"{problem.kind}{where}: {problem.detail}", code=1)
    out.print(
        f"[green]✓[/] The log verifies: {report.entries} entries, {report.nodes} stored nodes, "
        f"{report.heads} signed tree heads; root {report.root.hex()}."
    )


@audit_app.command("sign-head")
def audit_sign_head_command() -> None:
    """Sign the log's current size and root with the platform key (once per size)."""
    setup_django()
    from agora.audit.services import tree_head_sign

    head = tree_head_sign()
    out.print(f"Signed tree head: size {head.size}, root {bytes(head.root_hash).hex()}, "
              f"at {head.signed_at.isoformat()}.")


# ---------------------------------------------------------------- people


@people_app.command("erase")
def people_erase_command(
    person_id: Annotated[str, typer.Argument(help="The person's public id (a UUID).")],
    reason: Annotated[str, typer.Option(help="Why, e.g. the erasure request's reference.")],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking again.")] = False,
) -> None:
    """Erase a person and every record about them; their log entries stay, pseudonymised."""
    setup_django()
    import uuid

    from agora.core.actors import SYSTEM
    from agora.core.exceptions import AgoraError
    from agora.people.models import Person
    from agora.records.erasure import person_erase

    try:
        person = Person.objects.get(public_id=uuid.UUID(person_id))
    except (ValueError, Person.DoesNotExist):
        raise fail(f"No person has the id {person_id!r}.") from None
    if not yes and not typer.confirm(
        f"Erase {person.full_name} and all {person.records.count()} records about them?"
    ):
        raise fail("Nothing erased.", code=1)
    try:
        summary = person_erase(actor=SYSTEM, person=person, reason=reason)
    except AgoraError as error:
        raise fail(error.detail) from None
    out.print(
        f"Erased the person and {summary.records_deleted} records; "
        f"{summary.log_entries_pseudonymised} log entries kept, pseudonymised."
    )


# ---------------------------------------------------------------- serve, check, manage


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Gunicorn worker processes.")] = 2,
) -> None:
    """Collect static files, then run gunicorn in this process (Ctrl-C stops it)."""
    setup_django()
    from django.core.management import call_command

    with out.status("Collecting static files…"):
        call_command("collectstatic", interactive=False, verbosity=0)
    out.print(f"Serving Agora on http://{host}:{port} with {workers} workers; Ctrl-C stops it.")
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
    # Replace this process, so Ctrl-C and signals reach gunicorn directly.
    os.execv(sys.executable, argv)  # noqa: S606 (fixed argv, no shell)


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
