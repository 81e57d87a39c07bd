"""Forms of the programme pages: they check and lay out, the services write."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organization
from programmes.enums import GROUP_KINDS, Audience, BookingAudience, OfferMode
from programmes.models import Offer, Programme, Theme
from programmes.services import (
    MIN_DURATION_MINUTES,
    coordinators_of,
    mentors_of,
    offer_shape_errors,
    partner_organizations,
    programme_slug_error,
    reminder_hours_error,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})
END_BEFORE_START = _("The end date must be on or after the start date.")


def coordinated_organizations(user) -> QuerySet[Organization]:
    """The support structures where `user` may create programmes and themes."""
    if user.is_superuser:
        return Organization.objects.support().order_by("name")
    return Organization.objects.filter(
        pk__in=user.organization_ids_with_role(Role.COORDINATOR)
    ).order_by("name")


def _choose_organization(form, user) -> list[int]:
    """Limit the organisation field to the user's structures; hide it when there is one."""
    organizations = coordinated_organizations(user)
    field = form.fields["organization"]
    field.queryset = organizations
    field.empty_label = None
    ids = [organization.pk for organization in organizations]
    if len(ids) == 1:
        # Disabled: a bound form takes the initial value, whatever the request says.
        field.initial = ids[0]
        field.disabled = True
        field.widget = forms.HiddenInput()
    return ids


def _check_end_date(form) -> None:
    start, end = form.cleaned_data.get("start_date"), form.cleaned_data.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", END_BEFORE_START)


MAX_LOGO_BYTES = 1024 * 1024
LOGO_FORMATS = frozenset({"PNG", "JPEG"})


class ProgrammeForm(forms.ModelForm):
    # A list of Audience values in the model (JSON), ticked here.
    audiences = forms.MultipleChoiceField(
        label=_("Who it is for"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Visitors of the catalogue filter the programmes by public."),
    )

    # Free or paying as a radio: an absent answer keeps the current value, where an unticked
    # box would silently turn a free programme into a paying one without a price.
    is_free = forms.TypedChoiceField(
        label=_("Cost"),
        choices=[("true", _("Free of charge")), ("false", _("Paying"))],
        coerce=lambda value: value == "true",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "organization",
            "title",
            "description",
            "objectives",
            "target_public",
            "territory",
            "logo",
            "start_date",
            "end_date",
            "coordinators",
            "partner_organizations",
            "confidentiality_statement",
            # The public page (issue 8)
            "is_published",
            "slug",
            "audiences",
            "is_free",
            "price",
            "frame",
            "how_it_works",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "description": TEXTAREA,
            "objectives": TEXTAREA,
            "target_public": TEXTAREA,
            "confidentiality_statement": TEXTAREA,
            "frame": TEXTAREA,
            "how_it_works": TEXTAREA,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "coordinators": forms.CheckboxSelectMultiple,
            "partner_organizations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
            organization_ids = [self.instance.organization_id]
        else:
            organization_ids = _choose_organization(self, user)
            if user.pk in set(coordinators_of(organization_ids).values_list("pk", flat=True)):
                self.fields["coordinators"].initial = [user.pk]
        self.fields["coordinators"].queryset = coordinators_of(organization_ids)
        self.fields["partner_organizations"].queryset = partner_organizations()
        self.fields["end_date"].help_text = _("Leave empty for a programme without an end.")
        # The instance's True/False, as the radio's "true"/"false".
        self.initial["is_free"] = "true" if self.instance.is_free else "false"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["organization"] if "organization" in self.fields else []),
            "title",
            Div(
                Div("start_date", css_class="col-sm-6"),
                Div("end_date", css_class="col-sm-6"),
                css_class="row",
            ),
            "territory",
            "logo",
            "description",
            "objectives",
            "target_public",
            Div(
                Div("coordinators", css_class="col-md-6"),
                Div("partner_organizations", css_class="col-md-6"),
                css_class="row",
            ),
            "confidentiality_statement",
            Fieldset(
                _("Public page"),
                HTML(
                    '<p class="small text-muted">'
                    + str(
                        _(
                            "What anyone can read on the public catalogue, without logging in. "
                            "Only an open programme is listed; write in plain words."
                        )
                    )
                    + "</p>"
                ),
                "is_published",
                "slug",
                "audiences",
                Div(
                    Div("is_free", css_class="col-sm-4"),
                    Div("price", css_class="col-sm-8"),
                    css_class="row align-items-end",
                ),
                "frame",
                "how_it_works",
                Div(
                    Div("contact_email", css_class="col-sm-6"),
                    Div("contact_phone", css_class="col-sm-6"),
                    css_class="row",
                ),
                css_id="page-publique",
            ),
        )
        label = _("Save") if self.instance.pk else _("Create the programme")
        self.helper.add_input(Submit("submit", label))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "image", None) is not None:
            if logo.size > MAX_LOGO_BYTES:
                raise forms.ValidationError(_("The logo is too large: 1 MB at most."))
            if logo.image.format not in LOGO_FORMATS:
                raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        return logo

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug:
            return None
        error = programme_slug_error(slug, exclude_pk=self.instance.pk)
        if error:
            raise forms.ValidationError(error)
        return slug

    def clean(self):
        cleaned_data = super().clean()
        _check_end_date(self)
        if cleaned_data.get("is_free") is False and not (cleaned_data.get("price") or "").strip():
            self.add_error("price", _("Give the price, or choose « free of charge »."))
        organization = cleaned_data.get("organization") or getattr(
            self.instance, "organization", None
        )
        coordinators = cleaned_data.get("coordinators")
        if organization and coordinators:
            allowed = set(coordinators_of([organization.pk]).values_list("pk", flat=True))
            if any(person.pk not in allowed for person in coordinators):
                self.add_error(
                    "coordinators", _("Only coordinators of the structure can coordinate it.")
                )
        return cleaned_data

    def service_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        if kwargs.get("is_free") is None:
            kwargs.pop("is_free", None)
        return kwargs


