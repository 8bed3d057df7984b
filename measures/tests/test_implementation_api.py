"""Implementation plans' API: list restricted and paged, detail with lines and targets, create and
update by the owner (400 naming the field, nothing half-saved; 409 stale), submit, the Office's
accept / return / reopen, who has no plan yet; 404 for what the caller may not see, 403 for a
reader who may not write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import ReviewState, Role
from measures.models import ImplementationLine, ImplementationPlan, ProgressEntry
from tests.implementation import line, save_plan
from tests.personas import api_for, make_agency, make_user
from tests.progress import log_entry

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]

URL = "/api/implementation-plans/"


def body(**extra) -> dict:
    return {
        "plan": "2008-2012",
        "summary": "云南省实施计划",
        "lines": [
            {
                "measure": "2.1",
                "text": "严厉打击",
                "office_in_charge": "刑侦总队",
                "budget": "100000.00",
                "targets": [{"year": 2009, "text": "破案100起", "quantity": 100}],
            },
            {
                "measure": "2.1",
                "kind": "local_measure",
                "title": "边境巡逻",
                "text": "联合巡逻",
                "office_in_charge": "边防总队",
                "targets": [
                    {"year": 2009, "division": "530100", "text": "昆明12次"},
                    {"year": 2009, "division": "533100", "text": "德宏24次"},
                ],
            },
        ],
        **extra,
    }


def test_a_province_creates_updates_and_submits_its_plan(api_as):
    api = api_as("reporter_yn")
    created = api.post(URL, body(), format="json")
    assert created.status_code == 201, created.data
    data = created.data
    assert data["province"] == "530000" and data["state"] == "draft" and len(data["lines"]) == 2
    local = data["lines"][1]
    assert [t["division"] for t in local["targets"]] == ["530100", "533100"]
    lines = [{**data["lines"][0], "text": "改过"}]  # the second line is left out: removed
    update = {"plan": "2008-2012", "lines": lines, "version": 1}
    updated = api.put(f"{URL}{data['id']}/", update, format="json")
    assert updated.status_code == 200, updated.data
    assert [ln["text"] for ln in updated.data["lines"]] == ["改过"]
    assert updated.data["lines"][0]["id"] == data["lines"][0]["id"]
    stale = api.put(f"{URL}{data['id']}/", update, format="json")
    assert stale.status_code == 409
    submitted = api.post(f"{URL}{data['id']}/submit/", {"version": 2}, format="json")
    assert submitted.status_code == 200 and submitted.data["state"] == "submitted"


def test_bad_input_names_the_field_and_saves_nothing(api_as):
    api = api_as("reporter_yn")
    bad = body()
    bad["lines"][1]["budget"] = "-1"
    response = api.post(URL, bad, format="json")
    assert response.status_code == 400 and "budget" in str(response.data["lines"][1])
    bad = body()
    bad["lines"][1]["targets"][0]["division"] = "450100"  # Nanning is not in Yunnan
    response = api.post(URL, bad, format="json")
    assert response.status_code == 400 and "lines.1.targets.0.division" in response.data
    bad = body()
    bad["lines"][0]["measure"] = "9.9"
    response = api.post(URL, bad, format="json")
    assert response.status_code == 400 and "lines.0.measure" in response.data
    assert not ImplementationPlan.objects.exists() and not ImplementationLine.objects.exists()


def test_who_sees_what(persona):
    draft = save_plan(persona("liaison_mca"), [line("2.1")])
    submitted = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    yunnan = save_plan(persona("reporter_yn"), [line("2.1")])
    make_agency("ATO-530100")
    kunming = make_user("km", Role.PROVINCE, agency="ATO-530100")

    def ids(user):
        return {row["id"] for row in api_for(user).get(URL).data["results"]}

    assert ids(persona("liaison_mca")) == {draft.pk}
    assert ids(persona("office")) == {submitted.pk}
    assert ids(kunming) == set()  # its province's draft
    assert api_for(persona("liaison_mca")).get(f"{URL}{submitted.pk}/").status_code == 404
    assert api_for(persona("office")).get(f"{URL}{draft.pk}/").status_code == 404
    assert api_for(kunming).get(f"{URL}{yunnan.pk}/").status_code == 404
    save_plan(persona("reporter_yn"), [line("2.1")], version=yunnan.version, submit=True, record_id=yunnan.pk)
    assert ids(kunming) == {yunnan.pk}  # sent: the prefecture reads it
    detail = api_for(kunming).get(f"{URL}{yunnan.pk}/")
    assert detail.status_code == 200 and detail.data["lines"][0]["measure"] == "2.1"


def test_readers_may_not_write(persona):
    submitted = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    auditor = api_for(persona("auditor"))
    assert auditor.post(URL, body(), format="json").status_code == 403
    accept = auditor.post(f"{URL}{submitted.pk}/accept/", {"version": submitted.version}, format="json")
    assert accept.status_code == 403
    mca = api_for(persona("liaison_mca"))
    assert (
        mca.post(f"{URL}{submitted.pk}/accept/", {"version": submitted.version}, format="json").status_code
        == 404
    )
    assert mca.put(f"{URL}{submitted.pk}/", body(version=submitted.version), format="json").status_code == 404


def test_the_office_accepts_returns_and_reopens(persona, api_as):
    record = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    office = api_as("office")
    response = office.post(
        f"{URL}{record.pk}/return/", {"version": record.version, "comment": ""}, format="json"
    )
    assert response.status_code == 400 and "comment" in response.data
    response = office.post(f"{URL}{record.pk}/accept/", {"version": record.version}, format="json")
    assert response.status_code == 200 and response.data["state"] == ReviewState.ACCEPTED
    owner = api_as("liaison_mps")
    frozen = owner.put(f"{URL}{record.pk}/", body(version=response.data["version"]), format="json")
    assert frozen.status_code == 409
    reopened = office.post(
        f"{URL}{record.pk}/reopen/",
        {"version": response.data["version"], "comment": "年度调整"},
        format="json",
    )
    assert reopened.status_code == 200 and reopened.data["state"] == ReviewState.RETURNED


def test_who_has_no_plan_yet(persona, api_as):
    save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    save_plan(persona("liaison_mca"), [line("2.1")])  # a draft: not seen by the Office
    response = api_as("office").get(f"{URL}missing/?plan=2008-2012&limit=100")
    codes = [row["code"] for row in response.data["results"]]
    # 27 units write plans after the 2008 restructuring (test_implementation_pages), and 31 provinces.
    assert response.data["count"] == 27 + 31 - 1 and "MPS" not in codes and "MCA" in codes
    assert {"kind": "province", "code": "530000", "name": "云南省"} in response.data["results"]
    assert api_as("auditor").get(f"{URL}missing/?plan=2008-2012").status_code == 200
    assert api_as("liaison_mca").get(f"{URL}missing/?plan=2008-2012").status_code == 404
    assert api_as("office").get(f"{URL}missing/?plan=nope").status_code == 404


def test_a_progress_entry_names_its_line_through_the_api(persona, api_as):
    mca = save_plan(persona("liaison_mca"), [line("4.2.a")]).lines.get()
    mps = save_plan(persona("liaison_mps"), [line("4.2.a")]).lines.get()
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3")
    api = api_as("liaison_mca")
    url = f"/api/progress-entries/{entry.pk}/"
    refused = api.patch(url, {"plan_line": mps.pk, "version": entry.version}, format="json")
    assert refused.status_code == 400 and "plan_line" in refused.data
    chosen = api.patch(url, {"plan_line": mca.pk, "version": entry.version}, format="json")
    assert chosen.status_code == 200 and chosen.data["plan_line"] == mca.pk
    kept = api.patch(url, {"narrative": "再写", "version": chosen.data["version"]}, format="json")
    assert kept.data["plan_line"] == mca.pk and ProgressEntry.objects.get().plan_line_id == mca.pk


def test_the_list_costs_the_same_with_more_plans_and_lines(persona, api_as):
    office = api_as("office")
    save_plan(persona("liaison_mps"), [line("2.1", years={2009: "甲"})], submit=True)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert office.get(f"{URL}?limit=500").status_code == 200
        return len(queries)

    small = count()
    for name in ("liaison_mca", "reporter_yn", "reporter_gx"):
        save_plan(
            persona(name), [line("2.1", years={2009: "甲"}), line("2.2", years={2010: "乙"})], submit=True
        )
    assert count() == small
