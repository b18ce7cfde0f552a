#!/usr/bin/env bash
# Throughput and memory benchmark of `radar extract` on a generated corpus (see bench/README.md).
#
#   bash bench/run.sh PATH/TO/radar          # 100 MB corpus, memory check on 25 MB
#   BENCH_MB=20 bash bench/run.sh build/radar  # quick run: 20 MB, memory check on 5 MB
#
# Environment: BENCH_MB (default 100), BENCH_SMALL_MB (default BENCH_MB/4), BENCH_RUNS (timed
# runs per figure, median reported, default 3), BENCH_SEED (corpus seed, default 1),
# BENCH_TARGET (MB/s wanted on one core, default 50), BENCH_NO_GNU_TIME=1 (test the /proc fallback).
# Needs only bash, coreutils, awk, a C compiler and, for peak RSS, GNU time (/usr/bin/time);
# without it the peak is read from /proc/PID/status (VmHWM) while the process runs.
# 1 MB = 1,048,576 bytes throughout.
set -euo pipefail
export LC_ALL=C

die() { echo "bench: $*" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: bash bench/run.sh PATH/TO/radar"
radar=$1
[ -x "$radar" ] || die "$radar is not an executable (build it first: make)"
case $radar in /*) ;; *) radar=$PWD/$radar ;; esac

mb=${BENCH_MB:-100}
is_uint "$mb" || die "BENCH_MB must be a positive integer, not '$mb'"
small_mb=${BENCH_SMALL_MB:-$(( mb / 4 > 0 ? mb / 4 : 1 ))}
is_uint "$small_mb" || die "BENCH_SMALL_MB must be a positive integer"
runs=${BENCH_RUNS:-3}
is_uint "$runs" || die "BENCH_RUNS must be a positive integer"
seed=${BENCH_SEED:-1}
case $seed in '' | *[!0-9]*) die "BENCH_SEED must be a non-negative integer" ;; esac
target=${BENCH_TARGET:-50}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/out
mkdir -p "$out"
cpus=$(nproc 2>/dev/null || echo 1)

build_gen

corpus=$out/corpus-$mb.jsonl
small=$out/corpus-$small_mb.jsonl
make_corpus "$mb" "$corpus"
[ "$small_mb" = "$mb" ] || make_corpus "$small_mb" "$small"

bytes=$(stat -c %s "$corpus")
small_bytes=$(stat -c %s "$small")
articles=$(wc -l < "$corpus")

# ---------------------------------------------------------------- measuring
if [ "${BENCH_NO_GNU_TIME:-0}" != 1 ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    have_gnu_time=1
    rss_how="GNU time (/usr/bin/time -f %M)"
else
    have_gnu_time=0
    rss_how="/proc/PID/status VmHWM polled every 50 ms"
    echo "bench: GNU time not found: install the Debian package time (apt-get install time)." >&2
    echo "bench: falling back to polling /proc/PID/status for the peak RSS." >&2
fi

now_ns() { date +%s%N; }
err=$out/stderr.txt
tf=$out/time.txt
failed=0

# measure WANT_RSS CMD...: runs CMD with stdout to /dev/null; sets m_secs (wall clock), m_cpu
# (user + system CPU seconds, "" when not measured) and m_rss (peak resident set in KiB, or "").
# Timed runs use the shell's `time` (and GNU time for the RSS when it is there); the /proc
# polling fallback only runs when WANT_RSS is 1 and GNU time is missing.
measure() {
    local want_rss=$1; shift
    local t0 t1 status=0 pid line
    m_rss="" m_cpu=""
    if [ "$have_gnu_time" = 0 ] && [ "$want_rss" = 1 ]; then
        t0=$(now_ns)
        "$@" > /dev/null 2> "$err" &
        pid=$!
        while [ -r "/proc/$pid/status" ]; do
            line=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$line" ] && m_rss=$line
            grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && break
            sleep 0.05
        done
        wait "$pid" || status=$?
        t1=$(now_ns)
        m_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    else
        local TIMEFORMAT='%3R %3U %3S'
        if [ "$have_gnu_time" = 1 ]; then
            { time /usr/bin/time -f %M -o "$out/rss.txt" "$@" > /dev/null 2> "$err" || status=$?; } 2> "$tf"
            m_rss=$(tail -n 1 "$out/rss.txt")
        else
            { time "$@" > /dev/null 2> "$err" || status=$?; } 2> "$tf"
        fi
        read -r m_secs m_cpu < <(awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$tf")
    fi
    if [ "$status" != 0 ]; then
        failed=1
        echo "bench: '$*' exited with status $status; standard error begins:" >&2
        head -n 5 "$err" >&2
    fi
}


# warm the page cache so that every run reads from memory
cat "$corpus" "$small" > /dev/null

busy=$(cpu_busy 2>/dev/null || true)
is_uint "$busy" || busy=0

echo
echo "== Transfer Radar benchmark"
echo "radar:    $radar"
echo "machine:  $cpus CPU(s), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown); other work before the runs: ${busy}% of the CPUs"
echo "corpus:   $corpus: $(mib "$bytes") MB, $articles articles, seed $seed"
echo "runs:     median of $runs timed runs per figure; peak RSS by $rss_how"
if [ "$busy" -ge 10 ]; then
    echo "warning:  the machine is busy (${busy}% of the CPUs in use by other work): wall-clock figures"
    echo "          will be low and noisy, --jobs speed-ups especially; CPU-time figures suffer less"
fi

# sanity check: one output line per article on a sample
sample_out=$(head -n 200 "$corpus" | "$radar" extract --format json - 2> "$err" | wc -l) || true
if [ "$sample_out" != 200 ]; then
    echo "bench: radar printed $sample_out lines for 200 articles; standard error begins:" >&2
    head -n 5 "$err" >&2
    failed=1
fi


# ---------------------------------------------------------------- wc -w baseline
echo
echo "-- wc -w (baseline)"
times=()
cpus_used=()
for ((i = 0; i < runs; i++)); do
    measure 0 wc -w "$corpus"
    times+=("$m_secs")
    cpus_used+=("$m_cpu")
done
words=$(wc -w < "$corpus")
wc_t=$(median "${times[@]}")
wc_cpu=$(median "${cpus_used[@]}")
wc_mbs=$(mbps "$bytes" "$wc_t")
wc_wps=$(div "$words" "$wc_t" "%.0f")
printf '   %d words in %.3f s: %s MB/s, %s words/s (runs: %s s)\n' "$words" "$wc_t" "$wc_mbs" "$wc_wps" "${times[*]}"

# ---------------------------------------------------------------- radar extract, by --jobs
job_list=(1 2)
if [ "$cpus" -gt 2 ]; then job_list+=("$cpus"); fi
declare -A r_t r_cpu r_mbs r_cmbs r_wps r_rss r_speed
for j in "${job_list[@]}"; do
    echo
    echo "-- radar extract --format json --jobs $j"
    times=()
    cpus_used=()
    rsss=()
    for ((i = 0; i < runs; i++)); do
        measure 0 "$radar" extract --format json --jobs "$j" "$corpus"
        times+=("$m_secs")
        cpus_used+=("$m_cpu")
        if [ -n "$m_rss" ]; then rsss+=("$m_rss"); fi
    done
    t=$(median "${times[@]}")
    r_t[$j]=$t
    r_cpu[$j]=$(median "${cpus_used[@]}")
    r_mbs[$j]=$(mbps "$bytes" "$t")
    r_cmbs[$j]=$(mbps "$bytes" "${r_cpu[$j]}")
    r_wps[$j]=$(div "$words" "$t" "%.0f")
    r_speed[$j]=$(div "${r_t[1]}" "$t" "%.2f")
    r_rss[$j]=""
    if [ ${#rsss[@]} -gt 0 ]; then r_rss[$j]=$(maxof "${rsss[@]}"); fi
    printf '   %.3f s wall, %.3f s CPU: %s MB/s, %s words/s, %s MB per CPU second, speed-up x%s over --jobs 1\n' \
        "$t" "${r_cpu[$j]}" "${r_mbs[$j]}" "${r_wps[$j]}" "${r_cmbs[$j]}" "${r_speed[$j]}"
    printf '   (wall-clock runs: %s s)\n' "${times[*]}"
    if [ "$j" = 1 ]; then
        verdict=$(awk -v v="${r_mbs[1]}" -v t="$target" 'BEGIN { print (v >= t) ? "met" : "NOT met" }')
        printf '   target >= %s MB/s on one core: %s (%s MB/s)\n' "$target" "$verdict" "${r_mbs[1]}"
    fi
done

# ---------------------------------------------------------------- peak RSS, --jobs 1
echo
echo "-- peak RSS, radar extract --jobs 1"
measure 1 "$radar" extract --format json --jobs 1 "$small"
rss_small=$m_rss
if [ "$have_gnu_time" = 1 ] && [ -n "${r_rss[1]}" ]; then
    rss_big=${r_rss[1]}   # already measured by the timed runs
else
    measure 1 "$radar" extract --format json --jobs 1 "$corpus"
    rss_big=$m_rss
    r_rss[1]=$rss_big
fi
printf '   %6s MB corpus: %s MB peak RSS\n' "$(mib "$small_bytes")" "$(kib_to_mb "$rss_small")"
printf '   %6s MB corpus: %s MB peak RSS\n' "$(mib "$bytes")" "$(kib_to_mb "$rss_big")"
flat="n/a"
if [ -n "$rss_small" ] && [ -n "$rss_big" ]; then
    growth=$(div "$rss_big" "$rss_small" "%.2f")
    corpus_growth=$(div "$bytes" "$small_bytes" "%.2f")
    flat=$(awk -v g="$growth" 'BEGIN { print (g <= 1.25) ? "flat" : "GROWS with the corpus" }')
    printf '   corpus x%s, peak RSS x%s: memory %s\n' "$corpus_growth" "$growth" "$flat"
fi

# ---------------------------------------------------------------- summary
row() { printf '%-32s %8s %8s %8s %11s %9s %8s %8s\n' "$@"; }
echo
echo "== summary ($(mib "$bytes") MB, $articles articles, $words words; median of $runs; MB = 2^20 bytes)"
row "command" "wall s" "CPU s" "MB/s" "words/s" "MB/CPU-s" "speed-up" "RSS MB"
row "wc -w (baseline)" "$wc_t" "$wc_cpu" "$wc_mbs" "$wc_wps" "$(mbps "$bytes" "$wc_cpu")" "-" "-"
for j in "${job_list[@]}"; do
    row "radar extract --jobs $j" "${r_t[$j]}" "${r_cpu[$j]}" "${r_mbs[$j]}" "${r_wps[$j]}" "${r_cmbs[$j]}" \
        "x${r_speed[$j]}" "$(kib_to_mb "${r_rss[$j]}")"
done
row "radar --jobs 1, $(mib "$small_bytes") MB corpus" "-" "-" "-" "-" "-" "-" "$(kib_to_mb "$rss_small")"
row "radar --jobs 1, $(mib "$bytes") MB corpus" "-" "-" "-" "-" "-" "-" "$(kib_to_mb "$rss_big")"
echo
printf 'radar --jobs 1: %s MB/s, target >= %s MB/s: %s (%s of wc -w speed); memory: %s\n' \
    "${r_mbs[1]}" "$target" "$verdict" "$(div "${r_mbs[1]}" "$wc_mbs" "%.2fx")" "$flat"
rm -f "$out/rss.txt" "$tf"
if [ "$failed" != 0 ]; then
    echo "bench: radar reported errors (see above); the figures may not mean much" >&2
    exit 1
fi
