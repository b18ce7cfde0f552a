#!/usr/bin/env bash
# The commands that write, on PostgreSQL as on SQLite, against a real server
# started for the test by tests/pg/pg-server.sh (a unix socket in a temporary
# folder, no TCP). Each test world's writing commands (ingest, ingest again,
# an updated article, outcomes import, fit, registry import, follow add and
# remove with the changes told, feeds add, watch, feeds remove) run on an
# SQLite file and on a PostgreSQL database: each must exit alike, print the
# same, and leave a store with the same export (both formats, both --what),
# sources and outcomes, byte for byte. Then: a store copied into PostgreSQL
# goes on being written there as its SQLite original; the shared corpora
# (when ../shared is there) give the same store; an empty database gets the
# schema once from two writers at once; a database holding other tables is
# refused and left alone.
# Needs RADAR, SRC and psql (the server's client, from the same packages).
# Exits 77 (skipped) only when the PostgreSQL server packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
pg_need psql
pg_start URI "the test server" start "$PGDIR"

# fresh NAME: an empty SQLite path $LITE and an empty PostgreSQL database $PG
fresh() {
    LITE="$TMP/$1.db"
    rm -f "$LITE" "$LITE-wal" "$LITE-shm"
    PG=$URI
    psql "$URI" -XAtq -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1 || bad "emptying the database"
}

# stores_same DESC: the two stores export and answer the same bytes
stores_same() {
    local desc=$1 args
    for args in "export --format jsonl" "export --format csv" "export --format csv --what stories" \
        "export --what stories" "sources --json" "outcomes --json" "follow list"; do
        "$RADAR" $args --db "$LITE" >"$TMP/a.out" 2>&1
        "$RADAR" $args --db "$PG" >"$TMP/b.out" 2>&1
        if cmp -s "$TMP/a.out" "$TMP/b.out"; then ok; else
            bad "$desc: radar $args differs between SQLite and PostgreSQL"
            diff "$TMP/a.out" "$TMP/b.out" | head -6
        fi
    done
}

# both DESC ARGS...: radar ARGS --db on each store: the same exit status,
# output and messages (the store's name aside), then the same stores
both() {
    local desc=$1
    shift
    "$RADAR" "$@" --db "$LITE" >"$TMP/a.out" 2>"$TMP/a.err"
    local ra=$?
    "$RADAR" "$@" --db "$PG" >"$TMP/b.out" 2>"$TMP/b.err"
    RC=$?
    # the store's name aside, and the time a refused connection took (curl's "after N ms")
    sed -i "s|$PG|STORE|g; s|$LITE|STORE|g; s/ after [0-9][0-9]* ms/ after N ms/g" \
        "$TMP/a.err" "$TMP/b.err" "$TMP/a.out" "$TMP/b.out"
    cp "$TMP/b.out" "$OUT"
    cp "$TMP/b.err" "$ERR"
    if [ $ra = $RC ] && cmp -s "$TMP/a.out" "$TMP/b.out" && cmp -s "$TMP/a.err" "$TMP/b.err"; then ok; else
        bad "$desc: radar $* on PostgreSQL differs from SQLite (exit $ra and $RC)"
        diff "$TMP/a.out" "$TMP/b.out" | head -6
        diff "$TMP/a.err" "$TMP/b.err" | head -6
    fi
    stores_same "$desc"
}

FIX="$SRC/tests/fixtures"

# ---- the worlds, written on both ------------------------------------------------------------

fresh world
both "world: ingest" ingest "$FIX/world/articles.jsonl"
expect_rc "world: ingest into PostgreSQL" 0
expect_err "world: the articles are stored" "10 new"
both "world: the same articles again" ingest "$FIX/world/articles.jsonl"
expect_err "world: nothing stored twice" "0 new, 0 updated, 10 unchanged"
both "world: outcomes import" outcomes import "$FIX/world/outcomes.csv"
both "world: fit" fit
both "world: follow a club" follow add --club Arsenal
both "world: follow a player" follow add --player "Tomas Verhaegen"
both "world: more articles, the changes told" ingest "$FIX/store/articles"
both "world: the changes told" follow
both "world: follow remove" follow remove Arsenal
both "world: a feed added" feeds add http://127.0.0.1:9/feed.xml --name nowhere
both "world: the feeds" feeds list
both "world: a feed added twice" feeds add http://127.0.0.1:9/feed.xml
expect_rc "world: a feed added twice is refused on PostgreSQL too" 1
both "world: watch once (the feed is not there)" watch --once
both "world: feed removed" feeds remove nowhere

