#!/usr/bin/env bash
# Names written with letters that accent stripping alone does not make plain
# (Ø, Æ, ß, Ł, Đ, ı) and with accents (ü, ğ, ę) meet their plain spellings,
# both ways, in `radar search`, `radar player`, `radar club` and the web
# board's API (/api/search, /api/players, /api/stories?player=): a test world
# written for this test, one article per spelling.
# Needs RADAR; uses bash, coreutils, grep and curl (for the API). With
# RADAR_FOLDING_DB set (an empty PostgreSQL database's URI), the store is made
# there (tests/pg/test_pg_folding.sh).
# Prints "N passed, M failed" and exits 1 on any failure.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-folding.XXXXXX")
trap 'serve_stop; rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! command -v curl >/dev/null 2>&1; then
    echo "FAIL: curl not found (scripts/install-deps installs it)"
    exit 1
fi

article() { # ID DAY TEXT
    printf '{"id":"%s","date":"2024-03-%02d","source":"Sky Sports","text":"%s"}\n' "$1" "$2" "$3"
}
{
    article odegaard-o 1 "Bayern Munich have made a bid for Arsenal midfielder Martin Ødegaard, 25."
    article odegaard-plain 2 "Bayern Munich are ready to go again for Odegaard, the Arsenal captain."
    article hojlund-o 3 "Napoli have made a bid for Manchester United striker Rasmus Højlund, 21."
    article hojlund-plain 4 "Napoli will go again for Hojlund next week."
    article muller-u 5 "Juventus have made a bid for Bayern Munich forward Thomas Müller, 34."
    article muller-plain 6 "Juventus are still keen on Muller, who has a year left."
    article muller-ue 7 "Juventus want an answer on Mueller by Friday."
    article gundogan-g 8 "Galatasaray have made a bid for Barcelona midfielder Ilkay Gündoğan, 33."
    article gundogan-plain 9 "Galatasaray expect Gundogan to decide soon."
    article szczesny-e 10 "Monaco have made a bid for Juventus goalkeeper Wojciech Szczęsny, 33."
    article szczesny-plain 11 "Monaco see Szczesny as their first choice."
    article durdevic-d 12 "Lazio have made a bid for Red Star Belgrade striker Nikola Đurđević, 22."
    article durdevic-plain 13 "Lazio scouts watched Durdevic again on Sunday."
    article weissmann-ss 14 "Freiburg have made a bid for Mainz striker Jonas Weißmann, 24."
    article weissmann-plain 15 "Freiburg value Weissmann at ten million euros."
    article aegir-ae 16 "Celtic have made a bid for Brøndby defender Ægir Jónsson, 23."
    article aegir-plain 17 "Celtic are closing in on Aegir Jonsson of Brondby."
    article legowski-l 18 "Celtic have made a bid for Legia Warsaw midfielder Łukasz Łęgowski, 20."
    article legowski-plain 19 "Celtic also like Lukasz Legowski."
    article yildiz-i 20 "Arsenal have made a bid for Juventus forward Kenan Yıldız, 19."
    article yildiz-plain 21 "Arsenal will try again for Yildiz in the summer."
} >"$TMP/world.jsonl"

DB=${RADAR_FOLDING_DB:-$TMP/w.db}
run ingest -q --db "$DB" "$TMP/world.jsonl"
expect_rc "ingest the world" 0

