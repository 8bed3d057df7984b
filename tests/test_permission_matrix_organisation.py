"""The permission matrix of case files held by local agencies (issue 12, points 3 and 6).

Agencies: 昆明市民政局 (MCA-530100) and 红河州民政局 (MCA-532500) in Yunnan, 南宁市民政局
(MCA-450100) in Guangxi, 云南省民政厅 (MCA-530000) with a case supervisor, and 石家庄市公安局
(MPS-130100) in Hebei, which rescues a person whose home is in Yunnan and refers the file across
provinces to Kunming. The rule (``CaseFile.access_filter``): a case officer sees the agency's files
and those referred to it while the referral stands; a supervisor reads the files of the same unit's
agencies at and below its division; everyone else gets 404 on a case. Each actor × each file × each
surface (list page, detail page, search by number and by document number, overdue visits, API
list and detail, export, audit entries, the job path) is asserted, then the referral's states, a
transfer, a user moved to another agency, and the query counts at two data sizes.
"""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Agency, Province
from agencies.services.accounts import api_token_issue
from cases import services
from cases.choices import ReferralState
from cases.models import CaseFile
from cases.models.referrals import Referral
from cases.selectors import suppressed_statistics
from core.choices import Role
from core.models import AuditEntry
from core.permissions import VIEW, job_reader
from tests.cases import open_case
from tests.personas import api_for, make_agency, make_persona, make_user, signed_in

pytestmark = pytest.mark.django_db

AGENCIES = {
    "MCA-530100": ("MCA", "530100", "昆明市民政局", "Kunming Civil Affairs Bureau"),
    "MCA-532500": ("MCA", "532500", "红河哈尼族彝族自治州民政局", "Honghe Prefecture Civil Affairs Bureau"),
    "MCA-450100": ("MCA", "450100", "南宁市民政局", "Nanning Civil Affairs Bureau"),
    "MCA-530000": ("MCA", "530000", "云南省民政厅", "Yunnan Provincial Department of Civil Affairs"),
    "MPS-130100": ("MPS", "130100", "石家庄市公安局", "Shijiazhuang Public Security Bureau"),
}
# The actors: username → (role, agency code); and the national personas who read no case.
OFFICERS = {
    "km": (Role.CASE_OFFICER, "MCA-530100"),
    "hh": (Role.CASE_OFFICER, "MCA-532500"),
    "nn": (Role.CASE_OFFICER, "MCA-450100"),
    "sup": (Role.CASE_SUPERVISOR, "MCA-530000"),
    "sjz": (Role.CASE_OFFICER, "MPS-130100"),
}
OTHERS = ["office", "auditor", "reporter_yn", "liaison_mca", "case_mca"]
ACTORS = [*OFFICERS, *OTHERS]
# The files: key → (holding officer, rescued in, home); "ref" is Shijiazhuang's, referred to Kunming
# and accepted.
FILES = {
    "km": ("km", "530000", "530000"),
    "hh": ("hh", "530000", "530000"),
    "nn": ("nn", "450000", "450000"),
    "sjz": ("sjz", "130000", "530000"),
    "ref": ("sjz", "130000", "530000"),
}
SEES = {
    "km": {"km", "ref"},
    "hh": {"hh"},
    "nn": {"nn"},
    "sup": {"km", "hh"},  # Yunnan's civil affairs: not Guangxi's, not Hebei's public security
    "sjz": {"sjz", "ref"},
    "case_mca": set(),  # the ministry's own case officer: none of the local agencies' files
}
# What each exports: a case officer the files it holds (not those referred to it), a supervisor
# those it reads.
EXPORTS = {
    "km": {"km"},
    "hh": {"hh"},
    "nn": {"nn"},
    "sup": {"km", "hh"},
    "sjz": {"sjz", "ref"},
    "case_mca": set(),
}


def document(key: str) -> str:
    return f"DOC-{key.upper()}-0001"


def open_file(officer, key: str, rescued_in: str, home: str) -> CaseFile:
    return open_case(
        officer,
        name=f"测试{key}",
        id_number=document(key),
        rescuing_agency=officer.agency,
        rescue_province=Province.objects.get(code=rescued_in),
        home_province=Province.objects.get(code=home),
    )


