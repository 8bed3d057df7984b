"""Every versioned write of the API refuses a missing, null, non-numeric or stale ``version``.

A write without the version last read would replace another writer's work (issue 10, point 3:
``PATCH /api/progress-entries/{id}/`` with ``"version": null`` did). Each endpoint below is sent
the four bad versions; each answer is 400 naming ``version`` (409 for a stale one) and the record
is exactly as it was. A new versioned endpoint belongs in ``ENDPOINTS``: the last test fails until
it is listed.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from agencies.models import Province
from cases.models.public_reports import PublicReport
from measures.models import (
    CooperationAgreement,
    FundingLine,
    GoodPractice,
    ImplementationPlan,
    OfficeAssessment,
    ProgressEntry,
    SelfAssessment,
)
from measures.services.agreements import AgreementInput, PartyInput, agreement_save
from measures.services.implementation import implementation_plan_accept
from reports import services as report_services
from reports.models import QuarterlyReport
from tests.evaluation import office_assess, open_round, self_assess
from tests.funding import add_line
from tests.implementation import line, save_plan
from tests.practices import propose, published
from tests.progress import log_entry, pdf
from tests.public_reports import national_seat_report, report_in
from tests.quarterly import file_report, good_values

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]

MISSING = object()


def entry(persona, *, submitted=False):
    return log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=submitted)


def report(persona, *, state="draft"):
    made = file_report(persona("reporter_gx"), "2009Q3", submit=state != "draft")
    if state == "accepted":
        office = persona("office")
        made = report_services.quarterly_report_accept(actor=office, report_id=made.pk, version=made.version)
    return made


def implementation_plan(persona, *, state="draft"):
    made = save_plan(persona("liaison_mps"), [line("2.1")], submit=state != "draft")
    if state == "accepted":
        made = implementation_plan_accept(actor=persona("office"), record_id=made.pk, version=made.version)
    return made


def self_assessment(persona):
    return self_assess(persona("liaison_mca"), open_round(persona("office")), "4.2.a", submit=False)


def office_assessment(persona):
    return office_assess(persona("office"), open_round(persona("office")), "4.2.a", comment="初评")


def agreement(persona):
    parties = [PartyInput(province=p) for p in Province.objects.filter(code__in=["530000", "440000"])]
    signed = dt.date(2008, 6, 18)
    data = AgreementInput("合作意向书", "", "letter_of_intent", signed, "in_force", "", [], parties)
    return agreement_save(actor=persona("reporter_yn"), agreement_id=None, version=None, data=data)


def practice(persona, *, state="draft"):
    if state == "published":
        return published(persona("liaison_mps"), persona("office"), title_zh="打拐DNA数据库")
    return propose(persona("liaison_mps"), title_zh="打拐DNA数据库", submit=state == "submitted")


AGREEMENT_BODY = {
    "title_zh": "覆盖", "kind": "agreement", "signed_on": "2008-06-18", "status": "expired",
    "parties": [{"province": "530000"}, {"province": "440000"}],
}  # fmt: skip


@dataclass
class Endpoint:
    """One versioned write: who sends it, to where, with what, on which record."""

    name: str
    actor: str
    method: str
    path: str  # formatted with the record's id
    make: Any  # persona -> the record, saved through the services
    body: Any = field(default_factory=dict)  # a dict, or record -> dict
    fmt: str = "json"
    upsert: bool = False  # create-or-update: a missing version means "none yet" (stale: 409)

    def send(self, api, record, version):
        body = dict(self.body(record) if callable(self.body) else self.body)
        if self.upsert:
            body.update(round=record.round_id, measure=record.measure_id)
        if self.fmt == "multipart":
            body["file"] = pdf("补充.pdf")
        if version is not MISSING:
            body["version"] = "" if version is None and self.fmt == "multipart" else version
        call = getattr(api, self.method)
        return call(self.path.format(id=record.pk), body, format=self.fmt)


def funding_line(persona):
    return add_line(persona("reporter_yn"))


ENDPOINTS = [
    Endpoint("progress put", "liaison_mca", "put", "/api/progress-entries/{id}/", entry,
             lambda e: {"measure": e.measure_id, "period": "2009Q3", "narrative": "覆盖"}),
    Endpoint("progress patch", "liaison_mca", "patch", "/api/progress-entries/{id}/", entry,
             {"narrative": "覆盖"}),
    Endpoint("progress submit", "liaison_mca", "post", "/api/progress-entries/{id}/submit/", entry),
    Endpoint("progress evidence", "liaison_mca", "post", "/api/progress-entries/{id}/evidence/", entry,
             fmt="multipart"),
    Endpoint("progress accept", "office", "post", "/api/progress-entries/{id}/accept/",
             lambda p: entry(p, submitted=True)),
    Endpoint("progress return", "office", "post", "/api/progress-entries/{id}/return/",
             lambda p: entry(p, submitted=True), {"comment": "请补充"}),
    Endpoint("quarterly put", "reporter_gx", "put", "/api/quarterly-reports/{id}/", report,
             {"period": "2009Q3", "values": good_values(publicity_events=1)}),
    Endpoint("quarterly patch", "reporter_gx", "patch", "/api/quarterly-reports/{id}/", report,
             {"values": {"publicity_events": 1}}),
    Endpoint("quarterly submit", "reporter_gx", "post", "/api/quarterly-reports/{id}/submit/", report),
    Endpoint("quarterly accept", "office", "post", "/api/quarterly-reports/{id}/accept/",
             lambda p: report(p, state="submitted")),
    Endpoint("quarterly return", "office", "post", "/api/quarterly-reports/{id}/return/",
             lambda p: report(p, state="submitted"), {"comment": "请核实"}),
    Endpoint("quarterly reopen", "office", "post", "/api/quarterly-reports/{id}/reopen/",
             lambda p: report(p, state="accepted"), {"comment": "数据有误"}),
    Endpoint("implementation put", "liaison_mps", "put", "/api/implementation-plans/{id}/",
             implementation_plan, {"plan": "2008-2012", "summary": "覆盖",
              "lines": [{"measure": "2.2", "text": "覆盖", "office_in_charge": "刑侦局"}]}),
    Endpoint("implementation patch", "liaison_mps", "patch", "/api/implementation-plans/{id}/",
             implementation_plan, {"summary": "覆盖"}),
    Endpoint("implementation submit", "liaison_mps", "post", "/api/implementation-plans/{id}/submit/",
             implementation_plan),
    Endpoint("implementation accept", "office", "post", "/api/implementation-plans/{id}/accept/",
             lambda p: implementation_plan(p, state="submitted")),
    Endpoint("implementation return", "office", "post", "/api/implementation-plans/{id}/return/",
             lambda p: implementation_plan(p, state="submitted"), {"comment": "请补充"}),
    Endpoint("implementation reopen", "office", "post", "/api/implementation-plans/{id}/reopen/",
             lambda p: implementation_plan(p, state="accepted"), {"comment": "年度调整"}),
    Endpoint("self-assessment", "liaison_mca", "post", "/api/self-assessments/", self_assessment,
             {"rating": "achieved", "narrative": "覆盖"}, upsert=True),
    Endpoint("office assessment", "office", "post", "/api/office-assessments/", office_assessment,
             {"rating": "achieved", "comment": "覆盖"}, upsert=True),
    Endpoint("agreement put", "reporter_yn", "put", "/api/agreements/{id}/", agreement, AGREEMENT_BODY),
    Endpoint("agreement patch", "reporter_yn", "patch", "/api/agreements/{id}/", agreement,
             {"status": "expired"}),
    Endpoint("funding put", "reporter_yn", "put", "/api/funding/{id}/", funding_line,
             {"plan": "2008-2012", "year": 2009, "channel": "budget", "amount": "1,500.00"}),
    Endpoint("funding patch", "reporter_yn", "patch", "/api/funding/{id}/", funding_line, {"amount": 1500}),
    Endpoint("practice put", "liaison_mps", "put", "/api/good-practices/{id}/", practice,
             lambda r: {"area": r.area_id, "title_zh": "覆盖", "summary_zh": "覆盖。"}),
    Endpoint("practice patch", "liaison_mps", "patch", "/api/good-practices/{id}/", practice,
             {"title_zh": "覆盖"}),
    Endpoint("practice submit", "liaison_mps", "post", "/api/good-practices/{id}/submit/", practice),
    Endpoint("practice attachment", "liaison_mps", "post", "/api/good-practices/{id}/attachments/",
             practice, fmt="multipart"),
    Endpoint("practice accept", "office", "post", "/api/good-practices/{id}/accept/",
             lambda p: practice(p, state="submitted")),
    Endpoint("practice return", "office", "post", "/api/good-practices/{id}/return/",
             lambda p: practice(p, state="submitted"), {"comment": "请补充"}),
    Endpoint("practice reopen", "office", "post", "/api/good-practices/{id}/reopen/",
             lambda p: practice(p, state="published"), {"comment": "数据有误"}),
    Endpoint("public report patch", "case_mps", "patch", "/api/public-reports/{id}/",
             lambda p: national_seat_report(), {"status": "under_review", "notes": "已核查"}),
    Endpoint("public report forward", "office", "post", "/api/public-reports/{id}/forward/",
             lambda p: report_in("450100")[0], {"to_agency": "MPS"}),
]  # fmt: skip

SNAPSHOT_FIELDS = {
    ProgressEntry: ["version", "state", "status", "narrative", "updated_at"],
    QuarterlyReport: ["version", "state", "review_comment", "updated_at"],
    SelfAssessment: ["version", "rating", "narrative", "submitted_at", "updated_at"],
    OfficeAssessment: ["version", "rating", "comment", "updated_at"],
    ImplementationPlan: ["version", "state", "summary", "review_comment", "updated_at"],
    CooperationAgreement: ["version", "title_zh", "status", "updated_at"],
    GoodPractice: ["version", "state", "title_zh", "review_comment", "updated_at"],
    FundingLine: ["version", "amount", "updated_at"],
    PublicReport: ["version", "status", "notes", "receiving_agency_id", "updated_at"],
}


def snapshot(record) -> dict:
    fresh = type(record).objects.get(pk=record.pk)
    values = {name: getattr(fresh, name) for name in SNAPSHOT_FIELDS[type(record)]}
    if isinstance(record, ProgressEntry):
        values["evidence"] = fresh.evidence.count()
    if isinstance(record, GoodPractice):
        values["attachments"] = fresh.attachments.count()
    if isinstance(record, QuarterlyReport):
        values["values"] = sorted((v.figure.code, v.value) for v in fresh.values.all())
    return values


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize(
    "version", [MISSING, None, "abc", "stale"], ids=["missing", "null", "string", "stale"]
)
def test_a_write_without_the_current_version_is_refused_and_changes_nothing(
    api_as, persona, endpoint, version
):
    record = endpoint.make(persona)
    before = snapshot(record)
    sent = record.version + 1 if version == "stale" else version
    response = endpoint.send(api_as(endpoint.actor), record, sent)
    if version == "stale" or (version is MISSING and endpoint.upsert):
        assert response.status_code == 409, response.content
    else:
        assert response.status_code == 400, response.content
        assert "version" in response.json()
    assert snapshot(record) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_the_current_version_is_accepted(api_as, persona, endpoint):
    """The refusals above are about the version, not about a request that could never succeed."""
    record = endpoint.make(persona)
    response = endpoint.send(api_as(endpoint.actor), record, record.version)
    assert response.status_code in (200, 201), response.content
    assert type(record).objects.get(pk=record.pk).version > record.version


def test_every_versioned_write_of_the_schema_is_listed():
    """Every operation whose request body has a ``version`` is one of ``ENDPOINTS``."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    listed = {(e.method, e.path) for e in ENDPOINTS}
    components = schema["components"]["schemas"]
    versioned = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                name = content["schema"].get("$ref", "").rsplit("/", 1)[-1]
                if "version" in components.get(name, {}).get("properties", {}):
                    versioned.add((method, path))
    # Creating a progress entry or a quarterly report needs no version: there is none yet.
    creates = {("post", "/api/progress-entries/"), ("post", "/api/quarterly-reports/")}
    creates.add(("post", "/api/implementation-plans/"))  # nor an implementation plan
    creates.add(("post", "/api/agreements/"))  # nor a cooperation agreement
    creates.add(("post", "/api/good-practices/"))  # nor a good practice
    creates.add(("post", "/api/funding/"))  # nor a funding line
    assert versioned - creates == listed
