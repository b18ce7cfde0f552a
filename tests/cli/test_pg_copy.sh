#!/usr/bin/env bash
# End-to-end tests of `radar db copy` against a real PostgreSQL server, started
# for the test by tests/pg/pg-server.sh in a temporary folder (a unix socket
# there, no TCP). Every test world is ingested into SQLite, copied SQLite ->
# PostgreSQL -> SQLite, and the two stores must give the same `radar export`
# byte for byte, hold the same rows (values and SQLite types), and go on alike
# when more articles arrive. Then the refusals and errors: a destination that
# holds a store, a source that is not one, a server that is not there (its
# message, no password shown).
# Needs RADAR and SRC, python3 with its sqlite3 module (the row comparison) and
# psql (looking inside PostgreSQL; it comes with the server packages): a
# missing one fails the run. Exits 77 (skipped) only when the PostgreSQL server
# packages are absent.
set -u
: "${SRC:?SRC must point at the source root}"
. "$SRC/tests/pg/lib.sh"
pg_need psql python3
if ! python3 -c 'import sqlite3' 2>/dev/null; then
    echo "FAIL: python3 with its sqlite3 module not found (scripts/install-deps installs it)"
    exit 1
fi
pg_start URI "the test server" start "$PGDIR"

# same_rows A B: every table of store A has the rows of store B (values and
# SQLite types), the full-text index's own tables aside, and the same schema
# version and application id.
same_rows() {
    python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
a, b = (sqlite3.connect(p) for p in sys.argv[1:3])
def tables(c):
    return sorted(r[0] for r in c.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'articles_fts%'"))
def rows(c, t):
    cols = [r[1] for r in c.execute(f'PRAGMA table_info("{t}")')]
    sel = ", ".join(f'"{x}", typeof("{x}")' for x in cols)
    return sorted(map(repr, c.execute(f'SELECT {sel} FROM "{t}"')))
ok = tables(a) == tables(b)
if not ok:
    print("tables differ:", tables(a), tables(b))
for t in tables(a):
    if rows(a, t) != rows(b, t):
        print("rows differ in", t)
        ok = False
for p in ("user_version", "application_id"):
    if a.execute(f"PRAGMA {p}").fetchone() != b.execute(f"PRAGMA {p}").fetchone():
        print(p, "differs")
        ok = False
sys.exit(0 if ok else 1)
EOF
}

# same_export DESC A B: the two stores export the same bytes, in both formats.
same_export() {
    local f
    for f in csv jsonl; do
        "$RADAR" export --db "$2" --format $f >"$TMP/export-a.$f" 2>"$ERR"
        "$RADAR" export --db "$3" --format $f >"$TMP/export-b.$f" 2>>"$ERR"
        if [ -s "$TMP/export-a.$f" ] && cmp -s "$TMP/export-a.$f" "$TMP/export-b.$f"; then ok; else
            bad "$1: export --format $f differs after the round trip"
            diff "$TMP/export-a.$f" "$TMP/export-b.$f" | head -5
        fi
    done
}

# ---- every world: SQLite -> PostgreSQL -> SQLite, the same export ----------------

# round_trip NAME ARTICLES [OUTCOMES]
round_trip() {
    local name=$1 articles=$2 outcomes=${3:-}
    local a="$TMP/$name.db" b="$TMP/$name-back.db"
    run ingest --quiet --db "$a" "$articles"
    expect_rc "$name: ingest" 0
    if [ -n "$outcomes" ]; then
        run outcomes import "$outcomes" --quiet --db "$a"
        expect_rc "$name: outcomes import" 0
    fi
    # one database for every world: each copy replaces the last
    run db copy --replace "$a" "$URI"
    expect_rc "$name: copy into PostgreSQL" 0
    expect_err_re "$name: the copy's summary" "copied [0-9]+ tables, [0-9]+ rows \(schema version [0-9]+\)"
    run db copy "$URI" "$b"
    expect_rc "$name: copy back into SQLite" 0
    same_export "$name" "$a" "$b"
    if same_rows "$a" "$b" >"$TMP/rows.txt" 2>&1; then ok; else
        RC=1
        bad "$name: the rows differ after the round trip: $(head -3 "$TMP/rows.txt")"
    fi
    # the questions read the copy as they read the original
    for q in stories sources; do
        "$RADAR" $q --db "$a" >"$TMP/q-a" 2>&1
        "$RADAR" $q --db "$b" >"$TMP/q-b" 2>&1
        if cmp -s "$TMP/q-a" "$TMP/q-b"; then ok; else bad "$name: radar $q differs after the round trip"; fi
    done
}

round_trip world "$SRC/tests/fixtures/world/articles.jsonl" "$SRC/tests/fixtures/world/outcomes.csv"
round_trip store "$SRC/tests/fixtures/store/articles"
round_trip articles "$SRC/tests/fixtures/articles"
round_trip examples "$SRC/examples/articles" "$SRC/examples/outcomes.csv"
# text COPY must escape: tabs, newlines, carriage returns, backslashes, \N as text
round_trip odd "$SRC/tests/fixtures/pg/odd-text.jsonl"

# a server whose defaults would round doubles (extra_float_digits = 0, as old
# clients set it), write bytea as escapes, or read backslashes in literals as
# escapes: the copy says what it needs for its own session
psql "$URI" -XAtq -c "ALTER DATABASE radar SET extra_float_digits = 0" \
    -c "ALTER DATABASE radar SET bytea_output = 'escape'" \
    -c "ALTER DATABASE radar SET standard_conforming_strings = off" >/dev/null 2>&1 ||
    bad "setting the database's defaults"
round_trip world-defaults "$SRC/tests/fixtures/world/articles.jsonl" "$SRC/tests/fixtures/world/outcomes.csv"
psql "$URI" -XAtq -c "ALTER DATABASE radar RESET ALL" >/dev/null 2>&1

# ---- the copy is a store radar goes on with ---------------------------------------

# the changed article and a new feed, into the original and into the copy:
# the same store again (ids continue where they were, the search index is whole)
for db in "$TMP/store.db" "$TMP/store-back.db"; do
    "$RADAR" ingest --quiet --db "$db" "$SRC/tests/fixtures/store/changed" "$SRC/tests/fixtures/world/articles.jsonl" \
        2>"$ERR" || bad "ingest into $db after the copy"
    "$RADAR" feeds add http://127.0.0.1:9/feed.xml --name quay --db "$db" >/dev/null 2>>"$ERR" ||
        bad "feeds add into $db after the copy"
done
same_export "ingest after the copy" "$TMP/store.db" "$TMP/store-back.db"
run search Rennie --db "$TMP/store-back.db"
expect_rc "search in the copy" 0
expect_out "search in the copy finds the article" "Rennie"
"$RADAR" search Rennie --db "$TMP/store.db" >"$TMP/search-a" 2>&1
if cmp -s "$TMP/search-a" "$OUT"; then ok; else bad "search gives the same hits in the copy"; fi

# the feeds table (and anything else) goes across too: SQLite -> PostgreSQL -> SQLite again
run db copy --replace "$TMP/store-back.db" "$URI"
expect_rc "copy a store with a feed" 0
run db copy "$URI" "$TMP/store-back2.db"
expect_rc "copy it back" 0
run feeds list --db "$TMP/store-back2.db"
expect_out "the feed came back" "quay"

# ---- inside PostgreSQL -------------------------------------------------------------

run db copy --replace "$TMP/world.db" "$URI"
pq() { psql "$URI" -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
got=$(pq "SELECT version FROM radar_schema")
want=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' \
    "$TMP/world.db" 2>/dev/null)
if [ -n "$got" ] && [ "$got" = "$want" ]; then ok; else bad "the schema version in PostgreSQL ($got, want $want)"; fi
got=$(pq "SELECT count(*) FROM articles WHERE articles_fts @@ plainto_tsquery('simple', 'Brentford')")
if [ "${got:-0}" -gt 0 ] 2>/dev/null; then ok; else bad "the tsvector column finds Brentford ($got)"; fi
got=$(pq "SELECT count(*) FROM pg_indexes WHERE tablename = 'articles' AND indexdef LIKE '%USING gin%'")
if [ "$got" = 1 ]; then ok; else bad "a GIN index on the articles ($got)"; fi
# an identity key goes on after the largest copied id
got=$(pq "INSERT INTO players(name, key, surname) VALUES ('A B', 'a b', 'b') RETURNING id = (SELECT max(id) + 0 FROM players WHERE name <> 'A B') + 1")
if [ "$got" = t ]; then ok; else bad "a new player's id follows the copied ones ($got)"; fi
# foreign keys hold there too
got=$(pq "INSERT INTO mentions(article, story, player, player_name, to_club) VALUES (999999, 1, 1, 'x', 'y')")
case $got in *foreign\ key*) ok ;; *) bad "a mention of a missing article is refused ($got)" ;; esac
# what was written there is not the store's: the copy again
run db copy --replace "$TMP/world.db" "$URI"
expect_rc "copy again" 0

