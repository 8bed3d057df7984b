"""Member units per plan and their lineage (issue 12 point 5): the March 2008 restructuring loaded
with the 2008–2012 plan, the rule of which unit answers in a period, progress logged by the
successor under both names, open drafts passing with their history, and a second plan that
changes nothing of the first."""

import copy
import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency, MemberUnit
from agencies.services import DataFileError, SyncCounts
from core.choices import Role
from core.models import ChangeRecord
from measures import services
from measures.choices import ResponsibilityRole
from measures.models import PlanMembership, ProgressEntry, Responsibility, UnitChange
from measures.selectors.lineage import Lineage, Step, formerly
from measures.selectors.progress import my_measures
from measures.services import plan_load, read_data_file, unit_changes_apply
from tests.factories import PLAN_FILE
from tests.personas import make_user
from tests.progress import at, log_entry, measure, period

pytestmark = pytest.mark.django_db

SYNTHETIC = Path(__file__).resolve().parent / "data" / "synthetic-2013-2020.yaml"
MOLSS_OWN = ["2.2.a", "3.1.d", "5.4.c"]  # 劳动保障部 responsible (2.2.a with 人事部 cooperating)


def unit(code: str) -> MemberUnit:
    return MemberUnit.objects.get(code=code)


@pytest.fixture
def liaison_mohrss(plan):
    return make_user("liaison_mohrss", Role.LIAISON, agency="MOHRSS")


@pytest.fixture
def liaison_molss(plan):
    return make_user("liaison_molss", Role.LIAISON, agency="MOLSS")


# Loading ----------------------------------------------------------------------------------------
def test_the_restructuring_is_loaded_with_the_plan_and_the_membership_stays_as_written(plan):
    memberships = PlanMembership.objects.filter(plan=plan)
    assert memberships.count() == 29 and memberships.filter(is_member=True).count() == 28
    assert not memberships.filter(unit__code__in=["MOHRSS", "MOT", "CAACB"]).exists()
    assert memberships.get(unit__code="MPS").is_lead
    # The successors are units with their national agency, named as they were named from 2008.
    assert unit("MOHRSS").name_zh == "人力资源社会保障部"
    assert Agency.objects.get(code="MOHRSS").unit == unit("MOHRSS")
    steps = set(
        UnitChange.objects.filter(plan=plan).values_list("predecessor__code", "successor__code", "kind")
    )
    assert steps == {
        ("MOP", "MOHRSS", "merge"),
        ("MOLSS", "MOHRSS", "merge"),
        ("MOC", "MOT", "rename"),
        ("CAAC", "CAACB", "rename"),
    }
    assert set(UnitChange.objects.values_list("on", flat=True)) == {dt.date(2008, 3, 15)}


def test_loading_twice_changes_nothing(plan):
    counts = SyncCounts()
    with CaptureQueriesContext(connection) as queries:
        plan_load(data=read_data_file(PLAN_FILE), counts=counts)
    assert counts.changed == 0, counts.summary()
    assert not [q for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]


# The rule ---------------------------------------------------------------------------------------
def test_mohrss_answers_for_molss_and_mop_in_2009(plan):
    lineage = Lineage.of_plan(plan)
    molss, mop, mohrss = unit("MOLSS"), unit("MOP"), unit("MOHRSS")
    q3 = period("2009Q3")
    answered = lineage.answered_by(mohrss.pk, q3)
    own = set(
        Responsibility.objects.filter(measure__plan=plan, unit__in=[molss, mop]).values_list(
            "measure__ref", flat=True
        )
    )
    assert {a.responsibility.measure.ref for a in answered.values()} == own and len(own) == 10
    # 2.2.a: 劳动保障部 responsible and 人事部 cooperating: answered once, as responsible.
    a = answered[measure("2.2.a").pk]
    assert a.role == ResponsibilityRole.RESPONSIBLE and a.former_id == molss.pk
    assert lineage.answered_by(molss.pk, q3) == {} and lineage.answered_by(mop.pk, q3) == {}
    # 2.2.b: 交通部 and 民航总局 both responsible, now 交通运输部 and 中国民用航空局.
    responsible = [a for a in lineage.answers_for_measure(measure("2.2.b").pk, q3) if a.role == "R"]
    assert [(a.unit_id, a.former_id) for a in responsible] == [
        (unit("MOR").pk, None),
        (unit("MOT").pk, unit("MOC").pk),
        (unit("CAACB").pk, unit("CAAC").pk),
    ]
    # Units not changed answer for themselves.
    assert lineage.answering(unit("MCA").pk, measure("4.2.c").pk, q3) == unit("MCA").pk