fresh store
both "store: ingest" ingest "$FIX/store/articles"
both "store: articles changed" ingest "$FIX/store/changed"
expect_err "store: articles updated" "updated"

fresh articles
both "articles: ingest" ingest "$FIX/articles"

fresh examples
both "examples: ingest" ingest "$SRC/examples/articles"
both "examples: outcomes import" outcomes import "$SRC/examples/outcomes.csv"

fresh statuses
both "statuses: ingest" ingest "$FIX/statuses/articles.jsonl"
both "statuses: outcomes import" outcomes import "$FIX/statuses/outcomes.csv"

fresh odd
both "odd text: ingest" ingest "$FIX/pg/odd-text.jsonl"

fresh registry
cat >"$TMP/registry.jsonl" <<'JSON'
{"id":"q-1","date":"2024-06-01","source":"Quay Post","text":"Arsenal have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"q-2","date":"2024-06-05","source":"Quay Post","text":"Chelsea have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"q-3","date":"2024-06-07","source":"Quay Post","text":"Everton have made a bid for Lille midfielder Bernardo Silva, 23."}
JSON
both "registry: ingest" ingest "$TMP/registry.jsonl"
both "registry: import" registry import "$FIX/registry"
both "registry: more articles" ingest "$FIX/world/articles.jsonl"

# ---- a store copied into PostgreSQL goes on as its original ---------------------------------

fresh copied
"$RADAR" ingest --quiet --db "$LITE" "$FIX/world/articles.jsonl" || bad "copied: ingest"
run db copy "$LITE" "$PG"
expect_rc "copied: into PostgreSQL" 0
both "copied: more articles" ingest "$SRC/examples/articles"
both "copied: outcomes" outcomes import "$SRC/examples/outcomes.csv"

# ---- the shared corpora -----------------------------------------------------------------------

SHARED=${RADAR_SHARED:-$SRC/../shared}
if [ -d "$SHARED/seeds" ] && [ -f "$SHARED/corpus/tribuna-2024.jsonl" ]; then
    fresh shared
    both "shared: ingest" ingest --quiet "$SHARED/seeds" "$SHARED/corpus/tribuna-2024.jsonl"
else
    echo "note: no shared corpora at $SHARED: the worlds above only"
fi

# ---- making the store ---------------------------------------------------------------------------

# two writers on an empty database: the schema is made once, both store
fresh twice
"$RADAR" ingest --quiet --db "$PG" "$FIX/world/articles.jsonl" 2>"$TMP/w1.err" &
w1=$!
"$RADAR" ingest --quiet --db "$PG" "$SRC/examples/articles" 2>"$TMP/w2.err" &
w2=$!
wait $w1 && wait $w2 || bad "two writers making the store at once: $(cat "$TMP/w1.err" "$TMP/w2.err")"
want=$("$RADAR" ingest --db "$LITE" "$FIX/world/articles.jsonl" "$SRC/examples/articles" 2>&1 |
    sed -n 's/.*The store holds \([0-9]*\) articles.*/\1/p')
n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM radar_schema")
if [ "$n" = 1 ]; then ok; else bad "two writers made the schema's version $n times"; fi
n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM articles")
if [ -n "$want" ] && [ "$n" = "$want" ]; then ok; else bad "two writers stored $n articles, not $want"; fi
run stories --db "$PG" --json
expect_rc "the store two writers made answers" 0

# a database holding tables that are not a store: refused, left alone
fresh other
psql "$URI" -XAtq -c "CREATE TABLE notes(id integer PRIMARY KEY, text text); INSERT INTO notes VALUES (1, 'kept')" \
    >/dev/null || bad "making another application's table"
run ingest --db "$PG" "$FIX/world/articles.jsonl"
expect_rc "a database of another application" 1
expect_err "says it holds no store" "no Transfer Radar store"
n=$(psql "$URI" -XAtq -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$n" = 1 ]; then ok; else bad "the other application's database was changed ($n tables)"; fi

finish