@pytest.fixture
def org(plan):
    agencies = {code: make_agency(code, *AGENCIES[code][2:]) for code in AGENCIES}
    users = {name: make_user(name, role, agency=code) for name, (role, code) in OFFICERS.items()}
    users.update({name: make_persona(name) for name in OTHERS})
    files = {
        key: open_file(users[holder], key, rescued, home) for key, (holder, rescued, home) in FILES.items()
    }
    referral = services.referral_create(
        actor=users["sjz"], case_id=files["ref"].pk, to_agency=agencies["MCA-530100"], purpose="返乡安置"
    )
    services.referral_decide(actor=users["km"], referral_id=referral.pk, accept=True)
    for key, (holder, _rescued, _home) in FILES.items():  # a visit of each file, the next one overdue
        services.follow_up_add(
            actor=users[holder], case_id=files[key].pk, visited_on=dt.date(2009, 7, 1),
            living_conditions="稳定", next_visit_due=dt.date(2009, 8, 1),
        )  # fmt: skip
    return SimpleNamespace(agencies=agencies, users=users, files=files, referral=referral)


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {case.number for case in response.context["page"]}


def api_listed(response) -> set[str]:
    assert response.status_code == 200
    return {case["number"] for case in response.json()["results"]}


def exported(response) -> set[str]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[0] for row in rows[1:]}


def numbers(org, keys) -> set[str]:
    return {org.files[key].number for key in keys}


@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_sees_exactly_the_files_the_rule_gives(client, org, actor):
    user = org.users[actor]
    client, api = signed_in(client, user), api_for(user)
    sees = SEES.get(actor, set())
    reader = actor in SEES
    cases_url = reverse("cases:list")

    if reader:
        assert listed(client.get(cases_url)) == numbers(org, sees)
        shown = AuditEntry.objects.filter(user=user, action="list").latest("pk")
        assert set(shown.detail["shown"]) == numbers(org, sees)
    else:
        assert client.get(cases_url).status_code == 404
    assert api_listed(api.get("/api/cases/")) == numbers(org, sees)

    for key, case in org.files.items():
        seen = key in sees
        where = f"{actor} on the file of {key}"
        page = client.get(reverse("cases:case", kwargs={"number": case.number}))
        assert page.status_code == (200 if seen else 404), f"{where}: page"
        assert api.get(f"/api/cases/{case.number}/").status_code == (200 if seen else 404), f"{where}: API"
        reads = AuditEntry.objects.filter(user=user, object_label=case.number, action__in=["view", "refused"])
        expected = ["view", "view"] if seen else ["refused", "refused"]
        assert [e.action for e in reads.order_by("pk")] == expected, f"{where}: audit"
        assert [e.channel for e in reads.order_by("pk")] == ["page", "api"], f"{where}: audit channel"
        for query in (case.number, document(key)):
            searched = client.post(cases_url, {"q": query})
            if reader:
                assert listed(searched) == ({case.number} if seen else set()), f"{where}: search {query}"
            else:
                assert searched.status_code == 404, f"{where}: search"

    overdue = client.get(reverse("cases:overdue"))
    if reader:
        assert {c.number for c in overdue.context["page"]} == numbers(org, sees)
    else:
        assert overdue.status_code == 404

    export = client.post(reverse("cases:export", kwargs={"fmt": "csv"}), {})
    if reader:
        assert exported(export) == numbers(org, EXPORTS[actor])
        exports = AuditEntry.objects.filter(user=user, action="export")
        assert {e.object_label for e in exports} == numbers(org, EXPORTS[actor])
    else:
        assert export.status_code == 404

    # The job path: no case job exists; the jobs that read case data (a compiled report's case
    # section) read as the job reader, which sees no file, only the suppressed aggregates.
    assert not CaseFile.objects.restrict(job_reader(), VIEW).exists()
    assert suppressed_statistics(job_reader()).threshold >= 1


