"""The lists read part by part (``core.paging`` with ``restrict_parts``) run on SQLite too, the
database of ``make run``: SQLite refuses a LIMIT inside a UNION, so the parts are merged in Python
(a new user's case list answered 500 on SQLite when they were a UNION)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import datetime as dt
from cases.models import CaseFile
from core.paging import keyset_page
parts = [CaseFile.objects.filter(status="open"), CaseFile.objects.exclude(status="open")]
for params in ({}, {"after": "14000.3"}, {"before": "14000.3"}):
    page = keyset_page(CaseFile.objects.all(), params, 5, "rescued_on", parts=parts)
    print(len(page), page.previous, page.next)
"""


def test_a_list_of_parts_is_read_on_sqlite(tmp_path):
    env = {
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DEBUG": "1",
        "PATH": "/usr/bin:/bin",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)  # noqa: S603
    assert migrated.returncode == 0, migrated.stderr
    checked = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", CHECK], **run)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    # The first page, one past the end (its way back is before the cursor), one before the start.
    assert checked.stdout.split("\n")[:3] == ["0 None None", "0 14000.3 None", "0 None None"]
