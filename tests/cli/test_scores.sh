#!/usr/bin/env bash
# Outcomes, source reliability and likelihood on our own small world
# (tests/fixtures/world): two outlets unknown to the lexicon each report four
# rumours in January 2024; an outcomes list says all of the Harbour Gazette's
# came true and none of Rumour Weekly's. Each then reports one new rumour of
# the same kind. The Gazette must end with the higher hit rate and its new
# rumour with the higher likelihood; the numbers are asserted.
# Needs RADAR and SRC; uses bash, coreutils, grep and python3.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source tree}"
WORLD="$SRC/tests/fixtures/world"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-scores.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="$TMP/world.db"

run ingest --db "$DB" --quiet "$WORLD/articles.jsonl"
expect_rc "ingest the world" 0
# the numbers below are the hand-set weights' arithmetic: this store uses them
run fit --install "$WORLD/handset.model" --db "$DB"
expect_rc "install the hand-set model" 0

# before any outcome: both outlets sit at the prior of an unknown source
run sources --db "$DB" --json
expect_json "prior hit rate, Gazette" "[s['hit_rate'] for s in j['sources'] if s['name']=='Harbour Gazette'][0]" 0.35
expect_json "nothing resolved yet" "sum(s['resolved'] for s in j['sources'])" 0

run outcomes import "$WORLD/outcomes.csv" --db "$DB"
expect_rc "import outcomes" 0
expect_err "import summary" "8 outcomes read: 8 matched a story, 0 a player but no story to that club, 0 no player; 0 bad rows"

run sources --db "$DB" --json
G="[s for s in j['sources'] if s['name']=='Harbour Gazette'][0]"
W="[s for s in j['sources'] if s['name']=='Rumour Weekly'][0]"
expect_json "Gazette: 4 resolved" "$G['resolved']" 4
expect_json "Gazette: 4 hits" "$G['hits']" 4
expect_json "Gazette: hit rate (2.1 + 4) / (6 + 4)" "$G['hit_rate']" 0.61
expect_json "Gazette: interval" "$G['interval']" "[0.355, 0.839]"
expect_json "Weekly: 4 resolved, 0 hits" "($W['resolved'], $W['hits'])" "(4, 0)"
expect_json "Weekly: hit rate 2.1 / (6 + 4)" "$W['hit_rate']" 0.21
expect_json "Weekly: interval" "$W['interval']" "[0.046, 0.442]"
expect_json "the reliable outlet ranks above" "$G['hit_rate'] > $W['hit_rate']" True

run stories --db "$DB" --json --sort likelihood
P="{s['player']: s for s in j['stories']}"
expect_json "de Wit (Gazette) likelihood" "$P['Sem de Wit']['likelihood']" 0.422
expect_json "Lambert (Weekly) likelihood" "$P['Hugo Lambert']['likelihood']" 0.231
expect_json "resolved stories: done" "sorted(s['player'] for s in j['stories'] if s['outcome']=='done')" \
    "['Callum Strachan', 'Joris Bakker', 'Rui Almeida', 'Tomas Verhaegen']"
expect_json "resolved stories: failed" "len([s for s in j['stories'] if s['outcome']=='failed'])" 4
expect_json "sorted by likelihood: done first, then the Gazette's open rumour" \
    "[s['player'] for s in j['stories']][4:6]" "['Sem de Wit', 'Hugo Lambert']"

id=$(python3 -c 'import json,sys; print([s["id"] for s in json.load(open(sys.argv[1]))["stories"] if s["player"]=="Sem de Wit"][0])' "$OUT")
run story "$id" --db "$DB" --json
expect_json "explanation: factors" "[f['name'] for f in j['likelihood']['factors']]" "['base', 'stage', 'sources']"
expect_json "explanation: they sum to the log-odds" \
    "abs(sum(f['contribution'] for f in j['likelihood']['factors']) - __import__('math').log(j['likelihood']['p']/(1-j['likelihood']['p']))) < 0.01" True
run story "$id" --db "$DB" --explain
expect_out_re "text explanation: what was seen, its number times the weight" \
    "^ +\+0\.53 +sources +the sources' hit rate: 61%  \[1\.07 x \+0\.50\]$"

run stories --db "$DB" --source "Rumour Weekly" --json
expect_json "stories --source: the Weekly's five" "sorted(s['player'] for s in j['stories'])" \
    "['Daan Visser', 'Diogo Santos', 'Ewan McLeod', 'Hugo Lambert', 'Pablo Ortega']"
