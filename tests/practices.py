"""Helpers for tests of the library of good practices: practices proposed, submitted and published
through the services."""

from measures.models import Area, Measure
from measures.services.practices import good_practice_accept, good_practice_save

PLAN = "2008-2012"


def area(seq: int) -> Area:
    return Area.objects.get(plan__code=PLAN, seq=seq)


def measures(*refs: str) -> list[Measure]:
    return list(Measure.objects.filter(plan__code=PLAN, ref__in=refs))


def propose(user, *, title_zh="", title_en="", seq=2, refs=(), submit=False, **fields):
    """A practice of ``user``'s unit or province on area ``seq`` and the measures ``refs``."""
    values = {"summary_zh": "做法摘要。", "version": None}
    values.update(fields)
    return good_practice_save(
        actor=user,
        title_zh=title_zh,
        title_en=title_en,
        area=area(seq),
        measures=measures(*refs),
        submit=submit,
        **values,
    )


def published(user, office, **fields):
    """A practice proposed by ``user``, submitted, and published by ``office``."""
    practice = propose(user, submit=True, **fields)
    return good_practice_accept(actor=office, practice_id=practice.pk, version=practice.version)
