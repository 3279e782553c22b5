"""Many processes appending at once still make one dense sequence and one tree."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from agora.audit import merkle
from agora.audit.models import LogEntry
from agora.audit.selectors import log_size, tree_root
from agora.audit.services import tree_head_sign
from agora.audit.verify import log_verify
from tests.audit.helpers import leaf_hashes

WRITER = """
import json, os, sys
import django
from django.conf import settings

django.setup()
settings.DATABASES["default"]["NAME"] = os.environ["AGORA_TEST_DB_NAME"]
from tests.audit.helpers import draft
from agora.audit.services import log_append_many

writer, rounds, batch = (int(value) for value in sys.argv[1:4])
appended = []
for number in range(rounds):
    drafts = [draft(writer * 1000 + number, reason=f"writer {writer} round {number}")
              for _ in range(batch)]
    appended += [entry.seq for entry in log_append_many(drafts)]
print(json.dumps(appended))
"""

WRITERS, ROUNDS = 4, 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_dense_verifiable_log():
    project = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "AGORA_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": os.pathsep.join([str(project / "src"), str(project)]),
    }
    writers = [
        subprocess.Popen(  # writers 0 and 1 append one entry at a time, 2 and 3 in batches
            [sys.executable, "-c", WRITER, str(n), str(ROUNDS), str(1 if n < 2 else 7)],
            env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(WRITERS)
    ]
    seqs = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
        seqs += json.loads(out.strip().splitlines()[-1])

    total = ROUNDS * (1 + 1 + 7 + 7)
    assert sorted(seqs) == list(range(total))
    assert list(LogEntry.objects.values_list("seq", flat=True)) == list(range(total))
    assert log_size() == total
    assert tree_root(total) == merkle.root_from_leaves(leaf_hashes())
    tree_head_sign()
    report = log_verify()
    assert report.ok, report.problem
    assert report.entries == total and report.heads == 1
