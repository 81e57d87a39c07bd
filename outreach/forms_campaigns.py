"""The campaign form: the message, its programme and kind; the selection is the outreach
list's FilterSet (outreach.services.campaigns.selection_filterset), shown beside it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from outreach.enums import CampaignKind
from programmes.models import Programme
from seances.models import GroupSession


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        when = date_format(timezone.localtime(obj.starts_at), "j F Y, H\\hi")
        return f"{obj.offer.programme.title} — {obj.title or obj.offer.title} — {when}"


class CampaignForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose a programme"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of campaign"),
        choices=CampaignKind.choices,
        initial=CampaignKind.INFORMATION,
        widget=forms.RadioSelect,
    )
    group_session = SessionChoiceField(
        label=_("Information meeting"),
        queryset=GroupSession.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Choose a group session"),
        help_text=_(
            "For an invitation: one of the programme's upcoming group sessions. The message "
            "links to its public page when it is an open event, else to the programme's page."
        ),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. The email adds the greeting, the link and a link to unsubscribe."),
    )
    per_minute = forms.IntegerField(
        label=_("Emails per minute"),
        min_value=1,
        max_value=1000,
        initial=30,
        help_text=_("Sending is spread out so that mail servers do not take it for spam."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.managed_by(user).order_by("title", "pk")
        self.fields["programme"].queryset = programmes
        if "programme" not in self.initial and len(programmes) == 1:
            self.initial["programme"] = programmes[0]
        self.fields["group_session"].queryset = (
            GroupSession.objects.upcoming(timezone.now())
            .filter(offer__programme__in=programmes)
            .select_related("offer__programme")
            .order_by("starts_at", "pk")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("programme"),
            Field("kind"),
            Field("group_session"),
            Field("subject"),
            Field("body"),
            Field("per_minute"),
        )

    def clean(self):
        data = super().clean()
        session = data.get("group_session")
        if data.get("kind") != CampaignKind.MEETING:
            data["group_session"] = None
        elif session is None:
            self.add_error(
                "group_session", _("Choose the information meeting the message invites to.")
            )
        elif data.get("programme") and session.offer.programme_id != data["programme"].pk:
            self.add_error("group_session", _("Choose a group session of this programme."))
        return data
