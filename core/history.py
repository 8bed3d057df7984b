"""The change history's writer: every service that changes a reviewed record keeps the change here,
in the same transaction (who, when, which values from what to what, and why)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from core import clock
from core.models import ChangeRecord
from core.models.history import LANGUAGES


def change_record(*, actor, obj, action: str, changes: dict | None = None, comment: str = "") -> ChangeRecord:
    """Keep one change in the history; call it inside the transaction that makes the change."""
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        action=action,
        actor=actor,
        at=clock.now(),
        changes=changes or {},
        comment=comment,
    )


def in_both_languages(render) -> dict[str, str]:
    """A value that is text in the reader's language (the names of measures, provinces, units,
    divisions): ``render()`` in Chinese and in English, kept both, so that each reader's history
    shows it in their language (``ChangeRecord.lines``)."""
    values = {}
    for code in LANGUAGES:
        with translation.override(code):
            values[code] = render()
    return values


def field_changes(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the values that differ; a value missing before counts as empty.

    Values are made JSON-friendly; "" and None are the same (nothing), so a new record lists only
    the values it was given.
    """

    def plain(value):
        if value in ("", None):
            return None
        return value if isinstance(value, (str, int, float, bool, dict)) else str(value)

    return {
        name: [plain(before.get(name)), plain(value)]
        for name, value in after.items()
        if plain(before.get(name)) != plain(value)
    }
