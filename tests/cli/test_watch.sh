#!/usr/bin/env bash
# End-to-end tests of `radar feeds` and `radar watch` against a local HTTP
# server on 127.0.0.1 (tests/cli/feed_server.py, started here) serving our own
# feeds and pages: RSS with full text, Atom, summaries whose pages are fetched
# (a JSON-LD page, a meta-only page, a malformed page), a feed that changes
# between polls, 304 Not Modified, a redirect, a redirect loop, a slow server
# (timeout), 50 MB responses with and without Content-Length (refused), a gzip
# bomb (refused on its decoded size), a 404,
# malformed XML (named, the rest still stored), back-off, and Ctrl-C.
# Needs RADAR, SRC and python3. No network but 127.0.0.1.
set -u
: "${SRC:?SRC must point at the source root}"
FEED_SITE=watch
. "$SRC/tests/cli/feed_site.sh"
WEB="$SRC/tests/fixtures/web"
mkdir -p "$WWW/pages"

# --- the site -------------------------------------------------------------------
# full text in content:encoded, a summary whose page is fetched, and an empty item
sed "s#https://harbour.example/#$BASE/pages/#" "$WEB/rss-feed.xml" >"$WWW/rss.xml"
cat >"$WWW/pages/ajax-strand" <<'HTML'
<html><head><meta property="article:published_time" content="2024-08-10"></head><body><article>
<p>Ajax have sent scouts to watch Rosenborg forward Mikkel Strand, 18, according to De Telegraaf, and could move in
the winter if his club lower their price.</p></article></body></html>
HTML
cp "$WEB/jsonld-page.html" "$WEB/meta-page.html" "$WEB/malformed-page.html" "$WWW/pages/"
sed "s#https://iberian.example/#$BASE/pages/#" "$WEB/atom-feed.xml" >"$WWW/atom.xml"
cat >"$WWW/pages/betis-amaral" <<'HTML'
<html><head><meta property="og:site_name" content="Iberian Transfer Desk"></head>
<body><article><p>Real Betis are interested in Porto right-back Vasco Amaral, Record reports, and could make an offer
before the end of the month if they sell one of their own full-backs first.</p></article></body></html>
HTML
# summaries only: the pages are fetched
cat >"$WWW/pages-feed.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Page Linker</title>
<item><title>Villa bid</title><link>$BASE/pages/meta-page.html</link><description>Villa want Lindqvist.</description></item>
<item><title>Napoli offer</title><link>$BASE/pages/jsonld-page.html</link><guid>napoli-meireles</guid><description>Napoli bid.</description></item>
<item><title>Celtic deal</title><link>$BASE/pages/malformed-page.html</link><description>Celtic agree a fee.</description></item>
<item><title>Relative</title><link>pages/relative.html</link><description>Nice bid.</description></item>
<item><title>Latin-1</title><link>$BASE/pages/olivera.latin1.html</link><description>Sevilla.</description></item>
</channel></rss>
XML
# ISO-8859-1 bytes, declared only by the server's Content-Type
printf '<html><body><main><p>Sevilla have agreed a fee with Pe\361arol for striker Nicol\341s Olivera, the club confirmed.</p></main></body></html>\n' \
    >"$WWW/pages/olivera.latin1.html"
cat >"$WWW/pages/relative.html" <<'HTML'
<html><body><main><p>Nice have made a bid for Toulouse defender Mathis Girard, according to Nice-Matin.</p></main></body></html>
HTML
# malformed XML in its second item; the pages of its items are local
sed "s#https://lakeside.example/#$BASE/pages/#" "$WEB/malformed-feed.xml" >"$WWW/malformed.xml"
for p in basel-gruber kovac lugano-tavares; do
    printf '<html><body><article><p>%s</p></article></body></html>\n' \
        "$(grep -A3 "pages/$p<" "$WWW/malformed.xml" | grep -o '<description>.*</description>' | sed 's/<[^>]*>//g')" \
        >"$WWW/pages/$p"