run source "Harbour Gazette" --db "$DB"
expect_rc "source NAME" 0
expect_out "source record" "5 mentions in 5 stories (the origin of 5); 4 resolved, 4 came true: hit rate 61% (90% interval 36-84%)"
run source "harbour gazette" --db "$DB" --json
expect_json "source NAME ignores case" "j['name']" "Harbour Gazette"
run source "Nobody Times" --db "$DB"
expect_rc "unknown source" 1
expect_err "unknown source message" "no source named 'Nobody Times'"

run outcomes --db "$DB" --json
expect_json "outcomes lists 8 resolutions" "len(j['resolved'])" 8
expect_json "a failure says which window" \
    "[r['how'] for r in j['resolved'] if r['player']=='Pablo Ortega'][0]" \
    "outcomes list: no move to Chelsea by the end of the 2023-24 winter window"
cp "$OUT" "$TMP/outcomes.1"

# importing the same list again changes nothing; neither does ingesting again
run outcomes import "$WORLD/outcomes.csv" --db "$DB" --quiet
expect_rc "re-import" 0
run ingest --db "$DB" --quiet "$WORLD/articles.jsonl"
run outcomes --db "$DB" --json
check "re-import and re-ingest are idempotent" cmp -s "$OUT" "$TMP/outcomes.1"
run export --db "$DB" --format jsonl
cp "$OUT" "$TMP/export.1"

# the same world built in the other order (outcomes before the articles) ends the same
DB2="$TMP/world2.db"
run outcomes import "$WORLD/outcomes.csv" --db "$DB2"
expect_rc "outcomes before any article" 0
expect_err "rows kept for later" "no player named 'Tomas Verhaegen' in the store (kept for when he is)"
run fit --install "$WORLD/handset.model" --db "$DB2"
run ingest --db "$DB2" --quiet "$WORLD/articles.jsonl"
run export --db "$DB2" --format jsonl
check "outcomes first, articles second: the same stories and scores" cmp -s "$OUT" "$TMP/export.1"

# a last article added to a scored store is rescored incrementally (one
# player of ten): the same as the world scored whole
DB3="$TMP/world3.db"
head -n 9 "$WORLD/articles.jsonl" >"$TMP/first9.jsonl"
tail -n 1 "$WORLD/articles.jsonl" >"$TMP/last1.jsonl"
run ingest --db "$DB3" --quiet "$TMP/first9.jsonl"
run fit --install "$WORLD/handset.model" --db "$DB3"
run outcomes import "$WORLD/outcomes.csv" --db "$DB3" --quiet
run ingest --db "$DB3" --quiet "$TMP/last1.jsonl"
expect_rc "the last article" 0
run export --db "$DB3" --format jsonl
check "incremental rescore = whole rescore" cmp -s "$OUT" "$TMP/export.1"
run sources --db "$DB3" --json
cp "$OUT" "$TMP/sources.3"
run sources --db "$DB" --json
check "incremental rescore: the same source records" cmp -s "$OUT" "$TMP/sources.3"

# bad files
printf 'name,club\nX,Y\n' >"$TMP/nohead.csv"
run outcomes import "$TMP/nohead.csv" --db "$DB"
expect_rc "header without to_club" 1
expect_err "header message" "nohead.csv:1: the header needs the columns player and to_club"
printf 'player,to_club,date,outcome\nA B,Chelsea,2024-13-01,done\nC D,Chelsea,2024-01-01,maybe\nE F,,2024-01-01,done\n"G H,Chelsea,2024-01-01\n' >"$TMP/bad.csv"
run outcomes import "$TMP/bad.csv" --db "$DB"
expect_rc "bad rows" 1
expect_err "bad date, with its line" "bad.csv:2: '2024-13-01' is not a date (YYYY-MM-DD with a year from 1800 to 2200)"
expect_err "bad outcome" "bad.csv:3: outcome 'maybe' is neither done nor failed"
expect_err "no club" "bad.csv:4: the row has no to_club"
expect_err "unclosed quote" "bad.csv:5: a quoted field is never closed"
run outcomes import "$TMP/missing.csv" --db "$DB"
expect_rc "missing file" 1
expect_err "missing file message" "missing.csv: No such file or directory"
run outcomes --db "$DB" --json
check "bad files change nothing" cmp -s "$OUT" "$TMP/outcomes.1"

finish