def test_the_supervisor_reads_with_the_holding_agency_and_its_place_and_writes_nothing(client, org):
    sup = org.users["sup"]
    client, api = signed_in(client, sup), api_for(sup)
    page = client.get(reverse("cases:list")).content.decode()
    assert "红河哈尼族彝族自治州民政局" in page and "昆明市民政局" in page  # each file's holder
    assert "红河哈尼族彝族自治州" in page and "昆明市" in page  # and its place
    assert reverse("cases:new") not in page and 'id="incoming"' not in page
    case = org.files["km"]
    detail = client.get(reverse("cases:case", kwargs={"number": case.number})).content.decode()
    for name in ("service", "follow_up", "referral_add", "edit"):
        assert reverse(f"cases:{name}", kwargs={"number": case.number}) not in detail, name
    # Revealing the identifiers is a read: allowed with a reason, and logged as for an officer.
    revealed = client.post(reverse("cases:reveal", kwargs={"number": case.number}), {"reason": "督导核查"})
    assert revealed.status_code == 200 and "测试km" in revealed.content.decode()
    assert AuditEntry.objects.get(user=sup, action="reveal").detail == {"reason": "督导核查"}
    # Writes: 403 on a file it reads (404 for the edit, as for a receiving agency), 404 on intake.
    on = {"kind": "shelter", "provided_on": "2009-06-02"}
    assert client.post(reverse("cases:service", kwargs={"number": case.number}), on).status_code == 403
    visit = {"visited_on": "2009-06-03", "living_conditions": "稳定"}
    assert client.post(reverse("cases:follow_up", kwargs={"number": case.number}), visit).status_code == 403
    refer = {"to_agency": org.agencies["MCA-532500"].pk, "kind": "referral", "purpose": "x"}
    assert (
        client.post(reverse("cases:referral_add", kwargs={"number": case.number}), refer).status_code == 403
    )
    assert client.post(reverse("cases:edit", kwargs={"number": case.number}), {}).status_code == 404
    assert client.get(reverse("cases:new")).status_code == 404
    assert api.post(f"/api/cases/{case.number}/services/", on, format="json").status_code == 403
    assert api.post(f"/api/cases/{case.number}/follow-ups/", visit, format="json").status_code == 403
    assert api.post("/api/cases/", {}, format="json").status_code == 403
    body = {"case": case.number, "to_agency": "MCA-532500", "purpose": "x"}
    assert api.post("/api/referrals/", body, format="json").status_code == 403
    assert api.get("/api/referrals/").json()["results"] == []
    assert not case.services.exists() and case.follow_ups.count() == 1 and not case.referrals.exists()
    # The API names agencies by their codes.
    assert api.get(f"/api/cases/{case.number}/").json()["owner_agency"] == "MCA-530100"


def test_a_referral_across_provinces_through_each_state(client, org):
    """Shijiazhuang (Hebei) refers its own file to Kunming (Yunnan): pending, the receiver sees the
    referral and not the case; accepted, it sees the case; declined, completed, revoked: 404 again."""
    sjz, km = org.users["sjz"], org.users["km"]
    case = org.files["sjz"]
    client = signed_in(client, km)
    api = api_for(km)
    url = reverse("cases:case", kwargs={"number": case.number})

    def km_sees() -> bool:
        page, answer = client.get(url).status_code, api.get(f"/api/cases/{case.number}/").status_code
        assert page == answer
        return page == 200

    def referred(**kwargs):
        return services.referral_create(
            actor=sjz, case_id=case.pk, to_agency=org.agencies["MCA-530100"], purpose="返乡安置", **kwargs
        )

    pending = referred()
    assert not km_sees()
    box = client.get(reverse("cases:list"))
    assert [r.pk for r in box.context["incoming"]] == [pending.pk]  # the referral, not the contents
    assert case.number not in listed(box) and "测试sjz" not in box.content.decode()
    assert pending.pk in {r["id"] for r in api.get("/api/referrals/").json()["results"]}
    services.referral_decide(actor=km, referral_id=pending.pk, accept=False, note="户籍不在本市")
    assert not km_sees()  # declined

    accepted = referred()
    client.post(reverse("cases:referral", kwargs={"pk": accepted.pk, "action": "accept"}))
    assert Referral.objects.get(pk=accepted.pk).state == ReferralState.ACCEPTED
    assert km_sees()
    assert case.number in listed(client.get(reverse("cases:list")))
    # Kunming's supervisor does not read it: the file is still Hebei's public security's.
    assert not CaseFile.objects.restrict(org.users["sup"]).filter(pk=case.pk).exists()
    services.referral_end(actor=km, referral_id=accepted.pk, revoke=False)
    assert not km_sees()  # completed

    again = referred()
    services.referral_decide(actor=km, referral_id=again.pk, accept=True)
    assert km_sees()
    api_for(sjz).post(f"/api/referrals/{again.pk}/revoke/")
    assert Referral.objects.get(pk=again.pk).state == ReferralState.REVOKED
    assert not km_sees()  # revoked
    assert case.number not in listed(client.get(reverse("cases:list")))


