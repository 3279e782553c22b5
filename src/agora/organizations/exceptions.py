from agora.core.exceptions import Conflict, InvalidInput


class LastAdminError(Conflict):
    code = "last-admin"
    title = "An organisation must keep at least one administrator"


class DuplicateSlug(Conflict):
    code = "duplicate-slug"
    title = "Another organisation already uses this short name"


class InvalidPublicKey(InvalidInput):
    code = "invalid-public-key"
    title = "The public key is not an Ed25519 or P-256 public key in JWK form"
