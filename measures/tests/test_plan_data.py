"""Tests that would catch a wrong plan: the loaded data against the Chinese text of the seed."""

import re
from pathlib import Path

import pytest
from django.db.models import Count

from agencies.models import MemberUnit, Province
from measures.models import Area, Measure, PlanClause, PlanMembership, Responsibility, Target

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_b23a6b091085957e.txt"


def roles(ref: str) -> tuple[list[str], list[str]]:
    measure = Measure.objects.get(plan__code="2008-2012", ref=ref)
    rows = Responsibility.objects.filter(measure=measure).select_related("unit").order_by("seq")
    return [r.unit.code for r in rows if r.role == "R"], [r.unit.code for r in rows if r.role == "C"]


def test_plan_row(plan):
    assert plan.document_number == "国办发〔2007〕69号"
    assert plan.issued_on.isoformat() == "2007-12-13"
    assert plan.in_force_from.isoformat() == "2008-01-01"
    assert (plan.start_year, plan.end_year) == (2008, 2012)


def test_counts_per_area(plan):
    counts = dict(Area.objects.filter(plan=plan).annotate(n=Count("measures")).values_list("seq", "n"))
    assert counts == {1: 5, 2: 12, 3: 8, 4: 17, 5: 8}
    assert Measure.objects.filter(plan=plan).count() == 50
    top = Measure.objects.filter(plan=plan, parent__isnull=True).values_list("ref", flat=True)
    assert list(top) == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2",
        "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5.1", "5.2", "5.3", "5.4", "5.5",
    ]  # fmt: skip


def test_member_units_in_order_of_part_three(plan):
    members = PlanMembership.objects.filter(plan=plan, is_member=True).order_by("seq")
    names = list(members.values_list("name_zh", flat=True))
    assert names == (
        "公安部、中央宣传部、中央综治办、全国人大常委会法工委、外交部、发展改革委、教育部、民政部、司法部、"
        "财政部、人事部、劳动保障部、铁道部、交通部、农业部、商务部、文化部、卫生部、人口计生委、工商总局、"
        "民航总局、广电总局、法制办、妇儿工委办公室、扶贫办、全国总工会、共青团中央、全国妇联"
    ).split("、")
    assert list(members.filter(is_lead=True).values_list("unit__code", flat=True)) == ["MPS"]
    office = MemberUnit.objects.get(code="IMCS_OFFICE")
    assert not office.is_member and office.name_zh == "联席会议办公室"


def test_every_member_unit_appears_in_some_measure(plan):
    members = PlanMembership.objects.filter(plan=plan, is_member=True).values("unit")
    idle = MemberUnit.objects.filter(pk__in=members).exclude(responsibilities__measure__plan=plan)
    assert list(idle) == []


def test_measures_with_several_responsible_units(plan):
    several = (
        Measure.objects.filter(plan=plan, responsibilities__role="R")
        .annotate(n=Count("responsibilities"))
        .filter(n__gt=1)
        .values_list("ref", flat=True)
    )
    assert set(several) == {"2.2.b", "2.2.c", "3.1.d", "4.1.a", "4.1.c"}
    assert roles("2.2.b") == (["MOR", "MOC", "CAAC"], ["MPS", "MOJ", "CYL", "ACWF"])
    assert roles("2.2.c") == (["MOJ", "MPS"], [])


def test_measures_without_a_parenthesis_of_their_own(plan):
    bare = Measure.objects.filter(plan=plan, responsibilities__isnull=True).values_list("ref", flat=True)
    assert sorted(bare) == ["3.1", "4.1", "4.2", "5.4"]
    for ref in bare:
        assert Measure.objects.get(plan=plan, ref=ref).sub_measures.count() >= 3


def test_chinese_unit_lists_where_the_english_errs(plan):
    # 5.(5): the English garbles it; the Chinese says 公安部负责,外交部、商务部配合.
    assert roles("5.5") == (["MPS"], ["MFA", "MOFCOM"])
    assert roles("1.1") == (["LAO"], ["NPCLAC", "MPS", "MCA", "MOLSS", "CYL", "ACWF"])
    assert roles("1.5") == (["IMCS_OFFICE"], [])
    assert roles("2.3") == (["IMCS_OFFICE"], [])
    assert roles("4.4") == (["MPS"], ["MCA", "ACWF"])


def test_dated_milestone_of_2_3_and_the_2007_baseline(plan):
    milestone = Target.objects.get(plan=plan, measure__ref="2.3")
    assert milestone.kind == "milestone" and milestone.due_on.isoformat() == "2008-12-31"
    assert "到2008年底" in milestone.text_zh and "合作意向书" in milestone.text_zh
    assert "2008" in milestone.text_en
    ratio = Target.objects.get(plan=plan, indicator="solved_to_reported_ratio")
    assert ratio.baseline_year == 2007 and ratio.due_on.isoformat() == "2012-12-31"
    assert Target.objects.filter(plan=plan, indicator="assisted_share", due_on__isnull=True).exists()


def test_plan_clauses(plan):
    kinds = dict(PlanClause.objects.filter(plan=plan).values_list("kind").annotate(n=Count("id")))
    assert kinds["strategic_measure"] == 8
    assert kinds["imcs_function"] == 5
    assert kinds["implementation"] == 2
    assert PlanClause.objects.get(plan=plan, kind="strategic_measure", seq=6).text_zh.startswith(
        "建立全国反拐信息系统"
    )


def test_provinces(plan):
    assert Province.objects.count() == 31
    assert Province.objects.get(code="450000").name_zh == "广西壮族自治区"
    assert Province.objects.get(code="650000").kind == "autonomous_region"
    assert Province.objects.filter(kind="municipality").count() == 4


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the repository")
def test_every_chinese_text_is_verbatim_from_the_seed(plan):
    chinese = SEED.read_text(encoding="utf-8").split("国务院办公厅关于印发", 1)[1]
    flat = re.sub(r"\s+", "", chinese)
    for measure in Measure.objects.filter(plan=plan):
        assert re.sub(r"\s+", "", measure.text_zh) in flat, measure.ref
        if measure.units_zh:
            assert f"({measure.units_zh})" in flat, measure.ref
    for area in Area.objects.filter(plan=plan):
        assert re.sub(r"\s+", "", area.objective_zh) in flat, area.seq
        assert area.title_zh in flat


def test_units_zh_agrees_with_the_responsibilities(plan):
    """The codes were transcribed from the parenthesis: check them against its Chinese names."""
    names = dict(MemberUnit.objects.values_list("code", "name_zh"))
    for measure in Measure.objects.filter(plan=plan).exclude(units_zh=""):
        responsible, cooperating = roles(measure.ref)
        text = "、".join(names[c] for c in responsible) + "负责"
        if cooperating:
            text += "," + "、".join(names[c] for c in cooperating) + "配合"
        assert measure.units_zh == text, measure.ref
