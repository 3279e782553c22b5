"""`agora search eval`: recall@5 and MRR of a question set against what is loaded."""

import json

import pytest
from typer.testing import CliRunner

from agora.cli import app
from agora.content.evaluation import questions_read, search_evaluate
from agora.core.exceptions import InvalidInput
from tests.content.helpers import publish


@pytest.fixture
def loaded(council):
    publish(council, "tax", "Council tax", {"Paying": "Pay your council tax bill online."},
            source_url="https://riverton.example/tax")
    publish(council, "bins", "Bin collections", {"Days": "Bins are emptied on Mondays."})


def write(tmp_path, lines):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    return path


def test_recall_and_mrr_count_where_the_expected_document_ranks(loaded, tmp_path):
    path = write(tmp_path, [
        {"question": "pay council tax", "source_url": "https://riverton.example/tax"},
        {"question": "when are bins emptied", "document": "bins"},
        {"question": "swimming pool", "document": "bins"},
    ])
    evaluation = search_evaluate(questions_read(path))
    assert [s.rank for s in evaluation.scored] == [1, 1, None]
    assert evaluation.recall_at_5 == pytest.approx(2 / 3)
    assert evaluation.mrr == pytest.approx(2 / 3)


def test_a_malformed_line_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a", "document": "x"}\n{oops\n')
    with pytest.raises(InvalidInput, match="Line 2 is not JSON"):
        questions_read(path)
    path.write_text('{"question": "a"}\n')
    with pytest.raises(InvalidInput, match="Line 1 names no"):
        questions_read(path)


def test_the_command_prints_the_scores_and_ingests_nothing(loaded, tmp_path):
    from agora.content.models import Document

    before = Document.objects.count()
    path = write(tmp_path, [{"question": "counsil tax", "document": "https://riverton.example/tax"}])
    result = CliRunner().invoke(app, ["search", "eval", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 questions: recall@5 1.000, MRR 1.000." in result.output
    assert Document.objects.count() == before
