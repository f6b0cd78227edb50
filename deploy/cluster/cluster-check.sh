#!/usr/bin/env bash
# make cluster-check: two gunicorn nodes and a task worker on PostgreSQL and Redis, behind
# HAProxy (Debian's package, run in the foreground with a generated configuration); a
# bounded load through HAProxy; one node killed with SIGKILL midway; then what was
# acknowledged is counted against what was stored.
#
# Uses a fresh PostgreSQL database `cluster_check` (created and dropped here) on
# CLUSTER_PG (default postgres://postgres@127.0.0.1:5432) and a private redis-server.
# The last line is: cluster: A acknowledged, S stored, L lost, D duplicated, node killed at T s
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
PG=${CLUSTER_PG:-postgres://postgres@127.0.0.1:5432}
DB=cluster_check
LB_PORT=${CLUSTER_LB_PORT:-18000}
NODE1_PORT=${CLUSTER_NODE1_PORT:-18001}
NODE2_PORT=${CLUSTER_NODE2_PORT:-18002}
REDIS_PORT=${CLUSTER_REDIS_PORT:-16379}
PUSHES=${CLUSTER_PUSHES:-300}
FORMS=${CLUSTER_FORMS:-30}
VIEWS=${CLUSTER_VIEWS:-200}
WORK=$(mktemp -d /tmp/cluster-check.XXXXXX)
PIDS=()
export PGOPTIONS="-c client_min_messages=warning"

say() { echo "cluster-check: $*" >&2; }

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    sleep 1
    for pid in "${PIDS[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Start a command in its own process group (so the whole node can be killed at once);
# its pid (= the group's id) is left in STARTED.
start() {
    local log=$1
    shift
    setsid "$@" >"$WORK/$log.log" 2>&1 &
    STARTED=$!
    disown "$STARTED"
    PIDS+=("$STARTED")
}

wait_for() {  # url, seconds
    local deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        if ((SECONDS > deadline)); then
            say "no answer from $1"
            tail -n 30 "$WORK"/*.log >&2
            exit 1
        fi
        sleep 0.5
    done
}

if ! command -v haproxy >/dev/null; then
    say "installing haproxy (Debian package)"
    apt-get install -y haproxy >/dev/null
fi
command -v redis-server >/dev/null || { say "redis-server is missing (apt-get install redis-server)"; exit 1; }

psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql "$PG/postgres" -qAtc "CREATE DATABASE $DB" >/dev/null
start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no

export DATABASE_URL="$PG/$DB"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY="cluster-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export AUDIT_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export TRUSTED_PROXIES="127.0.0.1"  # HAProxy; the load's form posts come from 127.0.100.x
export MEDIA_ROOT="$WORK/media"
export AUDIT_CHECKPOINT_FILE="$WORK/audit-checkpoints.jsonl"
export OPINIONS_MIN_FILL_SECONDS=1
export DJANGO_SETTINGS_MODULE=config.settings

say "migrating and loading the demo into $DB"
$BIN/python manage.py migrate --noinput --skip-checks -v0
$BIN/python manage.py load_demo >"$WORK/demo.log"
$BIN/python manage.py collectstatic --noinput -v0
TOKEN=$($BIN/python manage.py shell -v0 -c "
from biaoshuai.api.services import api_token_create
_, secret, _ = api_token_create(by=None, name='cluster-check', scopes=['opinions:write'], rate_limit=100000)
print(secret)" | tail -n1)

# Threads keep a node answering HAProxy's health check while its workers serve the load.
GUNICORN=($BIN/gunicorn config.wsgi --workers 2 --threads 4 --timeout 30 --graceful-timeout 5 --access-logfile -)
start node1 "${GUNICORN[@]}" --bind "127.0.0.1:$NODE1_PORT"
start node2 "${GUNICORN[@]}" --bind "127.0.0.1:$NODE2_PORT"
NODE2=$STARTED
start worker $BIN/python manage.py db_worker
wait_for "http://127.0.0.1:$NODE1_PORT/portal/" 60
wait_for "http://127.0.0.1:$NODE2_PORT/portal/" 60

# The load balancer's health check: /readyz when this version has it, else the portal.
CHECK=/readyz
curl -fsS -o /dev/null "http://127.0.0.1:$NODE1_PORT$CHECK" 2>/dev/null || CHECK=/portal/
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 5s
    timeout queue 30s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response 502 503 504
    option forwardfor
    option http-server-close
frontend www
    bind 127.0.0.1:$LB_PORT
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET $CHECK
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    server node1 127.0.0.1:$NODE1_PORT check
    server node2 127.0.0.1:$NODE2_PORT check
EOF
haproxy -c -q -f "$WORK/haproxy.cfg"
start haproxy haproxy -db -f "$WORK/haproxy.cfg"
wait_for "http://127.0.0.1:$LB_PORT/portal/" 30
say "HAProxy on :$LB_PORT -> nodes :$NODE1_PORT, :$NODE2_PORT (health check $CHECK); worker and Redis up"

set +e
$BIN/python deploy/cluster/load.py --port "$LB_PORT" --token "$TOKEN" --database-url "$DATABASE_URL" \
    --pushes "$PUSHES" --forms "$FORMS" --views "$VIEWS" --kill-pgid "$NODE2" | tee "$WORK/load.out" >&2
status=${PIPESTATUS[0]}
set -e
summary=$(grep '^cluster: ' "$WORK/load.out" || echo "cluster: the load did not finish")
cleanup
trap - EXIT
echo "$summary"
exit "$status"
