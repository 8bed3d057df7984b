"""Funding of the work by channel (Part Three 3): what each member unit and each province budgeted
and spent from government budgets, the donations it received (from civil groups, enterprises and
individuals) and international aid (by donor), per year and, where it is known, per area.

Amounts are yuan with two decimals and never negative (a check in the database as well as in the
forms). The owner (``measures.models.owners``) writes its own lines; the Office and auditors read
all of them; the totals go into the annual and evaluation compiled reports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit, Province
from core.permissions import (
    ADD,
    CHANGE,
    DELETE,
    EVERYTHING,
    NOTHING,
    READ_ALL_SUBMITTED,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.choices import MAX_AMOUNT_DIGITS, DonorKind, FundingChannel
from measures.models.owners import owned_q, owner_columns_q
from measures.models.plan import Area, Plan


class FundingQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        own = owned_q(user)
        if action == VIEW:
            return EVERYTHING if may(user, READ_ALL_SUBMITTED) else own
        if action in (ADD, CHANGE, DELETE):
            return own
        return NOTHING


def amount_field(verbose_name, **options):
    return models.DecimalField(
        verbose_name,
        max_digits=MAX_AMOUNT_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        **options,
    )


class FundingLine(models.Model):
    """One amount of money for the work in a year, from one channel.

    A budget line holds what was budgeted and what was spent; a donation or an aid line what was
    received (``amount``), with who gave it: the kind of donor for a donation, the donor's name for
    international aid (UNICEF, ILO, a country's agency).
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="funding")
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("member unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=20, choices=FundingChannel.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: for the work as a whole."),
    )
    donor_kind = models.CharField(_("kind of donor"), max_length=20, choices=DonorKind.choices, blank=True)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    budgeted = amount_field(_("budgeted (yuan)"), null=True, blank=True)
    amount = amount_field(_("spent or received (yuan)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = FundingQuerySet.as_manager()

    class Meta:
        ordering = ["year", "channel", "pk"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.CheckConstraint(condition=owner_columns_q(), name="funding_line_one_owner"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(condition=Q(budgeted__gte=0), name="funding_budgeted_not_negative"),
            models.CheckConstraint(
                condition=Q(channel=FundingChannel.BUDGET) | Q(budgeted__isnull=True),
                name="funding_only_budgets_are_budgeted",
            ),
        ]
        indexes = [models.Index(fields=["plan", "year", "channel"])]

    def __str__(self) -> str:
        return f"{self.year} {self.get_channel_display()} {self.amount}"
