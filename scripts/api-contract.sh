#!/usr/bin/env bash
# `npm run test:contract`: the OpenAPI document as a contract. Boots the built devnet and API on
# free ports against a fresh database, seeds a managed account with a stake, and runs
# schemathesis (from PyPI, in a virtual environment kept in the tool cache) with every check
# against /docs-json. Any failure fails the run. Reports go to test-artifacts/contract/.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SCHEMATHESIS_VERSION="4.32.5"
SEED="${CONTRACT_SEED:-20261202}"
VENV="$TOOL_CACHE/schemathesis-$SCHEMATHESIS_VERSION"
ARTIFACTS="$ROOT/test-artifacts/contract"
mkdir -p "$ARTIFACTS"

if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

started_here=false
# Services given from outside (MONGODB_URI and REDIS_URL) or already running are not ours to stop.
if [[ -z "${MONGODB_URI:-}" || -z "${REDIS_URL:-}" ]]; then
  pid_alive "$RUN_DIR/mongo.pid" && pid_alive "$RUN_DIR/redis.pid" || started_here=true
fi
bash scripts/services-up.sh >/dev/null
# shellcheck disable=SC1091
source "$LOCAL_DIR/services.env"
[[ -f dist/apps/staking-api/src/main.js && "${CONTRACT_SKIP_BUILD:-}" == 1 ]] || {
  npx nest build staking-api >/dev/null
  npx nest build tron-devnet >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
random_secret() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }
run_id="contract_$(date +%s)_$$"
DEVNET_PORT=$(free_port)
API_PORT=$(free_port)
API="http://127.0.0.1:$API_PORT"
ADMIN_PASSWORD="$(random_secret)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ "$started_here" == true && "${KEEP_SERVICES:-}" != 1 ]]; then
    bash "$ROOT/scripts/services-down.sh"
  fi
}
trap cleanup EXIT

DEVNET_PORT=$DEVNET_PORT node dist/apps/tron-devnet/src/main.js >"$ARTIFACTS/devnet.log" 2>&1 &
pids+=($!)
wait_for_port "$DEVNET_PORT" tron-devnet 100

env PORT="$API_PORT" HOST=127.0.0.1 NODE_ENV=test LOG_LEVEL=warn \
  TRON_FULL_HOST="http://127.0.0.1:$DEVNET_PORT" TRON_MAX_REQUESTS_PER_SECOND=1000 \
  MONGODB_URI="${MONGODB_URI%/*}/$run_id" REDIS_KEY_PREFIX="$run_id:" \
  JWT_SECRET="$(random_secret)" KEYSTORE_MASTER_SECRET="$(random_secret)" \
  ADMIN_USERNAME=contract-admin ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  RATE_LIMIT_ENABLED=false JOBS_ENABLED=true AUDIT_ARCHIVE_DIR="$ARTIFACTS/audit-archive" \
  node dist/apps/staking-api/src/main.js >"$ARTIFACTS/api.log" 2>&1 &
pids+=($!)
wait_for_port "$API_PORT" staking-api 300

json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
call() { # method path [body] (bearer of the admin)
  curl -sS -X "$1" "$API$2" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' ${3:+-d "$3"}
}
login() {
  curl -sS -X POST "$API/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"contract-admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json '["access_token"]'
}
TOKEN=$(login)
CONTRACT_LOGOUT_TOKEN=$(login)
CONTRACT_API_KEY=$(call POST /api/v1/auth/api-keys '{"name":"contract","role":"admin"}' | json '["key"]')
address=$(call POST /api/v1/accounts '{"label":"contract-treasury"}' | json '["address"]')
curl -sS -X POST "http://127.0.0.1:$DEVNET_PORT/devnet/faucet" -H 'content-type: application/json' \
  -d "{\"address\":\"$address\",\"amount_sun\":50000000000}" >/dev/null
call POST /api/v1/tron/staking/stake "{\"address\":\"$address\",\"amount\":1000,\"duration\":3,\"resource\":\"ENERGY\"}" >/dev/null
CONTRACT_ADDRESS=$address
export CONTRACT_API_KEY CONTRACT_LOGOUT_TOKEN CONTRACT_ADDRESS

log "schemathesis $SCHEMATHESIS_VERSION, seed $SEED, against $API/docs-json"
status=0
# hooks.py teaches schemathesis the document's own formats (tron-address).
(cd "$ARTIFACTS" && PYTHONPATH="$ROOT/test/contract" SCHEMATHESIS_HOOKS=hooks \
  "$VENV/bin/schemathesis" --config-file "$ROOT/test/contract/schemathesis.toml" \
  run "$API/docs-json" --checks all --seed "$SEED" --no-color \
  --report junit --report-dir "$ARTIFACTS" "$@") >"$ARTIFACTS/schemathesis.log" 2>&1 || status=$?
tail -n 40 "$ARTIFACTS/schemathesis.log"
if [[ $status -ne 0 ]]; then
  log "contract test failed (exit $status); the whole log: $ARTIFACTS/schemathesis.log"
  exit "$status"
fi
