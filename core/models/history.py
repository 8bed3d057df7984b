"""The change history: one row per change to a reviewed record, kept for good."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.permissions import EVERYTHING, NOTHING, READ_HISTORY, VIEW, RestrictedQuerySet, may

# How the history names what happened; services record these action codes.
CHANGE_ACTIONS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "submitted": _("Submitted"),
    "resubmitted": _("Resubmitted"),
    "accepted": _("Accepted"),
    "returned": _("Returned"),
    "reopened": _("Reopened"),
    "approved": _("Approved"),
    "unapproved": _("Unapproved"),
    "deleted": _("Removed"),
    "closed": _("Round closed"),
    "granted": _("Granted"),
    "refused": _("Refused"),
    "self_checked": _("Self-check"),
}
# A value kept in both languages (``core.history.in_both_languages``) is a dict of these keys.
LANGUAGES = ("zh-hans", "en")


def _shown(value):
    """A value as the reader reads it: in their language where it was kept in both."""
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        return value["en" if translation.get_language() == "en" else "zh-hans"]
    return value


CHANGE_FIELDS = {"evidence.added": _("evidence files added"), "evidence.removed": _("evidence files removed")}


class ChangeRecordQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        # The whole history is for the Office and auditors; everyone else reads the history of an
        # object only on that object's own page (``for_object`` after the object was restricted).
        if action == VIEW and may(user, READ_HISTORY):
            return EVERYTHING
        return NOTHING

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("content_type", "actor__agency")


class ChangeRecord(models.Model):
    """One change to a record, kept for good: who, when, what changed (field: [old, new]) and why.

    Written by the service that makes the change, in the same transaction; never edited.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="changes_made",
    )
    at = models.DateTimeField(_("at"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        db_table = "agencies_changerecord"  # the table it had when it was part of agencies
        ordering = ["pk"]  # the order the changes were made in
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}:{self.object_id}"

    @property
    def action_label(self) -> str:
        return str(CHANGE_ACTIONS.get(self.action, self.action))

    def lines(self, labels: dict | None = None) -> list[tuple[str, object, object]]:
        """(label, old, new) per change, with choice values shown by their labels.

        ``labels`` names the keys that are not columns of the record (``figures.persons_trained``);
        the page that shows a history asks the record's model for them once.
        """
        model = self.content_type.model_class()
        result = []
        for name, values in self.changes.items():
            old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
            old, new = _shown(old), _shown(new)
            try:
                field = model._meta.get_field(name)  # a column, or a many-to-many (its measures)
            except FieldDoesNotExist:
                field = None
            if not hasattr(field, "verbose_name"):  # not a field of the record (its figures, its files)
                result.append((str((labels or {}).get(name) or CHANGE_FIELDS.get(name, name)), old, new))
                continue
            choices = dict(field.choices or ())
            result.append((str(field.verbose_name), choices.get(old, old), choices.get(new, new)))
        return result
