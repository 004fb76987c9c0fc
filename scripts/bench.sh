#!/usr/bin/env bash
# `npm run bench`: the benchmarks of bench/ (figures only: the exit code never judges them).
# Starts the local services unless MONGODB_URI is set, builds the apps (skip with
# BENCH_SKIP_BUILD=1) and the bench, then runs it. Arguments go to bench/main.ts (--quick, …).
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
exec node dist/bench/main.js "$@"
