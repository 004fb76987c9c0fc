#!/usr/bin/env bash
# Starts the local MongoDB-protocol server and Redis on loopback (idempotent) and prints their
# URIs; also writes them to .local/services.env for the other scripts.
#   MONGODB_URI set      → used as is, nothing started (REDIS_URL likewise for Redis), so a
#                          second checkout (a git worktree) can share services already running
#   mongod on PATH       → a mongod with its data in .local/mongo
#   otherwise            → FerretDB v1 with its data in .local/: by default its PostgreSQL
#                          backend on a private PostgreSQL cluster (Debian's postgresql package)
#                          whose indexes get GIN twins, so indexed equality lookups are index
#                          scans (DESIGN.md §4, scripts/sql/ferretdb-gin-twins.sql);
#                          LOCAL_FERRETDB_BACKEND=sqlite for the SQLite backend, which scans
#                          every document of a collection on every query (README "FerretDB backends")
# Ports: LOCAL_MONGO_PORT (default 27017), LOCAL_REDIS_PORT (default 6379),
#        LOCAL_POSTGRES_PORT (default 54329, postgresql backend only).
source "$(dirname "$0")/lib.sh"

MONGO_PORT="${LOCAL_MONGO_PORT:-27017}"
REDIS_PORT="${LOCAL_REDIS_PORT:-6379}"
PG_PORT="${LOCAL_POSTGRES_PORT:-54329}"
FERRETDB_BACKEND="${LOCAL_FERRETDB_BACKEND:-postgresql}"

# A private PostgreSQL cluster in .local/postgres for FerretDB's PostgreSQL backend. PostgreSQL
# refuses to run as root, so as root it runs as the package's `postgres` user.
start_postgres() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [[ -z "$bin" ]]; then apt_install postgresql; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"; fi
  local data="$LOCAL_DIR/postgres" as=()
  [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
  mkdir -p "$data"
  [[ $(id -u) -eq 0 ]] && chown postgres "$data"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    "${as[@]}" "$bin/initdb" -D "$data" -A trust -U postgres >>"$LOG_DIR/postgres.log" 2>&1
  fi
  if ! "${as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    if port_open "$PG_PORT"; then log "port $PG_PORT is taken; set LOCAL_POSTGRES_PORT"; return 1; fi
    # Local and test data only: durability is traded for speed.
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o \
      "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c plan_cache_mode=force_custom_plan" \
      start >/dev/null
  fi
  "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1 ||
    "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ferretdb
  # FerretDB's indexes get GIN twins so its pushed-down equality filters use them (see the file).
  "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d ferretdb -q -v ON_ERROR_STOP=1 \
    <"$ROOT/scripts/sql/ferretdb-gin-twins.sql" >>"$LOG_DIR/postgres.log" 2>&1
  echo "$bin" > "$RUN_DIR/postgres.bin"
}

start_mongo() {
  if [[ -n "${MONGODB_URI:-}" ]]; then echo "$MONGODB_URI"; return; fi
  local uri="mongodb://127.0.0.1:$MONGO_PORT/tron_staking"
  if pid_alive "$RUN_DIR/mongo.pid"; then echo "$uri"; return; fi
  if port_open "$MONGO_PORT"; then
    log "port $MONGO_PORT is taken by another process; set LOCAL_MONGO_PORT or MONGODB_URI"; return 1
  fi
  if command -v mongod >/dev/null; then
    mkdir -p "$LOCAL_DIR/mongo"
    mongod --dbpath "$LOCAL_DIR/mongo" --port "$MONGO_PORT" --bind_ip 127.0.0.1 \
      --logpath "$LOG_DIR/mongod.log" >/dev/null 2>&1 &
    echo $! > "$RUN_DIR/mongo.pid"
    echo mongod > "$RUN_DIR/mongo.kind"
  else
    ensure_ferretdb
    mkdir -p "$LOCAL_DIR/ferretdb/data" "$LOCAL_DIR/ferretdb/state"
    local backend=(--handler=sqlite --sqlite-url="file:$LOCAL_DIR/ferretdb/data/")
    if [[ "$FERRETDB_BACKEND" == postgresql ]]; then
      start_postgres >&2
      backend=(--handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:$PG_PORT/ferretdb")
    elif [[ "$FERRETDB_BACKEND" != sqlite ]]; then
      log "LOCAL_FERRETDB_BACKEND must be sqlite or postgresql"; return 1
    fi
    "$FERRETDB_BIN" "${backend[@]}" \
      --listen-addr="127.0.0.1:$MONGO_PORT" --state-dir="$LOCAL_DIR/ferretdb/state" \
      --telemetry=disable --debug-addr=- --log-level=warn >>"$LOG_DIR/ferretdb.log" 2>&1 &
    echo $! > "$RUN_DIR/mongo.pid"
    echo "ferretdb $FERRETDB_VERSION with atomic writes ($FERRETDB_BACKEND)" > "$RUN_DIR/mongo.kind"
  fi
  wait_for_port "$MONGO_PORT" "$(cat "$RUN_DIR/mongo.kind")" 300
  echo "$uri"
}

start_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then echo "$REDIS_URL"; return; fi
  local uri="redis://127.0.0.1:$REDIS_PORT/0"
  if pid_alive "$RUN_DIR/redis.pid"; then echo "$uri"; return; fi
  if port_open "$REDIS_PORT"; then
    log "port $REDIS_PORT is taken by another process; set LOCAL_REDIS_PORT"; return 1
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$LOCAL_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$LOCAL_DIR/redis" \
    --save "" --appendonly no --daemonize no --logfile "$LOG_DIR/redis.log" >/dev/null 2>&1 &
  echo $! > "$RUN_DIR/redis.pid"
  wait_for_port "$REDIS_PORT" redis-server
  echo "$uri"
}

mongo_uri="$(start_mongo)"
redis_uri="$(start_redis)"
cat > "$LOCAL_DIR/services.env" <<ENV
export MONGODB_URI='$mongo_uri'
export REDIS_URL='$redis_uri'
ENV
echo "MONGODB_URI=$mongo_uri   # $(cat "$RUN_DIR/mongo.kind" 2>/dev/null || echo external)"
echo "REDIS_URL=$redis_uri"
