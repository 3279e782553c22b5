"""The forms on the challenge pages. They parse what people type; the services check the
rules (phase, who may, the saved query runs) and their errors go in the error summary."""

import json
from urllib.parse import parse_qs, urlparse

from django import forms

TEXT_ERRORS = {"max_length": "Keep this to %(limit_value)d characters or fewer"}


class ProposalForm(forms.Form):
    title = forms.CharField(label="Title of your proposal", max_length=200,
                            error_messages={"required": "Enter a title for your proposal",
                                            **TEXT_ERRORS})
    body = forms.CharField(label="Your proposal", max_length=5000, widget=forms.Textarea,
                           help_text="What should change, and why. Do not include personal "
                                     "details: everyone can read this.",
                           error_messages={"required": "Enter your proposal", **TEXT_ERRORS})
    on_behalf_of = forms.ChoiceField(label="Who is proposing", required=False,
                                     widget=forms.RadioSelect)
    evidence_dataset = forms.ChoiceField(label="A dataset that supports it", required=False)
    evidence_query = forms.CharField(
        label="A query of a dataset's rows that supports it", required=False, max_length=2000,
        help_text="Paste a link to a DataStore query, like those under “Query these rows "
                  "with the API” on a dataset's page.",
        error_messages=TEXT_ERRORS)

    def __init__(self, *args, organizations=(), datasets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].choices = [("", "Me, as a resident")] + [
            (organization.slug, organization.name) for organization in organizations]
        if not organizations:
            del self.fields["on_behalf_of"]
        self.fields["evidence_dataset"].choices = [("", "None"), *datasets]

    def clean_evidence_query(self) -> dict:
        """Return {resource_id, filters, q, sort} from a datastore_search link, or {}."""
        link = self.cleaned_data["evidence_query"].strip()
        if not link:
            return {}
        parsed = urlparse(link)
        if not parsed.path.rstrip("/").endswith("/action/datastore_search"):
            raise forms.ValidationError("Paste a link to datastore_search, like "
                                        "/api/3/action/datastore_search?resource_id=…")
        params = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        if not params.get("resource_id"):
            raise forms.ValidationError("The link does not name a resource_id.")
        query = {"resource_id": params["resource_id"]}
        if params.get("filters"):
            try:
                query["filters"] = json.loads(params["filters"])
            except json.JSONDecodeError:
                raise forms.ValidationError("The link's filters are not valid JSON.") from None
        for key in ("q", "sort"):
            if params.get(key):
                query[key] = params[key]
        return query


class CommentForm(forms.Form):
    body = forms.CharField(label="Your comment", max_length=2000, widget=forms.Textarea(
        attrs={"rows": 4}), help_text="Be kind and stay on the subject. Comments that break "
        "the rules are hidden by the organisation, with the reason shown.",
        error_messages={"required": "Enter your comment", **TEXT_ERRORS})
    proposal = forms.ChoiceField(label="What your comment is about", required=False)
    on_behalf_of = forms.ChoiceField(label="Who is commenting", required=False,
                                     widget=forms.RadioSelect)

    def __init__(self, *args, proposals=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [("", "The challenge as a whole")] + [
            (str(proposal.public_id), f"Proposal: {proposal.title}") for proposal in proposals]
        if not proposals:
            del self.fields["proposal"]
        self.fields["on_behalf_of"].choices = [("", "Me, as a resident")] + [
            (organization.slug, organization.name) for organization in organizations]
        if not organizations:
            del self.fields["on_behalf_of"]