# ---- refusals and errors -------------------------------------------------------------

# a destination holding a store is refused, and left as it was
run db copy "$TMP/store.db" "$URI"
expect_rc "copy into a PostgreSQL store" 1
expect_err "the refusal says why" "not empty"
expect_err "the refusal says how" "--replace"
run db copy "$URI" "$TMP/store-back.db"
expect_rc "copy into an SQLite store" 1
expect_err "the refusal says why" "not empty"
"$RADAR" export --db "$TMP/store-back.db" --format csv >"$TMP/after" 2>/dev/null
"$RADAR" export --db "$TMP/store.db" --format csv >"$TMP/before" 2>/dev/null
if cmp -s "$TMP/before" "$TMP/after"; then ok; else bad "a refused copy leaves the destination as it was"; fi
ls "$TMP" | grep -q '\.copy-' && bad "a refused copy leaves no file beside the destination" || ok

# --replace over an SQLite store: the copy's export, not the old one's
run db copy --replace "$URI" "$TMP/store-back.db"
expect_rc "copy --replace into an SQLite store" 0
"$RADAR" export --db "$TMP/store-back.db" --format csv >"$TMP/after" 2>/dev/null
"$RADAR" export --db "$TMP/world.db" --format csv >"$TMP/before" 2>/dev/null
if cmp -s "$TMP/before" "$TMP/after"; then ok; else bad "--replace gives the source's store"; fi

