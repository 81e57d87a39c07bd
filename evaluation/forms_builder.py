"""Forms of the questionnaire builder: a questionnaire, a question, a copy.

They validate and lay out; the services in evaluation.services.questionnaires write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.enums import CHOICE_KINDS
from evaluation.models import Question, Questionnaire
from evaluation.selectors import programmes_run_by
from programmes.forms import coordinated_organizations

TEMPLATE_HELP = _("Leave empty to make a template of your structure, to copy into programmes.")


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def _organization_field(form, user) -> None:
    """Offer the structures the user coordinates; hidden when there is only one."""
    field = form.fields["organization"]
    field.queryset = coordinated_organizations(user)
    field.empty_label = None
    ids = list(field.queryset.values_list("pk", flat=True))
    if len(ids) == 1:
        # Disabled: a bound form takes the initial value, whatever the request says.
        field.initial = ids[0]
        field.disabled = True
        field.widget = forms.HiddenInput()


class QuestionnaireForm(forms.ModelForm):
    """Title, introduction, programme (or none: a template), purpose, moment, active."""

    organization = forms.ModelChoiceField(queryset=None, label=_("Structure"), required=False)

    class Meta:
        model = Questionnaire
        fields = ["title", "introduction", "programme", "purpose", "send_moment", "is_active"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "introduction": _("Shown at the top of the questionnaire, before the questions."),
            "send_moment": _("When the questionnaire is sent to the beneficiaries."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = programmes_run_by(user)
        if self.instance.pk:
            # It stays in its structure: its programme is one of that structure's.
            del self.fields["organization"]
            organization_id = self.instance.organization_id or (
                self.instance.programme.organization_id if self.instance.programme_id else None
            )
            programmes = programmes.filter(organization_id=organization_id)
        else:
            _organization_field(self, user)
        programme = self.fields["programme"]
        programme.queryset = programmes
        programme.required = False
        programme.empty_label = _("None: a template")
        programme.help_text = TEMPLATE_HELP
        programme.label_from_instance = lambda p: p.title
        self.helper = _helper(
            Field("title"),
            Field("introduction"),
            *(["organization"] if "organization" in self.fields else []),
            Field("programme"),
            Div(
                Div(Field("purpose"), css_class="col-md-6"),
                Div(Field("send_moment"), css_class="col-md-6"),
                css_class="row",
            ),
            Field("is_active"),
        )

    def clean(self):
        cleaned_data = super().clean()
        programme = cleaned_data.get("programme")
        if (
            "organization" in self.fields
            and programme is None
            and cleaned_data.get("organization") is None
        ):
            self.add_error("organization", _("Choose the structure this template belongs to."))
        return cleaned_data

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if "organization" in self.fields:
            programme = data["programme"]
            data["organization"] = None if programme else self.cleaned_data["organization"]
        return data


class QuestionForm(forms.ModelForm):
    """A question: the options are typed one per line."""

    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice question only: one option per line, at least two."),
    )

    class Meta:
        model = Question
        fields = ["kind", "label", "help_text", "choices", "required", "per_need"]
        labels = {"help_text": _("Help text")}
        help_texts = {
            "help_text": _("Shown under the question, e.g. what 1 and 5 mean."),
            "per_need": _(
                "The question is asked once for each need of the beneficiary's diagnostic."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices)
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
        self.helper = _helper(
            Fieldset(_("Question"), Field("label"), Field("help_text")),
            Fieldset(_("Answer"), Field("kind"), Field("choices")),
            Fieldset(_("Settings"), Field("required"), Field("per_need")),
        )

    def clean_choices(self) -> list[str]:
        lines = self.cleaned_data.get("choices") or ""
        return [line.strip() for line in lines.splitlines() if line.strip()]

    def clean(self):
        cleaned_data = super().clean()
        kind, options = cleaned_data.get("kind"), cleaned_data.get("choices") or []
        if kind in CHOICE_KINDS and len(options) < 2:
            self.add_error(
                "choices", _("A choice question needs at least two options, one per line.")
            )
        elif kind and kind not in CHOICE_KINDS and options:
            self.add_error("choices", _("Only choice questions have options."))
        return cleaned_data

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CopyForm(forms.Form):
    """Where a copy goes: one of the user's programmes, or their structure's templates."""

    title = forms.CharField(label=_("Title of the copy"), max_length=200)
    programme = forms.ModelChoiceField(
        queryset=None,
        label=_("Programme"),
        required=False,
        empty_label=_("None: a template"),
        help_text=TEMPLATE_HELP,
    )
    organization = forms.ModelChoiceField(queryset=None, label=_("Structure"), required=False)

    def __init__(self, *args, user, source: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("title", source.title)
        self.fields["programme"].queryset = programmes_run_by(user)
        self.fields["programme"].label_from_instance = lambda p: p.title
        _organization_field(self, user)
        self.helper = _helper(Field("title"), Field("programme"), "organization")

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("programme") is None and cleaned_data.get("organization") is None:
            self.add_error("organization", _("Choose the structure this template belongs to."))
        return cleaned_data

    def service_kwargs(self) -> dict:
        programme = self.cleaned_data["programme"]
        return {
            "title": self.cleaned_data["title"],
            "programme": programme,
            "organization": None if programme else self.cleaned_data["organization"],
        }
