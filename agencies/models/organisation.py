"""Member units of the Joint Conference, provincial-level divisions, and agencies: the office of a
member unit at a division (公安部 → 云南省公安厅 → 昆明市公安局 → a county bureau) or a level's
anti-trafficking office (反拐办), the bodies that users belong to and that hold case files."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import AgencyKind, ProvinceKind
from agencies.models.divisions import Division
from core.bilingual import Localized
from core.permissions import ReferenceDataQuerySet


class MemberUnit(models.Model):
    """A unit that can carry responsibility under a plan: a member unit of the Joint Conference, or
    the IMCS Office, which is responsible for some measures but is not a member.

    A unit that is renamed or merged (人事部 → 人力资源社会保障部) is a new unit from that date, so a
    record keeps the name that was true when it was made. Its place and role in a plan, and its name
    as a plan wrote it, are that plan's membership (``measures.PlanMembership``); ``seq`` and
    ``is_member`` here are only the order in which the portal lists units outside any plan, set when
    the unit is first loaded and never by a later plan.
    """

    code = models.SlugField(_("code"), max_length=16, unique=True)
    seq = models.PositiveSmallIntegerField(_("listing order"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_member = models.BooleanField(_("member of the Joint Conference"), default=True)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["-is_member", "seq", "code"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """A provincial-level division (GB/T 2260), with its anti-trafficking office."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProvinceKind.choices)
    is_key_area = models.BooleanField(_("key area"), default=False)
    is_origin = models.BooleanField(_("origin area"), default=False)
    is_destination = models.BooleanField(_("destination area"), default=False)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(ReferenceDataQuerySet):
    def case_keepers(self):
        """The agencies a case can be held by, rescued by or referred to: active offices of units."""
        return self.filter(kind=AgencyKind.UNIT_OFFICE, is_active=True)

    def of_unit_under(self, unit_id: int | None, division: Division | None):
        """The offices of member unit ``unit_id`` at ``division`` and every division below it (all
        levels from the national one when ``division`` is None): what a case supervisor oversees."""
        if unit_id is None:
            return self.none()
        agencies = self.filter(kind=AgencyKind.UNIT_OFFICE, unit_id=unit_id)
        if division is None:
            return agencies
        return agencies.filter(division__code__startswith=division.code_prefix)

    def anti_trafficking_office(self, division: Division) -> "Agency":
        """The anti-trafficking office (反拐办) of ``division``, made once: ``ATO-530100`` 昆明市反拐办."""
        return self.get_or_create(
            code=f"ATO-{division.code}",
            defaults={
                "kind": AgencyKind.ANTI_TRAFFICKING_OFFICE,
                "division": division,
                "name_zh": f"{division.name_zh}反拐办",
                "name_en": f"{division.name_en} Anti-Trafficking Office",
            },
        )[0]


class Agency(models.Model):
    """An office at one level: a member unit's office at a division (national when the division is
    empty), or the anti-trafficking office of a division (the national one is the IMCS Office).

    ``province`` is the provincial-level division the agency sits in (empty at national level),
    set from ``division`` on save, so that province-wide rules read one column."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The unit's code, and below the national level the division's: MCA-530100."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("member unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Empty for a national body."),
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="agencies",
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    seat = models.ForeignKey(
        "self",
        verbose_name=_("sits in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "For an anti-trafficking office: the public-security office it sits in, which receives "
            "the public's reports of crimes in its division."
        ),
    )

    objects = AgencyQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["division__code", "kind", "unit__seq", "name_zh"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AgencyKind.UNIT_OFFICE) | Q(unit__isnull=False), name="unit_office_has_unit"
            ),
            models.UniqueConstraint(
                fields=["division"],
                condition=Q(kind=AgencyKind.ANTI_TRAFFICKING_OFFICE),
                name="one_anti_trafficking_office_per_division",
            ),
            models.UniqueConstraint(fields=["unit", "division", "name_zh"], name="agency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.province = (
            Province.objects.filter(code=self.division.province_code).first() if self.division_id else None
        )
        super().save(*args, **kwargs)

    @property
    def is_national(self) -> bool:
        return self.division_id is None

    @property
    def case_number_prefix(self) -> str:
        """How the agency's case numbers begin: its code (MCA-530100-2009-0001 at 昆明市民政局,
        MCA-2009-0001 at the ministry)."""
        return self.code.upper()

    @property
    def place(self) -> str:
        """Where the agency sits, for pickers and lists: the division's name, or "national"."""
        return self.division.name if self.division_id else str(_("National"))
