#!/usr/bin/env bash
# The questions asked of a store in PostgreSQL, against a real server started
# for the test by tests/pg/pg-server.sh (a unix socket in a temporary folder,
# no TCP). Every test world is ingested into SQLite and copied into PostgreSQL
# with radar db copy; then each question (export in both formats, the board
# with every sort and filter, every story, player, club and source, search,
# outcomes, an article) and radar serve's API must answer from PostgreSQL
# byte for byte as from SQLite (search: the same hits; the passage around
# the words is each database's own). --db, RADAR_DB and libpq's PG*
# variables all select the server; the same articles ingested again into
# the copy change nothing.
# Needs RADAR and SRC, python3 (the lists of names to ask about) and curl (the
# API): a missing one fails the run. Exits 77 (skipped) only when the
# PostgreSQL server packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
pg_need python3 curl
pg_start URI "the test server" start "$PGDIR"

# same DESC ARGS...: radar ARGS --db SQLITE and radar ARGS --db URI print the
# same bytes on both streams and exit alike.
same() {
    local desc=$1
    shift
    "$RADAR" "$@" --db "$LITE" >"$TMP/a.out" 2>"$TMP/a.err"
    local ra=$?
    "$RADAR" "$@" --db "$URI" >"$TMP/b.out" 2>"$TMP/b.err"
    local rb=$?
    sed -i "s|$URI|STORE|g; s|$LITE|STORE|g" "$TMP/a.err" "$TMP/b.err"
    if [ $ra = $rb ] && cmp -s "$TMP/a.out" "$TMP/b.out" && cmp -s "$TMP/a.err" "$TMP/b.err"; then ok; else
        RC=$rb
        cp "$TMP/b.out" "$OUT"
        cp "$TMP/b.err" "$ERR"
        bad "$desc: radar $* differs from PostgreSQL (exit $ra and $rb)"
        diff "$TMP/a.out" "$TMP/b.out" | head -6
        diff "$TMP/a.err" "$TMP/b.err" | head -4
    fi
}

# names FIELD: the distinct values of a story field in the SQLite store's export, one a line
names() {
    "$RADAR" export --db "$LITE" --format jsonl | python3 -c '
import json, sys
seen = []
for line in sys.stdin:
    d = json.loads(line)
    for f in sys.argv[1:]:
        v = d.get(f)
        if v is not None and v not in seen:
            seen.append(v)
print("\n".join(str(v) for v in seen))' "$@" 2>/dev/null # head closes the pipe early
}

# the stories, players, clubs and sources asked about one by one in each world
# (every story is in the export already, with its timeline)
EACH=4

# ask NAME: every question of store $LITE, from SQLite and from its copy in PostgreSQL
ask() {
    local name=$1 f x
    run db copy --replace "$LITE" "$URI"
    expect_rc "$name: copy into PostgreSQL" 0
    for f in csv jsonl; do
        same "$name: export" export --format $f
    done
    same "$name: export of one club" export --format jsonl --club Arsenal
    same "$name: export since a day" export --format csv --since 2024-06-01
    same "$name: the stories' export" export --format csv --what stories
    same "$name: the stories' export as JSON Lines" export --what stories
    for x in hot recent first likelihood; do
        same "$name: the board by $x" stories --sort $x
        same "$name: the board by $x as JSON" stories --sort $x --json --limit 3 --offset 1
    done
    for x in open done failed quiet; do
        same "$name: the $x stories" stories --status $x
    done
    same "$name: stories since a day" stories --since 2024-06-01 --stage bid
    while read -r x; do
        [ -n "$x" ] || continue
        same "$name: story $x" story "$x"
        same "$name: story $x as JSON" story "$x" --json
    done < <(names id | head -$EACH)
    same "$name: a story that is not there" story 99999
    while read -r x; do
        [ -n "$x" ] || continue
        same "$name: player $x" player "$x"
        same "$name: player $x as JSON" player "$x" --json
        same "$name: the stories of $x" stories --player "$x"
    done < <(names player | head -$EACH)
    while read -r x; do
        [ -n "$x" ] || continue
        same "$name: club $x" club "$x"
        same "$name: the board of $x" stories --club "$x"
        same "$name: the board of $x by likelihood" stories --club "$x" --sort likelihood
    done < <(names to_club from_club | head -$EACH)
    same "$name: sources" sources
    same "$name: sources as JSON" sources --json
    "$RADAR" sources --db "$LITE" --json | python3 -c '
import json, sys
print("\n".join(s["name"] for s in json.load(sys.stdin)["sources"]))' >"$TMP/sources"
    while read -r x; do
        same "$name: source $x" source "$x"
        same "$name: the board of source $x" stories --source "$x"
    done < <(head -$EACH "$TMP/sources")
    same "$name: a source in other case" source "$(head -1 "$TMP/sources" | tr '[:lower:]' '[:upper:]')"
    same "$name: outcomes" outcomes
    same "$name: outcomes as JSON" outcomes --json
}

