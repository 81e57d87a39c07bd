"""Forms of the séance pages: recording a séance without appointment, the kind-specific
sections of a séance's page, tutoring pairs and their goals. They validate and lay out; the
services check the rules again and write."""

import datetime
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import User
from beneficiaires.models import Beneficiary
from programmes.enums import OfferKind, ProgrammeStatus
from programmes.models import Offer
from seances.enums import Channel, GoalStatus, ParticipantRole, SeanceKind
from seances.models import TutoringPair
from seances.services.seances import STANDALONE_KINDS

PARIS = ZoneInfo("Europe/Paris")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")

NEW_SEANCE_KINDS = [
    (SeanceKind.INDIVIDUAL, _("Individual séance without appointment")),
    (SeanceKind.HOTLINE, _("Hotline call")),
    (SeanceKind.PRACTICE_ANALYSIS, _("Practice-analysis observation")),
    (SeanceKind.TUTORING, _("Tutoring meeting")),
]


def offers_run_by(user: User, kinds) -> QuerySet[Offer]:
    """Offers of `kinds` that `user` runs as a mentor: theirs, or their structure's."""
    return (
        Offer.objects.filter(kind__in=kinds)
        .filter(
            Q(pk__in=Offer.objects.filter(mentors=user).values("pk"))
            | Q(programme__organization_id__in=user.organization_ids_with_role(Role.MENTOR))
        )
        .exclude(programme__status=ProgrammeStatus.CLOSED)
        .select_related("programme")
        .order_by("programme__title", "title", "pk")
    )


def _offer_label(offer: Offer) -> str:
    return f"{offer.title} ({offer.programme.title})"


