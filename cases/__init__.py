"""Confidential case files of rescued women and children: intake, assistance, referrals between
agencies, follow-up visits, the audit log of their reads, and suppressed statistics. Stands on
``agencies`` and ``core``; other apps read it only through ``cases.selectors.suppressed_statistics``."""