# finds QUERY ID...: radar search QUERY lists exactly the articles ID...
finds() {
    local q=$1
    shift
    run search "$q" --db "$DB" --json
    if [ "$RC" -ne 0 ]; then
        bad "search '$q'"
        return
    fi
    local got want
    got=$(grep -oE '"article": "[^"]*"' "$OUT" | sed 's/.*: "//; s/"$//' | sort | tr '\n' ' ')
    want=""
    [ $# -eq 0 ] || want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then ok; else bad "search '$q' finds [$want], got [$got]"; fi
}
finds Ødegaard odegaard-o odegaard-plain
finds Odegaard odegaard-o odegaard-plain
finds ODEGAARD odegaard-o odegaard-plain
finds "Ode*" odegaard-o odegaard-plain
finds "Øde*" odegaard-o odegaard-plain
finds Højlund hojlund-o hojlund-plain
finds Hojlund hojlund-o hojlund-plain
finds Müller muller-u muller-plain muller-ue
finds Muller muller-u muller-plain
finds Mueller muller-u muller-ue
finds Gündoğan gundogan-g gundogan-plain
finds Gundogan gundogan-g gundogan-plain
finds Szczęsny szczesny-e szczesny-plain
finds Szczesny szczesny-e szczesny-plain
finds Đurđević durdevic-d durdevic-plain
finds Durdevic durdevic-d durdevic-plain
finds Weißmann weissmann-ss weissmann-plain
finds Weissmann weissmann-ss weissmann-plain
finds "Ægir Jónsson" aegir-ae aegir-plain
finds "Aegir Jonsson" aegir-ae aegir-plain
finds '"Łukasz Łęgowski"' legowski-l legowski-plain
finds '"Lukasz Legowski"' legowski-l legowski-plain
finds Yıldız yildiz-i yildiz-plain
finds Yildiz yildiz-i yildiz-plain
finds "Yildiz -Arsenal" # every Yildiz article names Arsenal

# the highlight falls on the letters as written
run search Odegaard --db "$DB" --json
expect_out "the snippet marks Ødegaard as written" "Martin [Ødegaard], 25."
expect_out "and the plain spelling as written" "go again for [Odegaard], the"
run search Lukasz --db "$DB" --json
expect_out "the snippet marks Łukasz as written" "midfielder [Łukasz] Łęgowski, 20."
run search Weissmann --db "$DB"
expect_out "the text answer marks Weißmann as written" "striker Jonas [Weißmann], 24."

# player: either spelling finds the one player
for q in Ødegaard Odegaard Højlund Hojlund Müller Muller Gündoğan Gundogan Szczęsny Szczesny Đurđević Durdevic \
    Weißmann Weissmann "Ægir Jónsson" "Aegir Jonsson" Łęgowski Legowski Yıldız Yildiz; do
    run player "$q" --db "$DB"
    expect_rc "radar player $q" 0
done
run player Odegaard --db "$DB"
expect_out "the plain spelling finds Martin Ødegaard" "Martin Ødegaard"
run player Durdevic --db "$DB"
expect_out "the plain spelling finds Nikola Đurđević" "Nikola Đurđević"
run player "Ægir Jónsson" --db "$DB"
expect_out "Ægir Jónsson is one player" "Ægir Jónsson"

# club: Brøndby is Brondby
for q in Brøndby Brondby; do
    run club "$q" --db "$DB" --json
    expect_rc "radar club $q" 0
    expect_out "radar club $q: the club's stories" "Celtic"
done

# the web board: its search box, a player's page and the board's player filter
if serve_start "$DB"; then
    api() { # PATH: the answer in $OUT, its status in $RC
        RC=$(curl -sS --max-time 20 -o "$OUT" -w '%{http_code}' "$BASE$1" 2>"$ERR")
    }
    api "/api/search?q=Odegaard"
    expect_out "/api/search?q=Odegaard finds Ødegaard" "[Ødegaard]"
    expect_out "/api/search?q=Odegaard finds Odegaard" "[Odegaard]"
    api "/api/search?q=%C3%98degaard"
    expect_out "/api/search?q=Ødegaard finds Odegaard" "[Odegaard]"
    api "/api/search?q=Durdevic"
    expect_out "/api/search?q=Durdevic finds Đurđević" "[Đurđević]"
    api "/api/players/Odegaard"
    expect_out "/api/players/Odegaard" "Martin Ødegaard"
    api "/api/players/Hojlund"
    expect_out "/api/players/Hojlund" "Rasmus Højlund"
    api "/api/stories?player=Yildiz"
    expect_out "/api/stories?player=Yildiz: the board's player filter" "Kenan Yıldız"
    api "/api/stories?player=Weissmann"
    expect_out "/api/stories?player=Weissmann" "Jonas Weißmann"
    serve_stop
else
    bad "radar serve starts"
fi

finish
