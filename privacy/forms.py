from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaires.forms import clean_postal_code
from beneficiaires.models import Beneficiary
from privacy.services import RECTIFIABLE_FIELDS


class ContactDetailsForm(forms.ModelForm):
    class Meta:
        model = Beneficiary
        fields = RECTIFIABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"

    def clean_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data["postal_code"])


class EraseForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        help_text=_("Kept with the anonymisation, for example the date of the request."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the personal data will be erased for good."),
        required=True,
    )
