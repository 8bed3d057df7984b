"""Case files: encryption at rest, who sees what (referrals included), the audit log, duplicates,
suppressed statistics, exports, query counts."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import CaseFile
from cases.selectors import suppress
from core.models import AuditEntry, Notification
from core.workflow import WorkflowError
from tests.cases import case_data, open_case

pytestmark = pytest.mark.django_db
NOT_CASE_OFFICERS = ["office", "reporter_gx", "liaison_mca", "auditor", "admin"]


def test_identifiers_are_encrypted_at_rest(case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone, address FROM cases_casefile WHERE id = %s", [case.pk])
        raw = cursor.fetchone()
    for value, plain in zip(
        raw, ["测试小红", "450102200501011233", "13900001234", "示例县示例镇1号"], strict=True
    ):
        assert plain not in value and value.startswith("gAAAAA")  # a Fernet token
    fresh = CaseFile.objects.get(pk=case.pk)
    assert fresh.name == "测试小红" and fresh.masked_name == "测**" and fresh.masked_id_number == "****1233"
    assert case.number == "MPS-2009-00001"


def test_lookup_by_document_number_uses_the_keyed_hash(client_as, case):
    response = client_as("case_mps").post(reverse("cases:list"), {"q": "450102-2005 01011233"})
    assert [c.number for c in response.context["page"]] == [case.number]
    assert "450102200501011233" not in response.content.decode()  # masked in the list


def test_duplicate_warning(mps, mca, case):
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.case_create(actor=mps, data=case_data(name="别的名字"))  # same document number
    assert warning.value.own == [case.number]
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.case_create(actor=mca, data=case_data(id_number=""))  # same name and birth date
    assert warning.value.own == [] and warning.value.elsewhere is True  # no number, no count
    assert CaseFile.objects.count() == 1
    services.case_create(actor=mca, data=case_data(id_number=""), confirm_duplicate=True)
    assert CaseFile.objects.count() == 2


def test_intake_errors_name_the_field(mps):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=mps, data=case_data(name=" ", date_of_birth=None, rescued_on=dt.date(2099, 1, 1))
        )
    assert set(error.value.message_dict) == {"name", "date_of_birth", "rescued_on"}
    assert not CaseFile.objects.exists()


@pytest.mark.parametrize("name", NOT_CASE_OFFICERS + ["case_mca"])
def test_only_the_owning_agency_sees_a_case(client_as, api_as, case, name):
    assert client_as(name).get(reverse("cases:case", kwargs={"number": case.number})).status_code == 404
    assert api_as(name).get(f"/api/cases/{case.number}/").status_code == 404
    assert api_as(name).get("/api/cases/").json().get("results", []) == []


def test_the_owner_sees_it_and_every_read_is_logged(client_as, api_as, case):
    assert client_as("case_mps").get(reverse("cases:case", kwargs={"number": case.number})).status_code == 200
    assert api_as("case_mps").get(f"/api/cases/{case.number}/").json()["name"] == "测**"
    reads = AuditEntry.objects.filter(object_label=case.number, action="view")
    assert [e.channel for e in reads.order_by("pk")] == ["page", "api"]
    assert reads.first().agency.code == "MPS" and reads.first().request_id


def test_reveal_needs_a_reason_and_is_logged(client_as, case):
    client = client_as("case_mps")
    url = reverse("cases:reveal", kwargs={"number": case.number})
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "测试小红" not in refused.content.decode()
    shown = client.post(url, {"reason": "联系家属"})
    assert "测试小红" in shown.content.decode() and "450102200501011233" in shown.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.detail == {"reason": "联系家属"} and entry.user.username == "case_mps"


def test_referral_accepted_then_completed(client_as, mps, mca, case):
    url = reverse("cases:case", kwargs={"number": case.number})
    referral = services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="临时安置")
    assert client_as("case_mca").get(url).status_code == 404  # pending: not yet
    services.referral_decide(actor=mca, referral_id=referral.pk, accept=True)
    assert client_as("case_mca").get(url).status_code == 200
    services.service_add(actor=mca, case_id=case.pk, kind="shelter", provided_on=dt.date(2009, 6, 2))
    services.follow_up_add(
        actor=mca, case_id=case.pk, visited_on=dt.date(2009, 7, 1), living_conditions="稳定"
    )
    with pytest.raises(PermissionDenied):  # the receiving agency never changes the identity
        services.case_update(actor=mca, case_id=case.pk, data={"name": "改名"}, version=case.version)
    assert client_as("case_mca").get(reverse("cases:edit", kwargs={"number": case.number})).status_code == 404
    services.referral_end(actor=mca, referral_id=referral.pk, revoke=False)
    assert client_as("case_mca").get(url).status_code == 404
    assert CaseFile.objects.get(pk=case.pk).services.get().agency.code == "MCA"


def test_writes_on_a_case_answer_404_unseen_and_403_seen_but_not_kept(mps, mca, case):
    """Every write's lookup: a case the agency does not see (a referral still pending) is 404,
    one it sees through an accepted referral but does not keep is 403 for the owner's writes."""
    referral = services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    on = dt.date(2009, 6, 2)
    with pytest.raises(Http404):
        services.service_add(actor=mca, case_id=case.pk, kind="shelter", provided_on=on)
    with pytest.raises(Http404):
        services.follow_up_add(actor=mca, case_id=case.pk, visited_on=on, living_conditions="稳定")
    with pytest.raises(Http404):
        services.case_update(actor=mca, case_id=case.pk, data={"name": "改名"}, version=case.version)
    with pytest.raises(Http404):
        services.referral_create(actor=mca, case_id=case.pk, to_agency=mps.agency, purpose="转介")
    services.referral_decide(actor=mca, referral_id=referral.pk, accept=True)
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=mca, case_id=case.pk, to_agency=mps.agency, purpose="转介")
    service = services.service_add(actor=mca, case_id=case.pk, kind="shelter", provided_on=on)
    assert service.agency == mca.agency
    assert CaseFile.objects.get(pk=case.pk).name == "测试小红"


