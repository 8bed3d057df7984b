"""The long lists of case data are bounded (issue 15): the overdue visits, the referrals waiting for
an agency and the audit log show a page, never the table; their queries do not grow with it; each
reads only what it shows; and on PostgreSQL each filter can be answered from an index."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseFile, Referral
from cases.views import audit_log, case_files, overdue
from core import clock
from core.models import AuditEntry
from tests.cases import open_case
from tests.queries import page_queries

pytestmark = pytest.mark.portal_date("2010-01-10")


def visit(officer, case, visited, due):
    services.follow_up_add(
        actor=officer, case_id=case.pk, visited_on=visited, living_conditions="稳定", next_visit_due=due
    )


def overdue_files(officer, count: int, start: int = 0) -> list[CaseFile]:
    files = []
    for i in range(start, start + count):
        case = open_case(officer, id_number=f"OD{i}", name=f"逾{i}")
        visit(officer, case, dt.date(2009, 9, 1), dt.date(2009, 10, 1) + dt.timedelta(days=i))
        files.append(case)
    return files


def test_the_overdue_list_is_paged_soonest_first_and_costs_the_same_at_two_sizes(client_as, mps, monkeypatch):
    monkeypatch.setattr(overdue, "PAGE_SIZE", 3)
    files = overdue_files(mps, 4)
    client = client_as("case_mps")
    small = page_queries(client, reverse("cases:overdue"))
    files += overdue_files(mps, 6, start=4)
    assert page_queries(client, reverse("cases:overdue")) == small
    first = client.get(reverse("cases:overdue")).context["page"]
    assert [c.number for c in first] == [c.number for c in files[:3]] and first.previous is None
    shown, page = [c.number for c in first], first
    while page.next:
        page = client.get(reverse("cases:overdue"), {"after": page.next}).context["page"]
        shown += [c.number for c in page]
    assert shown == [c.number for c in files] and len(page) == 1  # 3 + 3 + 3 + 1, in due order
    back = client.get(reverse("cases:overdue"), {"before": page.previous}).context["page"]
    assert [c.number for c in back] == [c.number for c in files[6:9]]


def test_the_overdue_list_follows_the_latest_visit_and_reads_no_identifier(client_as, mps):
    case = open_case(mps)
    visit(mps, case, dt.date(2009, 9, 1), dt.date(2009, 12, 1))
    visit(mps, case, dt.date(2009, 8, 1), dt.date(2010, 5, 1))  # entered later, an earlier visit
    client = client_as("case_mps")
    client.get(reverse("cases:overdue"))
    with CaptureQueriesContext(connection) as queries:
        [shown] = client.get(reverse("cases:overdue")).context["page"]
    assert (shown.number, shown.next_visit_due, shown.latest_follow_up.visited_on) == (
        case.number,
        dt.date(2009, 12, 1),
        dt.date(2009, 9, 1),
    )
    listing = [q["sql"] for q in queries if '"cases_casefile"."next_visit_due"' in q["sql"]]
    assert listing and all('"cases_casefile"."name"' not in sql for sql in listing)
    visit(mps, case, dt.date(2010, 1, 5), dt.date(2010, 3, 1))  # the newest visit: not overdue now
    assert not client.get(reverse("cases:overdue")).context["page"].rows
    case.refresh_from_db()
    assert case.next_visit_due == dt.date(2010, 3, 1)


def refer_to_mca(mps, mca, count: int, start: int = 0) -> list[CaseFile]:
    files = []
    for i in range(start, start + count):
        case = open_case(mps, id_number=f"RF{i}", name=f"转{i}")
        services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose=f"安置{i}")
        files.append(case)
    return files


def test_the_case_list_shows_the_oldest_referrals_and_links_to_all_of_them(client_as, mps, mca, monkeypatch):
    monkeypatch.setattr(case_files, "INCOMING_SHOWN", 2)
    files = refer_to_mca(mps, mca, 2)
    client = client_as("case_mca")
    page = client.get(reverse("cases:list"))
    assert [r.case.number for r in page.context["incoming"]] == [c.number for c in files]
    link = f'href="{reverse("cases:incoming")}"'
    assert not page.context["more_incoming"] and link not in page.content.decode()
    small = page_queries(client, reverse("cases:list")), page_queries(client, reverse("cases:incoming"))
    files += refer_to_mca(mps, mca, 53, start=2)
    large = page_queries(client, reverse("cases:list")), page_queries(client, reverse("cases:incoming"))
    assert large == small
    page = client.get(reverse("cases:list"))
    assert len(page.context["incoming"]) == 2 and page.context["more_incoming"]
    assert link in page.content.decode()
    waiting = client.get(reverse("cases:incoming")).context["page"]
    assert len(waiting) == 50 and waiting.paginator.count == 55
    assert [r.case.number for r in waiting][:3] == [c.number for c in files[:3]]
    assert client_as("case_mps").get(reverse("cases:incoming")).context["page"].paginator.count == 0
    assert client_as("auditor").get(reverse("cases:incoming")).status_code == 404


def test_the_case_list_merges_own_and_granted_files_newest_rescue_first(client_as, mps, mca, monkeypatch):
    """A case officer's list is the agency's own files and those referred to it, read part by part
    (each in its index's order) and merged: every file once, in order of rescue, page by page, at
    the same cost whatever the number of files."""
    monkeypatch.setattr(case_files, "PAGE_SIZE", 4)
    client = client_as("case_mca")
    own = [
        open_case(mca, id_number=f"OWN{i}", name=f"自{i}", rescued_on=dt.date(2009, 1, 1 + 2 * i))
        for i in range(2)
    ]
    small = page_queries(client, reverse("cases:list"))
    own += [
        open_case(mca, id_number=f"OWN{i}", name=f"自{i}", rescued_on=dt.date(2009, 1, 1 + 2 * i))
        for i in range(2, 6)
    ]
    referred = refer_to_mca(mps, mca, 3)  # rescued on other days: between and around the own files
    for i, case in enumerate(referred):
        services.referral_decide(actor=mca, referral_id=case.referrals.get().pk, accept=True)
        CaseFile.objects.filter(pk=case.pk).update(rescued_on=dt.date(2009, 1, 2 + 4 * i))
    open_case(mps, id_number="NOTMINE", name="他")  # the other agency's, never referred
    assert page_queries(client, reverse("cases:list")) == small
    expected = list(
        CaseFile.objects.filter(pk__in=[c.pk for c in own + referred])
        .order_by("-rescued_on", "-pk")
        .values_list("number", flat=True)
    )
    page = client.get(reverse("cases:list")).context["page"]
    shown = [c.number for c in page]
    while page.next:
        page = client.get(reverse("cases:list"), {"after": page.next}).context["page"]
        shown += [c.number for c in page]
    assert shown == expected and len(expected) == 9
    back = client.get(reverse("cases:list"), {"before": page.previous}).context["page"]
    assert [c.number for c in back] == expected[4:8]
    open_only = client.get(reverse("cases:list"), {"status": "closed"}).context["page"]
    assert not open_only.rows


def test_the_api_case_list_is_paged_by_cursor_over_own_and_granted_files(api_as, mps, mca):
    own = [
        open_case(mca, id_number=f"OWN{i}", name=f"自{i}", rescued_on=dt.date(2009, 2, 1 + i))
        for i in range(3)
    ]
    referred = refer_to_mca(mps, mca, 2)
    for case in referred:
        services.referral_decide(actor=mca, referral_id=case.referrals.get().pk, accept=True)
    open_case(mps, id_number="NOTMINE", name="他")
    expected = list(
        CaseFile.objects.filter(pk__in=[c.pk for c in own + referred])
        .order_by("-rescued_on", "-pk")
        .values_list("number", flat=True)
    )
    api, shown, url = api_as("case_mca"), [], "/api/cases/?limit=2"
    while url:
        body = api.get(url).json()
        assert len(body["results"]) <= 2 and "count" not in body
        shown += [case["number"] for case in body["results"]]
        url = body["next"]
    assert shown == expected
    junk = api.get("/api/cases/", {"after": "9" * 40, "before": "x.1", "limit": "9" * 12})
    assert junk.status_code == 200 and [c["number"] for c in junk.json()["results"]] == expected
    by_offset = api.get("/api/cases/", {"offset": "2"})  # would read the first page again and again
    assert by_offset.status_code == 400 and "offset" in by_offset.json()


def test_the_api_referrals_are_paged_by_cursor_over_sent_and_received(api_as, mps, mca):
    received = refer_to_mca(mps, mca, 2)
    sent = open_case(mca, id_number="SENT", name="送")
    services.referral_create(actor=mca, case_id=sent.pk, to_agency=mps.agency, purpose="送回")
    expected = list(
        Referral.objects.filter(case__in=[*received, sent])
        .order_by("-requested_at", "-pk")
        .values_list("pk", flat=True)
    )
    api, shown, url = api_as("case_mca"), [], "/api/referrals/?limit=2"
    while url:
        body = api.get(url).json()
        assert len(body["results"]) <= 2 and "count" not in body
        shown += [referral["id"] for referral in body["results"]]
        url = body["next"]
    assert shown == expected and len(expected) == 3


def test_a_page_past_the_end_leads_back(client_as, mps):
    """A stale cursor past the last file shows no file, and the way back to those before it."""
    files = [
        open_case(mps, id_number=f"E{i}", name=f"末{i}", rescued_on=dt.date(2009, 3, 1 + i)) for i in range(2)
    ]
    client = client_as("case_mps")
    past = client.get(reverse("cases:list"), {"after": "0.0"}).context["page"]
    assert not past.rows and past.previous == "0.0" and past.next is None
    back = client.get(reverse("cases:list"), {"before": past.previous}).context["page"]
    assert [c.number for c in back] == [c.number for c in reversed(files)]


def entries_about(case, count: int) -> None:
    for _ in range(count):
        services.case_read(actor=case.created_by, number=case.number)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"case": "{number}"},
        {"user": "case_mps"},
        {"agency": "MPS"},
        {"action": "view"},
        {"date": "2010-01-10"},
    ],
)
def test_each_audit_filter_is_keyset_paged_and_costs_the_same_at_two_sizes(
    client_as, case, monkeypatch, filters
):
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 5)
    query = {key: value.format(number=case.number) for key, value in filters.items()}
    client = client_as("auditor")
    entries_about(case, 6)
    url = reverse("cases:audit") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    small = page_queries(client, url)
    entries_about(case, 30)
    assert page_queries(client, url) == small
    newest = client.get(url).context["page"]
    views = AuditEntry.objects.filter(action="view").order_by("-at", "-pk")
    expected = list(views.values_list("pk", flat=True)[:5])
    assert [e.pk for e in newest] == expected  # each filter selects the newest reads of the file
    assert newest.previous is None and newest.next
    older = client.get(url, {"after": newest.next}).context["page"]
    assert (older.rows[0].at, older.rows[0].pk) < (newest.rows[-1].at, newest.rows[-1].pk)
    assert [e.pk for e in older] == list(views.values_list("pk", flat=True)[5:10]) and older.previous
    back = client.get(url, {"before": older.previous}).context["page"]
    assert [e.pk for e in back] == [e.pk for e in newest]


def test_the_date_filter_is_the_day_in_the_portals_time_zone(client_as, case):
    auditor = client_as("auditor")
    day = auditor.get(reverse("cases:audit"), {"date": "2010-01-10"}).context["page"]
    local = {timezone.localtime(e.at).date() for e in day}
    assert local == {dt.date(2010, 1, 10)} and len(day) == AuditEntry.objects.count()
    assert not auditor.get(reverse("cases:audit"), {"date": "2010-01-11"}).context["page"].rows
    bad = auditor.get(reverse("cases:audit"), {"date": "10/01/2010"})
    assert not bad.context["page"].rows and "YYYY-MM-DD" in bad.content.decode()
    junk = auditor.get(reverse("cases:audit"), {"before": "x" * 5000, "after": "-1"})
    assert junk.status_code == 200 and len(junk.context["page"]) == AuditEntry.objects.count()


def plan(sql: str, params) -> str:
    """PostgreSQL's plan for the query with sequential scans priced out: a scan of the whole
    table remains only where no index can answer."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
@pytest.mark.parametrize(
    "filters", ["case={number}", "user=case_mps", "agency=MPS", "action=view", "date=2010-01-10"]
)
def test_the_audit_filters_are_answered_from_indexes(client_as, case, filters):
    client = client_as("auditor")
    url = reverse("cases:audit") + "?" + filters.format(number=case.number)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    [sql] = [q["sql"] for q in queries if 'FROM "agencies_auditentry"' in q["sql"] and "LIMIT" in q["sql"]]
    assert "Seq Scan on agencies_auditentry" not in plan(sql, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_case_list_and_search_use_indexes_for_own_and_granted_files(client_as, mps, mca):
    [referred] = refer_to_mca(mps, mca, 1)
    services.referral_decide(actor=mca, referral_id=referred.referrals.get().pk, accept=True)
    case = open_case(mca, id_number="OWN1", name="自有")
    client = client_as("case_mca")
    for data in (None, {"q": case.number}, {"q": "OWN1"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("cases:list"), data) if data else client.get(reverse("cases:list"))
        assert response.status_code == 200
        reads = [q["sql"] for q in queries if 'FROM "cases_casefile"' in q["sql"] and "LIMIT" in q["sql"]]
        assert len(reads) == 3  # the own files' keys, the granted files' keys, then the page's rows
        for sql in reads:
            assert "Seq Scan on cases_casefile" not in plan(sql, None), (data, sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_overdue_list_reads_own_and_granted_files_through_indexes(client_as, mps, mca):
    [referred] = refer_to_mca(mps, mca, 1)
    services.referral_decide(actor=mca, referral_id=referred.referrals.get().pk, accept=True)
    visit(mps, referred, dt.date(2009, 9, 1), dt.date(2009, 10, 1))
    overdue_files(mca, 2)
    client = client_as("case_mca")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:overdue")).context["page"]
    assert len(page) == 3
    due = '"cases_casefile"."next_visit_due"'
    reads = [q["sql"] for q in queries if due in q["sql"] and "LIMIT" in q["sql"]]
    assert len(reads) == 3  # the own files' keys, the granted files' keys, then the page's rows
    for sql in reads:
        assert "Seq Scan on cases_casefile" not in plan(sql, None), sql


def test_the_log_is_in_time_order_whatever_order_the_entries_were_written_in(client_as, case):
    """Entries written with the clock moved (the demo, a job catching up) still read newest first."""
    earlier = dt.datetime(2009, 7, 1, 12, tzinfo=dt.UTC)
    with clock.travel(earlier):
        services.case_read(actor=case.created_by, number=case.number)  # written last, happened first
    page = client_as("auditor").get(reverse("cases:audit")).context["page"]
    times = [e.at for e in page]
    assert times == sorted(times, reverse=True) and times[-1] == earlier
