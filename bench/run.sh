#!/usr/bin/env bash
# `make bench`: start a private PostgreSQL on a free port whose data directory is kept under
# var/bench/ (so the built 1x and 100x databases survive between runs; BENCH_REBUILD=1 builds them
# anew), run bench/run.py against it, and stop it. It is started as scripts/test.sh starts its own
# (same flags: trust on 127.0.0.1 only, no fsync), but kept rather than made in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DIR=${BENCH_DIR:-$PWD/var/bench}
mkdir -p "$DIR"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$PG_BIN/initdb" ]] || { echo "The benchmark needs PostgreSQL (apt-get install postgresql)" >&2; exit 2; }
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chown postgres "$DIR"
  as_pg=(runuser -u postgres --)
fi
if [[ ! -f "$DIR/pg/PG_VERSION" ]]; then
  "${as_pg[@]}" "$PG_BIN/initdb" -D "$DIR/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# The encryption and signing keys belong to the kept databases: made once, kept beside them.
if [[ ! -f "$DIR/keys.env" ]]; then
  {
    echo "SECRET_KEY=bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    echo "CASE_ENCRYPTION_KEYS=$($PY -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
    echo "CASE_BLIND_INDEX_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  } >"$DIR/keys.env"
fi
set -a
source "$DIR/keys.env"
set +a
PG_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop EXIT INT TERM
# Memory for a 2 GB-class server, not the 128 MB default: the 100x tables are about a gigabyte.
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w start -o "-p $PG_PORT -k /tmp \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=256MB -c max_wal_size=4GB" >/dev/null

export BENCH_PG="postgres://postgres@127.0.0.1:$PG_PORT"
export ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
export DEBUG=0 HTTPS=0 LOG_LEVEL=WARNING
export PORTAL_TODAY="${PORTAL_TODAY-2010-01-10}"   # the demo's day, as `make run`
export VAR_DIR="$DIR/var" MEDIA_ROOT="$DIR/media" STATIC_ROOT="$DIR/static"
mkdir -p "$VAR_DIR" "$MEDIA_ROOT"
[[ -f "$STATIC_ROOT/.collected" ]] || { $PY manage.py collectstatic --noinput -v0 && touch "$STATIC_ROOT/.collected"; }
$PY bench/run.py "$@"
