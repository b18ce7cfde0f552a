#!/usr/bin/env bash
# Story statuses on our own world (tests/fixtures/statuses, see its README):
# one story for each way a story is done, fails on evidence, goes quiet or
# stays open, and (tests/fixtures/statuses/stages.jsonl) the story's stage:
# an ending reported last, a story reopened after one, completed-move wording. The statuses and their reasons are compared with a golden
# file; each class is asserted on its own too, with the likelihood that goes
# beside the status, the story page against the board, the --status filter of
# the CLI and of the HTTP API, undated stories, a name in passing that
# resurfaces nothing, and a store written by schema version 6.
# Needs RADAR and SRC; uses bash, coreutils, grep, curl and python3, and fails
# without curl or python3 (scripts/install-deps installs them).
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source tree}"
WORLD="$SRC/tests/fixtures/statuses"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-statuses.XXXXXX")
trap 'serve_stop; rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="$TMP/world.db"
for tool in curl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is not installed (scripts/install-deps installs it)"
        exit 1
    fi
done

# status_table: "player -> club: status | reason" for every story of the last
# stdout (stories --json), sorted
status_table() {
    python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
for s in sorted(j["stories"], key=lambda s: (s["player"], s["to_club"])):
    print("%s -> %s: %s | %s" % (s["player"], s["to_club"], s["outcome"], s["outcome_reason"] or "-"))' "$OUT"
}
# S: the story rows of the last stdout by "player -> club"
S="{s['player'] + ' -> ' + s['to_club']: s for s in j['stories']}"

run ingest --db "$DB" --quiet "$WORLD/articles.jsonl"
expect_rc "ingest the world" 0

# --- before any outcome: the newest article (2025) closes every earlier window
# without failing the stories reported in them
run stories --db "$DB" --json --limit 100
expect_json "silence is not failure: Rourke went quiet" "$S['Aidan Rourke -> Everton']['outcome']" quiet
expect_json "silence is not failure: Dekker went quiet" "$S['Niels Dekker -> Wolverhampton Wanderers']['outcome']" quiet
expect_json "a window closed in silence: unknown, with its window named" \
    "$S['Hugo Marchal -> Brighton & Hove Albion']['outcome_reason']" \
    "nothing more reported by the close of the January 2024 window (2024-02-01) after the last report on 2024-01-10: unknown, not failed"
expect_json "failures before any outcome: only the five on evidence" \
    "sorted(k for k, s in $S.items() if s['outcome'] == 'failed')" \
    "['Hugo Marchal -> Newcastle United', 'Jonas Vermeer -> Arsenal', 'Mateo Ruiz -> Chelsea', 'Ross Baird -> Burnley', 'Tiago Neves -> Leeds United']"

run outcomes import "$WORLD/outcomes.csv" --db "$DB" --quiet
expect_rc "import the outcomes" 0

# --- the statuses and their reasons, against the golden file
run stories --db "$DB" --json --limit 100
status_table >"$TMP/statuses.txt"
if diff -u "$WORLD/expected-statuses.txt" "$TMP/statuses.txt" >"$TMP/statuses.diff"; then ok; else
    bad "statuses differ from tests/fixtures/statuses/expected-statuses.txt: $(head -c 1500 "$TMP/statuses.diff")"
fi
cp "$OUT" "$TMP/board.json"

# --- each class on its own
expect_json "done: 'X joins Y'" "$S['Bram Koster -> Brentford']['outcome']" done
expect_json "done: 'Official, confirmed: X to Y'" "$S['Lucas Meireles -> Fulham']['outcome']" done
expect_json "done: an imported outcome" "$S['Aidan Rourke -> Everton']['outcome']" done
expect_json "failed: an imported failure" "$S['Niels Dekker -> Wolverhampton Wanderers']['outcome_reason']" \
    "outcomes list: no move to Wolverhampton Wanderers by the end of the 2023-24 summer window"
expect_json "failed: rejected by a club that will not sell" "$S['Mateo Ruiz -> Chelsea']['outcome']" failed
expect_json "failed: collapsed" "$S['Tiago Neves -> Leeds United']['outcome']" failed
expect_json "failed: the player committed to stay" "$S['Ross Baird -> Burnley']['outcome']" failed
expect_json "failed: he moved elsewhere" "$S['Jonas Vermeer -> Arsenal']['outcome']" failed
expect_json "failed: a later window's report places him at his club" \
    "$S['Hugo Marchal -> Newcastle United']['outcome_article']" st-17
