"""The loader: idempotent, all or nothing, and errors that name the entry at fault."""

import copy
import re

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, MemberUnit, Province
from agencies.services import DataFileError, SyncCounts
from measures.models import FigureDefinition, Measure, Plan, Responsibility
from measures.services import plan_load, read_data_file
from tests.factories import PLAN_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return read_data_file(PLAN_FILE)


def snapshot():
    return (
        Plan.objects.count(),
        Measure.objects.count(),
        Responsibility.objects.count(),
        MemberUnit.objects.count(),
        sorted(Measure.objects.values_list("ref", "text_zh")),
    )


def test_rerunning_changes_nothing(plan, capsys):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        call_command("load_plan")
    out = capsys.readouterr().out
    assert "Nothing changed." in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot() == before


def test_a_changed_file_updates_only_what_changed(plan, data):
    data["areas"][0]["measures"][0]["cooperating"].remove("ACWF")
    data["areas"][0]["measures"][0]["text_en"] = "Amended translation."
    counts = SyncCounts()
    plan_load(data=data, counts=counts)
    assert counts.changed == 2  # one measure updated, one responsibility deleted
    measure = Measure.objects.get(plan=plan, ref="1.1")
    assert measure.text_en == "Amended translation."
    assert not measure.responsibilities.filter(unit__code="ACWF").exists()


def bad_file(tmp_path, data, mutate):
    broken = copy.deepcopy(data)
    mutate(broken)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["areas"][1]["measures"][0]["sub_measures"][1]["cooperating"].append("NOPE"),
            "measure 2.1.b: unknown unit 'NOPE' in cooperating",
        ),
        (
            lambda d: d["areas"][2]["measures"][1].__setitem__("ref", "3.1"),
            "measure 3.1: duplicate reference",
        ),
        (lambda d: d["units"].append(dict(d["units"][3])), "duplicate unit code 'NPCLAC'"),
        (lambda d: d["targets"][0].__setitem__("measure", "9.9"), "unknown measure '9.9'"),
        (lambda d: d["areas"][0]["measures"][2].pop("text_zh"), "measure 1.3: missing 'text_zh'"),
    ],
    ids=["unknown-unit", "duplicate-ref", "duplicate-unit", "unknown-target-measure", "missing-text"],
)
def test_a_bad_file_loads_nothing_and_names_the_entry(tmp_path, data, mutate, message):
    # An empty database: the bad file must not leave the units or the plan row behind either.
    Plan.objects.all().delete()
    Responsibility.objects.all().delete()
    Agency.objects.all().delete()  # every unit has its national agency
    MemberUnit.objects.all().delete()
    data["plan"]["code"] = "broken"
    with pytest.raises(CommandError, match="Nothing loaded") as error:
        call_command("load_plan", str(bad_file(tmp_path, data, mutate)))
    assert message in str(error.value)
    assert Plan.objects.count() == 0 and MemberUnit.objects.count() == 0


def test_errors_are_found_before_anything_is_written(data):
    data["areas"][4]["measures"][4]["responsible"] = ["MPS", "NOPE"]
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(DataFileError, match="measure 5.5: unknown unit 'NOPE'"):
            plan_load(data=data)
    # Only the transaction's own savepoint statements: not one row was read or written.
    assert all(q["sql"].split()[0] in ("SAVEPOINT", "RELEASE", "ROLLBACK") for q in queries), queries


def test_a_later_plan_loads_beside_the_first(plan, data):
    later = copy.deepcopy(data)
    later["plan"].update(code="2013-2020", start_year=2013, end_year=2020, title_zh="后续计划")
    plan_load(data=later)
    assert Plan.objects.count() == 2
    assert Measure.objects.filter(plan__code="2013-2020").count() == 50
    assert Measure.objects.filter(plan=plan).count() == 50


def test_a_fresh_database_reports_created_then_unchanged(capsys):
    """Issue 10, 15: on a fresh database load_plan said the plan's figures were "updated"."""
    Plan.objects.all().delete()
    Responsibility.objects.all().delete()
    Agency.objects.all().delete()  # every unit has its national agency
    MemberUnit.objects.all().delete()
    Province.objects.all().delete()
    call_command("load_plan")
    summary = capsys.readouterr().out.splitlines()[1:-1]  # between the file's line and the total
    assert len(summary) >= 10 and all(re.fullmatch(r".+: created \d+", line) for line in summary), summary
    assert (
        Measure.objects.count() == 50
        and FigureDefinition.objects.get(code="children_placed").measures.exists()
    )
    call_command("load_plan")
    out = capsys.readouterr().out
    assert all(re.fullmatch(r".+: unchanged \d+", line) for line in out.splitlines()[1:-1]), out
    assert out.rstrip().endswith("Nothing changed.")
