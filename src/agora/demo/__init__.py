"""The demo town of Riverton: a deterministic generator of organisations, staff and residents."""
