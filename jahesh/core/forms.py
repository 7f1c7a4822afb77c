from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import to_latin_digits


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask the secretariat."),
    }

    def clean_username(self) -> str:
        # People type usernames on Persian keyboards too: accept Persian digits.
        return to_latin_digits(self.cleaned_data.get("username") or "").strip()
