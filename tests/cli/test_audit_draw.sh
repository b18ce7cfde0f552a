#!/usr/bin/env bash
# tools/annotate/draw.py, the draw of the precision audit (docs/audit.md): the
# stories with the smallest SHA-256 of "SEED:player:to_club", the same from two
# stores of the same articles written in another order, and --exclude-ids
# leaving out the stories of listed articles, a plain-text file's stem ("7")
# read as the labels' name for it ("bbcsport-7"). Articles written for the test.
# Needs RADAR and SRC; uses bash, coreutils and python3.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source tree}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-audit-draw.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL: python3 is not installed (scripts/install-deps installs it)"
    exit 1
fi
DRAW="$SRC/tools/annotate/draw.py"

mkdir -p "$TMP/bbc"
cat >"$TMP/items.jsonl" <<'EOF'
{"id": "g-1", "date": "2021-03-01", "source": "example.com", "text": "Leeds United are interested in signing Norwich City striker Tom Harlow, 24."}
{"id": "g-2", "date": "2021-03-02", "source": "example.com", "text": "Brentford have made a bid for Hull City defender Sam Penner, 22."}
EOF
printf 'Fulham close in on Kell\n\nFulham are in talks with Reading over midfielder Dan Kell, 25.\n' >"$TMP/bbc/7.txt"
# The same items in the other order, for a second store.
tac "$TMP/items.jsonl" >"$TMP/items-rev.jsonl"

run ingest -q --db "$TMP/a.db" "$TMP/items.jsonl" "$TMP/bbc"
expect_rc "ingest" 0
run export --db "$TMP/a.db" --format jsonl
expect_rc "export" 0
cp "$OUT" "$TMP/a.jsonl"
run ingest -q --db "$TMP/b.db" "$TMP/bbc" "$TMP/items-rev.jsonl"
run export --db "$TMP/b.db" --format jsonl
cp "$OUT" "$TMP/b.jsonl"

# draw FILE ARGS...: the draw's player and club columns in $OUT, its message in $ERR
draw() {
    local file=$1
    shift
    python3 "$DRAW" "$file" "$@" >"$TMP/raw" 2>"$ERR"
    RC=$?
    cut -f2,3 "$TMP/raw" >"$OUT"
}

# expected SEED: the order of the three stories by SHA-256 of "SEED:player:to_club", smallest first
expected() {
    local pair
    for pair in "Tom Harlow:Leeds United" "Sam Penner:Brentford" "Dan Kell:Fulham"; do
        printf '%s\t%s\n' "$(printf '%s:%s' "$1" "$pair" | sha256sum | cut -c1-64)" "$(printf '%s' "$pair" | tr ':' '\t')"
    done | sort | cut -f2,3
}
expected 14 >"$TMP/expected"
expected 3 >"$TMP/expected-3"
draw "$TMP/a.jsonl" --seed 14 --n 10
expect_rc "draw of every story" 0
if cmp -s "$OUT" "$TMP/expected"; then ok; else bad "the stories are drawn by the smallest SHA-256 of seed:player:to_club"; fi
expect_err "the count drawn and eligible" "3 stories drawn of 3 eligible"
draw "$TMP/a.jsonl" --seed 14 --n 1
if [ "$(cat "$OUT")" = "$(head -1 "$TMP/expected")" ]; then ok; else bad "--n 1 gives the first story of the draw"; fi

draw "$TMP/b.jsonl" --seed 14 --n 10
if cmp -s "$OUT" "$TMP/expected"; then ok; else bad "a store of the same articles in another order gives the same draw"; fi

# Another seed, another order (seed 3 orders these three otherwise than seed 14).
if ! cmp -s "$TMP/expected-3" "$TMP/expected"; then ok; else bad "seeds 3 and 14 should order the stories apart"; fi
draw "$TMP/a.jsonl" --seed 3 --n 10
if cmp -s "$OUT" "$TMP/expected-3"; then ok; else bad "the seed enters the key"; fi

printf '{"id": "bbcsport-7", "set": "bbcsport-football", "rumours": []}\n' >"$TMP/labels.jsonl"
draw "$TMP/a.jsonl" --seed 14 --n 10 --exclude-ids "$TMP/labels.jsonl"
expect_rc "draw with exclusions" 0
if ! grep -q "Dan Kell" "$OUT" && [ "$(wc -l <"$OUT")" -eq 2 ]; then ok; else bad "bbcsport-7 leaves out the story of the file 7.txt"; fi
printf '{"id": "g-1"}\n' >"$TMP/dev.jsonl"
draw "$TMP/a.jsonl" --seed 14 --n 10 --exclude-ids "$TMP/labels.jsonl" --exclude-ids "$TMP/dev.jsonl"
if [ "$(cat "$OUT")" = "$(printf 'Sam Penner\tBrentford')" ]; then ok; else bad "--exclude-ids twice leaves out both files' articles"; fi
expect_err "the count eligible after exclusions" "1 stories drawn of 1 eligible"

python3 "$DRAW" "$TMP/a.jsonl" --bogus >"$OUT" 2>"$ERR"
RC=$?
expect_rc "an unknown option" 2

finish
