#!/usr/bin/env bash
# Load test of `radar serve` with wrk, on 127.0.0.1 only, bounded in time (see bench/README.md,
# "Server benchmark").
#
#   bash bench/serve.sh PATH/TO/radar                              # the 1,000,000-article store
#   BENCH_SERVE_ARTICLES=20000 bash bench/serve.sh build/radar     # quick run on a small store
#
# 1. The store of BENCH_SERVE_ARTICLES generated articles (default 1000000) that bench/store.sh
#    builds in bench/out (built here through bench/store.sh when missing: a million articles take
#    a long while), copied, so that the concurrent ingest below leaves the original as it was.
# 2. `radar serve --quiet --threads BENCH_SERVE_THREADS` (default 4) on a free 127.0.0.1 port.
# 3. wrk, BENCH_SERVE_SECONDS each (default 15), BENCH_SERVE_CONNECTIONS connections (default 32)
#    on BENCH_SERVE_WRK_THREADS threads (default 2): /api/stories (the board, hot first, 50 per
#    page) and /api/stories/{id} (ids drawn at random from all stories). Requests per second and
#    p50/p99 latency.
# 4. While `radar ingest` adds BENCH_SERVE_INGEST_MB (default 30) of new articles to the database
#    being served: first the costliest search the bounds allow (BENCH_SERVE_SEARCH, default 16
#    prefix terms "the*") sent in a loop by one client, beside wrk on /api/stories and a second wrk
#    (one connection) on /api/health, whose latency percentiles are the figure: the target is health
#    within 100 ms at p99; then the same two runs as in 3. Every response must be a 200 (wrk's
#    non-2xx count and socket errors must be 0) except the searches', which must be a 200 or a 503
#    that says the search reached its deadline; ingest must succeed, and the server must then see
#    the new stories.
# Needs bash 5, wrk, curl, awk and what bench/store.sh needs. Exit status: 0 when every request
# succeeded, 1 on a failed request or command, 2 on bad usage or a broken environment.
set -euo pipefail
export LC_ALL=C

die() { echo "bench-serve: $*" >&2; exit 2; }
fail() { echo "bench-serve: $*" >&2; failed=1; }
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: bash bench/serve.sh PATH/TO/radar"
radar_src=$1
[ -f "$radar_src" ] && [ -x "$radar_src" ] || die "$radar_src is not an executable (build it first: make)"
command -v wrk > /dev/null || die "wrk is not installed (as root: apt-get install wrk, or sh scripts/install-deps)"
command -v curl > /dev/null || die "curl is not installed"

n_articles=${BENCH_SERVE_ARTICLES:-1000000}
is_uint "$n_articles" || die "BENCH_SERVE_ARTICLES must be a positive integer"
secs=${BENCH_SERVE_SECONDS:-15}
is_uint "$secs" || die "BENCH_SERVE_SECONDS must be a positive integer"
conns=${BENCH_SERVE_CONNECTIONS:-32}
is_uint "$conns" || die "BENCH_SERVE_CONNECTIONS must be a positive integer"
wthreads=${BENCH_SERVE_WRK_THREADS:-2}
is_uint "$wthreads" || die "BENCH_SERVE_WRK_THREADS must be a positive integer"
sthreads=${BENCH_SERVE_THREADS:-4}
is_uint "$sthreads" || die "BENCH_SERVE_THREADS must be a positive integer"
ingest_mb=${BENCH_SERVE_INGEST_MB:-30}
is_uint "$ingest_mb" || die "BENCH_SERVE_INGEST_MB must be a positive integer"
seed=${BENCH_SEED:-1}
# the costliest search within the bounds (RADAR_MAX_SEARCH_TERMS words, prefixes of
# RADAR_MIN_SEARCH_PREFIX letters): every article has "the", "their", "they"...; on the generated
# corpus this costs more than the same words as a phrase, under NEAR or joined by OR
search=${BENCH_SERVE_SEARCH:-$(printf 'the*+%.0s' $(seq 1 15))the*}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/out
mkdir -p "$out" || die "cannot create $out"
failed=0

