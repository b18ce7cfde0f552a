#!/usr/bin/env bash
# End-to-end tests of `radar extract`: every option, every error path.
# Needs RADAR (the radar binary) and SRC (the source root); uses only bash,
# coreutils and grep. Prints "N passed, M failed" and exits 1 on any failure.
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"

FIXTURES="$SRC/tests/fixtures"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A small article used by several tests.
ARTICLE='Everton are keen on Ajax midfielder Pieter Vos, 23.'
printf 'date 2024-05-01\n%s\n' "$ARTICLE" >"$TMP/vos.txt"
printf '%s\n' "$ARTICLE" >"$TMP/plain.txt"

# --- the command itself ---------------------------------------------------
run
expect_rc "radar with no arguments" 2
expect_err "radar with no arguments prints usage" "usage: radar"

run bogus
expect_rc "unknown command" 2
expect_err "unknown command is named" "unknown command 'bogus'"

run --version
expect_rc "--version" 0
expect_out "--version prints the version" "radar 0."

run --help
expect_rc "radar --help" 0
expect_out "radar --help lists extract" "extract"

# --- options --------------------------------------------------------------
run extract --help
expect_rc "extract --help" 0
expect_out "extract --help prints usage" "usage: radar extract"

run extract --no-such-option "$TMP/vos.txt"
expect_rc "unknown option" 2
expect_err "unknown option prints usage" "usage: radar extract"

run extract --format json "$TMP/vos.txt"
expect_rc "--format json" 0
expect_lines "--format json gives one line per article" 1
expect_out "--format json writes JSON" '{"id": "vos", "date": "2024-05-01"'
expect_out "--format json has the rumour" '"player": "Pieter Vos", "from_club": "Ajax", "to_club": "Everton"'

run extract "$TMP/vos.txt"
expect_rc "default format" 0
expect_out "JSON is the default" '{"id": "vos"'

run extract --format text "$TMP/vos.txt"
expect_rc "--format text" 0
expect_out "--format text heading" "== vos  2024-05-01"
expect_out "--format text rumour" "Pieter Vos: Ajax -> Everton  [interest]"
expect_out "--format text quotes the evidence" "\"$ARTICLE\""

run extract -f text "$TMP/vos.txt"
expect_rc "-f text" 0
expect_out "-f is --format" "== vos"

run extract --format xml "$TMP/vos.txt"
expect_rc "--format xml" 2
expect_err "--format xml is refused" "--format must be json or text"

run extract --date 2024-02-29 "$TMP/plain.txt"
expect_rc "--date on a leap day" 0
expect_out "--date applies to plain text" '"date": "2024-02-29"'

run extract --date 2024-02-29 "$TMP/vos.txt"
expect_out "--date does not override a dated file" '"date": "2024-05-01"'

run extract "$TMP/plain.txt"
expect_out "plain text without --date has no date" '"date": null'

run extract --date 2023-02-29 "$TMP/plain.txt"
expect_rc "--date not a real date" 2
expect_err "--date message" "--date must be a real date"

run extract --date yesterday "$TMP/plain.txt"
expect_rc "--date not a date at all" 2

for j in 0 -1 abc 3x 100000; do
    run extract --jobs "$j" "$TMP/vos.txt"
    expect_rc "--jobs $j" 2
done
expect_err "--jobs message" "--jobs must be a number"

# --jobs does not change the output, in either format
for fmt in json text; do
    run extract --format "$fmt" --jobs 1 "$FIXTURES/articles"
    cp "$OUT" "$TMP/jobs1.$fmt"
    run extract --format "$fmt" --jobs 3 "$FIXTURES/articles"
    expect_rc "--jobs 3 --format $fmt" 0
    if cmp -s "$OUT" "$TMP/jobs1.$fmt" && [ -s "$OUT" ]; then ok; else bad "--jobs 1 and --jobs 3 differ ($fmt)"; fi
done

