# Shared helpers of the end-to-end test scripts in tests/cli. Source it after
# setting RADAR and TMP (a scratch directory the script removes on exit).
# Each check adds to $passed or $failed; a script ends with `finish`.
: "${RADAR:?RADAR must point at the radar binary}"
: "${TMP:?TMP must be set before sourcing lib.sh}"

passed=0
failed=0
gaps=0
OUT="$TMP/out"
ERR="$TMP/err"
RC=0

# run ARGS...: run radar, keeping stdout, stderr and the exit status.
run() {
    "$RADAR" "$@" >"$OUT" 2>"$ERR"
    RC=$?
}

# run_in FILE ARGS...: the same with standard input from FILE.
run_in() {
    local input=$1
    shift
    "$RADAR" "$@" <"$input" >"$OUT" 2>"$ERR"
    RC=$?
}

ok() {
    passed=$((passed + 1))
}

bad() {
    failed=$((failed + 1))
    echo "FAIL: $1"
    echo "  exit status: $RC"
    echo "  stderr: $(head -c 600 "$ERR")"
    echo "  stdout: $(head -c 300 "$OUT")"
}

# known_gap DESC: a known problem in src/, reported but not counted as a failure.
known_gap() {
    gaps=$((gaps + 1))
    echo "KNOWN GAP (not counted): $1"
}

skip() {
    echo "SKIP: $1"
}

# expect_rc DESC N: the last run exited with N.
expect_rc() {
    if [ "$RC" -eq "$2" ]; then ok; else bad "$1 (expected exit status $2)"; fi
}

# expect_out DESC PATTERN / expect_err DESC PATTERN: fixed string in stdout / stderr;
# the _re forms take an extended regular expression.
expect_out() {
    if grep -qF -- "$2" "$OUT"; then ok; else bad "$1 (stdout should contain '$2')"; fi
}
expect_err() {
    if grep -qF -- "$2" "$ERR"; then ok; else bad "$1 (stderr should contain '$2')"; fi
}
expect_out_re() {
    if grep -qE -- "$2" "$OUT"; then ok; else bad "$1 (stdout should match /$2/)"; fi
}
expect_err_re() {
    if grep -qE -- "$2" "$ERR"; then ok; else bad "$1 (stderr should match /$2/)"; fi
}
expect_no_out() {
    if grep -qF -- "$2" "$OUT"; then bad "$1 (stdout should not contain '$2')"; else ok; fi
}
expect_no_err() {
    if grep -qF -- "$2" "$ERR"; then bad "$1 (stderr should not contain '$2')"; else ok; fi
}
expect_out_empty() {
    if [ -s "$OUT" ]; then bad "$1 (stdout should be empty)"; else ok; fi
}
expect_err_empty() {
    if [ -s "$ERR" ]; then bad "$1 (stderr should be empty)"; else ok; fi
}

# expect_lines DESC N: stdout has exactly N lines.
expect_lines() {
    local n
    n=$(wc -l <"$OUT")
    if [ "$n" -eq "$2" ]; then ok; else bad "$1 (expected $2 output lines, got $n)"; fi
}

# expect_count DESC PATTERN N: exactly N stdout lines contain PATTERN.
expect_count() {
    local n
    n=$(grep -cF -- "$2" "$OUT")
    if [ "$n" -eq "$3" ]; then ok; else bad "$1 (expected $3 lines with '$2', got $n)"; fi
}

# check DESC COMMAND...: the command succeeds.
check() {
    local desc=$1
    shift
    if "$@"; then ok; else bad "$desc"; fi
}

# json_objects: the flat JSON objects of the last stdout ({...} holding no
# other object or array), one per line with white space squeezed. The story
# rows of stories/player/club are flat, so each becomes one line.
json_objects() {
    tr '\n' ' ' <"$OUT" | tr -s ' ' | grep -oE '\{[^][{}]*\}'
}

# expect_json DESC EXPR WANT: EXPR, a Python expression over the last stdout
# parsed as JSON (`j`), prints as WANT (floats rounded to 3 places).
expect_json() {
    local got
    got=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(round(v, 3) if isinstance(v, float) else v)' "$OUT" "$2" 2>&1)
    if [ "$got" = "$3" ]; then ok; else bad "$1 ($2 should be $3, got $got)"; fi
}

# finish: the totals, and the script's exit status (1 on any failure).
finish() {
    [ "$gaps" -gt 0 ] && echo "$gaps known gap(s) reported above (not counted)"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# ---- radar serve ------------------------------------------------------------
# serve_start DB [ARGS...]: start `radar serve` on a free 127.0.0.1 port (port 0:
# the server picks one and names it on stderr); sets SERVE_PID, PORT and BASE
# (http://127.0.0.1:PORT). Standard error goes to $TMP/serve.err. Fails when
# the server does not say where it listens within 20 s.
serve_start() {
    local db=$1 i
    shift
    "$RADAR" serve --db "$db" --listen 127.0.0.1:0 "$@" 2>"$TMP/serve.err" &
    SERVE_PID=$!
    PORT=""
    for i in $(seq 1 200); do
        PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/serve.err" | head -n 1)
        [ -n "$PORT" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$PORT" ]; then
        echo "radar serve did not start; its stderr:" >&2
        head -c 2000 "$TMP/serve.err" >&2
        return 1
    fi
    BASE="http://127.0.0.1:$PORT"
}

# serve_stop: SIGTERM, and the server's exit status in SERVE_RC (124 when it had
# to be killed after 20 s).
serve_stop() {
    SERVE_RC=0
    [ -n "${SERVE_PID:-}" ] || return 0
    kill -TERM "$SERVE_PID" 2>/dev/null
    local i
    for i in $(seq 1 200); do
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVE_PID" 2>/dev/null; then
        kill -9 "$SERVE_PID" 2>/dev/null
        SERVE_RC=124
    fi
    local rc=0
    wait "$SERVE_PID" 2>/dev/null || rc=$?
    [ "$SERVE_RC" = 124 ] || SERVE_RC=$rc
    SERVE_PID=""
}

# find_chromium: set CHROMIUM to the headless browser, or say why there is none
# and exit: 77 (skipped) where no package can be installed (no apt-get, or not
# root and no sudo), so scripts/install-deps could not have installed it; 1
# (failed) where it could and should have (`make test` runs it first).
find_chromium() {
    CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$CHROMIUM" ] && return 0
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
        echo "FAIL: Chromium is not installed, and apt-get could install it here: run sh scripts/install-deps"
        exit 1
    fi
    echo "SKIP: Chromium is not installed, and no package can be installed here (no apt-get, or not root"
    echo "      and no sudo); the Debian package chromium, which scripts/install-deps installs, runs this test"
    exit 77
}
