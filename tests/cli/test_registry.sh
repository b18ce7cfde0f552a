#!/usr/bin/env bash
# radar registry: import the registry fixture (tests/fixtures/registry, the
# transfermarkt-datasets columns, rows written for the test) grown to a few
# hundred rows of made-up players, and our own registry.csv; bad rows named by
# file and line; links seen with radar player --links and set by hand; a
# second import changes nothing.
# Needs RADAR and SRC; uses bash, coreutils, cmp and grep.
# Prints "N passed, M failed" and exits 1 on any failure.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source tree}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-registry.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REG="$TMP/reg"
mkdir -p "$REG"
cp "$SRC/tests/fixtures/registry/"*.csv "$REG/"
# a few hundred made-up players at the fixture's clubs, each with one transfer
for ((i = 0; i < 300; i++)); do
    printf '%d,Made,Up%03d,Made Up%03d,2024,29,made-up-%d,Nowhere,Town,Nowhere,19%02d-01-01 00:00:00,Centre-Back,Defender,right,180,2026-06-30 00:00:00,,,,GB1,Everton Football Club,%d,%d\n' \
        $((800000 + i)) "$i" "$i" "$i" $((80 + i % 20)) $((100000 * i)) $((100000 * i)) >>"$REG/players.csv"
    printf '%d,2023-07-01,23/24,720,29,FC Porto,Everton,%d.0,1.0,Made Up%03d\n' $((800000 + i)) $((10000 * i)) "$i" >>"$REG/transfers.csv"
done

DB="$TMP/r.db"
cat >"$TMP/world.jsonl" <<'JSON'
{"id":"r-1","date":"2024-06-01","source":"Sky Sports","text":"Arsenal have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"r-2","date":"2024-06-05","source":"Sky Sports","text":"Chelsea have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"r-3","date":"2024-06-07","source":"Sky Sports","text":"Everton have made a bid for Lille midfielder Bernardo Silva, 23."}
JSON
run ingest -q --db "$DB" "$TMP/world.jsonl"
expect_rc "ingest the world" 0

run registry import "$REG" --db "$DB"
expect_rc "an import with bad rows exits 1" 1
expect_err "bad date named by file and line" "players.csv:7: a date is not YYYY-MM-DD"
expect_err "missing id named by file and line" "players.csv:8: a player needs player_id and name"
expect_err "bad value named by file and line" "players.csv:9: the market value is not a number of euros"
expect_err "bad transfer named by file and line" "transfers.csv:6: a transfer needs player_id"
expect_err "the summary" "6 clubs, 304 players, 304 transfers read; 4 bad rows; 2 stored players linked"
run export --db "$DB" --format jsonl
cp "$OUT" "$TMP/export1"
run outcomes --db "$DB"
cp "$OUT" "$TMP/outcomes1"
expect_out "the registry's transfer resolves the story" "Marco Rinaldi -> Arsenal: done on 2024-07-15"
expect_out "and his other story" "Marco Rinaldi -> Chelsea: failed on 2024-07-15"

run registry import "$REG" --db "$DB" --quiet
run export --db "$DB" --format jsonl
check "a second import gives the same stories" cmp -s "$OUT" "$TMP/export1"
run outcomes --db "$DB"
check "a second import gives the same resolutions" cmp -s "$OUT" "$TMP/outcomes1"

run player "Marco Rinaldi" --links --db "$DB"
expect_rc "player --links" 0
expect_out "the link and its confidence" "registry 900001: Marco Rinaldi (auto, confidence 1.00)"
expect_out "date of birth" "born 2000-02-01"
expect_out "position and nationality" "Centre-Forward, Italy"
expect_out "club (the lexicon's name) and contract" "club Arsenal, contract to 2029-06-30"
expect_out "market value" "market value EUR 45000000"
expect_out "club history" "2024-07-15  Porto -> Arsenal  EUR 30000000"
run player "Marco Rinaldi" --json --db "$DB"
expect_json "JSON: the registry player and his facts" \
    '[j["players"][0]["registry"][k] for k in ("id", "date_of_birth", "club", "contract_until", "market_value_eur", "link")]' \
    "['900001', '2000-02-01', 'Arsenal', '2029-06-30', 45000000.0, 'auto']"
expect_json "JSON: his club history" '[(t["date"], t["to_club"]) for t in j["players"][0]["registry"]["transfers"]]' \
    "[('2021-07-01', 'Porto'), ('2024-07-15', 'Arsenal')]"
expect_json "JSON: the birth years the ages imply, and the names written" \
    '(j["players"][0]["born"], j["players"][0]["names"])' "({'from': 1999, 'to': 2000, 'ages': 2}, ['Marco Rinaldi'])"
run player "Bernardo Silva" --links --db "$DB"
expect_out "the Silva of the article's age" "registry 900003: Bernardo Silva (auto"
id=$(grep -oE 'stored player [0-9]+' "$OUT" | grep -oE '[0-9]+$')
run registry link "$id" 900002 --db "$DB"
expect_rc "link by hand" 0
run registry link "$id" 123 --db "$DB"
expect_rc "link to an unknown registry player" 1
expect_err "says so" "no registry player '123'"
run registry import "$REG" --db "$DB" --quiet
run player "Bernardo Silva" --db "$DB"
expect_out "a link by hand outlives an import" "registry 900002: Bernardo Silva (manual, confidence 1.00)"
expect_out "and shows his facts" "born 1994-08-10"
run registry link x 900002 --db "$DB"
expect_rc "a stored id that is no number" 2

# our own list: one documented header, ids optional
OWN="$TMP/own"
mkdir -p "$OWN"
cat >"$OWN/registry.csv" <<'CSV'
id,name,date_of_birth,position,nationality,club,contract_until,market_value_eur
,Liam Cobbold,2000-04-04,Central Midfield,England,Everton,2027-06-30,12000000
x-1,"Noah Pellow, Jr",2002-02-02,Left Winger,Wales,Chelsea,,
CSV
ODB="$TMP/own.db"
printf '%s\n' '{"id":"o-1","date":"2024-05-01","source":"Sky Sports","text":"Fulham have made a bid for Everton midfielder Liam Cobbold, 24."}' >"$TMP/own.jsonl"
run ingest -q --db "$ODB" "$TMP/own.jsonl"
run registry import "$OWN" --db "$ODB"
expect_rc "our own registry.csv" 0
expect_err "its rows" "0 clubs, 2 players, 0 transfers read; 0 bad rows; 1 stored players linked"
run player Cobbold --db "$ODB"
expect_out "facts from our own list" "club Everton, contract to 2027-06-30"
run registry import "$TMP/nothing" --db "$ODB"
expect_rc "a folder with no registry file" 1

finish
