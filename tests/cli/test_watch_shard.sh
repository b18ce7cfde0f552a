#!/usr/bin/env bash
# radar watch --shard K/N: N watchers, each with its own K, poll every feed of
# one store exactly once between them, each feed by the watcher whose shard
# its address hashes to (1 + FNV-1a 64 of the address, modulo N, as
# docs/feeds.md says); one after the other and all at once. Bad values of
# --shard are refused with one sentence and exit status 2, before any feed is
# asked. The feeds are served by tests/cli/feed_server.py on 127.0.0.1.
# Needs RADAR, SRC and python3. No network but 127.0.0.1.
set -u
: "${SRC:?SRC must point at the source root}"
FEED_SITE=shard
. "$SRC/tests/cli/feed_site.sh"
: >"$TMP/requests"

FEEDS=24
CLUBS=(Arsenal Chelsea Everton Fulham Brentford Burnley Watford Lyon Nice Lille Porto Benfica)
# feed I ITEMS...: feed-I.xml with one item per ITEM, stored from its own text (no link: no page to fetch)
feed() {
    local i=$1 n
    shift
    {
        echo "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
        echo "<channel><title>Wire $i</title>"
        for n in "$@"; do
            echo "<item><guid>wire-$i-$n</guid><title>Bid $i-$n</title>"
            echo "<content:encoded><![CDATA[<p>${CLUBS[$(((i + n) % 12))]} have made a bid of $((i * 3 + n)) million"
            echo "euros for Ostrava striker Tomas Vrba$i$n, 2$((n % 10)), as the window nears its close.</p>]]>"
            echo "</content:encoded></item>"
        done
        echo '</channel></rss>'
    } >"$WWW/feed-$i.xml"
}
for i in $(seq $FEEDS); do
    feed "$i" 1
    "$RADAR" feeds add --db "$DB" "$BASE/feed-$i.xml" >/dev/null || bad "feeds add feed-$i.xml"
done

# shard_of N: "PATH SHARD" for each feed, the shard computed here as documented
shard_of() {
    python3 - "$BASE" "$FEEDS" "$1" <<'EOF'
import sys
base, feeds, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(1, feeds + 1):
    h = 14695981039346656037
    for b in ("%s/feed-%d.xml" % (base, i)).encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    print("/feed-%d.xml %d" % (i, 1 + h % n))
EOF
}
shard_of 3 >"$TMP/want"

# --- bad values: one sentence, exit 2, nothing asked ---------------------------------
for v in 0/3 4/3 3 1/0 0/0 a/b /3 1/ -1/3 1/3x 2/1 " 1/3" "1 /3" 1/1001 1//3 "" 99999999999999999999/3; do
    run watch --once --db "$DB" --shard "$v"
    if [ "$RC" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && grep -qF -- "--shard must be K/N" "$ERR" &&
        grep -qF -- "not '$v'" "$ERR"; then ok; else bad "--shard '$v' is refused with a usage error"; fi
done
run watch --once --db "$DB" --shard
expect_rc "--shard without a value" 2
if [ -s "$TMP/requests" ]; then bad "a refused --shard asked for a feed: $(head -3 "$TMP/requests")"; else ok; fi
run feeds list --db "$DB"
expect_count "a refused --shard read no feed" "not read yet" "$FEEDS"

# --- three watchers, one after the other -------------------------------------------
# each must ask for exactly the feeds of its shard, once
for k in 1 2 3; do
    : >"$TMP/requests"
    run watch --once --db "$DB" --shard "$k/3"
    expect_rc "watcher $k/3" 0
    mine=$(awk -v k="$k" '$2 == k' "$TMP/want" | wc -l)
    expect_err "watcher $k/3 says which share of the feeds is its own" "shard $k/3: $mine of the $FEEDS feeds"
    sort "$TMP/requests" >"$TMP/got-$k"
    awk -v k="$k" '$2 == k { print $1 }' "$TMP/want" | sort >"$TMP/want-$k"
    if cmp -s "$TMP/got-$k" "$TMP/want-$k"; then ok; else
        bad "watcher $k/3 asked for other feeds than its shard's: $(diff "$TMP/want-$k" "$TMP/got-$k" | head -5 | tr '\n' ' ')"
    fi
done
sort "$TMP"/got-[123] | uniq -c | awk '$1 != 1' >"$TMP/dups"
if [ -s "$TMP/dups" ]; then bad "a feed was asked for twice: $(head -3 "$TMP/dups")"; else ok; fi
n=$(sort -u "$TMP"/got-[123] | wc -l)
if [ "$n" -eq "$FEEDS" ]; then ok; else bad "the three watchers asked for $n feeds of $FEEDS"; fi
run feeds list --db "$DB" --json
expect_json "every feed read once, one article each" \
    'sorted((f["articles"], f["last_poll"] is not None) for f in j["feeds"]) == [(1, True)] * '$FEEDS True

# --- three watchers at once, on one store ---------------------------------------------
for i in $(seq $FEEDS); do feed "$i" 1 2; done
: >"$TMP/requests"
pids=""
for k in 1 2 3; do
    "$RADAR" watch --once --quiet --db "$DB" --shard "$k/3" >"$TMP/at-once-$k.out" 2>"$TMP/at-once-$k.err" &
    pids="$pids $!"
done
st=0
for p in $pids; do wait "$p" || st=$?; done
RC=$st
cp "$TMP/at-once-1.err" "$ERR"
expect_rc "three watchers at once" 0
sort "$TMP/requests" >"$TMP/got"
awk '{ print $1 }' "$TMP/want" | sort >"$TMP/want-all"
if cmp -s "$TMP/got" "$TMP/want-all"; then ok; else
    bad "three watchers at once asked for each feed other than once: $(diff "$TMP/want-all" "$TMP/got" | head -5 | tr '\n' ' ')"
fi
run feeds list --db "$DB" --json
expect_json "at once: every feed's new item stored once" \
    'sorted(f["articles"] for f in j["feeds"]) == [2] * '$FEEDS True
# the three summaries: each new item stored by one of them
n=$(cat "$TMP"/at-once-[123].err | sed -n 's/.* items*: \([0-9]*\) stored,.*/\1/p' | awk '{ t += $1 } END { print t + 0 }')
if [ "$n" -eq "$FEEDS" ]; then ok; else bad "three watchers at once stored $n articles, not $FEEDS"; fi

# --- one shard of one: every feed --------------------------------------------------
for i in $(seq $FEEDS); do feed "$i" 1 2 3; done
: >"$TMP/requests"
run watch --once --quiet --db "$DB" --shard 1/1
expect_rc "--shard 1/1" 0
n=$(sort -u "$TMP/requests" | wc -l)
if [ "$n" -eq "$FEEDS" ] && [ "$(wc -l <"$TMP/requests")" -eq "$FEEDS" ]; then ok; else
    bad "--shard 1/1 asked for $n feeds of $FEEDS"
fi

finish
