#!/usr/bin/env python3
"""Agreement between two annotation passes, as pair F1 (the scorer's matching: players by last name,
clubs through ../shared/eval/clubs.tsv when present, else by folded name).

usage: agree.py FIRST.jsonl SECOND.jsonl [--shared DIR] [--verbose]

Only items both passes annotated count; reported by set and overall, with from_club and stage agreement on
the pairs both found. Optional moves count neither way, as in the scorer.
"""
import json, os, re, sys, unicodedata, collections


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", s).split())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    shared = sys.argv[sys.argv.index("--shared") + 1] if "--shared" in sys.argv else os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "shared")
    args = [a for a in args if a != shared]
    verbose = "--verbose" in sys.argv
    club_key = lambda n: fold(n)
    score_py = os.path.join(shared, "eval", "score.py")
    if os.path.exists(score_py):
        sys.path.insert(0, os.path.dirname(score_py))
        import score
        club_key = score.club_key
    a = {o["id"]: o for o in (json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip())}
    b = {o["id"]: o for o in (json.loads(l) for l in open(args[1], encoding="utf-8") if l.strip())}
    stats = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])  # tp fp fn from_ok from_n stage_ok stage_n

    def pairs(o, optional):
        out = {}
        for r in o["rumours"]:
            if bool(r.get("optional")) != optional:
                continue
            toks = fold(r["player"]).split()
            if toks and club_key(r["to_club"]):
                out[(toks[-1], club_key(r["to_club"]))] = r
        return out

    for i in sorted(set(a) & set(b)):
        s = stats[a[i]["set"]]
        pa, pb = pairs(a[i], False), pairs(b[i], False)
        opt = set(pairs(a[i], True)) | set(pairs(b[i], True))
        for k in pa:
            if k in pb:
                s[0] += 1
                s[3] += club_key(pa[k].get("from_club")) == club_key(pb[k].get("from_club"))
                s[4] += 1
                s[5] += pa[k].get("stage") == pb[k].get("stage")
                s[6] += 1
            elif k not in opt:
                s[2] += 1
                if verbose:
                    print("only first  %s %s" % (i, k))
        for k in pb:
            if k not in pa and k not in opt:
                s[1] += 1
                if verbose:
                    print("only second %s %s" % (i, k))
    tot = [sum(v[j] for v in stats.values()) for j in range(7)]
    for name, s in sorted(stats.items()) + [("all", tot)]:
        tp, fp, fn = s[0], s[1], s[2]
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print("%-18s pairs %3d+%3d+%3d  pair F1 %.3f  from_club %.3f  stage %.3f" % (
            name, tp, fn, fp, f1, s[3] / s[4] if s[4] else 0, s[5] / s[6] if s[6] else 0))


if __name__ == "__main__":
    main()
