#!/usr/bin/env bash
# Fresh-machine smoke test of `giamsat dev`: no service URLs, an empty data folder, embedded
# PostgreSQL/Valkey/SeaweedFS. Start, wait for /readyz and the demo tenant's page, Ctrl-C,
# check a clean exit with nothing left running; then once more on the same folder (data reused,
# same admin password). Needs the venv at .venv (created by .ci/run before this).
set -euo pipefail
cd "$(dirname "$0")/.."

START_BOUND=${DEV_SMOKE_START_SECONDS:-180}
STOP_BOUND=${DEV_SMOKE_STOP_SECONDS:-60}
PY=.venv/bin/python
[ -x "$PY" ] && [ -x .venv/bin/giamsat ] || { echo "dev-smoke: .venv with giamsat is missing" >&2; exit 1; }

unset GIAMSAT_DATABASE_URL GIAMSAT_REDIS_URL GIAMSAT_S3_URL GIAMSAT_S3_ACCESS_KEY \
      GIAMSAT_S3_SECRET_KEY GIAMSAT_SECRET_KEY GIAMSAT_MASTER_KEYS
WORK=$(mktemp -d /tmp/giamsat-dev-smoke.XXXXXX)
# Named like the default data folder, so commands run from $WORK find the stack by its env file.
DATA="$WORK/.giamsat-dev"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
DEV_PID=""
RUN=0

say() { printf '[dev-smoke %3ss] %s\n' "$SECONDS" "$*"; }

# Every process under `giamsat dev` (servers, web, worker, scheduler), by pid.
stack_pids() {
  "$PY" - "$1" <<'EOF'
import sys, psutil
try:
    print(" ".join(str(p.pid) for p in psutil.Process(int(sys.argv[1])).children(recursive=True)))
except psutil.NoSuchProcess:
    pass
EOF
}

# Pids of the list still running (zombies have exited and do not count), plus any process
# whose command line names our data folder.
leftovers() {
  "$PY" - "$DATA" "$@" <<'EOF'
import os, sys, psutil
data, pids = sys.argv[1], {int(p) for p in sys.argv[2:]}
found = set()
for p in psutil.process_iter(["pid", "cmdline", "status"]):
    if p.info["status"] == psutil.STATUS_ZOMBIE or p.info["pid"] == os.getpid():
        continue
    if p.info["pid"] in pids or data in " ".join(p.info["cmdline"] or []):
        found.add(p.info["pid"])
for pid in sorted(found):
    try:
        print(pid, " ".join(psutil.Process(pid).cmdline()))
    except psutil.Error:
        pass
EOF
}