def test_a_period_that_ends_on_or_after_the_change_belongs_to_the_successor(plan):
    lineage = Lineage.of_plan(plan)
    molss, mohrss, ref = unit("MOLSS").pk, unit("MOHRSS").pk, measure("5.4.c").pk
    # This plan has no period ending before 2008-03-15 (2008 Q1 ends 03-31): say the day itself.
    assert lineage.answering(molss, ref, dt.date(2008, 3, 14)) == molss
    assert lineage.answering(molss, ref, dt.date(2008, 3, 15)) == mohrss
    assert lineage.answering(molss, ref, period("2008Q1")) == mohrss  # ends 2008-03-31


def test_chains_follow_each_step_in_date_order_and_a_split_takes_only_its_measures():
    on_2008, on_2013 = dt.date(2008, 3, 15), dt.date(2013, 3, 14)
    steps = [
        Step(1, 2, on_2008, "rename", frozenset(), None),
        Step(2, 3, on_2013, "merge", frozenset(), None),
        Step(3, 4, on_2013, "split", frozenset({10}), None),
        Step(3, 5, on_2013, "split", frozenset({11}), None),
    ]
    lineage = Lineage(plan=0, steps=steps, responsibilities=[])
    assert lineage.answering(1, 10, dt.date(2008, 1, 1)) == 1
    assert lineage.answering(1, 10, dt.date(2010, 1, 1)) == 2
    assert lineage.answering(1, 10, dt.date(2013, 3, 31)) == 4  # 1 → 2 → 3 → 4 (measure 10)
    assert lineage.answering(1, 11, dt.date(2013, 3, 31)) == 5
    assert lineage.answering(1, 12, dt.date(2013, 3, 31)) == 3  # listed by no split: stays with 3
    assert lineage.predecessors(3) == {1, 2} and lineage.predecessors(1) == set()
    # A step dated before the step that led to the unit is not followed back in time.
    early = Lineage(
        plan=0,
        steps=[
            Step(1, 2, on_2013, "rename", frozenset(), None),
            Step(2, 3, on_2008, "rename", frozenset(), None),
        ],
        responsibilities=[],
    )
    assert early.answering(1, 10, dt.date(2014, 1, 1)) == 2
    assert early.answering(2, 10, dt.date(2014, 1, 1)) == 3


# Progress logged by the successor ------------------------------------------------------------
def test_a_mohrss_liaison_logs_molss_measures_in_2009_and_the_office_sees_both_names(
    liaison_mohrss, liaison_molss, client_as, client, office
):
    rows = my_measures(liaison_mohrss, measure("5.4.c").plan, period("2009Q3"))
    assert {r.measure.ref for r in rows} >= set(MOLSS_OWN) and len(rows) == 10
    assert {r.former.code for r in rows} == {"MOLSS"}  # 2.2.a answered for 劳动保障部, the stronger role
    entry = log_entry(liaison_mohrss, "5.4.c", "2009Q3", submit=True)
    assert entry.unit.code == "MOHRSS" and entry.role == ResponsibilityRole.RESPONSIBLE
    assert entry.state == "submitted"
    coop = log_entry(liaison_mohrss, "1.1", "2009Q3", status="", narrative="配合。")
    assert coop.role == ResponsibilityRole.COOPERATING

    # The predecessor's liaison cannot log for a period its successor answers for.
    with pytest.raises(Http404):
        log_entry(liaison_molss, "5.4.c", "2009Q3")
    client.force_login(liaison_molss)
    edit = reverse("measures:entry_edit", kwargs={"plan": "2008-2012", "period": "2009Q3", "ref": "5.4.c"})
    assert client.get(edit).status_code == 404
    page = client.get(reverse("measures:my_measures") + "?period=2009Q3")
    assert page.context["rows"] == [] and "人力资源社会保障部" in page.content.decode()

    inbox = client_as("office").get(reverse("measures:review_inbox") + "?period=2009Q3").content.decode()
    assert "人力资源社会保障部（原劳动保障部）" in inbox
    shown = client_as("office").get(reverse("measures:entry", kwargs={"pk": entry.pk})).content.decode()
    assert "人力资源社会保障部（原劳动保障部）" in shown
    with translation.override("en"):
        assert formerly(unit("MOHRSS"), unit("MOLSS")) == (
            "Ministry of Human Resources and Social Security "
            "(formerly Ministry of Labour and Social Security)"
        )
    side = client_as("office").get(
        reverse("measures:measure_period", kwargs={"plan": "2008-2012", "period": "2009Q3", "ref": "5.4.c"})
    )
    assert [(r.unit.code, r.former and r.former.code) for r in side.context["rows"]][0] == ("MOHRSS", "MOLSS")
    assert "人力资源社会保障部（原劳动保障部）" in side.content.decode()


