"""Administrative divisions of mainland China (GB/T 2260): provinces, prefectures and counties, as
one tree that a data edition loads (``manage.py load_divisions``) and a later edition renames and
abolishes in place, never deleting a division that data may refer to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.choices import DivisionLevel
from core.bilingual import Localized
from core.permissions import ReferenceDataQuerySet


def search_key(name_zh: str, name_en: str) -> str:
    """What the picker's search matches besides the code: the Chinese name and the pinyin written
    together in lower case without apostrophes (``kunmingshi`` finds 昆明市 as "Kunming Shi")."""
    pinyin = "".join(ch for ch in name_en.lower() if ch.isalnum())
    return f"{name_zh} {pinyin}"


class DivisionQuerySet(ReferenceDataQuerySet):
    def current(self) -> DivisionQuerySet:
        """The divisions the newest loaded edition lists (an abolished one stays for the records)."""
        return self.filter(abolished_in__isnull=True)

    def search(self, text: str) -> DivisionQuerySet:
        """Divisions found by code (its start), Chinese name or pinyin (any part, spaces ignored)."""
        text = text.strip()
        if not text:
            return self.none()
        if text.isdigit():
            return self.filter(code__startswith=text[:6])
        key = "".join(ch for ch in text.lower() if ch.isalnum() or ord(ch) > 127)
        return self.filter(search_key__contains=key)

    def under(self, division: Division | None) -> DivisionQuerySet:
        """``division`` and every division below it (all of them for the national level, None)."""
        return self if division is None else self.filter(code__startswith=division.code_prefix)


class Division(models.Model):
    """A province, prefecture or county with its six-digit code; the code nests (530000 云南省 ⊃
    530100 昆明市 ⊃ 530102 五华区), so everything below a division shares its code prefix."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("division above"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    search_key = models.CharField(max_length=200, editable=False, db_index=True)
    first_edition = models.PositiveSmallIntegerField(_("first listed in edition"))
    abolished_in = models.PositiveSmallIntegerField(_("no longer listed from edition"), null=True, blank=True)
    former_names = models.JSONField(_("former names"), default=list, blank=True)

    objects = DivisionQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name_zh, self.name_en)
        super().save(*args, **kwargs)

    @property
    def code_prefix(self) -> str:
        """The start that every code below this division shares: 53 (a province), 5301 (a prefecture)."""
        if self.level == DivisionLevel.PROVINCE:
            return self.code[:2]
        if self.level == DivisionLevel.PREFECTURE:
            return self.code[:4]
        return self.code

    @property
    def province_code(self) -> str:
        return f"{self.code[:2]}0000"

    @property
    def prefecture_code(self) -> str | None:
        """The prefecture this division is in or is (None for a province and a county straight
        under a province, such as 仙桃市 or a municipality's district)."""
        if self.level == DivisionLevel.PROVINCE:
            return None
        if self.level == DivisionLevel.PREFECTURE:
            return self.code
        parent_code = self.parent.code if self.parent_id else ""
        return parent_code if parent_code and not parent_code.endswith("0000") else None
