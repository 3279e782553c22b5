"""Agora's SQLite database backend (see `base`)."""
