"""The form a person fills in to answer a questionnaire, built from its questions.

Each field is named by its answer key (evaluation.services.responses.answer_key), so the
service's errors land on the right field. Choices of numbers are radio buttons laid out as a
fieldset whose legend is the question (templates/evaluation/answers/partials/fields.html)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluation.enums import Phase, QuestionKind
from evaluation.services.responses import TEXT_MAX_LENGTH, Slot

YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
PHASE_CHOICES = [(phase.value, phase.label) for phase in (Phase.START, Phase.MIDWAY, Phase.END)]
RADIO_KINDS = frozenset({QuestionKind.SCALE, QuestionKind.NPS, QuestionKind.YES_NO})


def _scale_choices(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(number), str(number)) for number in range(low, high + 1)]


def _field(question) -> forms.Field:
    required = question.required
    kind = question.kind
    radio = forms.RadioSelect(attrs={"class": "form-check-input"})
    if kind == QuestionKind.SCALE:
        return forms.ChoiceField(choices=_scale_choices(1, 5), widget=radio, required=required)
    if kind == QuestionKind.NPS:
        return forms.ChoiceField(choices=_scale_choices(0, 10), widget=radio, required=required)
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=radio, required=required)
    options = [(choice, choice) for choice in question.choices]
    if kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=[("", "—"), *options],
            required=required,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=options,
            required=required,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
    return forms.CharField(
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )


class AnswersForm(forms.Form):
    """One field per answer to give; `ask_phase` adds the moment of a progress assessment."""

    def __init__(self, *args, slots: list[Slot], ask_phase: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.rows = []
        if ask_phase:
            self.fields["phase"] = forms.ChoiceField(
                label=_("When is this assessment made?"),
                choices=[("", "—"), *PHASE_CHOICES],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for slot in slots:
            question = slot.question
            field = _field(question)
            field.label = (
                f"{question.label} — {slot.theme.name}"
                if slot.theme is not None
                else question.label
            )
            field.help_text = question.help_text
            self.fields[slot.key] = field
        for slot in slots:
            kind = slot.question.kind
            self.rows.append(
                {
                    "field": self[slot.key],
                    "slot": slot,
                    "layout": (
                        "radios"
                        if kind in RADIO_KINDS
                        else "checkboxes"
                        if kind == QuestionKind.MULTIPLE
                        else "select"
                        if kind == QuestionKind.SINGLE
                        else "text"
                    ),
                    "scale": kind == QuestionKind.SCALE,
                    "nps": kind == QuestionKind.NPS,
                }
            )

    def answers(self) -> dict:
        """The answers for response_submit, keyed like the fields (empty ones left out)."""
        return {
            slot.key: self.cleaned_data[slot.key]
            for slot in self.slots
            if self.cleaned_data.get(slot.key) not in (None, "", [])
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages, under their fields (or the whole form)."""
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
