# Shared pieces of the benchmark scripts (run.sh, store.sh): the corpus generator and the
# arithmetic of the reports. Source it after setting `here` (bench/), `out` (bench/out),
# `seed` and a `die MESSAGE` function.

is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }

# ---------------------------------------------------------------- corpus generator
# build_gen: compile gen_corpus.c into $gen when it is missing or older than its source, and set
# gen_sum, the source's checksum that corpus stamps record.
build_gen() {
    gen_src=$here/gen_corpus.c
    gen=$out/gen_corpus
    local cc=${CC:-cc}
    [ -f "$gen_src" ] || die "$gen_src is missing"
    if [ ! -x "$gen" ] || [ "$gen_src" -nt "$gen" ]; then
        echo "== building $gen"
        "$cc" -O2 -std=c11 -o "$gen" "$gen_src" || die "could not build gen_corpus (set CC to a C compiler)"
    fi
    gen_sum=$(cksum < "$gen_src" | awk '{print $1}')
}

# make_corpus MB FILE: generate FILE, or reuse it when it was made by the same generator with the
# same seed and size and still has the size recorded when it was made.
make_corpus() {
    local size_mb=$1 file=$2 stamp=$2.stamp want have
    want="gen=$gen_sum seed=$seed mb=$size_mb"
    if [ -f "$file" ] && [ -f "$stamp" ]; then
        have=$(cat "$stamp")
        if [ "${have% bytes=*}" = "$want" ] && [ "${have##* bytes=}" = "$(stat -c %s "$file")" ]; then
            echo "== reusing $file ($(stat -c %s "$file") bytes)"
            return
        fi
    fi
    echo "== generating $file ($size_mb MB, seed $seed)"
    rm -f "$stamp"
    "$gen" --mb "$size_mb" --seed "$seed" > "$file.tmp" || die "gen_corpus failed (disk full?)"
    mv "$file.tmp" "$file"
    echo "$want bytes=$(stat -c %s "$file")" > "$stamp"
}

# ---------------------------------------------------------------- figures
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.1f}" 'BEGIN { if (b > 0) printf f, a / b; else print "n/a" }'; }
mib() { div "$1" 1048576 "%.1f"; }
kib_to_mb() { if [ -n "$1" ]; then div "$1" 1024 "%.1f"; else echo "n/a"; fi; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", b / 1048576 / t; else print "n/a" }'; }

# cpu_busy: how busy the machine is without us, the share of all CPUs not idle over one second.
cpu_busy() {
    local a b
    a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2];
        printf "%.0f", (t > 0) ? 100 * (y[1] - x[1]) / t : 0 }'
}
