#!/usr/bin/env python3
"""Turn annotation slices into the project's labels: ids, labels and spans, never the text.

usage: import.py SLICES_DIR OUT_DIR LABELS.jsonl [--second SECOND.jsonl]

SLICES_DIR holds the slices sample.py drew (with their text), OUT_DIR the annotators' files of the same
names (one line per item, ANNOTATE.md's format). Each label record keeps the item's id and set, its
rumours (player as written, with the byte span of its first occurrence in the text; clubs; fee; stage;
optional) and the people who are not players (name, role, span). Slices named agree-* are the second,
independent pass: they go to --second. Records are sorted by set and id, so re-importing is stable.
"""
import json, os, sys


def span_of(text, name):
    if not name:
        return None
    i = text.find(name)
    if i < 0:
        return None
    start = len(text[:i].encode("utf-8"))
    return [start, start + len(name.encode("utf-8"))]


def convert(item, ann):
    text = item["text"]
    rumours = []
    for r in ann.get("rumours", []):
        rumours.append({"player": r["player"], "player_span": span_of(text, r["player"]),
                        "to_club": r["to_club"], "from_club": r.get("from_club"), "fee": r.get("fee"),
                        "stage": r.get("stage"), "optional": bool(r.get("optional"))})
    people = [{"name": p["name"], "role": p["role"], "span": span_of(text, p["name"])}
              for p in ann.get("people", [])]
    return {"id": item["id"], "set": item["set"], "rumours": rumours, "people": people}


def id_order(i):
    head, _, tail = i.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (i, 0)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    second = None
    if "--second" in sys.argv:
        second = sys.argv[sys.argv.index("--second") + 1]
        args.remove(second)
    if len(args) != 3:
        print(__doc__)
        sys.exit(2)
    slices, outdir, labels = args
    primary, extra = {}, {}
    for name in sorted(os.listdir(slices)):
        if not name.endswith(".jsonl"):
            continue
        out = os.path.join(outdir, name)
        if not os.path.exists(out):
            print("import.py: %s not annotated yet, skipped" % name, file=sys.stderr)
            continue
        items = [json.loads(l) for l in open(os.path.join(slices, name), encoding="utf-8") if l.strip()]
        anns = [json.loads(l) for l in open(out, encoding="utf-8") if l.strip()]
        if len(items) != len(anns) or any(i["id"] != a["id"] for i, a in zip(items, anns)):
            print("import.py: %s does not match its slice item for item; skipped" % out, file=sys.stderr)
            continue
        dest = extra if name.startswith("agree") else primary
        for i, a in zip(items, anns):
            dest[(i["set"], i["id"])] = convert(i, a)
    for path, recs in ((labels, primary), (second, extra)):
        if not path:
            continue
        with open(path, "w", encoding="utf-8") as f:
            for key in sorted(recs, key=lambda k: (k[0], id_order(k[1]))):
                f.write(json.dumps(recs[key], ensure_ascii=False) + "\n")
        print("%s: %d items, %d rumours" % (path, len(recs), sum(len(r["rumours"]) for r in recs.values())))


if __name__ == "__main__":
    main()
