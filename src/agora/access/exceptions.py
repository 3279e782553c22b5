"""Errors of the access app: a purpose the acting organisation or client may not act for."""

from agora.core.exceptions import PermissionDenied


class PurposeNotDeclared(PermissionDenied):
    """The organisation has not declared this purpose in its register of processing (or
    its data protection officer has not approved the declaration yet), so it may not act
    for it. An organisation may handle personal data only for the purposes it declared;
    see `GET /api/v1/purposes/{organization}` for its declared purposes."""

    code = "purpose-not-declared"
    title = "The organisation has not declared this purpose"


class PurposeNotAllowed(PermissionDenied):
    """This API client is limited to some of its organisation's declared purposes, and
    this is not one of them. An administrator of the organisation can change the
    purposes the client may act for."""

    code = "purpose-not-allowed"
    title = "This API client may not act for this purpose"
