"""Second factors of sign-in: an authenticator (TOTP) and one-time backup codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models.users import User
from core.crypto import EncryptedTextField


class TwoFactorDevice(models.Model):
    """A user's authenticator (TOTP, RFC 6238). Required for case officers and auditors."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"))
    last_used_step = models.PositiveBigIntegerField(default=0)  # a code is accepted once

    objects = models.Manager()  # read only for the signed-in user's own sign-in

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class BackupCode(models.Model):
    """A one-time code for when the authenticator is lost; only its hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="backup_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self) -> str:
        return f"{self.user} backup code"
