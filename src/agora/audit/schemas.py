"""Input and output schemas of the transparency log's public API."""

from ninja import Schema
from pydantic import Field

from agora.core.schemas import InputSchema

HEX_HASH = "A SHA-256 hash, 64 lowercase hex digits."


class InclusionIn(InputSchema):
    seq: int = Field(ge=0, le=2**62, description="The entry's sequence number (leaf index).")
    tree_size: int = Field(ge=1, le=2**62, description="Size of the tree to prove it in.")


class ConsistencyIn(InputSchema):
    first: int = Field(ge=1, le=2**62, description="The older tree size.")
    second: int = Field(ge=1, le=2**62, description="The newer tree size (>= first).")


class PublicKeyOut(Schema):
    algorithm: str = Field(description="Always `Ed25519`.")
    public_key: str = Field(description="The raw 32-byte public key, base64.")
    key_id: str = Field(
        description="The key's id: its RFC 7638 JWK thumbprint (base64url SHA-256)."
    )


class PublishedKeyOut(PublicKeyOut):
    valid_from: str = Field(description="When the key began to sign: ISO 8601 UTC.")
    valid_until: str | None = Field(
        description="When it stopped (a rotation), or null for the current key."
    )


class PublicKeysOut(Schema):
    keys: list[PublishedKeyOut] = Field(
        description="Every key the platform has signed with, oldest first."
    )


class TreeHeadOut(PublicKeyOut):
    tree_size: int = Field(description="How many entries the signed tree holds.")
    root_hash: str = Field(description=f"RFC 6962 root of the first tree_size entries. {HEX_HASH}")
    timestamp: str = Field(description="When it was signed: ISO 8601 UTC with microseconds.")
    signature: str = Field(
        description="Ed25519 signature, base64, by the key `key_id` over the UTF-8 bytes "
        "`agora-tree-head:v1\\n<tree_size>\\n<root_hash>\\n<timestamp>`."
    )


class InclusionOut(Schema):
    leaf_index: int = Field(description="The entry's sequence number.")
    tree_size: int
    leaf_hash: str = Field(description=f"SHA256(0x00 || leaf data). {HEX_HASH}")
    proof: list[str] = Field(description="RFC 6962 audit path, leaf end first; hex hashes.")


class ConsistencyOut(Schema):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 6962 consistency proof; hex hashes.")
