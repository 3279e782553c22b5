"""Check answers against the service's JSON Schema, with GOV.UK error messages.

jsonschema does the checking (Draft 2020-12 with its format checker, so "date" and
"email" are checked too); this module only turns each failed keyword into the message a
resident reads in the error summary: what is wrong and how to put it right ("Enter your
full name", "Your full name must be 100 characters or less"), one per question.
"""

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from agora.applications.questions import (
    CHECKBOXES,
    DATE,
    EMAIL,
    INTEGER,
    NUMBER,
    RADIOS,
    YES_NO,
    Question,
)

# When one answer breaks several keywords, the first of these is the one to fix first.
_PRIORITY = ["required", "type", "enum", "const", "oneOf", "anyOf", "format", "minLength",
             "maxLength", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
             "minItems", "maxItems", "uniqueItems", "pattern"]


def _noun(q: Question) -> str:
    """Return what the messages call the answer, in the middle of a sentence."""
    if q.noun:
        return q.noun
    title = q.title.strip()
    if title.endswith("?"):
        return f"an answer to “{title}”"
    return title[:1].lower() + title[1:] if not title[:2].isupper() else title


def _subject(q: Question) -> str:
    """Return what the messages call the answer, at the start of a sentence."""
    if not q.noun and q.title.strip().endswith("?"):
        return f"The answer to “{q.title.strip()}”"
    noun = _noun(q)
    return noun[:1].upper() + noun[1:]


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def message_for(q: Question, keyword: str) -> str:
    """Return the GOV.UK message for an answer to `q` that fails `keyword`."""
    if keyword in q.errors:
        return q.errors[keyword]
    schema, noun, subject = q.schema, _noun(q), _subject(q)
    if keyword == "required":
        if q.kind == CHECKBOXES:
            return f"Select {noun}" if q.noun else "Select at least one option"
        if q.kind == YES_NO:
            return f"Select yes if {noun}" if q.noun.startswith("you ") else "Select yes or no"
        if q.kind == RADIOS:
            return f"Select {noun}"
        return f"Enter {noun}"
    if keyword == "type":
        if q.kind == INTEGER:
            return f"{subject} must be a whole number, like 2"
        if q.kind == NUMBER:
            return f"{subject} must be a number, like 12.50"
        if q.kind == YES_NO:
            return "Select yes or no"
        return f"Enter {noun} as text"
    if keyword in {"enum", "const", "oneOf", "anyOf"}:
        return f"Select {noun} from the options" if q.noun else "Select one of the options"  # noqa: S608
    if keyword == "format":
        if q.kind == EMAIL:
            return "Enter an email address in the correct format, like name@example.com"
        if q.kind == DATE:
            return f"{subject} must be a real date"
    if keyword == "maxLength":
        return f"{subject} must be {schema['maxLength']} characters or less"
    if keyword == "minLength":
        if schema.get("minLength") == 1:
            return f"Enter {noun}"
        return f"{subject} must be {schema['minLength']} characters or more"
    low, high = schema.get("minimum"), schema.get("maximum")
    if keyword in {"minimum", "maximum"} and low is not None and high is not None:
        return f"{subject} must be between {_number(low)} and {_number(high)}"
    if keyword == "minimum":
        return f"{subject} must be {_number(low)} or more"
    if keyword == "maximum":
        return f"{subject} must be {_number(high)} or less"
    if keyword == "exclusiveMinimum":
        return f"{subject} must be more than {_number(schema['exclusiveMinimum'])}"
    if keyword == "exclusiveMaximum":
        return f"{subject} must be less than {_number(schema['exclusiveMaximum'])}"
    if keyword == "minItems":
        return f"Select at least {schema['minItems']} options"
    if keyword == "maxItems":
        return f"Select no more than {schema['maxItems']} options"
    if keyword == "uniqueItems":
        return "Select each option only once"
    return f"{subject} is not in the right format"


def _question_of(error: ValidationError, required: list[str]) -> tuple[str, str]:
    """Return (question name, keyword) for one jsonschema error."""
    if error.validator == "required" and not error.path:
        missing = [name for name in required if name not in (error.instance or {})]
        # jsonschema reports each missing property as its own error, naming it first.
        name = next((n for n in missing if repr(n) in error.message), missing[0] if missing
                    else "")
        return name, "required"
    return (str(error.path[0]) if error.path else ""), str(error.validator)


def answer_problems(
    schema: dict[str, Any], questions: list[Question], answers: dict[str, Any],
    only: list[str] | None = None,
) -> list[dict[str, str]]:
    """Return one problem per question whose answer the schema refuses, in asking order.

    Each problem is {"field": name, "message": text}, the shape `InvalidInput.errors`
    has, so pages put it in the error summary at its question. `only` limits the check
    to some questions (the one on the page); the whole form is checked when sending.
    """
    by_name = {q.name: q for q in questions}
    names = only if only is not None else [q.name for q in questions]
    checked = {**schema, "required": [n for n in schema.get("required", []) if n in names]}
    if only is not None:
        checked["properties"] = {n: p for n, p in schema["properties"].items() if n in names}
        checked.pop("additionalProperties", None)
        answers = {n: v for n, v in answers.items() if n in names}
    validator = Draft202012Validator(checked, format_checker=Draft202012Validator.FORMAT_CHECKER)
    found: dict[str, str] = {}
    for error in validator.iter_errors(answers):
        name, keyword = _question_of(error, checked["required"])
        if name not in by_name:
            continue  # an answer to no question: ignored, never stored (see services)
        current = found.get(name)
        rank = _PRIORITY.index(keyword) if keyword in _PRIORITY else len(_PRIORITY)
        if current is None or rank < (_PRIORITY.index(current) if current in _PRIORITY
                                      else len(_PRIORITY)):
            found[name] = keyword
    return [{"field": name, "message": message_for(by_name[name], found[name])}
            for name in names if name in found]
