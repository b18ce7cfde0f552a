#!/usr/bin/env python3
"""Score extractions against the project's labels, set by set, with ../shared/eval/score.py.

usage: report.py SHARED_DIR LABELS.jsonl SYSTEM.jsonl [NAME]

Prints one line per set of LABELS (and one for short items and one for full articles): precision, recall,
F1 of (player, to_club) pairs, from_club and fee accuracy. Exits 77 when score.py is not there.
"""
import json, os, subprocess, sys, tempfile, collections

SHORT = {"bbc-gossip", "romano"}


def stage_accuracy(score_dir, gold, system):
    """Stage agreement on the pairs both the labels and the system hold."""
    sys.path.insert(0, score_dir)
    import score
    sysd = {}
    for l in open(system, encoding="utf-8"):
        if l.strip():
            o = json.loads(l)
            sysd[str(o.get("id"))] = o
    ok = n = 0
    for g in gold:
        s = sysd.get(str(g["id"]))
        if not s:
            continue
        got = {(score.player_key(r.get("player")), score.club_key(r.get("to_club"))): r.get("stage") for r in s["rumours"]}
        for r in g["rumours"]:
            if r.get("optional") or not r.get("stage"):
                continue
            k = (score.player_key(r["player"]), score.club_key(r["to_club"]))
            if k in got:
                n += 1
                ok += got[k] == r["stage"]
    return ok / n if n else 0.0, n


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    shared, labels, system = sys.argv[1:4]
    name = sys.argv[4] if len(sys.argv) > 4 else os.path.basename(system)
    score = os.path.join(shared, "eval", "score.py")
    if not os.path.exists(score):
        print("report.py: %s not found; skipped" % score, file=sys.stderr)
        sys.exit(77)
    by = collections.defaultdict(list)
    for l in open(labels, encoding="utf-8"):
        if l.strip():
            o = json.loads(l)
            by[o["set"]].append(o)
            by["short items" if o["set"] in SHORT else "full articles"].append(o)
    with tempfile.TemporaryDirectory() as tmp:
        for s in sorted(by, key=lambda k: (" " in k, k)):
            g = os.path.join(tmp, "gold.jsonl")
            with open(g, "w", encoding="utf-8") as f:
                for o in by[s]:
                    f.write(json.dumps(o) + "\n")
            out = subprocess.run([sys.executable, score, g, system], capture_output=True, text=True).stdout.split("\n")
            out = [x for x in out if x.strip()]
            acc, n = stage_accuracy(os.path.dirname(score), by[s], system)
            print("%-10s %-18s %s | %s  stage accuracy %.3f (%d)" % (name, s, out[-1], out[-2], acc, n))


if __name__ == "__main__":
    main()
