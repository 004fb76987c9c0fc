#!/usr/bin/env bash
# `npm run bench:resources`: the resource refresh job over 10,000 watched addresses against the
# devnet (bench/resources-refresh.ts; figures only, never part of `npm test`). Starts the local
# services unless MONGODB_URI is set, builds the apps (skip with BENCH_SKIP_BUILD=1) and the
# bench. Arguments go to the bench (--addresses N, --budget R).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [[ -z "${MONGODB_URI:-}" ]]; then
  bash scripts/services-up.sh >/dev/null
  # shellcheck disable=SC1091
  source "$LOCAL_DIR/services.env"
fi
export MONGODB_URI REDIS_URL

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  npx nest build staking-api >/dev/null
  npx nest build tron-devnet >/dev/null
fi
npx tsc -p bench/tsconfig.json
exec node dist/bench/resources-refresh.js "$@"
