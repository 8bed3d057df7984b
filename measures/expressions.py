"""The small arithmetic of validation rules: sums of figures, each optionally times a number.

``"women_rescued + children_rescued"``, ``"20 * cases_reported + 20"``. Parsed without ``eval``:
anything else is refused when the plan file is loaded.
"""

from __future__ import annotations

import operator as op
import re
from dataclasses import dataclass

TERM = re.compile(r"^(?:(\d+)\s*\*\s*)?([a-z][a-z0-9_]*)$|^(\d+)$")
OPERATORS = {"<=": op.le, "<": op.lt, ">=": op.ge, ">": op.gt, "==": op.eq, "!=": op.ne}


@dataclass(frozen=True)
class Term:
    factor: int
    code: str | None  # None: a constant


def parse(expression: str) -> list[Term]:
    terms = []
    for part in str(expression).split("+"):
        match = TERM.match(part.strip())
        if not match:
            raise ValueError(f"cannot read '{part.strip()}' in '{expression}'")
        factor, code, constant = match.groups()
        terms.append(Term(int(factor or 1), code) if code else Term(int(constant), None))
    return terms


def codes(expression: str) -> set[str]:
    return {term.code for term in parse(expression) if term.code}


def evaluate(expression: str, values: dict[str, int | None]) -> int | None:
    """The sum, or None when a figure it needs has no value yet."""
    total = 0
    for term in parse(expression):
        if term.code is None:
            total += term.factor
        elif values.get(term.code) is None:
            return None
        else:
            total += term.factor * values[term.code]
    return total
