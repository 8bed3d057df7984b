#!/usr/bin/env bash
# `make run`: prepare the database, then serve the portal with a background-job worker beside it.
# With no environment: SQLite under var/ and a filesystem job queue under var/ (no services needed).
# With DATABASE_URL / REDIS_URL set: PostgreSQL and Redis are used instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
source scripts/run-env.sh
# Compiled reports' PDFs (WeasyPrint) need Pango; install it if we can, or say what is missing.
source scripts/pdf-packages.sh
pdf_libs=()
for package in $(pdf_packages_missing); do pdf_libs+=("$package"); done
if ((${#pdf_libs[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing the PDF libraries: ${pdf_libs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${pdf_libs[@]}" fontconfig >/dev/null || true
  else
    echo "Note: compiled reports need these packages for their PDFs: ${pdf_libs[*]}" >&2
  fi
fi
mkdir -p var/celery-queue var/celery-processed var/celery-control var/media

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py load_divisions
$PY manage.py load_plan
# The demo's data is for this machine only: made with DEBUG off too (--force).
$PY manage.py create_demo_users --force
$PY manage.py create_demo_progress --force
$PY manage.py create_demo_evaluation --force
$PY manage.py create_demo_quarterly --force
$PY manage.py create_demo_cases --force
$PY manage.py create_demo_coordination --force
$PY manage.py create_demo_public_reports --force
$PY manage.py send_reminders

# The worker processes background jobs (spreadsheet checks, compiled reports); beat sends the
# scheduled ones (daily reminders and reports, the jobs' watchdog). Both stop with the server.
.venv/bin/celery -A imcs_portal worker --pool=solo --loglevel=warning > var/worker.log 2>&1 &
worker=$!
.venv/bin/celery -A imcs_portal beat --loglevel=warning --schedule=var/celerybeat-schedule > var/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null || true' EXIT INT TERM

echo
echo "IMCS Portal: http://127.0.0.1:${PORT:-8000}/  (sign in with a demo user above; Ctrl-C stops)"
echo "Background-job worker log: var/worker.log"
$PY manage.py runserver "127.0.0.1:${PORT:-8000}"
