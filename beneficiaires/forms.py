import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organization
from beneficiaires import imports
from beneficiaires.enums import ConsentPurpose, ContactChannel, OutreachStage, Priority
from beneficiaires.models import Beneficiary, ContactLog
from beneficiaires.selectors import (
    manageable_beneficiaries,
    managed_programmes,
    organization_mentors,
)
from beneficiaires.services import EDITABLE_FIELDS
from programmes.enums import ProgrammeStatus

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def clean_postal_code(value: str) -> str:
    value = value.replace(" ", "")
    if value and not (len(value) == 5 and value.isdigit()):
        raise forms.ValidationError(_("A French postal code has 5 digits."))
    return value


class BeneficiaryForm(forms.ModelForm):
    """Create or edit a record. On creation, `create_anyway` confirms a likely duplicate."""

    organization = forms.ModelChoiceField(
        label=_("Support structure"), queryset=Organization.objects.none()
    )
    create_anyway = forms.BooleanField(
        label=_("None of these is the same actor: create the record anyway"), required=False
    )

    class Meta:
        model = Beneficiary
        fields = [f for f in EDITABLE_FIELDS if f != "source_detail"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        creating = self.instance.pk is None
        programmes = managed_programmes(user)
        if not creating:
            programmes = programmes.filter(organization_id=self.instance.organization_id)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: p.title
        self.fields["email"].required = False
        organizations = Organization.objects.support().order_by("name")
        if not user.is_superuser:
            organizations = organizations.filter(
                pk__in=user.organization_ids_with_role(Role.COORDINATOR)
            )
        self.fields["organization"].queryset = organizations
        # One structure (the usual case): no question to ask.
        self.single_organization = None
        if not creating:
            del self.fields["organization"]
        elif len(organizations) == 1:
            self.single_organization = organizations[0]
            del self.fields["organization"]
        if not creating:
            del self.fields["create_anyway"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["organization"] if "organization" in self.fields else []),
            Row(Column("kind", css_class="col-md-4"), Column("name", css_class="col-md-8")),
            "contact_name",
            Row(Column("email", css_class="col-md-7"), Column("phone", css_class="col-md-5")),
            Row(
                Column("postal_code", css_class="col-md-3"),
                Column("territory", css_class="col-md-9"),
            ),
            Row(
                Column("situation", css_class="col-md-6"),
                Column("programme", css_class="col-md-6"),
            ),
            Row(Column("priority", css_class="col-md-4"), Column("source", css_class="col-md-8")),
            "notes",
        )

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        organization = self.target_organization()
        if programme and organization and programme.organization_id != organization.pk:
            self.add_error("programme", _("This programme belongs to another structure."))
        return cleaned

    def target_organization(self):
        if self.instance.pk:
            return self.instance.organization
        if self.single_organization is not None:
            return self.single_organization
        return self.cleaned_data.get("organization")

    def record_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=OutreachStage.choices)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)


class ContactLogForm(forms.ModelForm):
    contacted_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    class Meta:
        model = ContactLog
        fields = ["contacted_at", "channel", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}
        labels = {"outcome": _("Outcome")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("contacted_at", timezone.localtime().replace(second=0))
        self.fields["channel"].initial = ContactChannel.PHONE
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("contacted_at", css_class="col-sm-7"),
                Column("channel", css_class="col-sm-5"),
            ),
            "outcome",
            Submit("submit", _("Add to the contact log"), css_class="btn-primary"),
        )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("purpose", css_class="col-sm-7"),
                Column("given_on", css_class="col-sm-5"),
            ),
            Submit("submit", _("Record the consent"), css_class="btn-primary"),
        )

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A consent cannot be dated in the future."))
        return value

    def given_at(self) -> datetime.datetime:
        """Today: now; an earlier day: noon that day (the hour was not written down)."""
        day = self.cleaned_data["given_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class BulkActionForm(forms.Form):
    ASSIGN_MENTOR = "assign_mentor"
    CHANGE_STAGE = "change_stage"
    EXPORT = "export"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (CHANGE_STAGE, _("Move to the stage")),
            (ASSIGN_MENTOR, _("Assign the referent mentor")),
            (EXPORT, _("Export as CSV")),
        ],
    )
    ids = forms.ModelMultipleChoiceField(
        queryset=Beneficiary.objects.none(), to_field_name="public_id"
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", "—"), *OutreachStage.choices], required=False
    )
    mentor = forms.ModelChoiceField(
        label=_("Referent mentor"),
        queryset=None,
        to_field_name="public_id",
        required=False,
    )

    MAX_IDS = 500

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = manageable_beneficiaries(user).order_by("name", "pk")
        self.fields["mentor"].queryset = organization_mentors(user)

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > self.MAX_IDS:
            raise forms.ValidationError(
                _("Select at most %(max)s records at once.") % {"max": self.MAX_IDS}
            )
        return ids

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.CHANGE_STAGE and not cleaned.get("stage"):
            self.add_error("stage", _("Choose the stage."))
        if action == self.ASSIGN_MENTOR and not cleaned.get("mentor"):
            self.add_error("mentor", _("Choose the mentor."))
        return cleaned

    @property
    def refers_to_unknown_records(self) -> bool:
        """Ids the user may not manage were posted: the whole request is refused."""
        return any(error.code == "invalid_choice" for error in self.errors.as_data().get("ids", []))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Contact list (CSV file)"),
        help_text=_("Columns separated by ; or , — 2 MB and 5,000 rows at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        help_text=_("The programme these actors are approached for."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = managed_programmes(user).exclude(status=ProgrammeStatus.CLOSED)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: p.title
        self.fields["programme"].empty_label = _("Choose a programme")
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "file",
            "programme",
            Submit("submit", _("Preview the import"), css_class="btn-primary"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too big: %(size)s MB at most.")
                % {"size": imports.MAX_FILE_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Only CSV files (.csv) are accepted."))
        # A text file never holds a NUL byte; images, PDFs and spreadsheets (.xlsx) do.
        head = upload.read(8192)
        upload.seek(0)
        if b"\x00" in head:
            raise forms.ValidationError(
                _("This file is not a CSV text file: save it as CSV UTF-8 and try again.")
            )
        return upload


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Record to keep"), widget=forms.RadioSelect)

    def __init__(self, *args, first, second, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {str(first.public_id): first, str(second.public_id): second}
        self.fields["keep"].choices = [(key, record.name) for key, record in self.records.items()]
        # The older record is usually the one the team knows: offer to keep it.
        older = min((first, second), key=lambda record: (record.created_at, record.pk))
        self.fields["keep"].initial = str(older.public_id)

    def pair(self) -> tuple[Beneficiary, Beneficiary]:
        """(kept, removed)"""
        keep = self.records[self.cleaned_data["keep"]]
        remove = next(r for r in self.records.values() if r is not keep)
        return keep, remove
