#!/usr/bin/env bash
# Stops what services-up.sh started. Data stays in .local/ (delete it to start clean).
source "$(dirname "$0")/lib.sh"
for name in mongo redis; do
  pidfile="$RUN_DIR/$name.pid"
  if pid_alive "$pidfile"; then
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $name ($pid)"
  fi
  rm -f "$pidfile" "$RUN_DIR/$name.kind"
done
# FerretDB's PostgreSQL cluster, when the postgresql backend started one.
if [[ -f "$RUN_DIR/postgres.bin" && -f "$LOCAL_DIR/postgres/PG_VERSION" ]]; then
  as=(); [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
  "${as[@]}" "$(cat "$RUN_DIR/postgres.bin")/pg_ctl" -D "$LOCAL_DIR/postgres" -m fast stop >/dev/null 2>&1 &&
    log "stopped postgres"
  rm -f "$RUN_DIR/postgres.bin"
fi
