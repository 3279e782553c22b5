"""Shared fixtures. The suite runs on whichever database DATABASE_URL names."""
