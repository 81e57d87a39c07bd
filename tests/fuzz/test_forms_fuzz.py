"""Property-based tests of every form: random data never makes is_valid() raise, and the
errors of invalid data are in French."""

import datetime
import types

import pytest
from django import forms as django_forms
from django.test import RequestFactory
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import forms as accounts_forms
from beneficiaires import forms as beneficiaires_forms
from diagnostics import forms as diagnostics_forms
from evaluation import forms_answers, forms_builder
from notifications import forms as notifications_forms
from outreach import forms_campaigns, forms_catalogue, forms_requests, forms_showcase
from partners import forms as partners_forms
from partners.enums import ReferralStatus
from partners.models import Referral
from privacy import forms as privacy_forms
from programmes import forms as programmes_forms
from seances.forms import codev, logbook, records
from seances.forms import seances as seances_forms

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Django's English messages: none may reach a French-speaking user.
ENGLISH_STARTS = (
    "This field",
    "Enter a",
    "Enter the",
    "Select a",
    "Ensure this",
    "Ensure that",
    "Null characters",
    "The submitted",
    "Make sure",
    "No file",
    "Upload a valid",
    "The password",
    "Please enter",
)

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
VALUES = st.one_of(
    st.just(""),
    _text,
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.builds(lambda c, n: c * n, st.sampled_from("aé€𝄞\x00"), st.integers(1_000, 100_000)),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["on", "true", "0", "-1", "00000000-0000-0000-0000-000000000000", "9" * 40]),
)


def _world(request):
    """Objects the form constructors need, from the persona fixtures."""
    get = request.getfixturevalue
    coordinator = get("coordinator")
    beneficiary = get("beneficiary")
    other_beneficiary = get("other_beneficiary")
    programme = get("programme")
    themes = get("themes")
    from beneficiaires.models import Beneficiary
    from evaluation.models import Questionnaire
    from programmes.models import Offer
    from seances.models import Seance

    http_request = RequestFactory().post("/")
    http_request.user = coordinator
    questionnaire = Questionnaire(organization=programme.organization, title="Satisfaction")
    return types.SimpleNamespace(
        user=coordinator,
        request=http_request,
        beneficiary=beneficiary,
        other_beneficiary=other_beneficiary,
        programme=programme,
        themes=themes,
        beneficiaries=Beneficiary.objects.filter(pk__in=[beneficiary.pk, other_beneficiary.pk]),
        offers=Offer.objects.filter(programme=programme),
        seances=Seance.objects.none(),
        questionnaire=questionnaire,
    )


