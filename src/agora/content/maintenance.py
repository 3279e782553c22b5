"""Rebuild the search index from the documents (after a change of engine or language)."""

from django.db import transaction

from agora.content.models import Document
from agora.content.services import document_reindex
from agora.search.index import index_clear, terms_batch


def search_rebuild() -> int:
    """Empty the index and write every document's current version again; return how many."""
    with transaction.atomic(), terms_batch():  # the vocabulary counted once, at the end
        index_clear()
        documents = Document.objects.filter(current_version__isnull=False).select_related(
            "current_version"
        )
        count = 0
        for document in documents.iterator():
            document_reindex(document)
            count += 1
    return count