def test_the_mohrss_liaison_pages(liaison_mohrss, client):
    client.force_login(liaison_mohrss)
    page = client.get(reverse("measures:my_measures") + "?period=2009Q3")
    assert page.status_code == 200 and "人力资源社会保障部（原劳动保障部）" in page.content.decode()
    form = client.get(
        reverse("measures:entry_edit", kwargs={"plan": "2008-2012", "period": "2009Q3", "ref": "2.2.a"})
    )
    assert form.status_code == 200 and form.context["role"] == "R" and form.context["former"].code == "MOLSS"


def test_successors_read_what_units_on_the_predecessors_measures_published(persona, liaison_mohrss):
    mps = persona("liaison_mps")
    entry = log_entry(mps, "3.1.d", "2009Q3", submit=True)  # 公安部 with 劳动保障部 responsible
    assert ProgressEntry.objects.restrict(liaison_mohrss).filter(pk=entry.pk).exists()
    moe = make_user("liaison_moe", Role.LIAISON, agency="MOE")  # not on 3.1.d
    assert not ProgressEntry.objects.restrict(moe).filter(pk=entry.pk).exists()
    mine = log_entry(liaison_mohrss, "3.1.d", "2009Q3", submit=True)
    assert ProgressEntry.objects.restrict(mps).filter(pk=mine.pk).exists()


def test_the_service_refuses_a_user_who_is_no_liaison(office):
    with pytest.raises(PermissionDenied):
        log_entry(office, "5.4.c", "2009Q3")


# Open work passes ---------------------------------------------------------------------------
def test_open_drafts_pass_to_the_successor_with_history_and_sent_entries_stay(plan, office, client):
    molss, mop = unit("MOLSS"), unit("MOP")
    stamps = {"created_at": at("2009-07-01"), "updated_at": at("2009-07-01")}
    # As if written before the change was loaded: drafts and a submitted entry of the old units.
    draft = ProgressEntry.objects.create(
        measure=measure("5.4.c"),
        unit=molss,
        period=period("2009Q2"),
        role="R",
        narrative="草稿",
        updated_by=office,
        **stamps,
    )
    returned = ProgressEntry.objects.create(
        measure=measure("4.3"),
        unit=molss,
        period=period("2009Q1"),
        role="C",
        narrative="退回",
        state="returned",
        updated_by=office,
        **stamps,
    )
    sent = ProgressEntry.objects.create(
        measure=measure("3.1.d"), unit=molss, period=period("2009Q1"), role="R", status="on_track",
        narrative="已报", state="submitted", updated_by=office, **stamps,
    )  # fmt: skip
    mop_draft = ProgressEntry.objects.create(
        measure=measure("2.2.a"),
        unit=mop,
        period=period("2009Q2"),
        role="C",
        narrative="人事部草稿",
        updated_by=office,
        **stamps,
    )
    assert unit_changes_apply(plan=plan) == 3
    draft.refresh_from_db(), returned.refresh_from_db(), sent.refresh_from_db(), mop_draft.refresh_from_db()
    assert (draft.unit.code, returned.unit.code, sent.unit.code) == ("MOHRSS", "MOHRSS", "MOLSS")
    assert draft.version == 2
    record = ChangeRecord.objects.for_object(draft).get()
    assert record.changes == {"unit": ["劳动保障部", "人力资源社会保障部"]} and "2008-03-15" in record.comment
    # 2.2.a: 人事部's cooperating draft becomes the successor's, answering in the stronger role.
    assert mop_draft.unit.code == "MOHRSS" and mop_draft.role == "R"
    assert ChangeRecord.objects.for_object(mop_draft).get().changes == {
        "unit": ["人事部", "人力资源社会保障部"],
        "role": ["C", "R"],
    }
    assert unit_changes_apply(plan=plan) == 0  # idempotent
    # The successor's liaison goes on with the moved draft.
    liaison = make_user("liaison_mohrss", Role.LIAISON, agency="MOHRSS")
    client.force_login(liaison)  # the draft is now the successor's, with the move in its history
    history = client.get(reverse("measures:entry", kwargs={"pk": draft.pk})).content.decode()
    assert "计划数据（成员单位变更）" in history and "劳动保障部" in history
    entry = log_entry(liaison, "5.4.c", "2009Q2", version=draft.version, submit=True)
    assert entry.pk == draft.pk and entry.state == "submitted"


