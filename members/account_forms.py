"""The sign-up and sign-in forms (allauth's, set by ACCOUNT_FORMS)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.conf import settings

from editorial.characters import RefuseUncarriableTextMixin


class SignInForm(RefuseUncarriableTextMixin, AllauthLoginForm):
    """The site's sign-in form (the admin keeps its own)."""


class SignupForm(RefuseUncarriableTextMixin, AllauthSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD or "")
        if honeypot is not None:
            # Hidden by the site's stylesheet rather than allauth's inline style, which a
            # Content-Security-Policy without 'unsafe-inline' styles would not apply.
            honeypot.widget.attrs = {"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}
