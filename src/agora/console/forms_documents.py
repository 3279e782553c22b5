"""Forms of the console's document pages: they parse input; the content services check it
against their rules and write."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from agora.access.models import Classification
from agora.console.forms_sharing import HintedRadioSelect
from agora.content.models import Document
from agora.content.services import Details
from agora.organizations.models import Membership
from agora.topics.selectors import topic_tree

CLASSIFICATION_HINTS = {
    "open": "Anyone may read and reuse it (open data).",
    "public": "Anyone may read it on Agora.",
    "internal": "Only your organisation's staff and its API clients.",
    "restricted": "Only the roles you choose below.",
}
SUPPORTED = "PDF, Word (DOCX), HTML, Markdown, plain text, CSV or JSON"


def topic_choices() -> list[tuple[str, str]]:
    """Return the active topics as choices, each child named under its parent."""
    choices = []
    for node in topic_tree():
        choices.append((node.topic.slug, node.topic.name))
        choices += [(child.topic.slug, f"{node.topic.name} \u203a {child.topic.name}")
                    for child in node.children]
    return choices


class DocumentDetailsForm(forms.Form):
    """What a publisher says about a document: its level, who may read it, kind, topics."""

    classification = forms.ChoiceField(
        label="Who may read it", choices=Classification.choices,
        widget=HintedRadioSelect(hints=CLASSIFICATION_HINTS),
        error_messages={"required": "Choose who may read the document."},
    )
    restricted_roles = forms.MultipleChoiceField(
        label="Roles that may read it, if restricted", required=False,
        choices=Membership.Role.choices, widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label="Kind of document", required=False,
        choices=[("", "Work it out from the file"), *Document.Kind.choices],
    )
    topics = forms.MultipleChoiceField(
        label="Topics", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The needs residents would look for it under.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topic_choices()

    def details(self, **extra) -> Details:
        data = self.cleaned_data
        return Details(classification=data["classification"],
                       restricted_roles=tuple(data["restricted_roles"]),
                       topics=tuple(data["topics"]), kind=data["kind"], **extra)


class DocumentUploadForm(DocumentDetailsForm):
    """A file to publish, as a new document or a new version of one, with its details."""

    file = forms.FileField(
        label="File", allow_empty_file=False,
        help_text=f"{SUPPORTED}, up to {filesizeformat(settings.CONTENT_MAX_BYTES)}.",
        error_messages={"required": "Choose a file to upload.",
                        "empty": "The file you chose is empty.",
                        "invalid": "Choose a file to upload."},
    )
    title = forms.CharField(
        label="Title", required=False, max_length=300,
        help_text="Leave it empty to use the title inside the file.",
    )
    source_url = forms.CharField(
        label="Web address of the original", required=False, max_length=1000,
        help_text="If the document also lives on another site, like https://example.org/page.",
    )
    field_order = ["file", "title", "classification", "restricted_roles", "kind", "topics",
                   "source_url"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The publish service refuses large files too; checking here first spares reading
        # an oversized upload into memory to hand it over.
        if upload.size > settings.CONTENT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(settings.CONTENT_MAX_BYTES)}.")
        return upload

    def details(self, **extra) -> Details:
        data = self.cleaned_data
        return super().details(title=data["title"].strip(),
                               source_url=data["source_url"].strip(), **extra)


class CompareForm(forms.Form):
    """Two versions of a document to compare (read from the query string)."""

    old = forms.TypedChoiceField(label="Compare version", coerce=int)
    new = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].choices = [(n, f"Version {n}") for n in numbers]
