"""The progress workflow through the services: every transition and every refusal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core import clock
from core.models import ChangeRecord
from core.workflow import EditConflict, WorkflowError
from measures import services
from measures.models import EvidenceFile, ProgressEntry
from tests.progress import at, docx, log_entry, measure, pdf, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison_mca(persona):
    return persona("liaison_mca")


def test_draft_submit_return_resubmit_accept(liaison_mca, office):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", figures={"children_placed": 12})
    assert entry.state == "draft" and entry.role == "R" and entry.version == 1
    entry = services.progress_entry_submit(actor=liaison_mca, entry_id=entry.pk, version=1)
    assert entry.state == "submitted" and entry.submitted_by == liaison_mca
    entry = services.progress_entry_return(
        actor=office, entry_id=entry.pk, version=entry.version, comment="请补充数据"
    )
    assert entry.state == "returned" and entry.review_comment == "请补充数据"
    entry = log_entry(
        liaison_mca, "4.2.a", "2009Q3", version=entry.version, narrative="已补充。", submit=True
    )
    assert entry.state == "submitted"
    entry = services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
    assert entry.state == "accepted" and entry.reviewed_by == office
    actions = list(ChangeRecord.objects.for_object(entry).values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "edited", "resubmitted", "accepted"]


def test_history_keeps_who_when_and_what_changed(liaison_mca):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", figures={"children_placed": 12})
    log_entry(liaison_mca, "4.2.a", "2009Q3", when="2009-10-07", version=entry.version, status="at_risk",
              figures={"children_placed": 15})  # fmt: skip
    edit = ChangeRecord.objects.for_object(entry).get(action="edited")
    assert edit.actor == liaison_mca and edit.at == at("2009-10-07")
    assert edit.changes["status"] == ["on_track", "at_risk"]
    assert edit.changes["figures.children_placed"] == [12, 15]
    lines = edit.lines({"figures.children_placed": "妥善安置被解救儿童（人）"})
    assert ("状态", "按计划推进", "存在风险") in lines
    assert ("妥善安置被解救儿童（人）", 12, 15) in lines
    created = ChangeRecord.objects.for_object(entry).get(action="created")
    assert set(created.changes) == {"status", "narrative", "figures.children_placed"}  # nothing empty


def test_saving_without_change_records_nothing(liaison_mca):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3")
    log_entry(liaison_mca, "4.2.a", "2009Q3", version=entry.version)
    assert ChangeRecord.objects.for_object(entry).count() == 1


def test_cooperating_unit_reports_a_contribution_without_status(liaison_mca):
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "1.1", "2009Q3", status="on_track")
    assert "status" in error.value.message_dict
    entry = log_entry(liaison_mca, "1.1", "2009Q3", status="", narrative="配合修订法规。", submit=True)
    assert entry.role == "C" and entry.state == "submitted"


def test_submitting_needs_status_and_narrative(liaison_mca):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", status="", narrative="")
    with pytest.raises(ValidationError) as error:
        services.progress_entry_submit(actor=liaison_mca, entry_id=entry.pk, version=entry.version)
    assert set(error.value.message_dict) == {"status", "narrative"}
    assert ProgressEntry.objects.get(pk=entry.pk).state == "draft"


def test_completed_requires_evidence_and_nothing_is_saved_half_way(liaison_mca):
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", status="completed", figures={"children_placed": 3})
    assert "evidence" in error.value.message_dict
    assert not ProgressEntry.objects.exists() and not ChangeRecord.objects.exists()
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", status="completed", new_files=[pdf()])
    assert entry.evidence.count() == 1
    with pytest.raises(ValidationError):  # removing the only file of a completed measure
        log_entry(liaison_mca, "4.2.a", "2009Q3", status="completed", version=entry.version,
                  remove_file_ids=[entry.evidence.get().pk])  # fmt: skip
    assert EvidenceFile.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.pdf", b""), "is empty"),
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "not an accepted kind"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "not an accepted kind"),
        (SimpleUploadedFile("image.png", b"%PDF-1.4 pretending"), "not an accepted kind"),
        (SimpleUploadedFile("broken.docx", b"PK\x03\x04 not really a zip"), "not an accepted kind"),
    ],
    ids=["empty", "wrong-type", "content-not-pdf", "name-content-mismatch", "broken-office"],
)
def test_file_checks(liaison_mca, upload, message, english):
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", new_files=[upload])
    assert message in " ".join(error.value.message_dict["evidence"])
    assert upload.name in " ".join(error.value.message_dict["evidence"])
    assert not ProgressEntry.objects.exists()


def test_file_too_large(liaison_mca, settings, english):
    settings.EVIDENCE_MAX_BYTES = 300
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", new_files=[pdf()])
    assert "at most 300\xa0bytes" in error.value.message_dict["evidence"][0]


def same_file_as(original: SimpleUploadedFile, name: str) -> SimpleUploadedFile:
    """Another upload with the content of ``original`` under another name."""
    original.seek(0)
    return SimpleUploadedFile(name, original.read(), "application/pdf")


def test_the_same_evidence_file_twice_is_refused_naming_the_first(liaison_mca, english):
    """Issue 10, 15: the same file attached twice was listed twice. It is refused (as every bad
    file: nothing of that save is kept), and the message names the file already attached."""
    first = pdf("总结.pdf")
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", new_files=[first])
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", version=entry.version, narrative="改了",
                  new_files=[same_file_as(first, "总结（再次）.pdf"), docx()])  # fmt: skip
    assert error.value.message_dict["evidence"] == [
        "“总结（再次）.pdf” is the same file as “总结.pdf”, already attached to this entry: "
        "it is not attached twice."
    ]
    entry.refresh_from_db()
    assert entry.evidence.count() == 1 and entry.narrative != "改了"
    # Chosen twice in one go: also refused.
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.3", "2009Q3", new_files=[pdf("a.pdf"), same_file_as(pdf("a.pdf"), "b.pdf")])
    assert error.value.message_dict["evidence"] == ["“b.pdf” is the same file as “a.pdf”: choose it once."]
    # Replacing a file by the same one (remove it, attach it again) is fine.
    again = same_file_as(first, "新.pdf")
    replaced = log_entry(liaison_mca, "4.2.a", "2009Q3", version=entry.version,
                         remove_file_ids=[entry.evidence.get().pk], new_files=[again])  # fmt: skip
    assert list(replaced.evidence.values_list("original_name", flat=True)) == ["新.pdf"]
    # Another entry may hold the same document.
    other = log_entry(
        liaison_mca, "4.2.a", "2009Q2", when="2009-07-05", new_files=[same_file_as(first, "总结.pdf")]
    )
    assert other.evidence.count() == 1


def test_office_documents_are_accepted(liaison_mca):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", new_files=[docx(), pdf()])
    kinds = sorted(entry.evidence.values_list("content_type", flat=True))
    assert kinds[0] == "application/pdf" and "wordprocessingml" in kinds[1]
    stored = entry.evidence.first().file.name
    assert stored.startswith("evidence/2009Q3/MCA/") and "report" not in stored


def test_the_second_save_of_a_draft_is_refused(liaison_mca, persona):
    deputy = persona("liaison_mca")  # same unit; two browser tabs behave the same
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", narrative="第一版")
    opened_version = entry.version
    log_entry(deputy, "4.2.a", "2009Q3", version=opened_version, narrative="甲的修改")
    with pytest.raises(EditConflict) as conflict:
        log_entry(liaison_mca, "4.2.a", "2009Q3", version=opened_version, narrative="乙的修改")
    assert "after you opened it" in str(conflict.value) or "在您打开" in str(conflict.value)
    assert ProgressEntry.objects.get(pk=entry.pk).narrative == "甲的修改"


@pytest.mark.parametrize(
    ("state_path", "action"),
    [
        ([], "accept"),  # a draft cannot be accepted
        ([], "return"),
        (["submit"], "submit"),  # a submitted entry cannot be submitted again
        (["submit", "accept"], "return"),  # an accepted entry cannot be returned
        (["submit", "accept"], "submit"),
    ],
)
def test_invalid_transitions_are_refused_with_a_message(liaison_mca, office, state_path, action):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3")
    for step in state_path:
        if step == "submit":
            entry = services.progress_entry_submit(
                actor=liaison_mca, entry_id=entry.pk, version=entry.version
            )
        else:
            entry = services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
    with pytest.raises((WorkflowError, Http404)) as error:
        if action == "submit":
            services.progress_entry_submit(actor=liaison_mca, entry_id=entry.pk, version=entry.version)
        elif action == "accept":
            services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
        else:
            services.progress_entry_return(
                actor=office, entry_id=entry.pk, version=entry.version, comment="x"
            )
    if error.type is WorkflowError:
        assert entry.get_state_display() in str(error.value)
    else:  # the Office does not see drafts at all
        assert entry.state == "draft"
    assert ProgressEntry.objects.get(pk=entry.pk).state == entry.state


def test_an_accepted_entry_cannot_be_edited(liaison_mca, office):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", submit=True)
    services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
    with pytest.raises(WorkflowError, match="can no longer be changed|不能再修改"):
        log_entry(liaison_mca, "4.2.a", "2009Q3", version=entry.version + 1)


def test_returning_needs_a_comment(liaison_mca, office):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", submit=True)
    with pytest.raises(ValidationError) as error:
        services.progress_entry_return(actor=office, entry_id=entry.pk, version=entry.version, comment="  ")
    assert "comment" in error.value.message_dict


def test_only_the_office_reviews(liaison_mca, persona):
    entry = log_entry(liaison_mca, "4.2.a", "2009Q3", submit=True)
    for name in ("auditor", "liaison_mca", "admin"):
        with pytest.raises(PermissionDenied):
            services.progress_entry_accept(actor=persona(name), entry_id=entry.pk, version=entry.version)


def test_a_unit_logs_only_on_its_own_measures(persona):
    with pytest.raises(Http404):
        log_entry(persona("liaison_mps"), "4.2.a", "2009Q3")  # MPS is not on 4.(2)-a
    with pytest.raises(PermissionDenied):
        log_entry(persona("office"), "4.2.a", "2009Q3")


def test_future_periods_cannot_be_logged(liaison_mca):
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2010Q2", when="2010-01-10")
    assert "period" in error.value.message_dict


def test_late_is_judged_against_the_deadline_in_china(liaison_mca):
    on_time = log_entry(liaison_mca, "4.2.a", "2009Q3", when="2009-10-15", submit=True)  # deadline day
    with clock.travel(at("2009-10-16", 0)):
        late = services.progress_entry_save(
            actor=liaison_mca, measure=measure("4.2.c"), period=period("2009Q3"), status="on_track",
            narrative="x", figures={}, version=None, submit=True,
        )  # fmt: skip
    assert not on_time.is_late and late.is_late
    # Resubmitting after a return keeps the first submission's timeliness.
    assert late.first_submitted_at == late.submitted_at


def test_unknown_figure_and_negative_value_are_refused(liaison_mca):
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", figures={"cases_solved": 3})
    assert "figures" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        log_entry(liaison_mca, "4.2.a", "2009Q3", figures={"children_placed": -1})
    assert "figure_children_placed" in error.value.message_dict
