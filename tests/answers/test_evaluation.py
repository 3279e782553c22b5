"""`agora answers eval` on the demo town's guidance: the project's own question set."""

import json
from importlib.util import find_spec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agora.answers.evaluation import answers_evaluate, questions_read
from agora.cli import app
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput
from agora.demo.hub import hub_load
from agora.demo.names import ORGANISATIONS
from agora.organizations.services import organization_create

QUESTIONS = Path(__file__).parents[2] / "src" / "agora" / "demo" / "answer_questions.jsonl"
# Written later from the guidance alone, after the answers were built, and never tuned on:
# the nearest the project has to "a question set it has never seen" (decision 37).
FRESH = QUESTIONS.with_name("answer_questions_fresh.jsonl")


@pytest.fixture
def riverton_hub(db):
    for spec in ORGANISATIONS:
        organization_create(actor=SYSTEM, name=spec["name"], kind=spec["kind"],
                            slug=spec["slug"])
    hub_load(step=lambda label: None)


def test_the_question_set_is_large_a_third_unanswerable_and_written_like_residents():
    questions = questions_read(QUESTIONS)
    assert len(questions) >= 150
    unanswerable = [q for q in questions if not q.answerable]
    assert len(unanswerable) >= len(questions) / 3
    assert any(q.personal for q in unanswerable)
    held_out = [q for q in questions if q.split == "held-out"]
    assert len(held_out) >= 40
    assert {q.split for q in questions} == {"tune", "held-out"}
    assert sum(q.question == q.question.lower() for q in questions) / len(questions) > 0.95
    assert not any(q.question.rstrip().endswith("?") for q in questions)


def test_the_fresh_set_is_a_third_unanswerable_and_written_like_residents():
    questions = questions_read(FRESH)
    assert len(questions) >= 60
    assert {q.split for q in questions} == {"fresh"}
    assert sum(not q.answerable for q in questions) >= len(questions) / 3 - 1
    assert sum(q.personal for q in questions) >= 3
    assert all(q.question == q.question.lower() and not q.question.endswith("?")
               for q in questions)
    known = {q.question for q in questions_read(QUESTIONS)}
    assert not known & {q.question for q in questions}


def test_the_demo_guidance_meets_the_targets_on_every_part(riverton_hub):
    evaluation = answers_evaluate(questions_read(QUESTIONS))
    tune, held_out = evaluation.part("tune"), evaluation.part("held-out")
    report = (f"tune {tune.answered_right:.1%}/{tune.abstained_right:.1%}/{len(tune.wrong)}, "
              f"held-out {held_out.answered_right:.1%}/{held_out.abstained_right:.1%}/"
              f"{len(held_out.wrong)}")
    print(report)  # seen with -s: the figures for docs/decisions.md 37
    assert tune.answered_right >= 0.9, report
    assert tune.abstained_right >= 0.9, report
    assert evaluation.personal_answered_from_guidance == []
    # The held-out part was never tuned on: it guards against losing ground.
    assert held_out.answered_right >= 0.96, report
    assert held_out.abstained_right >= 0.9, report
    assert len(evaluation.wrong) <= 2, report
    # The fresh set: its floors are what it reached when improved (49 of 52 answerable
    # right, every other abstained, no wrong confident answer).
    fresh = answers_evaluate(questions_read(FRESH))
    print(f"fresh {fresh.answered_right:.1%}/{fresh.abstained_right:.1%}/{len(fresh.wrong)}")
    assert fresh.answered_right >= 0.94, fresh.answered_right
    assert fresh.abstained_right >= 0.96, fresh.abstained_right
    assert len(fresh.wrong) == 0, [s.question.question for s in fresh.wrong]
    assert fresh.personal_answered_from_guidance == []


@pytest.mark.skipif(find_spec("wordllama") is None, reason="the embeddings extra "
                    "(wordllama) is not installed: pip install -e .[embeddings] to test it")
def test_with_the_embeddings_extra_nothing_is_lost_and_paraphrases_are_answered(
        riverton_hub, settings):
    settings.ANSWERS_EMBEDDINGS = True
    evaluation = answers_evaluate(questions_read(QUESTIONS))
    fresh = answers_evaluate(questions_read(FRESH))
    tune, held_out = evaluation.part("tune"), evaluation.part("held-out")
    report = (f"tune {tune.answered_right:.1%}/{tune.abstained_right:.1%}/{len(tune.wrong)}, "
              f"held-out {held_out.answered_right:.1%}/{held_out.abstained_right:.1%}/"
              f"{len(held_out.wrong)}, fresh {fresh.answered_right:.1%}/"
              f"{fresh.abstained_right:.1%}/{len(fresh.wrong)}")
    print(report)  # seen with -s: the figures for docs/decisions.md 52
    # The floors reached (decision 52): lexically 96.4% held-out and 94.2% fresh; "come
    # back" for "return" and "answer" for "reply" are answered with the model.
    assert tune.answered_right >= 0.93 and tune.abstained_right == 1.0, report
    assert held_out.answered_right == 1.0 and held_out.abstained_right == 1.0, report
    assert fresh.answered_right >= 0.96 and fresh.abstained_right >= 0.96, report
    assert len(evaluation.wrong) <= 2 and fresh.wrong == [], report
    assert evaluation.personal_answered_from_guidance == []
    assert fresh.personal_answered_from_guidance == []


def test_the_command_writes_a_report_with_both_parts_and_the_times(riverton_hub, tmp_path):
    report = tmp_path / "report.txt"
    result = CliRunner().invoke(app, ["answers", "eval", str(QUESTIONS), "--report", str(report)])
    assert result.exit_code == 0, result.output
    text = report.read_text()
    for expected in ("all: 166 questions", "tune:", "held-out:", "wrong confident answers",
                     "p95", "By topic", "council-tax:", "Cited topic by question topic",
                     "bin-collections: bin-collections"):
        assert expected in text


def test_a_malformed_line_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"question": "a", "answerable": True}) + "\n")
    with pytest.raises(InvalidInput, match="Line 1 is answerable but names no"):
        questions_read(path)
    path.write_text("{oops\n")
    with pytest.raises(InvalidInput, match="Line 1 is not JSON"):
        questions_read(path)
