#!/usr/bin/env bash
# End-to-end tests of the CLI as a user meets it first: help per command,
# `radar help COMMAND`, the version; no option silently ignored (export's
# filters, club --limit, a bad --stage, an option a question has no use
# for); a source named forgivingly; an unknown club; export --what and
# --format; numbers in JSON at their meaningful precision.
# Needs RADAR, SRC and python3.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-everyday.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export RADAR_DB="$TMP/radar.db"

# --- help, one command at a time ---------------------------------------------
for c in stories story player club search sources source export follow ingest watch serve; do
    run "$c" --help
    expect_rc "$c --help" 0
    expect_out "$c --help: its own usage" "usage: radar $c"
    others=$(grep -cE '^ *(usage:)? *radar (stories|story|player|club|search|sources|source|export) ' "$OUT")
    case $c in stories | story | player | club | search | sources | source | export)
        check "$c --help: no other question's usage" test "$others" -eq 1 ;;
    esac
    "$RADAR" help "$c" >"$TMP/help2" 2>&1
    check "radar help $c is $c --help" cmp -s "$OUT" "$TMP/help2"
done
run help nonesuch
expect_rc "radar help of no command" 2
expect_err "radar help of no command: said" "no command called 'nonesuch'"
run --version
expect_out_re "radar --version" "^radar [0-9]+\.[0-9]+"
run version
expect_out_re "radar version" "^radar [0-9]+\.[0-9]+"

# --- a small store -------------------------------------------------------------
mkdir -p "$TMP/articles"
w() { printf 'date %s\n%s\n' "$2" "$3" >"$TMP/articles/$1.txt"; }
w a1 2024-02-01 "Aston Villa are interested in Celtic defender Callum Rennie, according to the Daily Record."
w a2 2024-03-01 "Aston Villa have made a bid of 12 million pounds for Celtic defender Callum Rennie, the Daily Record reports."
w a3 2024-02-20 "Liverpool have made a bid for Nantes midfielder Jules Moreau, according to RMC Sport."
w a4 2024-01-15 "Brentford are interested in Aston Villa winger Theo Garnier, Sky Sports reports."
w a5 2024-04-02 "Fulham are interested in Lyon winger Hugo Marchal, L'Equipe reports."
w a6 2024-04-03 "Aston Villa are interested in Lens midfielder Kevin Dubois, Sky Sports reports."
run ingest -q "$TMP/articles"
expect_rc "ingest" 0

# --- no option silently ignored -------------------------------------------------
run export --club "Aston Villa"
expect_rc "export --club" 0
check "export --club: only the club's stories" test "$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(sorted(r["player"] for r in rows))' "$OUT")" = "['Callum Rennie', 'Kevin Dubois', 'Theo Garnier']"
run export --player Moreau --format csv
expect_lines "export --player: the header and one mention" 2
expect_out "export --player: his" "Jules Moreau"
run export --stage bid --what stories
expect_lines "export --stage: the bids only" 2
run export --since 2024-04-01 --what stories
expect_lines "export --since" 2
run export --source "Sky Sports" --what stories
expect_lines "export --source" 2
run export --club Nowhere --what stories
expect_rc "export of a club with no story" 0
expect_out_empty "export of a club with no story: nothing"

run club "Aston Villa" --limit 1 --json
expect_json "club --limit 1: in" 'len(j["linked_in"])' 1
run club "Aston Villa" --json
expect_json "club without --limit: all" 'len(j["linked_in"])' 2
run club "Nowhere FC"
expect_rc "club not found: exit 1" 1
expect_err "club not found: said" "no story or fact names a club called 'Nowhere FC'"

run stories --stage nonesuch
expect_rc "unknown --stage" 2
expect_err "unknown --stage lists the stages" "interest, contact, talks, bid, agreement, medical, signed, rejected, collapsed, denied, or none"
run export --stage nonesuch
expect_rc "unknown --stage of export" 2
run story 1 --club Arsenal
expect_rc "an option a question has no use for" 2
expect_err "an option a question has no use for: said" "radar story takes no --club"
run export --json
expect_rc "export --json" 2
run export --what everything
expect_rc "export --what of another thing" 2
expect_err "export --what: said" "--what must be stories or mentions"

