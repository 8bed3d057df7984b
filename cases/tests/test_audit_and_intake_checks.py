"""The audit log of reads of many files at once and of refusals; the duplicate check at intake
(audited, limited, saying nothing of another agency's file); the checks of identity-document
numbers and of dates."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Agency
from cases import services
from cases.models import CaseFile
from cases.services.case_files import _id_number_error
from core.crypto import blind_index
from core.models import AuditEntry
from tests.cases import ID_NUMBER, case_data, open_case
from tests.fixtures import in_english

pytestmark = pytest.mark.django_db
MAY_EXIST = "Possible duplicate: a file may exist elsewhere; contact the IMCS Office."


def new_entries(before: int):
    return list(AuditEntry.objects.filter(pk__gt=before).order_by("pk"))


def last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def page_form(**overrides) -> dict:
    """The intake form as a browser posts it (Guangxi, public security)."""
    from agencies.models import Agency, Province

    data = {
        "category": "child", "sex": "female", "name": "测试小兰", "id_document_kind": "resident_id",
        "id_number": "", "date_of_birth": "2005-01-01", "rescued_on": "2009-06-01",
        "rescue_province": Province.objects.get(code="450000").pk,
        "rescuing_agency": Agency.objects.get(code="MPS").pk, "status": "open",
        "consent_services": "on", "consent_sharing": "on", "consent_statistics": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def api_body(**overrides) -> dict:
    body = {
        "category": "woman", "sex": "female", "name": "测试小芳", "id_document_kind": "resident_id",
        "id_number": "", "date_of_birth": "1990-03-01", "rescued_on": "2009-06-01",
        "rescue_province": "450000", "rescuing_agency": "MPS",
    }  # fmt: skip
    body.update(overrides)
    return body


# Lists and searches: one entry per request, naming the files shown.


def test_a_list_page_writes_one_entry_naming_the_files_shown(client_as, mps, mca):
    mine = [
        open_case(mps, id_number=f"L{i}", name=f"甲{i}", rescued_on=dt.date(2009, 6, i + 1)) for i in range(3)
    ]
    other = open_case(mca, id_number="OTHER", name="别人")
    before = last_pk()
    response = client_as("case_mps").get(reverse("cases:list"))
    assert response.status_code == 200
    [entry] = new_entries(before)
    assert entry.action == "list" and entry.channel == "page" and entry.user == mps
    assert entry.object_id is None and entry.content_type.model == "casefile"
    assert entry.detail["shown"] == [c.number for c in reversed(mine)]  # as listed: latest rescue first
    assert entry.detail["count"] == 3 and other.number not in json.dumps(entry.detail)


def test_the_api_list_writes_one_entry_for_the_page_answered(api_as, mps):
    cases = [open_case(mps, id_number=f"A{i}", name=f"乙{i}") for i in range(4)]
    before = last_pk()
    answered = api_as("case_mps").get("/api/cases/", {"limit": 2})
    numbers = [c["number"] for c in answered.json()["results"]]
    assert len(numbers) == 2
    [entry] = new_entries(before)
    assert (entry.action, entry.channel, entry.detail["shown"]) == ("list", "api", numbers)
    assert set(numbers) <= {c.number for c in cases}


def test_a_search_by_document_number_is_logged_without_the_number(client_as, mps, case):
    before = last_pk()
    response = client_as("case_mps").post(reverse("cases:list"), {"q": ID_NUMBER})
    assert [c.number for c in response.context["page"]] == [case.number]
    [entry] = new_entries(before)
    assert entry.action == "search" and entry.detail["shown"] == [case.number]
    stored = json.dumps(entry.detail) + entry.object_label
    assert ID_NUMBER not in stored and blind_index(ID_NUMBER) not in stored


@pytest.mark.portal_date("2010-01-10")
def test_the_overdue_list_is_logged(client_as, mps, case):
    services.follow_up_add(
        actor=mps,
        case_id=case.pk,
        visited_on=dt.date(2009, 9, 1),
        living_conditions="稳定",
        next_visit_due=dt.date(2009, 12, 1),
    )
    before = last_pk()
    assert client_as("case_mps").get(reverse("cases:overdue")).status_code == 200
    [entry] = new_entries(before)
    assert entry.action == "list" and entry.detail["shown"] == [case.number]
    assert entry.detail["list"] == "overdue"


# Refusals: a 404 on case data leaves one "refused" entry with what was asked for.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/cases/{number}/"),
        ("get", "/cases/{number}/edit/"),
        ("post", "/cases/{number}/reveal/"),
        ("post", "/cases/{number}/services/"),
        ("post", "/cases/{number}/follow-ups/"),
        ("post", "/cases/{number}/referrals/"),
    ],
)
def test_a_probe_on_another_agencys_case_page_is_refused_and_logged(client_as, case, method, path):
    client = client_as("case_mca")
    before = last_pk()
    response = getattr(client, method)(
        path.format(number=case.number), {"reason": "看看"} if method == "post" else None
    )
    assert response.status_code == 404
    [entry] = new_entries(before)
    assert (entry.action, entry.object_label, entry.user.username) == ("refused", case.number, "case_mca")
    assert entry.agency.code == "MCA" and entry.channel == "page"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/cases/{number}/"),
        ("post", "/api/cases/{number}/services/"),
        ("post", "/api/cases/{number}/follow-ups/"),
    ],
)
def test_a_probe_on_another_agencys_case_in_the_api_is_refused_and_logged(api_as, case, method, path):
    before = last_pk()
    response = getattr(api_as("case_mca"), method)(path.format(number=case.number), {}, format="json")
    assert response.status_code == 404
    [entry] = new_entries(before)
    assert (entry.action, entry.object_label, entry.channel) == ("refused", case.number, "api")


def test_a_number_that_does_not_exist_is_refused_the_same_way(client_as, api_as, case):
    before = last_pk()
    assert client_as("case_mps").get("/cases/MPS-2009-09999/").status_code == 404
    assert api_as("case_mps").get("/api/cases/MPS-2009-09999/").status_code == 404
    assert [(e.action, e.object_label) for e in new_entries(before)] == [("refused", "MPS-2009-09999")] * 2


def test_a_probe_loop_cannot_grow_the_audit_log_without_bound(client_as, case, settings):
    """Past CASE_REFUSED_LOG_RATE refused rows an actor writes one more saying the rest went
    unlogged, and nothing after it; every probe still answers 404."""
    settings.CASE_REFUSED_LOG_RATE = "3/h"
    client = client_as("case_mca")
    before = last_pk()
    answers = [client.get(f"/cases/MPS-2009-0{n:04d}/").status_code for n in range(8)]
    assert answers == [404] * 8
    labels = [e.object_label for e in new_entries(before) if e.action == "refused"]
    assert labels == ["MPS-2009-00000", "MPS-2009-00001", "MPS-2009-00002", "…"]
    page = client_as("auditor").get("/cases/audit/", {"action": "refused"}).content.decode()
    assert "已达上限：本小时内该用户其余被拒绝的访问不再记录" in page


def test_a_probe_with_any_characters_is_logged_and_answers_404(api_as):
    api = api_as("case_mps")
    before = last_pk()
    assert api.get("/api/cases/%00%0A" + "x" * 300 + "/").status_code == 404
    assert api.post("/api/referrals/999999999/accept/").status_code == 404
    labels = [e.object_label for e in new_entries(before)]
    assert labels == ["??" + "x" * 98, "999999999"]


def test_other_roles_probing_a_case_are_logged_too(client_as, case):
    before = last_pk()
    assert client_as("office").get(reverse("cases:case", kwargs={"number": case.number})).status_code == 404
    [entry] = new_entries(before)
    assert (entry.action, entry.user.username) == ("refused", "office")


@pytest.mark.parametrize("name", ["office", "auditor", "liaison_mca"])
def test_other_roles_on_the_list_overdue_and_export_are_refused_and_logged(client_as, case, name):
    client = client_as(name)
    before = last_pk()
    paths = [reverse("cases:list"), reverse("cases:overdue"), reverse("cases:export", kwargs={"fmt": "csv"})]
    assert [client.get(path).status_code for path in paths] == [404, 404, 404]
    assert client.post(paths[2], {"with_identifiers": "on", "reason": "x"}).status_code == 404
    entries = new_entries(before)
    assert [(e.action, e.object_label) for e in entries] == [("refused", path) for path in [*paths, paths[2]]]
    assert {e.user.username for e in entries} == {name}


def test_a_probe_on_a_referral_is_refused_and_logged(client_as, api_as, mps, case):
    moe = Agency.objects.get(code="MOE")
    referral = services.referral_create(actor=mps, case_id=case.pk, to_agency=moe, purpose="入学")
    before = last_pk()
    url = reverse("cases:referral", kwargs={"pk": referral.pk, "action": "accept"})
    assert client_as("case_mca").post(url).status_code == 404  # neither sender nor receiver
    assert api_as("case_mca").post(f"/api/referrals/{referral.pk}/accept/").status_code == 404
    entries = new_entries(before)
    assert [(e.action, e.object_label, e.content_type.model) for e in entries] == [
        ("refused", str(referral.pk), "referral")
    ] * 2


def test_the_owner_is_not_refused(client_as, api_as, case):
    before = last_pk()
    assert client_as("case_mps").get(reverse("cases:case", kwargs={"number": case.number})).status_code == 200
    assert api_as("case_mps").get(f"/api/cases/{case.number}/").status_code == 200
    assert [e.action for e in new_entries(before)] == ["view", "view"]


def test_auditors_filter_the_new_entries(client_as, mps, case):
    client_as("case_mps").get(reverse("cases:list"))
    client_as("case_mca").get(reverse("cases:case", kwargs={"number": case.number}))
    auditor = client_as("auditor")
    refused = auditor.get(reverse("cases:audit"), {"action": "refused"}).context["page"]
    assert [(e.action, e.user.username) for e in refused] == [("refused", "case_mca")]
    # The file's number finds the entries about it and the lists that showed it.
    about = auditor.get(reverse("cases:audit"), {"case": case.number.lower()}).context["page"]
    assert {e.action for e in about} == {"create", "list", "refused"}
    page = auditor.get(reverse("cases:audit"), {"action": "list"}).content.decode()
    assert case.number in page and "显示 1 个档案" in page
    actions = dict(auditor.get(reverse("cases:audit")).context["actions"])
    assert {"list", "search", "refused", "duplicate_check"} <= set(actions)


def test_the_new_actions_are_named_in_english_too(client_as, english):
    actions = dict(in_english(client_as("auditor")).get(reverse("cases:audit")).context["actions"])
    assert actions["refused"] == "Refused (not found or not allowed)"
    assert actions["duplicate_check"] == "Checked for a duplicate"


# The duplicate check at intake: audited, limited, and saying nothing of another agency's file.


def test_a_duplicate_elsewhere_is_told_as_may_exist_and_the_check_is_logged(mps, mca, case, english):
    before = last_pk()
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.case_create(actor=mca, data=case_data(name="别的名字"))
    assert str(warning.value) == MAY_EXIST
    assert case.number not in str(warning.value) and "MPS" not in str(warning.value)
    [entry] = new_entries(before)  # the warning stopped the intake; its entry stays
    assert (entry.action, entry.user, entry.agency.code) == ("duplicate_check", mca, "MCA")
    assert entry.detail == {"result": "elsewhere"} and entry.object_label == ""
    assert CaseFile.objects.count() == 1


def test_a_duplicate_in_ones_own_agency_names_it(mps, case):
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.case_create(actor=mps, data=case_data(name="别的名字"))
    assert warning.value.own == [case.number] and case.number in str(warning.value)
    assert AuditEntry.objects.filter(action="duplicate_check").get().detail == {"result": "own"}


def test_a_duplicate_both_in_ones_own_agency_and_elsewhere_names_only_ones_own(mps, mca, case, english):
    elsewhere = services.case_create(actor=mca, data=case_data(name="别的名字"), confirm_duplicate=True)
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.case_create(actor=mps, data=case_data(name="别的名字"))
    assert (warning.value.own, warning.value.elsewhere) == ([case.number], True)
    assert str(warning.value) == (
        f"Possible duplicate: your agency already has a file that may be this person: {case.number}; "
        "a file may exist elsewhere; contact the IMCS Office."
    )
    assert elsewhere.number not in str(warning.value)
    assert AuditEntry.objects.filter(action="duplicate_check").get().detail == {"result": "own_and_elsewhere"}


def test_no_duplicate_is_logged_as_a_check_too(mps):
    services.case_create(actor=mps, data=case_data())
    assert AuditEntry.objects.get(action="duplicate_check").detail == {"result": "none"}


def test_the_page_and_api_say_no_more_than_may_exist(client_as, api_as, case, english):
    response = in_english(client_as("case_mca")).post(reverse("cases:new"), page_form(id_number=ID_NUMBER))
    content = response.content.decode()
    assert response.status_code == 200 and "a file may exist elsewhere; contact the IMCS Office" in content
    assert case.number not in content
    answer = in_english(api_as("case_mca")).post("/api/cases/", api_body(id_number=ID_NUMBER), format="json")
    assert answer.status_code == 409
    assert (
        answer.json()["detail"] == "Possible duplicate: a file may exist elsewhere; contact the IMCS Office."
    )


def test_the_duplicate_check_is_limited_and_the_intake_can_still_be_saved(mps, mca, case, settings, english):
    settings.CASE_DUPLICATE_CHECK_RATE = "2/h"
    for _ in range(2):
        with pytest.raises(services.PossibleDuplicate):
            services.case_create(actor=mca, data=case_data(name="别的名字"))
    with pytest.raises(services.DuplicateCheckLimited) as limited:
        services.case_create(actor=mca, data=case_data(name="别的名字"))
    assert "limit of 2 checks an hour" in str(limited.value) and "elsewhere" not in str(limited.value)
    results = (
        AuditEntry.objects.filter(action="duplicate_check").order_by("pk").values_list("detail", flat=True)
    )
    assert [d["result"] for d in results] == ["elsewhere", "elsewhere", "limited"]
    # Another officer has a limit of its own.
    with pytest.raises(services.PossibleDuplicate):
        services.case_create(actor=mps, data=case_data(name="别的名字"))
    # The intake is saved when confirmed, without a check.
    saved = services.case_create(actor=mca, data=case_data(name="别的名字"), confirm_duplicate=True)
    assert saved.owner_agency.code == "MCA"
    assert AuditEntry.objects.filter(action="duplicate_check").count() == 4


def test_the_limited_check_on_the_page_says_so_and_saves_when_confirmed(client_as, case, settings, english):
    settings.CASE_DUPLICATE_CHECK_RATE = "1/h"
    client = in_english(client_as("case_mca"))
    client.post(reverse("cases:new"), page_form(name="甲"))  # the one check of the hour: no duplicate
    response = client.post(reverse("cases:new"), page_form(name="乙", id_number=ID_NUMBER))
    content = response.content.decode()
    assert response.status_code == 200 and "you have reached the limit of 1 checks an hour" in content
    assert "The file can still be saved without the check" in content and "id_confirm_duplicate" in content
    assert "elsewhere" not in content
    saved = client.post(
        reverse("cases:new"), page_form(name="乙", id_number=ID_NUMBER, confirm_duplicate="on")
    )
    assert saved.status_code == 302 and CaseFile.objects.filter(owner_agency__code="MCA").count() == 2


def test_the_limited_check_in_the_api_is_a_conflict(api_as, case, settings, english):
    settings.CASE_DUPLICATE_CHECK_RATE = "1/h"
    api = in_english(api_as("case_mca"))
    assert api.post("/api/cases/", api_body(name="甲"), format="json").status_code == 201
    answer = api.post("/api/cases/", api_body(name="乙", id_number=ID_NUMBER), format="json")
    assert answer.status_code == 409 and "limit of 1 checks an hour" in answer.json()["detail"]
    body = api_body(name="乙", id_number=ID_NUMBER, confirm_duplicate=True)
    assert api.post("/api/cases/", body, format="json").status_code == 201


# Identity-document numbers: a resident identity card number has its GB 11643 check digit.


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (ID_NUMBER, True),
        ("450102200501011234", False),  # the check digit of another number
        ("12345", False),
        ("45010220050101123Y", False),
        ("440103199501010045", True),
        ("44010319950101004x", False),
    ],
)
def test_a_resident_identity_card_number_is_checked(mps, number, valid, english):
    data = case_data(id_document_kind="resident_id", id_number=number)
    if valid:
        assert services.case_create(actor=mps, data=data, confirm_duplicate=True).id_number == number
    else:
        with pytest.raises(ValidationError) as error:
            services.case_create(actor=mps, data=data, confirm_duplicate=True)
        assert list(error.value.message_dict) == ["id_number"]
        assert not CaseFile.objects.exists()


def test_the_check_digit_x_is_accepted():
    from stdnum.cn import ric

    body = "11010519491231002"
    assert ric.calc_check_digit(body + "0") == "X"  # the example of GB 11643 itself
    assert _id_number_error("resident_id", body + "X") is None


def test_other_documents_are_free(mps):
    for kind in ("passport", "other"):
        case = services.case_create(
            actor=mps,
            data=case_data(id_document_kind=kind, id_number="12345", name=f"护照{kind}"),
            confirm_duplicate=True,
        )
        assert case.id_number == "12345" and case.id_document_kind == kind


def test_the_page_and_api_name_the_field_of_a_bad_number(client_as, api_as, english):
    response = in_english(client_as("case_mps")).post(reverse("cases:new"), page_form(id_number="12345"))
    assert response.status_code == 200 and "id_number" in response.context["form"].errors
    assert "18 characters" in response.context["form"].errors["id_number"][0]
    answer = in_english(api_as("case_mps")).post("/api/cases/", api_body(id_number="12345"), format="json")
    assert answer.status_code == 400 and "18 characters" in answer.json()["id_number"][0]
    passport = in_english(api_as("case_mps")).post(
        "/api/cases/", api_body(id_document_kind="passport", id_number="12345"), format="json"
    )
    assert passport.status_code == 201 and passport.json()["id_document_kind"] == "passport"
    assert not CaseFile.objects.filter(id_document_kind="resident_id").exists()


def test_an_old_unchecked_number_does_not_block_other_edits(mps):
    case = open_case(mps, id_number="OLD-123")  # recorded as another document
    case = services.case_update(actor=mps, case_id=case.pk, data={"status": "assisted"}, version=case.version)
    assert case.status == "assisted"
    with pytest.raises(ValidationError) as error:
        services.case_update(
            actor=mps, case_id=case.pk, data={"id_document_kind": "resident_id"}, version=case.version
        )
    assert list(error.value.message_dict) == ["id_number"]


# Dates: bounded to plausible ranges, the message naming the field.


def test_a_date_of_birth_of_year_one_is_refused(mps, english):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=mps, data=case_data(date_of_birth=dt.date(1, 1, 1)), confirm_duplicate=True
        )
    assert list(error.value.message_dict) == ["date_of_birth"]
    assert "cannot be before" in error.value.message_dict["date_of_birth"][0]


def test_a_date_of_birth_of_year_one_is_refused_in_page_and_api(client_as, api_as):
    response = client_as("case_mps").post(reverse("cases:new"), page_form(date_of_birth="0001-01-01"))
    assert response.status_code == 200 and list(response.context["form"].errors) == ["date_of_birth"]
    answer = api_as("case_mps").post("/api/cases/", api_body(date_of_birth="0001-01-01"), format="json")
    assert answer.status_code == 400 and list(answer.json()) == ["date_of_birth"]
    assert not CaseFile.objects.exists()


def test_other_case_dates_are_bounded(mps, case):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=mps,
            data=case_data(id_number="R1", date_of_birth=dt.date(1960, 1, 1), rescued_on=dt.date(1970, 1, 1)),
            confirm_duplicate=True,
        )
    assert list(error.value.message_dict) == ["rescued_on"]
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=mps,
            data=case_data(id_number="R2", date_of_birth=None, estimated_age=300),
            confirm_duplicate=True,
        )
    assert list(error.value.message_dict) == ["estimated_age"]
    with pytest.raises(ValidationError) as error:
        services.follow_up_add(
            actor=mps,
            case_id=case.pk,
            visited_on=dt.date(2009, 7, 1),
            living_conditions="稳定",
            next_visit_due=dt.date(2099, 1, 1),
        )
    assert list(error.value.message_dict) == ["next_visit_due"]