def test_a_referral_goes_only_to_an_agency_that_keeps_case_files(org):
    from django.core.exceptions import ValidationError

    office = Agency.objects.get(code="ATO-530000")  # Yunnan's anti-trafficking office keeps no file
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=org.users["sjz"], case_id=org.files["sjz"].pk, to_agency=office, purpose="x"
        )
    assert set(error.value.message_dict) == {"to_agency"}
    answer = api_for(org.users["sjz"]).post(
        "/api/referrals/",
        {"case": org.files["sjz"].number, "to_agency": "ATO-530000", "purpose": "x"},
        format="json",
    )
    assert answer.status_code == 400 and "to_agency" in answer.json()


def test_a_transfer_moves_the_file_and_the_referrals_that_stand_on_it(client, org):
    """Shijiazhuang hands its file (already referred to Kunming for services) over to Honghe:
    Honghe holds it, Shijiazhuang sees it no more, Kunming's referral stands (now Honghe's to
    revoke), and Yunnan's supervisor reads it from then on."""
    sjz, km, hh, sup = (org.users[name] for name in ("sjz", "km", "hh", "sup"))
    case = org.files["ref"]
    transfer = services.referral_create(
        actor=sjz, case_id=case.pk, to_agency=org.agencies["MCA-532500"], purpose="移交", kind="transfer"
    )
    assert not CaseFile.objects.restrict(hh).filter(pk=case.pk).exists()  # pending: not yet
    services.referral_decide(actor=hh, referral_id=transfer.pk, accept=True)
    moved = CaseFile.objects.get(pk=case.pk)
    assert moved.owner_agency.code == "MCA-532500"
    assert Referral.objects.get(pk=transfer.pk).state == ReferralState.COMPLETED
    assert CaseFile.objects.restrict(hh, "change").filter(pk=case.pk).exists()
    assert not CaseFile.objects.restrict(sjz).filter(pk=case.pk).exists()
    assert CaseFile.objects.restrict(km).filter(pk=case.pk).exists()  # Kunming's referral stands
    assert CaseFile.objects.restrict(sup).filter(pk=case.pk).exists()  # Yunnan's civil affairs now
    standing = Referral.objects.get(pk=org.referral.pk)
    assert standing.from_agency.code == "MCA-532500" and standing.state == ReferralState.ACCEPTED
    assert not Referral.objects.restrict(sjz).filter(pk=standing.pk).exists()
    entry = AuditEntry.objects.filter(action="transfer").get()
    assert entry.detail["from"] == "MPS-130100" and entry.detail["to"] == "MCA-532500"
    assert (
        signed_in(client, sjz).get(reverse("cases:case", kwargs={"number": case.number})).status_code == 404
    )
    services.referral_end(actor=hh, referral_id=standing.pk, revoke=True)  # the new holder revokes
    assert not CaseFile.objects.restrict(km).filter(pk=case.pk).exists()


def test_a_user_moved_to_another_agency_loses_the_old_files_at_once(client, org):
    km = org.users["km"]
    client = signed_in(client, km)
    own, referred, nanning = org.files["km"], org.files["ref"], org.files["nn"]
    token = api_token_issue(user=km)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert listed(client.get(reverse("cases:list"))) == {own.number, referred.number}
    assert api_listed(api.get("/api/cases/")) == {own.number, referred.number}

    km.agency = org.agencies["MCA-450100"]
    km.save()

    # The same session and the same token, on the next request: Nanning's files, none of Kunming's.
    assert listed(client.get(reverse("cases:list"))) == {nanning.number}
    assert api_listed(api.get("/api/cases/")) == {nanning.number}
    for case in (own, referred):
        assert client.get(reverse("cases:case", kwargs={"number": case.number})).status_code == 404
        assert api.get(f"/api/cases/{case.number}/").status_code == 404
        assert listed(client.post(reverse("cases:list"), {"q": case.number})) == set()
    assert exported(client.post(reverse("cases:export", kwargs={"fmt": "csv"}), {})) == {nanning.number}
    # Kunming's incoming referrals are no longer the user's to decide.
    pending = services.referral_create(
        actor=org.users["sjz"], case_id=org.files["sjz"].pk, to_agency=org.agencies["MCA-530100"], purpose="x"
    )
    answer = client.post(reverse("cases:referral", kwargs={"pk": pending.pk, "action": "accept"}))
    assert answer.status_code == 404
    assert api.post(f"/api/referrals/{pending.pk}/accept/", {}, format="json").status_code == 404
    assert Referral.objects.get(pk=pending.pk).state == ReferralState.PENDING
    # The supervisor moved to Guangxi's department reads Nanning's, not Yunnan's.
    sup = org.users["sup"]
    sup.agency = make_agency("MCA-450000")
    sup.save()
    assert api_listed(api_for(sup).get("/api/cases/")) == {nanning.number}


