"""The checkout's own settings file, `var/agora.env`, read before the environment's defaults.

`agora demo load` writes `AGORA_DEMO=1` there, so every later `agora` command, `manage.py`
and `agora serve` in the same checkout runs against the demo without the newcomer having
to export anything. The real environment always wins over the file, a deployment without
the file behaves exactly as before (no secret key, no start), and `AGORA_ENV_FILE` names
another file (empty: none, as the test suite sets).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]  # the checkout (src/agora/core → ../../..)


def local_env_file() -> Path | None:
    """Return the settings file this process reads, or None when it reads none."""
    named = os.environ.get("AGORA_ENV_FILE")
    if named is not None:
        return Path(named) if named.strip() else None
    var_dir = os.environ.get("AGORA_VAR_DIR") or str(PROJECT_DIR / "var")
    return Path(var_dir) / "agora.env"


def local_env_values() -> dict[str, str]:
    """Return the file's NAME=value lines (comments and blank lines skipped)."""
    path = local_env_file()
    if path is None or not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def local_env_value(name: str) -> str | None:
    return local_env_values().get(name)


def local_env_apply() -> None:
    """Set each of the file's values that the environment does not set already."""
    for name, value in local_env_values().items():
        os.environ.setdefault(name, value)


def local_env_write(values: dict[str, str], *, comment: str) -> Path | None:
    """Merge `values` into the file (made with mode 0600 if new); return its path.

    With AGORA_ENV_FILE empty there is no file: nothing is written and None comes back.
    """
    path = local_env_file()
    if path is None:
        return None
    merged = {**local_env_values(), **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# {comment}\n" + "".join(f"{name}={value}\n" for name, value in merged.items())
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    temporary.replace(path)  # whole or not at all
    return path
