#!/usr/bin/env python3
"""Draw the training corpus's items from ../shared/corpus and cut them into annotation slices.

usage: sample.py SHARED_DIR OUT_DIR [--seed N] [--round 2]

Items are drawn at random with a fixed seed (the same seed gives the same items), never from the shared dev
sets (gossip-dev's ids and bbcsport-dev's articles are left out). OUT_DIR receives one JSON Lines file per
slice (id, set, date, source, title, text) and `manifest.tsv` (slice, set, id). The slices carry third-party
text: they stay outside the project; only their ids and the labels made from them are kept in it.
"""
import json, os, random, sys

SHORT_PER_SLICE = 250
FULL_CHARS_PER_SLICE = 95000


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed, rnd = 2026, 1
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
        args = [a for a in args if a != str(seed)]
    if "--round" in sys.argv:
        rnd = int(sys.argv[sys.argv.index("--round") + 1])
        args = [a for a in args if a != str(rnd)]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    shared, out = args
    if not os.path.isdir(os.path.join(shared, "corpus")):
        print("sample.py: %s/corpus not found; nothing to draw" % shared, file=sys.stderr)
        sys.exit(77)
    rng = random.Random(seed)
    dev_ids = {o["id"] for o in read_jsonl(os.path.join(shared, "eval", "gossip-dev.jsonl"))}
    dev_ids |= {o["id"] for o in read_jsonl(os.path.join(shared, "eval", "bbcsport-dev.jsonl"))}

    def draw(items, n, later=None):
        items = [o for o in items if o["id"] not in dev_ids]
        rng.shuffle(items)
        if rnd == 2:
            return items[n:n + later] if later else items[n:]
        if rnd == 3:
            return items[n + later:] if later else []
        return items[:n] if n else items

    gossip = draw(read_jsonl(os.path.join(shared, "corpus", "bbc-gossip-dev.jsonl")), 1000)
    romano = draw(read_jsonl(os.path.join(shared, "corpus", "romano-2025-01.jsonl")), 1000)
    tribuna = draw(read_jsonl(os.path.join(shared, "corpus", "tribuna-2024.jsonl")), 300, 600)
    bbc_dir = os.path.join(shared, "corpus", "bbcsport-football")
    bbcsport = []
    for name in sorted(os.listdir(bbc_dir), key=lambda s: int(s.split(".")[0])):
        with open(os.path.join(bbc_dir, name), encoding="utf-8") as f:
            bbcsport.append({"id": "bbcsport-" + name.split(".")[0], "date": None, "source": None, "text": f.read()})
    bbcsport = draw(bbcsport, 0) if rnd == 1 else []
    prefix = "" if rnd == 1 else "r%d-" % rnd

    slices = []
    for tag, name, items in (("gossip", "bbc-gossip", gossip), ("romano", "romano", romano)):
        for k in range(0, len(items), SHORT_PER_SLICE):
            slices.append(("%s%s-%d" % (prefix, tag, k // SHORT_PER_SLICE + 1), name, items[k:k + SHORT_PER_SLICE]))
    for tag, name, items in (("bbcsport", "bbcsport-football", bbcsport), ("tribuna", "tribuna", tribuna)):
        cur, size, n = [], 0, 1
        for o in items:
            if cur and size + len(o["text"]) > FULL_CHARS_PER_SLICE:
                slices.append(("%s%s-%d" % (prefix, tag, n), name, cur))
                cur, size, n = [], 0, n + 1
            cur.append(o)
            size += len(o["text"])
        if cur:
            slices.append(("%s%s-%d" % (prefix, tag, n), name, cur))
    # The second, independent pass: 10% of each set, drawn from the slices above.
    second = []
    for name, items, n in (("bbc-gossip", gossip, 100 if rnd == 1 else 0), ("romano", romano, 100 if rnd == 1 else 0)):
        second += [(name, o) for o in rng.sample(items, n)]
    if rnd == 1:
        slices.append(("agree-short", None, second))
        second = []
        for name, items, n in (("bbcsport-football", bbcsport, 21), ("tribuna", tribuna, 30)):
            second += [(name, o) for o in rng.sample(items, n)]
        slices.append(("agree-full", None, second))

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest%s.tsv" % ("" if rnd == 1 else "-r%d" % rnd)), "w", encoding="utf-8") as man:
        for tag, name, items in slices:
            with open(os.path.join(out, tag + ".jsonl"), "w", encoding="utf-8") as f:
                for it in items:
                    setname, o = it if isinstance(it, tuple) else (name, it)
                    rec = {"id": o["id"], "set": setname, "date": o.get("date"), "source": o.get("source"),
                           "title": o.get("title"), "text": o["text"]}
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    man.write("%s\t%s\t%s\n" % (tag, setname, o["id"]))
    for tag, _, items in slices:
        print("%-14s %4d items" % (tag, len(items)))


if __name__ == "__main__":
    main()
