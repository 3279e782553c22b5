"""The API root: one NinjaAPI under /api/v1/ that mounts each app's router.

It lives beside urls.py rather than in `core` so that `core` imports no domain app.
Errors come out as problem+json (`core.problems`); request bodies derive from
`core.schemas.InputSchema`, which refuses unknown fields.
"""

from agora.access.api import router as access_router
from agora.answers.api import router as answers_router
from agora.audit.api import router as audit_router
from agora.cases.api import router as cases_router
from agora.catalog.api import router as catalog_router
from agora.challenges.api import router as challenges_router
from agora.content.api import router as content_router
from agora.core.problems import ProblemAPI
from agora.notifications.api import router as notifications_router
from agora.organizations.api import router as organizations_router
from agora.records.api import router as records_router

api = ProblemAPI(
    title="Agora API",
    version="1",
    description=(
        "Machine-to-machine API of the Agora platform. Each request carries a fresh JWT "
        "signed with the API client's private key. Every error is an RFC 9457 "
        "`application/problem+json` document whose `type` links to an explanation."
    ),
    urls_namespace="api-v1",
)

api.add_router("/", organizations_router)
api.add_router("/audit/", audit_router)
api.add_router("/", records_router)
api.add_router("/", content_router)
api.add_router("/", access_router)
api.add_router("/", catalog_router)
api.add_router("/", cases_router)
api.add_router("/", notifications_router)
api.add_router("/", answers_router)
api.add_router("/", challenges_router)
