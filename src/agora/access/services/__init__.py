"""Writes to the grants of sharing: agreements and consents (one transaction and one log
entry each). Import them from here: `from agora.access.services import consent_withdraw`.
"""

from agora.access.services.agreements import (
    agreement_approve,
    agreement_end,
    agreement_propose,
    agreement_resume,
    agreement_suspend,
)
from agora.access.services.consents import consent_give, consent_withdraw

__all__ = [
    "agreement_approve",
    "agreement_end",
    "agreement_propose",
    "agreement_resume",
    "agreement_suspend",
    "consent_give",
    "consent_withdraw",
]
