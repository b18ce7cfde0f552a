#!/usr/bin/env bash
# Writers at once on PostgreSQL, against a real server started for the test
# by tests/pg/pg-server.sh: the corpus and checks of tests/cli/test_store.sh's
# concurrent writers (tests/cli/writers.sh), and a kill -9.
#   - one sequential run of four shards gives the export SQLite's gives, byte
#     for byte;
#   - four `radar ingest` at once, into a new store (which they make once)
#     and into one holding articles already, give the store the sequential
#     run gives (ids aside, which follow the order of the commits), and
#     exactly, ids and all, the store one SQLite run gives over the articles
#     in the order PostgreSQL committed them: the writers took turns;
#   - the same with one of them killed (kill -9) while its batch is open:
#     nothing of that batch is stored; run again, the store is whole;
#   - articles whose store once depended on the order they came in (a day's
#     reports of one move, names written two ways), as four shards at once,
#     give the store one SQLite run in file order gives (ids aside).
# Needs RADAR, SRC, psql and python3. Exits 77 (skipped) only when the
# PostgreSQL server packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
. "$SRC/tests/cli/writers.sh"
pg_need psql python3
pg_start URI "the test server" start "$PGDIR"

# empty_pg: the database emptied
empty_pg() {
    psql "$URI" -XAtq -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1 || bad "emptying the database"
}

# same_as_commit_order DESC: the PostgreSQL store's export is, byte for byte,
# the export of one SQLite ingest of its articles in the order it holds them
# (the order their batches committed)
same_as_commit_order() {
    psql "$URI" -XAtq -c "SELECT id FROM articles ORDER BY rowid" >"$TMP/order.ids"
    python3 - "$TMP/order.ids" "$TMP"/w[0-9].jsonl >"$TMP/ordered.jsonl" <<'EOF'
import json, sys
lines = {}
for path in sys.argv[2:]:
    for line in open(path):
        lines.setdefault(json.loads(line)["id"], line)
for i in open(sys.argv[1]):
    sys.stdout.write(lines[i.strip()])
EOF
    rm -f "$TMP/ordered.db"*
    "$RADAR" ingest -q --db "$TMP/ordered.db" "$TMP/ordered.jsonl" || bad "$1: ingest in commit order"
    "$RADAR" export --db "$TMP/ordered.db" --format jsonl >"$TMP/a.jsonl"
    "$RADAR" export --db "$URI" --format jsonl >"$TMP/b.jsonl"
    if [ -s "$TMP/a.jsonl" ] && cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl"; then ok; else
        bad "$1: the store is not the one a sequential run in commit order gives"
        diff "$TMP/a.jsonl" "$TMP/b.jsonl" | head -4
    fi
}

for f in 0 1 2 3; do gen_articles "$f" 150 >"$TMP/w$f.jsonl"; done
gen_articles 9 30 >"$TMP/w9.jsonl"

# one sequential run, on both
SEQ="$TMP/seq.db"
"$RADAR" ingest -q --db "$SEQ" "$TMP"/w[0-3].jsonl || bad "sequential ingest into SQLite"
empty_pg
run ingest -q --db "$URI" "$TMP"/w[0-3].jsonl
expect_rc "sequential ingest into PostgreSQL" 0
"$RADAR" export --db "$SEQ" --format jsonl >"$TMP/a.jsonl"
"$RADAR" export --db "$URI" --format jsonl >"$TMP/b.jsonl"
if cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl"; then ok; else bad "a sequential run: PostgreSQL's export differs from SQLite's"; fi
export_sorted "$SEQ" >"$TMP/seq.export"
check "sequential ingests: 200 stories" test "$(wc -l <"$TMP/seq.export")" = 200

# four at once into a new store
empty_pg
ingest_at_once "$URI" "$TMP/w0.jsonl" "$TMP/w1.jsonl" "$TMP/w2.jsonl" "$TMP/w3.jsonl"
expect_all_ok "four ingests into a new PostgreSQL store at once" 4
if [ "$(export_sorted "$URI")" = "$(cat "$TMP/seq.export")" ]; then ok; else
    bad "four ingests at once: the export differs from the sequential run's"
