"""Assistance given to the person of a case file: the services provided and the follow-up visits.
Both are seen with their case, and added by any agency that sees it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from cases.choices import ServiceKind
from cases.models.case_files import CaseFile
from core.permissions import VIEW, RestrictedQuerySet, is_active_user


class CasePartQuerySet(RestrictedQuerySet):
    """Services and follow-ups: seen with their case; added by any agency that sees it."""

    def access_filter(self, user, action: str) -> Q:
        return Q(case__in=CaseFile.objects.restrict(user, VIEW).values("pk"))

    def counted_in_statistics(self, user) -> CasePartQuerySet:
        """The rows of the files the suppressed statistics count (as
        ``CaseFile.objects.counted_in_statistics``): aggregates only."""
        if not is_active_user(user):
            return self.none()
        return self.filter(case__consent_statistics=True)


class AssistanceService(models.Model):
    case = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    provided_on = models.DateField(_("provided on"))
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        ordering = ["-provided_on", "-pk"]
        verbose_name = _("assistance service")
        verbose_name_plural = _("assistance services")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class FollowUp(models.Model):
    case = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("visited on"))
    living_conditions = models.TextField(_("living conditions"))
    needs = models.TextField(_("needs"), blank=True)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.case} {self.visited_on}"
