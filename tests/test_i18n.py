"""Every user-facing string is translated, and the committed catalogue is the compiled one."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def msgids(po_text: str) -> set[str]:

    ids = set()
    for block in po_text.split("\n\n"):
        if "#~" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            ids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    ids.discard("")
    return ids


def test_no_entry_is_untranslated_or_fuzzy():
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds no string the committed catalogue lacks."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__")
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-i", "tests/*"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids((copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    committed = msgids(PO.read_text(encoding="utf-8"))
    assert fresh - committed == set(), "run makemessages and translate the new strings"


def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)
    with open(compiled, "rb") as fresh, open(MO, "rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog


TEMPLATES = sorted(
    p.relative_to(ROOT).as_posix() for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts
)
TRANSLATED = re.compile(r"{% *(translate|trans) .*?%}|{% *blocktranslate.*?endblocktranslate *%}", re.S)


def literal_text(template: str) -> str:
    """What a template shows that is neither translated, nor a variable, a tag or markup."""
    text = TRANSLATED.sub("", template)
    # Marked translate="no" (HTML's own attribute): the logo, the plan's R/C codes.
    text = re.sub(r'<(\w+)[^>]*translate="no"[^>]*>.*?</\1>', "", text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)
    text = re.sub(r"<[^>]*>|&[a-z]+;", "", text)
    return re.sub(r"[\W\d_]+", "", text)


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_translate_what_they_show(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    untranslated = literal_text(text)
    assert untranslated == "", f"{template} shows text outside translate tags: {untranslated[:80]}"
