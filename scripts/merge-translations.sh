#!/usr/bin/env bash
# Bring the Chinese catalogue up to date with the code, safely when several people work at once:
# 1. makemessages collects every msgid in the code into locale/zh_Hans/LC_MESSAGES/django.po;
# 2. the translations waiting in locale/pending/*.json ({"English msgid": "中文"}) fill the
#    entries that are still empty; each JSON keeps only what it could not place yet, and goes
#    when it is empty;
# 3. compilemessages writes the .mo file.
# It prints the msgids still untranslated. One run at a time (flock on locale/.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>locale/.lock
flock 9
export DEBUG=1
.venv/bin/python manage.py makemessages -l zh_Hans --no-location -i ".venv/*" -i "var/*" -i "tests/*" -v0
.venv/bin/python - <<'PY'
import json
from pathlib import Path

import polib

po_path = Path("locale/zh_Hans/LC_MESSAGES/django.po")
po = polib.pofile(str(po_path), wrapwidth=79)
entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
by_id = {}
for entry in entries.values():
    by_id.setdefault(entry.msgid, []).append(entry)
changed = False
for pending in sorted(Path("locale/pending").glob("*.json")):
    changed = True
    wanted = json.loads(pending.read_text(encoding="utf-8"))
    left = {}
    for msgid, msgstr in wanted.items():
        targets = by_id.get(msgid)
        if not targets:
            left[msgid] = msgstr
            continue
        for entry in targets:
            if isinstance(msgstr, list):  # plural: [singular, plural]
                entry.msgstr_plural = {0: msgstr[0]}
            else:
                entry.msgstr = msgstr
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    if left:
        pending.write_text(json.dumps(left, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        pending.unlink()
if changed:
    po.save(str(po_path))
missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
for msgid in missing:
    print("untranslated:", msgid)
PY
# gettext's own wrapping, so that the file reads as makemessages writes it
msgcat -o locale/zh_Hans/LC_MESSAGES/django.po locale/zh_Hans/LC_MESSAGES/django.po
.venv/bin/python manage.py compilemessages -l zh_Hans -i .venv -v0
