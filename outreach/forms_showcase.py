"""Forms of the network showcase: a project card, a contact request, the list's filters."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.antispam import AntiSpamFormMixin, antispam_layout_fields
from outreach.models import ProjectCard
from outreach.services.showcase import card_programmes
from programmes.models import Theme


class ProjectCardForm(forms.ModelForm):
    class Meta:
        model = ProjectCard
        fields = [
            "programme",
            "title",
            "summary",
            "territory",
            "themes",
            "needs_partners",
            "needs_skills",
            "needs_resources",
            "is_public",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "needs_partners": forms.Textarea(attrs={"rows": 2}),
            "needs_skills": forms.Textarea(attrs={"rows": 2}),
            "needs_resources": forms.Textarea(attrs={"rows": 2}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": _(
                "What the project is and what it wants to achieve. No personal details: "
                "the network contacts the coordination, never the person."
            ),
        }

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = card_programmes(beneficiary)
        self.fields["programme"].empty_label = None
        self.fields["themes"].queryset = Theme.objects.filter(
            organization_id=beneficiary.organization_id
        ).order_by("name")
        self.fields["themes"].required = False
        if not self.instance.pk and beneficiary.territory:
            self.fields["territory"].initial = beneficiary.territory


class ContactForm(forms.Form):
    sender_name = forms.CharField(label=_("Your name"), max_length=200)
    sender_email = forms.EmailField(label=_("Your email"))
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who you are, what you propose or need. The coordination passes it on to the "
            "project's holders, who decide whether to answer."
        ),
    )


class PublicContactForm(AntiSpamFormMixin, ContactForm):
    """The same message from someone without an account, with the anti-spam fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "sender_name", "sender_email", "message", *antispam_layout_fields()
        )


class ShowcaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    territory = forms.CharField(label=_("Territory"), required=False, max_length=100)
    theme = forms.CharField(label=_("Theme"), required=False, max_length=100)