# ---------------------------------------------------------------- the store
store=$out/store-$n_articles.db
stamp=$store.stamp
if [ ! -f "$store" ] || [ ! -f "$stamp" ]; then
    echo "== no store of $n_articles articles in $out: building it with bench/store.sh"
    BENCH_STORE_ARTICLES=$n_articles BENCH_STORE_MB=1 BENCH_STORE_INGEST_RUNS=1 BENCH_RUNS=1 \
        BENCH_STORE_QUERY_RUNS=1 bash "$here/store.sh" "$radar_src" || die "bench/store.sh failed"
fi
stories=$(sed -n 's/^stories=//p' "$stamp" | head -n 1)
is_uint "$stories" || die "$stamp records no story count"

radar=$out/radar-serve-bench
cp "$radar_src" "$radar.tmp" && mv "$radar.tmp" "$radar" || die "cannot copy $radar_src"
db=$out/serve-$n_articles.db
rm -f "$db" "$db-wal" "$db-shm"
echo "== copying $store ($(mib "$(stat -c %s "$store")") MB) to $db"
cp --reflink=auto "$store" "$db" || die "cannot copy the store (disk full?)"
cat "$db" > /dev/null # a warm page cache, as a server that has run a while has

# new articles for the concurrent ingest: another seed, ids of their own (not updates of stored ones)
build_gen
corpus=$out/serve-ingest-$ingest_mb.jsonl
if [ ! -s "$corpus" ]; then
    "$gen" --mb "$ingest_mb" --seed $((seed + 1000)) | sed 's/^{"id":"bench-/{"id":"serve-/' > "$corpus.tmp" ||
        die "generating $corpus failed"
    mv "$corpus.tmp" "$corpus"
fi

# ---------------------------------------------------------------- the server
serr=$out/serve-stderr.txt
spid=""
ipid=""
qpid=""
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2> /dev/null
    [ -n "$ipid" ] && kill "$ipid" 2> /dev/null
    [ -n "$spid" ] && kill "$spid" 2> /dev/null
    wait 2> /dev/null || true
}
trap cleanup EXIT
"$radar" serve --quiet --db "$db" --listen 127.0.0.1:0 --threads "$sthreads" 2> "$serr" &
spid=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$serr" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$spid" 2> /dev/null || break
    sleep 0.1
done
[ -n "$port" ] || die "radar serve did not start: $(head -c 500 "$serr")"
base=http://127.0.0.1:$port
total_before=$(curl -sf "$base/api/health" | sed -n 's/.*"stories":\([0-9]*\).*/\1/p')
[ "$total_before" = "$stories" ] || fail "the server counts '$total_before' stories, the stamp $stories"

lua=$out/serve-random-story.lua
cat > "$lua" << 'EOF'
-- GET /api/stories/{id}, ids at random from 1..N (N is the argument after --)
local n = 1
function init(args)
    n = tonumber(args[1])
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
function request()
    return wrk.format("GET", "/api/stories/" .. math.random(1, n))
end
EOF

# wrk_run LABEL PATH [LUA]: one wrk run; appends a row to the report and counts failures.
rows=()
wrk_run() {
    local label=$1 path=$2 script=${3:-} log=$out/serve-wrk.txt
    if [ -n "$script" ]; then
        wrk -t "$wthreads" -c "$conns" -d "${secs}s" --timeout 10s --latency -s "$script" "$base$path" -- "$stories" > "$log" 2>&1 ||
            fail "wrk failed: $(tail -n 3 "$log")"
    else
        wrk -t "$wthreads" -c "$conns" -d "${secs}s" --timeout 10s --latency "$base$path" > "$log" 2>&1 ||
            fail "wrk failed: $(tail -n 3 "$log")"
    fi
    local rps p50 p99 reqs non2xx sockerr
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$log")
    p50=$(awk '$1 == "50%" { print $2 }' "$log")
    p99=$(awk '$1 == "99%" { print $2 }' "$log")
    reqs=$(awk '/requests in/ { print $1 }' "$log")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$log")
    sockerr=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$log")
    non2xx=${non2xx:-0} sockerr=${sockerr:-0}
    if [ "$non2xx" != 0 ] || [ "$sockerr" != 0 ]; then
        fail "$label: $non2xx non-2xx responses, $sockerr socket errors"
    fi
    printf '   %-46s %9s req/s  p50 %8s  p99 %8s  %8s requests, %s failed\n' "$label" "$rps" "$p50" "$p99" \
        "$reqs" "$((non2xx + sockerr))"
    rows+=("$(printf '%-46s %10s %9s %9s %9s %7s' "$label" "$rps" "$p50" "$p99" "$reqs" "$((non2xx + sockerr))")")
}

