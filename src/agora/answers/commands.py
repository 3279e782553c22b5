"""`agora answers …`: score the answers against a question set, and remake the calibration."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from agora.core.commandline import fail, out, setup_django

answers_app = typer.Typer(help="Answers to residents' questions.", no_args_is_help=True)

QuestionsFile = Annotated[Path, typer.Argument(
    exists=True, dir_okay=False, readable=True,
    help="JSON lines: question, answerable, needs_personal_data, must_contain, sources.")]


def _evaluate(path: Path, split: str):
    setup_django()
    from agora.answers.evaluation import answers_evaluate, questions_read
    from agora.core.exceptions import InvalidInput

    try:
        questions = questions_read(path)
    except InvalidInput as error:
        raise fail(error.detail) from None
    if split:
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise fail(f"No question of the set is in the part “{split}”.")
    with out.status(f"Asking {len(questions)} questions…"):
        return answers_evaluate(questions)


@answers_app.command("eval")
def answers_eval_command(
    path: QuestionsFile,
    report: Annotated[Path | None, typer.Option(
        help="Also write the report to this file (text).")] = None,
    split: Annotated[str, typer.Option(
        help="Only the questions of this part of the set (tune, held-out).")] = "",
    details: Annotated[bool, typer.Option(help="List every question, not only misses.")] = False,
) -> None:
    """Score the answers against a question set and what is loaded (ingests nothing).

    Answerable questions count when answered with every required fact and a right
    citation; the others when abstained (or personal). Wrong confident answers are
    counted on their own.
    """
    evaluation = _evaluate(path, split)
    from agora.answers.evaluation import report_lines

    lines = report_lines(evaluation, details=details)
    for line in lines:
        out.print(escape(line), highlight=False, soft_wrap=True)
    if report is not None:
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.print(f"Report written to {escape(str(report))}.")


@answers_app.command("calibrate")
def answers_calibrate_command(
    path: QuestionsFile,
    split: Annotated[str, typer.Option(help="The part of the set to fit on.")] = "tune",
) -> None:
    """Print the calibration table the questions give (paste it into answers/calibration.py)."""
    evaluation = _evaluate(path, split)
    from agora.answers.calibration import isotonic
    from agora.answers.evaluation import calibration_pairs

    pairs = calibration_pairs(evaluation)
    out.print(f"{len(pairs)} questions; (lowest raw score, confidence):", highlight=False)
    out.print(repr(isotonic(pairs)), highlight=False)
