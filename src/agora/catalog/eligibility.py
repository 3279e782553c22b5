"""Eligibility rules: JSON Logic checked when saved, evaluated with reasons in plain words.

A rule is evaluated by `panzi-json-logic` (it passes the 277 official JSON Logic test
cases; tests/catalog/test_jsonlogic_vectors.py). What the library cannot do is say *why*,
so this module splits a rule into its conditions (the items of a top-level `and`, or the
rule itself), evaluates each one separately, and words each from the questions that
declare its facts: "you told us you have 2 children under 16 (needs at least 1) — met".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS, to_bool

from agora.core.exceptions import InvalidInput

# The library's operators, less `log` (it prints) and the list operators (filter, map,
# reduce, all, some, none): no question gives a list, and their `var`s name list items,
# not facts, so a rule using them could not be checked or explained.
CONTROL_OPERATORS = frozenset({"if", "?:", "and", "or"})
OPERATORS = frozenset(set(BUILTINS) - {"log"}) | CONTROL_OPERATORS
LIST_OPERATORS = frozenset({"filter", "map", "reduce", "all", "some", "none"})
MAX_DEPTH = 20

_COMPARISONS = {
    ">=": "at least {}", ">": "more than {}", "<=": "at most {}", "<": "less than {}",
    "==": "{}", "===": "{}", "!=": "not {}", "!==": "not {}",
}
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


class InvalidRule(InvalidInput):
    """The eligibility rule is not a JSON Logic rule this platform can check and explain:
    an unknown operator, a fact that no question declares, or a malformed expression.
    `errors` names each problem."""

    code = "invalid-rule"
    title = "The eligibility rule is not valid"


@dataclass(frozen=True)
class QuestionInfo:
    """What the checker needs to know about a question (a `Question` row, or a stand-in)."""

    key: str
    text: str
    kind: str
    statement: str
    statement_no: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, question) -> "QuestionInfo":
        return cls(key=question.key, text=question.text, kind=question.kind,
                   statement=question.statement, statement_no=question.statement_no,
                   choices=tuple((str(v), str(label)) for v, label in question.choices))

    def label(self, value: Any) -> str:
        """Return how a value reads in a sentence: a choice's label, a number without .0."""
        if self.kind == "choice":
            return dict(self.choices).get(str(value), str(value))
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def says(self, value: Any) -> str:
        """Return what this answer means: "you have 2 children under 16"."""
        if self.kind == "boolean":
            return self.statement if value else (self.statement_no or f"not: {self.statement}")
        return self.statement.replace("{value}", self.label(value)).replace(
            "{label}", self.label(value))


# --------------------------------------------------------------------------- checking