# The second plan ----------------------------------------------------------------------------
def main_of(client, url: str) -> str:
    """The page's own content (the top bar links the newest plan and carries a fresh CSRF token)."""
    html = client.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def first_plan_state(client):
    plan_units = list(
        PlanMembership.objects.filter(plan__code="2008-2012")
        .order_by("unit__code")
        .values_list("unit__code", "seq", "name_zh", "name_en", "is_member", "is_lead")
    )
    units = list(
        MemberUnit.objects.order_by("code").values_list("code", "seq", "name_zh", "name_en", "is_member")
    )
    responsibilities = sorted(
        Responsibility.objects.filter(measure__plan__code="2008-2012").values_list(
            "measure__ref", "unit__code", "role", "seq"
        )
    )
    entries = sorted(ProgressEntry.objects.values_list("pk", "unit__code", "measure__ref", "role", "state"))
    changes = sorted(
        UnitChange.objects.filter(plan__code="2008-2012").values_list(
            "pk", "predecessor__code", "successor__code", "on"
        )
    )
    page = main_of(client, reverse("measures:units", kwargs={"plan": "2008-2012"}))
    measure_page = main_of(client, reverse("measures:measure", kwargs={"plan": "2008-2012", "ref": "5.4.c"}))
    return (
        plan_units,
        [u for u in units if u[0] not in ("NHFPC", "SAPPRFT", "NRA", "GAPP")],
        responsibilities,
        entries,
        changes,
        page,
        measure_page,
    )


def test_a_second_plan_with_renames_and_mergers_changes_nothing_of_the_first(plan, liaison_mohrss, client_as):
    log_entry(liaison_mohrss, "5.4.c", "2009Q3", submit=True)
    client = client_as("office")
    before = first_plan_state(client)
    counts = SyncCounts()
    second = plan_load(data=read_data_file(SYNTHETIC), counts=counts)
    after = first_plan_state(client)
    assert after == before

    # The second plan has its own membership, names as it wrote them; the units keep theirs.
    mot = PlanMembership.objects.get(plan=second, unit__code="MOT")
    assert (
        mot.name_en == "Ministry of Transport of the PRC" and unit("MOT").name_en == "Ministry of Transport"
    )
    assert PlanMembership.objects.filter(plan=second).count() == 9
    assert unit("GAPP").name_zh == "新闻出版总署"  # a unit new with the second plan
    # Its changes pass its own measures: 2013 Q1 (ends 03-31) belongs to the successors.
    lineage = Lineage.of_plan(second)
    q1 = second.periods.get(year=2013, quarter=1)
    m = {x.ref: x.pk for x in second.measures.all()}
    assert lineage.answering(unit("MOH").pk, m["1.1"], q1) == unit("NHFPC").pk
    assert lineage.answering(unit("GAPP").pk, m["1.4"], q1) == unit("SAPPRFT").pk
    assert lineage.answering(unit("MOR").pk, m["1.2"], q1) == unit("NRA").pk  # the split
    assert lineage.answering(unit("MOR").pk, m["1.3"], q1) == unit("MOT").pk
    # 1.4: 广电总局 and 新闻出版总署 both responsible: one successor answers, once.
    assert [(a.unit_id, a.role) for a in lineage.answers_for_measure(m["1.4"], q1) if a.role == "R"] == [
        (unit("SAPPRFT").pk, "R")
    ]
    # The first plan's rule is untouched by the second plan's changes, even for a 2013 day.
    first = Lineage.of_plan(plan)
    assert first.answering(unit("MOH").pk, measure("3.1.d").pk, dt.date(2013, 6, 30)) == unit("MOH").pk
    # Loading it again changes nothing; loading the first again neither.
    again = SyncCounts()
    plan_load(data=read_data_file(SYNTHETIC), counts=again)
    plan_load(data=read_data_file(PLAN_FILE), counts=again)
    assert again.changed == 0, again.summary()
    assert first_plan_state(client) == before


