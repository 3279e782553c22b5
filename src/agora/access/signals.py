"""Keep `AgreementGrant` in step with agreements (see `access.grants`).

Every change that could alter what an agreement grants rewrites its grant rows in the
same transaction: the agreement saved (status, dates, parties), its categories or
purposes added, removed or cleared (from either side), a category's special flag
changed. Deleting an agreement deletes its rows (cascade).
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from agora.access.grants import refresh_agreement_grants
from agora.access.models import Agreement, DataCategory

RELATIONS = (Agreement.categories.through, Agreement.purposes.through)


@receiver(post_save, sender=Agreement, dispatch_uid="agreement-grants-on-save")
def agreement_saved(sender, instance: Agreement, **kwargs) -> None:
    refresh_agreement_grants([instance.pk])


@receiver(post_save, sender=DataCategory, dispatch_uid="agreement-grants-on-category")
def category_saved(sender, instance: DataCategory, **kwargs) -> None:
    refresh_agreement_grants(instance.agreements.values_list("pk", flat=True))


def agreement_relation_changed(sender, instance, action: str, reverse: bool, pk_set,
                               **kwargs) -> None:
    if action == "pre_clear" and reverse:
        # Clearing from the category's or purpose's side: note whose rows to rewrite.
        instance._agreements_cleared = list(instance.agreements.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_agreement_grants([instance.pk])
    elif action == "post_clear":
        refresh_agreement_grants(getattr(instance, "_agreements_cleared", []))
    else:
        refresh_agreement_grants(pk_set or [])


for relation in RELATIONS:
    m2m_changed.connect(agreement_relation_changed, sender=relation,
                        dispatch_uid=f"agreement-grants-{relation._meta.label}")
