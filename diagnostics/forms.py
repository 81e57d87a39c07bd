from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import User
from beneficiaires.enums import Priority
from diagnostics.models import NeedsDiagnostic
from diagnostics.services import NeedInput


class DiagnosticForm(forms.ModelForm):
    """How, when and by whom the diagnostic was made, and what the beneficiary expects."""

    class Meta:
        model = NeedsDiagnostic
        fields = ["method", "held_on", "conducted_by", "expectations", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expectations": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "expectations": _("Write down what they said, as they said it."),
            "notes": _("For the support team only: the beneficiary does not see these notes."),
        }

    def __init__(self, *args, beneficiary, acting_user, **kwargs):
        super().__init__(*args, **kwargs)
        team = Q(
            memberships__organization_id=beneficiary.organization_id,
            memberships__is_active=True,
            memberships__role__in=[Role.COORDINATOR, Role.MENTOR],
        )
        field = self.fields["conducted_by"]
        field.queryset = (
            User.objects.filter(team | Q(pk=acting_user.pk) | Q(pk=self.instance.conducted_by_id))
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        if not self.instance.pk:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("conducted_by", acting_user.pk)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("method"), css_class="col-md-4"),
                Div(Field("held_on"), css_class="col-md-4"),
                Div(Field("conducted_by"), css_class="col-md-4"),
                css_class="row",
            ),
            Field("expectations"),
            Field("notes"),
        )


class ThemeRow:
    """The three inputs of one theme, for templates that lay them out per theme."""

    def __init__(self, form, theme):
        self.theme = theme
        self.selected = form[f"theme_{theme.pk}_selected"]
        self.priority = form[f"theme_{theme.pk}_priority"]
        self.description = form[f"theme_{theme.pk}_description"]


class NeedsByThemeForm(forms.Form):
    """One row per theme: is it a need, how important, in their own words.

    `for_beneficiary=True` is the questionnaire: writing something about a theme counts as
    choosing it, so nobody loses their words by forgetting the checkbox."""

    def __init__(self, *args, themes, needs=(), for_beneficiary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        self.for_beneficiary = for_beneficiary
        existing = {need.theme_id: need for need in needs}
        for theme in self.themes:
            need = existing.get(theme.pk)
            prefix = f"theme_{theme.pk}"
            self.fields[f"{prefix}_selected"] = forms.BooleanField(
                required=False,
                initial=need is not None,
                label=_("This is a need for me") if for_beneficiary else _("Need identified"),
                widget=forms.CheckboxInput(
                    attrs={"class": "form-check-input", "data-need-toggle": ""}
                ),
            )
            self.fields[f"{prefix}_priority"] = forms.TypedChoiceField(
                choices=Priority.choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=need.priority if need else Priority.MEDIUM,
                label=_("How important is it?") if for_beneficiary else _("Priority"),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                required=False,
                max_length=4000,
                initial=need.description if need else "",
                label=_("In your own words") if for_beneficiary else _("In their own words"),
                widget=forms.Textarea(
                    attrs={"rows": 2, "class": "form-control", "data-need-words": ""}
                ),
            )

    @property
    def rows(self) -> list[ThemeRow]:
        return [ThemeRow(self, theme) for theme in self.themes]

    def needs(self) -> list[NeedInput]:
        result = []
        for theme in self.themes:
            prefix = f"theme_{theme.pk}"
            selected = self.cleaned_data.get(f"{prefix}_selected")
            description = self.cleaned_data.get(f"{prefix}_description", "").strip()
            if selected or (self.for_beneficiary and description):
                result.append(
                    NeedInput(
                        theme=theme,
                        priority=self.cleaned_data.get(f"{prefix}_priority") or Priority.MEDIUM,
                        description=description,
                    )
                )
        return result


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the beneficiary"),
        required=False,
        help_text=_("Leave empty to only get the link, to give it by phone or text message."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "class": "form-control", "aria-describedby": "email-help"}
        ),
    )


class ExpectationsForm(forms.Form):
    expectations = forms.CharField(
        label=_("What do you expect from the support?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class EnrollForm(forms.Form):
    """The coordinator's confirmation: an offer and one of the suggested mentors."""

    offer = forms.UUIDField(widget=forms.HiddenInput)
    mentor = forms.UUIDField(required=False)
