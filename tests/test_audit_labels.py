"""Every action the code writes into the audit log has a label in both languages (the auditor's
page showed "forward" raw, and its filter did not offer it)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from core.models.audit import AUDIT_ACTIONS, AuditEntry

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


@pytest.mark.parametrize(
    ("action", "detail", "zh", "en"),
    [
        ("export", {"identifiers": True}, "含身份信息", "with identifiers"),
        ("export", {}, "不含身份信息", "without identifiers"),
        ("change", {"reason": "核对"}, "核对", "核对"),
        ("change", {"changed": ["notes", "status"]}, "notes, status", "notes, status"),
        ("list", {"shown": ["A-1", "B-2"], "count": 2}, "A-1, B-2", "2 files shown: A-1, B-2"),
        ("list", {"shown": [], "count": 0}, "0", "0 files shown"),
        ("duplicate_check", {"result": "elsewhere"}, "", "a file of another agency"),
        ("duplicate_check", {"result": "unknown"}, None, ""),
        (
            "lockout",
            {"locked": ["username", "ip_address"], "failures_username": 5, "failures_ip_address": 1},
            "",
            "account locked; address locked; 5 failed sign-ins for the account; "
            "1 failed sign-in from the address",
        ),
        ("lockout", {"locked": ["ip_address"]}, "", "address locked"),
        (
            "refused",
            {"unlogged_for_seconds": 600},
            "不再记录",
            "limit reached: further refused attempts of this user are not logged for the rest of the hour",
        ),
        ("refused", {}, None, ""),
        (
            "unlock",
            {"attempts": 3, "address": "10.0.0.1"},
            "10.0.0.1",
            "3 failed sign-ins cleared (10.0.0.1)",
        ),
        ("unlock", {"attempts": 1}, "", "1 failed sign-in cleared"),
        ("view", {}, None, ""),
    ],
)
def test_each_detail_reads_as_one_line_in_both_languages(action, detail, zh, en):
    """Every branch of AuditEntry.detail_line, as the audit log shows it: Chinese, then English."""
    entry = AuditEntry(action=action, detail=detail)
    with translation.override("zh-hans"):
        chinese = entry.detail_line
    with translation.override("en"):
        english = entry.detail_line
    assert english == en
    if zh is None:
        assert chinese == ""
    else:  # translated, but for what the entry itself holds (a reason, field names)
        assert zh in chinese and (chinese == english if zh == en else chinese != english), chinese
