#!/usr/bin/env bash
# End-to-end tests of `radar follow` and the alerts of `radar ingest` and
# `radar watch`, against a local webhook receiver and feed server on
# 127.0.0.1 (tests/cli/alert_receiver.py, started here): following a club,
# an article about it posts exactly one payload per new story and per stage
# change, none for anything else; a receiver that fails is tried again, then
# reported, and the watch goes on; --exec gets the payload on its standard
# input. Needs RADAR, SRC and python3. No network but 127.0.0.1.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-alerts.XXXXXX")
SERVER_PID=""
WATCH_PID=""
cleanup() {
    [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" INT TERM
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 not found (scripts/install-deps installs it)"
    exit 1
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*'
export RADAR_DB="$TMP/radar.db"

RECV="$TMP/recv"
mkdir -p "$RECV/www"
python3 "$SRC/tests/cli/alert_receiver.py" "$RECV" "$TMP/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
if [ ! -s "$TMP/port" ]; then
    echo "FAIL: the receiver did not start"
    exit 1
fi
BASE="http://127.0.0.1:$(cat "$TMP/port")"

# posts: how many payloads the receiver was sent so far
posts() {
    [ -f "$RECV/posts.log" ] && wc -l <"$RECV/posts.log" || echo 0
}
# payload N EXPR: EXPR (Python, over the payload `j`) of the Nth POST
payload() {
    python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$RECV/posts/$(printf %04d "$1")" "$2" 2>&1
}
article() { # article FILE DATE TEXT
    printf 'date %s\n%s\n' "$2" "$3" >"$TMP/$1"
}

# --- follow add / list / remove -------------------------------------------------
article hjelde.txt 2019-06-10 "Arsenal have made a bid for Feyenoord defender Rasmus Hjelde, the Daily Record reports."
run ingest -q "$TMP/hjelde.txt"
expect_rc "a first article" 0
run follow add "aston villa"
expect_rc "follow a club the lexicon knows, before any story" 0
expect_out "follow: the club's canonical name" "following the club Aston Villa (0 stories now)"
run follow add Hjelde
expect_rc "follow a stored player" 0
expect_out "follow: a player found by surname" "following the player Hjelde (1 story now)"
run follow add "Nowhere Rovers"
expect_rc "follow an unknown name" 1
expect_err "follow: an unknown name asks which it is" "say which it is (--club or --player)"
run follow add --player "Yanis Perrin"
expect_rc "follow a player not seen yet, said so" 0
run follow add --club --player X
expect_rc "--club and --player together" 2
run follow list
expect_rc "follow list" 0
expect_lines "follow list: three follows" 3
expect_out_re "follow list: clubs first" "^club +Aston Villa"
run follow list --json
expect_json "follow list --json" 'len(j["follows"])' 3
run follow remove "Yanis Perrin"
expect_rc "follow remove" 0
expect_out "follow remove says what" "no longer following the player Yanis Perrin"
run follow remove "Yanis Perrin"
expect_rc "follow remove what is not followed" 1
run follow list --json
expect_json "follow remove: gone" '[f["name"] for f in j["follows"]]' "['Aston Villa', 'Hjelde']"

# --- ingest: one payload per new story and per stage change ------------------------
article villa-1.txt 2024-02-01 "Aston Villa are interested in Celtic defender Callum Rennie, 25, according to the Daily Record."
run ingest -q --webhook "$BASE/ok" "$TMP/villa-1.txt"
expect_rc "ingest a story of a followed club" 0
check "a new story: one payload" test "$(posts)" -eq 1
expect_count "a new story: printed once" "followed: new story" 1
expect_out "a new story: printed with what it matches" "Callum Rennie to Aston Villa, interest (Aston Villa)"
check "payload: event" test "$(payload 1 'j["event"]')" = new_story
check "payload: the story" test "$(payload 1 'j["story"]["player"] + " -> " + j["story"]["to_club"]')" = "Callum Rennie -> Aston Villa"
check "payload: the stage" test "$(payload 1 'j["stage"], j["previous_stage"]')" = "('interest', None)"
check "payload: what it matches" test "$(payload 1 'j["followed"]')" = "['Aston Villa']"
check "payload: the latest report" test "$(payload 1 'j["latest_report"]["date"]')" = 2024-02-01
check "payload: sent as JSON" grep -q " /ok 200 application/json" "$RECV/posts.log"

run ingest -q --webhook "$BASE/ok" "$TMP/villa-1.txt"
check "the same article again: no payload" test "$(posts)" -eq 1
expect_out_empty "the same article again: nothing printed"
article villa-2.txt 2024-02-03 "Aston Villa remain keen on Callum Rennie of Celtic, according to the Daily Record."
run ingest -q --webhook "$BASE/ok" "$TMP/villa-2.txt"
check "another report at the same stage: no payload" test "$(posts)" -eq 1
article other.txt 2024-02-04 "Brentford have made a bid for Lyon winger Theo Garnier, L'Equipe reports."
run ingest -q --webhook "$BASE/ok" "$TMP/other.txt"
check "a story of a club not followed: no payload" test "$(posts)" -eq 1
expect_out_empty "a story not followed: nothing printed"
article villa-3.txt 2024-03-01 "Aston Villa have made a bid for Celtic defender Callum Rennie, the Daily Record reports."
run ingest -q --webhook "$BASE/ok" "$TMP/villa-3.txt"
check "a stage change: one payload" test "$(posts)" -eq 2
check "payload: stage change" test "$(payload 2 'j["event"], j["previous_stage"], j["stage"]')" = "('stage_change', 'interest', 'bid')"
expect_out "a stage change: printed" "stage change #"
article hjelde-2.txt 2019-07-01 "Arsenal have agreed a fee with Feyenoord for defender Rasmus Hjelde, the Daily Record reports."
run ingest -q --webhook "$BASE/ok" "$TMP/hjelde-2.txt"
check "a followed player's stage change: one payload" test "$(posts)" -eq 3
check "payload: matched by the player followed" test "$(payload 3 'j["followed"], j["stage"]')" = "(['Hjelde'], 'agreement')"
# a story that was there before its club was followed is no news
run follow add Brentford
run ingest -q --webhook "$BASE/ok" "$TMP/other.txt" "$TMP/villa-2.txt"
check "following a club: its stories as they were are no news" test "$(posts)" -eq 3

# --exec: the payload on the command's standard input
article villa-4.txt 2024-03-10 "Aston Villa have agreed a fee with Celtic for defender Callum Rennie, the Daily Record reports."
run ingest -q --exec "cat >'$TMP/exec.json'" "$TMP/villa-4.txt"
expect_rc "--exec" 0
check "--exec: the payload on standard input" test "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["event"], j["stage"])' "$TMP/exec.json")" = "stage_change agreement"
article villa-5.txt 2024-03-20 "Callum Rennie is having a medical at Aston Villa ahead of his move from Celtic, the Daily Record reports."
run ingest -q --exec "exit 3" "$TMP/villa-5.txt"
expect_rc "--exec failing: exit 1" 1
expect_err "--exec failing: said" "exited 3"
check "--exec failing: the article is stored" grep -q "villa-5" <("$RADAR" story 2 2>&1; ls "$TMP")
run ingest --webhook ftp://x "$TMP/villa-5.txt"
expect_rc "--webhook takes http(s) only" 2

# --- watch: a failing receiver is retried, reported, and the watch goes on ----------
# item pages on 127.0.0.1: --allow-private
feed() {
    {
        echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        for item in "$@"; do
            echo "<item><guid>$item</guid><title>$item</title><link>$BASE/$item.html</link><description>Partial.</description></item>"
        done
        echo '</channel></rss>'
    } >"$RECV/www/feed.xml"
}
cat >"$RECV/www/wire-1.html" <<'HTML'
<html><head><meta property="article:published_time" content="2024-04-02"></head><body><main><p>Aston Villa are interested in Nantes midfielder Jules Moreau, according to RMC Sport.</p></main></body></html>
HTML
cat >"$RECV/www/wire-2.html" <<'HTML'
<html><head><meta property="article:published_time" content="2024-04-03"></head><body><main><p>Aston Villa have made a bid for Lens striker Kevin Dubois, according to RMC Sport.</p></main></body></html>
HTML
cat >"$RECV/www/wire-3.html" <<'HTML'
<html><head><meta property="article:published_time" content="2024-04-03"></head><body><main><p>Fulham have made a bid for Lens defender Remi Caron, according to RMC Sport.</p></main></body></html>
HTML
feed wire-1
run feeds add "$BASE/feed.xml" --name wire
before=$(posts)
"$RADAR" watch --allow-private --interval 1s --webhook "$BASE/flaky/3" >"$TMP/watch.out" 2>"$TMP/watch.err" &
WATCH_PID=$!
# the first change: three tries, all refused, then reported
for _ in $(seq 100); do grep -q "not delivered" "$TMP/watch.err" && break; sleep 0.1; done
check "a failing receiver: reported" grep -q "webhook $BASE/flaky/3: not delivered after 3 tries: .*HTTP 500" "$TMP/watch.err"
check "a failing receiver: tried 3 times" test "$(($(posts) - before))" -eq 3
check "a failing receiver: the watch goes on" kill -0 "$WATCH_PID"
# the next poll finds a new story and a story of a club not followed
feed wire-1 wire-2 wire-3
for _ in $(seq 100); do [ "$(($(posts) - before))" -ge 4 ] && break; sleep 0.1; done
sleep 1.5 # a poll more: nothing else is sent
check "after the failure: the next change delivered" test "$(($(posts) - before))" -eq 4
n=$(posts)
check "after the failure: the payload of the new story" test "$(payload "$n" 'j["story"]["player"], j["event"]')" = "('Kevin Dubois', 'new_story')"
check "watch: still running" kill -0 "$WATCH_PID"
kill -TERM "$WATCH_PID"
wait "$WATCH_PID"
RC=$?
WATCH_PID=""
expect_rc "watch stopped by SIGTERM: a failed delivery makes the status 1" 1
check "watch: each change printed once" test "$(grep -c "followed: new story" "$TMP/watch.out")" -eq 2
check "watch: the club not followed is not printed" test "$(grep -c "Remi Caron" "$TMP/watch.out")" -eq 0
check "watch: the failure counted in the summary" grep -q "1 alert could not be delivered" "$TMP/watch.err"

finish
