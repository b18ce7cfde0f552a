# The set-up tests/cli/test_watch.sh and tests/cli/test_watch_shard.sh share:
# a site of feeds on 127.0.0.1 (tests/cli/feed_server.py). Source it after
# `set -u` with RADAR and SRC set, and FEED_SITE the name of the temporary
# folder's prefix. It makes TMP (removed on exit, the server stopped), brings
# tests/cli/lib.sh, fails the suite where python3 is missing, takes proxies
# out of the way, and serves the folder WWW ($TMP/www) at BASE, each request's
# path written to $TMP/requests (`requests PATH` counts them). DB is the
# store's path, $TMP/radar.db.
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-$FEED_SITE.XXXXXX")
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" INT TERM
. "$SRC/tests/cli/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 not found (scripts/install-deps installs it)"
    exit 1
fi
unset RADAR_FETCH_TIMEOUT http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*'

WWW="$TMP/www"
mkdir -p "$WWW"
python3 "$SRC/tests/cli/feed_server.py" "$WWW" "$TMP/port" "$TMP/requests" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
if [ ! -s "$TMP/port" ]; then
    echo "FAIL: the test server did not start"
    exit 1
fi
BASE="http://127.0.0.1:$(cat "$TMP/port")"
DB="$TMP/radar.db"

# requests PATH: how many times the server was asked for PATH.
requests() {
    grep -cxF -- "$1" "$TMP/requests" || true
}
