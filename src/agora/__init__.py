"""Agora: personalised public services built on secure information sharing."""

__version__ = "0.1.0"
