#!/usr/bin/env bash
# The questions on a hot standby: a primary and a streaming standby (a base
# backup of it, pg_basebackup -R, on a socket and port of its own) are started
# from the Debian packages by tests/pg/pg-server.sh; a store is put on the
# primary with radar db copy, and once the standby has replayed it, every
# read-only command (stories, story, player, club, sources, search, export,
# outcomes, radar serve's API) answers from the standby as from the primary,
# byte for byte; and again after the primary's store is replaced by another.
# A command that writes, pointed at the standby, fails with one sentence
# saying it is a read-only server, and leaves the store as it was.
# Needs RADAR, SRC, python3 and curl. Exits 77 (skipped) only when the
# PostgreSQL server packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
pg_need python3 curl psql
pg_start PRIMARY "the primary" primary "$TMP/p"
pg_start STANDBY "the standby" standby "$TMP/p" "$TMP/s"
q() { psql "$1" -XAtq -c "$2" 2>&1; }
[ "$(q "$STANDBY" "SELECT pg_is_in_recovery()")" = t ] && ok || bad "the standby is in recovery"
[ "$(q "$PRIMARY" "SELECT pg_is_in_recovery()")" = f ] && ok || bad "the primary is not"

# replayed: wait until the standby has replayed what the primary has written
replayed() {
    local lsn i
    lsn=$(q "$PRIMARY" "SELECT pg_current_wal_lsn()")
    for i in $(seq 300); do
        [ "$(q "$STANDBY" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && return 0
        sleep 0.1
    done
    return 1
}

# same DESC ARGS...: radar ARGS on the primary and on the standby print the
# same bytes on both streams and exit alike
same() {
    local desc=$1
    shift
    "$RADAR" "$@" --db "$PRIMARY" >"$TMP/a.out" 2>"$TMP/a.err"
    local ra=$?
    "$RADAR" "$@" --db "$STANDBY" >"$TMP/b.out" 2>"$TMP/b.err"
    local rb=$?
    sed -i "s|$PRIMARY|STORE|g; s|$STANDBY|STORE|g" "$TMP/a.err" "$TMP/b.err"
    if [ $ra = $rb ] && { [ -s "$TMP/a.out" ] || [ -s "$TMP/a.err" ]; } && cmp -s "$TMP/a.out" "$TMP/b.out" && cmp -s "$TMP/a.err" "$TMP/b.err"; then
        ok
    else
        RC=$rb
        cp "$TMP/b.out" "$OUT"
        cp "$TMP/b.err" "$ERR"
        bad "$desc: radar $* differs on the standby (exit $ra and $rb)"
        diff "$TMP/a.out" "$TMP/b.out" | head -6
        diff "$TMP/a.err" "$TMP/b.err" | head -4
    fi
}

# ask NAME: the read-only commands, primary against standby
ask() {
    local name=$1 f x
    for f in csv jsonl; do
        same "$name: export" export --format $f
    done
    same "$name: the stories' export" export --what stories
    for x in hot recent likelihood; do
        same "$name: the board by $x" stories --sort $x
    done
    same "$name: the board as JSON" stories --json --limit 3
    for x in 1 2 3 99999; do
        same "$name: story $x" story $x
        same "$name: story $x as JSON" story $x --json
    done
    while read -r x; do
        same "$name: player $x" player "$x" --json
        same "$name: the stories of $x" stories --player "$x"
    done < <("$RADAR" export --db "$LITE" --format jsonl | python3 -c '
import json, sys
seen = []
for line in sys.stdin:
    p = json.loads(line).get("player")
    if p and p not in seen:
        seen.append(p)
print("\n".join(seen[:3]))')
    same "$name: club" club Arsenal
    same "$name: the board of a club" stories --club Arsenal
    same "$name: sources" sources --json
    same "$name: outcomes" outcomes --json
    for x in Brentford talks '"in talks"' 'Bren*'; do
        same "$name: search $x" search "$x" --json
    done
}

# ---- a store on the primary, read from the standby ---------------------------------

LITE="$TMP/world.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/tests/fixtures/world/articles.jsonl" &&
    "$RADAR" outcomes import "$SRC/tests/fixtures/world/outcomes.csv" --quiet --db "$LITE" || bad "world: ingest"
run db copy "$LITE" "$PRIMARY"
expect_rc "copy into the primary" 0
replayed && ok || bad "the standby replays the copy within 30 s"
ask world
# the standby answers as SQLite does, too
"$RADAR" export --db "$LITE" --format csv >"$TMP/want.csv"
"$RADAR" export --db "$STANDBY" --format csv >"$TMP/got.csv" 2>"$ERR"
if [ -s "$TMP/got.csv" ] && cmp -s "$TMP/want.csv" "$TMP/got.csv"; then ok; else bad "the standby exports what SQLite does"; fi

# ---- radar serve on each ----------------------------------------------------------------

port_a=$((20000 + RANDOM % 20000))
port_b=$((port_a + 1))
"$RADAR" serve --db "$PRIMARY" --listen "127.0.0.1:$port_a" 2>"$TMP/serve-a.err" &
SERVE_PIDS="$SERVE_PIDS $!"
"$RADAR" serve --db "$STANDBY" --listen "127.0.0.1:$port_b" 2>"$TMP/serve-b.err" &
SERVE_PIDS="$SERVE_PIDS $!"
for i in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port_a/api/health" && curl -s -o /dev/null "http://127.0.0.1:$port_b/api/health" &&
        break
    sleep 0.1
done
serve_same() {
    local path
    for path in /api/health /api/stories "/api/stories?club=Brentford" "/api/stories?sort=likelihood&limit=3" \
        /api/stories/1 /api/stories/2 /api/stories/99999 /api/players/Verhaegen /api/clubs/Brentford /api/sources \
        "/api/sources/Harbour%20Gazette" /api/outcomes /api/articles/hg-1 / /stories/1 "/search?q=talks"; do
        a=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port_a$path")
        b=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port_b$path")
        if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else
            bad "serve $1: GET $path differs on the standby: $(printf '%s' "$b" | head -c 200)"
        fi
    done
    a=$(curl -s "http://127.0.0.1:$port_a/api/search?q=talks")
    b=$(curl -s "http://127.0.0.1:$port_b/api/search?q=talks")
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "serve $1: the search differs on the standby"; fi
}
serve_same "world"

# ---- the primary's store replaced: the standby follows, its server too ------------------

LITE="$TMP/examples.db"
"$RADAR" ingest --quiet --db "$LITE" "$SRC/examples/articles" &&
    "$RADAR" outcomes import "$SRC/examples/outcomes.csv" --quiet --db "$LITE" || bad "examples: ingest"
run db copy --replace "$LITE" "$PRIMARY"
expect_rc "the primary's store replaced" 0
replayed && ok || bad "the standby replays the replacement within 30 s"
ask examples
serve_same "examples"
for p in $SERVE_PIDS; do
    if kill -0 "$p" 2>/dev/null; then ok; else bad "radar serve is still running (pid $p)"; fi
done

# ---- writing to the standby ---------------------------------------------------------------

"$RADAR" export --db "$STANDBY" --format csv >"$TMP/before.csv" 2>"$ERR"
# standby_refused DESC ARGS...: one sentence saying the server is read-only, exit 1
standby_refused() {
    local desc=$1
    shift
    run "$@"
    if [ "$RC" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && grep -q "a read-only server (a hot standby" "$ERR" &&
        grep -qF "write to its primary" "$ERR"; then ok; else
        bad "$desc on the standby is refused in one sentence that names a read-only server"
    fi
}
standby_refused "db copy" db copy --replace "$TMP/world.db" "$STANDBY"
standby_refused "db copy without --replace" db copy "$TMP/world.db" "$STANDBY"
standby_refused "ingest" ingest --quiet --db "$STANDBY" "$SRC/tests/fixtures/world/articles.jsonl"
standby_refused "outcomes import" outcomes import "$SRC/tests/fixtures/world/outcomes.csv" --db "$STANDBY"
standby_refused "feeds add" feeds add http://127.0.0.1:9/feed.xml --db "$STANDBY"
standby_refused "fit" fit --db "$STANDBY"
RADAR_DB="$STANDBY" run follow add --club Arsenal
if [ "$RC" -eq 1 ] && grep -q "a read-only server" "$ERR"; then ok; else bad "follow add into RADAR_DB's standby is refused"; fi
"$RADAR" export --db "$STANDBY" --format csv >"$TMP/after.csv" 2>"$ERR"
if [ -s "$TMP/after.csv" ] && cmp -s "$TMP/before.csv" "$TMP/after.csv"; then ok; else bad "the refusals left the standby's store as it was"; fi
# the primary still takes the copy
run db copy --replace "$TMP/world.db" "$PRIMARY"
expect_rc "the primary takes writes" 0

finish