# --- a source named the user's way ------------------------------------------------
for name in "Sky Sports" "sky sports" "SkySports" "@SkySports" "x.com/SkySports" "https://x.com/SkySports"; do
    run stories --source "$name" --json
    expect_json "--source '$name'" 'len(j["stories"])' 2
done
run source "sky sports"
expect_rc "source by another spelling" 0
expect_out "source by another spelling: the source, with its tier" "Sky Sports (outlet, tier 1)"

# --- export --what stories ----------------------------------------------------------
run export --what stories --format csv --club "Aston Villa"
expect_out "export stories csv: the header" "story,player,to_club,from_club,first_seen,last_seen,stage,latest_stage,status,outcome,likelihood,mentions,sources,independent_sources,fee_min_eur,fee_max_eur,latest_url"
expect_out_re "export stories csv: a story's row" '^[0-9]+,"Callum Rennie","Aston Villa","Celtic",2024-02-01,2024-03-01,bid,bid,'
run export --what stories --player Rennie
expect_json "export stories jsonl: first and last seen" '(j["first_seen"], j["last_seen"], j["stage"])' "('2024-02-01', '2024-03-01', 'bid')"
expect_json "export stories jsonl: a fee range" 'j["fee_min_eur"] > 1e7' True

# --- search: the user's words, never FTS5 syntax ---------------------------------------
mkdir -p "$TMP/more"
printf '%s\n' '{"id": "wire-7", "date": "2024-04-05", "source": "Wire Daily", "title": "Villa and Fulham chase Marchal", "url": "https://wire.example/7", "text": "Aston Villa have made a bid for Lyon winger Hugo Marchal, Sky Sports reports. Fulham are also interested."}' >"$TMP/more/wire.jsonl"
run ingest -q "$TMP/more"
expect_rc "ingest an article with a title and a link" 0
run search "Marchal AND Villa" --json
expect_rc "search: AND is a word" 0
expect_json "search: AND is a word, not an operator" 'len(j["hits"])' 1
run search "Marchal Villa" --json
expect_json "search: words, all of them" '[h["article"] for h in j["hits"]]' "['wire-7']"
run search "Marc*" --json
expect_json "search: a prefix" 'len(j["hits"])' 2
run search "*"
expect_rc "search: a lone '*'" 2
expect_err "search: a lone '*' said as a sentence" "search: '*' has no word to look for"
run search '"made a bid for Lyon'
expect_rc "search: an unmatched quote" 0
expect_out "search: an unmatched quote runs to the end" "Villa and Fulham chase Marchal"
run search '"bid for Lyon winger" Villa' --json
expect_json "search: a phrase" 'len(j["hits"])' 1
run search '"Lyon bid"' --json
expect_json "search: a phrase is in order" 'len(j["hits"])' 0
run search ""
expect_rc "search: an empty query" 2
expect_err "search: an empty query said as a sentence" "the query is empty"
run search "Marchal -Fulham" --json
expect_json "search: -word leaves out" 'len(j["hits"])' 0
run search "Villa -Fulham" --json
expect_json "search: -word leaves out, the rest stays" '"wire-7" in [h["article"] for h in j["hits"]]' False
run search -- "-Fulham"
expect_rc "search: only -words" 2
expect_err "search: only -words said" "only says what to leave out"
for q in 'NEAR(Villa' 'title:Villa' 'Villa OR' '(Villa' 'Villa^' '+Villa' 'NOT Villa' 'a"b"c' "Villa's"; do
    run search "$q"
    check "search: '$q' is no syntax error" test "$RC" -eq 0
    check "search: '$q': nothing from SQLite" test "$(grep -c "fts5\|syntax" "$ERR")" -eq 0
done
run search "Marchal Villa"
expect_out "search result: titled" "Villa and Fulham chase Marchal"
expect_out "search result: date and source" "2024-04-05, Wire Daily (wire-7)"
expect_out "search result: link" "https://wire.example/7"
expect_out "search result: its stories" "Hugo Marchal to Aston Villa"
run search "Marchal Villa" --json
expect_json "search JSON: url" 'j["hits"][0]["url"]' "https://wire.example/7"
expect_json "search JSON: stories" 'sorted(s["to_club"] for s in j["hits"][0]["stories"])' "['Aston Villa', 'Fulham']"

