"""The `agora` command line, run in-process with typer's CliRunner."""

import re
import stat

import pytest
from typer.testing import CliRunner

from agora.cli import app
from agora.demo.signins import totp_code_now
from agora.organizations.keys import private_key_load
from agora.organizations.models import ApiClient
from tests.factories import OrganizationFactory, declare

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def org(db):
    return OrganizationFactory(slug="riverton-food-bank", name="Riverton Food Bank")


def test_apiclient_create_writes_a_private_key_only_its_owner_reads(org, tmp_path):
    key_file = tmp_path / "keys" / "food-bank.pem"
    result = run("apiclient", "create", "--org", org.slug, "--name", "case-system",
                 "--key-file", str(key_file))
    assert result.exit_code == 0, result.output
    client = ApiClient.objects.get()
    assert str(client.client_id) in result.output
    assert "agora.client" in result.output and "curl" in result.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key, alg = private_key_load(key_file.read_bytes())
    assert alg == "EdDSA"
    assert "d" not in client.public_jwk
    assert client.public_jwk == {k: v for k, v in key.as_dict(private=False).items()
                                 if k in {"kty", "crv", "x"}}
    assert client.scopes == ["whoami"]


def test_apiclient_create_with_es256_and_the_default_key_path(org, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    result = run("apiclient", "create", "--org", org.slug, "--name", "Case System",
                 "--alg", "ES256", "--scope", "whoami")
    assert result.exit_code == 0, result.output
    key_file = tmp_path / "keys" / "riverton-food-bank-case-system.pem"
    assert private_key_load(key_file.read_bytes())[1] == "ES256"
    assert ApiClient.objects.get().public_jwk["kty"] == "EC"


def test_apiclient_create_refuses_to_overwrite_a_key_file(org, tmp_path):
    key_file = tmp_path / "existing.pem"
    key_file.write_text("keep me")
    result = run("apiclient", "create", "--org", org.slug, "--name", "x", "--key-file",
                 str(key_file))
    assert result.exit_code == 2
    assert "already exists" in one_line(result.stderr)
    assert key_file.read_text() == "keep me"
    assert not ApiClient.objects.exists()


def test_apiclient_create_refuses_an_unknown_organisation(db, tmp_path):
    key_file = tmp_path / "k.pem"
    result = run("apiclient", "create", "--org", "nowhere", "--name", "x", "--key-file",
                 str(key_file))
    assert result.exit_code == 2
    assert one_line(result.stderr) == "Error: No organisation has the short name “nowhere”."
    assert not key_file.exists()
    assert not ApiClient.objects.exists()


def test_apiclient_create_refuses_an_unknown_scope_and_a_duplicate_name(org, tmp_path):
    result = run("apiclient", "create", "--org", org.slug, "--name", "x", "--scope", "everything",
                 "--key-file", str(tmp_path / "a.pem"))
    assert result.exit_code == 2
    assert "Unknown scope everything" in result.stderr
    assert run("apiclient", "create", "--org", org.slug, "--name", "x",
               "--key-file", str(tmp_path / "b.pem")).exit_code == 0
    again = run("apiclient", "create", "--org", org.slug, "--name", "x",
                "--key-file", str(tmp_path / "c.pem"))
    assert again.exit_code == 2
    assert "already has a client called" in one_line(again.stderr)
    assert not (tmp_path / "c.pem").exists()
    assert ApiClient.objects.count() == 1


def test_apiclient_create_refuses_an_unknown_algorithm(org, tmp_path):
    result = run("apiclient", "create", "--org", org.slug, "--name", "x", "--alg", "RS256",
                 "--key-file", str(tmp_path / "a.pem"))
    assert result.exit_code == 2
    assert not ApiClient.objects.exists()


def test_demo_code_is_refused_outside_the_demo(monkeypatch):
    monkeypatch.delenv("AGORA_DEMO", raising=False)
    result = run("demo", "code", "operator@riverton.example")
    assert result.exit_code == 2
    assert "AGORA_DEMO=1" in result.stderr
    assert not re.search(r"\b\d{6}\b", result.stdout)


def test_demo_load_is_refused_outside_the_demo(monkeypatch):
    monkeypatch.delenv("AGORA_DEMO", raising=False)
    result = run("demo", "load")
    assert result.exit_code == 2
    assert "AGORA_DEMO=1" in result.stderr


def test_demo_load_then_code(db, monkeypatch):
    monkeypatch.setenv("AGORA_DEMO", "1")
    result = run("demo", "load")
    assert result.exit_code == 0, result.output
    output = one_line(result.stdout)
    assert "riverton-demo-2026" in output
    assert "operator@riverton.example" in output and "Platform operator" in output
    assert "agora demo code EMAIL" in output
    assert "http://testserver/api/v1/docs" in output

    again = run("demo", "load")
    assert "nothing changed" in again.stdout

    from agora.demo.generator import town_plan

    operator = town_plan().staff[0]
    before = totp_code_now(operator.totp_secret)
    code = run("demo", "code", operator.email)
    after = totp_code_now(operator.totp_secret)
    assert code.exit_code == 0
    assert code.stdout.strip() in {before, after}
    assert run("demo", "code", "someone@elsewhere.example").exit_code == 2


def test_check_names_what_is_missing(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    result = run("check")
    assert result.exit_code == 1
    assert "Static files are not collected" in one_line(result.stderr)


def test_manage_passes_through_to_django(db):
    result = run("manage", "showmigrations", "people")
    assert result.exit_code == 0, result.output
    assert "0001_initial" in result.stdout


def test_serve_runs_gunicorn_and_a_worker_together(db, settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []
    monkeypatch.setattr("agora.cli._run_together", lambda commands: calls.append(commands) or 0)
    monkeypatch.setattr("agora.cli.os.execv", lambda path, argv: pytest.fail("exec'd"))
    result = run("serve", "--port", "8011")
    assert result.exit_code == 0, result.output
    [[gunicorn, worker]] = calls
    assert gunicorn[1:4] == ["-m", "gunicorn", "agora.wsgi"]
    assert worker[1:] == ["-m", "agora.cli", "worker"]
    assert "and a background worker" in result.output


def test_serve_without_a_worker_collects_static_then_execs_gunicorn(
    db, settings, tmp_path, monkeypatch
):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []
    monkeypatch.setattr("agora.cli.os.execv", lambda path, argv: calls.append(argv))
    result = run("serve", "--port", "8011", "--no-worker")
    assert result.exit_code == 0, result.output
    [argv] = calls
    assert argv[1:4] == ["-m", "gunicorn", "agora.wsgi"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8011"
    assert argv[argv.index("--workers") + 1] == "2"
    assert any(settings.STATIC_ROOT.iterdir())


def test_apiclient_create_limits_the_client_to_declared_purposes(org, tmp_path):
    declare(org, "emergency-food-support", ("case-history",))
    declare(org, "debt-advice", ("case-history",))
    result = run("apiclient", "create", "--org", org.slug, "--name", "parcels",
                 "--scope", "records:read", "--purpose", "emergency-food-support",
                 "--key-file", str(tmp_path / "a.pem"))
    assert result.exit_code == 0, result.output
    assert "purposes     emergency-food-support" in result.stdout
    assert "purpose='emergency-food-support'" in result.stdout
    assert ApiClient.objects.get(name="parcels").purposes == ["emergency-food-support"]


@pytest.mark.parametrize(("code", "message"), [
    ("healthcare-provision", "Riverton Food Bank has not declared healthcare-provision"),
    ("no-such-purpose", "Unknown purposes: no-such-purpose"),
])
def test_apiclient_create_refuses_a_purpose_not_declared_and_writes_nothing(org, tmp_path, code,
                                                                             message):
    declare(org, "emergency-food-support", ("case-history",))
    result = run("apiclient", "create", "--org", org.slug, "--name", "x", "--purpose", code,
                 "--key-file", str(tmp_path / "a.pem"))
    assert result.exit_code == 2
    assert message in one_line(result.stderr)
    assert not ApiClient.objects.exists()
    assert not (tmp_path / "a.pem").exists()