def test_referral_actions_on_the_page_go_back_to_the_case_while_it_is_seen(client_as, mps, mca, case):
    referral = services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    client = client_as("case_mca")

    def act(action):
        return client.post(reverse("cases:referral", kwargs={"pk": referral.pk, "action": action}))

    case_page, case_list = reverse("cases:case", kwargs={"number": case.number}), reverse("cases:list")
    assert act("accept").url == case_page  # the case is now seen through the referral
    assert act("accept").url == case_list  # already decided: the message, and the list
    assert act("complete").url == case_list  # the access ended with the referral
    assert client.get(case_page).status_code == 404


def test_referral_declined_or_revoked_gives_no_access(client_as, mps, mca, case):
    url = reverse("cases:case", kwargs={"number": case.number})
    declined = services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    services.referral_decide(actor=mca, referral_id=declined.pk, accept=False, note="床位已满")
    assert client_as("case_mca").get(url).status_code == 404
    again = services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="再次申请")
    services.referral_decide(actor=mca, referral_id=again.pk, accept=True)
    services.referral_end(actor=mps, referral_id=again.pk, revoke=True)
    assert client_as("case_mca").get(url).status_code == 404
    with pytest.raises(WorkflowError):
        services.referral_decide(actor=mca, referral_id=again.pk, accept=True)


def test_referral_needs_consent_to_sharing(mps, mca):
    case = open_case(mps, consent_sharing=False, id_number="X1")
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    assert "to_agency" in error.value.message_dict


def test_transfer_of_ownership(client_as, mps, mca, case):
    transfer = services.referral_create(
        actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="移交", kind="transfer"
    )
    services.referral_decide(actor=mca, referral_id=transfer.pk, accept=True)
    assert CaseFile.objects.get(pk=case.pk).owner_agency.code == "MCA"
    assert client_as("case_mps").get(reverse("cases:case", kwargs={"number": case.number})).status_code == 404
    assert client_as("case_mca").get(reverse("cases:edit", kwargs={"number": case.number})).status_code == 200


def test_other_roles_never_open_a_case_through_services(persona, case):
    for name in NOT_CASE_OFFICERS:
        with pytest.raises((Http404, PermissionDenied)):
            services.case_read(actor=persona(name), number=case.number)


