from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganizationKind, PartnerKind, Role
from accounts.models import Organization
from partners.enums import ReferralStatus
from partners.models import Referral
from partners.services import ANSWER_STATUSES
from programmes.models import Programme, Theme


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Theme checkboxes; the structure is named when themes of several structures are listed."""

    def __init__(self, *args, show_organization: bool = False, **kwargs):
        self.show_organization = show_organization
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Theme) -> str:
        return f"{obj.name} ({obj.organization.name})" if self.show_organization else obj.name


class PartnerForm(forms.ModelForm):
    """A partner entry of the directory. The steward is asked only of a coordinator of several
    structures (or an administrator); themes are those of the structures the person manages."""

    steward = forms.ModelChoiceField(
        label=_("Maintained by"),
        queryset=Organization.objects.none(),
        help_text=_("The support structure that keeps this partner's entry up to date."),
    )
    themes = ThemeChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The needs this partner can help with."),
    )

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "partner_kind",
            "territory",
            "description",
            "contact_name",
            "email",
            "phone",
            "website",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_kind"].required = True
        self.fields["partner_kind"].choices = [("", "---------"), *PartnerKind.choices]
        if user.is_superuser:
            stewards = Organization.objects.support()
            themes = Theme.objects.filter(organization__kind=OrganizationKind.SUPPORT)
        else:
            managed = user.organization_ids_with_role(Role.COORDINATOR)
            stewards = Organization.objects.filter(pk__in=managed)
            themes = Theme.objects.filter(organization_id__in=managed)
        themes = (
            themes.filter(is_active=True)
            .select_related("organization")
            .order_by("organization__name", "name", "pk")
        )
        self.fields["themes"].queryset = themes
        self.fields["themes"].show_organization = (
            themes.values("organization_id").distinct().count() > 1
        )
        if self.instance.pk:
            # Editing: the steward does not change here, and only this person's themes show.
            del self.fields["steward"]
            self.initial.setdefault(
                "themes",
                list(
                    self.instance.partner_themes.filter(pk__in=themes).values_list("pk", flat=True)
                ),
            )
        else:
            self.fields["steward"].queryset = stewards.order_by("name")
            if len(self.fields["steward"].queryset) == 1:
                self.fields["steward"].initial = self.fields["steward"].queryset[0].pk
                self.fields["steward"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def _post_clean(self):
        # The service writes the entry and reports a duplicate name (without case) on the
        # name field; the instance stays untouched until then.
        pass


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner structure"), queryset=Organization.objects.none()
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Optional: the programme in which this referral is made."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the beneficiary expects from this partner."),
    )
    sent_on = forms.DateField(
        label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organization.objects.partners().order_by("name")
        self.fields["programme"].queryset = (
            Programme.objects.visible_to(user)
            .filter(organization_id=beneficiary.organization_id)
            .order_by("-start_date", "title")
        )
        self.fields["sent_on"].initial = timezone.localdate()
        self.fields["sent_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send the referral")))


class ReferralAnswerForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["status", "answered_on", "answer_notes"]
        widgets = {
            "answered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "answer_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        status.choices = [
            (value, label) for value, label in status.choices if value in ANSWER_STATUSES
        ]
        status.widget = forms.RadioSelect(choices=status.choices)
        if self.instance.status == ReferralStatus.SENT:
            self.initial["status"] = None
        self.fields["answered_on"].required = True
        # The browser's date picker already keeps within the referral_answer_after_sending rule.
        self.fields["answered_on"].widget.attrs.update(
            min=self.instance.sent_on.isoformat(), max=timezone.localdate().isoformat()
        )
        self.fields["answered_on"].help_text = _(
            "The day the partner answered, or the day you stopped waiting for an answer."
        )
        self.fields["answered_on"].initial = timezone.localdate()
        if not self.instance.answered_on:
            self.initial["answered_on"] = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's form also carries the "next" address
        self.helper.add_input(Submit("submit", _("Record the answer")))

    def clean(self):
        cleaned = super().clean()
        answered_on = cleaned.get("answered_on")
        if answered_on and answered_on < self.instance.sent_on:
            self.add_error("answered_on", _("The answer cannot come before the referral was sent."))
        return cleaned

    def _post_clean(self):
        # The service writes the answer; the model's own validation (the check constraint
        # referral_answer_after_sending) is mirrored in clean() with a clear message.
        pass
