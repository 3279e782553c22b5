"""Requests to member organisations: a case, its status model and timeline, referrals, deadlines."""