# --- ingest: progress to 100%, undated articles counted and named ---------------------
# the progress line is drawn on a terminal only: `script` gives one
if ! command -v script >/dev/null 2>&1; then
    bad "script (bsdutils) not found: scripts/install-deps installs it"
else
    mkdir -p "$TMP/prog/dir"
    for i in $(seq 1 30); do
        printf 'date 2024-01-%02d\nArsenal are interested in Ajax defender Tomas Velde, the Daily Record reports (%d).\n' \
            $((i % 28 + 1)) "$i" >"$TMP/prog/dir/a$i.txt"
    done
    python3 -c '
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(200):
        f.write(json.dumps({"id": "j%d" % i, "date": "2024-02-01", "title": "a \"quoted\" title %d" % i,
                            "text": "Chelsea are interested in Benfica midfielder Diogo Sardinha, according to Record (%d). \u00e9\u00e8 \"q\"" % i}) + "\n")' \
        "$TMP/prog/big.jsonl"
    frames() { # frames DB PATH: the percentages the progress line showed, one a line
        RADAR_DB="$1" script -qec "'$RADAR' ingest '$2'" /dev/null </dev/null | tr '\r' '\n' | grep -aoE '\] +[0-9]+%' | grep -oE '[0-9]+'
    }
    for input in dir big.jsonl; do
        frames "$TMP/prog/$input.db" "$TMP/prog/$input" >"$TMP/prog/$input.frames"
        check "progress on $input: reaches 100%" test "$(tail -n 1 "$TMP/prog/$input.frames")" = 100
        check "progress on $input: never goes back" bash -c 'sort -n -c "$1"' _ "$TMP/prog/$input.frames"
    done
    RADAR_DB="$TMP/prog/dir2.db" script -qec "'$RADAR' ingest '$TMP/prog/dir'" /dev/null </dev/null | tr '\r' '\n' >"$TMP/prog/dir.out"
    check "progress: the last line counts each article once" grep -aq "100%  30 articles" "$TMP/prog/dir.out"
    RADAR_DB="$TMP/prog/stdin.db" timeout 20 script -qec "'$RADAR' ingest" /dev/null </dev/null >"$TMP/prog/stdin.out"
    check "ingest from a terminal: says it reads standard input" grep -aq "reading articles from standard input" "$TMP/prog/stdin.out"
fi
mkdir -p "$TMP/undated"
for i in 1 2 3 4; do printf 'Everton are keen on Ajax midfielder Pieter Vos%d.\n' "$i" >"$TMP/undated/u$i.txt"; done
printf 'date 2024-01-02\nEverton are keen on Ajax midfielder Pieter Vos.\n' >"$TMP/undated/dated.txt"
run ingest --db "$TMP/undated.db" "$TMP/undated"
expect_rc "ingest undated articles" 0
expect_err "undated articles counted and named" "radar: 4 articles had no date ("
expect_err "undated articles: what to do" "; pass --date or give them a date line"
expect_err "undated articles: the first named" "u1"
run ingest --db "$TMP/undated2.db" --date 2024-01-01 "$TMP/undated"
check "with --date: no undated article" test "$(grep -c "had no date" "$ERR")" -eq 0

# --- numbers at their meaningful precision -----------------------------------------
run stories --json
check "JSON numbers: no float noise" test "$(grep -cE '[0-9]\.[0-9]*(0000000|9999999)[0-9]' "$OUT")" -eq 0
check "JSON numbers: likelihoods printed short" grep -qE '"likelihood": 0\.[0-9]{1,4},' "$OUT"
run export --what stories
check "export JSON numbers: no float noise" test "$(grep -cE '[0-9]\.[0-9]*(0000000|9999999)[0-9]' "$OUT")" -eq 0
run story 1 --json
check "story JSON numbers: no float noise" test "$(grep -cE '[0-9]\.[0-9]*(0000000|9999999)[0-9]' "$OUT")" -eq 0

finish
