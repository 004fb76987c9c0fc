# Shared helpers for the project's scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$ROOT/.local"
RUN_DIR="$LOCAL_DIR/run"
LOG_DIR="$LOCAL_DIR/logs"
# Built tools are cached outside the checkout so fresh clones (CI) reuse them.
TOOL_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tron-staking"
FERRETDB_VERSION="v1.24.2"
# The binary carries our patch (scripts/ferretdb/): conditional writes are atomic per document.
FERRETDB_BIN="$TOOL_CACHE/bin/ferretdb-$FERRETDB_VERSION-atomic-writes"
mkdir -p "$RUN_DIR" "$LOG_DIR"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 name=$2 tries=${3:-100}
  for _ in $(seq "$tries"); do
    port_open "$port" && return 0
    sleep 0.1
  done
  log "$name did not open port $port"; return 1
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ensure_node_modules() {
  if [[ ! -d "$ROOT/node_modules" || "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]]; then
    log "installing npm packages"
    # `npm ci` installs exactly the lock file and never rewrites it: a fresh clone stays clean.
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

apt_install() {
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  log "installing Debian packages: $*"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# FerretDB v1 runs a conditional update/findAndModify/delete as a query and a write by _id with
# nothing between them, so two concurrent ones can both win (scripts/ferretdb/collection_write_locks.go
# says why that matters). The patch serialises those commands per collection; it fails the build
# if the source no longer has the lines it hooks into.
patch_ferretdb_writes() {
  local dir=$1
  cp "$ROOT/scripts/ferretdb/collection_write_locks.go" "$dir/"
  sed -i '/^func (h \*Handler) updateDocument(/a\	defer lockCollectionWrites(params.DB, params.Collection)()' "$dir/msg_update.go"
  sed -i '/^func (h \*Handler) findAndModifyDocument(/a\	defer lockCollectionWrites(params.DB, params.Collection)()' "$dir/msg_findandmodify.go"
  sed -i '0,/^\tvar deleted int32$/s//\tdefer lockCollectionWrites(params.DB, params.Collection)()\n\n\tvar deleted int32/' "$dir/msg_delete.go"
  local hooked; hooked=$(grep -c 'lockCollectionWrites(params.DB' "$dir/msg_update.go" "$dir/msg_findandmodify.go" "$dir/msg_delete.go" | awk -F: '{s+=$2} END {print s}')
  [[ "$hooked" == 3 ]] || { log "FerretDB source changed: the write-lock patch did not apply"; return 1; }
}

# FerretDB v1 with its SQLite backend, built once from the Go module proxy. `go install pkg@v`
# trips over the proxy's deprecation lookup here, and the module needs its version file, so it
# is built from a copy of the module source.
ensure_ferretdb() {
  [[ -x "$FERRETDB_BIN" ]] && return 0
  command -v go >/dev/null || { log "Go is required to build FerretDB"; return 1; }
  log "building FerretDB $FERRETDB_VERSION (once; cached in $TOOL_CACHE)"
  local work; work="$(mktemp -d)"
  (
    cd "$work"
    go mod init ferretdb-build >/dev/null 2>&1
    GOFLAGS=-mod=mod go get "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" >/dev/null 2>&1
    local src; src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$FERRETDB_VERSION"
    cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
    echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
    patch_ferretdb_writes "$work/src/internal/handler"
    cd "$work/src" && go build -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb
  )
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$work"
}
