#!/usr/bin/env bash
# `make install` with DESTDIR and PREFIX puts the command, its man page and
# its bash and zsh completions in place; the man page reads with man -l;
# the bash completion, sourced, completes commands, options and stored
# club and player names; `make uninstall` removes them all.
# Needs RADAR, SRC, RADAR_BUILD_DIR, make, cmake, man and zsh (a missing one fails).
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"
: "${RADAR_BUILD_DIR:?RADAR_BUILD_DIR must point at the build directory}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in make cmake man zsh; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool not found (scripts/install-deps installs it)"
        exit 1
    fi
done

DEST="$TMP/stage"
make -s -C "$SRC" install BUILD="$RADAR_BUILD_DIR" DESTDIR="$DEST" PREFIX=/opt/radar >"$TMP/make.out" 2>&1
RC=$?
expect_rc "make install DESTDIR=... PREFIX=/opt/radar" 0
BIN="$DEST/opt/radar/bin/radar"
MAN="$DEST/opt/radar/share/man/man1/radar.1"
BASHC="$DEST/opt/radar/share/bash-completion/completions/radar"
ZSHC="$DEST/opt/radar/share/zsh/site-functions/_radar"
for f in "$BIN" "$MAN" "$BASHC" "$ZSHC"; do
    check "installed: ${f#"$DEST"}" test -f "$f"
done
check "installed: the command runs" bash -c '"$1" --version >/dev/null' _ "$BIN"

# the man page: one section per command
MANWIDTH=100 man -l "$MAN" >"$TMP/man.txt" 2>"$TMP/man.err"
RC=$?
expect_rc "man -l radar.1" 0
for c in extract ingest stories story player club search sources source outcomes train eval export serve feeds watch follow; do
    check "man page: a section for $c" grep -qE "^   $c( |$)" "$TMP/man.txt"
done
check "man page: every command of radar --help has a section" bash -c '
    for c in $("$1" --help | sed -n "s/^  \([a-z]*\) .*/\1/p"); do grep -q "^\.SS $c\b" "$2" || { echo "no section: $c"; exit 1; }; done' _ "$BIN" "$MAN"

# the bash completion, sourced
export RADAR_DB="$TMP/radar.db"
printf 'date 2024-02-01\nAston Villa are interested in Celtic defender Callum Rennie, according to the Daily Record.\n' >"$TMP/a.txt"
"$BIN" ingest -q "$TMP/a.txt"
complete_words() { # complete_words WORD...: what the completion offers for the last word
    bash -c '
        complete() { :; }
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _radar
        printf "%s\n" "${COMPREPLY[@]}"' _ "$BASHC" "$@"
}
check "bash: a command" test "$(complete_words "$BIN" fol)" = follow
check "bash: commands" test "$(complete_words "$BIN" st | tr '\n' ' ')" = "stories story "
check "bash: an option" test "$(complete_words "$BIN" stories --so | tr '\n' ' ')" = "--source --sort "
check "bash: a stage" test "$(complete_words "$BIN" stories --stage ag)" = agreement
check "bash: a stored club" test "$(complete_words "$BIN" club "Aston")" = "Aston Villa"
check "bash: a stored player" test "$(complete_words "$BIN" stories --player Cal)" = "Callum Rennie"
check "bash: follow add, a stored name" test "$(complete_words "$BIN" follow add Cel)" = "Celtic"
check "bash: help, a command" test "$(complete_words "$BIN" help exp)" = export

check "zsh: the completion parses" zsh -n "$ZSHC"

make -s -C "$SRC" uninstall DESTDIR="$DEST" PREFIX=/opt/radar >"$TMP/make.out" 2>&1
RC=$?
expect_rc "make uninstall" 0
check "uninstalled: nothing left" test -z "$(find "$DEST" -type f)"

finish