def test_auditors_filter_and_export_the_log(client_as, case, persona):
    client_as("case_mps").get(reverse("cases:case", kwargs={"number": case.number}))
    auditor = client_as("auditor")
    page = auditor.get(reverse("cases:audit") + f"?case={case.number}&agency=MPS")
    assert {e.action for e in page.context["page"]} == {"create", "view"}
    export = auditor.get(
        reverse("cases:audit_export", kwargs={"fmt": "csv"}) + f"?case={case.number}&action=view"
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == "case_mps" and rows[1][3] == "查看"
    assert client_as("office").get(reverse("cases:audit")).status_code == 404


def test_the_audit_log_is_append_only(case):
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")


def test_suppression_hides_small_cells_and_whatever_would_reveal_them():
    rows, columns = [("a", "A"), ("b", "B"), ("c", "C")], [("w", "W"), ("c", "C")]
    counts = {("a", "w"): 30, ("a", "c"): 3, ("b", "w"): 25, ("b", "c"): 40, ("c", "w"): 12, ("c", "c"): 11}
    table = suppress(counts, rows, columns, threshold=10)
    assert table.cells[("a", "c")] is None  # primary: 3 < 10
    # Its row total is shown (33), so a second cell of row a must hide, and then its column...
    hidden = {key for key, value in table.cells.items() if value is None}
    assert ("a", "w") in hidden or table.row_totals["a"] is None
    # ...no row or column sum has exactly one unknown: nothing hidden can be worked out.
    for r, _ in rows:
        unknown = [c for c, _ in columns if table.cells[(r, c)] is None] + (
            [1] if table.row_totals[r] is None else []
        )
        assert len(unknown) != 1
    for c, _ in columns:
        unknown = [r for r, _ in rows if table.cells[(r, c)] is None] + (
            [1] if table.column_totals[c] is None else []
        )
        assert len(unknown) != 1


def test_small_totals_are_hidden_too():
    table = suppress({("a", "x"): 4, ("b", "x"): 3}, [("a", "A"), ("b", "B")], [("x", "X")], threshold=10)
    assert table.total is None and table.column_totals["x"] is None and table.cells[("a", "x")] is None


def test_statistics_page_for_the_office_counts_only_consenting_files(client_as, mps):
    for i in range(12):
        open_case(mps, id_number=f"ID{i}", name=f"人{i}")
    open_case(mps, id_number="NOSTAT", name="不统计", consent_statistics=False)
    response = client_as("office").get(reverse("cases:statistics"))
    table = response.context["table"]
    assert table.total == 12  # the file without consent to statistics is not counted
    guangxi = next(key for key, label in table.rows if label == "广西壮族自治区")
    assert table.cells[(guangxi, "child")] == 12 and table.cells[(guangxi, "woman")] == 0
    assert "测试" not in response.content.decode() and "人1" not in response.content.decode()
    api = client_as("office").get("/api/case-statistics/").json()
    assert api["total"] == 12 and api["threshold"] == 10


def test_export_without_identifiers_by_default_and_formulas_neutralised(client_as, mps):
    open_case(mps, name='=HYPERLINK("http://x")', id_number="+123", address="@SUM(1)")
    client = client_as("case_mps")
    url = reverse("cases:export", kwargs={"fmt": "csv"})
    plain = client.post(url, {})
    text = plain.content.decode("utf-8-sig")
    assert "HYPERLINK" not in text and "+123" not in text
    refused = client.post(url, {"with_identifiers": "on"})
    assert refused.status_code == 400
    full = client.post(url, {"with_identifiers": "on", "reason": "移交档案"})
    rows = list(csv.reader(io.StringIO(full.content.decode("utf-8-sig"))))
    assert rows[1][-4] == '\'=HYPERLINK("http://x")' and rows[1][-3] == "'+123" and rows[1][-1] == "'@SUM(1)"
    exports = AuditEntry.objects.filter(action="export").order_by("pk")
    assert [e.detail["identifiers"] for e in exports] == [False, True] and exports[1].detail[
        "reason"
    ] == "移交档案"


def test_case_list_and_api_query_counts_do_not_grow(client_as, api_as, mps):
    open_case(mps)
    client, api = client_as("case_mps"), api_as("case_mps")

    def counts():
        client.get(reverse("cases:list"))
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("cases:list"))
        with CaptureQueriesContext(connection) as listing:
            api.get("/api/cases/")
        return len(page), len(listing)

    small = counts()
    for i in range(15):
        open_case(mps, id_number=f"N{i}", name=f"甲{i}")
    assert counts() == small and small[0] <= 12


