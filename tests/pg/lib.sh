# The set-up every PostgreSQL suite shares: sourced after `set -u`, with RADAR
# and SRC set. Skips the suite (exit 77) where the server packages are absent;
# makes TMP (short: a server's socket lives in it); on exit kills SERVE_PIDS,
# kills -9 BG_PIDS, stops every server pg_start started (the last first) and
# removes TMP. Brings tests/cli/lib.sh (run, expect_*, ok, bad).
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"

PGCTL="$SRC/tests/pg/pg-server.sh"
if ! sh "$PGCTL" bindir >/dev/null; then
    echo "SKIP: no PostgreSQL server here (the Debian package postgresql; scripts/install-deps installs it)"
    exit 77
fi
TMP=$(mktemp -d /tmp/radar-pg.XXXXXX)
PGDIR="$TMP/pg"
PG_DIRS=""
SERVE_PIDS=""
BG_PIDS=""
cleanup() {
    for p in $SERVE_PIDS; do kill "$p" 2>/dev/null; done
    for p in $BG_PIDS; do kill -9 "$p" 2>/dev/null; done
    for d in $PG_DIRS; do sh "$PGCTL" stop "$d" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" INT TERM
chmod 755 "$TMP" # run as root, a server runs as postgres, which must reach its folder

. "$SRC/tests/cli/lib.sh"

# pg_need TOOL...: fail the suite, saying so, where a tool it uses is missing.
pg_need() {
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "FAIL: $tool not found (scripts/install-deps installs it)"
            exit 1
        fi
    done
}

# pg_start VAR WHAT CMD ARG... DIR: `pg-server.sh CMD ARG... DIR` (start,
# primary or standby), the server's address into VAR; DIR, the server's folder,
# comes last and is stopped on exit. WHAT names the server in a failure.
pg_start() {
    local var=$1 what=$2 uri
    shift 2
    local dir
    for dir in "$@"; do :; done
    PG_DIRS="$dir $PG_DIRS"
    if ! uri=$(sh "$PGCTL" "$@"); then
        echo "FAIL: $what did not start"
        exit 1
    fi
    printf -v "$var" '%s' "$uri"
}