def _shift_one_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class ProgrammeDuplicateForm(forms.Form):
    title = forms.CharField(label=_("Title of the new programme"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("End date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Leave empty for a programme without an end."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": programme.title,
                "start_date": _shift_one_year(programme.start_date),
                "end_date": _shift_one_year(programme.end_date),
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            Div(
                Div("start_date", css_class="col-sm-6"),
                Div("end_date", css_class="col-sm-6"),
                css_class="row",
            ),
        )
        self.helper.add_input(Submit("submit", _("Create the draft copy")))

    def clean(self):
        cleaned_data = super().clean()
        _check_end_date(self)
        return cleaned_data


CHANNELS = [
    ("channel_in_person", _("In person")),
    ("channel_phone", _("By phone")),
    ("channel_video", _("By video")),
]


YES_NO = [("true", _("Yes")), ("false", _("No"))]
# Booking rules (issue 4): how beneficiaries book the offer's individual appointments.
BOOKING_RULE_FIELDS = (
    "min_notice_hours",
    "horizon_days",
    "booking_audience",
    "cancel_allowed",
    "cancel_until_hours",
    "reschedule_allowed",
    "reschedule_until_hours",
    "max_active_bookings",
)
MAX_HOURS = 24 * 30
MAX_HORIZON_DAYS = 366


def _yes_no(label) -> forms.TypedChoiceField:
    # A yes/no radio rather than a checkbox: an absent answer keeps the current rule, where an
    # unticked box would silently switch it off.
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "true",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )


class OfferForm(forms.ModelForm):
    # The three channel booleans of the model, as one field with one error message.
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        help_text=_("At least one."),
        choices=CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"),
        min_value=0,
        max_value=MAX_HOURS,
        required=False,
        help_text=_("No booking closer than this, e.g. 24 hours."),
    )
    horizon_days = forms.IntegerField(
        label=_("Booking horizon (days)"),
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        required=False,
        help_text=_("No booking further ahead than this, e.g. 56 days (8 weeks)."),
    )
    booking_audience = forms.TypedChoiceField(
        label=_("Who may book"),
        choices=BookingAudience.choices,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    cancel_allowed = _yes_no(_("The beneficiary may cancel"))
    cancel_until_hours = forms.IntegerField(
        label=_("Cancel until (hours before)"),
        min_value=0,
        max_value=MAX_HOURS,
        required=False,
    )
    reschedule_allowed = _yes_no(_("The beneficiary may reschedule"))
    reschedule_until_hours = forms.IntegerField(
        label=_("Reschedule until (hours before)"),
        min_value=0,
        max_value=MAX_HOURS,
        required=False,
    )
    max_active_bookings = forms.IntegerField(
        label=_("Upcoming bookings per person (max.)"),
        min_value=1,
        max_value=50,
        required=False,
    )

    # A list of integers in the model, typed as "48, 2" here.
    reminder_hours = forms.CharField(
        label=_("Reminders (hours before)"),
        required=False,
        max_length=100,
        help_text=_(
            "Hours before each appointment or session, separated by commas, e.g. 48, 2. "
            "Leave empty to send no reminder."
        ),
    )

    class Meta:
        model = Offer
        fields = [
            "kind",
            "title",
            "description",
            "mode",
            "duration_minutes",
            "capacity",
            "mentors",
            "partner_organization",
            "themes",
            "is_active",
        ]
        widgets = {
            "description": TEXTAREA,
            "mode": forms.RadioSelect,
            "mentors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        organization_id = programme.organization_id
        offer = self.instance
        if offer.pk:
            self.fields["channels"].initial = [
                name for name, _label in CHANNELS if getattr(offer, name)
            ]
        else:
            self.fields["channels"].initial = ["channel_in_person"]
        # The rules start from the offer's (the model's defaults for a new one).
        for name in BOOKING_RULE_FIELDS:
            value = getattr(offer, name)
            self.fields[name].initial = (
                ("true" if value else "false") if isinstance(value, bool) else value
            )
        self.fields["reminder_hours"].initial = ", ".join(str(h) for h in offer.reminder_hours)
        self.fields["mentors"].queryset = mentors_of([organization_id])
        self.fields["mentors"].help_text = _("Active mentors of the structure.")
        # A theme switched off since stays on the offers that already address it.
        current_themes = offer.themes.all() if offer.pk else Theme.objects.none()
        self.fields["themes"].queryset = Theme.objects.filter(
            Q(is_active=True) | Q(pk__in=current_themes.values("pk")),
            organization_id=organization_id,
        ).order_by("name")
        self.fields["themes"].help_text = _(
            "Needs diagnostics recommend offers from the themes they address."
        )
        self.fields["partner_organization"].queryset = partner_organizations()
        self.fields["partner_organization"].empty_label = _("No partner")
        duration = self.fields["duration_minutes"]
        duration.widget.attrs.update(min=MIN_DURATION_MINUTES, step=5)
        capacity = self.fields["capacity"]
        capacity.required = False
        capacity.widget.attrs["min"] = 1
        capacity.help_text = _(
            "Participants per session: 1 for an individual offer, 2 or more for a group."
        )
        self.fields["mode"].help_text = _(
            "Workshops, trainings and co-development are group offers."
        )
        self.helper = FormHelper()
        self.helper.attrs = {
            "data-offer-form": "",
            "data-group-kinds": " ".join(sorted(GROUP_KINDS)),
        }
        self.helper.layout = Layout(
            Div(
                Div("kind", css_class="col-md-6"),
                Div("title", css_class="col-md-6"),
                css_class="row",
            ),
            "description",
            Fieldset(
                _("Format"),
                Div(
                    Div(Field("mode"), css_class="col-md-4"),
                    Div(Field("channels"), css_class="col-md-4"),
                    Div(
                        "duration_minutes",
                        "capacity",
                        css_class="col-md-4",
                    ),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Who runs it"),
                Div(
                    Div("mentors", css_class="col-md-6"),
                    Div("partner_organization", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            "themes",
            "is_active",
            Fieldset(
                _("Booking rules"),
                HTML(
                    '<p class="small text-muted">'
                    + str(_("How beneficiaries book individual appointments of this offer."))
                    + "</p>"
                ),
                Div(
                    Div("min_notice_hours", css_class="col-md-4"),
                    Div("horizon_days", css_class="col-md-4"),
                    Div("max_active_bookings", css_class="col-md-4"),
                    css_class="row",
                ),
                Field("booking_audience"),
                Div(
                    Div("cancel_allowed", css_class="col-sm-6 col-md-3"),
                    Div("cancel_until_hours", css_class="col-sm-6 col-md-3"),
                    Div("reschedule_allowed", css_class="col-sm-6 col-md-3"),
                    Div("reschedule_until_hours", css_class="col-sm-6 col-md-3"),
                    css_class="row",
                ),
                Div(
                    Div("reminder_hours", css_class="col-md-6"),
                    css_class="row",
                ),
                css_id="booking-rules",
            ),
        )
        label = _("Save") if offer.pk else _("Add the offer")
        self.helper.add_input(Submit("submit", label))

    def clean_reminder_hours(self) -> list[int]:
        # Absent from the submitted data (an older form, an API-like post): keep the offer's.
        if self.add_prefix("reminder_hours") not in self.data:
            return list(self.instance.reminder_hours)
        text = self.cleaned_data["reminder_hours"]
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        try:
            hours = [int(part) for part in parts]
        except ValueError:
            raise forms.ValidationError(
                _("Give the reminders as whole numbers of hours, separated by commas.")
            ) from None
        error = reminder_hours_error(hours)
        if error:
            raise forms.ValidationError(error)
        return sorted(set(hours), reverse=True)

    def clean(self):
        cleaned_data = super().clean()
        mode = cleaned_data.get("mode")
        if mode == OfferMode.INDIVIDUAL:
            cleaned_data["capacity"] = 1
        errors = offer_shape_errors(
            mode=mode or "",
            capacity=cleaned_data.get("capacity"),
            has_channel=bool(cleaned_data.get("channels")),
            duration_minutes=cleaned_data.get("duration_minutes"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        self._clean_booking_rules(cleaned_data)
        return cleaned_data

    def _clean_booking_rules(self, cleaned_data: dict) -> None:
        """A rule left empty keeps its current value; the notice must leave something to
        book before the horizon."""
        for name in BOOKING_RULE_FIELDS:
            if name not in self.errors and cleaned_data.get(name) is None:
                cleaned_data[name] = getattr(self.instance, name)
        notice, horizon = cleaned_data.get("min_notice_hours"), cleaned_data.get("horizon_days")
        if (
            notice is not None
            and horizon is not None
            and "min_notice_hours" not in self.errors
            and notice >= horizon * 24
        ):
            self.add_error(
                "min_notice_hours",
                _("The minimum notice must be shorter than the booking horizon."),
            )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        channels = set(data.pop("channels"))
        data.update({name: name in channels for name, _label in CHANNELS})
        return data


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["organization", "name", "description", "is_active", "mentors", "partners"]
        widgets = {
            "mentors": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
            organization_ids = [self.instance.organization_id]
        else:
            organization_ids = _choose_organization(self, user)
        self.fields["mentors"].queryset = mentors_of(organization_ids)
        self.fields["partners"].queryset = partner_organizations()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["organization"] if "organization" in self.fields else []),
            "name",
            "description",
            "is_active",
            Div(
                Div("mentors", css_class="col-md-6"),
                Div("partners", css_class="col-md-6"),
                css_class="row",
            ),
        )
        label = _("Save") if self.instance.pk else _("Add the theme")
        self.helper.add_input(Submit("submit", label))

    def clean(self):
        cleaned_data = super().clean()
        organization = cleaned_data.get("organization") or getattr(
            self.instance, "organization", None
        )
        name = (cleaned_data.get("name") or "").strip()
        if organization and name:
            taken = (
                Theme.objects.filter(organization=organization, name__iexact=name)
                .exclude(pk=self.instance.pk)
                .exists()
            )
            if taken:
                self.add_error(
                    "name", _("A theme with this name already exists in this structure.")
                )
        mentors = cleaned_data.get("mentors")
        if organization and mentors:
            allowed = set(mentors_of([organization.pk]).values_list("pk", flat=True))
            if any(person.pk not in allowed for person in mentors):
                self.add_error("mentors", _("Only active mentors of the structure can be named."))
        return cleaned_data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