# Form class -> keyword arguments of its constructor (w: the objects of _world).
FORMS = {
    accounts_forms.EmailAuthenticationForm: lambda w: {"request": w.request},
    accounts_forms.ProfileForm: lambda w: {"instance": w.user},
    accounts_forms.QueuedPasswordResetForm: lambda w: {},
    accounts_forms.OtpCodeForm: lambda w: {"device": None},
    beneficiaires_forms.BeneficiaryForm: lambda w: {"user": w.user},
    beneficiaires_forms.StageForm: lambda w: {},
    beneficiaires_forms.PriorityForm: lambda w: {},
    beneficiaires_forms.ContactLogForm: lambda w: {},
    beneficiaires_forms.ConsentForm: lambda w: {},
    beneficiaires_forms.BulkActionForm: lambda w: {"user": w.user},
    beneficiaires_forms.ImportUploadForm: lambda w: {"user": w.user},
    beneficiaires_forms.MergeForm: lambda w: {
        "first": w.beneficiary,
        "second": w.other_beneficiary,
    },
    diagnostics_forms.DiagnosticForm: lambda w: {
        "beneficiary": w.beneficiary,
        "acting_user": w.user,
    },
    diagnostics_forms.NeedsByThemeForm: lambda w: {"themes": w.themes},
    diagnostics_forms.InvitationForm: lambda w: {},
    diagnostics_forms.ExpectationsForm: lambda w: {},
    diagnostics_forms.EnrollForm: lambda w: {},
    forms_answers.AnswersForm: lambda w: {"slots": [], "ask_phase": True},
    forms_builder.QuestionnaireForm: lambda w: {"user": w.user},
    forms_builder.QuestionForm: lambda w: {},
    notifications_forms.PreferenceForm: lambda w: {
        "preference": types.SimpleNamespace(email_enabled=True, sms_enabled=False, muted_kinds=[]),
        "has_phone": True,
    },
    forms_campaigns.CampaignForm: lambda w: {"user": w.user},
    forms_catalogue.EventRegistrationForm: lambda w: {},
    forms_requests.SupportRequestForm: lambda w: {"programme": w.programme},
    forms_showcase.ProjectCardForm: lambda w: {"beneficiary": w.beneficiary},
    forms_showcase.ContactForm: lambda w: {},
    forms_showcase.PublicContactForm: lambda w: {},
    forms_showcase.ShowcaseFilterForm: lambda w: {},
    partners_forms.PartnerForm: lambda w: {"user": w.user},
    partners_forms.ReferralForm: lambda w: {"user": w.user, "beneficiary": w.beneficiary},
    partners_forms.ReferralAnswerForm: lambda w: {
        "instance": Referral(sent_on=datetime.date.today(), status=ReferralStatus.SENT)
    },
    privacy_forms.ContactDetailsForm: lambda w: {"instance": w.beneficiary},
    privacy_forms.EraseForm: lambda w: {},
    programmes_forms.ProgrammeForm: lambda w: {"user": w.user},
    programmes_forms.ProgrammeDuplicateForm: lambda w: {"programme": w.programme},
    programmes_forms.OfferForm: lambda w: {"programme": w.programme},
    programmes_forms.ThemeForm: lambda w: {"user": w.user},
    codev.CodevPrepareForm: lambda w: {"present": w.beneficiaries},
    codev.CodevNotesForm: lambda w: {},
    codev.CodevActionForm: lambda w: {},
    logbook.LogbookEntryForm: lambda w: {"seances": w.seances, "offers": w.offers},
    records.ClosingRecordForm: lambda w: {},
    records.TaskForm: lambda w: {},
    records.CorrectionForm: lambda w: {},
    records.CommentForm: lambda w: {},
    records.TaskStatusForm: lambda w: {},
    seances_forms.SeanceCreateForm: lambda w: {"user": w.user},
    seances_forms.ParticipantAddForm: lambda w: {"candidates": w.beneficiaries},
    seances_forms.ConfidentialNoteForm: lambda w: {"participants": w.beneficiaries},
    seances_forms.HotlineForm: lambda w: {},
    seances_forms.ObserverForm: lambda w: {},
    seances_forms.SelfAssessmentForm: lambda w: {},
    seances_forms.GoalReviewForm: lambda w: {},
    seances_forms.TutoringPairForm: lambda w: {"user": w.user},
    seances_forms.LearningGoalForm: lambda w: {},
    seances_forms.TutoringEndForm: lambda w: {},
}
FORMS[forms_builder.CopyForm] = lambda w: {"user": w.user, "source": w.questionnaire}


def _field_values(field: django_forms.Field) -> st.SearchStrategy:
    """Random values, plus the field's own choices now and then (valid and wrong ones mixed)."""
    strategies = [VALUES]
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, django_forms.ModelChoiceField):
        values = [str(value) for value, _label in choices if not isinstance(_label, list | tuple)]
        if values:
            strategies.append(st.sampled_from(values))
    value = st.one_of(*strategies)
    if isinstance(field, django_forms.MultipleChoiceField | django_forms.ModelMultipleChoiceField):
        return st.lists(value, max_size=4)
    return value


def test_every_project_form_is_fuzzed():
    """A new form class must be added to FORMS (so it gets fuzzed too)."""
    import importlib
    import inspect

    modules = [
        accounts_forms, beneficiaires_forms, diagnostics_forms, forms_answers, forms_builder,
        notifications_forms, forms_campaigns, forms_catalogue, forms_requests, forms_showcase,
        partners_forms, privacy_forms, programmes_forms, codev, logbook, records, seances_forms,
    ]  # fmt: skip
    found = {
        cls
        for module in map(importlib.import_module, (m.__name__ for m in modules))
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__
    }
    assert found - set(FORMS) == set()


@pytest.mark.parametrize(
    "form_class", list(FORMS), ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_form_survives_random_data(form_class, db, request, case_counter):
    world = _world(request)
    kwargs = FORMS[form_class](world)
    with translation.override("fr"):
        fields = form_class(**kwargs).fields
    data_strategy = st.fixed_dictionaries({}, optional={
        name: _field_values(field) for name, field in fields.items()
    })  # fmt: skip

    @FUZZ_SETTINGS
    @given(data=data_strategy)
    def run(data):
        case_counter()
        with translation.override("fr"):
            form = form_class(data=data, files={}, **kwargs)
            if form.is_valid():
                return
            messages = [str(message) for errors in form.errors.values() for message in errors]
        assert messages
        english = [message for message in messages if message.startswith(ENGLISH_STARTS)]
        assert english == [], english

    run()
