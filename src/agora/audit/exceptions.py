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