expect_json "open: reported again after it went quiet" "$S['Rui Tavares -> Fulham']['outcome']" open
expect_json "open: the newest report" "$S['Diego Lima -> Everton']['outcome']" open
expect_json "a failure on an article names the words: the span" \
    "($S['Tiago Neves -> Leeds United']['outcome_start'], $S['Tiago Neves -> Leeds United']['outcome_end'])" "(0, 57)"
expect_json "no failure without a reason" \
    "[k for k, s in $S.items() if s['outcome'] == 'failed' and not s['outcome_reason']]" "[]"
expect_json "every failure that rests on an article names it" \
    "[k for k, s in $S.items() if s['outcome'] == 'failed' and not s['outcome_reason'].startswith('outcomes list') and not s['outcome_article']]" "[]"

# --- the story's stage is where the move stands, consistent with its status:
# done is signed, a report that ended the move gives its ending
expect_json "stage: done by a report is signed" "$S['Bram Koster -> Brentford']['stage']" signed
expect_json "stage: done by 'Official' wording is signed" "$S['Lucas Meireles -> Fulham']['stage']" signed
expect_json "stage: done by an imported outcome is signed" "$S['Aidan Rourke -> Everton']['stage']" signed
expect_json "stage: rejected by a club that will not sell" "$S['Mateo Ruiz -> Chelsea']['stage']" rejected
expect_json "stage: collapsed" "$S['Tiago Neves -> Leeds United']['stage']" collapsed
expect_json "stage: the player committed to stay ends the move" "$S['Ross Baird -> Burnley']['stage']" collapsed
expect_json "stage: a move elsewhere leaves the stage this one reached" "$S['Jonas Vermeer -> Arsenal']['stage']" interest
expect_json "stage: the furthest stage beside it" "$S['Mateo Ruiz -> Chelsea']['furthest_stage']" talks

SDB="$TMP/stages.db"
run ingest --db "$SDB" --quiet "$WORLD/stages.jsonl"
expect_rc "ingest the stages world" 0
run stories --db "$SDB" --json --limit 100
expect_json "stage: a bid rejected last is rejected" "$S['Kai Brandt -> Sunderland']['stage']" rejected
expect_json "stage: ... whose furthest stage was the bid" "$S['Kai Brandt -> Sunderland']['furthest_stage']" bid
expect_json "stage: reported again after a rejection: the furthest stage" "$S['Owen Pike -> Millwall']['stage']" bid
expect_json "stage: a denial last is denied" "$S['Luca Ferri -> Crystal Palace']['stage']" denied
expect_json "stage: 'set to join' is an agreement" "$S['Ross Millar -> Basel']['stage']" agreement
expect_json "stage: 'signs for' is signed" "$S['Sam Okafor -> Stoke City']['stage']" signed
expect_json "stage: signed and done agree" "$S['Sam Okafor -> Stoke City']['outcome']" done
expect_json "stage: 'who has been linked with' is today's rumour, not a name in passing" \
    "$S['Tom Pryce -> Norwich City']['stage']" interest
# --- the bounds of evidence (tests/fixtures/statuses/bounds.jsonl): a loan
# story is not failed by a later report naming his club; a move elsewhere
# years later tells nothing of an old story, one in the next window does; a
# destination that is his own club is no move; a loan told as a fact later
# makes the story done
BDB="$TMP/bounds.db"
run ingest --db "$BDB" --quiet "$WORLD/bounds.jsonl"
expect_rc "ingest the bounds world" 0
run stories --db "$BDB" --json --limit 100
expect_json "a loan story: a later window naming his club fails nothing" "$S['Callum Hale -> Stoke City']['outcome']" quiet
expect_json "a move elsewhere two windows later fails nothing" "$S['Pablo Serra -> Ipswich Town']['outcome']" quiet
expect_json "a move elsewhere in the next window fails the story" "$S['Paul Moreau -> Norwich City']['outcome_reason']" \
    "Paul Moreau moved to Lorient instead: reported completed on 2024-01-25 (article bd-06)"
expect_json "a destination that is his own club: no move" \
    "($S['Kieran Doyle -> Everton']['outcome'], $S['Kieran Doyle -> Everton']['outcome_reason'], $S['Kieran Doyle -> Everton']['likelihood'])" \
    "('failed', 'not a move: Everton is his own club, as a report of 2023-05-10 (article bd-08, on a move to Fulham) says', 0.0)"
