#!/usr/bin/env bash
# The shape of the code, as docs/design.md draws it: every static library of
# the build (libradar.a, libradar_server.a) exports only radar_-prefixed
# names; the modules call one another without a circle (from nm: who calls
# whom); radar.h includes every public header; no source file is over 1,200
# lines and no function over 120. Needs RADAR_BUILD_DIR, SRC, nm and python3.
set -u
export LC_ALL=C
: "${SRC:?SRC must point at the source root}"
: "${RADAR_BUILD_DIR:?RADAR_BUILD_DIR must point at the build directory}"
for tool in nm python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool not found (scripts/install-deps installs it)"
        exit 1
    fi
done
exec python3 - "$SRC" "$RADAR_BUILD_DIR" <<'PY'
import collections, glob, os, re, subprocess, sys

src, build = sys.argv[1], sys.argv[2]
failed = 0


def bad(msg):
    global failed
    failed += 1
    print("FAIL: " + msg)


# Known gaps: files that break a rule today, reported but not counted. A file
# listed here that keeps the rule fails the run, so that the list only shrinks.
KNOWN_GAPS = {
    "exports": set(),
    "lines": set(),
    "functions": set(),  # "FILE:FUNCTION"
}
gaps_seen = collections.defaultdict(set)


def rule_broken(rule, name, msg):
    if name in KNOWN_GAPS[rule]:
        if name not in gaps_seen[rule]:
            print(f"KNOWN GAP (not counted): {msg}")
        gaps_seen[rule].add(name)
    else:
        bad(msg)


# the modules of docs/design.md, by object file
MODULES = {
    "util": "error buf arena utf8 grow date csv embedded",
    "readers": "article jsonl html feed syndication outcomes",
    "extraction": "tokenize lexicon words mentions money frames clause past features decide people identity model train facts "
                  "extract output lexicon_data model_data model_builtin model_compiled",
    "scores": "score likelihood_model likelihood_fit likelihood_data",
    "store": "store store_write store_feeds store_outcomes store_scores store_questions store_answers "
             "store_records store_json store_features store_model store_identity store_registry store_follow store_fts "
             "search_query postings sql db_pg db_schema db_copy fts_pg",
    "alerts": "follow",
    "atom": "atom",
    "ingest": "ingest",
    "fetch": "fetch",
    "watch": "watch",
    "server": "server request route api feeds assets web_data",
}
module = {f: m for m, fs in MODULES.items() for f in fs.split()}

# every library the build makes: one added later is checked without a change here
libs = sorted(glob.glob(os.path.join(build, "*.a")))
for need in ("libradar.a", "libradar_server.a"):
    if os.path.join(build, need) not in libs:
        bad(f"{need} not found in {build}")
out = subprocess.run(["nm", "-A"] + libs, capture_output=True, text=True, check=True).stdout
defined, undefined = {}, collections.defaultdict(set)
for line in out.splitlines():
    m = re.match(r"(\S+?):(\S+?)\.c\.o:\s*(?:[0-9a-f]+)?\s+(\w)\s+(\S+)$", line)
    if not m:
        continue
    lib, obj, kind, sym = m.groups()
    if obj not in module:
        bad(f"{obj}.c belongs to no module of docs/design.md (add it to this test and the graph)")
        module[obj] = obj
    if kind == "U":
        undefined[obj].add(sym)
    elif kind.isupper():
        defined[sym] = obj
        # names beginning "__" are the compiler's own (a sanitizer build's __odr_asan.*)
        if not sym.startswith(("radar_", "__")):
            rule_broken("exports", obj, f"{os.path.basename(lib)} exports {sym} ({obj}.c): make it static or give it "
                        "the radar_ prefix")

calls = collections.defaultdict(set)
for obj, syms in undefined.items():
    for sym in syms:
        to = defined.get(sym)
        if to and module[to] != module[obj]:
            calls[module[obj]].add(module[to])


def circle(graph):
    state, path = {}, []

    def visit(u):
        state[u] = 1
        path.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return path[path.index(v):] + [v]
            if not state.get(v):
                c = visit(v)
                if c:
                    return c
        path.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if not state.get(u):
            c = visit(u)
            if c:
                return c
    return None


c = circle(calls)
if c:
    bad("the modules call one another in a circle: " + " -> ".join(c))
print("modules: " + "; ".join(f"{m} -> {', '.join(sorted(calls[m]))}" for m in sorted(calls)))

radar_h = open(os.path.join(src, "include/radar/radar.h")).read()
for h in sorted(glob.glob(os.path.join(src, "include/radar/*.h"))):
    name = os.path.basename(h)
    if name != "radar.h" and f'#include "radar/{name}"' not in radar_h:
        bad(f"radar.h does not include radar/{name}")

for f in sorted(glob.glob(os.path.join(src, "src/*/*.[ch]")) + glob.glob(os.path.join(src, "include/radar/*.h"))):
    n = sum(1 for _ in open(f, errors="replace"))
    if n > 1200:
        rule_broken("lines", os.path.relpath(f, src), f"{os.path.relpath(f, src)} has {n} lines (at most 1,200: split it by role)")

# A function runs from a "{" at column 0 to the next "}" at column 0 (the
# code's own layout); it is named by the last line before it that holds a
# call-like "name(". Over 120 lines, it does several things: split it.
MAX_FUNCTION_LINES = 120
for f in sorted(glob.glob(os.path.join(src, "src/*/*.[ch]")) + glob.glob(os.path.join(src, "tools/*.c"))):
    rel = os.path.relpath(f, src)
    lines = open(f, errors="replace").read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if start is None and line.startswith("{") and i > 0:
            j = i - 1
            while j >= 0 and not re.search(r"\w+\s*\(", lines[j]):
                j -= 1
            m = re.search(r"(\w+)\s*\(", lines[j]) if j >= 0 else None
            start, name, name_line = i, m.group(1) if m else "?", j + 1 if m else i + 1
        elif start is not None and line.startswith("}"):
            n = i - start + 1
            if n > MAX_FUNCTION_LINES:
                rule_broken("functions", f"{rel}:{name}",
                            f"{rel}:{name_line}: {name} has {n} lines (at most {MAX_FUNCTION_LINES}: split it into "
                            "functions that each do one thing)")
            start = None

for rule, names in KNOWN_GAPS.items():
    for name in sorted(names - gaps_seen[rule]):
        bad(f"known gap {name} ({rule}) now keeps the rule: drop it from KNOWN_GAPS so that it guards the gain")

print("FAIL" if failed else "ok", f"({failed} failed)")
sys.exit(1 if failed else 0)
PY
