#!/usr/bin/env python3
"""Join the project's labels with the texts they refer to, for `radar train`.

usage: join.py SHARED_DIR LABELS.jsonl [OUT.jsonl]

Writes one annotated article per line: {"id", "set", "date", "source", "title", "text", "gold": [...]}
(gold: player, to_club, from_club, stage, optional, fee). The texts stay in SHARED_DIR (../shared);
when it is absent the tool says so and exits with 77 (skipped).
"""
import json, os, sys

SETS = {"bbc-gossip": "corpus/bbc-gossip-dev.jsonl", "romano": "corpus/romano-2025-01.jsonl",
        "tribuna": "corpus/tribuna-2024.jsonl"}


def texts(shared, setname):
    if setname == "bbcsport-football":
        d = os.path.join(shared, "corpus", "bbcsport-football")
        out = {}
        for name in os.listdir(d):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                out["bbcsport-" + name.split(".")[0]] = {"text": f.read(), "date": None, "source": None}
        return out
    path = os.path.join(shared, SETS[setname])
    return {o["id"]: o for o in (json.loads(l) for l in open(path, encoding="utf-8") if l.strip())}


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        sys.exit(2)
    shared, labels = sys.argv[1], sys.argv[2]
    if not os.path.isdir(os.path.join(shared, "corpus")):
        print("join.py: %s/corpus not found: the texts are not here; skipped" % shared, file=sys.stderr)
        sys.exit(77)
    out = open(sys.argv[3], "w", encoding="utf-8") if len(sys.argv) == 4 else sys.stdout
    cache = {}
    n = 0
    for line in open(labels, encoding="utf-8"):
        if not line.strip():
            continue
        lab = json.loads(line)
        if lab["set"] not in cache:
            cache[lab["set"]] = texts(shared, lab["set"])
        src = cache[lab["set"]].get(lab["id"])
        if src is None:
            sys.exit("join.py: %s of %s is not in %s" % (lab["id"], lab["set"], shared))
        gold = [{k: r.get(k) for k in ("player", "to_club", "from_club", "stage", "optional", "fee")}
                for r in lab["rumours"]]
        rec = {"id": lab["id"], "set": lab["set"], "date": src.get("date"), "source": src.get("source"),
               "title": src.get("title"), "text": src["text"], "gold": gold}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    if out is not sys.stdout:
        out.close()
    print("join.py: %d annotated articles" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
