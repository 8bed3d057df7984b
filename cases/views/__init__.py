"""Pages of case files, by topic: the file itself (``case_files``), the assistance forms on its
page (``assistance``), referrals (``referrals``), visits past due (``overdue``), the export
(``exports``), statistics (``statistics``) and the auditors' log (``audit_log``). ``cases.urls``
routes to them."""