# search DESC ARGS: the same hits (ids, dates, titles, stories) from both, the passages aside
search_same() {
    local desc=$1
    shift
    "$RADAR" search "$@" --db "$LITE" --json >"$TMP/a.json" 2>"$TMP/a.err"
    local ra=$?
    "$RADAR" search "$@" --db "$URI" --json >"$TMP/b.json" 2>"$TMP/b.err"
    local rb=$?
    if [ $ra = $rb ] && python3 - "$TMP/a.json" "$TMP/b.json" <<'EOF'; then ok; else bad "$desc: search $* finds other hits"; fi
import json, sys
def hits(p):
    try:
        d = json.load(open(p))
    except ValueError:
        return None
    for h in d.get("hits", d.get("results", [])):
        h.pop("snippet", None)
    return d
a, b = hits(sys.argv[1]), hits(sys.argv[2])
sys.exit(0 if a == b else 1)
EOF
}

# ---- the worlds ------------------------------------------------------------------

LITE="$TMP/world.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/world/articles.jsonl" &&
    "$RADAR" outcomes import "$SRC/tests/fixtures/world/outcomes.csv" --quiet --db "$LITE" || bad "world: ingest"
ask world
search_same "world" Brentford
search_same "world: a prefix" "Bren*"
search_same "world: a phrase" '"in talks"'
search_same "world: a word left out" talks -Brentford
search_same "world: nothing found" zzzzqqq
run search Brentford --db "$URI"
expect_rc "search in PostgreSQL" 0
expect_out "the passage marks the word" "[Brentford]"
expect_out "the hit names its story" "story #1"
run search "" --db "$URI"
expect_rc "an empty search is refused there too" 2

# the fitted likelihood travels with the store and scores there
"$RADAR" fit --db "$LITE" >/dev/null 2>&1 || bad "world: fit"
ask world-fitted

LITE="$TMP/store.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/store/articles" "$SRC/tests/fixtures/store/changed" ||
    bad "store: ingest"
ask store

LITE="$TMP/articles.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/articles" || bad "articles: ingest"
ask articles

LITE="$TMP/examples.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/examples/articles" &&
    "$RADAR" outcomes import "$SRC/examples/outcomes.csv" --quiet --db "$LITE" || bad "examples: ingest"
ask examples

LITE="$TMP/statuses.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/statuses/articles.jsonl" &&
    "$RADAR" outcomes import "$SRC/tests/fixtures/statuses/outcomes.csv" --quiet --db "$LITE" || bad "statuses: ingest"
ask statuses

LITE="$TMP/odd.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/pg/odd-text.jsonl" || bad "odd: ingest"
ask odd

