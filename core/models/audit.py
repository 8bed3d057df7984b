"""The audit log: who read, revealed, exported or changed what, appended and never edited."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from core.permissions import EVERYTHING, NOTHING, READ_AUDIT_LOG, VIEW, RestrictedQuerySet, may

AUDIT_ACTIONS = {
    "view": _("Viewed"),
    "reveal": _("Revealed identifiers"),
    "export": _("Exported"),
    "import": _("Imported agencies or users"),
    "create": _("Created"),
    "change": _("Changed"),
    "add_service": _("Added a service"),
    "add_follow_up": _("Added a follow-up visit"),
    "refer": _("Referred"),
    "accept_referral": _("Accepted a referral"),
    "decline_referral": _("Declined a referral"),
    "complete_referral": _("Completed a referral"),
    "revoke_referral": _("Revoked a referral"),
    "transfer": _("Took over the file"),
    # Reports from the public (cases/services/public_reports.py).
    "forward": _("Forwarded a report from the public"),
    "download": _("Downloaded an attachment"),
    # Sign-in safety (agencies/lockout.py, agencies/services/accounts.py): on the account concerned.
    "lockout": _("Sign-in locked after failed attempts"),
    "unlock": _("Unlocked sign-in"),
    "end_tokens": _("Ended API tokens"),
    # Reads of many files at once and refusals: one entry per request, listing what was shown.
    "list": _("Listed case files"),
    "search": _("Searched case files"),
    "refused": _("Refused (not found or not allowed)"),
    "duplicate_check": _("Checked for a duplicate"),
}
AUDIT_CHANNELS = {"page": _("page"), "api": _("API"), "export": _("export"), "job": _("background job")}


class AuditEntryQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        # Auditors read the log (never the contents it points to); nobody changes it.
        return EVERYTHING if action == VIEW and may(user, READ_AUDIT_LOG) else NOTHING

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """Who read, revealed, exported or changed what, when, from where: appended, never edited."""

    at = models.DateTimeField(_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20)
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    # Empty for an entry about no one record: a list shown, a refused lookup, a duplicate check.
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    object_label = models.CharField(_("record"), max_length=100)
    channel = models.CharField(_("through"), max_length=10)  # page, api, export, job
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        db_table = "agencies_auditentry"  # the table it had when it was part of agencies
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        # The auditors' filters (core.audit_filters), each through its own index: by record (the
        # label, whatever its case), user, agency and action, newest first; by day (``at``).
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(Upper("object_label"), "at", "id", name="audit_label_idx"),
            models.Index(fields=["at", "id"], name="audit_time_idx"),
            models.Index(fields=["user", "at", "id"], name="audit_user_idx"),
            models.Index(fields=["agency", "at", "id"], name="audit_agency_idx"),
            models.Index(fields=["action", "at", "id"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))

    @property
    def channel_label(self) -> str:
        return str(AUDIT_CHANNELS.get(self.channel, self.channel))

    @property
    def shown_line(self) -> str:
        """The numbers of the files a list showed, as one line: escaped once on the page, not each
        of up to ``SHOWN_MAX`` numbers of each of the page's entries."""
        return ", ".join(str(number) for number in (self.detail or {}).get("shown") or ())

    @property
    def detail_line(self) -> str:
        """What the detail says, as one line in the reader's language: written here once rather
        than by a template's chain of conditions run for each of a page's hundred entries."""
        detail = self.detail or {}
        parts = []
        if self.action == "export":
            parts.append(
                gettext("with identifiers") if detail.get("identifiers") else gettext("without identifiers")
            )
        if detail.get("reason"):
            parts.append(str(detail["reason"]))
        elif detail.get("changed"):
            parts.append(", ".join(str(field) for field in detail["changed"]))
        if detail.get("shown") is not None:
            n = detail.get("count") or 0
            shown = ngettext("%(counter)s file shown", "%(counter)s files shown", n) % {"counter": n}
            parts.append(f"{shown}: {self.shown_line}" if detail["shown"] else shown)
        if self.action in _ACTION_DETAIL:
            parts.append(_ACTION_DETAIL[self.action](detail))
        return " ".join(part for part in parts if part)


_DUPLICATE_RESULTS = {
    "none": gettext_noop("no file found"),
    "own": gettext_noop("a file of the same agency"),
    "elsewhere": gettext_noop("a file of another agency"),
    "own_and_elsewhere": gettext_noop("files of the same and of another agency"),
    "limited": gettext_noop("not checked: limit reached"),
}


def _duplicate_check_detail(detail: dict) -> str:
    result = _DUPLICATE_RESULTS.get(detail.get("result"))
    return gettext(result) if result else ""


def _lockout_detail(detail: dict) -> str:
    locked = detail.get("locked") or ()
    what = [gettext("account locked")] if "username" in locked else []
    if "ip_address" in locked:
        what.append(gettext("address locked"))
    parts = ["; ".join(what)] if what else []
    if (n := detail.get("failures_username")) is not None:
        parts.append(
            ngettext(
                "%(counter)s failed sign-in for the account", "%(counter)s failed sign-ins for the account", n
            )
            % {"counter": n}
        )
    if (n := detail.get("failures_ip_address")) is not None:
        parts.append(
            ngettext(
                "%(counter)s failed sign-in from the address",
                "%(counter)s failed sign-ins from the address",
                n,
            )
            % {"counter": n}
        )
    return "; ".join(parts)


def _refused_detail(detail: dict) -> str:
    if detail.get("unlogged_for_seconds") is None:
        return ""
    return gettext(
        "limit reached: further refused attempts of this user are not logged for the rest of the hour"
    )


def _unlock_detail(detail: dict) -> str:
    if (n := detail.get("attempts")) is None:
        return ""
    cleared = ngettext("%(counter)s failed sign-in cleared", "%(counter)s failed sign-ins cleared", n) % {
        "counter": n
    }
    return f"{cleared} ({detail['address']})" if detail.get("address") else cleared


_ACTION_DETAIL = {
    "duplicate_check": _duplicate_check_detail,
    "lockout": _lockout_detail,
    "refused": _refused_detail,
    "unlock": _unlock_detail,
}


class AuditShown(models.Model):
    """One record that a list or search entry showed (``detail["shown"]`` holds them in order, for
    reading): one row each, so that the log finds every entry that showed a file through an index."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=100)

    class Meta:
        db_table = "core_auditshown"
        indexes = [models.Index(fields=["label", "entry"], name="audit_shown_idx")]

    def __str__(self) -> str:
        return self.label