done
# XML cut short before its first item is whole: a broken feed, not a good poll
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut</title><item><title>a</tit' >"$WWW/broken.xml"
# a feed that changes between polls
changing_feed() {
    {
        echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Changing Wire</title>'
        for item in "$@"; do
            echo "<item><guid>$item</guid><title>$item</title><link>$BASE/pages/$item.html</link>"
            echo "<description>Partial.</description></item>"
        done
        echo '</channel></rss>'
    } >"$WWW/changing.xml"
}
cat >"$WWW/pages/first.html" <<'HTML'
<html><body><main><p>Monaco have opened talks with Lille over midfielder Yanis Perrin, according to L'Equipe.</p></main></body></html>
HTML
cat >"$WWW/pages/second.html" <<'HTML'
<html><body><main><p>Marseille have made a bid for Rennes striker Hugo Lemaire, according to RMC Sport.</p></main></body></html>
HTML
changing_feed first

# --- feeds add / list / remove ----------------------------------------------------
run feeds add --db "$DB" "$BASE/rss.xml" --name harbour
expect_rc "feeds add" 0
expect_out "feeds add: says so" "added $BASE/rss.xml as 'harbour'"
run feeds add --db "$DB" "$BASE/rss.xml"
expect_rc "feeds add twice: refused" 1
expect_err "feeds add twice: says why" "subscribed already"
run feeds add --db "$DB" "file:///etc/passwd"
expect_rc "feeds add: only http(s)" 1
run feeds add --db "$DB" "$BASE/unused.xml" --name spare
run feeds remove --db "$DB" spare
expect_rc "feeds remove by name" 0
run feeds remove --db "$DB" spare
expect_rc "feeds remove: unknown" 1
expect_err "feeds remove: unknown named" "no feed with the address or name 'spare'"
run feeds add
expect_rc "feeds add without URL: usage" 2
for f in atom.xml pages-feed.xml malformed.xml changing.xml redirect/atom.xml missing.xml loop slow/rss.xml \
    broken.xml; do
    "$RADAR" feeds add --db "$DB" "$BASE/$f" >/dev/null || bad "feeds add $f"
done
run feeds list --db "$DB"
expect_out "feeds list: the name" "harbour  $BASE/rss.xml"
expect_out "feeds list: not read yet" "not read yet"

# --- the first poll ---------------------------------------------------------------
start=$(date +%s)
run watch --db "$DB" --once --timeout 1s --allow-private
elapsed=$(($(date +%s) - start))
cp "$OUT" "$TMP/poll1.out"
cp "$ERR" "$TMP/poll1.err"
expect_rc "first poll: exit status 1 (some feeds failed)" 1
check "first poll: the slow server timed out quickly ($elapsed s)" test "$elapsed" -le 8
expect_out "RSS: full text stored from the feed" "harbour: stored $BASE/pages/feyenoord-holm"
expect_out "RSS: the summary's page fetched and stored" "harbour: stored $BASE/pages/ajax-strand (2024-08-10"
expect_err "RSS: the empty item named" "rss.xml:26: item 3 (Empty teaser) has no text"
expect_out "Atom: full text stored" "stored $BASE/pages/valencia-olivera"
expect_out "Atom: the summary's page fetched and stored" "stored $BASE/pages/betis-amaral"
expect_out "meta-only page stored" "stored $BASE/pages/meta-page.html (2024-07-02: Aston Villa prepare bid"
expect_out "JSON-LD page stored" "stored $BASE/pages/jsonld-page.html (2024-06-14: Napoli table offer"
expect_out "a relative link: resolved against the feed" "stored $BASE/pages/relative.html"
expect_out "malformed page stored" "stored $BASE/pages/malformed-page.html (2024-01-20"
expect_err "malformed page: named with its line" "$BASE/pages/malformed-page.html:9: malformed HTML"
expect_err "malformed XML: file, line and item named" "malformed.xml:12: malformed XML in item 2"
expect_out "malformed XML: the items around it stored" "stored $BASE/pages/lugano-tavares"
expect_out "malformed XML: the broken item stored too" "stored $BASE/pages/kovac"
expect_out "changing feed: its first item" "stored $BASE/pages/first.html"
expect_out "redirect: followed" "$BASE/redirect/atom.xml: 2 items, 0 stored, 2 known already"
expect_err "404: reported" "radar: $BASE/missing.xml: the server answered HTTP 404"
expect_err "redirect loop: reported" "$BASE/loop: more than 5 redirects"
expect_err "slow server: timed out" "$BASE/slow/rss.xml: no complete answer within 1 s (timed out)"

