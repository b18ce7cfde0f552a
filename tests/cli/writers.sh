# The concurrent writers' helpers of tests/cli/test_store.sh and
# tests/pg/test_pg_writers.sh (the same corpus and checks on SQLite and on
# PostgreSQL). Source it after lib.sh; needs RADAR and TMP.

# gen_articles F N: N articles (JSON Lines), three reports of each move, about
# players that only file F names, in texts too short to be compared as
# syndicated copies: what they make of the store does not depend on the order
# in which files are stored.
gen_articles() {
    local f=$1 n=$2 i p sur
    local clubs=("Arsenal" "Chelsea" "Everton" "Fulham" "Brentford" "Ajax" "Benfica" "Porto" "Napoli" "Lille" "Monaco" "Sevilla")
    local outlets=("The Athletic" "Sky Sports" "L'Equipe" "Record" "Marca" "De Telegraaf")
    local syl=(ka lo mi ne ru sa te vi do ga)
    for ((i = 0; i < n; i++)); do
        p=$((i / 3))
        sur="${syl[$((f % 10))]}${syl[$((p % 10))]}${syl[$((p / 10 % 10))]}${syl[$((p / 100 % 10))]}n"
        printf '{"id":"w%d-%d","date":"2024-%02d-%02d","source":"%s","text":"%s have made a bid for %s striker Oskar %s, 22, according to %s."}\n' \
            "$f" "$i" $((1 + p % 12)) $((1 + i % 28)) "${outlets[$((i % 6))]}" "${clubs[$((p % 12))]}" \
            "${clubs[$(((p + 5) % 12))]}" "${sur^}" "${outlets[$((i % 6))]}"
    done
}
# export_sorted DB: the export without story and player ids (which follow the
# order of the commits), sorted
export_sorted() {
    "$RADAR" export --db "$1" --format jsonl | sed -E 's/^\{"id":[0-9]+,/{/; s/"player_id":[0-9]+,//' | sort
}
# ingest_at_once DB FILE...: one `radar ingest` per file, all at once; each
# one's exit status and stderr in $TMP/conc.N.rc and $TMP/conc.N.err
ingest_at_once() {
    local db=$1 n=0 f pids=""
    shift
    for f in "$@"; do
        n=$((n + 1))
        ( "$RADAR" ingest -q --db "$db" "$f" 2>"$TMP/conc.$n.err"; echo $? >"$TMP/conc.$n.rc" ) &
        pids="$pids $!"
    done
    BG_PIDS=$pids
    wait $pids
    BG_PIDS=""
}
# expect_all_ok DESC N: the N ingests of ingest_at_once exited 0
expect_all_ok() {
    local i bad_ones=""
    for i in $(seq "$2"); do
        [ "$(cat "$TMP/conc.$i.rc")" = 0 ] || bad_ones="$bad_ones [$i: $(head -c 300 "$TMP/conc.$i.err")]"
    done
    if [ -z "$bad_ones" ]; then ok; else bad "$1: failed:$bad_ones"; fi
}
# gen_order_articles N: N pairs of articles whose store once depended on the
# order they came in: two reports of one move on the same day, the later by
# id (a deal agreed) first in the file; a player written with and without
# an accent on two days, the plainer form first; and one whose first name is
# written in two ways names.txt gives as one ("Viktor", "Victor"), the later
# in byte order first. In any order, or sharded, the store must be the same:
# the latest stage of a day's reports is the one of the greater article id,
# the name the fuller form, of two as long the first in byte order.
gen_order_articles() {
    local n=$1 p sur
    local clubs=("Arsenal" "Chelsea" "Everton" "Fulham" "Brentford" "Ajax" "Benfica" "Porto" "Napoli" "Lille" "Monaco" "Sevilla")
    local syl=(ba ko lu me ni po ra si tu ve)
    for ((p = 0; p < n; p++)); do
        sur="${syl[$((p % 10))]}${syl[$((p / 10 % 10))]}rin"
        printf '{"id":"o%d-b","date":"2024-03-%02d","source":"Marca","text":"%s have agreed a fee with %s for striker Oskar Ka%s, 22, Marca reports."}\n' \
            "$p" $((1 + p % 28)) "${clubs[$((p % 12))]}" "${clubs[$(((p + 5) % 12))]}" "$sur"
        printf '{"id":"o%d-a","date":"2024-03-%02d","source":"Sky Sports","text":"%s have made a bid for %s striker Oskar Ka%s, 22, according to Sky Sports."}\n' \
            "$p" $((1 + p % 28)) "${clubs[$((p % 12))]}" "${clubs[$(((p + 5) % 12))]}" "$sur"
        printf '{"id":"o%d-c","date":"2024-04-%02d","source":"Record","text":"%s are interested in %s winger Tomas Ri%s, 24, says Record."}\n' \
            "$p" $((1 + p % 28)) "${clubs[$(((p + 2) % 12))]}" "${clubs[$(((p + 7) % 12))]}" "$sur"
        printf '{"id":"o%d-d","date":"2024-04-%02d","source":"Marca","text":"%s have made a bid for %s winger Tomás Ri%s, 24, Marca reports."}\n' \
            "$p" $((2 + p % 27)) "${clubs[$(((p + 2) % 12))]}" "${clubs[$(((p + 7) % 12))]}" "$sur"
        printf '{"id":"o%d-e","date":"2024-05-%02d","source":"Record","text":"%s are interested in %s defender Viktor Sa%s, 25, says Record."}\n' \
            "$p" $((1 + p % 28)) "${clubs[$(((p + 4) % 12))]}" "${clubs[$(((p + 9) % 12))]}" "$sur"
        printf '{"id":"o%d-f","date":"2024-05-%02d","source":"Marca","text":"%s have made a bid for %s defender Victor Sa%s, 25, Marca reports."}\n' \
            "$p" $((2 + p % 27)) "${clubs[$(((p + 4) % 12))]}" "${clubs[$(((p + 9) % 12))]}" "$sur"
    done
}
