from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.enums import ESSENTIAL_KINDS, NotificationKind

OPTIONAL_KINDS = [
    (value, label) for value, label in NotificationKind.choices if value not in ESSENTIAL_KINDS
]
ESSENTIAL_CHOICES = [
    (value, label) for value, label in NotificationKind.choices if value in ESSENTIAL_KINDS
]

CHECKBOX = {"class": "form-check-input"}


class PreferenceForm(forms.Form):
    """Channels and optional messages; the kinds a person ticks are the ones they receive."""

    email_enabled = forms.BooleanField(
        label=_("By email"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    sms_enabled = forms.BooleanField(
        label=_("By text message (SMS)"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    received_kinds = forms.MultipleChoiceField(
        label=_("Optional messages I want to receive"),
        choices=OPTIONAL_KINDS,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX),
        required=False,
    )

    def __init__(self, *args, preference, has_phone: bool, **kwargs):
        initial = {
            "email_enabled": preference.email_enabled,
            "sms_enabled": preference.sms_enabled,
            "received_kinds": [
                value for value, _label in OPTIONAL_KINDS if value not in preference.muted_kinds
            ],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.preference = preference
        self.has_phone = has_phone
        if not has_phone:
            # No number to text: the choice is not offered, and the stored one is kept.
            del self.fields["sms_enabled"]

    @property
    def muted_kinds(self) -> list[str]:
        received = set(self.cleaned_data["received_kinds"])
        return [value for value, _label in OPTIONAL_KINDS if value not in received]

    @property
    def sms_choice(self) -> bool:
        if "sms_enabled" in self.fields:
            return self.cleaned_data["sms_enabled"]
        return self.preference.sms_enabled
