#!/usr/bin/env bash
# The questions' plans in PostgreSQL: on a store copied there with radar db
# copy, the board (by heat, by likelihood, of a club) reads its order from the
# store's indexes instead of sorting every story, and search takes the newest
# hits from the articles' key instead of sorting every hit; as on SQLite, so
# that the questions stay fast on a large store. The server (tests/pg/
# pg-server.sh) logs each plan radar's statements get (auto_explain), with
# sequential scans and full sorts priced out, as they are on a large store;
# a plan that still sorts all rows has no index that gives its order.
# Needs RADAR and SRC. Exits 77 (skipped) only when the PostgreSQL server
# packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
pg_need psql
pg_start URI "the test server" start "$PGDIR"

LITE="$TMP/world.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/world/articles.jsonl" "$SRC/examples/articles" ||
    bad "ingest"
run db copy "$LITE" "$URI"
expect_rc "copy into PostgreSQL" 0

# the indexes keep SQLite's place for NULLs, where the questions ask for them
psql "$URI" -XAtq -c "SELECT indexdef FROM pg_indexes WHERE indexname = 'stories_heat'" >"$OUT" 2>"$ERR"
expect_out "an index's columns put NULLs where SQLite does" "(heat NULLS FIRST, last_seen NULLS FIRST)"

# every plan of radar's sessions in the log, with a small table priced as a large one
psql "$URI" -XAtq -c "ALTER DATABASE radar SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER DATABASE radar SET auto_explain.log_min_duration = 0" \
    -c "ALTER DATABASE radar SET enable_seqscan = off" -c "ALTER DATABASE radar SET enable_sort = off" \
    >/dev/null 2>"$ERR" || bad "setting up auto_explain: $(head -c 300 "$ERR")"
LOG="$PGDIR/server.log"

# plan_of DESC WANT ARGS...: radar ARGS on PostgreSQL, and the plan of its statement that reads
# WANT (a fixed string of its text) must take its order from an index: no plain Sort node of
# the stories (s.) or the articles (a.); a story's own few rows (its resolutions) may be sorted
plan_of() {
    local desc=$1 want=$2
    shift 2
    : >"$TMP/mark"
    local before
    before=$(wc -l <"$LOG")
    run "$@" --db "$URI"
    expect_rc "$desc" 0
    sleep 0.2 # the log is written by another process
    tail -n +"$((before + 1))" "$LOG" >"$TMP/plans"
    # the plans, one a paragraph: from "Query Text:" to the next log line
    awk -v want="$want" '
        /LOG:  duration: .* plan:/ { if (p != "" && index(p, want)) print p; p = ""; on = 1; next }
        /^[0-9]{4}-[0-9]{2}-[0-9]{2} / { if (p != "" && index(p, want)) print p; p = ""; on = 0; next }
        on { p = p "\n" $0 }
        END { if (p != "" && index(p, want)) print p }' "$TMP/plans" >"$TMP/plan"
    if [ ! -s "$TMP/plan" ]; then
        bad "$desc: no plan of a statement with '$want' in the server's log"
    elif awk '/(^|->  )Sort  \(/ { s = 1; next } s && /Sort Key: (s|a)\./ { found = 1 } { s = 0 } END { exit !found }' \
        "$TMP/plan"; then
        bad "$desc: its plan sorts every story or article: $(grep -E -m1 -A1 -- '(^|->  )Sort  \(' "$TMP/plan" | tr -s ' \t' ' ' | tr '\n' ' ')"
    else
        ok
    fi
}
plan_of "the board by heat" "ORDER BY s.heat DESC" stories
plan_of "the board by likelihood" "ORDER BY s.likelihood DESC" stories --sort likelihood
plan_of "the board by the last mention" "ORDER BY s.last_seen DESC" stories --sort recent
plan_of "search" "AS tsquery" search talks

finish