# the fixtures directory gives exactly the golden files, in name order
for f in "$FIXTURES"/articles/*; do
    name=${f##*/}
    grep -v '^#' "$FIXTURES/expected/${name%.*}.jsonl"
done >"$TMP/golden"
if cmp -s "$TMP/jobs1.json" "$TMP/golden"; then ok; else bad "directory output differs from tests/fixtures/expected"; fi

# --- lexicon --------------------------------------------------------------
mkdir -p "$TMP/lex/clubs"
printf '# a club that only exists here\nTestville Rovers|Testville|league=Test League\n' >"$TMP/lex/clubs/testland.txt"
printf 'date 2024-05-02\nTestville are keen on Ajax midfielder Pieter Vos.\n' >"$TMP/testville.txt"

run extract "$TMP/testville.txt"
expect_no_out "unknown club without --lexicon" '"Testville Rovers"'

run extract --lexicon "$TMP/lex" "$TMP/testville.txt"
expect_rc "--lexicon" 0
expect_out "--lexicon adds a club" '"to_club": "Testville Rovers"'

run extract -l "$TMP/lex" --format text "$TMP/testville.txt"
expect_out "-l is --lexicon" "Pieter Vos: Ajax -> Testville Rovers"

mkdir -p "$TMP/badlex"
printf 'Good Paper|tier=2\nBad Paper|tier=9\n' >"$TMP/badlex/outlets.txt"
run extract --lexicon "$TMP/badlex" "$TMP/vos.txt"
expect_rc "malformed lexicon" 1
expect_err "malformed lexicon names file and line" "outlets.txt:2:"
expect_err "malformed lexicon says why" "tier"

mkdir -p "$TMP/emptylex"
run extract --lexicon "$TMP/emptylex" "$TMP/vos.txt"
expect_rc "lexicon directory without lexicon files" 1
expect_err "empty lexicon directory message" "no lexicon files"

run extract --lexicon "$TMP/no-such-lexicon" "$TMP/vos.txt"
expect_rc "missing lexicon directory" 1

# --- inputs ---------------------------------------------------------------
run_in "$TMP/plain.txt" extract -
expect_rc "stdin via -" 0
expect_lines "stdin via - gives one article" 1
expect_out "stdin via - is extracted" '"to_club": "Everton"'
cp "$OUT" "$TMP/stdin1"

run_in "$TMP/plain.txt" extract
expect_rc "stdin without a path" 0
if cmp -s "$OUT" "$TMP/stdin1"; then ok; else bad "stdin with and without - differ"; fi

run_in "$TMP/vos.txt" extract --format text - "$TMP/plain.txt"
expect_rc "stdin and a file" 0
expect_out "stdin article" "== "
expect_out "file after stdin" "== plain"

run extract "$TMP/does-not-exist.txt"
expect_rc "missing path" 1
expect_err "missing path is named" "$TMP/does-not-exist.txt"

run extract "$TMP/does-not-exist.txt" "$TMP/vos.txt"
expect_rc "missing path with a good one" 1
expect_lines "the good path is still read" 1

mkdir -p "$TMP/mixed/sub"
cp "$TMP/vos.txt" "$TMP/mixed/a.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' >"$TMP/mixed/b.png"
cp "$TMP/plain.txt" "$TMP/mixed/sub/c.txt"
: >"$TMP/mixed/d-empty.txt"
printf '  \n\t\n' >"$TMP/mixed/e-blank.txt"
run extract "$TMP/mixed"
expect_rc "directory with bad files" 1
expect_lines "good files in a directory are still read" 2
expect_err "binary file is named" "b.png"
expect_err "binary file message" "binary"
expect_err "empty file is named" "d-empty.txt"
expect_err "blank file is named" "e-blank.txt"
expect_err "summary of failures" "3 items failed; 2 articles extracted"
expect_out "directory articles by id" '{"id": "a"'
expect_out "subdirectory is read" '{"id": "c"'

