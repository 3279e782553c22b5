"""The console forms of challenges: open one, answer a proposal, hide a comment, add a
milestone. They parse input; the challenges' services check the rules."""

from django import forms

from agora.challenges.models import Proposal
from agora.console.forms_sharing import DateField

TEXT_ERRORS = {"max_length": "Keep this to %(limit_value)d characters or fewer"}


class ChallengeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter a title", **TEXT_ERRORS})
    slug = forms.SlugField(label="Short name", max_length=100,
                           help_text="Used in the page's address, like “safer-crossings”. "
                                     "Lower-case letters, digits and hyphens.",
                           error_messages={"required": "Enter a short name",
                                           "invalid": "Use lower-case letters, digits and "
                                                      "hyphens only", **TEXT_ERRORS})
    summary = forms.CharField(label="The issue", max_length=5000, widget=forms.Textarea,
                              help_text="What you ask residents and partners to work on, "
                                        "and why.",
                              error_messages={"required": "Describe the issue", **TEXT_ERRORS})
    topic = forms.ChoiceField(label="Topic", required=False)
    dataset = forms.ChoiceField(label="An open dataset it is about", required=False)
    service = forms.ChoiceField(label="The requests to one of your services", required=False)
    propose_from = DateField(label="Proposals open on", help_text="For example, 1 3 2027")
    prioritise_from = DateField(label="Prioritising starts on")
    respond_from = DateField(label="Your answers are due from")
    track_from = DateField(label="Tracking results starts on")

    def __init__(self, *args, topics=(), datasets=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "None"), *topics]
        self.fields["dataset"].choices = [("", "None"), *datasets]
        self.fields["service"].choices = [("", "None"), *services]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Your answer", widget=forms.RadioSelect,
        choices=[(status.value, status.label) for status in
                 (Proposal.Status.EVALUATING, Proposal.Status.ACCEPTED,
                  Proposal.Status.REJECTED)],
        error_messages={"required": "Choose your answer"})
    reason = forms.CharField(label="The reason", max_length=5000, widget=forms.Textarea,
                             help_text="Shown with the proposal and sent to its followers.",
                             error_messages={"required": "Enter the reason for your answer",
                                             **TEXT_ERRORS})


class HideForm(forms.Form):
    reason = forms.CharField(label="Why it is hidden", max_length=300,
                             help_text="Shown in the comment's place, like “Names a member "
                                       "of staff”.",
                             error_messages={"required": "Enter why you hide the comment",
                                             **TEXT_ERRORS})


class MilestoneForm(forms.Form):
    title = forms.CharField(label="What will be done", max_length=200,
                            error_messages={"required": "Enter what will be done",
                                            **TEXT_ERRORS})
    due = DateField(label="Due on")
    done_at = DateField(label="Done on", required=False,
                        help_text="Leave empty until it is done.")
    service = forms.ChoiceField(label="The service it changes", required=False)
    requests = forms.CharField(
        label="Requests it answers", required=False, max_length=2000,
        help_text="References of your requests, separated by spaces. Only your staff see them.",
        error_messages=TEXT_ERRORS)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "None"), *services]

    def clean_requests(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.cleaned_data["requests"].replace(",", " ").split()))
