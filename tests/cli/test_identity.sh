#!/usr/bin/env bash
# One player however the articles write his name, and two players who share a
# surname kept apart: a test world written for this test (dated articles, one
# rumour each). Checked through `radar export`: how many stored players the
# stories of each name point at.
# Needs RADAR; uses bash, coreutils and grep.
# Prints "N passed, M failed" and exits 1 on any failure.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-identity.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# bid DAY BUYER SELLER ROLE NAME [AGE]: one article, "BUYER have made a bid for SELLER ROLE NAME, AGE."
bid() {
    local age=${6:+, $6}
    printf '{"id":"w-%s","date":"2024-03-%02d","source":"Sky Sports","text":"%s have made a bid for %s %s %s%s."}\n' \
        "$1" "$1" "$2" "$3" "$4" "$5" "$age"
}
{
    bid 1 Barcelona "Manchester City" midfielder "Bernardo Silva" 29
    bid 2 Sevilla "RB Leipzig" striker "Andre Silva" 28
    bid 3 Fluminense Chelsea defender "Thiago Silva" 39
    bid 4 Ajax Porto defender "Thiago Silva" 19
    bid 5 "Real Madrid" Chelsea defender "Reece James" 24
    bid 6 Fulham "Leeds United" winger "Daniel James" 26
    bid 7 Fulham "Leeds United" winger "Dan James" 26
    bid 8 Al-Hilal Liverpool forward "Mohamed Salah" 31
    bid 9 Al-Hilal Liverpool forward "Mo Salah" 31
    bid 10 "Real Madrid" Liverpool defender "Trent Alexander-Arnold" 25
    bid 11 "Real Madrid" Liverpool defender "Trent Alexander Arnold" 25
    bid 12 "Paris St-Germain" Napoli winger "Khvicha Kvaratskhelia" 23
    bid 13 "Paris St-Germain" Napoli winger "Kvicha Kvaratskhelia" 23
    bid 14 "Paris St-Germain" Napoli winger "Kvara"
    bid 15 Juventus "Paris St-Germain" striker "Randal Kolo Muani" 25
    bid 16 Juventus "Paris St-Germain" striker "Kolo Muani"
    bid 17 Everton Ajax striker "Brian Brobbey" 22
    bid 18 Everton Ajax striker "Bryan Brobbey" 22
    bid 19 Everton Ajax striker "Oskar Kalonen" 22
    bid 20 Lille Porto striker "Oskar Kalonan" 22
    bid 21 Monaco Arsenal striker "Mika Biereth" 21
    bid 22 Monaco "Sturm Graz" striker "Mike Biereth" 21
} >"$TMP/world.jsonl"

DB="$TMP/w.db"
run ingest -q --db "$DB" "$TMP/world.jsonl"
expect_rc "ingest the world" 0
run export --db "$DB" --format jsonl
expect_rc "export" 0
# players PATTERN: the number of stored players whose stories' names match PATTERN
players() {
    grep -E "\"player\":\"$1\"" "$OUT" | grep -oE '"player_id":[0-9]+' | sort -u | wc -l
}
# expect_players DESC PATTERN N
expect_players() {
    local n
    n=$(players "$2")
    if [ "$n" -eq "$3" ]; then ok; else bad "$1 (expected $3 players named /$2/, got $n)"; fi
}
expect_players "two Silvas by first name, two Thiago Silvas by age" '[A-Za-z]+ Silva' 4
expect_players "Reece James and Daniel James (Dan James) are two" '[A-Za-z]+ James' 2
expect_players "Mo Salah is Mohamed Salah" '(Mo|Mohamed) Salah' 1
expect_players "a hyphen more or less" 'Trent Alexander.Arnold' 1
expect_players "Kvara, Kvicha and Khvicha Kvaratskhelia are one" '(Kvara|[A-Za-z]+ Kvaratskhelia)' 1
expect_players "Kolo Muani is Randal Kolo Muani" '(Randal )?Kolo Muani' 1
expect_players "Brian and Bryan Brobbey of Ajax are one" '[A-Za-z]+ Brobbey' 1
expect_players "a slip of one letter in the same move is one man" '[A-Za-z]+ Biereth' 1
expect_players "a slip of one letter at other clubs in other moves is two" 'Oskar Kalon[ae]n' 2

