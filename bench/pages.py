"""The pages and API lists the benchmark measures, each as the user whose page it is.

(label, method, url, username, POST data). ``{plan}``, ``{case}`` and ``{doc}`` are filled in per
database (bench/measure.py): the plan's code, a case file of case.mca's agency and its document
number. KEY pages are the ones the goals hold to throughput and p95 under load (bench/load.py).
"""

PLAN = "2008-2012"
GET, POST = "GET", "POST"

PAGES = [
    # The plan and reporting pages of the first benchmark, as the IMCS Office.
    ("plan", GET, "/plans/{plan}/", "office", None),
    ("area", GET, "/plans/{plan}/areas/4/", "office", None),
    ("measure", GET, "/plans/{plan}/measures/4.1/", "office", None),
    ("units", GET, "/plans/{plan}/units/", "office", None),
    ("unit MCA", GET, "/plans/{plan}/units/MCA/", "office", None),
    ("matrix", GET, "/plans/{plan}/matrix/", "office", None),
    ("matrix.xlsx", GET, "/plans/{plan}/matrix.xlsx", "office", None),
    ("provinces", GET, "/provinces/", "office", None),
    ("my measures", GET, "/progress/mine/", "liaison.mca", None),
    ("Office inbox", GET, "/progress/inbox/", "office", None),
    ("timeliness", GET, "/progress/timeliness/", "office", None),
    ("quarterly inbox", GET, "/reports/quarterly/inbox/?state=all", "office", None),
    ("completeness", GET, "/reports/completeness/", "office", None),
    ("indicators", GET, "/reports/indicators/", "office", None),
    ("dashboard", GET, "/reports/dashboard/", "office", None),
    ("agencies", GET, "/organisation/agencies/", "office", None),
    ("notifications office", GET, "/notifications/", "office", None),
    ("notifications liaison", GET, "/notifications/", "liaison.mca", None),
    # Case files, as case.mca (昆明市民政局), its supervisor and the auditor.
    ("case list", GET, "/cases/", "case.mca", None),
    ("case list open", GET, "/cases/?status=open", "case.mca", None),
    ("case search doc no.", POST, "/cases/", "case.mca", {"q": "{doc}"}),
    ("case list supervisor", GET, "/cases/", "supervisor.mca.yn", None),
    ("case file", GET, "/cases/{case}/", "case.mca", None),
    ("overdue", GET, "/cases/overdue/", "case.mca", None),
    ("referrals waiting", GET, "/cases/referrals/", "case.mca", None),
    ("case statistics", GET, "/cases/statistics/", "office", None),
    ("audit log", GET, "/cases/audit/", "auditor", None),
    ("audit ?case=", GET, "/cases/audit/?case={case}", "auditor", None),
    ("audit ?user=", GET, "/cases/audit/?user=case.mca", "auditor", None),
    ("audit ?agency=", GET, "/cases/audit/?agency=MCA-530100", "auditor", None),
    ("audit ?date=", GET, "/cases/audit/?date=2009-06-15", "auditor", None),
    ("public reports", GET, "/cases/public-reports/", "case.mps.km", None),
    ("public reports triage", GET, "/cases/public-reports/", "office", None),
    ("public report stats", GET, "/cases/public-reports/statistics/", "office", None),
    ("funding totals", GET, "/plans/{plan}/funding/totals/", "office", None),
    ("funding (owner)", GET, "/plans/{plan}/funding/", "liaison.mca", None),
    ("implementation plans", GET, "/plans/{plan}/implementation/", "office", None),
    ("agreements", GET, "/plans/{plan}/agreements/", "office", None),
    ("good practices", GET, "/plans/{plan}/practices/", "office", None),
    # API lists.
    ("api measures", GET, "/api/measures/?plan={plan}&limit=500", "office", None),
    ("api units", GET, "/api/units/", "office", None),
    ("api progress entries", GET, "/api/progress-entries/", "office", None),
    ("api quarterly reports", GET, "/api/quarterly-reports/", "office", None),
    ("api jobs", GET, "/api/jobs/", "office", None),
    ("api cases", GET, "/api/cases/", "case.mca", None),
    ("api referrals", GET, "/api/referrals/", "case.mca", None),
    ("api case statistics", GET, "/api/case-statistics/", "office", None),
    ("api public reports", GET, "/api/public-reports/", "case.mps.km", None),
    ("api implementation", GET, "/api/implementation-plans/", "office", None),
    ("api agreements", GET, "/api/agreements/", "office", None),
    ("api funding", GET, "/api/funding/", "office", None),
    ("api good practices", GET, "/api/good-practices/", "office", None),
]

# The key pages of the goals: at least 10% of the signed-in floor's throughput, p95 < 150 ms.
KEY = ["my measures", "Office inbox", "dashboard", "case list", "audit log"]