# Pages ----------------------------------------------------------------------------------------
def test_the_unit_list_reads_the_plans_membership_and_shows_the_changes(client_as):
    page = client_as("office").get(reverse("measures:units", kwargs={"plan": "2008-2012"}))
    html = page.content.decode()
    members = page.context["members"]
    assert [r.unit.code for r in members][:2] == ["MPS", "CPD"] and members[-1].unit.code == "IMCS_OFFICE"
    assert [r.unit.code for r in members if r.membership.is_lead] == ["MPS"]
    assert html.count("badge-lead") == 1
    assert "Changes of member units" in html or "成员单位变更" in html
    changes = page.context["changes"]
    assert [(c.predecessor.code, c.successor.code) for c in changes] == [
        ("MOP", "MOHRSS"),
        ("MOLSS", "MOHRSS"),
        ("MOC", "MOT"),
        ("CAAC", "CAACB"),
    ]
    assert "第十一届全国人民代表大会第一次会议" in html


def test_unit_and_measure_pages_name_the_successor_and_the_old_unit(client_as):
    client = client_as("office")
    mohrss = client.get(reverse("measures:unit", kwargs={"plan": "2008-2012", "unit": "MOHRSS"}))
    assert [m.ref for m in mohrss.context["responsible"]] == MOLSS_OWN
    assert len(mohrss.context["cooperating"]) == 7
    molss = client.get(reverse("measures:unit", kwargs={"plan": "2008-2012", "unit": "MOLSS"}))
    assert [m.ref for m in molss.context["responsible"]] == MOLSS_OWN
    assert "人力资源社会保障部" in molss.content.decode()
    page = client.get(
        reverse("measures:measure", kwargs={"plan": "2008-2012", "ref": "5.4.c"})
    ).content.decode()
    assert "人力资源社会保障部（原劳动保障部）" in page and "交通运输部（原交通部）" in page


# Loader errors -------------------------------------------------------------------------------
@pytest.fixture
def data():
    return copy.deepcopy(read_data_file(PLAN_FILE))


def _first_change(d):
    return d["unit_changes"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: _first_change(d).__setitem__("to", "NOPE"),
            "unit_changes[1] (2008-03-15 merge MOP, MOLSS → NOPE): unknown unit 'NOPE'",
        ),
        (
            lambda d: _first_change(d)["from"].append("NOPE"),
            "unit_changes[1] (2008-03-15 merge MOP, MOLSS, NOPE → MOHRSS): unknown unit 'NOPE'",
        ),
        (
            lambda d: d["unit_changes"][1].__setitem__("to", "MOC"),
            "unit_changes[2] (2008-03-15 rename MOC → MOC): 'MOC' cannot change into itself",
        ),
        (
            lambda d: _first_change(d).__setitem__("date", "2008-13-15"),
            "unit_changes[1] (2008-13-15 merge MOP, MOLSS → MOHRSS): date: '2008-13-15' is not a date",
        ),
        (
            lambda d: _first_change(d).pop("date"),
            "unit_changes[1] (None merge MOP, MOLSS → MOHRSS): missing 'date'",
        ),
        (
            lambda d: _first_change(d).__setitem__("kind", "absorb"),
            "unknown kind 'absorb' (rename, merge or split)",
        ),
        (
            lambda d: d["unit_changes"][1]["from"].append("CAAC"),
            "unit_changes[2] (2008-03-15 rename MOC, CAAC → MOT): a rename has exactly one unit in 'from'",
        ),
        (
            lambda d: d["unit_changes"].append(
                {
                    "date": "2008-03-15",
                    "kind": "split",
                    "from": ["MOR"],
                    "to": [{"unit": "MOT"}],
                    "source_zh": "x",
                    "source_en": "x",
                }
            ),
            "unit_changes[4] (2008-03-15 split MOR → MOT): successor 'MOT' lists no measures",
        ),
        (
            lambda d: d["unit_changes"].append(
                {
                    "date": "2008-03-15",
                    "kind": "split",
                    "from": ["MOR"],
                    "to": [{"unit": "MOT", "measures": ["1.1"]}],
                    "source_zh": "x",
                    "source_en": "x",
                }
            ),
            "measure '1.1' is not one of MOR's measures",
        ),
        (
            lambda d: d["unit_changes"].append(copy.deepcopy(d["unit_changes"][1])),
            "unit_changes[4] (2008-03-15 rename MOC → MOT): MOC → MOT is stated twice",
        ),
        (
            lambda d: _first_change(d).pop("source_en"),
            "unit_changes[1] (2008-03-15 merge MOP, MOLSS → MOHRSS): missing 'source_en'",
        ),
        (
            lambda d: d["successor_units"].append({"code": "MOP", "name_zh": "x", "name_en": "x"}),
            "successor_units[4] (MOP): already a unit of the plan's membership",
        ),
    ],
    ids=[
        "unknown-successor",
        "unknown-predecessor",
        "to-itself",
        "bad-date",
        "no-date",
        "unknown-kind",
        "rename-of-two",
        "split-without-measures",
        "split-foreign-measure",
        "twice",
        "no-source",
        "successor-is-member",
    ],
)
def test_a_bad_change_loads_nothing_and_names_the_entry(plan, data, mutate, message):
    mutate(data)
    before = sorted(
        UnitChange.objects.values_list("pk", "predecessor__code", "successor__code", "kind", "on")
    )
    with pytest.raises(DataFileError) as error:
        plan_load(data=data)
    assert message in str(error.value)
    assert (
        sorted(UnitChange.objects.values_list("pk", "predecessor__code", "successor__code", "kind", "on"))
        == before
    )


