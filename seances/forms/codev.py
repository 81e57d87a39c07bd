"""Forms of the co-development facilitator mode: preparing the séance, a step's notes, an
item of the client's action plan."""

from django import forms
from django.utils.translation import gettext_lazy

from seances.services.codev import NOTES_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CodevPrepareForm(forms.Form):
    """The client is chosen among the people present; the others are the consultants."""

    client = forms.ModelChoiceField(
        label=gettext_lazy("Client (the person who brings the situation)"),
        queryset=None,
        to_field_name="public_id",
        empty_label=gettext_lazy("Choose the client"),
        help_text=gettext_lazy("The other people present are the consultants."),
    )
    topic = forms.CharField(
        label=gettext_lazy("Situation-problem"),
        max_length=200,
        help_text=gettext_lazy(
            "In a few words, the situation the client is looking for solutions to."
        ),
    )

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = present


class CodevNotesForm(forms.Form):
    step = forms.IntegerField(min_value=0, max_value=7, widget=forms.HiddenInput)
    notes = forms.CharField(
        label=gettext_lazy("Notes of the step"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CodevActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    due_on = forms.DateField(label=gettext_lazy("Due date"), required=False, widget=DATE_WIDGET)