# a store with the player registry (its links, its transfers as outcomes)
LITE="$TMP/registry.db"
cat >"$TMP/registry.jsonl" <<'JSON'
{"id":"q-1","date":"2024-06-01","source":"Quay Post","text":"Arsenal have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"q-2","date":"2024-06-05","source":"Quay Post","text":"Chelsea have made a bid for Porto striker Marco Rinaldi, 24."}
{"id":"q-3","date":"2024-06-07","source":"Quay Post","text":"Everton have made a bid for Lille midfielder Bernardo Silva, 23."}
JSON
"$RADAR" ingest --quiet --db "$LITE" "$TMP/registry.jsonl" || bad "registry: ingest"
"$RADAR" registry import "$SRC/tests/fixtures/registry" --db "$LITE" --quiet >/dev/null 2>&1
ask registry

# ---- radar serve's API ----------------------------------------------------------------

LITE="$TMP/world.db"
run db copy --replace "$LITE" "$URI"
port_a=$((20000 + RANDOM % 20000))
port_b=$((port_a + 1))
"$RADAR" serve --db "$LITE" --listen "127.0.0.1:$port_a" 2>"$TMP/serve-a.err" &
SERVE_PIDS="$SERVE_PIDS $!"
"$RADAR" serve --db "$URI" --listen "127.0.0.1:$port_b" 2>"$TMP/serve-b.err" &
SERVE_PIDS="$SERVE_PIDS $!"
for i in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port_a/api/health" && curl -s -o /dev/null "http://127.0.0.1:$port_b/api/health" &&
        break
    sleep 0.1
done
for path in /api/health /api/stories "/api/stories?club=Brentford" "/api/stories?sort=likelihood&limit=3" \
    "/api/stories?status=done" /api/stories/1 /api/stories/2 /api/stories/99999 /api/players/Verhaegen \
    /api/players/Nobody /api/clubs/Brentford /api/clubs/Lyon /api/sources "/api/sources/Harbour%20Gazette" \
    /api/outcomes /api/articles/hg-1 /api/articles/none / /stories/1 "/search?q=talks"; do
    a=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port_a$path")
    b=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port_b$path")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else
        bad "serve: GET $path differs from PostgreSQL: $(printf '%s' "$b" | head -c 200)"
    fi
done
a=$(curl -s "http://127.0.0.1:$port_a/api/search?q=talks" | python3 -c '
import json, sys
print([(h["article"], h["stories"]) for h in json.load(sys.stdin)["hits"]])' 2>&1)
b=$(curl -s "http://127.0.0.1:$port_b/api/search?q=talks" | python3 -c '
import json, sys
print([(h["article"], h["stories"]) for h in json.load(sys.stdin)["hits"]])' 2>&1)
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "serve: the search finds other hits in PostgreSQL ($b)"; fi

# ---- how PostgreSQL is chosen ----------------------------------------------------------

"$RADAR" export --db "$LITE" --format csv >"$TMP/want.csv"
RADAR_DB="$URI" "$RADAR" export --format csv >"$TMP/got.csv" 2>"$ERR"
if [ -s "$TMP/got.csv" ] && cmp -s "$TMP/want.csv" "$TMP/got.csv"; then ok; else bad "RADAR_DB names the PostgreSQL store"; fi
# postgresql:// alone: libpq's variables say where (the socket's folder, the user, the database)
pg_host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$URI")
pg_user=$(sed -n 's/.*user=\([^&]*\).*/\1/p' <<<"$URI")
PGHOST=$pg_host PGUSER=$pg_user PGDATABASE=radar "$RADAR" export --db postgresql:// --format csv >"$TMP/got.csv" 2>"$ERR"
if [ -s "$TMP/got.csv" ] && cmp -s "$TMP/want.csv" "$TMP/got.csv"; then ok; else bad "the PG* variables fill in postgresql://"; fi

# ---- a copied store is written on ------------------------------------------------------------

# the same articles again change nothing, by --db and by RADAR_DB (the
# commands that write are tests/pg/test_pg_write.sh's)
run ingest --quiet --db "$URI" "$SRC/tests/fixtures/world/articles.jsonl"
expect_rc "ingest of the same articles into the copy" 0
RADAR_DB="$URI" run ingest "$SRC/tests/fixtures/world/articles.jsonl"
expect_rc "ingest into RADAR_DB's PostgreSQL" 0
expect_err "nothing new in RADAR_DB's PostgreSQL" "0 new, 0 updated"
"$RADAR" export --db "$URI" --format csv >"$TMP/got.csv" 2>"$ERR"
if cmp -s "$TMP/want.csv" "$TMP/got.csv"; then ok; else bad "the same articles again left the store as it was"; fi

# a database with no store, and one that is not there
psql "$URI" -XAtq -c "DROP TABLE radar_schema" >/dev/null 2>&1 || bad "dropping radar_schema"
run stories --db "$URI"
expect_rc "a database without a store" 1
expect_err "says there is no store" "no Transfer Radar store here"
run stories --db "postgresql:///nowhere?host=$pg_host&user=$pg_user"
expect_rc "a database that is not there" 1
expect_err "says so with the server's words" "nowhere"

finish
