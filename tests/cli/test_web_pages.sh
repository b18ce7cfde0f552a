#!/usr/bin/env bash
# End-to-end tests of pages and feeds read from files: the rumours `radar
# extract` finds in each fixture page (and feed item) are the ones it finds in
# the same article given as plain text (the expected body text), and
# `radar ingest` stores pages and feed items, reporting the bad item and
# keeping the rest. Needs RADAR, SRC and python3 (to compare JSON).
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"
WEB="$SRC/tests/fixtures/web"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-web.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 not found (scripts/install-deps installs it)"
    exit 1
fi

# rumours FILE: the rumours arrays of every article in a JSON Lines output, one per line.
rumours() {
    python3 -c 'import json,sys
for line in open(sys.argv[1]):
    print(json.dumps(json.loads(line)["rumours"], sort_keys=True))' "$1"
}

# same_rumours DESC WEBFILE: each article of WEBFILE against its expected text.
same_rumours() {
    local desc=$1 file=$2 k=0 date
    run extract --format json "$WEB/$file"
    cp "$OUT" "$TMP/web.jsonl"
    python3 -c 'import json,sys
for line in open(sys.argv[1]):
    print(json.loads(line)["date"] or "")' "$TMP/web.jsonl" >"$TMP/dates"
    rumours "$TMP/web.jsonl" >"$TMP/web.rumours"
    : >"$TMP/plain.rumours"
    while read -r date; do
        k=$((k + 1))
        # the expected text with the title the reader found: the title is read too (as features)
        python3 -c 'import json,sys
o = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]) - 1]
print(json.dumps({"id": "plain", "date": o["date"], "title": o.get("title"), "text": open(sys.argv[3], encoding="utf-8").read()}))' \
            "$TMP/web.jsonl" "$k" "$WEB/expected/$file.$k.txt" >"$TMP/plain-in.jsonl"
        "$RADAR" extract --format json "$TMP/plain-in.jsonl" >"$TMP/plain.jsonl"
        rumours "$TMP/plain.jsonl" >>"$TMP/plain.rumours"
    done <"$TMP/dates"
    if [ "$k" -gt 0 ] && cmp -s "$TMP/web.rumours" "$TMP/plain.rumours"; then ok; else
        bad "$desc: rumours differ from the plain-text article"
        diff "$TMP/web.rumours" "$TMP/plain.rumours" | head -10
    fi
}

same_rumours "JSON-LD page" jsonld-page.html
same_rumours "meta-only page" meta-page.html
same_rumours "malformed page" malformed-page.html
same_rumours "RSS feed" rss-feed.xml
same_rumours "Atom feed" atom-feed.xml
same_rumours "malformed feed" malformed-feed.xml

# The page and the project's own plain-text article of the same story.
run extract --format json "$WEB/jsonld-page.html"
rumours "$OUT" >"$TMP/a"
run extract --format json "$SRC/tests/fixtures/articles/2024-06-14-napoli-winger.txt"
rumours "$OUT" >"$TMP/b"
check "JSON-LD page: the same rumours as tests/fixtures/articles/2024-06-14-napoli-winger.txt" cmp -s "$TMP/a" "$TMP/b"

# Metadata in the JSON output.
run extract --format json "$WEB/jsonld-page.html"
expect_rc "page: exit status" 0
expect_out "page: date from JSON-LD" '"date": "2024-06-14"'
expect_out "page: outlet" '"source": "The Touchline Herald"'
expect_out "page: author" '"author": "Rosa Lindgren"'

# Malformed input: a clear message, the rest still read.
run extract --format text "$WEB/malformed-feed.xml"
expect_rc "malformed feed: exit status" 0
expect_err "malformed feed: file, line and item named" "malformed-feed.xml:12: malformed XML in item 2"
expect_count "malformed feed: all three items read" "== https://lakeside.example/" 3
run extract --format text "$WEB/rss-feed.xml"
expect_rc "feed with an empty item: exit status 1" 1
expect_err "feed with an empty item: the item named" "rss-feed.xml:26: item 3 (Empty teaser) has no text; skipped"
expect_count "feed with an empty item: the other items read" "== harbour-" 1

# Standard input is sniffed the same way.
run_in "$WEB/atom-feed.xml" extract --format text -
expect_count "Atom feed on standard input" "== urn:example:iberian-desk:" 2

# Ingest: pages and feed items into the store, twice (the second run changes nothing).
DB="$TMP/radar.db"
run ingest --db "$DB" "$WEB/jsonld-page.html" "$WEB/meta-page.html" "$WEB/atom-feed.xml" "$WEB/malformed-feed.xml"
expect_rc "ingest pages and feeds" 0
expect_err "ingest: counts" "radar: 7 new, 0 updated, 0 unchanged, 0 failed"
run ingest --db "$DB" "$WEB/jsonld-page.html" "$WEB/meta-page.html" "$WEB/atom-feed.xml" "$WEB/malformed-feed.xml"
expect_err "ingest again: nothing new" "radar: 0 new, 0 updated, 7 unchanged, 0 failed"
run stories --db "$DB" --player Meireles --json
expect_out "the page's story is on the board" '"to_club": "Napoli"'

# The same story syndicated by a second outlet: one more source, not one more origin.
page() { # page FILE OUTLET LEAD CREDIT
    {
        echo "<html><head><meta property=\"og:site_name\" content=\"$2\">"
        echo '<meta property="article:published_time" content="2024-08-11"></head><body><article>'
        [ -n "$3" ] && echo "<p>$3</p>"
        sed 's/^\(..*\)$/<p>\1<\/p>/' "$WEB/expected/rss-feed.xml.1.txt"
        [ -n "$4" ] && echo "<p>$4</p>"
        echo '</article></body></html>'
    } >"$1"
}
page "$TMP/holm-harbour.html" "Harbour City Sport" "" ""
page "$TMP/holm-lowlands.html" "Lowlands Football Daily" "Exclusive:" "This story first ran in Harbour City Sport."
DB2="$TMP/syndication.db"
run ingest --db "$DB2" "$TMP/holm-harbour.html" "$TMP/holm-lowlands.html"
expect_err "syndicated copies: both stored" "radar: 2 new"
run stories --db "$DB2" --player Holm --json
row=$(json_objects | grep -F '"to_club": "Feyenoord"')
case "$row" in
*'"sources": 2, "independent_sources": 1,'*) ok ;;
*) bad "syndicated copy: two sources, one independent ($row)" ;;
esac

finish
