#!/usr/bin/env bash
# `make test`: install what the tests need, start private PostgreSQL and Redis instances on free
# ports in a temporary directory, run the whole pytest suite against them (the suite starts its own
# Celery worker on that Redis), stop everything, and exit with pytest's status.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# --- system packages -------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
[[ -n "$(pg_bin)" && -x "$(pg_bin)/initdb" ]] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
source scripts/pdf-packages.sh
for package in $(pdf_packages_missing); do missing+=("$package"); done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  else
    echo "The tests need these system packages: ${missing[*]}" >&2
    echo "On Debian/Ubuntu: sudo apt-get install ${missing[*]}  (then run make test again)" >&2
    exit 2
  fi
fi
PG_BIN=$(pg_bin)

# --- private services --------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/imcs-test.XXXXXX)
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
as_pg=()
if [[ $(id -u) == 0 ]]; then
  # PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
  chown postgres "$TMP"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  status=$?
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$TMP/pg" -m fast -w stop >/dev/null 2>&1 || true
  [[ -n ${redis_pid:-} ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$TMP"
  exit $status
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$PG_BIN/initdb" -D "$TMP/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg.log" -w start \
  -o "-p $PG_PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$TMP" --save "" --appendonly no \
  --logfile "$TMP/redis.log" &
redis_pid=$!
echo "Private PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (in $TMP)"

# --- the environment the suite runs in -----------------------------------------------------------
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/imcs"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY="test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CASE_ENCRYPTION_KEYS="$(.venv/bin/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
export CASE_BLIND_INDEX_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
export DEBUG=0 HTTPS=0
export VAR_DIR="$TMP/var" STATIC_ROOT="$TMP/static" MEDIA_ROOT="$TMP/media"
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API runs an event loop in the test thread
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$VAR_DIR"
.venv/bin/python manage.py collectstatic --noinput -v0

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
exit $status
