from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict:
    """Give every template the service name and phase for the header and banner."""
    return {"service_name": settings.SERVICE_NAME, "service_phase": settings.SERVICE_PHASE}
