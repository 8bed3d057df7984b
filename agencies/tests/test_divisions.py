"""The administrative divisions: the committed editions load completely and idempotently, a later
edition renames and abolishes without deleting, a bad file loads nothing and names the line, and a
division is found by code, Chinese name and pinyin."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.choices import DivisionLevel
from agencies.models import Agency, Division, MemberUnit
from agencies.services import SyncCounts
from agencies.services.divisions import edition_load, edition_read

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "divisions"


def test_every_level_of_all_31_provinces_is_loaded(plan):
    current = Division.objects.current()
    assert current.filter(level=DivisionLevel.PROVINCE).count() == 31
    assert 300 < current.filter(level=DivisionLevel.PREFECTURE).count() < 350
    assert 2800 < current.filter(level=DivisionLevel.COUNTY).count() < 2900
    wuhua = Division.objects.get(code="530102")
    assert (wuhua.name_zh, wuhua.name_en, wuhua.parent.code, wuhua.parent.parent.code) == (
        "五华区", "Wuhua Qu", "530100", "530000",
    )  # fmt: skip
    # Nothing in the tree is orphaned: every division but a province has one above it, of a higher level.
    assert not Division.objects.exclude(level=DivisionLevel.PROVINCE).filter(parent__isnull=True).exists()
    assert not Division.objects.filter(level=DivisionLevel.PROVINCE, parent__isnull=False).exists()


def test_loading_again_writes_nothing(plan):
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("load_divisions", stdout=out)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == [] and "Nothing changed." in out.getvalue()


def test_the_later_edition_renames_and_abolishes_but_deletes_nothing(plan):
    # 2013: 襄樊市 is 襄阳市 (same code), 崇文区 and 宣武区 are gone (merged into 东城区 and 西城区).
    xiangyang = Division.objects.get(code="420600")
    assert xiangyang.name_zh == "襄阳市" and xiangyang.abolished_in is None
    assert xiangyang.former_names == [{"until_edition": 2013, "name_zh": "襄樊市", "name_en": "Xiangfan Shi"}]
    chongwen = Division.objects.get(code="110103")
    assert (chongwen.name_zh, chongwen.abolished_in, chongwen.first_edition) == ("崇文区", 2013, 2008)
    assert chongwen not in Division.objects.current() and chongwen not in Division.objects.current().search(
        "崇文"
    )
    # An agency at an abolished division still stands, and so does its division.
    agency = Agency.objects.create(
        code="MCA-110103", kind="unit_office", unit=MemberUnit.objects.get(code="MCA"), division=chongwen,
        name_zh="崇文区民政局", name_en="Chongwen District Civil Affairs Bureau",
    )  # fmt: skip
    assert agency.province.code == "110000"
    call_command("load_divisions", stdout=io.StringIO())
    assert Division.objects.filter(code="110103").exists()


def test_an_older_edition_after_a_newer_one_is_left_alone(plan):
    counts = SyncCounts()
    assert edition_load(rows=edition_read(DATA / "gb2260-2008.csv"), edition=2008, counts=counts) is False
    assert Division.objects.get(code="420600").name_zh == "襄阳市"
    assert counts.changed == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "53010,昆明,Kunming Shi,prefecture,530000",
            "line 3: code '53010' is not a six-digit GB/T 2260 code",
        ),
        ("530100,昆明市,Kunming Shi,city,530000", "line 3: unknown level 'city'"),
        ("530100,,Kunming Shi,prefecture,530000", "line 3: code 530100 has no name"),
        ("530100,昆明市,Kunming Shi,prefecture,", "line 3: only a province has no division above it"),
        ("530100,昆明市,Kunming Shi,prefecture,540000", "line 3: division above '540000' is not in the file"),
        ("530000,云南省,Yunnan,province,", "line 3: code 530000 is listed twice"),
    ],
)
def test_a_bad_file_loads_nothing_and_names_the_line(plan, tmp_path, line, message):
    path = tmp_path / "gb2260-2020.csv"
    path.write_text(
        f"code,name_zh,name_en,level,parent_code\n530000,云南省,Yunnan,province,\n{line}\n", encoding="utf-8"
    )
    before = Division.objects.count(), Division.objects.current().count()
    with pytest.raises(CommandError) as error:
        call_command("load_divisions", str(path), stdout=io.StringIO())
    assert message in str(error.value)
    assert (Division.objects.count(), Division.objects.current().count()) == before


def test_a_file_with_other_columns_is_refused(plan, tmp_path):
    path = tmp_path / "gb2260-2020.csv"
    path.write_text("code,name\n530000,云南省\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_divisions", str(path), stdout=io.StringIO())
    assert "the columns must be code,name_zh,name_en,level,parent_code" in str(error.value)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("530102", "五华区"),
        ("5301", "昆明市"),
        ("昆明", "昆明市"),
        ("kunming", "昆明市"),
        ("Kunming Shi", "昆明市"),
        ("KUNMINGSHI", "昆明市"),
        ("wuhua", "五华区"),
        ("xi'an", "西安市"),
        ("襄阳", "襄阳市"),
    ],
)
def test_a_division_is_found_by_code_name_and_pinyin(plan, text, found):
    assert found in [d.name_zh for d in Division.objects.current().search(text)]


def test_nothing_is_found_for_nothing(plan):
    assert not Division.objects.search("   ").exists()


def test_under_a_division_is_its_subtree(plan):
    kunming = Division.objects.get(code="530100")
    under = Division.objects.under(kunming)
    assert under.filter(code="530102").exists() and not under.filter(code="530000").exists()
    assert not under.exclude(code__startswith="5301").exists()
