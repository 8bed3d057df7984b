"""Bilingual model fields: every text is stored as ``<name>_zh`` and ``<name>_en``."""

from django.utils.translation import get_language


def current_suffix() -> str:
    """``en`` while the active language is English, ``zh`` otherwise (Chinese is the default)."""
    return "en" if (get_language() or "").startswith("en") else "zh"


class Localized:
    """Model attribute reading ``<name>_zh`` or ``<name>_en`` by the active language.

    Falls back to the Chinese text, which is authoritative, when the English one is empty.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        value = getattr(obj, f"{self.name}_{current_suffix()}")
        return value or getattr(obj, f"{self.name}_zh")
