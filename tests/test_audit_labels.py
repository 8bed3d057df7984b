"""Every action the code writes into the audit log has a label in both languages (the auditor's
page showed "forward" raw, and its filter did not offer it)."""

import re
from pathlib import Path

from core.models.audit import AUDIT_ACTIONS

ROOT = Path(__file__).resolve().parent.parent
WRITES = re.compile(r"\baudit(?:_each|_shown)?\(\s*[^()]*?\baction=\"([a-z_]+)\"", re.S)


def test_every_written_action_has_a_label():
    written = set()
    for app in ("core", "agencies", "measures", "cases", "reports"):
        for path in (ROOT / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                written |= set(WRITES.findall(path.read_text()))
    assert {"view", "forward", "download"} <= written  # the pattern finds what it is for
    assert written - set(AUDIT_ACTIONS) == set()
