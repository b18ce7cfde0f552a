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
    echo "SKIP: python3 not found"
    exit 77
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

finish