# the 50 MB answers in a store of their own, with time to reach the limit:
# under a 1 s timeout a loaded machine times out before 10 MiB arrive
HUGE_DB="$TMP/huge.db"
for f in huge-declared huge-chunked; do
    "$RADAR" feeds add --db "$HUGE_DB" "$BASE/$f" >/dev/null || bad "feeds add $f"
done
run watch --db "$HUGE_DB" --once --timeout 60s --allow-private
expect_err "50 MB with Content-Length: refused" "$BASE/huge-declared: response over the 10 MiB limit; refused"
expect_err "50 MB chunked: refused" "$BASE/huge-chunked: response over the 10 MiB limit; refused"
# back to the first poll's output for the checks below
POLL1_RC=1
cp "$TMP/poll1.out" "$OUT"
cp "$TMP/poll1.err" "$ERR"
RC=$POLL1_RC
expect_err "a failed feed: retried later" "trying again in 60 s (failed poll 1)"
expect_err "unreadable XML: named with its line" "radar: warning: $BASE/broken.xml: $BASE/broken.xml:2: malformed XML in item 1"
expect_err "unreadable XML: the item's failure" "$BASE/broken.xml:2: item 1 (a) has no text; skipped"
expect_err "unreadable XML: a failing feed, tried again later" "$BASE/broken.xml: no readable item (above); trying again in 60 s"
if [ "$(grep -c 'item 1 (a) has no text' "$ERR")" = 1 ]; then ok; else bad "unreadable XML: the item's failure said more than once"; fi
expect_err "summary" "radar: 6 feeds read, 0 unchanged, 4 failed"
run search --db "$DB" Olivera --json
expect_out "a page in the server's charset (ISO-8859-1) read as such" "Peñarol"
run stories --db "$DB" --player Lindqvist --json
expect_out "the meta page's rumours are on the board" '"to_club": "Aston Villa"'
expect_out_re "watched stories are scored" '"likelihood": 0\.[0-9]+'
run search --db "$DB" Meireles --json
expect_out "the JSON-LD page stored under the item's guid" '"article": "napoli-meireles"'
expect_out "with the page's outlet" '"source": "The Touchline Herald"'
run feeds list --db "$DB" --json
expect_out "feeds list --json: the ETag kept" '"etag": "\"'
expect_out "feeds list --json: failures counted" '"failures": 1'

# --- the second poll: 304, nothing fetched again, back-off ---------------------------
: >"$TMP/requests"
run watch --db "$DB" --once --timeout 1s --allow-private
expect_rc "second poll: nothing failed (failing feeds wait)" 0
expect_out "304: harbour" "harbour: not modified since the last poll"
expect_out "304: atom" "$BASE/atom.xml: not modified since the last poll"
expect_out "back-off: the failed feed waits" "$BASE/missing.xml: waiting"
check "back-off: the failing feeds not asked again" test "$(requests /missing.xml)" -eq 0
check "no page fetched again" test "$(grep -c '^/pages/' "$TMP/requests")" -eq 0

