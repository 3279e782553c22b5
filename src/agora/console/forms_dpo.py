"""The data protection officer's filter of the access report (a GET form)."""

from django import forms

from agora.audit.reports import ReportFilter
from agora.console.forms_sharing import DateField, end_of_day, start_of_day

RESULTS = [("", "Permitted and refused"), ("permit", "Permitted"), ("deny", "Refused")]


class AccessReportForm(forms.Form):
    """Narrow the access report by purpose, result, acting organisation and period."""

    purpose = forms.ChoiceField(
        label="Purpose",
        required=False,
        error_messages={"invalid_choice": "Choose a purpose from the list"},
    )
    decision = forms.ChoiceField(
        label="Result",
        required=False,
        choices=RESULTS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose permitted, refused or both"},
    )
    actor = forms.ChoiceField(
        label="Organisation that acted",
        required=False,
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    start = DateField(label="From", required=False, help_text="For example, 1 3 2026")
    end = DateField(label="To", required=False, help_text="Up to the end of this day")

    def __init__(self, *args, actors: list[tuple[str, str]], purposes: dict[str, str],
                 **kwargs):
        """`actors`: (slug, name) of the organisations in the report; `purposes`: code → name."""
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "Any purpose"), *purposes.items()]
        self.fields["actor"].choices = [("", "Any organisation"), *actors]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be the same as or after its start")
        return data

    def report_filter(self) -> ReportFilter:
        """Return the cleaned choices as the audit report's filter (dates as whole days)."""
        data = self.cleaned_data
        return ReportFilter(
            purpose=data.get("purpose") or "",
            decision=data.get("decision") or "",
            actor_organization=data.get("actor") or "",
            start=start_of_day(data["start"]) if data.get("start") else None,
            end=end_of_day(data["end"]) if data.get("end") else None,
        )
