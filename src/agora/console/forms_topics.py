"""The form operators curate topics with; the topics service checks and writes."""

from django import forms


class TopicForm(forms.Form):
    """A topic as operators curate it: name, one-line summary, place in the tree, shown."""

    name = forms.CharField(label="Name", max_length=120,
                           error_messages={"required": "Enter the topic's name."})
    slug = forms.SlugField(
        label="Short name in web addresses", max_length=80,
        help_text="Lower-case letters, numbers and hyphens, like struggling-with-bills. It "
        "cannot change later.",
        error_messages={"required": "Enter a short name for web addresses.",
                        "invalid": "Use only lower-case letters, numbers and hyphens."},
    )
    summary = forms.CharField(label="Summary", max_length=300, required=False,
                              help_text="One line under the name, in residents' words.")
    parent = forms.ChoiceField(label="Where it sits", required=False)
    position = forms.IntegerField(
        label="Order among its neighbours", min_value=0, max_value=1000, initial=0,
        help_text="Lower numbers come first.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"required": "Enter a number for the order, like 0.",
                        "invalid": "Enter a whole number for the order, like 3."},
    )
    is_active = forms.BooleanField(label="Show this topic to residents", required=False,
                                   initial=True)

    def __init__(self, *args, parents: list[tuple[str, str]], editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "At the top level"),
                                         *[(slug, f"Under {name}") for slug, name in parents]]
        if editing:
            del self.fields["slug"]