def more_files(org, count: int) -> None:
    """``count`` more files of each agency, each Hebei one referred to Kunming and accepted."""
    for n in range(count):
        for key, holder in (("km", "km"), ("hh", "hh"), ("nn", "nn")):
            open_file(org.users[holder], f"{key}{n}", "530000", "530000")
        extra = open_file(org.users["sjz"], f"sjz{n}", "130000", "530000")
        referral = services.referral_create(
            actor=org.users["sjz"], case_id=extra.pk, to_agency=org.agencies["MCA-530100"], purpose="安置"
        )
        services.referral_decide(actor=org.users["km"], referral_id=referral.pk, accept=True)


@pytest.mark.parametrize("actor", ["km", "sup"])
def test_case_list_and_api_list_cost_the_same_at_two_data_sizes(client, org, actor):
    user = org.users[actor]
    client, api = signed_in(client, user), api_for(user)

    def counts():
        # Each asked once before counting: a session's first request, and the supervisor's
        # division read once on the API's user object, cost their own queries.
        client.get(reverse("cases:list"))
        api.get("/api/cases/")
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("cases:list")).status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/cases/").status_code == 200
        return len(page), len(listing)

    few = counts()
    more_files(org, 8)
    assert len(CaseFile.objects.restrict(user)) >= 10
    assert counts() == few


def test_the_demo_story_as_its_users_see_it(plan):
    """The demo: Hebei's files referred across provinces to Kunming in every state, a transfer, and
    files of Kunming, Honghe and Nanning. case.mca sees Kunming's and those referred to it while the
    referral stands; supervisor.mca.yn reads Kunming's and Honghe's, none of Nanning's or Hebei's."""
    from django.core.management import call_command

    from agencies.models import User

    quiet = io.StringIO()
    call_command("create_demo_users", force=True, stdout=quiet)
    call_command("create_demo_cases", force=True, stdout=quiet)
    users = {u.username: u for u in User.objects.filter(username__startswith="case.") | User.objects.filter(
        username="supervisor.mca.yn"
    )}  # fmt: skip
    held = {code: set(CaseFile.objects.filter(owner_agency__code=code).values_list("pk", flat=True))
            for code in ("MPS-130100", "MCA-530100", "MCA-532500", "MCA-450100")}  # fmt: skip
    assert all(held.values())
    referrals = Referral.objects.filter(from_agency__code="MPS-130100", to_agency__code="MCA-530100")
    states = set(referrals.values_list("state", flat=True))
    assert {"pending", "accepted", "declined", "completed", "revoked"} <= states
    transferred = AuditEntry.objects.filter(action="transfer").get()
    assert transferred.detail["from"] == "MPS-130100" and transferred.detail["to"] == "MCA-530100"
    hebei = CaseFile.objects.filter(rescuing_agency__code="MPS-130100")
    assert hebei.exists() and not hebei.exclude(rescue_province__code="130000").exists()
    assert not hebei.exclude(home_province__code="530000").exists()
    assert not hebei.filter(rescue_division__isnull=True).exists()
    assert not hebei.exclude(rescue_division__code__startswith="1301").exists()
    assert not hebei.filter(home_division__isnull=True).exists()
    # Obviously fictional (the identifiers are encrypted: read, not filtered).
    assert all("虚构" in c.name and c.id_number.startswith("DEMO") for c in CaseFile.objects.all())

    def sees(username):
        return set(CaseFile.objects.restrict(users[username]).values_list("pk", flat=True))

    accepted = set(referrals.filter(state="accepted").values_list("case_id", flat=True))
    assert accepted and sees("case.mca") == held["MCA-530100"] | accepted
    assert not sees("case.mca") & set(referrals.exclude(state="accepted").exclude(
        case__owner_agency__code="MCA-530100").values_list("case_id", flat=True))  # fmt: skip
    assert sees("supervisor.mca.yn") == held["MCA-530100"] | held["MCA-532500"]
    assert sees("case.mca.nanning") == held["MCA-450100"]
    pending_to_honghe = Referral.objects.filter(to_agency__code="MCA-532500", state="pending")
    assert pending_to_honghe.exists() and sees("case.mca.honghe") == held["MCA-532500"]
