from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, error: ValidationError, *, prefixes: tuple[str, ...] = ()) -> None:
    """Put a service's validation errors on the form's fields, so each message stands by the
    field it names; a key the form has no field for (even as ``<prefix><key>``) goes on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        name = next((n for n in (key, *(f"{p}{key}" for p in prefixes)) if n in form.fields), None)
        form.add_error(name, messages)


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
    )
