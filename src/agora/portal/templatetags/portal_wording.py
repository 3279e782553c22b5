"""Template filters that say the log's and the register's codes in plain words."""

from django import template

from agora.portal.wording import legal_basis_words

register = template.Library()


@register.filter
def basis_words(code: str) -> str:
    """Return a GDPR basis or condition code ("6.1.e") in plain words ("part of a public task")."""
    return legal_basis_words(code)