expect_json "... the other clubs of that report are moves" "$S['Kieran Doyle -> Brentford']['outcome']" quiet
expect_json "a loan told as a fact, a season later: done" "$S['Owen Marsh -> Watford']['outcome_reason']" \
    "the move was reported to have happened, as a loan, on 2024-11-02 (article bd-11)"
expect_json "... on the words that say so" \
    "($S['Owen Marsh -> Watford']['outcome_start'], $S['Owen Marsh -> Watford']['outcome_end'], $S['Owen Marsh -> Watford']['stage'])" \
    "(0, 68, 'signed')"
expect_json "a loan of seasons before the story is not its move" "$S['Dan Carver -> Millwall']['outcome']" quiet
run sources --db "$BDB" --json
expect_json "... and grade no source (the move elsewhere and the loan do)" \
    "[(s['name'], s['resolved'], s['hits']) for s in j['sources']]" "[('Harbour Gazette', 2, 1)]"

run stories --db "$SDB" --json --stage rejected
expect_json "--stage filters on the story's stage" "[s['player'] for s in j['stories']]" "['Kai Brandt']"
id=$(python3 -c 'import json, sys; print([s["id"] for s in json.load(open(sys.argv[1]))["stories"]][0])' "$OUT")
run story "$id" --db "$SDB"
expect_out "story text: the stage and the furthest" "stage rejected (furthest bid)"
run stories --db "$DB" --json --limit 100

# --- the likelihood agrees with the status, and the story page with the board
expect_json "done: likelihood 1" "sorted(set(s['likelihood'] for s in j['stories'] if s['outcome'] == 'done'))" "[1.0]"
expect_json "failed: likelihood 0" "sorted(set(s['likelihood'] for s in j['stories'] if s['outcome'] == 'failed'))" "[0.0]"
python3 -c 'import json, sys; [print(s["id"], s["likelihood"], s["outcome"]) for s in json.load(open(sys.argv[1]))["stories"]]' \
    "$TMP/board.json" >"$TMP/board.txt"
disagree=""
while read -r id p outcome; do
    run story "$id" --db "$DB" --json
    got=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["likelihood"]["p"], j["outcome"])' "$OUT")
    [ "$got" = "$p $outcome" ] || disagree="$disagree #$id (board $p $outcome, page $got)"
done <"$TMP/board.txt"
if [ -z "$disagree" ]; then ok; else bad "the story page and the board disagree:$disagree"; fi

id=$(python3 -c 'import json, sys; print([s["id"] for s in json.load(open(sys.argv[1]))["stories"] if s["player"] == "Tiago Neves"][0])' "$TMP/board.json")
run story "$id" --db "$DB" --json
expect_json "the story page quotes the words the failure rests on" "j['outcome_text']" \
    "Leeds' move for Benfica winger Tiago Neves has collapsed."
expect_json "the explanation of a failed story: the reason, nothing weighed" "[f['name'] for f in j['likelihood']['factors']]" \
    "['resolved']"
run story "$id" --db "$DB"
expect_out "story text: the status and why" \
    "status: failed: the move was reported off (collapsed, called off) on 2023-06-25 (article st-10)"
expect_out "story text: the words quoted" "\"Leeds' move for Benfica winger Tiago Neves has collapsed.\""
expect_out "story text: the likelihood beside it" "likelihood: 0%"
run stories --db "$DB" --player Vermeer
expect_out "board text: done beside no percentage" "Tottenham"
expect_no_out "board text: no percentage beside done or failed" "% likely"

# --- undated: never fresh, last by recency, and the story says so
run stories --db "$DB" --json --sort recent --limit 100
expect_json "undated: last by recency" "j['stories'][-1]['player']" "Pedro Salgado"
expect_json "undated: its status says so" "j['stories'][-1]['status']" undated
id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["stories"][-1]["id"])' "$OUT")
run story "$id" --db "$DB"
expect_out "undated story page: date unknown" "(date unknown)"
expect_out "undated story page: says its freshness is unknown" "no report of the move carries a date"

# --- a name in passing resurfaces nothing; a report of the move does
run stories --db "$DB" --json --limit 100
expect_json "a quote naming an old link: still quiet" \
    "[s['outcome'] for s in j['stories'] if s['player'] == 'Sem Bakker']" "['quiet']"