# not a store, and the same store twice
printf 'plain text\n' >"$TMP/notes.txt"
run db copy "$TMP/notes.txt" "$TMP/x.db"
expect_rc "copy of a file that is not a database" 1
[ -e "$TMP/x.db" ] && bad "no destination made from a bad source" || ok
run db copy "$TMP/missing.db" "$TMP/x.db"
expect_rc "copy of a missing store" 1
expect_err "a missing source named" "missing.db"
run db copy "$TMP/world.db" "$TMP/world.db"
expect_rc "copy onto itself" 1
expect_err "copy onto itself says so" "same store"
run db copy "$TMP/world.db"
expect_rc "copy without a destination" 2
# the same PostgreSQL store spelt two ways (it would drop what it reads)
run db copy --replace "$URI" "$URI&application_name=radar-copy"
expect_rc "copy of a PostgreSQL store onto itself" 1
expect_err "onto itself says so" "same store"

# an empty PostgreSQL database is no store to copy from
psql "$URI" -XAtq -c "CREATE SCHEMA empty" >/dev/null 2>&1
run db copy "$URI&options=-csearch_path%3Dempty" "$TMP/y.db"
expect_rc "copy of an empty PostgreSQL database" 1
expect_err "an empty database says so" "no Transfer Radar store"
# a store kept in another schema (search_path): copied there and back
run db copy "$TMP/world.db" "$URI&options=-csearch_path%3Dempty"
expect_rc "copy into a schema of its own" 0
run db copy "$URI&options=-csearch_path%3Dempty" "$TMP/world-schema.db"
expect_rc "copy back from that schema" 0
same_export "a store in its own schema" "$TMP/world.db" "$TMP/world-schema.db"