# --- a failing feed tried again after its wait, and well again ----------------------------
cp "$WWW/changing.xml" "$WWW/missing.xml"
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE feeds SET next_poll = 0 WHERE url LIKE ?", ("%/missing.xml",))
db.commit()' "$DB"
run watch --db "$DB" --once --timeout 1s --allow-private
expect_out "after the wait: the feed is read" "$BASE/missing.xml: 1 item, 0 stored, 1 known already"
run feeds list --db "$DB" --json
check "after the wait: failures back to 0" test "$(json_objects | grep -F '/missing.xml"' | grep -c '"failures": 0')" -eq 1

# --- a feed that changes between polls -------------------------------------------------
changing_feed second first
: >"$TMP/requests"
run watch --db "$DB" --once --timeout 1s --allow-private
expect_out "changed feed: the new item stored" "stored $BASE/pages/second.html"
expect_out "changed feed: counts" "$BASE/changing.xml: 2 items, 1 stored, 1 known already"
check "changed feed: the old item's page not fetched again" test "$(requests /pages/first.html)" -eq 0
check "changed feed: the new page fetched once" test "$(requests /pages/second.html)" -eq 1

# --- Ctrl-C between articles ---------------------------------------------------------------
DB2="$TMP/stop.db"
cat >"$WWW/slowpages.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Pages</title>
<item><guid>a</guid><link>$BASE/slow/pages/first.html</link><description>x</description></item>
<item><guid>b</guid><link>$BASE/slow/pages/second.html</link><description>y</description></item>
</channel></rss>
XML
"$RADAR" feeds add --db "$DB2" "$BASE/rss.xml" >/dev/null
"$RADAR" feeds add --db "$DB2" "$BASE/slowpages.xml" >/dev/null
"$RADAR" watch --db "$DB2" --interval 1h --timeout 10s --allow-private >"$OUT" 2>"$ERR" &
pid=$!
for _ in $(seq 50); do grep -q "/slow/pages/first.html" "$TMP/requests" && break; sleep 0.1; done
start=$(date +%s)
kill -INT "$pid"
wait "$pid"
RC=$?
elapsed=$(($(date +%s) - start))
check "Ctrl-C: stops at once ($elapsed s)" test "$elapsed" -le 2
expect_err "Ctrl-C: says so" "radar: stopped; every article stored so far is kept"
expect_out "Ctrl-C: what was stored before stays" "stored $BASE/pages/feyenoord-holm"
run search --db "$DB2" Feyenoord --json
expect_out "Ctrl-C: the database is whole" '"article": "harbour-2024-0811"'
run watch --db "$DB2" --once --timeout 10s --allow-private
expect_out "after Ctrl-C: the rest is read next time" "2 items, 2 stored, 0 known already"

# --- a gzip bomb: the limit is on the decoded size, and the message says so ------------------
DB3="$TMP/gzip.db"
"$RADAR" feeds add --db "$DB3" "$BASE/gzip-bomb" >/dev/null
run watch --db "$DB3" --once --timeout 10s
expect_rc "gzip bomb: a failed feed" 1
expect_err_re "gzip bomb: refused on its decoded size" \
    "$BASE/gzip-bomb: response over the 10 MiB limit once decompressed \(1[0-9]{7} bytes decoded when refused, from [0-9]{4,6} bytes as sent\)"
expect_no_err "gzip bomb: the compressed size is not called the response's size" "response of "

# --- item pages on private addresses -------------------------------------------------------
# A feed may be anywhere its subscriber says (this one is on 127.0.0.1), but
# the pages its items link to are fetched from no loopback, private or
# link-local address, however the link writes it, unless --allow-private.
PORT=$(cat "$TMP/port")
DB3="$TMP/inside.db"
for x in a b c d e; do
    printf '<html><body><article><p>Brighton have made a bid for Molde midfielder Eirik Innvik%s, 20, according to VG.</p></article></body></html>\n' "$x" \
        >"$WWW/pages/inside-$x.html"