def test_a_plan_made_from_another_plans_file_states_its_changes_for_itself(plan, data):
    data["plan"].update(code="later", start_year=2013, end_year=2014)
    later = plan_load(data=data)
    assert UnitChange.objects.filter(plan=later).count() == UnitChange.objects.filter(plan=plan).count() == 4


# Demo ---------------------------------------------------------------------------------------------
def test_the_demo_has_2009_progress_on_molss_measures_logged_by_mohrss(plan, office):
    from agencies.models import User
    from measures.demo import create_demo_progress

    assert create_demo_progress(password="demo-password-1") > 0
    liaison = User.objects.get(username="liaison.mohrss")
    assert liaison.agency.code == "MOHRSS" and liaison.role == Role.LIAISON
    entries = ProgressEntry.objects.filter(unit__code="MOHRSS", period__year=2009)
    assert entries.filter(measure__ref__in=MOLSS_OWN, submitted_by=liaison).exists()
    assert entries.filter(state="accepted").exists()
    assert not ProgressEntry.objects.filter(unit__code__in=["MOLSS", "MOP"]).exists()


# Compiled reports ---------------------------------------------------------------------------------
def test_compiled_reports_name_the_successor_and_the_old_unit(liaison_mohrss, office, plan):
    from reports.choices import JobKind
    from reports.services.compiled.sections import measure_lines, measures_section, overdue_section
    from reports.services.compiled.spec import ReportSpec

    entry = log_entry(liaison_mohrss, "5.4.c", "2009Q3", submit=True)
    services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
    spec = ReportSpec(JobKind.QUARTERLY_REPORT, plan, period("2009Q3"), "zh-hans")
    with translation.override("zh-hans"):
        lines = measure_lines(spec)
        line = next(x for x in lines if x.responsibility.measure.ref == "5.4.c" and x.status != "-")
        assert line.entry == entry and line.name == "人力资源社会保障部（原劳动保障部）"
        # 2.2.a: 劳动保障部 responsible, 人事部 cooperating: one line, the stronger role.
        assert [x.name for x in lines if x.responsibility.measure.ref == "2.2.a" and "人力" in x.name] == [
            "人力资源社会保障部（原劳动保障部）"
        ]
        rows = [row for table in measures_section(spec, lines).tables for row in table.rows]
        assert any(row[2] == "人力资源社会保障部（原劳动保障部）" for row in rows)
        overdue = overdue_section(spec, [period("2009Q3")], lines, dt.date(2009, 10, 20))
        names = {row[1] for table in overdue.tables for row in table.rows}
        assert "人力资源社会保障部（原劳动保障部）" in names and "劳动保障部" not in names
        # A unit's report for the successor holds the lines it answers for.
        mine = measure_lines(
            ReportSpec(JobKind.UNIT_REPORT, plan, period("2009Q3"), "zh-hans", unit=unit("MOHRSS"))
        )
        assert {x.responsibility.measure.ref for x in mine} >= set(MOLSS_OWN)