expect_json "a quote naming an old link: not resurfaced" \
    "[s['status'] for s in j['stories'] if s['player'] == 'Sem Bakker'] != ['resurfaced']" True
expect_json "a bid two years on: resurfaced" "[s['status'] for s in j['stories'] if s['player'] == 'Rui Tavares']" \
    "['resurfaced']"

# --- the status filter: CLI and HTTP API
run stories --db "$DB" --json --status failed --limit 100
expect_json "--status failed" "j['total']" 6
run stories --db "$DB" --json --status quiet --limit 100
expect_json "--status quiet" "sorted(s['player'] for s in j['stories'])" "['Hugo Marchal', 'Marko Ilic', 'Sem Bakker']"
run stories --db "$DB" --json --status done
expect_json "--status done" "j['total']" 6
run stories --db "$DB" --json --status open
expect_json "--status open" "j['total']" 3
run stories --db "$DB" --status maybe
expect_rc "an unknown status" 2
expect_err "an unknown status is named" "unknown status 'maybe' (open, done, failed or quiet)"

if serve_start "$DB"; then
    code=$(curl -sS -o "$OUT" -w '%{http_code}' "$BASE/api/stories?status=quiet")
    [ "$code" = 200 ] && ok || bad "API: status filter answered $code"
    expect_json "API: ?status=quiet" "sorted(s['player'] for s in j['stories'])" "['Hugo Marchal', 'Marko Ilic', 'Sem Bakker']"
    code=$(curl -sS -o "$OUT" -w '%{http_code}' "$BASE/api/stories?status=maybe")
    [ "$code" = 400 ] && ok || bad "API: an unknown status answered $code, not 400"
    expect_json "API: an unknown status is named" "j['error']" "unknown status 'maybe' (open, done, failed or quiet)"
    id=$(python3 -c 'import json, sys; print([s["id"] for s in json.load(open(sys.argv[1]))["stories"] if s["player"] == "Ross Baird"][0])' "$TMP/board.json")
    curl -sS -o "$OUT" "$BASE/api/stories/$id"
    expect_json "API: a story's status and its words" "(j['outcome'], j['outcome_text'], j['likelihood']['p'])" \
        "('failed', \"Celtic forward Ross Baird has committed his future to the club, ending Burnley's hopes of signing him.\", 0.0)"
    serve_stop
else
    bad "radar serve starts"
fi

# --- a store written by schema version 6 (its windows closed in silence read
# as failures) opens: read as the new schema reads, unchanged on disk; the
# next writable command migrates it and redoes the statuses
OLD="$TMP/schema6.db"
cp "$WORLD/schema6.db" "$OLD"
sum0=$(cksum <"$OLD")
run stories --db "$OLD" --json --limit 100
expect_rc "a schema 6 store opens" 0
expect_json "schema 6, read: no failure for a window's silence" \
    "[k for k, s in $S.items() if s['outcome'] == 'failed' and 'window' in (s['outcome_reason'] or '')]" "[]"
expect_json "schema 6, read: those went quiet" "len([s for s in j['stories'] if s['outcome'] == 'quiet'])" 9
expect_json "schema 6, read: a failure on evidence before the silence stands" \
    "$S['Jonas Vermeer -> Arsenal']['outcome']" failed
run stories --db "$OLD" --status quiet --json
expect_rc "schema 6, read: the status filter" 0
if [ "$(cksum <"$OLD")" = "$sum0" ]; then ok; else bad "reading a schema 6 store changed the file"; fi
run outcomes import "$WORLD/outcomes.csv" --db "$OLD" --quiet
expect_rc "a schema 6 store migrates at the next write" 0
run stories --db "$OLD" --json --limit 100
status_table | grep -v "^Sem Bakker" >"$TMP/migrated.txt"
# (the schema 6 store predates Nils Sandvik's articles)
grep -v "^Sem Bakker\|^Nils Sandvik" "$WORLD/expected-statuses.txt" >"$TMP/expected-migrated.txt"
# (its mentions keep the stages they were stored with: Sem Bakker's 2025
# quote counts as a report there, as it did)
if diff -u "$TMP/expected-migrated.txt" "$TMP/migrated.txt" >"$TMP/migrated.diff"; then ok; else
    bad "a migrated store's statuses differ from a new one's: $(head -c 1500 "$TMP/migrated.diff")"
fi

finish