def _walk(node: Any, path: str, found: dict[str, None], problems: list[tuple[str, str]],
          depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        problems.append((path, f"The rule nests deeper than {MAX_DEPTH} levels."))
        return
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, f"{path}[{index}]", found, problems, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if len(node) != 1:
        problems.append((path, "Each operation is an object with exactly one operator, "
                         f"like {{\"and\": [...]}}; this one has {len(node)} keys."))
        return
    operator, arguments = next(iter(node.items()))
    here = f"{path}.{operator}" if path else operator
    if operator in LIST_OPERATORS:
        problems.append((here, f"“{operator}” works on lists, and no question gives a list."))
        return
    if operator not in OPERATORS:
        problems.append((here, f"“{operator}” is not a JSON Logic operator."))
        return
    if operator == "var":
        key = arguments[0] if isinstance(arguments, list) and arguments else arguments
        if not isinstance(key, str) or not key:
            problems.append((here, "A var must name a fact, like {\"var\": \"age\"}."))
            return
        found[key.split(".")[0]] = None
        return
    if operator in {"missing", "missing_some"}:
        names = arguments if isinstance(arguments, list) else [arguments]
        if operator == "missing_some" and len(names) == 2 and isinstance(names[1], list):
            names = names[1]
        found.update((name.split(".")[0], None) for name in names if isinstance(name, str) and name)
        return
    _walk(arguments, here, found, problems, depth + 1)


def rule_variables(rule: Any) -> list[str]:
    """Return the facts a rule names, in the order it names them (without checking it)."""
    found: dict[str, None] = {}
    _walk(rule, "", found, [])
    return list(found)


def rule_check(rule: Any, known: Iterable[str]) -> set[str]:
    """Refuse a rule with unknown operators or facts no question declares; return its facts.

    `None` (no rule: anyone may ask) is fine. A rule must be an operation, not a bare
    value: a constant `true` would say nothing a resident could check.
    """
    if rule is None:
        return set()
    if not isinstance(rule, dict):
        message = ("A rule must be a JSON Logic operation, an object like "
                   "{\"and\": [...]}; leave it empty if anyone may ask.")
        raise InvalidRule(message, errors=[{"field": "eligibility_rule", "message": message}])
    found: dict[str, None] = {}
    problems: list[tuple[str, str]] = []
    _walk(rule, "", found, problems)
    unknown = sorted(set(found) - set(known))
    if unknown:
        problems.append(("", f"No question asks for {', '.join(unknown)}: use a question's "
                         "key, or ask an operator to add the question."))
    if problems:
        raise InvalidRule(
            " ".join(message for _, message in problems),
            errors=[{"field": f"eligibility_rule{'.' + at if at else ''}", "message": message}
                    for at, message in problems],
        )
    return set(found)


# --------------------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class Fact:
    """A fact about the resident and where it came from: their answer or a record."""

    value: Any
    source: str = ""  # "" for the resident's answer, else the organisation whose record


@dataclass(frozen=True)
class Condition:
    text: str  # what we know, in the resident's terms
    requirement: str  # what the service needs, "" when the text says it
    met: bool | None  # None: a fact is missing
    summary: str = ""  # the condition itself, for a service's page: "You live in Riverton"

    @property
    def outcome(self) -> str:
        return {True: "met", False: "not met", None: "not known"}[self.met]


@dataclass
class Outcome:
    conditions: list[Condition] = field(default_factory=list)

    @property
    def eligible(self) -> bool | None:
        """True if every condition is met, False if any is not, else None."""
        if any(c.met is False for c in self.conditions):
            return False
        if all(c.met for c in self.conditions):
            return True
        return None


def _conditions(rule: dict) -> list[Any]:
    if "and" in rule and isinstance(rule["and"], list):
        return list(rule["and"])
    return [rule]


def _var_key(node: Any) -> str | None:
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        key = node["var"][0] if isinstance(node["var"], list) else node["var"]
        return key if isinstance(key, str) else None
    return None


def _fact_text(info: QuestionInfo, fact: Fact | None) -> str:
    if fact is None:
        return f"we do not know yet: {info.text[:1].lower()}{info.text[1:]}"
    source = "you told us" if not fact.source else f"the records of {fact.source} say"
    return f"{source} {info.says(fact.value)}"


def _requirement(node: Any, infos: Mapping[str, QuestionInfo]) -> tuple[list[str], str, str]:
    """Return the facts a condition is about, what it needs of them in words, and the
    condition itself in words for a service's page ("you live in Riverton")."""
    keys = rule_variables(node)
    if not isinstance(node, dict) or len(node) != 1:
        return keys, "", ""
    operator, arguments = next(iter(node.items()))
    single = arguments[0] if isinstance(arguments, list) and len(arguments) == 1 else arguments
    key = _var_key(node) or (_var_key(single) if operator in {"!", "!!"} else None)
    if key:
        info = infos.get(key)
        expected = operator != "!"
        return [key], "", info.says(expected) if info and info.kind == "boolean" else ""
    if operator in _COMPARISONS and isinstance(arguments, list) and len(arguments) == 2:
        left, right = arguments
        if _var_key(right) and not _var_key(left):
            left, right = right, left
            operator = _FLIPPED.get(operator, operator)
        key = _var_key(left)
        if key and not isinstance(right, (dict, list)):
            info = infos.get(key)
            if info and info.kind == "boolean" and isinstance(right, bool):
                return [key], "", info.says(right if "=" in operator and "!" not in operator
                                            else not right)
            shown = info.label(right) if info else str(right)
            needs = "needs " + _COMPARISONS[operator].format(shown)
            return [key], needs, f"{info.text if info else key} ({needs})"
    if operator == "in" and isinstance(arguments, list) and len(arguments) == 2:
        key = _var_key(arguments[0])
        if key and isinstance(arguments[1], list):
            info = infos.get(key)
            labels = [info.label(v) if info else str(v) for v in arguments[1]]
            needs = "needs one of: " + "; ".join(labels)
            return [key], needs, f"{info.text if info else key} ({needs})"
    if operator == "or" and isinstance(arguments, list):
        parts = [_requirement(item, infos)[2] for item in arguments]
        summary = " or ".join(parts) if all(parts) else ""
        return keys, "needs at least one of these to be true", summary
    return keys, "", ""


def rule_evaluate(rule: Any, facts: Mapping[str, Fact],
                  infos: Mapping[str, QuestionInfo]) -> Outcome:
    """Evaluate each condition of the rule against the facts, with its reason in words."""
    outcome = Outcome()
    if rule is None:
        return outcome
    data = {key: fact.value for key, fact in facts.items()}
    for condition in _conditions(rule):
        keys, requirement, summary = _requirement(condition, infos)
        texts = []
        for key in keys:
            info = infos.get(key) or QuestionInfo(key=key, text=key, kind="", statement=key)
            texts.append(_fact_text(info, facts.get(key)))
        missing = [key for key in keys if key not in facts]
        try:
            met = None if missing else to_bool(jsonLogic(condition, data))
        except (ArithmeticError, TypeError, ValueError):  # e.g. a division by a zero answer
            met = None
        text = "; ".join(texts) or "this service's own condition"
        outcome.conditions.append(Condition(
            text=text[:1].upper() + text[1:], requirement=requirement, met=met,
            summary=summary[:1].upper() + summary[1:] if summary else "",
        ))
    return outcome