show_logs() {
  echo "----- giamsat dev output (run $RUN) -----"
  cat "$WORK/dev-$RUN.log" 2>/dev/null || true
  for f in "$DATA"/logs/*.log "$DATA"/s3/weed.log; do
    [ -f "$f" ] || continue
    echo "----- tail of $f -----"
    tail -n 40 "$f"
  done
}

cleanup() {
  local code=$?
  if [ -n "$DEV_PID" ] && kill -0 "$DEV_PID" 2>/dev/null; then
    local pids; pids=$(stack_pids "$DEV_PID")
    kill -TERM "$DEV_PID" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$DEV_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$DEV_PID" $pids 2>/dev/null || true
  fi
  if [ "$code" -ne 0 ]; then
    show_logs
    echo "dev-smoke: FAILED (data kept in $WORK)" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap cleanup EXIT

fail() { say "FAIL: $*"; exit 1; }

http_status() { curl -s -o /dev/null -w '%{http_code}' -L --max-time 10 "$1" || true; }

# The printed demo credentials really log in (302 to the home page; a wrong password is 422).
check_login() {
  local jar="$WORK/cookies-$RUN" password token code
  password=$(cat "$DATA/admin-password.txt" 2>/dev/null) || fail "no admin password file"
  token=$(curl -s --max-time 10 -c "$jar" -b "$jar" "$BASE/t/ninh-binh/login" \
          | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
  [ -n "$token" ] || fail "no CSRF token on the login page"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -c "$jar" -b "$jar" \
         --data-urlencode "csrf_token=$token" --data-urlencode "username=admin" \
         --data-urlencode "password=$password" "$BASE/t/ninh-binh/login")
  [ "$code" = 302 ] || fail "logging in as admin answered $code, not 302"
  say "login as admin: ok"
}

# The printed environment: `. env.sh` points any giamsat command at the running stack, and a
# command started in the folder holding .giamsat-dev finds it without being told.
check_env_file() {
  local env_file="$DATA/env.sh" giamsat="$PWD/.venv/bin/giamsat" py="$PWD/$PY" user="smoke-$RUN-$$"
  [ -f "$env_file" ] || fail "giamsat dev wrote no $env_file"
  [ "$(stat -c %a "$env_file")" = 600 ] || fail "env.sh is not 0600"
  grep -qF ". $env_file" "$WORK/dev-$RUN.log" || fail "the env file's use was not printed"
  ( set -e; . "$env_file"; cd "$WORK"
    "$py" -c 'import secrets; print(secrets.token_urlsafe(18))' \
      | "$giamsat" users create --tenant ninh-binh --username "$user" --full-name "Smoke $RUN" \
          --role readonly --password-stdin ) >"$WORK/env-$RUN.log" 2>&1 \
    || { cat "$WORK/env-$RUN.log"; fail "giamsat users create with . env.sh failed"; }
  [ "$DATA" = "$WORK/.giamsat-dev" ] || { say "env.sh: users create: ok"; return; }
  ( unset GIAMSAT_DATABASE_URL; cd "$WORK" && "$giamsat" tenants list ) >"$WORK/found-$RUN.log" 2>&1 \
    || { cat "$WORK/found-$RUN.log"; fail "giamsat tenants list from $WORK did not find the stack"; }
  grep -q "ninh-binh" "$WORK/found-$RUN.log" || fail "tenants list from $WORK did not list ninh-binh"
  say "env.sh: users create and tenants list: ok"
}

run_once() {
  RUN=$((RUN + 1))
  say "run $RUN: giamsat dev --data-dir $DATA --port $PORT"
  .venv/bin/giamsat dev --data-dir "$DATA" --port "$PORT" >"$WORK/dev-$RUN.log" 2>&1 &
  DEV_PID=$!

  local deadline=$((SECONDS + START_BOUND)) ready="" home=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$DEV_PID" 2>/dev/null || fail "giamsat dev exited early"
    if [ -z "$ready" ] && curl -sf --max-time 10 "$BASE/readyz" 2>/dev/null | grep -q '"ready"'; then
      ready=1; say "/readyz: ready"
    fi
    if [ -n "$ready" ] && [ "$(http_status "$BASE/t/ninh-binh/")" = 200 ]; then
      home=1; say "/t/ninh-binh/: 200"; break
    fi
    sleep 1
  done
  [ -n "$ready" ] || fail "/readyz not ready within ${START_BOUND}s: $(curl -s --max-time 10 "$BASE/readyz" || true)"
  [ -n "$home" ] || fail "/t/ninh-binh/ did not answer 200 within ${START_BOUND}s (last: $(http_status "$BASE/t/ninh-binh/"))"

  check_login
  check_env_file
  local pids; pids=$(stack_pids "$DEV_PID")
  say "stack pids: $pids"
  [ -n "$pids" ] || fail "no child processes found"

  say "SIGINT"
  kill -INT "$DEV_PID"
  deadline=$((SECONDS + STOP_BOUND))
  while kill -0 "$DEV_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  kill -0 "$DEV_PID" 2>/dev/null && fail "giamsat dev still running ${STOP_BOUND}s after SIGINT"
  local code=0; wait "$DEV_PID" || code=$?
  DEV_PID=""
  [ "$code" -eq 0 ] || fail "giamsat dev exited with $code after SIGINT"

  sleep 1  # let PID 1 notice orphans that were killed
  local left; left=$(leftovers $pids)
  [ -z "$left" ] || fail "processes left behind:
$left"
  [ ! -e "$DATA/env.sh" ] || fail "env.sh is still there after the stop"
  say "run $RUN: clean exit, nothing left running"
}

run_once
[ -s "$DATA/admin-password.txt" ] || fail "no admin password file"
[ "$(stat -c %a "$DATA/admin-password.txt")" = 600 ] || fail "admin-password.txt is not 0600"
PASSWORD=$(cat "$DATA/admin-password.txt")
grep -qF "$PASSWORD" "$WORK/dev-1.log" || fail "the admin password was not printed"

run_once
grep -q "dùng lại dữ liệu" "$WORK/dev-2.log" || fail "second run did not reuse the PostgreSQL data"
[ "$(cat "$DATA/admin-password.txt")" = "$PASSWORD" ] || fail "admin password changed on the second run"
grep -qF "$PASSWORD" "$WORK/dev-2.log" || fail "the admin password was not printed on the second run"
grep -q "created user" "$DATA/logs/setup.log" && [ "$(grep -c "created user" "$DATA/logs/setup.log")" = 1 ] \
  || fail "the admin account was not created exactly once"
# Run 3: servers configured by URL are used instead of embedded ones (the machine's own
# PostgreSQL and Redis here; S3 stays embedded). A fresh database and data folder.
DB_NAME="giamsat_devsmoke_$$"
SERVER_URL=${DEV_SMOKE_SERVER_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
db_admin() {
  "$PY" - "$SERVER_URL" "$1" "$DB_NAME" <<'EOF'
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with engine.connect() as conn:
    if sys.argv[2] == "create":
        conn.execute(text(f'CREATE DATABASE "{sys.argv[3]}"'))
    else:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{sys.argv[3]}" WITH (FORCE)'))
EOF
}
db_admin create
trap 'code=$?; db_admin drop || true; (exit $code); cleanup' EXIT
DATA="$WORK/data-configured"
export GIAMSAT_DATABASE_URL="${SERVER_URL%/*}/$DB_NAME" GIAMSAT_REDIS_URL="redis://127.0.0.1:6379/7"
run_once
grep -q "PostgreSQL: dùng GIAMSAT_DATABASE_URL" "$WORK/dev-3.log" \
  || fail "a configured GIAMSAT_DATABASE_URL was not used"
grep -q "Redis: dùng GIAMSAT_REDIS_URL" "$WORK/dev-3.log" || fail "a configured GIAMSAT_REDIS_URL was not used"
[ ! -e "$DATA/postgres" ] && [ ! -e "$DATA/valkey" ] \
  || fail "embedded PostgreSQL or Valkey data appeared although URLs were configured"
say "OK"
