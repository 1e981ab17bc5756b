from django import forms
from django.contrib.auth.forms import AuthenticationForm

from fgc.accounts.models import ApiToken


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Contact your administrator.",
    }


class ApiTokenForm(forms.Form):
    """The name of a new API token, so its owner can tell their tokens apart."""

    max_name = ApiToken._meta.get_field("name").max_length or 100
    name = forms.CharField(
        max_length=max_name,
        strip=True,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"The name must be {max_name} characters or fewer",
        },
    )
