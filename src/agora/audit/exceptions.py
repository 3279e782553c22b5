"""Errors of the transparency log."""

from agora.core.exceptions import AgoraError, InvalidInput, NotFound


class LogIsAppendOnly(AgoraError):
    """Log entries, tree nodes and signed heads are never changed or removed."""

    code = "log-append-only"
    status = 409
    title = "The transparency log cannot be changed"


class TreeSizeOutOfRange(NotFound):
    """The entry or tree size asked for is not in the log (yet). Ask for a tree size no
    larger than the latest signed tree head's `tree_size`, and an entry below it.

    A 404, like a missing entry: the proof asked for does not exist (yet)."""

    code = "tree-size-out-of-range"
    title = "That entry or tree size is not in the log"


class BadProofRequest(InvalidInput):
    """A consistency proof needs two tree sizes with 0 < first <= second."""

    code = "bad-proof-request"
    title = "Those tree sizes cannot be proved consistent"


class LogCorrupted(AgoraError):
    """A Merkle node the log needs is missing: the log was changed outside Agora.
    Operators: run `agora audit verify` to find the first bad entry."""

    code = "log-corrupted"
    status = 500
    title = "The transparency log is damaged"


class PlatformKeyUnavailable(AgoraError):
    """The ring's current key is not reachable by this process (its file or variable is
    missing). Operators: give every process the key files of AGORA_PLATFORM_KEY_DIR."""

    code = "platform-key-unavailable"
    status = 500
    title = "The platform's signing key is not available"


class KeyRotationFailed(AgoraError):
    """A key rotation stopped before it was recorded; the old key is still in use."""

    code = "key-rotation-failed"
    status = 500
    title = "The platform key was not rotated"


class NoTreeHead(NotFound):
    """No tree head has been signed yet. The worker signs one within
    AGORA_TREE_HEAD_INTERVAL seconds of the first entry; `agora audit sign-head` signs
    one at once."""

    code = "no-tree-head"
    title = "No tree head has been signed yet"


class WitnessAlarm(AgoraError):
    """The witnessed log misbehaved: a fork, a rollback, a bad signature or a changed key.
    Keep the witness's stored heads: they are the evidence."""

    code = "witness-alarm"
    status = 409
    title = "The witnessed log is not consistent with what it showed before"


class WitnessCannotCheck(AgoraError):
    """The witnessed site could not be checked: it is down or answered something else."""

    code = "witness-cannot-check"
    status = 502
    title = "The witnessed site could not be checked"
