#!/usr/bin/env bash
# End-to-end tests of `radar serve`'s HTTP API over the small world of
# tests/fixtures/store: every endpoint, every error status (400, 403, 404, 405,
# 413, 421, 500, 503), malformed and oversized requests, path tricks (/../,
# %2e%2e, %00), lengths told wrongly, Host and Origin checks, the bounds of a
# search (and the CLI's), HEAD, keep-alive, the page's files and their
# headers, serving while `radar ingest` writes to the same database, costly
# searches beside health checks, and a clean stop on SIGTERM.
# Needs RADAR and SRC; uses bash, coreutils, grep, curl and python3 (for the
# JSON); fails without curl or python3 (scripts/install-deps installs them).
set -u
export LC_ALL=C
: "${RADAR:?RADAR must point at the radar binary}"
: "${SRC:?SRC must point at the source root}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/radar-serve.XXXXXX")
SERVE_PID=""
cleanup() {
    [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 143" INT TERM
trap "" PIPE # a raw request the server refused before reading it all: the write fails, the test goes on

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in curl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is not installed (scripts/install-deps installs it)"
        exit 1
    fi
done

# get [CURL ARGS...] PATH: a request to the server; the body lands in $OUT,
# the status in CODE, the content type in CTYPE, the headers in $TMP/headers.
get() {
    local path=${*: -1}
    local args=("${@:1:$#-1}")
    local w
    w=$(curl -sS --path-as-is --max-time 20 -D "$TMP/headers" -o "$OUT" -w '%{http_code} %{content_type}' \
        "${args[@]}" "$BASE$path" 2>"$ERR")
    RC=$?
    CODE=${w%% *}
    CTYPE=${w#* }
}

expect_status() {
    if [ "$CODE" = "$2" ]; then ok; else bad "$1 (expected HTTP $2, got $CODE)"; fi
}

# expect_json DESC PYTHON-EXPR: the body is JSON and the expression over it (d) holds.
expect_json() {
    if python3 - "$OUT" "$2" <<'PY' 2>"$TMP/py.err"; then ok; else bad "$1 (JSON check failed: $2; $(head -c 300 "$TMP/py.err"))"; fi
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

JSON_TYPE="application/json; charset=utf-8"
# expect_error DESC PATH STATUS [CURL ARGS...]: a JSON error with that status.
expect_error() {
    local desc=$1 path=$2 status=$3
    shift 3
    get "$@" "$path"
    expect_status "$desc" "$status"
    if [ "$CTYPE" = "$JSON_TYPE" ]; then ok; else bad "$desc (content type '$CTYPE')"; fi
    expect_json "$desc: {\"error\": message}" 'isinstance(d.get("error"), str) and len(d["error"]) > 0 and list(d) == ["error"]'
}

DB="$TMP/radar.db"
run ingest --db "$DB" "$SRC/tests/fixtures/store/articles"
expect_rc "ingest the fixture world" 0

# --- usage --------------------------------------------------------------------
run serve --help
expect_rc "serve --help" 0
expect_out "serve --help shows usage" "usage: radar serve"
run serve --db "$DB" extra
expect_rc "serve takes no argument" 2
run serve --db "$DB" --threads 0
expect_rc "serve --threads 0" 2
run serve --db "$DB" --listen localhost:8080
expect_rc "a listen address must be numeric" 2
expect_err "the listen error says why" "not a numeric IP address"
run serve --db "$DB" --listen 127.0.0.1:99999
expect_rc "a port over 65535" 2
run serve --db "$TMP/none.db" --listen 127.0.0.1:0
expect_rc "serving a database that does not exist fails at start" 1
expect_err "and says so" "no database here yet"
printf 'not a database' >"$TMP/junk.db"
run serve --db "$TMP/junk.db" --listen 127.0.0.1:0
expect_rc "serving something that is not a database fails at start" 1

# --- start ---------------------------------------------------------------------
if ! serve_start "$DB"; then
    bad "radar serve starts on a free port"
    finish
    exit 1
fi
ok
grep -q "on http://127.0.0.1:$PORT/" "$TMP/serve.err" && ok || bad "serve names its address"

# a second server on the same port fails clearly
run serve --db "$DB" --listen "127.0.0.1:$PORT"
expect_rc "a port in use" 1
expect_err "a port in use is named" "cannot listen on 127.0.0.1:$PORT"

# --- endpoints -----------------------------------------------------------------
get /api/health
expect_status "health" 200
[ "$CTYPE" = "$JSON_TYPE" ] && ok || bad "health content type '$CTYPE'"
expect_json "health says ok and counts stories" 'd["status"] == "ok" and d["stories"] == 9 and d["version"]'
grep -qi '^X-Content-Type-Options: nosniff' "$TMP/headers" && ok || bad "API responses carry nosniff"
grep -qi '^Cache-Control: no-store' "$TMP/headers" && ok || bad "API responses are not cached"

get /api/stories
expect_status "stories" 200
expect_json "stories: the board, hot first" 'd["total"] == 9 and len(d["stories"]) == 9 and d["limit"] == 50 and d["offset"] == 0 and d["stories"][0]["player"] == "Rasmus Hjelde" and d["stories"][0]["to_club"] == "Arsenal"'
expect_json "story rows have the store's fields" 'all(set(["id","player","to_club","from_club","first_seen","last_seen","mentions","stage","status","heat"]) <= set(s) for s in d["stories"])'
get "/api/stories?club=Inter"
expect_json "club filter, by alias" 'd["total"] == 1 and d["stories"][0]["to_club"] == "Inter Milan"'
get "/api/stories?club=Sporting+CP"
expect_json "club filter: the selling club too, '+' is a space" 'd["total"] == 3'
get "/api/stories?player=muller"
expect_json "player filter, accents forgiven" 'd["total"] == 1 and d["stories"][0]["player"] == "Jannik Müller"'
get "/api/stories?player=J%C3%BCller"
expect_status "percent-encoded UTF-8 in a parameter" 200
get "/api/stories?since=2023-06-01"
expect_json "since filter" 'd["total"] >= 1 and all(s["last_seen"] >= "2023-06-01" for s in d["stories"])'
get "/api/stories?stage=agreement"
expect_json "stage filter" 'd["total"] == 1 and d["stories"][0]["player"] == "Luca Ferrante"'
get "/api/stories?source=Sky+Sports"
expect_json "source filter" 'd["total"] == 1 and len(d["stories"]) == 1'
get "/api/stories?source=Fabrizio+Romano&club=Arsenal"
expect_json "source and club filters together" 'all(s["to_club"] == "Arsenal" or s["from_club"] == "Arsenal" for s in d["stories"])'
get "/api/stories?sort=recent"
expect_json "sort=recent" '[s["last_seen"] for s in d["stories"]] == sorted([s["last_seen"] for s in d["stories"]], reverse=True)'
get "/api/stories?sort=first"
expect_json "sort=first" '[s["first_seen"] for s in d["stories"]] == sorted([s["first_seen"] for s in d["stories"]])'
get "/api/stories?sort=first&limit=2&offset=1"
expect_json "pagination" 'len(d["stories"]) == 2 and d["limit"] == 2 and d["offset"] == 1 and d["total"] == 9'
get "/api/stories?club=&player=&sort="
expect_json "empty parameters count as absent" 'd["total"] == 9'
get "/api/stories?club=Nowhere+Rovers"
expect_json "a club with no story: an empty board" 'd["total"] == 0 and d["stories"] == []'

get "/api/stories?player=Hjelde&club=Arsenal"
ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stories"][0]["id"])' "$OUT" 2>/dev/null)
get "/api/stories/$ID"
expect_status "one story" 200
expect_json "a story: timeline, evidence spans, sources, rivals" 'd["id"] == '"${ID:-0}"' and len(d["timeline"]) == 2 and all(m["evidence"] and len(m["evidence"][0]["span"]) == 2 and m["evidence"][0]["text"] for m in d["timeline"]) and isinstance(d["rival_suitors"], list) and d["status"] == "resurfaced"'
expect_json "a story: fee and sources of its first mention" 'd["timeline"][0]["fee"]["currency"] == "GBP" and d["timeline"][0]["sources"]'
ARTICLE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timeline"][0]["article"])' "$OUT" 2>/dev/null)
# the evidence is where its span says, in the article's body (byte offsets)
cp "$OUT" "$TMP/story.json"
get "/api/articles/$ARTICLE"
expect_status "an article" 200
expect_json "an article: id, date, body" 'd["id"] == "'"$ARTICLE"'" and d["date"] == "2019-06-10" and "Hjelde" in d["body"]'
if python3 - "$TMP/story.json" "$OUT" <<'PY'; then ok; else bad "evidence spans are byte offsets into the article body"; fi
import json, sys
story = json.load(open(sys.argv[1], encoding="utf-8"))
art = json.load(open(sys.argv[2], encoding="utf-8"))
body = art["body"].encode("utf-8")
ev = story["timeline"][0]["evidence"][0]
a, b = ev["span"]
sys.exit(0 if body[a:b].decode("utf-8") == ev["text"] else 1)
PY

get /api/players/muller
expect_status "a player" 200
expect_json "a player, by a forgiving name" 'd["players"][0]["name"] == "Jannik Müller" and d["players"][0]["stories"]'
get "/api/players/J%C3%A4nnik%20M%C3%BCller"
expect_status "a player, percent-encoded" 200
get /api/clubs/Arsenal
expect_status "a club" 200
expect_json "a club: linked in and out, facts" 'd["club"] == "Arsenal" and len(d["linked_in"]) == 1 and isinstance(d["linked_out"], list) and isinstance(d["facts"], list)'
get /api/clubs/internazionale
expect_json "a club, by alias" 'd["club"] == "Inter Milan" and len(d["linked_in"]) == 1'
get /api/sources
expect_status "sources" 200
expect_json "sources: names, kinds, counts" 'd["sources"][0]["name"] == "Fabrizio Romano" and all("mentions" in s and "stories" in s for s in d["sources"])'
expect_json "sources: records with hit rates" 'all(0 < s["hit_rate"] < 1 and len(s["interval"]) == 2 for s in d["sources"])'
get "/api/sources/Fabrizio%20Romano"
expect_status "a source" 200
expect_json "a source: its record and stories" 'd["name"] == "Fabrizio Romano" and len(d["stories_reported"]) == 3'
expect_error "an unknown source" "/api/sources/Nobody" 404
get /api/outcomes
expect_status "outcomes" 200
expect_json "outcomes: resolved and unmatched lists" 'isinstance(d["resolved"], list) and d["unmatched"] == []'
get "/api/stories?sort=likelihood&limit=3"
expect_status "stories by likelihood" 200
expect_json "stories by likelihood: descending" '[s["likelihood"] for s in d["stories"]] == sorted([s["likelihood"] for s in d["stories"]], reverse=True)'
get "/api/search?q=hamstring"
expect_status "search" 200
expect_json "search: hits with highlighted snippets" 'len(d["hits"]) == 1 and "[hamstring]" in d["hits"][0]["snippet"]'
get "/api/search?q=%22release+clause%22&limit=1"
expect_json "search: a phrase, limited" 'len(d["hits"]) == 1'

# --- the page ------------------------------------------------------------------
get /
expect_status "the page" 200
[ "$CTYPE" = "text/html; charset=utf-8" ] && ok || bad "the page is HTML ('$CTYPE')"
expect_out "the page loads its script" 'src="app.js"'
grep -qi "^Content-Security-Policy: default-src 'none'" "$TMP/headers" && ok || bad "the page has a security policy"
get /app.js
[ "$CTYPE" = "text/javascript; charset=utf-8" ] && ok || bad "app.js content type ('$CTYPE')"
get /style.css
[ "$CTYPE" = "text/css; charset=utf-8" ] && ok || bad "style.css content type ('$CTYPE')"
get /favicon.svg
[ "$CTYPE" = "image/svg+xml" ] && ok || bad "favicon.svg content type ('$CTYPE')"
get -I /api/health
expect_status "HEAD" 200
grep -q '{' "$OUT" && bad "HEAD sends no body" || ok
grep -qi '^Content-Length: [1-9]' "$TMP/headers" && ok || bad "HEAD gives the length of what GET would send"

# --- errors ----------------------------------------------------------------------
expect_error "no such endpoint" /api/nothing 404
expect_error "no such file" /nothing.html 404
expect_error "no such story" /api/stories/999999 404
expect_error "no such player" /api/players/Nobody 404
expect_error "no such article" /api/articles/nope 404
expect_error "a club nothing names" /api/clubs/Nowhere%20Rovers 404
expect_error "a story id that is not a number" /api/stories/abc 400
expect_error "a story id of zero" /api/stories/0 400
expect_error "a story id too large" /api/stories/99999999999999999999999 400
expect_json "a story id too large is out of range" '"out of range" in d["error"]'
expect_error "an unknown stage" "/api/stories?stage=bogus" 400
expect_json "the unknown stage is named, and the stages listed" '"bogus" in d["error"] and all(s in d["error"] for s in ("interest", "talks", "agreement", "signed", "none"))'
get "/api/stories?stage=none"
expect_status "stage none (stories with only endings)" 200
expect_error "an unknown sort (likelihood is for a store that knows it)" "/api/stories?sort=sideways" 400
expect_json "the unknown sort is named" '"sideways" in d["error"]'
expect_error "an unknown parameter" "/api/stories?sotr=recent" 400
expect_json "the unknown parameter is named" '"sotr" in d["error"]'
expect_error "a parameter twice" "/api/stories?club=a&club=b" 400
expect_error "a bad date" "/api/stories?since=2024-02-30" 400
expect_error "limit 0" "/api/stories?limit=0" 400
expect_error "limit over the maximum" "/api/stories?limit=201" 400
expect_error "a negative offset" "/api/stories?offset=-1" 400
expect_error "an offset that is not a number" "/api/stories?offset=1e3" 400
expect_error "parameters on a story" "/api/stories/1?x=1" 400
expect_error "search without a query" /api/search 400
expect_error "a search with no word to look for" "/api/search?q=%2A" 400
expect_error "search limit over the maximum" "/api/search?q=bid&limit=1000" 400
# a query's cost is bounded before it runs: words, and prefixes of one or two letters
expect_error "a search of 17 words" "/api/search?q=$(printf 'bid+%.0s' $(seq 1 16))bid" 400
expect_json "17 words: said" '"at most 16 words" in d["error"]'
expect_error "a phrase of 17 words" "/api/search?q=%22$(printf 'bid+%.0s' $(seq 1 16))bid%22" 400
expect_error "a one-letter prefix" "/api/search?q=a*" 400
expect_json "a short prefix: said" '"at least 3 letters" in d["error"]'
expect_error "a two-letter prefix in a phrase" "/api/search?q=%22release+cl%22*" 400
expect_error "a two-letter prefix after words" "/api/search?q=hamstring+ha*" 400
get "/api/search?q=$(printf 'bid+%.0s' $(seq 1 15))bid"
expect_status "a search of 16 words" 200
get "/api/search?q=ham*"
expect_status "a prefix of three letters" 200
expect_json "a three-letter prefix matches" 'any("[hamstring]" in h["snippet"] for h in d["hits"])'
get "/api/search?q=ham*+OR+NEAR(release+clause,+5)+OR+title:bid+%22open"
expect_status "FTS5 syntax and an open quote are words, no error" 200
# the CLI has the same bounds, and says the same
run search --db "$DB" "$(printf 'bid %.0s' $(seq 1 17))"
expect_rc "radar search of 17 words" 2
expect_err "radar search of 17 words: said" "at most 16 words"
run search --db "$DB" 'ab*'
expect_rc "radar search of a two-letter prefix" 2
expect_err "radar search of a short prefix: said" "at least 3 letters"
run search --db "$DB" 'ham*'
expect_rc "radar search of a three-letter prefix" 0
expect_out "radar search of a three-letter prefix finds" "[hamstring]"
run stories --db "$DB" --stage bogus
expect_rc "radar stories --stage bogus" 2
expect_err "radar stories --stage bogus lists the stages" "unknown stage 'bogus' (interest, contact, talks, bid, agreement, medical, signed, rejected, collapsed, denied, or none)"
run stories --db "$DB" --stage agreement
expect_rc "radar stories --stage agreement" 0
expect_out "radar stories --stage agreement finds" "Luca Ferrante"
run story --db "$DB" 99999999999999999999
expect_rc "radar story with an id too large" 2
expect_err "radar story with an id too large: out of range" "story id 99999999999999999999 is out of range"
expect_error "malformed percent-encoding" "/api/players/%zz" 400
expect_error "a truncated escape" "/api/players/abc%4" 400
expect_error "invalid UTF-8" "/api/players/%ff%fe" 400

# path tricks
expect_error "/../ in the path" "/api/../api/health" 400
expect_error "/.. at the end" "/api/stories/.." 400
expect_error "/./ in the path" "/./app.js" 400
expect_error "percent-encoded dots" "/api/players/%2e%2e" 400
# one segment "../etc/passwd": a name like any other, and no such file (the page's files are compiled in;
# there is no file system behind them)
expect_error "percent-encoded dots and slashes" "/%2e%2e%2fetc%2fpasswd" 404
expect_error "a percent-encoded NUL in the path" "/api/players/Hjelde%00.html" 400
expect_error "a percent-encoded NUL in a parameter" "/api/stories?club=Arsenal%00" 400
expect_error "a percent-encoded newline" "/api/players/a%0d%0aSet-Cookie:x" 400
expect_error "a path outside the page" "/etc/passwd" 404
get "/api/players/%2Fetc%2Fpasswd"
expect_status "an encoded slash stays inside the name" 404

# methods
for m in POST PUT DELETE PATCH OPTIONS; do
    expect_error "$m" /api/stories 405 -X "$m"
    grep -qi '^Allow: GET, HEAD' "$TMP/headers" && ok || bad "$m: 405 names the allowed methods"
done
expect_error "POST with a body" /api/stories 405 --data-binary 'club=Arsenal'

# sizes
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect_error "a request target over 4096 bytes" "/api/search?q=$long" 413
long=$(head -c 600 /dev/zero | tr '\0' 'b')
expect_error "a parameter over 512 bytes" "/api/search?q=$long" 413
expect_error "a name over 512 bytes" "/api/players/$long" 413
many=$(for i in $(seq 1 20); do printf 'p%d=1&' "$i"; done)
expect_error "more than 16 parameters" "/api/stories?$many" 413
head -c 5000 /dev/zero | tr '\0' 'x' >"$TMP/body"
expect_error "a GET with a 5000-byte body" /api/health 413 -X GET --data-binary "@$TMP/body"
expect_error "a GET with a 5000-byte chunked body" /api/health 413 -X GET -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/body"
get -X GET --data-binary 'small' /api/health
expect_status "a small body on a GET is ignored" 200
# headers beyond what the HTTP library holds: refused by it (its own status and page), and the server lives on
huge=$(head -c 40000 /dev/zero | tr '\0' 'h')
get -H "X-Huge: $huge" /api/health
case $CODE in 413 | 414 | 431) ok ;; *) bad "40 KB of headers refused (got $CODE)" ;; esac
get /api/health
expect_status "the server still answers after refusals" 200

# raw requests curl would not send
raw() {
    local out
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
    printf '%b' "$1" >&3 2>/dev/null
    out=$(timeout 5 cat <&3 | head -c 4000)
    exec 3<&-
    printf '%s' "$out" >"$OUT"
}
raw "GET relative/path HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nConnection: close\r\n\r\n"
expect_out "a target without a leading slash" "HTTP/1.1 400"
raw "GET /api/players/a\x01b HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nConnection: close\r\n\r\n"
expect_out "a raw control byte in the path" "HTTP/1.1 400"
raw 'NONSENSE\r\n\r\n'
check "a malformed request line gets no 200" bash -c "! grep -q 'HTTP/1.1 200' '$OUT'"
raw 'GET /api/health HTTP/1.0\r\n\r\n'
expect_out "HTTP/1.0" "HTTP/1.1 200"
get /api/health
expect_status "the server still answers after malformed requests" 200

# the length of the body told wrongly: one answer, ours (libmicrohttpd alone sends two status lines)
for cl in -1 '5, 6' abc 99999999999999999999999; do
    raw "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nContent-Length: $cl\r\n\r\n"
    n=$(grep -c '^HTTP/1' "$OUT")
    [ "$n" = 1 ] && ok || bad "Content-Length: $cl gets exactly one status line (got $n)"
    grep -qE '^HTTP/1.1 (400|413) ' "$OUT" && ok || bad "Content-Length: $cl is refused with 400 or 413"
    grep -qi '^X-Content-Type-Options: nosniff' "$OUT" && ok || bad "Content-Length: $cl: the refusal carries nosniff"
    expect_out "Content-Length: $cl: the refusal says why" '{"error":"the request'"'"'s Content-Length is'
done
# two lengths: where the request ends is unknown, so is where a next one would begin
raw "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nGET /api/stories HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nConnection: close\r\n\r\n"
expect_out "two different Content-Length headers: 400" "HTTP/1.1 400"
expect_out "two different Content-Length headers: said" "two different Content-Length headers"
n=$(grep -c '^HTTP/1' "$OUT")
[ "$n" = 1 ] && ok || bad "two different Content-Length headers: one answer and the connection closes (got $n status lines)"
raw "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"
expect_out "Content-Length with Transfer-Encoding: 400" "HTTP/1.1 400"
raw "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nContent-Length: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
expect_out "the same Content-Length twice is one length" "HTTP/1.1 200"
# every answer of ours says nosniff, refusals included
for case in "/api/nothing" "/nothing.html" "/api/stories?limit=0" "/api/search?q=a*" "/app.js" "/"; do
    get "$case"
    grep -qi '^X-Content-Type-Options: nosniff' "$TMP/headers" && ok || bad "$case ($CODE) carries nosniff"
done
get -X POST /api/stories
grep -qi '^X-Content-Type-Options: nosniff' "$TMP/headers" && ok || bad "a 405 carries nosniff"
# libmicrohttpd's own refusals (headers over its memory, a malformed request line) are sent without ours:
# it has no hook to add a header to them (docs/api.md)
get -H "X-Huge: $huge" /api/health
grep -qi '^X-Content-Type-Options: nosniff' "$TMP/headers" && ok ||
    known_gap "libmicrohttpd's own $CODE for headers over 32 KB carries no X-Content-Type-Options"

# --- who may ask: the Host header (DNS rebinding) and pages of other sites ----------
expect_error "a Host of another name" /api/health 421 -H "Host: rebound.example:$PORT"
expect_json "the 421 names the host and the way to allow it" '"rebound.example" in d["error"] and "--allow-host" in d["error"]'
expect_error "a Host of another name, the page" / 421 -H "Host: rebound.example:$PORT"
expect_error "a loopback name on another port" /api/health 421 -H "Host: localhost:1"
expect_error "a loopback name without the port" /api/health 421 -H "Host: 127.0.0.1"
expect_error "another loopback address" /api/health 421 -H "Host: 127.0.0.2:$PORT"
expect_error "a Host with something after the port" /api/health 421 -H "Host: localhost:$PORT.rebound.example"
for h in "localhost:$PORT" "LocalHost:$PORT" "[::1]:$PORT" "127.0.0.1:$PORT"; do
    get -H "Host: $h" /api/health
    expect_status "Host: $h" 200
done
raw "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nHost: rebound.example\r\nConnection: close\r\n\r\n"
expect_out "two Host headers: 400" "HTTP/1.1 400"
expect_out "two Host headers: said" "more than one Host header"
raw "GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"
expect_out "HTTP/1.1 without a Host: 400" "HTTP/1.1 400"
expect_out "HTTP/1.1 without a Host: said" "must name the server in a Host header"
expect_error "a page of another site (Origin)" /api/stories 403 -H "Origin: http://rebound.example"
expect_json "the 403 says why" '"another site" in d["error"]'
expect_error "a page of this site on another port (Origin)" /api/health 403 -H "Origin: http://localhost:1"
expect_error "an opaque origin" /api/health 403 -H "Origin: null"
expect_error "a page of another site (Sec-Fetch-Site)" /api/stories 403 -H "Sec-Fetch-Site: cross-site"
expect_error "a page of another site loading the script" /app.js 403 -H "Sec-Fetch-Site: cross-site" -H "Sec-Fetch-Mode: no-cors"
expect_error "a link from another site into the API" /api/stories 403 -H "Sec-Fetch-Site: cross-site" -H "Sec-Fetch-Mode: navigate"
expect_error "another site posting a form" /api/stories 405 -X POST -H "Origin: http://rebound.example"
get -H "Sec-Fetch-Site: cross-site" -H "Sec-Fetch-Mode: navigate" -H "Sec-Fetch-Dest: document" /
expect_status "a link from another site to the board opens it" 200
get -H "Origin: http://localhost:$PORT" -H "Sec-Fetch-Site: same-origin" /api/stories
expect_status "the board's own requests" 200
get -H "Origin: http://127.0.0.1:$PORT" /api/health
expect_status "an Origin naming this server" 200
get -H "Sec-Fetch-Site: none" /api/health
expect_status "a request typed in the address bar" 200

# keep-alive: two requests, one connection
curl -sS -v -o /dev/null -o /dev/null "$BASE/api/health" "$BASE/api/sources" 2>"$TMP/keepalive.err"
grep -q "Re-using existing connection" "$TMP/keepalive.err" && ok || bad "keep-alive between requests"

# --- serving while radar ingest writes (WAL) ---------------------------------------
"$RADAR" ingest -q --db "$DB" "$SRC/examples/articles" >/dev/null 2>"$TMP/ingest.err" &
ingest_pid=$!
fails=0
n=0
while kill -0 "$ingest_pid" 2>/dev/null || [ "$n" -lt 20 ]; do
    get /api/stories?limit=5
    [ "$CODE" = 200 ] || fails=$((fails + 1))
    n=$((n + 1))
    [ "$n" -ge 400 ] && break
done
wait "$ingest_pid"
RC=$?
expect_rc "ingest beside the server" 0
[ "$fails" -eq 0 ] && ok || bad "$fails of $n requests failed while ingest wrote"
get /api/health
expect_json "the server sees what ingest committed, without a restart" 'd["stories"] > 9'
get "/api/stories?player=Lindqvist"
expect_json "new stories are served" 'd["total"] >= 1'

# --- 500: a database that lacks what the store asks for ---------------------------
serve_stop
[ "$SERVE_RC" = 0 ] && ok || bad "SIGTERM stops the server cleanly (exit status $SERVE_RC)"
cp "$TMP/serve.err" "$TMP/serve1.err"
cp "$DB" "$TMP/broken.db"
if python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DROP TABLE mention_sources"); c.execute("DROP TABLE source_stats"); c.commit()' \
    "$TMP/broken.db" 2>"$TMP/py.err"; then
    serve_start "$TMP/broken.db" --threads 1 || bad "serve a damaged database"
    get /api/health
    expect_status "a damaged database still answers what it can" 200
    expect_error "a question the damaged database cannot answer" /api/sources 500
    expect_json "the 500 says what failed" '"no such table: source_stats" in d["error"]'
else
    bad "500 on a damaged database not tested: python3 without sqlite3 ($(head -c 200 "$TMP/py.err"))"
fi

# --- --allow-host: names besides this machine's ------------------------------------
serve_stop
cat "$TMP/serve.err" >>"$TMP/serve1.err"
run serve --db "$DB" --listen 127.0.0.1:0 --allow-host 'bad name'
expect_rc "an --allow-host that is no name" 2
expect_err "an --allow-host that is no name: said" "allowed host 'bad name'"
run serve --db "$DB" --listen 127.0.0.1:0 --search-timeout 0
expect_rc "--search-timeout 0" 2
if serve_start "$DB" --allow-host radar.example --allow-host other.example:81; then
    for h in radar.example RADAR.Example:9999 "localhost:$PORT" other.example:81; do
        get -H "Host: $h" /api/health
        expect_status "--allow-host: Host: $h" 200
    done
    expect_error "--allow-host NAME:PORT is that port only" /api/health 421 -H "Host: other.example:82"
    expect_error "--allow-host NAME:PORT is that port only (none written is 80)" /api/health 421 -H "Host: other.example"
    expect_error "--allow-host: not the names under it" /api/health 421 -H "Host: www.radar.example"
    expect_json "the 421 lists the allowed names" '"radar.example" in d["error"] and "other.example:81" in d["error"]'
    get -H "Host: radar.example" -H "Origin: https://radar.example" /api/health
    expect_status "--allow-host: the page's origin behind a proxy" 200
else
    bad "radar serve --allow-host starts"
fi

# --- costly searches: stopped in time, and never in the way of other requests -------
serve_stop
cat "$TMP/serve.err" >>"$TMP/serve1.err"
# 2000 articles of 150 made-up words that all begin "zqa": each "zqa*" merges 300,000 words' postings
python3 - "$TMP/slow.jsonl" <<'PY'
import json, random, sys
rng = random.Random(7)
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        words = " ".join("zqa" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(150))
        f.write(json.dumps({"id": "slow-%04d" % i, "date": "2024-03-01", "text": "Arsenal are watching. " + words}) + "\n")
PY
run ingest -q --db "$TMP/slow.db" "$TMP/slow.jsonl"
expect_rc "ingest a store of many words" 0
costly="/api/search?q=$(printf 'zqa*+%.0s' $(seq 1 15))zqa*"
ms_now() { date +%s%3N; }
if serve_start "$TMP/slow.db"; then
    pids=()
    for i in $(seq 1 8); do
        curl -sS --max-time 60 -o "$TMP/search$i.json" -w '%{http_code}' "$BASE$costly" >"$TMP/search$i.code" 2>/dev/null &
        pids+=($!)
    done
    sleep 0.5
    t0=$(ms_now)
    get /api/health
    t1=$(ms_now)
    expect_status "health while 8 costly searches run" 200
    [ $((t1 - t0)) -lt 1000 ] && ok || bad "health answered in $((t1 - t0)) ms while 8 costly searches ran (within 1000 ms expected)"
    t0=$(ms_now)
    get "/api/stories?limit=5"
    t1=$(ms_now)
    expect_status "the board while 8 costly searches run" 200
    [ $((t1 - t0)) -lt 1000 ] && ok || bad "the board answered in $((t1 - t0)) ms while 8 costly searches ran (within 1000 ms expected)"
    wait "${pids[@]}"
    for i in $(seq 1 8); do
        code=$(cat "$TMP/search$i.code")
        case $code in
        200) ok ;;
        503) grep -qE '"error":"search: (stopped after 2000 ms|too many searches at once)' "$TMP/search$i.json" && ok ||
            bad "costly search $i: the 503 says why ($(head -c 200 "$TMP/search$i.json"))" ;;
        *) bad "costly search $i: HTTP $code (200, or 503 at the deadline, expected)" ;;
        esac
    done
