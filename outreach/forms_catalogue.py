"""Forms of the public catalogue: registering for an open event without an account."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.antispam import AntiSpamFormMixin, antispam_layout_fields
from outreach.services.catalogue import PHONE_RE


class EventRegistrationForm(AntiSpamFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    territory = forms.CharField(
        label=_("Your town or neighbourhood (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by the organisers about this event."),
        error_messages={"required": _("Tick this box so that the organisers can reach you.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("An email address or a phone number: one is enough.")
        self.helper = FormHelper()
        self.helper.form_id = "event-registration"
        self.helper.layout = Layout(
            "name",
            Div(
                Div("email", css_class="col-md-6"),
                Div("phone", css_class="col-md-6"),
                css_class="row",
            ),
            "territory",
            "consent",
            *antispam_layout_fields(),
        )
        self.helper.add_input(Submit("submit", _("Sign me up"), css_class="btn-lg"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("This phone number does not look right."))
        return phone

    def clean(self):
        cleaned_data = super().clean()
        unreachable = not cleaned_data.get("email") and not cleaned_data.get("phone")
        if unreachable and "email" not in self.errors and "phone" not in self.errors:
            self.add_error(
                "email", _("Give an email address or a phone number, so we can reach you.")
            )
        return cleaned_data