# a row PostgreSQL refuses (text in an INTEGER column, which SQLite keeps):
# the server's message, and the destination's store as it was (one transaction)
python3 - "$TMP/odd.db" "$TMP/bad-row.db" "$TMP/view.db" <<'EOF2'
import shutil, sqlite3, sys
shutil.copy(sys.argv[1], sys.argv[2])
c = sqlite3.connect(sys.argv[2])
c.execute("INSERT INTO meta VALUES ('a number', 'not a number')")
c.commit()
shutil.copy(sys.argv[1], sys.argv[3])
c = sqlite3.connect(sys.argv[3])
c.execute("CREATE VIEW boards AS SELECT * FROM stories")
c.commit()
for name, sql in (("nocase", "CREATE TABLE extra_rows(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE UNIQUE)"),
                  ("check", "CREATE TABLE extra_rows(id INTEGER PRIMARY KEY, n INTEGER CHECK (n > 0))"),
                  ("autoinc", "CREATE TABLE extra_rows(id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)"),
                  ("ixnocase", "CREATE INDEX players_nocase ON players(name COLLATE NOCASE)")):
    path = sys.argv[1].replace("odd.db", name + ".db")
    shutil.copy(sys.argv[1], path)
    c = sqlite3.connect(path)
    c.execute(sql)
    c.commit()
EOF2
run db copy --replace "$TMP/bad-row.db" "$URI"
expect_rc "a row PostgreSQL refuses" 1
expect_err "the server's message" "invalid input syntax for type bigint"
run db copy "$URI" "$TMP/after-bad.db"
expect_rc "the store before the failed copy is still there" 0
same_export "a failed copy leaves the destination" "$TMP/world.db" "$TMP/after-bad.db"
run db copy "$TMP/view.db" "$TMP/view-copy.db"
expect_rc "a store with a view" 1
expect_err "a view is not carried, and that is said" "view (boards)"
[ -e "$TMP/view-copy.db" ] && bad "no destination made from a refused source" || ok
# what a table or index says that the copy would lose is refused by name, not dropped
for w in nocase:COLLATE check:CHECK autoinc:AUTOINCREMENT ixnocase:NOCASE; do
    run db copy "$TMP/${w%%:*}.db" "$TMP/refused.db"
    expect_rc "a store whose schema says ${w#*:}" 1
    expect_err "${w#*:} is named" "${w#*:}"
    expect_err "${w#*:}: not carried" "does not carry"
done

# no server there: libpq's message, the password not shown, nothing else printed
run db copy "$TMP/world.db" "postgresql://radar:s3cr3t@/radar?host=$TMP/nowhere"
expect_rc "copy to a server that is not there" 1
expect_err "the connection error is PostgreSQL's" "PostgreSQL: cannot connect"
expect_err "the socket is named" "$TMP/nowhere"
expect_no_err "the password is not shown" "s3cr3t"
expect_out_empty "nothing on stdout" x
if [ "$(wc -l <"$ERR")" -eq 1 ]; then ok; else bad "one line of error ($(wc -l <"$ERR"))"; fi

# a command that writes and the questions connect, here as a role the server
# does not know, and say what the server said; none takes the URI for a path
# (no folder "postgresql:" made)
mkdir "$TMP/cwd"
for cmd in "ingest $SRC/tests/fixtures/world/articles.jsonl" "stories" "export --format csv"; do
    (cd "$TMP/cwd" && "$RADAR" $cmd --db "postgresql://radar:s3cr3t@/radar?host=$PGDIR") >"$OUT" 2>"$ERR"
    RC=$?
    expect_rc "radar ${cmd%% *} as an unknown role" 1
    expect_err "radar ${cmd%% *} gives the server's message" 'role "radar" does not exist'
    expect_no_err "radar ${cmd%% *}: no password shown" "s3cr3t"
done
RADAR_DB="postgresql:///nowhere?host=$PGDIR&user=$(sed -n 's/.*user=\([^&]*\).*/\1/p' <<<"$URI")" "$RADAR" stories \
    >"$OUT" 2>"$ERR"
RC=$?
expect_rc "RADAR_DB naming a database that is not there" 1
expect_err "RADAR_DB: the server's message" 'database "nowhere" does not exist'
if [ -z "$(ls -A "$TMP/cwd")" ] && [ ! -e "postgresql:" ]; then ok; else bad "a URI taken for a path made a folder"; fi

# the PG* variables fill in what the URI leaves out
PGHOST="$PGDIR" PGUSER="$(sed -n 's/.*user=\([^&]*\).*/\1/p' <<<"$URI")" PGDATABASE=radar \
    "$RADAR" db copy postgresql:// "$TMP/from-env.db" >"$OUT" 2>"$ERR"
RC=$?
expect_rc "copy from postgresql:// with PGHOST, PGUSER, PGDATABASE" 0
same_export "the store named by PG* variables" "$TMP/world.db" "$TMP/from-env.db"

finish
