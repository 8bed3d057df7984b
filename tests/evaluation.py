"""Helpers for tests of evaluation rounds: rounds and assessments made through the services."""

import datetime as dt

from measures import services
from measures.models import EvaluationRound, Plan
from tests.progress import measure

NARRATIVE = "本单位牵头完成了该项措施的主要任务，相关制度已建立。"


# English titles of the rounds the tests open, by their Chinese title.
ENGLISH_TITLES = {
    "中期评估（2010年）": "Mid-term evaluation (2010)",
    "终期评估（2012年）": "Final evaluation (2012)",
}


def open_round(office, *, kind="mid_term", title="中期评估（2010年）", title_en=None) -> EvaluationRound:
    """A round opened on 2010-01-01 with the Chinese ``title`` (and its English one)."""
    return services.evaluation_round_open(
        actor=office,
        plan=Plan.objects.get(code="2008-2012"),
        kind=kind,
        title_zh=title,
        title_en=title_en or ENGLISH_TITLES.get(title, f"Evaluation round {title}"),
        opens_on=dt.date(2010, 1, 1),
        due_on=dt.date(2010, 3, 31),
    )


def self_assess(user, evaluation_round, ref, *, rating="largely", narrative=NARRATIVE, submit=True, **kwargs):
    values = {"version": None, **kwargs}
    return services.self_assessment_save(
        actor=user,
        round_id=evaluation_round.pk,
        measure=measure(ref),
        rating=rating,
        narrative=narrative,
        submit=submit,
        **values,
    )


def office_assess(office, evaluation_round, ref, *, rating="partly", comment="", version=None):
    return services.office_assessment_save(
        actor=office,
        round_id=evaluation_round.pk,
        measure=measure(ref),
        rating=rating,
        comment=comment,
        version=version,
    )
