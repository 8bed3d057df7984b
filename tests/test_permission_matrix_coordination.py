"""The permission matrix of the coordination records (issue 14), at the gate: for each record, each
persona and each action, exactly the rows ``Model.objects.restrict(user, action)`` lets through.

The pages and the API start from these querysets (each record's own tests try them there); this
file pins the rule itself, so that a change to one access filter shows here as a changed row.

The records:
- implementation plans: 民政部 (MCA) a draft, 公安部 (MPS) submitted, 云南 (YN) accepted, 广西 (GX)
  a draft;
- good practices: MCA a draft, MPS published, YN submitted;
- funding lines: one of MCA, one of YN;
- cooperation agreements: YN with 广东 (GD), GX with a country abroad;
- reports from the public: one received by 云南省公安厅 (MPS-530000) directly, one that came
  through the Office's triage and was forwarded to 昆明市公安局 (MPS-530100), one still in triage.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from agencies.models import MemberUnit, Province
from cases.choices import PublicReportStatus
from cases.models import PublicReport
from core import clock
from core.choices import ReviewState, Role
from core.crypto import blind_index
from core.permissions import CHANGE, VIEW
from measures.choices import AgreementKind, ForeignPartyKind, FundingChannel
from measures.models import (
    AgreementParty,
    Area,
    CooperationAgreement,
    FundingLine,
    GoodPractice,
    ImplementationPlan,
)
from tests.personas import make_agency, make_persona, make_user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "liaison_mca",
    "liaison_mps",
    "office",
    "reporter_gx",
    "reporter_yn",
    "case_mps",
    "case_mca",
    "auditor",
    "admin",
    "outsider",
]


@pytest.fixture
def people(plan):
    people = {name: make_persona(name) for name in PERSONAS}
    make_agency("ATO-530100")
    people["prefecture_km"] = make_user("prefecture_km", Role.PROVINCE, agency="ATO-530100")
    people["case_yn_police"] = make_user(
        "case_yn_police", Role.CASE_OFFICER, agency=make_agency("MPS-530000").code
    )
    people["case_km_police"] = make_user(
        "case_km_police", Role.CASE_OFFICER, agency=make_agency("MPS-530100").code
    )
    return people


def _owner(code: str) -> dict:
    if code.isdigit():
        return {"province": Province.objects.get(code=code)}
    return {"unit": MemberUnit.objects.get(code=code)}


@pytest.fixture
def records(plan, people):
    now, by = clock.now(), people["admin"]
    stamp = {"created_at": now, "updated_at": now, "updated_by": by}
    owners = {"MCA": "MCA", "MPS": "MPS", "YN": "530000", "GX": "450000", "GD": "440000"}
    plans = {
        name: ImplementationPlan.objects.create(plan=plan, state=state, **_owner(owners[name]), **stamp)
        for name, state in [
            ("MCA", ReviewState.DRAFT),
            ("MPS", ReviewState.SUBMITTED),
            ("YN", ReviewState.ACCEPTED),
            ("GX", ReviewState.DRAFT),
        ]
    }
    area = Area.objects.get(plan=plan, seq=1)
    practices = {
        name: GoodPractice.objects.create(
            area=area, state=state, title_zh=f"{name}的做法", **_owner(owners[name]), **stamp
        )
        for name, state in [
            ("MCA", ReviewState.DRAFT),
            ("MPS", ReviewState.ACCEPTED),
            ("YN", ReviewState.SUBMITTED),
        ]
    }
    funding = {
        name: FundingLine.objects.create(
            plan=plan,
            year=2009,
            channel=FundingChannel.BUDGET,
            amount="1000.00",
            updated_at=now,
            updated_by=by,
            **_owner(owners[name]),
        )
        for name in ("MCA", "YN")
    }
    agreements = {}
    for name, partner in [("YN", "GD"), ("GX", None)]:
        agreement = CooperationAgreement.objects.create(
            kind=AgreementKind.LETTER_OF_INTENT, signed_on=dt.date(2008, 11, 1), created_by=by, **stamp
        )
        AgreementParty.objects.create(agreement=agreement, **_owner(owners[name]))
        if partner:
            AgreementParty.objects.create(agreement=agreement, **_owner(owners[partner]))
        else:
            AgreementParty.objects.create(
                agreement=agreement,
                foreign_kind=ForeignPartyKind.COUNTRY,
                foreign_name_zh="越南",
                foreign_name_en="Viet Nam",
            )
        agreements[name] = agreement
    public = {}
    for name, division, agency, triage in [
        ("direct", "530000", "MPS-530000", False),
        ("forwarded", "530100", "MPS-530100", True),
        ("triage", "450000", None, True),
    ]:
        public[name] = PublicReport.objects.create(
            follow_up_index=blind_index(f"code-{name}"),
            division=make_agency(f"ATO-{division}").division,
            receiving_agency=make_agency(agency) if agency else None,
            via_triage=triage,
            status=PublicReportStatus.IN_TRIAGE if agency is None else PublicReportStatus.RECEIVED,
            description="有人在车站拐骗儿童",
            language="zh-hans",
            received_at=now,
            updated_at=now,
        )
    return {
        ImplementationPlan: plans,
        GoodPractice: practices,
        FundingLine: funding,
        CooperationAgreement: agreements,
        PublicReport: public,
    }


ALL_PLANS = {"MCA", "MPS", "YN", "GX"}
NOT_CASE_OFFICERS = [p for p in [*PERSONAS, "prefecture_km"] if p not in ("case_mps", "case_mca", "outsider")]

# model → action → persona → the records' names that persona gets (a persona not named: none)
MATRIX = {
    ImplementationPlan: {
        VIEW: {
            "liaison_mca": {"MCA"},
            "liaison_mps": {"MPS"},
            "office": {"MPS", "YN"},  # never a draft of someone else
            "auditor": {"MPS", "YN"},
            "admin": {"MPS", "YN"},
            "reporter_yn": {"YN"},
            "reporter_gx": {"GX"},
            "prefecture_km": {"YN"},  # the province's plan once sent: they carry out its local measures
        },
        CHANGE: {"liaison_mca": {"MCA"}, "reporter_gx": {"GX"}},  # the owner, while a draft or returned
    },
    GoodPractice: {
        VIEW: {
            **{name: {"MPS"} for name in [*PERSONAS, "prefecture_km", "case_yn_police", "case_km_police"]},
            "liaison_mca": {"MCA", "MPS"},
            "reporter_yn": {"YN", "MPS"},
            "office": {"MPS", "YN"},
            "auditor": {"MPS", "YN"},
            "admin": {"MPS", "YN"},
            "outsider": set(),  # a deactivated account reads nothing
        },
        CHANGE: {"liaison_mca": {"MCA"}},
    },
    FundingLine: {
        VIEW: {
            "liaison_mca": {"MCA"},
            "reporter_yn": {"YN"},
            "office": {"MCA", "YN"},
            "auditor": {"MCA", "YN"},
            "admin": {"MCA", "YN"},
        },
        CHANGE: {"liaison_mca": {"MCA"}, "reporter_yn": {"YN"}},
    },
    CooperationAgreement: {
        VIEW: {name: {"YN", "GX"} for name in NOT_CASE_OFFICERS},
        CHANGE: {"office": {"YN", "GX"}, "reporter_yn": {"YN"}, "reporter_gx": {"GX"}},
    },
    PublicReport: {
        VIEW: {
            "case_yn_police": {"direct"},
            "case_km_police": {"forwarded"},
            "office": {"forwarded", "triage"},
        },
        CHANGE: {
            "case_yn_police": {"direct"},
            "case_km_police": {"forwarded"},
            "office": {"forwarded", "triage"},
        },
    },
}
CASES = [
    (model, action, persona)
    for model, actions in MATRIX.items()
    for action in actions
    for persona in [*PERSONAS, "prefecture_km", "case_yn_police", "case_km_police"]
]


@pytest.mark.parametrize(
    ("model", "action", "persona"), CASES, ids=[f"{m.__name__}-{a}-{p}" for m, a, p in CASES]
)
def test_each_persona_gets_exactly_its_rows(people, records, model, action, persona):
    names = {pk: name for name, pk in ((n, r.pk) for n, r in records[model].items())}
    got = {names[pk] for pk in model.objects.restrict(people[persona], action).values_list("pk", flat=True)}
    assert got == MATRIX[model][action].get(persona, set())


def test_a_prefecture_reporter_owns_no_province_record(people, records, plan):
    """A reporting officer of a prefecture is not the province: it writes none of the province's plan,
    funding or practices, though it reports quarterly."""
    km = people["prefecture_km"]
    assert not ImplementationPlan.objects.restrict(km, CHANGE).exists()
    assert not FundingLine.objects.restrict(km, VIEW).exists()
    assert not GoodPractice.objects.restrict(km, CHANGE).exists()


def test_the_office_reads_a_plan_once_submitted_and_not_before(people, records):
    office = people["office"]
    draft = records[ImplementationPlan]["GX"]
    assert not ImplementationPlan.objects.restrict(office, VIEW).filter(pk=draft.pk).exists()
    ImplementationPlan.objects.filter(pk=draft.pk).update(state=ReviewState.SUBMITTED)
    assert ImplementationPlan.objects.restrict(office, VIEW).filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "change",
    [{"province_id": "YN"}, {"unit_id": None}, {"amount": "-0.01"}, {"budgeted": "-1"}],
    ids=["two owners", "no owner", "negative amount", "negative budget"],
)
def test_the_database_keeps_one_owner_and_no_negative_amount(records, change):
    """Whatever path writes a funding line, the database refuses two owners, none, or a negative
    amount (the forms and services say so first, naming the field)."""
    if change.get("province_id") == "YN":
        change = {"province_id": Province.objects.get(code="530000").pk}
    line = records[FundingLine]["MCA"]
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLine.objects.filter(pk=line.pk).update(**change)
    line.refresh_from_db()
    assert line.unit.code == "MCA" and line.province_id is None
