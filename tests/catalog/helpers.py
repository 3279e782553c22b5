"""Build services for the catalogue's tests through the real service layer."""

from agora.catalog.services import service_create
from agora.core.actors import SYSTEM

FORM = {
    "type": "object",
    "required": ["children"],
    "properties": {
        "children": {"type": "integer", "title": "How many children?", "minimum": 0},
        "note": {"type": "string", "title": "Anything else", "maxLength": 500},
    },
}
RULE = {"and": [{">=": [{"var": "children_under_16"}, 1]}, {"var": "lives_in_riverton"}]}


def add_service(provider, code: str, name: str = "", *, status: str = "published",
                topics=(), rule=None, form=None, **details):
    return service_create(
        actor=SYSTEM, provider=provider, code=code, topics=list(topics),
        details={"name": name or code.replace("-", " ").capitalize(), "status": status,
                 "eligibility_rule": rule, "form_schema": form, **details},
    )
