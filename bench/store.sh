#!/usr/bin/env bash
# Benchmark of the rumour store: `radar ingest` throughput and the speed of the questions on a large
# store (see bench/README.md, "Store benchmark").
#
#   bash bench/store.sh PATH/TO/radar                               # 50 MB ingest, 1,000,000-article store
#   BENCH_STORE_ARTICLES=20000 bash bench/store.sh build/radar      # quick run: 20,000-article store
#
# 1. Ingest: a generated corpus (BENCH_STORE_MB, default 50) into a fresh database, median of
#    BENCH_STORE_INGEST_RUNS (default 3), next to `radar extract --jobs 1` on the same file (median of
#    BENCH_RUNS, default 3). Target: BENCH_STORE_INGEST_TARGET MB/s of article text (default 20).
#    Next to them, the floor: SQLite alone writing the same articles and their full-text index
#    (bench/store_floor.c, built with CC; needs libsqlite3-dev and libjansson-dev).
# 2. A store of BENCH_STORE_ARTICLES generated articles (default 1000000), built once and reused while
#    its stamp (generator checksum, seed, article count) matches; BENCH_STORE_REBUILD=1 rebuilds it.
# 3. Queries on that store, each a whole process (startup included), one warm-up run and then
#    BENCH_STORE_QUERY_RUNS timed runs (default 20): median and p95 in ms. Target: each under
#    BENCH_STORE_QUERY_TARGET ms (default 50). Startup alone is timed on a tiny database.
# PostgreSQL, side by side (unless BENCH_STORE_PG=0): a throwaway server from the Debian packages
# (tests/pg/pg-server.sh, in a folder under /tmp, removed at the end); ingest into it with one and
# with four writers, and the same queries on the big store copied into it with radar db copy.
# Other settings: BENCH_SEED (default 1), BENCH_STORE_PROGRESS (seconds between progress lines while
# the big store is built, default 60), BENCH_KEEP_CORPUS=1 (keep the big store's corpus file),
# BENCH_NO_GNU_TIME=1 (peak RSS by polling /proc even when GNU time is there), CC (for the generator).
# Needs bash 5, coreutils, awk and a C compiler; GNU time (/usr/bin/time) for the peak RSS.
# 1 MB = 1,048,576 bytes throughout. Exit status: 0 when every command worked (targets met or not),
# 1 when radar failed or printed nonsense, 2 on bad usage or a broken environment.
set -euo pipefail
export LC_ALL=C

die() { echo "bench-store: $*" >&2; exit 2; }
fail() { echo "bench-store: $*" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: bash bench/store.sh PATH/TO/radar"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or newer (for EPOCHREALTIME); this is bash $BASH_VERSION"
radar_src=$1
[ -f "$radar_src" ] && [ -x "$radar_src" ] || die "$radar_src is not an executable (build it first: make)"

ingest_mb=${BENCH_STORE_MB:-50}
is_uint "$ingest_mb" || die "BENCH_STORE_MB must be a positive integer, not '$ingest_mb'"
n_articles=${BENCH_STORE_ARTICLES:-1000000}
is_uint "$n_articles" || die "BENCH_STORE_ARTICLES must be a positive integer, not '$n_articles'"
[ "$n_articles" -ge 100 ] || die "BENCH_STORE_ARTICLES must be at least 100"
qruns=${BENCH_STORE_QUERY_RUNS:-20}
is_uint "$qruns" || die "BENCH_STORE_QUERY_RUNS must be a positive integer"
iruns=${BENCH_STORE_INGEST_RUNS:-3}
is_uint "$iruns" || die "BENCH_STORE_INGEST_RUNS must be a positive integer"
runs=${BENCH_RUNS:-3}
is_uint "$runs" || die "BENCH_RUNS must be a positive integer"
seed=${BENCH_SEED:-1}
case $seed in '' | *[!0-9]*) die "BENCH_SEED must be a non-negative integer" ;; esac
ingest_target=${BENCH_STORE_INGEST_TARGET:-20}
query_target=${BENCH_STORE_QUERY_TARGET:-50}
progress_every=${BENCH_STORE_PROGRESS:-60}
is_uint "$progress_every" || die "BENCH_STORE_PROGRESS must be a positive integer"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/out
mkdir -p "$out" || die "cannot create $out"
[ -w "$out" ] || die "$out is not writable"
cpus=$(nproc 2>/dev/null || echo 1)

# Measure a copy of radar, so that a rebuild of build/radar during a long run changes nothing here.
radar=$out/radar-store-bench
cp "$radar_src" "$radar.tmp" && mv "$radar.tmp" "$radar" || die "cannot copy $radar_src to $radar"
radar_sum=$(cksum < "$radar" | awk '{print $1}')
"$radar" --version > /dev/null 2>&1 || die "$radar_src --version failed: is it the radar binary?"

build_gen

# text_bytes FILE: bytes of article text in a gen_corpus file (the "text" field, unescaped; the
# generator escapes only \" \\ and \n, each one byte of text).
text_bytes() {
    awk '{ i = index($0, "\"text\":\""); if (!i) next; s = substr($0, i + 8); s = substr(s, 1, length(s) - 2);
           n = length(s); e = gsub(/\\./, "", s); t += n - e } END { printf "%.0f\n", t }' "$1"
}

