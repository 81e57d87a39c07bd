"""Forms of the closing records and the action plan: the draft, its tasks, corrections,
the beneficiary's synthesis and comments, a task's status."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seances.enums import (
    CommentKind,
    ExchangeChannel,
    TaskOwner,
    TaskStatus,
)
from seances.models import ClosingRecord
from seances.services.closing import RECORD_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OWN_WORDS = gettext_lazy("In the beneficiary's own words.")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ClosingRecordForm(forms.ModelForm):
    """The draft, laid out in the template in the sections of the seed-002 checklist."""

    next_channels = forms.MultipleChoiceField(
        label=gettext_lazy("Means of the next exchanges"),
        choices=ExchangeChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ClosingRecord
        fields = list(RECORD_FIELDS)
        widgets = {
            "expectations": _text(),
            "expectations_met": forms.RadioSelect,
            "content": _text(5),
            "next_step": _text(),
            "means_and_resources": _text(),
            "future_needs": _text(),
            "mentor_can_help_with": _text(),
            "beneficiary_commitments": _text(),
            "mentor_commitments": _text(),
            "misunderstandings": _text(),
            "next_date": DATE_WIDGET,
        }
        help_texts = {
            "expectations": gettext_lazy(
                "What the beneficiary expected from this working time, as they said it."
            ),
            "next_step": OWN_WORDS,
            "means_and_resources": OWN_WORDS,
            "future_needs": OWN_WORDS,
            "beneficiary_commitments": OWN_WORDS,
            "misunderstandings": gettext_lazy(
                "If needed, invite the beneficiary to sum up the points of method, to check "
                "they were understood. Confidential matters go in a confidential note, "
                "never here: this record is shared and printed."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list without a blank "---------" choice: no answer is simply no tick.
        self.fields["expectations_met"].choices = [
            choice for choice in self.fields["expectations_met"].choices if choice[0]
        ]
        self.fields["next_frequency"].choices = [("", _("Not decided"))] + [
            choice for choice in self.fields["next_frequency"].choices if choice[0]
        ]
        if self.instance.pk:
            self.initial["next_channels"] = list(self.instance.next_channels)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECORD_FIELDS}


class TaskForm(forms.Form):
    """One task of the draft's action plan: an existing one (`task` = its public id) or a
    new one in a blank row."""

    task = forms.UUIDField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=gettext_lazy("What"), max_length=300, required=False)
    owner = forms.ChoiceField(
        label=gettext_lazy("Who"), choices=TaskOwner.choices, initial=TaskOwner.BENEFICIARY
    )
    owner_detail = forms.CharField(
        label=gettext_lazy("Who, if someone else"), max_length=120, required=False
    )
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET, required=False)

    def clean(self):
        cleaned_data = super().clean()
        deleting = cleaned_data.get("DELETE")
        if cleaned_data.get("task") and not deleting and not cleaned_data.get("title", "").strip():
            self.add_error("title", _("Say what is to be done."))
        elif (
            not cleaned_data.get("task")
            and not cleaned_data.get("title", "").strip()
            and (cleaned_data.get("due_on") or cleaned_data.get("owner_detail"))
        ):
            # A blank new row filled only with a date or someone's name.
            self.add_error("title", _("Say what is to be done."))
        return cleaned_data


TaskFormSet = formset_factory(TaskForm, extra=3, can_delete=True, max_num=50, validate_max=True)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown in the version history and printed on the new report, e.g. "
            "“wrong due date for the budget”."
        ),
    )


class CommentForm(forms.Form):
    kind = forms.ChoiceField(choices=CommentKind.choices, widget=forms.HiddenInput)
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=TaskStatus.choices)
