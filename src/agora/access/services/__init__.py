"""Writes to the grants of sharing (agreements and consents) and to the register of
processing (declarations of purpose), each one transaction and one log entry.
Import them from here: `from agora.access.services import consent_withdraw`.
"""

from agora.access.services.agreements import (
    agreement_approve,
    agreement_end,
    agreement_propose,
    agreement_resume,
    agreement_suspend,
)
from agora.access.services.consents import consent_give, consent_withdraw
from agora.access.services.declarations import (
    apiclient_purposes_set,
    purpose_declaration_approve,
    purpose_declaration_propose,
    purpose_declaration_reject,
    purpose_declaration_withdraw,
)

__all__ = [
    "agreement_approve",
    "agreement_end",
    "agreement_propose",
    "agreement_resume",
    "agreement_suspend",
    "apiclient_purposes_set",
    "consent_give",
    "consent_withdraw",
    "purpose_declaration_approve",
    "purpose_declaration_propose",
    "purpose_declaration_reject",
    "purpose_declaration_withdraw",
]
