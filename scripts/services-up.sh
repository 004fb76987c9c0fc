#!/usr/bin/env bash
# Starts the local MongoDB-protocol server and Redis on loopback (idempotent) and prints their
# URIs; also writes them to .local/services.env for the other scripts.
#   MONGODB_URI set      → used as is, nothing started
#   mongod on PATH       → a mongod with its data in .local/mongo
#   otherwise            → FerretDB v1 (SQLite backend) with its data in .local/ferretdb
# Ports: LOCAL_MONGO_PORT (default 27017), LOCAL_REDIS_PORT (default 6379).
source "$(dirname "$0")/lib.sh"

MONGO_PORT="${LOCAL_MONGO_PORT:-27017}"
REDIS_PORT="${LOCAL_REDIS_PORT:-6379}"

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
    "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$LOCAL_DIR/ferretdb/data/" \
      --listen-addr="127.0.0.1:$MONGO_PORT" --state-dir="$LOCAL_DIR/ferretdb/state" \
      --telemetry=disable --debug-addr=- --log-level=warn >>"$LOG_DIR/ferretdb.log" 2>&1 &
    echo $! > "$RUN_DIR/mongo.pid"
    echo "ferretdb $FERRETDB_VERSION (sqlite)" > "$RUN_DIR/mongo.kind"
  fi
  wait_for_port "$MONGO_PORT" "$(cat "$RUN_DIR/mongo.kind")" 300
  echo "$uri"
}

start_redis() {
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
