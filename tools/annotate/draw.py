#!/usr/bin/env python3
"""Draw the stories of the precision audit (docs/audit.md) from a board.

usage: radar export --format jsonl --db audit.db > stories.jsonl
       draw.py STORIES.jsonl [--seed 14] [--n 100] [--exclude-ids FILE.jsonl ...]

The stories drawn are the N whose SHA-256 of "SEED:player:to_club" is smallest: keyed on the player and
the club, not on the row number, so two stores built from the same corpus by two versions of radar give
the same draw. --exclude-ids FILE (repeatable) leaves out every story one of whose reports comes from an
article whose id is in FILE (JSON Lines with an "id" field: data/train/labels.jsonl for the articles the
model was trained on, ../shared/eval/gossip-dev.jsonl and bbcsport-dev.jsonl for the dev sets). A BBC full article is stored
under its file's stem ("232" for bbcsport-football/232.txt) and named "bbcsport-232" in the labels and the
dev sets: a bare number is read as that name. Prints one line per story drawn: id, player, to_club.
"""
import hashlib, json, sys


def article_name(aid):
    # The store keeps a plain-text file's stem; the labels name bbcsport-football/N.txt "bbcsport-N".
    return "bbcsport-" + aid if aid.isdigit() else aid


def read_ids(path):
    with open(path, encoding="utf-8") as f:
        return {json.loads(l)["id"] for l in f if l.strip()}


def main():
    argv = sys.argv[1:]
    seed, n, exclude, rest = 14, 100, set(), []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--seed", "--n", "--exclude-ids") and i + 1 < len(argv):
            v = argv[i + 1]
            if a == "--seed":
                seed = int(v)
            elif a == "--n":
                n = int(v)
            else:
                exclude |= read_ids(v)
            i += 2
            continue
        if a.startswith("--"):
            print(__doc__)
            sys.exit(2)
        rest.append(a)
        i += 1
    if len(rest) != 1:
        print(__doc__)
        sys.exit(2)
    pool = []
    with open(rest[0], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            s = json.loads(line)
            arts = {article_name(m["article"]) for m in s["timeline"]}
            if arts & exclude:
                continue
            key = hashlib.sha256(("%d:%s:%s" % (seed, s["player"], s["to_club"])).encode("utf-8")).hexdigest()
            pool.append((key, s["id"], s["player"], s["to_club"]))
    pool.sort()
    print("draw.py: %d stories drawn of %d eligible" % (min(n, len(pool)), len(pool)), file=sys.stderr)
    for _, sid, player, club in pool[:n]:
        print("%d\t%s\t%s" % (sid, player, club))


if __name__ == "__main__":
    main()
