#!/usr/bin/env bash
# `npm run local`: everything on this machine, in the foreground — MongoDB-protocol server,
# Redis, the TRON devnet (port 8090) and the API (port 8095). Ctrl-C stops all of it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_node_modules
bash scripts/services-up.sh
# shellcheck disable=SC1091
source "$LOCAL_DIR/services.env"

log "building"
npx nest build staking-api >/dev/null
npx nest build tron-devnet >/dev/null

# Secrets for a local run: kept in .local/dev.env so restarts keep the same keys and login.
secrets="$LOCAL_DIR/dev.env"
if [[ ! -f "$secrets" ]]; then
  umask 077
  cat > "$secrets" <<ENV
export JWT_SECRET='$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')'
export KEYSTORE_MASTER_SECRET='$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')'
export DEFAULT_ADMIN_PASSWORD='$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')'
ENV
fi
# shellcheck disable=SC1090
source "$secrets"
export ADMIN_USERNAME="${ADMIN_USERNAME:-admin}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-$DEFAULT_ADMIN_PASSWORD}"
export TRON_FULL_HOST="${TRON_FULL_HOST:-http://127.0.0.1:${DEVNET_PORT:-8090}}"
export TRON_NETWORK="${TRON_NETWORK:-devnet}"
export PORT="${PORT:-8095}"
export HOST="${HOST:-127.0.0.1}"
# The local run's webhook receivers are on this machine, over plain http.
export WEBHOOK_ALLOW_PRIVATE_URLS="${WEBHOOK_ALLOW_PRIVATE_URLS:-true}"
export WEBHOOK_ALLOW_HTTP="${WEBHOOK_ALLOW_HTTP:-true}"

pids=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$ROOT/scripts/services-down.sh"
}
trap cleanup INT TERM EXIT

if [[ "$TRON_FULL_HOST" == http://127.0.0.1:* && -f dist/apps/tron-devnet/src/main.js ]]; then
  DEVNET_PORT="${DEVNET_PORT:-8090}" node dist/apps/tron-devnet/src/main.js &
  pids+=($!)
  wait_for_port "${DEVNET_PORT:-8090}" tron-devnet 100
fi

node dist/apps/staking-api/src/main.js &
pids+=($!)
wait_for_port "$PORT" staking-api 300

cat <<INFO

  TRON staking service is up.
    Swagger UI   http://127.0.0.1:$PORT/docs
    ReDoc        http://127.0.0.1:$PORT/redoc
    Health       http://127.0.0.1:$PORT/health
    TRON devnet  $TRON_FULL_HOST   (control API: /devnet/state, /devnet/faucet, /devnet/advance)
    Admin login  username: $ADMIN_USERNAME   password: $ADMIN_PASSWORD
                 (POST /api/v1/auth/login, then "Authorize" in Swagger with the access_token)

  Ctrl-C stops everything.
INFO
wait -n "${pids[@]}"