# ---------------------------------------------------------------- measuring
if [ "${BENCH_NO_GNU_TIME:-0}" != 1 ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    have_gnu_time=1
    rss_how="GNU time (/usr/bin/time -f %M)"
else
    have_gnu_time=0
    rss_how="/proc/PID/status VmHWM polled"
    echo "bench-store: GNU time not found: install the Debian package time (apt-get install time)." >&2
    echo "bench-store: falling back to polling /proc/PID/status for the peak RSS of ingest." >&2
fi

err=$out/store-stderr.txt
tf=$out/store-time.txt
failed=0

# measure CMD...: runs CMD (stdout to /dev/null, stderr to $err); sets m_secs (wall clock), m_cpu
# (user + system seconds, "" when not measured), m_rss (peak RSS in KiB, or "") and m_status.
measure() {
    local t0 t1 pid line
    m_rss="" m_cpu="" m_status=0
    if [ "$have_gnu_time" = 0 ]; then
        t0=$EPOCHREALTIME
        "$@" > /dev/null 2> "$err" &
        pid=$!
        while [ -r "/proc/$pid/status" ]; do
            line=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$line" ] && m_rss=$line
            grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && break
            sleep 0.05
        done
        wait "$pid" || m_status=$?
        t1=$EPOCHREALTIME
        m_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    else
        local TIMEFORMAT='%3R %3U %3S'
        { time /usr/bin/time -f %M -o "$out/store-rss.txt" "$@" > /dev/null 2> "$err" || m_status=$?; } 2> "$tf"
        m_rss=$(tail -n 1 "$out/store-rss.txt")
        case $m_rss in *[!0-9]* | '') m_rss="" ;; esac
        read -r m_secs m_cpu < <(awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$tf")
    fi
    if [ "$m_status" != 0 ]; then
        failed=1
        echo "bench-store: '$*' exited with status $m_status; standard error begins:" >&2
        head -n 5 "$err" >&2
    fi
}

fmt_secs() { awk -v s="$1" 'BEGIN { if (s >= 60) printf "%.1f s (%dm%02ds)", s, int(s / 60), int(s % 60); else printf "%.1f s", s }'; }
db_bytes() { local t=0 f; for f in "$1" "$1-wal"; do [ -f "$f" ] && t=$((t + $(stat -c %s "$f"))); done; echo "$t"; }
rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# summary line of radar ingest: "radar: N new, ...; R rumours read. The store holds A articles, M mentions, S stories."
summary_field() { sed -n 's/.*The store holds \([0-9]*\) articles, \([0-9]*\) mentions, \([0-9]*\) stories\..*/\1 \2 \3/p' "$1" | tail -n 1; }

busy=$(cpu_busy 2>/dev/null || true)
is_uint "$busy" || busy=0

echo
echo "== Transfer Radar store benchmark"
echo "radar:    $radar_src ($("$radar" --version), cksum $radar_sum), measured as a copy: $radar"
echo "machine:  $cpus CPU(s), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown); other work before the runs: ${busy}% of the CPUs"
echo "settings: ingest corpus $ingest_mb MB, store of $n_articles articles, seed $seed; peak RSS by $rss_how"
if [ "$busy" -ge 10 ]; then
    echo "warning:  the machine is busy (${busy}% of the CPUs in use by other work): wall-clock figures"
    echo "          will be low and noisy"
fi

# ================================================================ 1. ingest throughput
corpus=$out/corpus-$ingest_mb.jsonl
make_corpus "$ingest_mb" "$corpus"
bytes=$(stat -c %s "$corpus")
c_articles=$(wc -l < "$corpus")
tbytes=$(text_bytes "$corpus")
cat "$corpus" > /dev/null   # into the page cache

echo
echo "-- radar extract --format json --jobs 1 ($(mib "$bytes") MB, $c_articles articles, $(mib "$tbytes") MB of article text)"
times=() cpus_used=() rsss=()
for ((i = 0; i < runs; i++)); do
    measure "$radar" extract --format json --jobs 1 "$corpus"
    times+=("$m_secs") cpus_used+=("$m_cpu")
    if [ -n "$m_rss" ]; then rsss+=("$m_rss"); fi
done
ex_t=$(median "${times[@]}")
ex_cpu=$(if [ -n "${cpus_used[0]}" ]; then median "${cpus_used[@]}"; else echo "-"; fi)
ex_rss=$(if [ ${#rsss[@]} -gt 0 ]; then maxof "${rsss[@]}"; fi)
printf '   %s s: %s MB/s of file, %s MB/s of article text (runs: %s s)\n' "$ex_t" "$(mbps "$bytes" "$ex_t")" \
    "$(mbps "$tbytes" "$ex_t")" "${times[*]}"

echo
echo "-- radar ingest into a fresh database, with the full-text index (median of $iruns)"
idb=$out/store-ingest-$ingest_mb.db
times=() cpus_used=() rsss=()
for ((i = 0; i < iruns; i++)); do
    rm_db "$idb"
    measure "$radar" ingest --db "$idb" "$corpus"
    [ "$m_status" = 0 ] || fail "radar ingest failed on $corpus (see above)"
    times+=("$m_secs") cpus_used+=("$m_cpu")
    if [ -n "$m_rss" ]; then rsss+=("$m_rss"); fi
    read -r ing_articles ing_mentions ing_stories < <(summary_field "$err") || true
    [ "${ing_articles:-}" = "$c_articles" ] ||
        fail "radar ingest stored ${ing_articles:-?} articles of $c_articles; its standard error ends: $(tail -n 3 "$err")"
    printf '   run %d: %s s\n' $((i + 1)) "$m_secs"
done
in_t=$(median "${times[@]}")
in_cpu=$(if [ -n "${cpus_used[0]}" ]; then median "${cpus_used[@]}"; else echo "-"; fi)
in_rss=$(if [ ${#rsss[@]} -gt 0 ]; then maxof "${rsss[@]}"; fi)
idb_bytes=$(db_bytes "$idb")
in_text_mbs=$(mbps "$tbytes" "$in_t")
printf '   %s s: %s MB/s of file, %s MB/s of article text, %s articles/s\n' "$in_t" "$(mbps "$bytes" "$in_t")" \
    "$in_text_mbs" "$(div "$c_articles" "$in_t" "%.0f")"
printf '   store: %s articles, %s mentions, %s stories; database %s MB (%s x the corpus file)\n' "$ing_articles" \
    "$ing_mentions" "$ing_stories" "$(mib "$idb_bytes")" "$(div "$idb_bytes" "$bytes" "%.2f")"
ingest_verdict=$(awk -v v="$in_text_mbs" -v t="$ingest_target" 'BEGIN { print (v + 0 >= t) ? "PASS" : "NOT MET" }')

# The floor under ingest: SQLite alone writing the same articles into the store's articles table, then
# with its FTS5 index too (bench/store_floor.c; same pragmas and batches; no extraction, linking or
# scoring). Seconds in SQLite only: ingest parses its input on another thread.
echo
echo "-- the floor: SQLite alone stores the same articles, without and with the full-text index (median of $iruns)"
floor=$out/store_floor
floor_src=$here/store_floor.c
fl_t="" ff_t=""
if [ ! -x "$floor" ] || [ "$floor_src" -nt "$floor" ]; then
    ${CC:-cc} -O2 -std=c11 -o "$floor" "$floor_src" -lsqlite3 -ljansson 2> "$err" ||
        echo "   (not measured: store_floor.c did not build: $(head -n 1 "$err"); install libsqlite3-dev and libjansson-dev)"
fi
if [ -x "$floor" ]; then
    fdb=$out/store-floor.db
    tl=() tf_=()
    for ((i = 0; i < iruns; i++)); do
        for mode in table fts; do
            rm_db "$fdb"
            read -r f_articles _ _ f_secs < <("$floor" $([ "$mode" = fts ] && echo --fts) "$corpus" "$fdb" 2> "$err") ||
                fail "store_floor failed: $(head -n 3 "$err")"
            [ "$f_articles" = "$c_articles" ] || fail "store_floor stored $f_articles articles of $c_articles"
            if [ "$mode" = fts ]; then tf_+=("$f_secs"); else tl+=("$f_secs"); fi
        done
        printf '   run %d: table %s s, table and index %s s\n' $((i + 1)) "${tl[$i]}" "${tf_[$i]}"
    done
    rm_db "$fdb"
    fl_t=$(median "${tl[@]}")
    ff_t=$(median "${tf_[@]}")
    printf '   %s MB/s of article text into the table alone, %s MB/s with the full-text index\n' \
        "$(mbps "$tbytes" "$fl_t")" "$(mbps "$tbytes" "$ff_t")"
fi

# ---------------------------------------------------------------- four writers, and PostgreSQL
# A throwaway PostgreSQL server for the rest (fsync off: a floor, as store_floor is for SQLite).
pg_on=0 pg_note="" pgdir=""
pg_cleanup() {
    if [ -n "$pgdir" ] && [ "${BENCH_STORE_PG_KEEP:-0}" = 1 ]; then
        echo "bench-store: BENCH_STORE_PG_KEEP=1: the PostgreSQL server goes on in $pgdir" \
            "(${big_pg:-$pg_uri}); stop it with: sh tests/pg/pg-server.sh stop $pgdir/pg" >&2
    elif [ -n "$pgdir" ]; then
        sh "$here/../tests/pg/pg-server.sh" stop "$pgdir/pg" 2> /dev/null || true
        rm -rf "$pgdir"
    fi
}
trap pg_cleanup EXIT
if [ "${BENCH_STORE_PG:-1}" = 0 ]; then
    pg_note="not measured (BENCH_STORE_PG=0)"
elif ! sh "$here/../tests/pg/pg-server.sh" bindir > /dev/null 2> "$err"; then
    pg_note="not measured: no PostgreSQL server here (Debian package postgresql)"
elif ! command -v psql > /dev/null; then
    pg_note="not measured: no psql (Debian package postgresql-client)"
else
    pgdir=$(mktemp -d /tmp/radar-bench-pg.XXXXXX) # short: the server's socket lives in it
    chmod 755 "$pgdir"
    if pg_uri=$(sh "$here/../tests/pg/pg-server.sh" start "$pgdir/pg" 2> "$err"); then
        pg_on=1
    else
        pg_note="not measured: the PostgreSQL server did not start: $(head -n 1 "$err")"
    fi
fi
# pg_fresh NAME: an empty database NAME on the bench's server; prints its URI
pg_fresh() {
    psql "$pg_uri" -XAtq -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null 2>> "$err" || return 1
    sed "s|///radar?|///$1?|" <<< "$pg_uri"
}
shards=$out/store-shard
rm -f "$shards".*
split -n l/4 -d -a 1 "$corpus" "$shards." || die "cannot split $corpus"
# ingest_writers DB N: N radar ingest processes at once into DB (N = 1: the whole corpus; else the
# corpus in N shards). Sets w_secs (wall clock until the last ends), w_status, w_articles (what the
# last to end says the store holds) and w_msg (the first line of a failure).
ingest_writers() {
    local db=$1 n=$2 i t0 pids=() st
    w_status=0 w_articles="" w_msg=""
    t0=$EPOCHREALTIME
    if [ "$n" = 1 ]; then
        "$radar" ingest --db "$db" "$corpus" > /dev/null 2> "$err.0" &
        pids+=($!)
    else
        for ((i = 0; i < n; i++)); do
            "$radar" ingest --db "$db" "$shards.$i" > /dev/null 2> "$err.$i" &
            pids+=($!)
        done
    fi
    for ((i = 0; i < ${#pids[@]}; i++)); do
        st=0
        wait "${pids[$i]}" || st=$?
        if [ "$st" != 0 ] && [ "$w_status" = 0 ]; then w_status=$st w_msg=$(head -n 1 "$err.$i"); fi
    done
    w_secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    w_articles=$(for ((i = 0; i < ${#pids[@]}; i++)); do summary_field "$err.$i"; done | awk '$1 > m { m = $1 } END { print m + 0 }')
    rm -f "$err".[0-9]
}
# the ingest figures: ing_t[BACKEND-N] (median wall s, or "n/a ...")
declare -A ing_t=()
ing_t[sqlite-1]=$in_t
for backend in sqlite pg; do
    for n in 1 4; do
        [ "$backend-$n" = sqlite-1 ] && continue # measured above
        if [ "$backend" = pg ] && [ "$pg_on" = 0 ]; then ing_t[$backend-$n]="n/a ($pg_note)"; continue; fi
        echo
        echo "-- radar ingest into a fresh $([ "$backend" = pg ] && echo PostgreSQL database || echo SQLite database), $n writer(s) at once (median of $iruns)"
        times=()
        for ((i = 0; i < iruns; i++)); do
            if [ "$backend" = pg ]; then
                wdb=$(pg_fresh radar_ingest) || fail "cannot make a database on the bench's PostgreSQL server: $(tail -n 1 "$err")"
            else
                wdb=$out/store-ingest-$ingest_mb-w$n.db
                rm_db "$wdb"
            fi
            ingest_writers "$wdb" "$n"
            if [ "$w_status" != 0 ] && [ "$backend" = pg ] && [[ $w_msg == *"does not write yet"* ]]; then
                ing_t[$backend-$n]="n/a (ingest on PostgreSQL not available)"
                echo "   ${ing_t[$backend-$n]}: $w_msg"
                break
            fi
            [ "$w_status" = 0 ] || fail "radar ingest ($n writers) into $wdb failed: $w_msg"
            [ "$w_articles" = "$c_articles" ] || fail "$n writers stored $w_articles articles of $c_articles"
            times+=("$w_secs")
            printf '   run %d: %s s\n' $((i + 1)) "$w_secs"
            if [ "$backend" = sqlite ]; then rm_db "$wdb"; fi
        done
        if [ ${#times[@]} -gt 0 ]; then
            ing_t[$backend-$n]=$(median "${times[@]}")
            printf '   %s s: %s MB/s of article text, %s articles/s\n' "${ing_t[$backend-$n]}" \
                "$(mbps "$tbytes" "${ing_t[$backend-$n]}")" "$(div "$c_articles" "${ing_t[$backend-$n]}" "%.0f")"
        fi
    done
done
rm -f "$shards".*

# ================================================================ 2. the big store
# a tiny store: for the startup figure, and for the schema version this radar writes
tiny=$out/store-tiny.db
rm_db "$tiny"
head -n 20 "$corpus" | "$radar" ingest --quiet --db "$tiny" - 2> "$err" ||
    fail "radar ingest of 20 articles into $tiny failed: $(head -n 3 "$err")"
# db_schema DB: the user_version field of the SQLite header (bytes 60-63, big-endian): radar's schema
db_schema() { od -An -tu1 -j60 -N4 "$1" 2>/dev/null | awk 'NF == 4 { print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }
schema=$(db_schema "$tiny")

store=$out/store-$n_articles.db
stamp=$store.stamp
want="gen=$gen_sum seed=$seed articles=$n_articles"
stamp_get() { sed -n "s/^$1=//p" "$stamp" 2>/dev/null | head -n 1; }

# store_total DB: the number of stories, from `radar stories --limit 1` ("(1 of N stories)"), or "".
store_total() { "$radar" stories --limit 1 --db "$1" 2> "$err" | sed -n 's/^(.* of \([0-9]*\) stories)$/\1/p' || true; }

reuse=0
echo
if [ "${BENCH_STORE_REBUILD:-0}" = 1 ]; then
    echo "== BENCH_STORE_REBUILD=1: building $store again"
elif [ -f "$store" ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$want" ]; then
    total=$(store_total "$store")
    if [ "$(db_schema "$store")" != "$schema" ]; then
        # a store of an older layout lacks what this radar's queries rely on (indexes...)
        echo "== $store has schema version $(db_schema "$store"), this radar writes $schema: building it again"
    elif [ -n "$total" ] && [ "$total" = "$(stamp_get stories)" ]; then
        reuse=1
        echo "== reusing $store ($want, $total stories; built in $(fmt_secs "$(stamp_get build_secs)") on $(stamp_get built))"
        if [ "$(stamp_get radar)" != "$radar_sum" ]; then
            echo "   note: it was built by another radar binary (cksum $(stamp_get radar), now $radar_sum); what this"
            echo "   radar would store may differ. BENCH_STORE_REBUILD=1 builds it again."
        fi
    else
        echo "== $store does not answer as its stamp says (stories: '${total}' vs '$(stamp_get stories)'; $(head -n 1 "$err")): building it again"
    fi
else
    echo "== no complete store of $n_articles articles (seed $seed, this generator) in $out: building it"
fi

if [ "$reuse" = 0 ]; then
    rm -f "$stamp"
    rm_db "$store"
    # how many MB of corpus hold n_articles articles: articles per MB of a small sample (a smaller corpus
    # is a prefix of a larger one with the same seed), plus a margin
    sample=$out/store-sample.jsonl
    "$gen" --mb 4 --seed "$seed" > "$sample" || die "gen_corpus failed"
    per_mb=$(div "$(wc -l < "$sample")" "$(div "$(stat -c %s "$sample")" 1048576 "%.6f")" "%.1f")
    rm -f "$sample"
    need_mb=$(awk -v n="$n_articles" -v p="$per_mb" 'BEGIN { m = int(n / p * 1.03) + 2; print m }')
    scorpus=$out/store-corpus-$n_articles.jsonl
    echo "   corpus: about $per_mb articles per MB, so $need_mb MB of gen_corpus output cut to the first $n_articles articles"
    free_kb=$(df -Pk "$out" | awk 'NR == 2 { print $4 }')
    # the corpus, and a database about 3.5 times its size
    if is_uint "$free_kb" && [ "$free_kb" -lt $((need_mb * 1024 * 5)) ]; then
        die "not enough free disk in $out: $((free_kb / 1024)) MB free, about $((need_mb * 5)) MB needed"
    fi
    set +e
    "$gen" --mb "$need_mb" --seed "$seed" | head -n "$n_articles" > "$scorpus.tmp"
    ps=("${PIPESTATUS[@]}")
    set -e
    # gen_corpus ends with SIGPIPE (141) when head has what it needs
    { [ "${ps[0]}" = 0 ] || [ "${ps[0]}" = 141 ]; } && [ "${ps[1]}" = 0 ] ||
        die "generating $scorpus failed (gen_corpus status ${ps[0]}, head status ${ps[1]}; disk full?)"
    got=$(wc -l < "$scorpus.tmp")
    [ "$got" = "$n_articles" ] || die "the corpus has $got articles, not $n_articles (articles per MB estimate off?)"
    mv "$scorpus.tmp" "$scorpus"
    s_bytes=$(stat -c %s "$scorpus")
    echo "   corpus: $scorpus, $(mib "$s_bytes") MB, $got articles"

    echo "   ingesting (one run; a progress line every $progress_every s)"
    blog=$out/store-build-$n_articles.log
    : > "$blog"
    b_rss="" b_cpu=""
    t0=$EPOCHREALTIME
    if [ "$have_gnu_time" = 1 ]; then
        /usr/bin/time -f '%e %U %S %M' -o "$out/store-build-time.txt" "$radar" ingest --db "$store" "$scorpus" \
            > /dev/null 2> "$err" &
    else
        "$radar" ingest --db "$store" "$scorpus" > /dev/null 2> "$err" &
    fi
    bpid=$!
    # progress: how far radar has read the corpus (its file offset in /proc/PID/fdinfo)
    rpid="" last_t=$t0 last_pos=0 next=$progress_every
    while kill -0 "$bpid" 2> /dev/null; do
        sleep 1
        [ -r "/proc/$bpid/status" ] || break
        if grep -q '^State:[[:space:]]*Z' "/proc/$bpid/status" 2>/dev/null; then break; fi
        if [ -z "$rpid" ]; then
            if [ "$have_gnu_time" = 1 ]; then
                rpid=$(awk '{print $1}' "/proc/$bpid/task/$bpid/children" 2>/dev/null || true)
            else
                rpid=$bpid
            fi
        fi
        if [ "$have_gnu_time" = 0 ] && [ -n "$rpid" ]; then
            line=$(awk '/^VmHWM:/ {print $2}' "/proc/$rpid/status" 2>/dev/null || true)
            [ -n "$line" ] && b_rss=$line
        fi
        el=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
        [ "$el" -ge "$next" ] || continue
        next=$((el + progress_every))
        pos=""
        if [ -n "$rpid" ]; then
            for fd in /proc/"$rpid"/fd/*; do
                if [ "$(readlink "$fd" 2>/dev/null || true)" = "$scorpus" ]; then
                    pos=$(awk '/^pos:/ { print $2 }' "/proc/$rpid/fdinfo/${fd##*/}" 2>/dev/null || true)
                    break
                fi
            done
        fi
        now_t=$EPOCHREALTIME
        if [ -n "$pos" ]; then
            msg=$(awk -v p="$pos" -v s="$s_bytes" -v el="$el" -v lp="$last_pos" -v lt="$last_t" -v nt="$now_t" \
                -v db="$(mib "$(db_bytes "$store")")" 'BEGIN {
                    r = (p - lp) / 1048576 / (nt - lt); a = p / 1048576 / el;
                    eta = (a > 0) ? (s - p) / 1048576 / a : 0;
                    printf "%5ds  %5.1f%% read  %6.1f MB/s now, %5.1f MB/s so far  ETA %.0fs  db %s MB",
                        el, 100 * p / s, r, a, eta, db }')
            last_pos=$pos last_t=$now_t
        else
            msg=$(printf '%5ds  db %s MB' "$el" "$(mib "$(db_bytes "$store")")")
        fi
        echo "   $msg" | tee -a "$blog"
    done
    b_status=0
    wait "$bpid" || b_status=$?
    t1=$EPOCHREALTIME
    b_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if [ "$have_gnu_time" = 1 ]; then
        read -r _ u s m < <(tail -n 1 "$out/store-build-time.txt") || true
        b_cpu=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%.1f", u + s }')
        b_rss=${m:-}
    fi
    [ "$b_status" = 0 ] || fail "radar ingest of $scorpus failed with status $b_status; standard error ends: $(tail -n 5 "$err")"
    read -r b_articles b_mentions b_stories < <(summary_field "$err") || true
    [ "${b_articles:-}" = "$n_articles" ] ||
        fail "the store holds ${b_articles:-?} articles, not $n_articles; radar's standard error ends: $(tail -n 3 "$err")"
    total=$(store_total "$store")
    [ "$total" = "$b_stories" ] || fail "radar stories reports '$total' stories in the new store, ingest said $b_stories"
    {
        echo "$want"
        echo "stories=$b_stories"
        echo "mentions=$b_mentions"
        echo "build_secs=$b_secs"
        echo "build_cpu_secs=$b_cpu"
        echo "build_rss_kb=$b_rss"
        echo "corpus_bytes=$s_bytes"
        echo "corpus_text_bytes=$(text_bytes "$scorpus")"
        echo "radar=$radar_sum"
        echo "schema=$(db_schema "$store")"
        echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } > "$stamp.tmp"
    mv "$stamp.tmp" "$stamp"
    if [ "${BENCH_KEEP_CORPUS:-0}" != 1 ]; then rm -f "$scorpus"; fi
    echo "   built in $(fmt_secs "$b_secs")${b_cpu:+ ($b_cpu s CPU)}: $(mbps "$s_bytes" "$b_secs") MB/s of file," \
        "$b_stories stories, $b_mentions mentions, peak RSS $(kib_to_mb "$b_rss") MB"
fi
s_stories=$(stamp_get stories)
s_mentions=$(stamp_get mentions)
s_build=$(stamp_get build_secs)
s_bytes=$(stamp_get corpus_bytes)
s_tbytes=$(stamp_get corpus_text_bytes)
s_rss=$(stamp_get build_rss_kb)
store_bytes=$(db_bytes "$store")
is_uint "$s_stories" || fail "the store has no stories: nothing to query"
echo "   store: $n_articles articles, $s_mentions mentions, $s_stories stories; database $(mib "$store_bytes") MB" \
    "($(div "$store_bytes" "$n_articles" "%.0f") bytes per article, $(div "$store_bytes" "$s_bytes" "%.2f") x the corpus file)"
echo "   reading the database once, so that the queries below run on a warm page cache"
cat "$store" > /dev/null
big_pg=""
if [ "$pg_on" = 1 ]; then
    echo
    echo "== the same store in PostgreSQL: loaded with radar db copy from the SQLite store (ingest into"
    echo "   PostgreSQL would take as long as the build above, where it is available at all)"
    big_pg=$(pg_fresh radar_big) || fail "cannot make a database on the bench's PostgreSQL server: $(tail -n 1 "$err")"
    t0=$EPOCHREALTIME
    "$radar" db copy "$store" "$big_pg" > /dev/null 2> "$err" || fail "radar db copy into PostgreSQL failed: $(head -n 3 "$err")"
    pg_copy_secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    echo "   $(tail -n 1 "$err" | sed 's/^radar: //')"
    psql "$big_pg" -XAtq -c "VACUUM ANALYZE" > /dev/null 2> "$err" || fail "VACUUM ANALYZE failed: $(head -n 1 "$err")"
    pg_bytes=$(psql "$big_pg" -XAtq -c "SELECT pg_database_size(current_database())")
    echo "   copied in $(fmt_secs "$pg_copy_secs") (then VACUUM ANALYZE); database $(mib "$pg_bytes") MB"
    total=$(store_total "$big_pg")
    [ "$total" = "$s_stories" ] || fail "radar stories reports '$total' stories in PostgreSQL, $s_stories in SQLite"
    # the server's files into the page cache, as the SQLite file above
    if [ "$(id -u)" = 0 ] || [ -r "$pgdir/pg/data/base" ]; then find "$pgdir/pg/data/base" -type f -exec cat {} + > /dev/null 2>&1 || true; fi
fi


# ================================================================ 3. queries
# time_runs LABEL CHECK CMD...: one warm-up run (its output kept for CHECK), then qruns timed runs;
# every @ID in CMD becomes the next story id (ids spread evenly over 1..stories). CHECK is a
# grep -E pattern the warm-up output must contain. Sets q_med, q_p95, q_rss.
declare -a labels=() meds=() p95s=() rsss_q=() notes=()
declare -A pg_med=() pg_p95=()
players=() db_now=none
qout=$out/store-query.txt
story_id() { awk -v i="$1" -v n="$2" -v s="$s_stories" 'BEGIN { printf "%d", 1 + int((i + 0.5) * s / n) }'; }
# subst_id ID CMD...: args=CMD with @ID as ID, @PLAYER as a player's name (one of players[], by
# ID) and @DB as the store the queries run on (db_now)
subst_id() {
    local id=$1; shift
    args=()
    local a
    for a in "$@"; do
        case $a in
        @ID) args+=("$id") ;;
        @PLAYER) args+=("${players[$((id % ${#players[@]}))]}") ;;
        @DB) args+=("$db_now") ;;
        *) args+=("$a") ;;
        esac
    done
}
time_runs() {
    local label=$1 check=$2; shift 2
    local i st t0 t1 ms=() note=""
    subst_id "$(story_id 0 1)" "$@"
    st=0
    "${args[@]}" > "$qout" 2> "$err" || st=$?
    if [ "$st" != 0 ] || { [ -n "$check" ] && ! grep -Eq -- "$check" "$qout"; }; then
        failed=1
        echo "bench-store: '${args[*]}' exited with status $st or printed no /$check/; output and errors begin:" >&2
        head -n 3 "$qout" "$err" >&2
    fi
    if [ -n "$check" ]; then note=$(grep -Eo -- "$check" "$qout" | head -n 1 || true); fi
    for ((i = 0; i < qruns; i++)); do
        subst_id "$(story_id "$i" "$qruns")" "$@"
        st=0
        t0=$EPOCHREALTIME
        "${args[@]}" > /dev/null 2> "$err" || st=$?
        t1=$EPOCHREALTIME
        if [ "$st" != 0 ]; then
            failed=1
            echo "bench-store: '${args[*]}' exited with status $st: $(head -n 1 "$err")" >&2
        fi
        ms+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 1000 }')")
    done
    q_med=$(printf '%.2f' "$(median "${ms[@]}")")
    # p95: nearest rank
    q_p95=$(printf '%s\n' "${ms[@]}" | sort -g | awk -v n="$qruns" '{ v[NR] = $1 } END { r = int(0.95 * n); if (r < 0.95 * n) r++; print v[r] }')
    q_rss=""
    if [ "$have_gnu_time" = 1 ]; then
        subst_id "$(story_id 0 1)" "$@"
        /usr/bin/time -f %M -o "$out/store-rss.txt" "${args[@]}" > /dev/null 2> "$err" || true
        q_rss=$(tail -n 1 "$out/store-rss.txt")
        case $q_rss in *[!0-9]* | '') q_rss="" ;; esac
    fi
    if [ "$db_now" = "${big_pg:-none}" ]; then
        pg_med[$label]=$q_med pg_p95[$label]=$q_p95
    else
        labels+=("$label") meds+=("$q_med") p95s+=("$q_p95") rsss_q+=("$q_rss") notes+=("$note")
    fi
    printf '   %-44s median %8.2f ms  p95 %8.2f ms   %s\n' "$label" "$q_med" "$q_p95" "$note"
    printf '      (ms: %s)\n' "${ms[*]}"
}

echo
echo "-- startup: whole processes on a tiny database (1 warm-up + $qruns runs each)"
true_bin=$(type -P true || echo /bin/true)
time_runs "$true_bin (process start, the floor)" '' "$true_bin"
time_runs "radar --version" '^radar [0-9][^ ]*' "$radar" --version
time_runs "radar stories --limit 1 (tiny db)" 'of [0-9]+ stories' "$radar" stories --limit 1 --db "$tiny"
n_startup=${#labels[@]}

# the players asked about: those of the newest stories
db_now=none
while read -r p; do [ -n "$p" ] && players+=("$p"); done < <("$radar" stories --sort recent --limit 40 --json --db "$store" |
    sed -n 's/^ *"player": "\(.*\)",$/\1/p' | awk '!seen[$0]++' | head -n 20)
[ ${#players[@]} -gt 0 ] || fail "no player names in the store's newest stories"
# the questions: the board, a story, a player, a club, search, the sources
queries() {
    time_runs "radar stories (the board)" 'of [0-9]+ stories' "$radar" stories --db @DB
    time_runs "radar story ID (ids 1..$s_stories)" '^Story #[0-9]+' "$radar" story @ID --db @DB
    time_runs "radar player NAME (${#players[@]} names)" '^#[0-9]+ ' "$radar" player @PLAYER --db @DB
    time_runs "radar club Arsenal" 'Arsenal' "$radar" club Arsenal --db @DB
    for club in Arsenal "Real Madrid"; do
        time_runs "radar stories --club '$club'" 'of [0-9]+ stories' "$radar" stories --club "$club" --db @DB
    done
    time_runs "radar search medical" '\[medical\]' "$radar" search medical --db @DB
    time_runs "radar search '\"personal terms\"'" '\[personal( terms\]|\] \[terms\])' "$radar" search '"personal terms"' --db @DB
    time_runs "radar sources" '[0-9]' "$radar" sources --db @DB
}
echo
echo "-- queries on the SQLite store of $n_articles articles ($s_stories stories; 1 warm-up + $qruns runs each)"
db_now=$store
queries
if [ -n "$big_pg" ]; then
    echo
    echo "-- the same queries on the store in PostgreSQL (1 warm-up + $qruns runs each)"
    db_now=$big_pg
    queries
fi

# ================================================================ summary
echo
echo "== summary (MB = 2^20 bytes; seed $seed)"
echo
row() { printf '%-40s %8s %8s %10s %10s %9s\n' "$@"; }
echo "ingest, side by side: $(mib "$tbytes") MB of article text, $c_articles articles, into a fresh store (median of $iruns; wall s, MB/s of text)"
irow() { printf '%-34s %-36s %s\n' "$@"; }
ifig() { case $1 in n/a*) echo "$1" ;; *) echo "$1 s, $(mbps "$tbytes" "$1") MB/s" ;; esac; }
irow "writers" "SQLite" "PostgreSQL"
for n in 1 4; do
    irow "$n radar ingest at once" "$(ifig "${ing_t[sqlite-$n]}")" "$(ifig "${ing_t[pg-$n]}")"
done
echo
echo "ingest: $(mib "$bytes") MB corpus, $c_articles articles, $(mib "$tbytes") MB of article text"
row "command" "wall s" "CPU s" "file MB/s" "text MB/s" "RSS MB"
row "radar extract --jobs 1 (median of $runs)" "$ex_t" "$ex_cpu" "$(mbps "$bytes" "$ex_t")" "$(mbps "$tbytes" "$ex_t")" "$(kib_to_mb "$ex_rss")"
row "radar ingest, fresh db (median of $iruns)" "$in_t" "$in_cpu" "$(mbps "$bytes" "$in_t")" "$in_text_mbs" "$(kib_to_mb "$in_rss")"
if [ -n "$ff_t" ]; then
    row "SQLite alone: articles table" "$fl_t" "-" "-" "$(mbps "$tbytes" "$fl_t")" "-"
    row "SQLite alone: table + full-text index" "$ff_t" "-" "-" "$(mbps "$tbytes" "$ff_t")" "-"
fi
echo "database after ingest: $(mib "$idb_bytes") MB ($(div "$idb_bytes" "$bytes" "%.2f") x the corpus)"
echo
echo "store of $n_articles articles: $(mib "${s_bytes:-0}") MB corpus, $(mib "${s_tbytes:-0}") MB of text; $s_stories stories"
echo "build: $(fmt_secs "$s_build"), $(mbps "${s_tbytes:-0}" "$s_build") MB/s of text$([ "$reuse" = 1 ] && echo " (reused; built $(stamp_get built))")," \
    "peak RSS $(kib_to_mb "$s_rss") MB; database $(mib "$store_bytes") MB ($(div "$store_bytes" "$n_articles" "%.0f") bytes per article)"
echo
qrow() { printf '%-44s %10s %10s %8s %8s  %s\n' "$@"; }
qrow "figure" "median ms" "p95 ms" "RSS MB" "target" "verdict"
verdict() { awk -v m="$1" -v p="$2" -v t="$3" 'BEGIN { print (m + 0 < t && p + 0 < t) ? "PASS" : "NOT MET" }'; }
for ((i = 0; i < ${#labels[@]}; i++)); do
    if [ "$i" -lt "$n_startup" ]; then
        qrow "${labels[$i]}" "${meds[$i]}" "${p95s[$i]}" "$(kib_to_mb "${rsss_q[$i]}")" "-" "(startup)"
    else
        qrow "${labels[$i]}" "${meds[$i]}" "${p95s[$i]}" "$(kib_to_mb "${rsss_q[$i]}")" "<$query_target" \
            "$(verdict "${meds[$i]}" "${p95s[$i]}" "$query_target")"
    fi
done
echo
printf 'ingest: %s MB/s of article text into the store, target >= %s MB/s: %s (extract alone: %s MB/s, ingest is %s of it)\n' \
    "$in_text_mbs" "$ingest_target" "$ingest_verdict" "$(mbps "$tbytes" "$ex_t")" "$(div "$ex_t" "$in_t" "%.2fx")"
if [ -n "$ff_t" ]; then
    printf 'floor: SQLite alone writes the text and its full-text index at %s MB/s on this machine; ingest takes %s its time\n' \
        "$(mbps "$tbytes" "$ff_t")" "$(div "$in_t" "$ff_t" "%.1fx")"
fi
n_met=0 n_q=0
for ((i = n_startup; i < ${#labels[@]}; i++)); do
    n_q=$((n_q + 1))
    [ "$(verdict "${meds[$i]}" "${p95s[$i]}" "$query_target")" = PASS ] && n_met=$((n_met + 1))
done
echo "queries: $n_met of $n_q under $query_target ms (median and p95) on $n_articles articles; startup (radar --version) ${meds[1]} ms"
echo
echo "questions side by side on $n_articles articles (median ms, p95 in brackets; target: both under $query_target ms)"
srow() { printf '%-44s %-22s %-22s %s\n' "$@"; }
srow "question" "SQLite" "PostgreSQL" "verdict"
pg_met=0
for ((i = n_startup; i < ${#labels[@]}; i++)); do
    l=${labels[$i]}
    if [ -n "$big_pg" ]; then
        pgf="${pg_med[$l]} (${pg_p95[$l]})"
        v=$( [ "$(verdict "${meds[$i]}" "${p95s[$i]}" "$query_target")" = PASS ] &&
             [ "$(verdict "${pg_med[$l]}" "${pg_p95[$l]}" "$query_target")" = PASS ] && echo PASS || echo "NOT MET")
        [ "$(verdict "${pg_med[$l]}" "${pg_p95[$l]}" "$query_target")" = PASS ] && pg_met=$((pg_met + 1))
    else
        pgf="n/a" v=$(verdict "${meds[$i]}" "${p95s[$i]}" "$query_target")
    fi
    srow "$l" "${meds[$i]} (${p95s[$i]})" "$pgf" "$v"
done
if [ -n "$big_pg" ]; then
    echo "PostgreSQL: $pg_met of $n_q under $query_target ms; its store loaded with radar db copy from the SQLite one in $(fmt_secs "$pg_copy_secs")"
else
    echo "PostgreSQL: $pg_note"
fi
rm -f "$out/store-rss.txt" "$tf" "$qout"
if [ "$failed" != 0 ]; then
    echo "bench-store: radar reported errors (see above); the figures may not mean much" >&2
    exit 1
fi
