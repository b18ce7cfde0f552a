#!/usr/bin/env bash
# The board in a real browser: the world of tests/fixtures/board (articles
# written for it: one story reported every month for nine months, stories done,
# failed, gone quiet and open, outlets with different hit rates, an article
# with a title and a link) is ingested, `radar serve` runs on a free 127.0.0.1
# port, and board_browser.py drives headless Chromium over the DevTools
# protocol and checks the rendered page: the status and window filters, the
# story chart's time axis (one label per month, none twice) and labels that do
# not overlap, a search result titled and linked, the sources table sorted by
# hit rate with a click, a source's page, and no glyph beyond the DejaVu fonts.
# The browser session is bounded by BROWSER_TIMEOUT seconds (default 240).
# Needs python3 and Chromium, which scripts/install-deps installs: without
# them the test fails, or skips where no package can be installed (lib.sh,
# find_chromium). Screenshots go to $RADAR_BUILD_DIR/screenshots.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-board.XXXXXX")
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

DB="$TMP/board.db"
run ingest --db "$DB" --quiet "$SRC/tests/fixtures/board/articles.jsonl"
expect_rc "ingest the board world" 0
serve_start "$DB" --quiet || { bad "radar serve starts"; finish; exit 1; }
ok

timeout -k 10 "${BROWSER_TIMEOUT:-240}" python3 "$SRC/tests/cli/board_browser.py" "$BASE" "$SHOTS" "$CHROMIUM" \
    >"$OUT" 2>"$ERR"
RC=$?
cat "$OUT"
[ -s "$ERR" ] && head -c 2000 "$ERR"
[ "$RC" = 124 ] && echo "the browser session took more than ${BROWSER_TIMEOUT:-240} s"
expect_rc "the browser session" 0

serve_stop
[ "$SERVE_RC" = 0 ] && ok || bad "radar serve stops cleanly (exit status $SERVE_RC)"
if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$TMP/serve.err"; then
    bad "the sanitizers found a problem in radar serve: $(grep -m1 -E 'ERROR|runtime error' "$TMP/serve.err")"
else
    ok
fi
finish
