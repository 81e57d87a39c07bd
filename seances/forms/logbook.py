"""The logbook entry form: learnings, feelings, progress (seed 004), private by default."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seances.services.logbook import TEXT_MAX_LENGTH


def _text(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class LogbookEntryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    seance = forms.ModelChoiceField(
        label=gettext_lazy("About a séance"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        empty_label=gettext_lazy("No particular séance"),
    )
    offer = forms.ModelChoiceField(
        label=gettext_lazy("About an offer"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        empty_label=gettext_lazy("No particular offer"),
        help_text=gettext_lazy("Filled in from the séance when you choose one."),
    )
    learnings = _text(
        gettext_lazy("Learnings"),
        gettext_lazy("What you learnt: about the subject, about yourself, about the others."),
    )
    feelings = _text(
        gettext_lazy("Feelings"), gettext_lazy("How you felt, during the séance and since.")
    )
    progress = _text(
        gettext_lazy("Progress"), gettext_lazy("What has moved forward, what you will try next.")
    )
    shared_with_mentor = forms.BooleanField(
        label=gettext_lazy("Share this entry with my mentor"),
        required=False,
        help_text=gettext_lazy(
            "Private by default: only you read it. Shared, your mentor reads it too; "
            "you can take it back at any time."
        ),
    )

    def __init__(self, *args, seances=None, offers=None, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if seances is None:
            # Editing: what the entry is about does not change.
            del self.fields["seance"]
            del self.fields["offer"]
        else:
            self.fields["seance"].queryset = seances.select_related("offer").order_by(
                "-starts_at", "-pk"
            )
            self.fields["seance"].label_from_instance = lambda seance: (
                _("%(date)s — %(offer)s")
                % {
                    "date": formats.date_format(
                        timezone.localtime(seance.starts_at), "SHORT_DATE_FORMAT"
                    ),
                    "offer": seance.offer.title,
                }
            )
            self.fields["offer"].queryset = offers.order_by("title", "pk")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Save the entry")))

    def clean(self):
        cleaned_data = super().clean()
        names = ("learnings", "feelings", "progress")
        if not any((cleaned_data.get(name) or "").strip() for name in names):
            raise forms.ValidationError(
                _("Write at least one of your learnings, your feelings or your progress.")
            )
        return cleaned_data
