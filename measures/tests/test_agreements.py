"""Cooperation agreements (2.(3)): recording and changing one through its service (who may, bad
input named by field and nothing half-saved, history, version conflicts), and the milestone of
2.(3) judged from the registry on every branch, in constant queries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation

from agencies.models import Province
from core.choices import Role
from core.models import ChangeRecord
from core.workflow import EditConflict
from measures.models import AgreementParty, CooperationAgreement, Measure
from measures.selectors.agreements import (
    LATE,
    NOT_SIGNED,
    NOT_YET_DUE,
    SIGNED,
    milestone_standing,
    milestone_target,
)
from measures.services.agreements import AgreementInput, PartyInput, agreement_save
from tests.personas import make_agency, make_user
from tests.progress import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2010-01-10")]


def parties(*codes, abroad=None) -> list[PartyInput]:
    found = {p.code: p for p in Province.objects.filter(code__in=codes)}
    given = [PartyInput(province=found[code]) for code in codes]
    if abroad:
        given.append(PartyInput(foreign_kind=abroad[0], foreign_name_zh=abroad[1]))
    return given


def given(*codes, signed="2008-06-18", status="in_force", kind="letter_of_intent", abroad=None, **more):
    values = {
        "title_zh": "合作意向书",
        "title_en": "",
        "kind": kind,
        "signed_on": dt.date.fromisoformat(signed) if signed else None,
        "status": status,
        "summary": "",
        "measures": list(Measure.objects.filter(ref="2.3")),
        "parties": parties(*codes, abroad=abroad),
    }
    values.update(more)
    return AgreementInput(**values)


def record(actor, *codes, **kwargs) -> CooperationAgreement:
    document = kwargs.pop("document", None)
    return agreement_save(
        actor=actor, agreement_id=None, version=None, data=given(*codes, **kwargs), document=document
    )


def refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- Who records and changes ---------------------------------------------------------------------


def test_yunnans_officer_records_its_letter_of_intent_with_guangdong_and_its_document(persona):
    yunnan = persona("reporter_yn")
    agreement = record(yunnan, "530000", "440000", document=pdf("云粤意向书.pdf"))
    assert agreement.version == 1 and agreement.document_name == "云粤意向书.pdf"
    assert agreement.document_type == "application/pdf" and len(agreement.document_sha256) == 64
    assert sorted(p.province.code for p in agreement.parties.all()) == ["440000", "530000"]
    assert [m.ref for m in agreement.measures.all()] == ["2.3"]
    (created,) = ChangeRecord.objects.for_object(agreement)
    assert created.action == "created" and created.actor == yunnan
    # Names are kept in both languages; each reader's history shows them in theirs.
    parties = {"zh-hans": "云南省; 广东省", "en": "Guangdong Province; Yunnan Province"}
    assert created.changes["parties"] == [None, parties]
    shown = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            shown[language] = [new for _label, _old, new in created.lines()]
    assert "云南省; 广东省" in shown["zh-hans"] and parties["en"] in shown["en"]
    assert not [value for value in shown["zh-hans"] if isinstance(value, dict)]


def test_a_reporting_officer_records_only_what_their_province_is_party_to(persona):
    errors = refused(lambda: record(persona("reporter_gx"), "530000", "440000"))
    assert list(errors) == ["parties"]
    assert not CooperationAgreement.objects.exists()


@pytest.mark.parametrize("name", ["liaison_mca", "case_mps", "auditor"])
def test_who_reads_but_does_not_record_is_refused(persona, name):
    with pytest.raises(PermissionDenied):
        record(persona(name), "530000", "440000")
    assert not CooperationAgreement.objects.exists()


def test_a_prefectures_reporter_records_none(plan):
    make_agency("ATO-530100")
    kunming = make_user("km", Role.PROVINCE, agency="ATO-530100")
    with pytest.raises(PermissionDenied):
        record(kunming, "530000", "440000")


def test_another_provinces_officer_may_not_change_it_and_the_office_may(persona):
    agreement = record(persona("reporter_yn"), "530000", "440000")
    change = given("530000", "440000", status="expired")
    with pytest.raises(PermissionDenied):  # sees it (the registry is read by all), is no party
        agreement_save(actor=persona("reporter_gx"), agreement_id=agreement.pk, version=1, data=change)
    with pytest.raises(Http404):  # a case officer does not see the registry at all
        agreement_save(actor=persona("case_mps"), agreement_id=agreement.pk, version=1, data=change)
    changed = agreement_save(actor=persona("office"), agreement_id=agreement.pk, version=1, data=change)
    assert changed.version == 2 and changed.status == "expired"


def test_a_party_province_changes_it_but_cannot_leave_it(persona):
    yunnan = persona("reporter_yn")
    agreement = record(yunnan, "530000", "440000")
    errors = refused(
        lambda: agreement_save(
            actor=yunnan, agreement_id=agreement.pk, version=1, data=given("440000", "330000")
        )
    )
    assert "parties" in errors
    agreement.refresh_from_db()
    assert agreement.version == 1
    assert sorted(AgreementParty.objects.values_list("province__code", flat=True)) == ["440000", "530000"]


# --- Bad input: named, nothing half-saved ------------------------------------------------------------


def test_every_bad_value_is_named_and_nothing_is_saved(persona):
    office = persona("office")
    gd = Province.objects.get(code="440000")
    data = given(
        "530000",
        title_zh="",
        kind="treaty",
        status="",
        signed=None,
        summary="x" * 10_001,
        parties=[
            PartyInput(province=Province.objects.get(code="530000")),
            PartyInput(province=gd),
            PartyInput(province=gd),
            PartyInput(foreign_name_en="Someone"),
            PartyInput(foreign_kind="country"),
            PartyInput(province=gd, foreign_kind="country"),
        ],
    )
    errors = refused(lambda: agreement_save(actor=office, agreement_id=None, version=None, data=data))
    assert {
        "title_zh", "kind", "status", "signed_on", "summary", "parties.2.province",
        "parties.3.foreign_kind", "parties.4.foreign_name_zh", "parties.5.province",
    } <= set(errors)  # fmt: skip
    assert not CooperationAgreement.objects.exists() and not AgreementParty.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"signed": "2010-01-11"}, "signed_on"),  # the day after the portal's today
        ({"signed": "1979-12-31"}, "signed_on"),
        ({"title_en": "x" * 301}, "title_en"),
    ],
)
def test_one_bad_value(persona, kwargs, field):
    errors = refused(lambda: record(persona("office"), "530000", "440000", **kwargs))
    assert list(errors) == [field]


def test_one_party_alone_or_no_province_is_no_agreement(persona):
    office = persona("office")
    assert "parties" in refused(lambda: record(office, "530000"))
    abroad_only = given(
        parties=[
            PartyInput(foreign_kind="country", foreign_name_zh="越南"),
            PartyInput(foreign_kind="organisation", foreign_name_en="UNICEF"),
        ]
    )
    errors = refused(lambda: agreement_save(actor=office, agreement_id=None, version=None, data=abroad_only))
    assert "parties" in errors


def test_a_bad_document_is_named_and_saves_nothing(persona):
    fake = SimpleUploadedFile("letter.pdf", b"not a pdf at all", "application/pdf")
    errors = refused(lambda: record(persona("office"), "530000", "440000", document=fake))
    assert list(errors) == ["document"] and "letter.pdf" in errors["document"][0]
    assert not CooperationAgreement.objects.exists()


def test_a_bad_change_leaves_the_agreement_as_it_was(persona):
    office = persona("office")
    agreement = record(office, "530000", "440000")
    data = given("530000", "440000", "530000", status="expired")
    assert "parties.2.province" in refused(
        lambda: agreement_save(actor=office, agreement_id=agreement.pk, version=1, data=data)
    )
    agreement.refresh_from_db()
    assert agreement.status == "in_force" and agreement.version == 1 and agreement.parties.count() == 2


# --- History and versions -------------------------------------------------------------------------------


def test_changes_are_kept_nothing_changed_is_skipped_and_a_stale_version_is_refused(persona):
    office = persona("office")
    agreement = record(office, "530000", "440000")
    same = agreement_save(actor=office, agreement_id=agreement.pk, version=1, data=given("530000", "440000"))
    assert same.version == 1 and ChangeRecord.objects.for_object(agreement).count() == 1
    abroad = ("organisation", "联合国儿童基金会")
    changed = agreement_save(
        actor=office, agreement_id=agreement.pk, version=1, data=given("530000", "440000", abroad=abroad)
    )
    assert changed.version == 2
    edit = ChangeRecord.objects.for_object(agreement).last()
    assert edit.action == "edited" and list(edit.changes) == ["parties"]
    assert "联合国儿童基金会" in edit.changes["parties"][1]["zh-hans"]
    with pytest.raises(EditConflict):
        agreement_save(actor=office, agreement_id=agreement.pk, version=1, data=given("530000", "440000"))
    assert CooperationAgreement.objects.get().version == 2


# --- The milestone of 2.(3) -------------------------------------------------------------------------


def standing_of(user, plan, on=None):
    result = milestone_standing(user, milestone_target(plan), on)
    return result, {row.province.code: row for row in result.rows}


def test_the_milestone_on_every_branch(persona, plan):
    office = persona("office")
    record(office, "530000", "440000", signed="2008-06-18")  # Yunnan–Guangdong: in time
    record(office, "450000", "370000", signed="2009-04-08")  # Guangxi–Shandong: late
    record(office, "410000", "110000", signed="2008-10-15", status="terminated")  # Henan–Beijing
    record(office, "510000", "320000", signed="2008-11-25", status="expired")  # expired, but signed
    record(office, "340000", abroad=("organisation", "联合国儿童基金会"), signed="2008-05-01")  # Anhui
    record(
        office, "520000", "460000", signed="2008-12-31"
    )  # Guizhou with Hainan (not a main one), on the day
    result, rows = standing_of(office, plan)
    assert result.due and result.due_on == dt.date(2008, 12, 31)
    main = set(Province.objects.filter(is_origin=True).values_list("code", flat=True)) | set(
        Province.objects.filter(is_destination=True).values_list("code", flat=True)
    )
    assert set(rows) == main and "460000" not in rows  # Hainan is neither
    assert rows["530000"].verdict == SIGNED and [p.code for p in rows["530000"].partners] == ["440000"]
    assert rows["440000"].verdict == SIGNED and [p.code for p in rows["440000"].partners] == ["530000"]
    assert rows["450000"].verdict == LATE and [p.code for p in rows["450000"].partners] == ["370000"]
    assert rows["410000"].verdict == NOT_SIGNED and rows["110000"].verdict == NOT_SIGNED  # terminated
    assert rows["510000"].verdict == SIGNED and rows["320000"].verdict == SIGNED  # expired was signed
    assert rows["340000"].verdict == NOT_SIGNED  # only with a party abroad
    assert rows["520000"].verdict == SIGNED and [p.code for p in rows["520000"].partners] == ["460000"]
    assert rows["500000"].verdict == NOT_SIGNED and not rows["500000"].partners  # Chongqing: nothing
    assert rows["530000"].roles == ["流出地"] and rows["440000"].roles == ["流入地"]
    assert {r.province.code for r in result.signed} == {"530000", "440000", "510000", "320000", "520000"}
    assert result.signed_count == 5 and result.not_signed_count == len(main) - 5
    # Judged at the end of 2008: Guangxi's 2009 letter had not been signed yet.
    _result, rows = standing_of(office, plan, dt.date(2008, 12, 31))
    assert rows["450000"].verdict == NOT_SIGNED and rows["530000"].verdict == SIGNED
    # Judged before the due date: not signed yet is not yet due.
    early, rows = standing_of(office, plan, dt.date(2008, 7, 1))
    assert not early.due and rows["500000"].verdict == NOT_YET_DUE and rows["530000"].verdict == SIGNED
    assert rows["510000"].verdict == NOT_YET_DUE  # signed in November, not by July


def test_the_milestone_reads_what_the_reader_may_see(persona, plan):
    record(persona("office"), "530000", "440000")
    _result, rows = standing_of(persona("auditor"), plan)
    assert rows["530000"].verdict == SIGNED
    result, rows = standing_of(persona("case_mps"), plan)  # reads no registry: nothing signed
    assert all(row.verdict == NOT_SIGNED for row in result.rows)


def make_agreements(office, count: int) -> None:
    codes = ["530000", "440000", "520000", "330000", "510000", "320000", "450000", "370000"]
    for n in range(count):
        a, b = codes[n % len(codes)], codes[(n + 3) % len(codes)]
        record(office, a, b, signed=f"200{8 + n % 2}-0{1 + n % 9}-15", abroad=("country", f"国家{n}"))


def test_the_milestone_costs_the_same_queries_whatever_the_registry(persona, plan, django_assert_num_queries):
    office = persona("office")
    target = milestone_target(plan)
    make_agreements(office, 2)
    with django_assert_num_queries(2):
        milestone_standing(office, target)
    make_agreements(office, 12)
    with django_assert_num_queries(2):
        result = milestone_standing(office, target)
    assert result.signed_count > 0
