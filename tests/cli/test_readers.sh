#!/usr/bin/env bash
# End-to-end tests of the article readers against hostile or odd input: an
# entity bomb in a feed (refused quickly, memory bounded), U+0000 inside JSON
# strings, a byte order mark before JSON Lines, fields over their limit, the
# accepted years of a date, and summaries that count each item once.
# Needs RADAR and python3 (to write the inputs).
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-readers.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 not found (scripts/install-deps installs it)"
    exit 1
fi

# limited CMD...: run CMD with at most 1 GB of address space when the binary
# starts under that limit (a sanitizer build reserves terabytes: no limit then),
# and at most 60 s.
limited() {
    if (ulimit -v 1000000 && "$RADAR" --help) >/dev/null 2>&1; then
        (ulimit -v 1000000 && timeout 60 "$@")
    else
        timeout 60 "$@"
    fi
}

# --- entity amplification ------------------------------------------------------------
# 200 KB: one entity of 50,000 characters referenced 50,000 times, that is 2.5 GB
# of text once expanded
python3 - "$TMP/bomb.xml" <<'PY'
import sys
items = "".join("<item><title>Item %d</title><description>%s</description></item>" % (i, "&e;" * 1000)
                for i in range(50))
open(sys.argv[1], "w").write('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e "%s">]>\n'
                             '<rss version="2.0"><channel><title>Bomb</title>\n%s\n</channel></rss>\n'
                             % ("A" * 50000, items))
PY
start=$(date +%s)
"$RADAR" --help >/dev/null
limited "$RADAR" extract "$TMP/bomb.xml" >"$OUT" 2>"$ERR"
RC=$?
elapsed=$(($(date +%s) - start))
expect_rc "entity bomb: a failed item" 1
expect_err "entity bomb: refused, naming the file, the item and the limit" \
    "bomb.xml:4: item 1 (Item 0): text over the 16 MiB limit per document once its entity references are expanded"
expect_err "entity bomb: the whole feed refused" "feed skipped"
check "entity bomb: refused quickly ($elapsed s)" test "$elapsed" -le 10
expect_out_empty "entity bomb: nothing extracted"

# the same in an attribute value and in Atom xhtml content
python3 - "$TMP" <<'PY'
import sys
ent = "B" * 50000
head = '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY e "%s">]>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>\n' % ent
div = '<div xmlns="http://www.w3.org/1999/xhtml"%s><p>%s</p></div>'
open(sys.argv[1] + "/attr.xml", "w").write(head + '<entry><title>In a class</title><content type="xhtml">' +
    div % (' class="%s"' % ("&e;" * 3000), "Lazio want the Genoa keeper.") + '</content></entry></feed>\n')
open(sys.argv[1] + "/xhtml.xml", "w").write(head + '<entry><title>In the text</title><content type="xhtml">' +
    div % ("", "&e;" * 3000) + '</content></entry></feed>\n')
# entities nested a billion deep: each reference costs, even to nothing
lol = '<!ENTITY l0 "x">' + "".join('<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 10))
open(sys.argv[1] + "/laughs.xml", "w").write('<?xml version="1.0"?>\n<!DOCTYPE rss [%s]>\n<rss version="2.0"><channel>'
    '<title>Laughs</title><item><title>Lol</title><description>&l9;</description></item></channel></rss>\n' % lol)
PY
limited "$RADAR" extract "$TMP/attr.xml" >"$OUT" 2>"$ERR"
RC=$?
expect_rc "entities in an attribute: a failed item" 1
expect_err "entities in an attribute: refused" "attr.xml:4: item 1 (In a class): text over the 16 MiB limit"
limited "$RADAR" extract "$TMP/xhtml.xml" >"$OUT" 2>"$ERR"
RC=$?
expect_rc "entities in xhtml content: a failed item" 1
expect_err "entities in xhtml content: refused" "xhtml.xml:4: item 1 (In the text): text over the 16 MiB limit"
limited "$RADAR" extract "$TMP/laughs.xml" >"$OUT" 2>"$ERR"
RC=$?
expect_rc "nested entities: a failed item" 1
expect_err_re "nested entities: refused or reported" "laughs.xml:[0-9]+: (item 1 \(Lol\): text over the 16 MiB limit|.*entity)"

# a few small entities are read as before
cat >"$TMP/entities.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY club "Rosenborg"><!ENTITY rbk "&club; BK">]>
<rss version="2.0"><channel><title>&club; Daily</title>
<item><title>&rbk; sell</title><guid>rbk-1</guid>
<description>Ajax have made a bid for &rbk; striker Mikkel Strand, according to De Telegraaf.</description></item>
</channel></rss>
XML
run extract "$TMP/entities.xml"
expect_rc "small entities: read" 0
expect_out "small entities: expanded in the text" '"player": "Mikkel Strand"'
expect_out "small entities: expanded in the feed title" '"source": "Rosenborg Daily"'

# --- U+0000 inside JSON strings --------------------------------------------------------
cat >"$TMP/nul.jsonl" <<'EOF2'
{"id":"b\u0000one","date":"2024-07-01","text":"Inter have made a bid for Torino striker Luca Ferri."}
{"id":"b\u0000two","date":"2024-07-01","text":"Milan have made a bid for Genoa keeper Marco Conti."}
{"id":"c","date":"2024-07-01","text":"Roma want \u0000 the Lazio winger."}
{"id":"d","date":"2024-07-01","text":"Napoli have made a bid for Lecce striker Paolo Greco.","x":"fine\u0000"}
EOF2
run extract "$TMP/nul.jsonl"
expect_rc "NUL in JSON: failed items" 1
expect_err "NUL in an id: refused with file and line" 'nul.jsonl:1: "id" holds U+0000'
expect_err "NUL in the second id: refused too" 'nul.jsonl:2: "id" holds U+0000'
expect_err "NUL in the text: refused" 'nul.jsonl:3: "text" holds U+0000'
expect_no_out "no id cut at the NUL" '"id": "b"'
expect_out "a field we do not read may hold one" '"id": "d"'
expect_err "NUL in JSON: the summary" "3 items failed; 1 article extracted"

# --- a byte order mark before JSON Lines ------------------------------------------------
printf '\xef\xbb\xbf{"id":"bom-1","date":"2024-07-01","text":"Inter have made a bid for Torino striker Luca Ferri."}\n{"id":"bom-2","text":"Second line."}\n' >"$TMP/bom.jsonl"
run extract "$TMP/bom.jsonl"
expect_rc "BOM: read" 0
expect_out "BOM: the first line read" '"id": "bom-1"'
expect_out "BOM: the second line read" '"id": "bom-2"'
expect_err_empty "BOM: no complaint"

# --- fields over their limit --------------------------------------------------------------
python3 - "$TMP/long.jsonl" <<'PY'
import json, sys
long = "x" * 5000
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "long-title", "title": long, "source": long, "url": long,
                        "text": "Inter have made a bid for Torino striker Luca Ferri."}) + "\n")
    f.write(json.dumps({"id": long, "text": "Milan have made a bid for Genoa keeper Marco Conti."}) + "\n")
