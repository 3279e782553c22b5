"""`agora catalog import` and `export` on the command line."""

import json

from typer.testing import CliRunner

from agora.catalog.models import Service
from agora.cli import app
from tests.catalog.test_hsds import directory

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_import_then_export_then_import_again_changes_nothing(db, tmp_path):
    source = tmp_path / "directory.json"
    source.write_text(json.dumps(directory()))
    result = _run("catalog", "import", str(source), "--kind", "community")
    assert result.exit_code == 0, result.output
    assert "2 services added" in result.output and "1 organisations added" in result.output
    assert Service.objects.get(name="Community pantry").provider.kind == "community"
    exported = tmp_path / "export.json"
    assert _run("catalog", "export", "--output", str(exported)).exit_code == 0
    assert json.loads(exported.read_text())["total_items"] == 2
    again = _run("catalog", "import", str(exported))
    assert "0 services added, 0 changed, 2 unchanged" in again.output


def test_bad_files_are_refused_with_the_reason_and_nothing_imported(db, tmp_path):
    missing = _run("catalog", "import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "Cannot read" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert "is not JSON" in _run("catalog", "import", str(broken)).output
    bad = directory()
    del bad["contents"][0]["name"]
    broken.write_text(json.dumps(bad))
    result = _run("catalog", "import", str(broken))
    assert result.exit_code == 2
    assert "Nothing was imported" in result.output and "'name' is a required" in result.output
    assert not Service.objects.exists()