# to_ms VALUE: one of wrk's latencies (850.00us, 12.34ms, 1.20s) in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000;
        printf "%.2f", n }'
}

# search_loop FILE: the costliest search, one at a time, until killed; a line per answer in FILE:
# the status, the seconds it took, and whether the answer is a well-formed one (ok / bad).
search_loop() {
    local file=$1 body=$out/serve-search-body.json w code t
    : > "$file"
    while :; do
        w=$(curl -sS --max-time 30 -o "$body" -w '%{http_code} %{time_total}' "$base/api/search?q=$search" 2> /dev/null) ||
            w="000 ${w#* }"
        code=${w%% *} t=${w#* }
        case $code in
        200) grep -q '"hits":' "$body" && echo "$code $t ok" || echo "$code $t bad" ;;
        503) grep -q '"error":"search: ' "$body" && echo "$code $t ok" || echo "$code $t bad" ;;
        *) echo "$code $t bad" ;;
        esac >> "$file"
    done
}

# health_run: wrk on /api/stories, a second wrk (one connection) on /api/health and the search
# loop, all at once; reports health's latency percentiles and the searches' answers.
health_rows=()
health_run() {
    local log=$out/serve-wrk-health.txt slog=$out/serve-search.txt
    search_loop "$slog" &
    qpid=$!
    sleep 0.5
    wrk -t 1 -c 1 -d "${secs}s" --timeout 10s --latency "$base/api/health" > "$log" 2>&1 &
    local hpid=$!
    wrk_run "GET /api/stories beside searches, ingest" "/api/stories"
    wait "$hpid" || fail "wrk on /api/health failed: $(tail -n 3 "$log")"
    kill "$qpid" 2> /dev/null
    wait "$qpid" 2> /dev/null || true
    qpid=""
    local p50 p75 p90 p99 maxl reqs non2xx sockerr
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$log")")
    p75=$(to_ms "$(awk '$1 == "75%" { print $2 }' "$log")")
    p90=$(to_ms "$(awk '$1 == "90%" { print $2 }' "$log")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$log")")
    maxl=$(to_ms "$(awk '$1 == "Latency" { print $4 }' "$log")")
    reqs=$(awk '/requests in/ { print $1 }' "$log")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$log")
    sockerr=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$log")
    non2xx=${non2xx:-0} sockerr=${sockerr:-0}
    [ "$non2xx" = 0 ] && [ "$sockerr" = 0 ] || fail "/api/health: $non2xx non-2xx responses, $sockerr socket errors"
    local n ok200 ok503 bad stime
    n=$(wc -l < "$slog")
    ok200=$(awk '$1 == 200 && $3 == "ok"' "$slog" | wc -l)
    ok503=$(awk '$1 == 503 && $3 == "ok"' "$slog" | wc -l)
    bad=$(awk '$3 == "bad"' "$slog" | wc -l)
    stime=$(awk '{ s += $2 } END { if (NR) printf "%.2f", s / NR; else print "n/a" }' "$slog")
    [ "$bad" = 0 ] || fail "the costliest search: $bad answers neither a 200 nor a 503 at its deadline"
    local verdict="within the 100 ms target"
    awk -v p="$p99" 'BEGIN { exit !(p > 100) }' && verdict="OVER the 100 ms target"
    printf '   %-46s p50 %s  p75 %s  p90 %s  p99 %s  max %s ms; %s requests, %s failed: p99 %s\n' \
        "GET /api/health (1 connection)" "$p50" "$p75" "$p90" "$p99" "$maxl" "$reqs" "$((non2xx + sockerr))" "$verdict"
    printf '   %-46s %s searches: %s answered (200), %s stopped at the deadline (503), %s failed; %s s each\n' \
        "the costliest search, in a loop" "$n" "$ok200" "$ok503" "$bad" "$stime"
    health_rows+=("$(printf '%-22s %8s %8s %8s %8s %8s %9s %7s   %s searches: %s 200, %s 503, %s failed' "/api/health" \
        "$p50" "$p75" "$p90" "$p99" "$maxl" "$reqs" "$((non2xx + sockerr))" "$n" "$ok200" "$ok503" "$bad")")
}

