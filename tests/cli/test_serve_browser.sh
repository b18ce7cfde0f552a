#!/usr/bin/env bash
# The page of `radar serve` in a real browser: a database ingested from our own
# fixture articles (tests/fixtures/store, examples/articles), `radar serve` on
# a free 127.0.0.1 port, and headless Chromium driven over the DevTools
# protocol by browser.py: the board, a click into a story, its timeline chart
# and highlighted evidence, filters and shareable links, likelihood and
# reliability when the API has them, a phone-sized window. Screenshots go to
# $RADAR_BUILD_DIR/screenshots (the build directory).
# Needs python3 and Chromium, which scripts/install-deps installs: without them
# the test fails, or skips where no package can be installed (lib.sh,
# find_chromium); Chromium that cannot start fails it.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-browser.XXXXXX")
SERVE_PID=""
cleanup() {
    [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" INT TERM

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 is not installed (it drives the browser; scripts/install-deps installs it)"
    exit 1
fi
find_chromium
SHOTS="${RADAR_BUILD_DIR:-$PWD}/screenshots"

DB="$TMP/radar.db"
run ingest --db "$DB" "$SRC/tests/fixtures/store/articles" "$SRC/examples/articles"
expect_rc "ingest our fixture articles" 0
serve_start "$DB" || { bad "radar serve starts"; finish; exit 1; }
ok

timeout -k 10 "${BROWSER_TIMEOUT:-300}" python3 "$SRC/tests/cli/browser.py" "$BASE" "$SHOTS" "$CHROMIUM" \
    >"$OUT" 2>"$ERR"
RC=$?
cat "$OUT"
[ -s "$ERR" ] && head -c 2000 "$ERR"
[ "$RC" = 77 ] && echo "Chromium is installed but could not be started (see above)"
[ "$RC" = 124 ] && echo "the browser session took more than ${BROWSER_TIMEOUT:-300} s"
expect_rc "the browser session" 0

serve_stop
[ "$SERVE_RC" = 0 ] && ok || bad "radar serve stops cleanly (exit status $SERVE_RC)"
if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$TMP/serve.err"; then
    bad "the sanitizers found a problem in radar serve: $(grep -m1 -E 'ERROR|runtime error' "$TMP/serve.err")"
else
    ok
fi
finish