PY
run extract "$TMP/long.jsonl"
expect_rc "long fields: the articles kept" 0
expect_lines "long fields: both articles" 2
expect_out "long fields: the article keeps its id" '"id": "long-title"'
expect_err 'long title: reported with file, line, field and limit' \
    'long.jsonl:1: "title" of 5000 bytes is over the 4096-byte field limit; title left out'
expect_err 'long source: reported' 'long.jsonl:1: "source" of 5000 bytes is over the 4096-byte field limit'
expect_err 'long url: reported' 'long.jsonl:1: "url" of 5000 bytes is over the 4096-byte field limit'
expect_err 'long id: reported, and what stands in' \
    'long.jsonl:2: "id" of 5000 bytes is over the 4096-byte field limit; the article'"'"'s id is made from its text instead'

# a feed item's or a page's field over the limit: cut, and said so
python3 - "$TMP" <<'PY'
import sys
long = "y" * 5000
open(sys.argv[1] + "/long-feed.xml", "w").write(
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Long</title>\n'
    '<item><title>%s</title><guid>%s</guid>\n'
    '<description>Ajax have made a bid for Rosenborg striker Mikkel Strand, according to De Telegraaf.</description>'
    '</item></channel></rss>\n' % (long, "g" * 5000))
open(sys.argv[1] + "/long-page.html", "w").write(
    '<html><head><meta property="og:title" content="%s"></head><body><article><p>Ajax have made a bid for '
    'Rosenborg striker Mikkel Strand, according to De Telegraaf, and talks go on.</p></article></body></html>\n' % long)
PY
run extract "$TMP/long-feed.xml"
expect_rc "long feed fields: the item kept" 0
expect_lines "long feed fields: one article" 1
expect_err "long feed fields: reported with item, field and limit" \
    "long-feed.xml:3: item 1 (yyyy"
expect_err "long feed fields: which field" "its id of 5000 bytes is over the 4096-byte field limit; cut to it"
run extract "$TMP/long-page.html"
expect_rc "long page title: the page kept" 0
expect_err "long page title: reported" "long-page.html: the page's title of 5000 bytes is over the 4096-byte field limit; cut to it"

# --- dates: the accepted years --------------------------------------------------------------
printf '{"id":"old","date":"1799-12-31","text":"Inter want a striker."}\n' >"$TMP/old.jsonl"
run extract "$TMP/old.jsonl"
expect_err "a date out of range: the years accepted" \
    "old.jsonl:1: malformed date '1799-12-31' (expected a real date YYYY-MM-DD with a year from 1800 to 2200)"
printf 'date 2201-01-01\nInter want a striker.\n' >"$TMP/future.txt"
run extract "$TMP/future.txt"
expect_err "dated text: the years accepted" "with a year from 1800 to 2200"
run extract --date 1700-01-01 "$TMP/future.txt"
expect_rc "--date out of range: usage" 2
expect_err "--date out of range: the years accepted" "with a year from 1800 to 2200"

# --- one input item: failed or extracted, never both -------------------------------------------
# 4.4 million tokens: read, but over the extractor's token limit
python3 -c 'import sys; open(sys.argv[1], "w").write("date 2024-07-01\n" + "a," * 2200000)' "$TMP/tokens.txt"
for jobs in 1 2; do
    run extract --jobs "$jobs" "$TMP/tokens.txt"
    expect_rc "one failing article (--jobs $jobs): exit status 1" 1
    expect_err "one failing article (--jobs $jobs): why" "tokens.txt:1: article tokens could not be extracted"
    expect_err "one failing article (--jobs $jobs): counted once" "radar: 1 item failed; 0 articles extracted"
done

finish
