"""The API root: one NinjaAPI under /api/v1/ that mounts each app's router.

It lives beside urls.py rather than in `core` so that `core` imports no domain app.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Agora API",
    version="1",
    description="Machine-to-machine API of the Agora platform.",
    urls_namespace="api-v1",
)