def test_key_rotation(case, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old = settings.CASE_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.CASE_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_case_keys", stdout=io.StringIO())
    settings.CASE_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    assert CaseFile.objects.get(pk=case.pk).name == "测试小红"


def test_export_without_identifiers_gives_the_year_of_birth_only(client_as, case):
    response = client_as("case_mps").post(reverse("cases:export", kwargs={"fmt": "csv"}), {})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "2005" and "2005-01-01" not in rows[1]


def test_the_edit_page_never_shows_identifiers_and_keeps_them(client_as, case):
    client = client_as("case_mps")
    url = reverse("cases:edit", kwargs={"number": case.number})
    page = client.get(url).content.decode()
    assert "测试小红" not in page and "450102200501011233" not in page and "13900001234" not in page
    assert 'value="2005-01-01"' in page  # an ISO date, whatever the language
    data = {f: v for f, v in page_form_values(case).items()}
    data["status"] = "assisted"
    assert client.post(url, data).status_code == 302
    fresh = CaseFile.objects.get(pk=case.pk)
    assert fresh.name == "测试小红" and fresh.id_number == "450102200501011233" and fresh.status == "assisted"
    assert fresh.date_of_birth.isoformat() == "2005-01-01"


def page_form_values(case) -> dict:
    return {
        "category": case.category, "sex": case.sex, "id_document_kind": case.id_document_kind,
        "date_of_birth": "2005-01-01",
        "rescued_on": "2009-06-01", "rescue_province": case.rescue_province_id,
        "rescuing_agency": case.rescuing_agency_id, "consent_services": "on", "consent_sharing": "on",
        "consent_statistics": "on", "guardian_found": "false", "version": case.version,
    }  # fmt: skip


def test_impossible_dates(mps, case):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=mps, data=case_data(id_number="Z1", rescued_on=dt.date(2004, 1, 1)), confirm_duplicate=True
        )
    assert "rescued_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.service_add(actor=mps, case_id=case.pk, kind="medical", provided_on=dt.date(2009, 5, 1))
    assert "provided_on" in error.value.message_dict


def test_referral_api_lists_only_the_callers_own_cases(api_as, mps, case, persona):
    open_case(persona("case_mca"), id_number="OTHER", name="别人")
    from rest_framework.test import APIRequestFactory

    from cases.api.serializers import ReferralSerializer

    request = APIRequestFactory().get("/")
    request.user = mps
    numbers = [c.number for c in ReferralSerializer(context={"request": request}).fields["case"].queryset]
    assert numbers == [case.number]
    page = api_as("office").get("/api/referrals/", HTTP_ACCEPT="text/html").content.decode()
    assert "MCA-2009" not in page and case.number not in page


@pytest.mark.portal_date("2010-01-10")
def test_overdue_follow_ups_and_referral_notifications(client_as, mps, mca, case):
    def visit(case_file, visited, due):
        services.follow_up_add(
            actor=mps, case_id=case_file.pk, visited_on=visited, living_conditions="稳定", next_visit_due=due
        )

    visit(case, dt.date(2009, 7, 1), dt.date(2009, 8, 1))  # superseded by the next visit
    visit(case, dt.date(2009, 9, 1), dt.date(2009, 12, 1))  # overdue
    visit(
        open_case(mps, id_number="LATER", name="乙"), dt.date(2009, 9, 1), dt.date(2010, 3, 1)
    )  # not yet due
    page = client_as("case_mps").get(reverse("cases:overdue")).context["page"]
    shown = [(c.number, str(c.latest_follow_up.visited_on), str(c.next_visit_due)) for c in page]
    assert shown == [(case.number, "2009-09-01", "2009-12-01")]
    services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    note = Notification.objects.get(user=mca)
    assert note.title_zh == f"公安部将个案 {case.number} 转介至本机构"


def test_the_audit_log_takes_the_address_the_proxy_saw(client_as, case, settings):
    """Behind a trusted proxy (the test client connects from 127.0.0.1), the client is the
    right-most forwarded address."""
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client_as("case_mps").get(
        reverse("cases:case", kwargs={"number": case.number}),
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
        HTTP_X_REQUEST_ID="req-42",
    )
    entry = AuditEntry.objects.filter(action="view").latest("pk")
    # The request id is the portal's own, never the one the client sent (which anyone can forge).
    assert entry.ip == "198.51.100.7" and entry.request_id == response["X-Request-ID"] != "req-42"


def test_export_queries_do_not_grow_with_the_files(client_as, mps):
    open_case(mps)
    client = client_as("case_mps")
    url = reverse("cases:export", kwargs={"fmt": "xlsx"})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, {}).status_code == 200
        return len(queries)

    small = count()
    for i in range(10):
        open_case(mps, id_number=f"E{i}", name=f"丙{i}")
    assert count() == small
    assert AuditEntry.objects.filter(action="export").count() == 1 + 11  # still one entry per file


def test_an_action_logs_what_it_does_and_a_page_shown_logs_a_view(client_as, case):
    client = client_as("case_mps")
    before = AuditEntry.objects.count()  # the file's creation
    url = reverse("cases:service", kwargs={"number": case.number})
    saved = client.post(url, {"kind": "shelter", "provided_on": "2009-06-02", "outcome": ""})
    assert saved.status_code == 302
    actions = AuditEntry.objects.order_by("pk").values_list("action", flat=True)
    assert list(actions[before:]) == ["add_service"]  # no extra "view"
    refused = client.post(url, {"kind": "shelter", "provided_on": ""})
    assert refused.status_code == 400  # the page is shown again, with the file: that is a view
    assert list(actions[before:]) == ["add_service", "view"]