fi
same_as_commit_order "four ingests at once"
n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM radar_schema")
if [ "$n" = 1 ]; then ok; else bad "four ingests made the schema's version $n times"; fi

# three at once into a store holding articles
empty_pg
"$RADAR" ingest -q --db "$URI" "$TMP/w9.jsonl" || bad "ingest of w9"
rm -f "$SEQ"*
for f in 9 1 2 3; do "$RADAR" ingest -q --db "$SEQ" "$TMP/w$f.jsonl"; done
ingest_at_once "$URI" "$TMP/w1.jsonl" "$TMP/w2.jsonl" "$TMP/w3.jsonl"
expect_all_ok "three ingests into a PostgreSQL store at once" 3
if [ "$(export_sorted "$URI")" = "$(export_sorted "$SEQ")" ]; then ok; else
    bad "three ingests at once: the export differs from sequential ones"
fi
same_as_commit_order "three ingests at once"

# four at once, one killed while its batch is open, then run again
empty_pg
"$RADAR" ingest -q --db "$URI" "$TMP/w9.jsonl" || bad "ingest of w9"
pids=""
for f in 0 2 3; do
    "$RADAR" ingest -q --db "$URI" "$TMP/w$f.jsonl" 2>"$TMP/k$f.err" &
    pids="$pids $!"
done
# the victim's one batch (under 2048 articles) is w1 and 1,500 more, so that it
# stays open long enough to be killed however fast the writing goes
gen_articles 8 1500 | cat "$TMP/w1.jsonl" - >"$TMP/victim.jsonl"
PGAPPNAME=victim "$RADAR" ingest -q --db "$URI" "$TMP/victim.jsonl" 2>"$TMP/k1.err" &
victim=$!
BG_PIDS="$pids $victim"
# the victim holds the writers' lock: its batch is open
holding=0
for i in $(seq 600); do
    n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE
        a.application_name = 'victim' AND l.locktype = 'advisory' AND l.granted")
    if [ "$n" = 1 ]; then holding=1; break; fi
    kill -0 $victim 2>/dev/null || break
    sleep 0.1
done
sleep 0.3
if [ $holding = 1 ] && kill -9 $victim 2>/dev/null; then ok; else bad "the victim was not killed while its batch was open"; fi
wait $victim 2>/dev/null
wait $pids || bad "the other writers failed: $(cat "$TMP"/k[023].err)"
BG_PIDS=""
n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM articles WHERE id LIKE 'w1-%' OR id LIKE 'w8-%'")
if [ "$n" = 0 ]; then ok; else bad "the killed batch left $n articles"; fi
run ingest -q --db "$URI" "$TMP/w1.jsonl"
expect_rc "the killed ingest run again" 0
rm -f "$SEQ"*
for f in 9 0 1 2 3; do "$RADAR" ingest -q --db "$SEQ" "$TMP/w$f.jsonl"; done
if [ "$(export_sorted "$URI")" = "$(export_sorted "$SEQ")" ]; then ok; else
    bad "after kill -9 and a run again: the export differs from sequential ones"
fi
same_as_commit_order "after kill -9 and a run again"

# articles whose store once depended on the order they came in, as four
# shards at once: the store one SQLite run in file order gives
gen_order_articles 40 >"$TMP/order.jsonl"
for k in 0 1 2 3; do awk -v k=$k 'NR % 4 == k' "$TMP/order.jsonl" >"$TMP/order.s$k.jsonl"; done
rm -f "$SEQ"*
"$RADAR" ingest -q --db "$SEQ" "$TMP/order.jsonl" || bad "ingest of the ordered articles into SQLite"
empty_pg
ingest_at_once "$URI" "$TMP"/order.s[0-3].jsonl
expect_all_ok "four shards of the ordered articles at once" 4
if [ "$(export_sorted "$URI")" = "$(export_sorted "$SEQ")" ]; then ok; else
    bad "four shards at once: the export differs from one run in file order"
    diff <(export_sorted "$SEQ") <(export_sorted "$URI") | head -4
fi

finish
