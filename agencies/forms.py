"""Forms of signing in: the second factor's code, and the password change counted like a sign-in."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies import lockout


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
    )


class LockedPasswordChangeForm(PasswordChangeForm):
    """The password change form, counted like a sign-in: a wrong current password is a failed
    sign-in (django-axes counts it, so the account and the address lock after AXES_FAILURE_LIMIT of
    them), and while the account or the address is locked the current password is not checked at
    all."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        seconds = None if self.request is None else lockout.locked_wait(self.request, username)
        if seconds is not None:
            # The page puts the field's label ("Old password") before the message.
            raise ValidationError(lockout.wait_message(seconds), code="locked")
        old_password = self.cleaned_data.get("old_password", "")
        if not self.user.check_password(old_password):
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