run extract "$TMP/mixed/d-empty.txt"
expect_rc "empty file" 1
expect_err "empty file message" "empty file"
expect_lines "empty file gives no output" 0

printf 'date 2024-05-03\nEverton are keen on Ajax midfielder Pieter Vos after his display in M\xfcnchen.\n' >"$TMP/latin1.txt"
run extract "$TMP/latin1.txt"
expect_rc "invalid UTF-8 is only a warning" 0
expect_err "invalid UTF-8 warning" "warning:"
expect_err "invalid UTF-8 warning names the file" "latin1.txt"
expect_err "invalid UTF-8 warning says UTF-8" "UTF-8"
expect_lines "invalid UTF-8 article is still output" 1
expect_out "invalid UTF-8 article is extracted" '"to_club": "Everton"'

run extract --quiet "$TMP/latin1.txt"
expect_rc "--quiet" 0
expect_err_empty "--quiet hides warnings"
expect_lines "--quiet still outputs" 1

run extract -q "$TMP/mixed/b.png"
expect_rc "-q with a failure" 1
expect_err "-q does not hide failures" "binary"

{
    printf '{"id": "one", "text": "Everton are keen on Ajax midfielder Pieter Vos."}\n'
    printf '{"id": "two", "text": "broken\n'
    printf '{"id": "three", "text": "Leeds United want Celtic winger Ryan Doherty."}\n'
    printf '{"id": "four"}\n'
} >"$TMP/feed.jsonl"
run extract "$TMP/feed.jsonl"
expect_rc "malformed JSON line" 1
expect_err "malformed JSON names file and line" "feed.jsonl:2:"
expect_err "malformed JSON says so" "malformed JSON"
expect_err "missing text names its line" "feed.jsonl:4:"
expect_lines "the other JSON lines are output" 2
expect_out "line 1 output" '{"id": "one"'
expect_out "line 3 output" '{"id": "three"'

# a single 17 MB line, over the 16 MiB limit, then a good line
{
    printf '{"id": "huge", "text": "'
    head -c 17000000 /dev/zero | tr '\0' 'a'
    printf '"}\n{"id": "after", "text": "Everton are keen on Ajax midfielder Pieter Vos."}\n'
} >"$TMP/huge.jsonl"
run extract "$TMP/huge.jsonl"
expect_rc "17 MB line" 1
expect_err "17 MB line names file and line" "huge.jsonl:1:"
expect_err "17 MB line is over the limit" "over the 16 MiB"
expect_lines "the line after the 17 MB line is output" 1
expect_out "the line after the 17 MB line" '{"id": "after"'

# the same as one whole-file article
{
    head -c 17000000 /dev/zero | tr '\0' 'b'
} >"$TMP/huge.txt"
run extract "$TMP/huge.txt" "$TMP/vos.txt"
expect_rc "17 MB text file" 1
expect_err "17 MB text file message" "over the 16 MiB"
expect_lines "file after the 17 MB one is output" 1

rm -f "$TMP/huge.jsonl" "$TMP/huge.txt"

# --- the bundled examples (make demo) read as a person expects
run extract --format text "$SRC/examples/articles"
expect_rc "examples: exit status" 0
expect_out "examples: Villa bid for Lindqvist" "Tomas Lindqvist: Brentford -> Aston Villa  [bid]  bid 35000000 GBP"
expect_out "examples: rival suitors" "also interested: West Ham United, Newcastle United"
expect_out_re "examples: talks with the seller (Brentford sells, Villa buys)" "Tomas Lindqvist: Brentford -> Aston Villa  \[(talks|bid|rejected)\]"
expect_out "examples: a completed signing" "Diego Arrieta: Valencia -> Benfica  [signed]  fee 18000000 EUR"
expect_out "examples: release clause" "release_clause 40000000 EUR"
if grep -A1 -F "== gossip-3" "$OUT" | grep -qF "no transfer rumours"; then ok; else bad "examples: a manager's remark is no rumour"; fi

finish
