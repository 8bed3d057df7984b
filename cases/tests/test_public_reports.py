"""Reports of suspected crimes from the public: routing, the follow-up code, who reads them (404
for the rest, every read audited), bad input (nothing half-saved), the limits and the flood checks,
the receivers' writes, statistics and query counts."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Division, User
from cases.choices import PublicReportStatus
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.services.public_reports import (
    CODE_ALPHABET,
    PublicReportInput,
    canonical_code,
    new_follow_up_code,
    public_report_forward,
    public_report_status,
    public_report_submit,
    public_report_update,
)
from cases.views import public_reports as public_report_views
from core.models import AuditEntry, Notification
from core.workflow import EditConflict, WorkflowError
from tests.personas import api_for, signed_in
from tests.progress import pdf
from tests.public_reports import form_data, public_client, report_in, seated_world, solved_payload
from tests.queries import page_queries


@pytest.fixture
def world(db, persona):
    return seated_world()


def test_routing_to_the_nearest_seat_or_the_triage(world, office):
    wuhua, _code = report_in("530102")  # 五华区 in Kunming: Kunming's ATO sits in its bureau
    qujing, _code = report_in("530300")  # 曲靖市: no seat of its own, Yunnan's
    nanning, _code = report_in("450100")  # Guangxi has none: the Office's triage
    assert wuhua.receiving_agency == world["kunming"] and not wuhua.via_triage
    assert qujing.receiving_agency == world["yunnan"] and qujing.province.code == "530000"
    assert nanning.receiving_agency is None and nanning.via_triage
    assert nanning.status == PublicReportStatus.IN_TRIAGE and wuhua.status == PublicReportStatus.RECEIVED
    assert Notification.objects.filter(user=world["officer_km"]).count() == 1
    assert Notification.objects.filter(user=office).count() == 1


def test_the_code_has_100_bits_in_groups_and_is_kept_only_as_a_hash(world):
    codes = {new_follow_up_code() for _ in range(2000)}
    assert len(codes) == 2000
    pattern = re.compile(rf"^[{CODE_ALPHABET}]{{4}}(-[{CODE_ALPHABET}]{{4}}){{4}}$")
    assert all(pattern.match(code) for code in codes)
    assert len(CODE_ALPHABET) == 32 and not set("ILOU") & set(CODE_ALPHABET)
    report, code = report_in("530102")
    assert code not in report.follow_up_index and len(report.follow_up_index) == 64
    # Typed in lower case, without dashes, with O for 0 and l for 1: the same code.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert canonical_code(typed) == code.replace("-", "")
    assert public_report_status(code=typed).status == PublicReportStatus.RECEIVED


def test_bad_input_names_the_field_and_keeps_nothing(world):
    yunnan = Division.objects.get(code="530000")
    bad_file = SimpleUploadedFile("photo.png", b"not a png", "image/png")
    cases = [
        ({"division": yunnan, "description": "  "}, "description"),
        ({"division": yunnan, "description": "x" * 5001}, "description"),
        ({"division": None, "description": "有人被拐"}, "division"),
        ({"division": yunnan, "description": "有人被拐", "is_anonymous": False}, "contact_phone"),
        (
            {"division": yunnan, "description": "有人被拐", "is_anonymous": False, "contact_phone": "abc"},
            "contact_phone",
        ),
        (
            {"division": yunnan, "description": "有人被拐", "is_anonymous": False, "contact_email": "no-at"},
            "contact_email",
        ),
        ({"division": yunnan, "description": "有人被拐", "attachments": [pdf(), bad_file]}, "attachments"),
        (
            {"division": yunnan, "description": "有人被拐", "attachments": [pdf() for _ in range(4)]},
            "attachments",
        ),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            public_report_submit(data=PublicReportInput(**data))
        assert field in refused.value.message_dict, (data, refused.value.message_dict)
    assert PublicReport.objects.count() == 0 and PublicReportAttachment.objects.count() == 0


def test_contact_details_are_encrypted_at_rest(world):
    report, _code = report_in(
        "530102",
        is_anonymous=False,
        contact_name="王芳",
        contact_phone="13800001111",
        contact_email="a@example.cn",
    )
    with connection.cursor() as cursor:
        cursor.execute("select contact_phone, description from cases_publicreport where id = %s", [report.pk])
        phone, description = cursor.fetchone()
    assert "13800001111" not in phone and "诱骗" not in description
    assert PublicReport.objects.get(pk=report.pk).contact_phone == "13800001111"


def test_the_public_page_sends_a_report_and_shows_the_code_once(world, settings):
    person = public_client()
    assert person.get(reverse("public_report")).status_code == 200
    response = person.post(
        reverse("public_report"), form_data(settings, attachments=pdf("evidence.pdf")), follow=False
    )
    assert response.status_code == 302 and response["Location"] == reverse("public_report_sent")
    assert "code" not in response["Location"].lower()
    page = person.get(reverse("public_report_sent")).content.decode()
    code = re.search(r'id="follow-up-code">([0-9A-Z-]+)<', page).group(1)
    report = PublicReport.objects.get()
    assert report.division.code == "530102" and report.receiving_agency == world["kunming"]
    assert report.attachments.get().original_name == "evidence.pdf"
    assert code not in person.get(reverse("public_report_sent")).content.decode()  # shown once
    answer = person.post(reverse("public_report_status"), {"code": code}).content.decode()
    assert str(PublicReportStatus.RECEIVED.label) in answer
    assert "陌生人" not in answer and str(world["kunming"]) not in answer


def test_a_wrong_code_and_a_missing_report_answer_the_same(world):
    report_in("530102")
    person = public_client()
    wrong = person.post(reverse("public_report_status"), {"code": new_follow_up_code()})
    garbage = person.post(reverse("public_report_status"), {"code": "----"})
    assert wrong.status_code == garbage.status_code == 200
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"', "", html.decode())  # noqa: E731
    assert strip(wrong.content) == strip(garbage.content)
    assert public_report_status(code="") is None


def test_bad_input_on_the_page_names_the_field_and_keeps_nothing(world, settings):
    person = public_client()
    bad_file = SimpleUploadedFile("photo.jpg", b"GIF89a", "image/jpeg")
    response = person.post(reverse("public_report"), form_data(settings, attachments=bad_file))
    assert response.status_code == 400
    assert "photo.jpg" in response.content.decode()
    assert 'id="id_attachments_error"' in response.content.decode()
    response = person.post(reverse("public_report"), form_data(settings, province="999999", description=""))
    assert 'id="id_province_error"' in response.content.decode()
    assert 'id="id_description_error"' in response.content.decode()
    assert PublicReport.objects.count() == 0 and PublicReportAttachment.objects.count() == 0


def test_the_trap_field_and_the_proof_of_work_refuse_robots(world, settings):
    person = public_client()
    refusals = [
        form_data(settings, website="http://spam.example"),
        form_data(settings, altcha=""),
        form_data(settings, altcha="eyJub3QiOiAiYSBwYXlsb2FkIn0="),
    ]
    for data in refusals:
        response = person.post(reverse("public_report"), data)
        assert response.status_code == 400 and PublicReport.objects.count() == 0
    payload = solved_payload(settings)
    assert person.post(reverse("public_report"), form_data(settings, altcha=payload)).status_code == 302
    # The same solved challenge once more: refused (each counts for one report).
    assert person.post(reverse("public_report"), form_data(settings, altcha=payload)).status_code == 400
    assert PublicReport.objects.count() == 1


def test_the_limits_answer_429_after_the_rate(world, settings):
    settings.PUBLIC_REPORT_RATE, settings.PUBLIC_STATUS_RATE = "2/h", "3/h"
    person = public_client()
    for _ in range(2):
        assert person.post(reverse("public_report"), form_data(settings)).status_code == 302
    typed = form_data(settings)
    limited = person.post(reverse("public_report"), typed)
    assert limited.status_code == 429 and "110" in limited.content.decode()
    assert typed["description"] in limited.content.decode()  # what was typed comes back
    assert PublicReport.objects.count() == 2
    for _ in range(3):
        assert person.post(reverse("public_report_status"), {"code": "X"}).status_code == 200
    assert person.post(reverse("public_report_status"), {"code": "X"}).status_code == 429
    assert public_client().post(reverse("public_report_status"), {"code": "X"}).status_code == 200


def test_the_public_pages_need_no_account_and_keep_csrf(world, settings):
    strict = public_client()
    strict.handler.enforce_csrf_checks = True
    assert strict.get(reverse("public_report")).status_code == 200
    assert strict.get(reverse("public_report_status")).status_code == 200
    assert strict.post(reverse("public_report"), form_data(settings)).status_code == 403
    assert PublicReport.objects.count() == 0
    counties = (
        public_client().get(reverse("public_report_counties"), {"province": "530000"}).json()["counties"]
    )
    assert {"530100", "530102"} <= {row["code"] for row in counties} and "450100" not in str(counties)


@pytest.mark.parametrize("reader", ["officer_km", "officer_yn", "office", "liaison_mca", "case_mca"])
def test_who_reads_which_report(world, persona, client, reader):
    kunming, _ = report_in("530102")
    yunnan, _ = report_in("530300")
    triage, _ = report_in("450100")
    user = world.get(reader) or persona(reader)
    signed_in(client, user)
    sees = {
        "officer_km": {kunming},
        "officer_yn": {yunnan},
        "office": {triage},
        "liaison_mca": set(),
        "case_mca": set(),
    }[reader]
    for report in (kunming, yunnan, triage):
        response = client.get(reverse("cases:public_report", args=[report.pk]))
        assert response.status_code == (200 if report in sees else 404), (reader, report.division)
    listing = client.get(reverse("cases:public_reports"))
    if reader == "liaison_mca":
        assert listing.status_code == 404
    else:
        shown = set(re.findall(r"/cases/public-reports/(\d+)/", listing.content.decode()))
        assert shown == {str(r.pk) for r in sees}
    if sees:
        report = next(iter(sees))
        assert AuditEntry.objects.filter(user=user, action="view", object_id=report.pk).count() == 1
        assert AuditEntry.objects.filter(user=user, action="list").exists()
    assert AuditEntry.objects.filter(user=user, action="refused").count() >= 3 - len(sees)


def test_attachments_go_out_only_to_readers_and_the_download_is_audited(world, client, persona):
    report, _ = report_in("530102", attachments=[pdf("scene.pdf")])
    attachment = report.attachments.get()
    url = reverse("cases:public_report_file", args=[attachment.pk])
    assert signed_in(client, world["officer_yn"]).get(url).status_code == 404
    response = signed_in(client, world["officer_km"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        user=world["officer_km"], action="download", object_id=report.pk
    ).exists()


def test_the_receiver_changes_status_and_notes_with_a_version(world, office):
    report, code = report_in("530102")
    officer = world["officer_km"]
    saved = public_report_update(
        actor=officer,
        report_id=report.pk,
        version=1,
        status=PublicReportStatus.UNDER_REVIEW,
        notes="已派员核查",
    )
    assert saved.version == 2 and public_report_status(code=code).status == PublicReportStatus.UNDER_REVIEW
    with pytest.raises(EditConflict):
        public_report_update(actor=officer, report_id=report.pk, version=1, status=PublicReportStatus.CLOSED)
    with pytest.raises(ValidationError) as refused:
        public_report_update(
            actor=officer, report_id=report.pk, version=2, status=PublicReportStatus.IN_TRIAGE
        )
    assert "status" in refused.value.message_dict
    with pytest.raises(PermissionDenied):  # the Office reads what came through triage, and writes none
        triage, _ = report_in("450100")
        public_report_update(actor=office, report_id=triage.pk, version=1, status=PublicReportStatus.CLOSED)
    assert PublicReport.objects.get(pk=report.pk).notes == "已派员核查"


def test_the_office_forwards_from_its_triage(world, office, client):
    report, code = report_in("450100")
    signed_in(client, office)
    page = client.get(reverse("cases:public_reports") + "?queue=triage").content.decode()
    assert f"/cases/public-reports/{report.pk}/" in page
    refused = client.post(
        reverse("cases:public_report_forward", args=[report.pk]),
        {"to_agency": world["officer_km"].agency.pk + 10_000, "version": 1},
    )
    assert refused.status_code == 400 and 'id="id_to_agency_error"' in refused.content.decode()
    response = client.post(
        reverse("cases:public_report_forward", args=[report.pk]),
        {"to_agency": world["kunming"].pk, "version": 1},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.receiving_agency == world["kunming"] and report.via_triage
    assert public_report_status(code=code).status == PublicReportStatus.RECEIVED
    with pytest.raises(WorkflowError):
        public_report_forward(actor=office, report_id=report.pk, version=2, to_agency=world["yunnan"])
    assert (
        signed_in(client, world["officer_km"])
        .get(reverse("cases:public_report", args=[report.pk]))
        .status_code
        == 200
    )


def test_statistics_by_province_and_status_are_suppressed(world, client, persona, settings):
    settings.CASE_STATISTICS_THRESHOLD = 3
    for _ in range(4):
        report_in("530102")
    report_in("450100")
    page = signed_in(client, persona("liaison_mca")).get(reverse("cases:public_report_statistics"))
    assert page.status_code == 200

    def row(html, province):
        return re.search(rf"<th scope=\"row\">{province}</th>(.*?)</tr>", html).group(1)

    guangxi = row(page.content.decode(), "广西壮族自治区")
    assert ">1<" not in guangxi and "·" in guangxi  # a count below the threshold is hidden
    settings.CASE_STATISTICS_THRESHOLD = 1
    html = client.get(reverse("cases:public_report_statistics")).content.decode()
    assert row(html, "云南省").startswith("<td>4</td>") and "<td>1</td>" in row(html, "广西壮族自治区")
    report_in("530102")  # the counts are kept until a report changes them
    html = client.get(reverse("cases:public_report_statistics")).content.decode()
    assert row(html, "云南省").startswith("<td>5</td>")


def test_the_receivers_list_costs_the_same_at_two_sizes(world, client):
    signed_in(client, world["officer_km"])
    url = reverse("cases:public_reports")
    report_in("530102")
    small = page_queries(client, url)
    for _ in range(12):
        report_in("530102", attachments=[pdf()])
    assert page_queries(client, url) == small


def test_the_triage_queue_is_keyset_paged_newest_first(world, office, client, monkeypatch):
    monkeypatch.setattr(public_report_views, "PAGE_SIZE", 2)
    reports = [report_in("450100")[0] for _ in range(3)]
    newest_first = sorted(reports, key=lambda r: (r.received_at, r.pk), reverse=True)
    signed_in(client, office)
    url = reverse("cases:public_reports")
    small = page_queries(client, url + "?queue=triage")
    first = client.get(url, {"queue": "triage"}).context["page"]
    assert [r.pk for r in first] == [r.pk for r in newest_first[:2]] and first.next
    second = client.get(url, {"queue": "triage", "after": first.next})
    assert [r.pk for r in second.context["page"]] == [newest_first[2].pk]
    assert "queue=triage&amp;before=" in second.content.decode()  # the way back keeps the queue
    listed = AuditEntry.objects.filter(action="list").order_by("-pk").first()
    assert listed.detail["after"] == first.next and listed.detail["queue"] == "triage"
    for _ in range(4):
        report_in("450100")
    assert page_queries(client, url + "?queue=triage") == small


def test_the_api_gives_readers_their_reports_with_the_same_rules(world, persona, api_as, office):
    kunming, _ = report_in("530102", is_anonymous=False, contact_phone="13800001111")
    triage, _ = report_in("450100")
    officer = api_for(world["officer_km"])
    listed = officer.get("/api/public-reports/").json()
    assert [row["id"] for row in listed["results"]] == [kunming.pk] and "description" not in listed[
        "results"
    ][0]
    detail = officer.get(f"/api/public-reports/{kunming.pk}/").json()
    assert detail["contact_phone"] == "13800001111" and detail["receiving_agency"] == "MPS-530100"
    assert AuditEntry.objects.filter(user=world["officer_km"], action="view", object_id=kunming.pk).exists()
    assert officer.get(f"/api/public-reports/{triage.pk}/").status_code == 404
    assert api_for(world["officer_yn"]).get(f"/api/public-reports/{kunming.pk}/").status_code == 404
    assert api_as("liaison_mca").get(f"/api/public-reports/{kunming.pk}/").status_code == 404
    assert api_as("liaison_mca").get("/api/public-reports/").json()["results"] == []
    office_api = api_as("office")
    assert [r["id"] for r in office_api.get("/api/public-reports/?queue=triage").json()["results"]] == [
        triage.pk
    ]
    refused = office_api.patch(
        f"/api/public-reports/{triage.pk}/", {"status": "closed", "version": 1}, format="json"
    )
    assert refused.status_code == 403
    bad = officer.patch(
        f"/api/public-reports/{kunming.pk}/", {"status": "in_triage", "version": 1}, format="json"
    )
    assert bad.status_code == 400 and "status" in bad.json()
    bad = office_api.post(
        f"/api/public-reports/{triage.pk}/forward/", {"to_agency": "MCA", "version": 1}, format="json"
    )
    assert bad.status_code == 400 and "to_agency" in bad.json()
    assert (
        officer.post(
            f"/api/public-reports/{kunming.pk}/forward/", {"to_agency": "MPS", "version": 1}, format="json"
        ).status_code
        == 403
    )
    moved = office_api.post(
        f"/api/public-reports/{triage.pk}/forward/", {"to_agency": "MPS-530000", "version": 1}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["receiving_agency"] == "MPS-530000"


def test_the_api_list_costs_the_same_at_two_sizes(world):
    officer = api_for(world["officer_km"])
    report_in("530102")
    officer.get("/api/public-reports/")
    with CaptureQueriesContext(connection) as small:
        assert officer.get("/api/public-reports/").status_code == 200
    for _ in range(12):
        report_in("530102")
    with CaptureQueriesContext(connection) as large:
        assert officer.get("/api/public-reports/").status_code == 200
    assert len(large) == len(small)


def test_the_demo_routes_its_reports_as_the_story_says(plan):
    quiet = io.StringIO()
    call_command("create_demo_users", force=True, stdout=quiet)
    call_command("create_demo_public_reports", force=True, stdout=quiet)
    routes = {r.division.code: (r.receiving_agency.code if r.receiving_agency else None, r.status)
              for r in PublicReport.objects.select_related("division", "receiving_agency")}  # fmt: skip
    assert routes == {
        "530102": ("MPS-530100", "under_review"),
        "530300": ("MPS-530000", "received"),
        "530100": ("MPS-530100", "closed"),
        "450100": (None, "in_triage"),
        "130100": ("MPS-130100", "received"),
    }
    users = {
        u.username: u for u in User.objects.filter(username__in=["case.mps.km", "case.mps.yn", "office"])
    }
    assert PublicReport.objects.restrict(users["case.mps.km"]).count() == 2
    assert PublicReport.objects.restrict(users["case.mps.yn"]).get().attachments.count() == 1
    assert PublicReport.objects.restrict(users["office"]).count() == 2  # the two of the triage
    call_command("create_demo_public_reports", force=True, stdout=quiet)
    assert PublicReport.objects.count() == 5