busy=$(cpu_busy 2> /dev/null || true)
echo
echo "== Transfer Radar server benchmark"
echo "radar:    $radar_src ($("$radar" --version)), measured as a copy: $radar"
echo "machine:  $(nproc) CPU(s), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || echo unknown); other work before the runs: ${busy:-?}% of the CPUs"
echo "store:    $n_articles articles, $stories stories ($(mib "$(stat -c %s "$db")") MB), served from a copy"
echo "load:     wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}'), $wthreads threads, $conns connections, ${secs} s per run; radar serve --threads $sthreads"
echo "search:   /api/search?q=$search"

# warm-up: the first requests of each connection open their store connections
curl -sf -o /dev/null "$base/api/stories" && curl -sf -o /dev/null "$base/api/stories/1" ||
    fail "warm-up requests failed"

echo
echo "-- idle database"
wrk_run "GET /api/stories (board, 50 per page)" "/api/stories"
wrk_run "GET /api/stories/{id} (random ids)" "/api/stories/1" "$lua"

echo
echo "-- while radar ingest adds $ingest_mb MB of new articles"
ierr=$out/serve-ingest-stderr.txt
"$radar" ingest --db "$db" "$corpus" > /dev/null 2> "$ierr" &
ipid=$!
sleep 1
health_run
wrk_run "GET /api/stories during ingest" "/api/stories"
wrk_run "GET /api/stories/{id} during ingest" "/api/stories/1" "$lua"
if kill -0 "$ipid" 2> /dev/null; then
    ingest_state="still running after the three runs (as intended)"
else
    ingest_state="ended before the last run finished: raise BENCH_SERVE_INGEST_MB for a longer overlap"
fi
echo "   ingest: $ingest_state; waiting for it"
ist=0
wait "$ipid" || ist=$?
ipid=""
[ "$ist" = 0 ] || fail "radar ingest failed (status $ist): $(tail -n 3 "$ierr")"
total_after=$(curl -sf "$base/api/health" | sed -n 's/.*"stories":\([0-9]*\).*/\1/p')
echo "   $(grep -oE 'The store holds [0-9]+ articles, [0-9]+ mentions, [0-9]+ stories' "$ierr" || echo 'ingest printed no summary')"
if [ -n "$total_after" ] && [ "$total_after" -gt "$total_before" ]; then
    echo "   the server now counts $total_after stories (was $total_before): it reads what ingest committed"
else
    fail "the server counts '$total_after' stories after the ingest, '$total_before' before"
fi

kill "$spid" 2> /dev/null
wait "$spid" 2> /dev/null || true
spid=""
grep -v '^radar serve: .* on http' "$serr" | head -n 5 || true

echo
echo "== summary: $n_articles-article store, $stories stories at the start; $conns connections, ${secs} s per run"
printf '%-46s %10s %9s %9s %9s %7s\n' "endpoint" "req/s" "p50" "p99" "requests" "failed"
printf '%s\n' "${rows[@]}"
echo
echo "health beside the costliest search in a loop, wrk on the board and ingest (ms; target: p99 within 100):"
printf '%-22s %8s %8s %8s %8s %8s %9s %7s\n' "endpoint" "p50" "p75" "p90" "p99" "max" "requests" "failed"
printf '%s\n' "${health_rows[@]}"
rm -f "$db" "$db-wal" "$db-shm"
if [ "$failed" != 0 ]; then
    echo "bench-serve: some requests or commands failed (see above)" >&2
    exit 1
fi
echo "no failed request"
