from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.tasks import send_email


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Incorrect email address or password. Check what you typed: "
            "the password is case-sensitive."
        ),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()

    @staticmethod
    def locked_out_message() -> str:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return ngettext(
            "Too many failed attempts: logging in with this email address is blocked for "
            "%(minutes)d minute. Try again later, or reset your password.",
            "Too many failed attempts: logging in with this email address is blocked for "
            "%(minutes)d minutes. Try again later, or reset your password.",
            minutes,
        ) % {"minutes": minutes}

    def get_invalid_login_error(self) -> forms.ValidationError:
        # django-axes flags the request when it refused the attempt (see settings AXES_*).
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(self.locked_out_message(), code="locked_out")
        return super().get_invalid_login_error()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email leaves through Celery, after the request's transaction."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        send_email.delay_on_commit(subject=subject, body=body, to=[to_email], html_body=html_body)


class OtpCodeForm(forms.Form):
    """The 6-digit code of an authenticator app, checked against `device`."""

    code = forms.CharField(
        label=_("6-digit code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
        help_text=_("Shown by your authenticator app; it changes every 30 seconds."),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of 6 digits."))
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("This code is not valid. Type the code your app shows now.")
            )
        return code
