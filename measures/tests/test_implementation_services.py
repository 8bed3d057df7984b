"""Implementation plans' services: saving (all or nothing, bounds, local measures and their
divisions, history, versions), submitting, the Office's decisions (told to the owners), the yearly
self-check."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core.choices import ReviewState, Role
from core.models import ChangeRecord, Notification
from core.workflow import EditConflict, WorkflowError
from measures.choices import SelfCheckStatus
from measures.models import ImplementationLine, ImplementationPlan, ImplementationTarget, SelfCheck
from measures.services.implementation import (
    MAX_LINES,
    SelfCheckInput,
    implementation_plan_accept,
    implementation_plan_reopen,
    implementation_plan_return,
    implementation_plan_submit,
    self_checks_save,
)
from tests.implementation import line, save_plan
from tests.personas import make_agency, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]


def test_a_province_saves_its_plan_with_a_local_measure_and_targets_per_division(persona):
    yunnan = persona("reporter_yn")
    record = save_plan(
        yunnan,
        [
            line(
                "2.1", "严厉打击拐卖犯罪", budget="1200000.50", years={2008: "破案100起", 2009: "破案120起"}
            ),
            line(
                "2.1",
                "边境地区联合巡逻",
                local=True,
                title="实施细则一",
                divisions=[(2009, "530100", "昆明市巡逻12次"), (2009, "533100", "德宏州巡逻24次")],
            ),
        ],
    )
    assert record.province.code == "530000" and record.state == ReviewState.DRAFT and record.version == 1
    lines = list(record.lines.order_by("seq"))
    assert [ln.kind for ln in lines] == ["action", "local_measure"]
    assert lines[0].budget == Decimal("1200000.50")
    assert sorted(t.division.code for t in lines[1].targets.all()) == ["530100", "533100"]
    assert ChangeRecord.objects.for_object(record).get().action == "created"


def test_a_negative_budget_on_the_third_line_saves_no_line(persona):
    with pytest.raises(ValidationError) as error:
        save_plan(
            persona("liaison_mps"),
            [line("2.1"), line("2.2"), line("2.3", budget="-1")],
        )
    assert "lines.2.budget" in error.value.message_dict
    assert not ImplementationPlan.objects.exists() and not ImplementationLine.objects.exists()


def test_an_edit_with_a_bad_line_leaves_the_saved_plan_as_it_was(persona):
    mps = persona("liaison_mps")
    record = save_plan(mps, [line("2.1", "原来的")])
    kept = record.lines.get()
    with pytest.raises(ValidationError) as error:
        save_plan(
            mps,
            [line("2.1", "改了", line_id=kept.pk), line("2.2", "", office="")],
            version=record.version,
        )
    assert set(error.value.message_dict) == {"lines.1.text", "lines.1.office_in_charge"}
    assert list(ImplementationLine.objects.values_list("text", flat=True)) == ["原来的"]


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        (lambda: [line("2.1", years={2013: "超出计划"})], "lines.0.targets.0.year"),
        (
            lambda: [line("2.1", local=True, divisions=[(2009, "450100", "南宁")])],
            "lines.0.targets.0.division",
        ),
        (
            lambda: [line("2.1", local=True, divisions=[(2009, "530000", "全省")])],
            "lines.0.targets.0.division",
        ),
        (lambda: [line("2.1", divisions=[(2009, "530100", "昆明")])], "lines.0.targets.0.division"),
        (lambda: [line("2.1", years={2009: "甲"}), line("2.1", budget="0.001")], "lines.1.budget"),
        (lambda: [line("2.1", title="长" * 201)], "lines.0.title"),
        (
            lambda: [line("2.1", local=True, divisions=[(2009, "530100", "甲"), (2009, "530100", "乙")])],
            "lines.0.targets.1.year",
        ),
    ],
)
def test_bad_lines_are_refused_naming_the_field(persona, lines, field):
    with pytest.raises(ValidationError) as error:
        save_plan(persona("reporter_yn"), lines())
    assert field in error.value.message_dict
    assert not ImplementationPlan.objects.exists()


def test_a_unit_adds_no_local_measure(persona):
    with pytest.raises(ValidationError) as error:
        save_plan(persona("liaison_mps"), [line("2.1", local=True)])
    assert "lines.0.kind" in error.value.message_dict


def test_a_plan_holds_a_bounded_number_of_lines(persona):
    with pytest.raises(ValidationError) as error:
        save_plan(persona("liaison_mps"), [line("2.1")] * (MAX_LINES + 1))
    assert "lines" in error.value.message_dict


def test_another_owners_line_id_is_refused(persona):
    other = save_plan(persona("liaison_mca"), [line("2.1")]).lines.get()
    with pytest.raises(ValidationError) as error:
        save_plan(persona("liaison_mps"), [line("2.1", line_id=other.pk)])
    assert "lines.0.id" in error.value.message_dict


def test_editing_keeps_the_lines_given_by_id_and_removes_the_others(persona):
    mps = persona("liaison_mps")
    record = save_plan(mps, [line("2.1", "甲", years={2009: "一"}), line("2.2", "乙")])
    first, second = record.lines.order_by("seq")
    record = save_plan(
        mps, [line("2.1", "甲改", line_id=first.pk, years={2010: "二"}), line("3.1", "丙")], version=1
    )
    assert record.version == 2
    assert ImplementationLine.objects.filter(pk=first.pk, text="甲改").exists()
    assert not ImplementationLine.objects.filter(pk=second.pk).exists()
    assert list(ImplementationTarget.objects.values_list("year", flat=True)) == [2010]
    change = ChangeRecord.objects.for_object(record).filter(action="edited").get()
    assert any("甲改" in str(values[1]) for values in change.changes.values())


def test_an_unchanged_save_adds_no_history(persona):
    mps = persona("liaison_mps")
    record = save_plan(mps, [line("2.1", "甲")])
    kept = record.lines.get()
    save_plan(mps, [line("2.1", "甲", line_id=kept.pk)], version=record.version)
    assert ChangeRecord.objects.for_object(record).count() == 1


def test_a_stale_version_is_refused(persona):
    mps = persona("liaison_mps")
    save_plan(mps, [line("2.1")])
    with pytest.raises(EditConflict):
        save_plan(mps, [line("2.2")], version=0)


def test_a_document_is_checked_as_evidence_is(persona):
    with pytest.raises(ValidationError) as error:
        save_plan(
            persona("liaison_mps"),
            [line("2.1")],
            document=SimpleUploadedFile("plan.pdf", b"not a pdf", content_type="application/pdf"),
        )
    assert "document" in error.value.message_dict
    record = save_plan(
        persona("liaison_mps"),
        [line("2.1")],
        document=SimpleUploadedFile("计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf"),
    )
    assert record.document_name == "计划.pdf" and record.document_type == "application/pdf"


def test_who_may_write_a_plan(persona):
    with pytest.raises(PermissionDenied):
        save_plan(persona("office"), [line("2.1")])
    make_agency("ATO-530100")
    with pytest.raises(PermissionDenied):  # a prefecture's reporter writes none: its province does
        save_plan(make_user("km", Role.PROVINCE, agency="ATO-530100"), [line("2.1")])
    with pytest.raises(Http404):  # the IMCS Office is responsible for measures but no member unit
        save_plan(make_user("imcs", Role.LIAISON, unit="IMCS_OFFICE"), [line("2.1")])


def test_submit_accept_return_reopen_and_the_owners_are_told(persona):
    mps, office = persona("liaison_mps"), persona("office")
    other_liaison = make_user("liaison_mps_2", Role.LIAISON, unit="MPS")
    with pytest.raises(ValidationError):  # nothing to submit yet
        save_plan(mps, [], submit=True)
    record = save_plan(mps, [line("2.1")], submit=True)
    assert record.state == ReviewState.SUBMITTED
    with pytest.raises(ValidationError) as error:
        implementation_plan_return(actor=office, record_id=record.pk, version=record.version, comment=" ")
    assert "comment" in error.value.message_dict
    record = implementation_plan_return(
        actor=office, record_id=record.pk, version=record.version, comment="补充预算"
    )
    assert record.state == ReviewState.RETURNED
    assert Notification.objects.filter(user=other_liaison, title_en__contains="returned").exists()
    assert not Notification.objects.filter(user=persona("liaison_mca")).exists()
    record = implementation_plan_submit(actor=mps, record_id=record.pk, version=record.version)
    with pytest.raises(PermissionDenied):  # only the Office decides
        implementation_plan_reopen(actor=mps, record_id=record.pk, version=record.version, comment="x")
    record = implementation_plan_accept(actor=office, record_id=record.pk, version=record.version)
    with pytest.raises(WorkflowError):  # an accepted plan is frozen
        save_plan(mps, [line("2.2")], version=record.version)
    record = implementation_plan_reopen(
        actor=office, record_id=record.pk, version=record.version, comment="年度调整"
    )
    assert record.state == ReviewState.RETURNED
    actions = list(ChangeRecord.objects.for_object(record).values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "resubmitted", "accepted", "reopened"]


def test_a_province_plans_decisions_are_told_to_its_own_reporters_only(persona):
    yunnan, office = persona("reporter_yn"), persona("office")
    make_agency("ATO-530100")
    kunming = make_user("km", Role.PROVINCE, agency="ATO-530100")
    record = save_plan(yunnan, [line("2.1")], submit=True)
    implementation_plan_return(actor=office, record_id=record.pk, version=record.version, comment="补充")
    assert Notification.objects.filter(user=yunnan).count() == 1
    assert not Notification.objects.filter(user=kunming).exists()


def test_the_yearly_self_check(persona):
    yunnan, office = persona("reporter_yn"), persona("office")
    record = save_plan(yunnan, [line("2.1")])
    ln = record.lines.get()
    with pytest.raises(WorkflowError):  # not before the Office accepts the plan
        self_checks_save(actor=yunnan, record_id=record.pk, year=2009, checks=[SelfCheckInput(ln.pk, "done")])
    implementation_plan_submit(actor=yunnan, record_id=record.pk, version=record.version)
    record = ImplementationPlan.objects.get(pk=record.pk)
    implementation_plan_accept(actor=office, record_id=record.pk, version=record.version)
    with pytest.raises(ValidationError) as error:  # 2010 has not begun on 2009-10-10
        self_checks_save(actor=yunnan, record_id=record.pk, year=2010, checks=[SelfCheckInput(ln.pk, "done")])
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        self_checks_save(
            actor=yunnan, record_id=record.pk, year=2009, checks=[SelfCheckInput(ln.pk, "perfect")]
        )
    assert f"line_{ln.pk}_status" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        self_checks_save(actor=office, record_id=record.pk, year=2009, checks=[SelfCheckInput(ln.pk, "done")])
    self_checks_save(
        actor=yunnan,
        record_id=record.pk,
        year=2009,
        checks=[SelfCheckInput(ln.pk, SelfCheckStatus.BEHIND, "缺经费")],
    )
    check = SelfCheck.objects.get()
    assert (check.year, check.status, check.note) == (2009, "behind", "缺经费")
    assert ChangeRecord.objects.for_object(record).filter(action="self_checked").count() == 1
    self_checks_save(
        actor=yunnan,
        record_id=record.pk,
        year=2009,
        checks=[SelfCheckInput(ln.pk, SelfCheckStatus.BEHIND, "缺经费")],
    )  # unchanged: no history
    assert ChangeRecord.objects.for_object(record).filter(action="self_checked").count() == 1
