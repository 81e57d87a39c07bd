"""The public support-request form: short, in plain words, with the anti-spam checks.

The rules live in outreach.services.requests.validate_request_data (the API follows them
too); the form lays the fields out and shows the service's errors on the right field."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beneficiaires.enums import BeneficiaryKind, Situation
from outreach.antispam import AntiSpamFormMixin, antispam_layout_fields
from outreach.enums import PreferredChannel
from outreach.services.requests import NEEDS_MAX_LENGTH, validate_request_data
from programmes.enums import OfferMode
from programmes.models import Offer

# The three starting situations, as a person would say them; "" is "I don't know".
SITUATION_CHOICES = [
    (
        Situation.NO_PROJECT.value,
        _("I have no precise project yet, but I would like to get involved"),
    ),
    (
        Situation.WANTS_TO_ACT.value,
        _("I have an idea and I want to act, but I do not know where to start"),
    ),
    (
        Situation.ALREADY_STARTED.value,
        _("My project has already started and I would like support to go further"),
    ),
    ("", _("I don't know")),
]
REQUESTER_CHOICES = [
    (BeneficiaryKind.INDIVIDUAL.value, _("A person")),
    *[(kind.value, kind.label) for kind in BeneficiaryKind if kind != BeneficiaryKind.INDIVIDUAL],
]
# The fields the service takes, in the form's order.
REQUEST_FIELDS = (
    "requester_kind",
    "name",
    "contact_name",
    "email",
    "phone",
    "postal_code",
    "territory",
    "situation",
    "needs",
    "preferred_channel",
    "offer",
    "consent_contact",
)


def request_offers(programme):
    """The offers a requester may say they are interested in: the programme's active ones."""
    return Offer.objects.filter(programme=programme, is_active=True).order_by("title", "pk")


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offer) -> str:
        mode = _("group") if obj.mode == OfferMode.GROUP else _("individual")
        return f"{obj.title} ({obj.get_kind_display()}, {mode})"


class SupportRequestForm(AntiSpamFormMixin, forms.Form):
    requester_kind = forms.ChoiceField(
        label=_("You are"),
        choices=REQUESTER_CHOICES,
        initial=BeneficiaryKind.INDIVIDUAL.value,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Your name, or the name of your structure"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        help_text=_("For a structure: who should we ask for?"),
        max_length=200,
        required=False,
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        help_text=_("An email address or a phone number is enough: give at least one."),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    territory = forms.CharField(
        label=_("Town or neighbourhood"),
        max_length=200,
        required=False,
    )
    situation = forms.ChoiceField(
        label=_("Where do you stand?"),
        choices=SITUATION_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    needs = forms.CharField(
        label=_("What would you like help with?"),
        help_text=_("In your own words: your idea, your questions, what is blocking you."),
        max_length=NEEDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    preferred_channel = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        choices=PreferredChannel.choices,
        initial=PreferredChannel.EMAIL.value,
        widget=forms.RadioSelect,
    )
    offer = OfferChoiceField(
        label=_("Is one of our offers of particular interest to you?"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("I don't know yet"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    consent_contact = forms.BooleanField(
        label=_(
            "I agree that the team contacts me about this request, using the details above. "
            "They are used for nothing else."
        ),
        error_messages={"required": _("We can only answer if you agree to be contacted.")},
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["offer"].queryset = request_offers(programme)
        self.fields["needs"].error_messages["required"] = _(
            "Tell us in a few words what you would like help with."
        )
        self.fields["name"].error_messages["required"] = _(
            "Tell us your name, or the name of your structure."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Who you are"),
                "requester_kind",
                "name",
                "contact_name",
                Div(
                    Div(Field("email"), css_class="col-md-6"),
                    Div(Field("phone"), css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div(Field("postal_code"), css_class="col-md-4"),
                    Div(Field("territory"), css_class="col-md-8"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Your request"),
                "situation",
                "needs",
                "offer",
                "preferred_channel",
            ),
            "consent_contact",
            *antispam_layout_fields(),
        )

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in REQUEST_FIELDS}
        values = {
            name: value if value is not None or name == "offer" else ""
            for name, value in values.items()
        }
        values.pop("postal_code")
        values.pop("territory")
        try:
            validate_request_data(programme=self.programme, **values)
        except ValidationError as exc:
            # One message per field: a field that failed its own checks keeps its message.
            for field, errors in exc.error_dict.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, errors[:1])
        return cleaned

    def request_data(self) -> dict:
        """The keyword arguments of support_request_create."""
        data = {name: self.cleaned_data.get(name) for name in REQUEST_FIELDS}
        data["offer"] = data["offer"] or None
        for name in REQUEST_FIELDS:
            if data[name] is None and name != "offer":
                data[name] = ""
        return data
