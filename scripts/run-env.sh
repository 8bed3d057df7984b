# The environment of `make run`, sourced by scripts/run.sh (and by the tests that check what a user
# of `make run` sees). Each variable keeps a value given from outside.
#
# DEBUG off: the portal's own 404, 403 and 500 pages, in the user's language, never Django's debug
# pages; static files are collected and served by WhiteNoise, as in production. Plain HTTP on the
# local machine only.
export DEBUG="${DEBUG:-0}"
export HTTPS="${HTTPS:-0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,127.0.0.1}"
# The demo holds the 2008–2012 plan: run the portal's clock from a day inside it (core/clock.py),
# while 2009 Q4 is due. PORTAL_TODAY= (empty) runs on today's date. The clock reads PORTAL_TODAY at
# the real moment the run started, and advances from there (past midnight too) in the web server,
# the worker and beat alike.
export PORTAL_TODAY="${PORTAL_TODAY-2010-01-10}"
export PORTAL_CLOCK_START="${PORTAL_CLOCK_START:-$(date --iso-8601=seconds)}"
# Remind provinces a week ahead in the demo, so that today's reminders (2009 Q4) are visible.
export REMINDER_DAYS_BEFORE="${REMINDER_DAYS_BEFORE-7}"