class SeanceCreateForm(forms.Form):
    """One form for the four kinds; the fields of the other kinds are ignored (and hidden by
    static/js/seance_work.js)."""

    kind = forms.ChoiceField(
        label=_("What took place?"), choices=NEW_SEANCE_KINDS, widget=forms.RadioSelect
    )
    offer = forms.ModelChoiceField(
        label=_("Offer"),
        queryset=Offer.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_("Not needed for a tutoring meeting: the pair's offer is used."),
    )
    tutoring_pair = forms.ModelChoiceField(
        label=_("Tutoring pair"),
        queryset=TutoringPair.objects.none(),
        to_field_name="public_id",
        required=False,
    )
    beneficiary = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Beneficiary.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_(
            "The person met, or observed. For a hotline call, leave empty if the caller is "
            "not known yet and give their name below."
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440, initial=60
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    caller_name = forms.CharField(label=_("Caller"), max_length=200, required=False)
    advice_given = forms.CharField(
        label=_("Advice given"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    follow_up_note = forms.CharField(label=_("Follow-up"), max_length=300, required=False)
    situation = forms.CharField(
        label=_("Situation observed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offer_kinds = set().union(
            *(STANDALONE_KINDS[k] for k in STANDALONE_KINDS if k != SeanceKind.TUTORING)
        )
        self.fields["offer"].queryset = offers_run_by(user, offer_kinds)
        self.fields["offer"].label_from_instance = _offer_label
        self.fields["offer"].empty_label = _("Choose an offer")
        self.fields["tutoring_pair"].queryset = (
            TutoringPair.objects.filter(tutor=user, ended_on__isnull=True)
            .select_related("tutee", "offer")
            .order_by("tutee__name", "pk")
        )
        self.fields["tutoring_pair"].label_from_instance = lambda pair: (
            f"{pair.tutee.name} — {pair.offer.title}"
        )
        self.fields["tutoring_pair"].empty_label = _("Choose a pair")
        self.fields["beneficiary"].queryset = Beneficiary.objects.visible_to(user).order_by(
            "name", "pk"
        )
        self.fields["beneficiary"].empty_label = _("Choose a person")
        now = timezone.localtime(timezone.now(), PARIS)
        self.fields["date"].initial = now.date()
        self.fields["start_time"].initial = now.time().replace(
            minute=now.minute - now.minute % 5, second=0, microsecond=0
        )
        self.helper = FormHelper()
        self.helper.attrs = {"data-seance-form": ""}
        self.helper.layout = Layout(
            "kind",
            Fieldset(
                _("The séance"),
                Div("offer", data_kind="individual hotline practice_analysis"),
                Div("tutoring_pair", data_kind="tutoring"),
                Div("beneficiary", data_kind="individual hotline practice_analysis"),
                Div(
                    Div("date", css_class="col-sm-4"),
                    Div("start_time", css_class="col-6 col-sm-4"),
                    Div("duration_minutes", css_class="col-6 col-sm-4"),
                    css_class="row",
                ),
                Div(
                    Div("channel", css_class="col-sm-4"),
                    Div("topic", css_class="col-sm-8"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("The call"),
                "caller_name",
                "advice_given",
                "follow_up_needed",
                "follow_up_note",
                data_kind="hotline",
            ),
            Fieldset(
                _("The observation"),
                HTML(
                    format_html(
                        '<p class="form-text">{}</p>',
                        _(
                            "A practice-analysis observation is not an evaluation: no score, "
                            "no grade. The observed person adds their own self-assessment "
                            "afterwards."
                        ),
                    )
                ),
                "situation",
                data_kind="practice_analysis",
            ),
        )
        self.helper.add_input(Submit("submit", _("Record the séance")))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == SeanceKind.TUTORING:
            pair = data.get("tutoring_pair")
            if pair is None:
                self.add_error("tutoring_pair", _("Choose the tutoring pair."))
            else:
                data["offer"] = pair.offer
        elif kind and data.get("offer") is None:
            self.add_error("offer", _("Choose an offer."))
        if kind in (SeanceKind.INDIVIDUAL, SeanceKind.PRACTICE_ANALYSIS) and not data.get(
            "beneficiary"
        ):
            self.add_error("beneficiary", _("Choose the person."))
        day, start = data.get("date"), data.get("start_time")
        if day and start:
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=PARIS)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        beneficiary = data.get("beneficiary")
        kwargs = {
            "offer": data["offer"],
            "kind": kind,
            "mentor": self.user,
            "beneficiaries": [beneficiary] if beneficiary and kind != SeanceKind.TUTORING else [],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "channel": data["channel"],
            "topic": data["topic"],
        }
        if kind == SeanceKind.HOTLINE:
            kwargs.update(
                caller_name=data["caller_name"],
                advice_given=data["advice_given"],
                follow_up_needed=data["follow_up_needed"],
                follow_up_note=data["follow_up_note"],
            )
        elif kind == SeanceKind.PRACTICE_ANALYSIS:
            kwargs["situation"] = data["situation"]
        elif kind == SeanceKind.TUTORING:
            kwargs["tutoring_pair"] = data["tutoring_pair"]
        return kwargs


class ParticipantAddForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=_("Person"), queryset=Beneficiary.objects.none(), to_field_name="public_id"
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (ParticipantRole.CONSULTANT, ParticipantRole.CONSULTANT.label),
            (ParticipantRole.CLIENT, ParticipantRole.CLIENT.label),
        ],
        required=False,
    )

    def __init__(self, *args, candidates: QuerySet[Beneficiary], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = candidates


class ConfidentialNoteForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=_("About"), queryset=Beneficiary.objects.none(), to_field_name="public_id"
    )
    body = forms.CharField(label=_("Confidential note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, participants: QuerySet[Beneficiary], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = participants


class HotlineForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440
    )
    caller_name = forms.CharField(label=_("Caller"), max_length=200, required=False)
    advice_given = forms.CharField(
        label=_("Advice given"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    follow_up_note = forms.CharField(label=_("Follow-up"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ObserverForm(forms.Form):
    situation = forms.CharField(
        label=_("Situation observed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    observation_notes = forms.CharField(
        label=_("Observation notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What you saw and heard, described, not judged."),
    )
    observer_feedback = forms.CharField(
        label=_("Your feedback"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the observed person may build on, and questions to explore."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SelfAssessmentForm(forms.Form):
    self_assessment = forms.CharField(
        label=_("Your self-assessment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("How you saw your own practice in this situation, in your own words."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class GoalReviewForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TutoringPairForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Tutoring offer"), queryset=Offer.objects.none(), to_field_name="public_id"
    )
    tutor = forms.ModelChoiceField(label=_("Tutor"), queryset=User.objects.none())
    tutee = forms.ModelChoiceField(
        label=_("Tutee"), queryset=Beneficiary.objects.none(), to_field_name="public_id"
    )
    started_on = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        coordinated = user.organization_ids_with_role(Role.COORDINATOR)
        offers = Offer.objects.filter(kind=OfferKind.TUTORING).exclude(
            programme__status=ProgrammeStatus.CLOSED
        )
        if not user.is_superuser:
            offers = offers.filter(
                Q(programme__organization_id__in=coordinated)
                | Q(pk__in=offers_run_by(user, [OfferKind.TUTORING]).values("pk"))
            )
        offers = offers.select_related("programme").order_by("programme__title", "title", "pk")
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = _offer_label
        if coordinated or user.is_superuser:
            organizations = offers.values("programme__organization_id")
            tutors = User.objects.filter(
                Q(
                    pk__in=User.objects.filter(
                        memberships__organization_id__in=organizations,
                        memberships__role=Role.MENTOR,
                        memberships__is_active=True,
                    ).values("pk")
                )
                | Q(pk__in=Offer.mentors.through.objects.filter(offer__in=offers).values("user_id"))
            )
        else:
            tutors = User.objects.filter(pk=user.pk)
        self.fields["tutor"].queryset = tutors.filter(is_active=True).order_by(
            "last_name", "first_name", "email"
        )
        if not (coordinated or user.is_superuser):
            self.fields["tutor"].initial = user.pk
        self.fields["tutee"].queryset = Beneficiary.objects.visible_to(user).order_by("name", "pk")
        self.fields["started_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "offer",
            Div(
                Div("tutor", css_class="col-sm-6"),
                Div("tutee", css_class="col-sm-6"),
                css_class="row",
            ),
            "started_on",
        )
        self.helper.add_input(Submit("submit", _("Create the pair")))


class LearningGoalForm(forms.Form):
    title = forms.CharField(label=_("New learning goal"), max_length=300)


class TutoringEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].widget.attrs["class"] = "form-control"