done
cat >"$WWW/inside.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Inside Links</title>
<item><guid>in-literal</guid><link>http://127.0.0.1:$PORT/pages/inside-a.html</link><description>a</description></item>
<item><guid>in-name</guid><link>http://localhost:$PORT/pages/inside-b.html</link><description>b</description></item>
<item><guid>in-mapped</guid><link>http://[::ffff:127.0.0.1]:$PORT/pages/inside-c.html</link><description>c</description></item>
<item><guid>in-number</guid><link>http://2130706433:$PORT/pages/inside-d.html</link><description>d</description></item>
<item><guid>in-redirect</guid><link>$BASE/redirect/pages/inside-e.html</link><description>e</description></item>
</channel></rss>
XML
"$RADAR" feeds add --db "$DB3" "$BASE/inside.xml" >/dev/null || bad "feeds add inside.xml"
: >"$TMP/requests"
run watch --db "$DB3" --once --timeout 5s
expect_rc "private item pages: not fetched by default (exit status 1)" 1
check "private item pages: the feed itself was read" test "$(requests /inside.xml)" -eq 1
check "private item pages: no page asked for" test "$(grep -c 'inside-' "$TMP/requests")" -eq 0
for item in in-literal in-name in-mapped in-number in-redirect; do
    expect_err_re "private item pages: $item refused, said per item" \
        "radar: $BASE/inside.xml: item $item: .* is a loopback, private or link-local address; not fetched \(radar watch --allow-private"
done
expect_err "private item pages: the address named" "http://127.0.0.1:$PORT/pages/inside-a.html: 127.0.0.1 is a loopback"
expect_err "private item pages: an IPv4-mapped IPv6 address too" "::ffff:127.0.0.1 is a loopback"
expect_out "private item pages: counted" "$BASE/inside.xml: 5 items, 0 stored, 0 known already, failures above"
run search --db "$DB3" Innvika --json
expect_out "private item pages: nothing stored" '"hits": []'
: >"$TMP/requests"
run watch --db "$DB3" --once --timeout 5s --allow-private
expect_rc "private item pages with --allow-private: read" 0
check "--allow-private: the feed read again (not a 304)" test "$(requests /inside.xml)" -eq 1
expect_out "--allow-private: the literal address stored" "stored http://127.0.0.1:$PORT/pages/inside-a.html"
expect_out "--allow-private: a name that resolves inside stored" "stored http://localhost:$PORT/pages/inside-b.html"
expect_out "--allow-private: all five stored" "$BASE/inside.xml: 5 items, 5 stored"
run search --db "$DB3" Innvika --json
expect_out "--allow-private: the page's text stored" '"article": "in-literal"'

# --- items whose pages share one text ------------------------------------------------------
# 300 links to the same article: stored once, and every item remembered, so
# that the next poll fetches none of their pages again.
DB5="$TMP/dups.db"
dup_feed() {
    {
        echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Copy Wire</title>'
        for i in $(seq 300) "$@"; do
            echo "<item><guid>dup-$i</guid><link>$BASE/pages/dup-$i.html</link><description>x</description></item>"
        done
        echo '</channel></rss>'
    } >"$WWW/dups.xml"
}
for i in $(seq 300) new; do
    echo '<html><body><article><p>Celtic have agreed a fee with Hibernian for winger Callum Dunsmore, 19, according to the Daily Record.</p></article></body></html>' \
        >"$WWW/pages/dup-$i.html"
done
dup_feed
"$RADAR" feeds add --db "$DB5" "$BASE/dups.xml" >/dev/null || bad "feeds add dups.xml"
: >"$TMP/requests"
run watch --db "$DB5" --once --allow-private
expect_rc "one text behind 300 links: read" 0
expect_out "one text behind 300 links: stored once, the rest counted as duplicates" \
    "$BASE/dups.xml: 300 items, 1 stored, 0 known already, 299 duplicates of stored texts"
