#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the local MongoDB-protocol server and Redis,
# builds, and runs the whole suite (unit, integration, e2e). Extra arguments go to vitest.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_node_modules
# The browser test drives Debian's chromium (never a downloaded browser).
command -v chromium >/dev/null || apt_install chromium
# promtool (Debian's prometheus package) checks docker/prometheus/alerts.yml.
command -v promtool >/dev/null || apt_install prometheus
started_here=false
# Services given from outside (MONGODB_URI and REDIS_URL) or already running are not ours to stop.
if [[ -z "${MONGODB_URI:-}" || -z "${REDIS_URL:-}" ]]; then
  pid_alive "$RUN_DIR/mongo.pid" && pid_alive "$RUN_DIR/redis.pid" || started_here=true
fi
bash scripts/services-up.sh >/dev/null
# shellcheck disable=SC1091
source "$LOCAL_DIR/services.env"
if [[ "$started_here" == true && "${KEEP_SERVICES:-}" != 1 ]]; then
  trap 'bash "$ROOT/scripts/services-down.sh"' EXIT
fi

# Some suites run the built apps as separate processes (crash/restart, two replicas).
npx nest build staking-api >/dev/null
npx nest build tron-devnet >/dev/null

npx vitest run "$@"