run player "Mo Salah" --db "$DB"
expect_rc "radar player finds a short form" 0
expect_out "the short form finds Mohamed Salah" "Mohamed Salah"
expect_out "every form of his name (as often written: by name)" "written as: Mo Salah, Mohamed Salah"
expect_out "the ages as a birth year and its spread" "2 ages reported, from 2024-03-08 to 2024-03-09: born 1993 (or a year before)"
expect_no_out "not a line per age" "age 31 on"
run player Kvara --db "$DB"
expect_rc "radar player finds a nickname" 0
expect_out "the nickname's man" "Khvicha Kvaratskhelia"
run player "Alexander-Arnold" --db "$DB"
expect_rc "radar player with a hyphen" 0
expect_out "the hyphenated surname finds him" "Trent Alexander"

# A player's club at a date is no destination at that date: the club an article
# gives him holds for the weeks after it, whichever of the two articles is
# stored first.
article() { # ID DATE TEXT
    printf '{"id":"%s","date":"%s","source":"Sky Sports","text":"%s"}\n' "$1" "$2" "$3"
}
article own-1 2024-04-01 "Arsenal have made a bid for Chelsea winger Noah Pellow, 22." >"$TMP/own1.jsonl"
article own-2 2024-04-10 "Chelsea have made a bid for winger Noah Pellow, 22." >"$TMP/own2.jsonl"
article own-3 2024-05-20 "Everton have made a bid for midfielder Liam Cobbold, 24." >"$TMP/own3.jsonl"
article own-4 2024-05-01 "Fulham have made a bid for Everton midfielder Liam Cobbold, 24." >"$TMP/own4.jsonl"
article own-5 2024-09-01 "Chelsea have made a bid for Brentford winger Noah Pellow, 22." >"$TMP/own5.jsonl"
ODB="$TMP/own.db"
for f in own1 own2 own3 own4 own5; do
    run ingest -q --db "$ODB" "$TMP/$f.jsonl"
    expect_rc "ingest $f" 0
done
run export --db "$ODB" --format jsonl
expect_count "Pellow: the move to Arsenal stays" '"player":"Noah Pellow","to_club":"Arsenal"' 1
row=$(grep -F '"player":"Noah Pellow","to_club":"Chelsea"' "$OUT")
case "$row" in
*'"first_seen":"2024-09-01"'*) ok ;;
*) bad "Pellow: no move to Chelsea, his club, nine days after (the story: ${row:0:300})" ;;
esac
expect_count "Cobbold: the move to Fulham stays" '"player":"Liam Cobbold","to_club":"Fulham"' 1
expect_count "Cobbold: the move to Everton, his club, stored first, goes" '"player":"Liam Cobbold","to_club":"Everton"' 0
expect_count "Pellow: a move to Chelsea five months on, from Brentford, stays" '"player":"Noah Pellow","to_club":"Chelsea"' 1
run stories --db "$ODB" --json
expect_rc "the board after a move was dropped" 0
expect_no_out "no story is left without a mention" '"mentions": 0'

# The player page: his position and nationality as the articles say them most
# (a winger once, a midfielder twice), and his age as of the latest report
# beside the birth year the ages imply, not a line per age.
{
    article pos-1 2024-01-10 "Brighton have made a bid for Brentford's Norway midfielder Sander Lundvik, 24."
    article pos-2 2024-06-10 "Fulham have made a bid for Brentford winger Sander Lundvik, 25."
    article pos-3 2024-03-10 "Everton have made a bid for the Norwegian midfielder Sander Lundvik of Brentford, 24."
} >"$TMP/pos.jsonl"
PDB="$TMP/pos.db"
run ingest -q --db "$PDB" "$TMP/pos.jsonl"
expect_rc "ingest the positions" 0
run player Lundvik --db "$PDB"
expect_rc "radar player Lundvik" 0
expect_out "the position and nationality said most" "midfielder, Norway, as the articles say most"
expect_out "the age as of the latest report" "aged 25 at the latest report (2024-06-10)"
expect_out "the ages as a birth year" "2 ages reported, from 2024-01-10 to 2024-06-10: born 1999 to 2000"
run player Lundvik --db "$PDB" --json
expect_out "JSON: the position" '"position": "midfielder"'
expect_out "JSON: the nationality" '"nationality": "Norway"'
if tr -d ' \n' <"$OUT" | grep -qF '"latest_age":{"years":25,"date":"2024-06-10"}'; then ok; else bad "JSON: the latest age"; fi

finish