expect_err "one text behind 300 links: the summary says so" "300 items: 1 stored, 0 known already, 299 duplicates of stored texts, 0 failed"
expect_count "one text behind 300 links: one 'stored' line" "stored $BASE/pages/dup-" 1
check "one text behind 300 links: every page fetched once" test "$(grep -c '^/pages/dup-' "$TMP/requests")" -eq 300
dup_feed new # the feed changes: read whole again
: >"$TMP/requests"
run watch --db "$DB5" --once --allow-private
expect_out "next poll: the 300 items known" "$BASE/dups.xml: 301 items, 0 stored, 300 known already, 1 duplicate of stored texts"
check "next poll: only the new item's page fetched" test "$(grep -c '^/pages/dup-' "$TMP/requests")" -eq 1
run export --db "$DB5" --format jsonl
expect_count "one text behind 301 links: one article in the store" '"article":"dup-' 1

# --- slow feeds: polled at once, each within its deadline ---------------------------------------
# ten item pages that answer after 3 s, with --timeout 2s: 20 s one after
# the other; --deadline 5s ends that feed's poll after 5 s. A second slow
# feed and a quick one are polled meanwhile, not after it.
DB4="$TMP/slow.db"
{
    echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Ten</title>'
    for i in $(seq 10); do
        echo "<item><guid>slow-$i</guid><link>$BASE/slow/pages/slow-$i.html</link><description>x</description></item>"
    done
    echo '</channel></rss>'
} >"$WWW/slowten.xml"
cat >"$WWW/slowtwo.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Two</title>
<item><guid>two-1</guid><link>$BASE/slow/pages/two-1.html</link><description>x</description></item>
<item><guid>two-2</guid><link>$BASE/slow/pages/two-2.html</link><description>x</description></item>
</channel></rss>
XML
cat >"$WWW/quick.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Quick</title>
<item><guid>quick-1</guid><link>$BASE/pages/quick-1.html</link><description>x</description></item>
</channel></rss>
XML
echo '<html><body><article><p>Rangers are in talks with Aberdeen over defender Lewis Strachan, 24, according to the Herald.</p></article></body></html>' \
    >"$WWW/pages/quick-1.html"
for f in slowten slowtwo quick; do "$RADAR" feeds add --db "$DB4" "$BASE/$f.xml" >/dev/null || bad "feeds add $f"; done
start=$(date +%s)
run watch --db "$DB4" --once --timeout 2s --deadline 5s --allow-private
elapsed=$(($(date +%s) - start))
expect_rc "slow feeds: exit status 1 (items failed or left)" 1
check "slow feeds: the poll took $elapsed s (one feed after the other: 20 s and more)" test "$elapsed" -le 8
expect_err "slow feeds: the deadline said" "radar: $BASE/slowten.xml: the feed's poll reached its deadline (5 s)"
expect_out_re "slow feeds: the items left for the next poll" "$BASE/slowten.xml: 10 items, 0 stored, 0 known already, [0-9]+ left for the next poll \(deadline\)"
expect_out "slow feeds: the quick feed stored" "stored $BASE/pages/quick-1.html"
quick_line=$(grep -n "^$BASE/quick.xml: 1 item" "$OUT" | cut -d: -f1)
slow_line=$(grep -n "^$BASE/slowten.xml: 10 items" "$OUT" | cut -d: -f1)
check "slow feeds: the quick feed not held up by the slow one" test -n "$quick_line" -a -n "$slow_line" -a "${quick_line:-99}" -lt "${slow_line:-0}"
expect_out "slow feeds: the second slow feed read meanwhile" "$BASE/slowtwo.xml: 2 items, 0 stored"
expect_err_re "slow feeds: the summary counts the items left" "; 13 items: 1 stored, 0 known already, 0 duplicates of stored texts, [0-9]+ failed, [0-9]+ left for the next poll;"
run feeds list --db "$DB4" --json
check "slow feeds: the slow feed's validators forgotten (read whole next time)" \
    test "$(json_objects | grep -F '/slowten.xml"' | grep -c '"etag": null')" -eq 1

finish
