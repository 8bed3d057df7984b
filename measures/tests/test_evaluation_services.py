"""Evaluation rounds through the services: who may do what, a closed round is frozen, the history,
and the selector the compiled reports read (its query count pinned at two sizes)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import ChangeRecord
from core.workflow import EditConflict, WorkflowError
from measures import services
from measures.models import EvaluationRound, OfficeAssessment, Plan, Responsibility, SelfAssessment
from measures.selectors.evaluation import evaluated_measures, evaluation_rows
from tests.evaluation import NARRATIVE, office_assess, open_round, self_assess
from tests.progress import docx, measure, pdf

pytestmark = pytest.mark.django_db


def test_only_the_office_opens_a_round(persona, plan):
    for name in ("liaison_mca", "auditor", "admin", "reporter_gx"):
        with pytest.raises(PermissionDenied):
            open_round(persona(name))
    evaluation_round = open_round(persona("office"))
    assert evaluation_round.is_open and evaluation_round.opened_by == persona("office")
    assert ChangeRecord.objects.for_object(evaluation_round).get().action == "created"


def test_opening_refuses_bad_input_naming_the_field(persona, plan, english):
    office = persona("office")
    with pytest.raises(ValidationError) as error:
        services.evaluation_round_open(
            actor=office, plan=plan, kind="mid_term", title_zh="  ", title_en="",
            opens_on=dt.date(2010, 3, 1), due_on=dt.date(2010, 1, 1),
        )  # fmt: skip
    assert set(error.value.message_dict) == {"title_zh", "title_en", "due_on"}
    assert error.value.message_dict["title_en"] == ["Give the round a title in English."]
    open_round(office)
    with pytest.raises(ValidationError) as error:
        open_round(office, title="另一轮中期评估")
    assert "already open" in error.value.message_dict["kind"][0]
    assert EvaluationRound.objects.count() == 1


def test_a_liaison_saves_and_submits_with_history(persona, mid_term):
    mca = persona("liaison_mca")
    draft = self_assess(mca, mid_term, "4.2.a", rating="", submit=False, evidence=pdf("自评.pdf"))
    assert draft.submitted_at is None and draft.evidence_name == "自评.pdf"
    assert draft.evidence.name.startswith(f"evaluation/{mid_term.pk}/MCA/")
    again = self_assess(mca, mid_term, "4.2.a", rating="", submit=False, version=draft.version)
    assert again.version == draft.version  # nothing changed: no new version, no history line
    submitted = services.self_assessment_save(
        actor=mca, round_id=mid_term.pk, measure=measure("4.2.a"), rating="achieved",
        narrative=NARRATIVE, version=draft.version, submit=True,
    )  # fmt: skip
    assert submitted.submitted_at is not None
    actions = [r.action for r in ChangeRecord.objects.for_object(submitted)]
    assert actions == ["created", "edited", "submitted"]


def test_only_a_responsible_unit_assesses_a_measure(persona, mid_term, english):
    mca = persona("liaison_mca")
    for ref in ("4.4", "3.1.a"):  # MCA cooperates on 4.4; 3.1.a is not MCA's at all
        with pytest.raises(ValidationError) as error:
            self_assess(mca, mid_term, ref)
        assert "responsible" in error.value.message_dict["measure"][0]
    for name in ("office", "auditor", "reporter_gx", "case_mca"):
        with pytest.raises(PermissionDenied):
            self_assess(persona(name), mid_term, "4.2.a")
    assert not SelfAssessment.objects.exists()


def test_submitting_needs_a_rating_and_a_narrative(persona, mid_term):
    with pytest.raises(ValidationError) as error:
        self_assess(persona("liaison_mca"), mid_term, "4.2.a", rating="", narrative=" ")
    assert set(error.value.message_dict) == {"rating", "narrative"}
    assert not SelfAssessment.objects.exists()


def test_a_bad_file_saves_nothing(persona, mid_term):
    bad = docx("自评.pdf")  # a Word file that calls itself a PDF
    with pytest.raises(ValidationError) as error:
        self_assess(persona("liaison_mca"), mid_term, "4.2.a", evidence=bad)
    assert "evidence" in error.value.message_dict
    assert not SelfAssessment.objects.exists()


def test_a_submitted_self_assessment_and_a_stale_version_are_refused(persona, mid_term, english):
    mca = persona("liaison_mca")
    draft = self_assess(mca, mid_term, "4.3", submit=False)
    self_assess(mca, mid_term, "4.3", narrative="新的叙述", submit=False, version=draft.version)
    with pytest.raises(EditConflict):
        self_assess(mca, mid_term, "4.3", narrative="旧页面上的修改", submit=False, version=draft.version)
    current = SelfAssessment.objects.get()
    services.self_assessment_submit(actor=mca, assessment_id=current.pk, version=current.version)
    with pytest.raises(WorkflowError, match="was submitted on"):
        self_assess(mca, mid_term, "4.3", version=current.version + 1)
    assert SelfAssessment.objects.get().narrative == "新的叙述"


def test_office_assessment_is_the_offices_alone(persona, mid_term):
    office = persona("office")
    first = office_assess(office, mid_term, "4.2.a", rating="partly", comment="需加强")
    assert office_assess(office, mid_term, "4.2.a", rating="partly", comment="需加强", version=1).version == 1
    second = office_assess(office, mid_term, "4.2.a", rating="largely", version=first.version)
    assert second.version == 2
    with pytest.raises(EditConflict):
        office_assess(office, mid_term, "4.2.a", rating="achieved", version=1)
    with pytest.raises(ValidationError) as error:
        office_assess(office, mid_term, "4.3", rating="")
    assert "rating" in error.value.message_dict
    for name in ("liaison_mca", "auditor", "admin"):
        with pytest.raises(PermissionDenied):
            office_assess(persona(name), mid_term, "4.2.a")


def test_a_closed_round_is_frozen(persona, mid_term, english):
    mca, office = persona("liaison_mca"), persona("office")
    draft = self_assess(mca, mid_term, "4.3", submit=False)
    self_assess(mca, mid_term, "4.2.a")
    office_assess(office, mid_term, "4.2.a")
    with pytest.raises(PermissionDenied):
        services.evaluation_round_close(actor=persona("auditor"), round_id=mid_term.pk)
    closed = services.evaluation_round_close(actor=office, round_id=mid_term.pk)
    assert closed.closed_by == office and closed.closed_at is not None
    assert ChangeRecord.objects.for_object(closed).last().action == "closed"
    before = (list(SelfAssessment.objects.values()), list(OfficeAssessment.objects.values()))
    refusals = [
        lambda: self_assess(mca, mid_term, "4.3", submit=False, version=draft.version),
        lambda: self_assess(mca, mid_term, "4.2.c"),
        lambda: services.self_assessment_submit(actor=mca, assessment_id=draft.pk, version=draft.version),
        lambda: office_assess(office, mid_term, "4.2.a", rating="achieved", version=1),
        lambda: office_assess(office, mid_term, "4.3"),
        lambda: services.evaluation_round_close(actor=office, round_id=mid_term.pk),
    ]
    for refuse in refusals:
        with pytest.raises(WorkflowError) as error:
            refuse()
        assert "was closed on" in str(error.value) and "frozen" in str(error.value)
        assert mid_term.title in str(error.value)
    assert (list(SelfAssessment.objects.values()), list(OfficeAssessment.objects.values())) == before


def test_every_write_locks_the_round_before_checking_it(persona, mid_term):
    """The guarantee that no save lands in a closed round: closing and saving take the same row lock,
    so a save waits for a close in progress and then sees the round closed."""
    table = EvaluationRound._meta.db_table
    writes = [
        lambda: self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False),
        lambda: office_assess(persona("office"), mid_term, "4.3"),
        lambda: services.evaluation_round_close(actor=persona("office"), round_id=mid_term.pk),
    ]
    for write in writes:
        with CaptureQueriesContext(connection) as queries:
            write()
        assert any(
            f'FROM "{table}"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries
        )


def test_restrict_rules(persona, mid_term):
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    draft_mca = self_assess(mca, mid_term, "4.3", submit=False)
    submitted_mca = self_assess(mca, mid_term, "4.2.a")
    submitted_mps = self_assess(mps, mid_term, "3.1.a")
    office_assess(persona("office"), mid_term, "3.1.a")
    sees = {
        "liaison_mca": {draft_mca.pk, submitted_mca.pk},
        "liaison_mps": {submitted_mps.pk},
        "office": {submitted_mca.pk, submitted_mps.pk},
        "auditor": {submitted_mca.pk, submitted_mps.pk},
        "admin": {submitted_mca.pk, submitted_mps.pk},
        "reporter_gx": set(),
        "case_mca": set(),
    }
    for name, expected in sees.items():
        user = persona(name)
        assert set(SelfAssessment.objects.restrict(user).values_list("pk", flat=True)) == expected, name
        sees_rounds = name not in ("reporter_gx", "case_mca")
        assert EvaluationRound.objects.restrict(user).exists() == sees_rounds, name
        sees_office = name in ("office", "auditor", "admin")
        assert OfficeAssessment.objects.restrict(user).exists() == sees_office, name


def _fill(evaluation_round, persona, refs_by_persona):
    for name, refs in refs_by_persona.items():
        for ref in refs:
            self_assess(persona(name), evaluation_round, ref)
    for refs in refs_by_persona.values():
        for ref in refs:
            office_assess(persona("office"), evaluation_round, ref)


def test_evaluation_rows_for_reports(persona, mid_term, django_assert_num_queries):
    plan = Plan.objects.get(code="2008-2012")
    measures = list(evaluated_measures(plan))
    # Small: one submitted self-assessment, one draft (not in the rows), one Office assessment.
    self_assess(persona("liaison_mca"), mid_term, "4.2.a")
    self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False)
    office_assess(persona("office"), mid_term, "4.2.a")
    with django_assert_num_queries(3):
        rows = evaluation_rows(persona("office"), mid_term)
        [(row.measure.area.seq, [a.unit.code for a in row.self_assessments]) for row in rows]
    assert [row.measure for row in rows] == measures
    assert [(r.area.seq, r.seq) for r in measures] == sorted((r.area.seq, r.seq) for r in measures)
    by_ref = {row.measure.ref: row for row in rows}
    assert [a.unit.code for a in by_ref["4.2.a"].self_assessments] == ["MCA"]
    assert by_ref["4.2.a"].office.rating == "partly"
    assert by_ref["4.3"].self_assessments == [] and by_ref["4.3"].office is None
    # Large: every responsible unit of MCA's and MPS's measures, and the Office on all of them.
    refs = {
        name: list(
            Responsibility.objects.filter(unit__code=code, role="R")
            .exclude(measure__ref__in=["4.2.a", "4.3"])
            .values_list("measure__ref", flat=True)
        )
        for name, code in (("liaison_mca", "MCA"), ("liaison_mps", "MPS"))
    }
    _fill(mid_term, persona, refs)
    with django_assert_num_queries(3):
        rows = evaluation_rows(persona("office"), mid_term)
        [(row.measure.area.seq, [a.unit.code for a in row.self_assessments]) for row in rows]
    assert sum(len(row.self_assessments) for row in rows) == 1 + sum(len(v) for v in refs.values())
    assert sum(1 for row in rows if row.office) == 1 + sum(len(v) for v in refs.values())