else
    bad "radar serve starts on the store of many words"
fi
serve_stop
cat "$TMP/serve.err" >>"$TMP/serve1.err"
if serve_start "$TMP/slow.db" --search-timeout 100; then
    t0=$(ms_now)
    get "$costly"
    t1=$(ms_now)
    expect_status "a search past its deadline" 503
    expect_json "a search past its deadline: said" '"stopped after 100 ms" in d["error"]'
    [ $((t1 - t0)) -lt 3000 ] && ok || bad "a search with a deadline of 100 ms took $((t1 - t0)) ms"
    get "/api/search?q=Arsenal&limit=1"
    expect_status "a cheap search meanwhile" 200
else
    bad "radar serve --search-timeout starts"
fi

# --- stop ---------------------------------------------------------------------------
serve_stop
[ "$SERVE_RC" = 0 ] && ok || bad "SIGTERM stops the server cleanly (exit status $SERVE_RC)"
cat "$TMP/serve.err" >>"$TMP/serve1.err"
mv "$TMP/serve1.err" "$TMP/serve.err"
if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$TMP/serve.err"; then
    bad "the sanitizers found a problem in radar serve: $(grep -m1 -E 'ERROR|runtime error' "$TMP/serve.err")"
else
    ok
fi
grep -q 'GET /api/health 200' "$TMP/serve.err" && ok || bad "requests are logged"
finish
