"""The README's commands, run in order as a newcomer would after `make demo`.

A fresh demo is loaded exactly as the Makefile's `demo` target does; then every
`.venv/bin/agora …` line of the README's "In a second terminal" section runs with no
AGORA_DEMO, no secret key and no DATABASE_URL in the environment, as in a second terminal
of the same checkout. Only the var folder is a temporary one (so the test never touches
a developer's own demo), and commands run from a temporary working folder so relative
paths such as `var/backups/…` land there too. The backup the README makes is then
restored into a fresh database, where `agora audit verify` reports the same log.
"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from agora.demo.generator import DEFAULT_SEED, town_plan

ROOT = Path(__file__).resolve().parents[2]
AGORA = ROOT / ".venv" / "bin" / "agora"
SECTION = "## In a second terminal, after `make demo`"


def readme_commands() -> list[str]:
    """Return the section's `.venv/bin/agora` lines, comments dropped, in order."""
    text = (ROOT / "README.md").read_text()
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    commands = []
    for line in section.splitlines():
        line = line.strip()
        if line.startswith(".venv/bin/agora "):
            commands.append(line.split("  #", 1)[0].strip())
    return commands


def newcomer_env(var: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh terminal: nothing of Agora's set but the var folder."""
    drop = {"DATABASE_URL", "AGORA_ENV_FILE", "AGORA_SECRET_KEY", "AGORA_DEMO", "DEBUG",
            "DJANGO_SETTINGS_MODULE", "AGORA_BASE_URL", "SECURE_SSL_REDIRECT"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(AGORA_VAR_DIR=str(var), COLUMNS="200", **extra)
    return env


def run(argv: list[str], *, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def verify_line(output: str) -> str:
    """Return the verify summary without line wrapping: entries, nodes, heads, root."""
    text = " ".join(output.split())
    match = re.search(r"The log verifies: .*?root [0-9a-f]{64}", text)
    assert match, text
    return match.group(0)


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="the demo runs on SQLite; the SQLite pass runs this test")
def test_the_readme_commands_work_after_make_demo(tmp_path):
    makefile = (ROOT / "Makefile").read_text()
    assert "AGORA_DEMO=1 $(BIN)/agora demo load" in makefile  # what `make demo` runs
    work, var = tmp_path / "checkout", tmp_path / "checkout" / "var"
    work.mkdir()
    (work / "src").symlink_to(ROOT / "src")  # paths the README names inside the checkout
    loaded = run([str(AGORA), "demo", "load"], env=newcomer_env(var, AGORA_DEMO="1"), cwd=work)
    assert loaded.returncode == 0, loaded.stderr
    assert (var / "agora.env").read_text().strip().endswith("AGORA_DEMO=1")

    commands = readme_commands()
    assert [shlex.split(c)[1:3] for c in commands] == [
        ["audit", "verify"], ["apiclient", "create"], ["open311", "key"], ["demo", "code"],
        ["backup", "var/backups/riverton.sqlite3"],
        ["search", "eval"], ["answers", "eval"],
    ]
    staff = next(account for account in town_plan(DEFAULT_SEED).staff if account.totp_secret)
    outputs = {}
    for command in commands:
        argv = shlex.split(command.replace("EMAIL", staff.email))
        argv[0] = str(AGORA)
        done = run(argv, env=newcomer_env(var), cwd=work)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        outputs[argv[1]] = done.stdout
    before = verify_line(outputs["audit"])
    assert re.search(r"client id\s+[0-9a-f-]{36}", outputs["apiclient"])
    assert list((var / "keys").glob("riverton-food-bank-case-system.pem"))
    assert re.search(r"api_key\s+o311_[0-9a-f]{8}_\S{43}", outputs["open311"])
    assert re.fullmatch(r"\d{6}", outputs["demo"].strip())
    scores = re.search(r"recall@5 ([\d.]+), MRR ([\d.]+)", outputs["search"])
    assert scores and float(scores.group(1)) >= 0.8, outputs["search"]  # the hub's own set
    answered = re.search(r"tune: .*answered right ([\d.]+)%, abstained right ([\d.]+)%",
                         outputs["answers"])
    assert answered and float(answered.group(1)) >= 90 and float(answered.group(2)) >= 90, \
        outputs["answers"]  # the answers' own set, on the demo the README loads
    backup = work / "var" / "backups" / "riverton.sqlite3"
    assert backup.is_file()

    # A fresh machine: an empty var folder with the platform key kept beside the backup.
    fresh_var = tmp_path / "fresh" / "var"
    fresh_var.mkdir(parents=True)
    shutil.copy(var / "platform-key.pem", fresh_var / "platform-key.pem")
    fresh = newcomer_env(fresh_var, AGORA_DEMO="1")
    restored = run([str(AGORA), "restore", str(backup)], env=fresh, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    after = run([str(AGORA), "audit", "verify"], env=fresh, cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert verify_line(after.stdout) == before
