"""Write the committed snapshot of the OpenAPI document.

Run after an intended change to the API:

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m tests.api.openapi_snapshot

then review the diff of tests/api/openapi.snapshot.json and commit it with the change.
"""

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")
REGENERATE = "DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m tests.api.openapi_snapshot"


def render(document: dict) -> str:
    """Return the document as stable, reviewable text."""
    return json.dumps(json.loads(json.dumps(document)), indent=2, sort_keys=True) + "\n"


def generate() -> str:
    from agora.api import api

    return render(api.get_openapi_schema())


def main() -> None:
    import django

    django.setup()
    SNAPSHOT.write_text(generate())
    print(f"Wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
