"""Wiring that belongs to no caller: every save and delete of the plan's and the reports' models,
and of the organisation's units, divisions and agencies, renews the data tokens of
``core.statistics_cache``, by whichever path the data changed (a service, the admin site, an
import, a shell):

- ``PLAN``, the plan's structure and the organisation (plans, measures, responsibilities, periods,
  changes of units, the reporting chain's collecting divisions, agencies): what menus, read rules
  and lineages are built from, which changes seldom;
- ``PROGRESS``, everything the dashboards count (progress, quarterly reports, the coordination
  records), which a change of the structure changes too.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import statistics_cache

STRUCTURE = {
    "measures.Plan",
    "measures.Area",
    "measures.Measure",
    "measures.Responsibility",
    "measures.Target",
    "measures.PlanClause",
    "measures.FigureDefinition",
    "measures.QuarterlyFigure",
    "measures.QuarterlyRule",
    "measures.PlanMembership",
    "measures.UnitChange",
    "measures.ReportingPeriod",
    "reports.CollectingDivision",
    "agencies.Agency",
    "agencies.Division",
    "agencies.Province",
    "agencies.MemberUnit",
}
# What nothing kept reads: the jobs' bookkeeping and the reminders sent.
NOT_READ = {"reports.Job", "reports.ReportReminder"}


def _structure_changed(sender, **kwargs) -> None:
    statistics_cache.data_changed(statistics_cache.PLAN)
    statistics_cache.data_changed(statistics_cache.PROGRESS)


def _progress_changed(sender, **kwargs) -> None:
    statistics_cache.data_changed(statistics_cache.PROGRESS)


def _watched():
    for label in ("measures", "reports"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NOT_READ:
                yield model
    for label in sorted(STRUCTURE):
        if label.startswith("agencies."):
            yield apps.get_model(label)


for _model in _watched():
    _receiver = _structure_changed if _model._meta.label in STRUCTURE else _progress_changed
    for _signal in (post_save, post_delete):
        _signal.connect(_receiver, sender=_model, dispatch_uid=f"data-token:{_model._meta.label}")
    for _field in _model._meta.local_many_to_many:
        m2m_changed.connect(
            _receiver, sender=_field.remote_field.through, dispatch_uid=f"data-token:{_field}"
        )
