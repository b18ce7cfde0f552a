#!/usr/bin/env python3
"""Count the stage and direction errors of an extraction on short items, by class.

usage: stage_errors.py SHARED_DIR TRAIN.jsonl SYSTEM.jsonl [--show CLASS] [--sets SET,SET]

TRAIN.jsonl is join.py's output (the labels with their text), SYSTEM.jsonl the extraction of those
articles (the cross-validated predictions of `make eval`, kept with EVAL_TMP=DIR). Pairs are matched as
../shared/eval/score.py matches them (player by last name, club through its club table). The classes:

  agreement-as-interest   labelled agreement, extracted at interest
  agreement-other         labelled agreement, extracted at another stage
  staying-as-move         labelled denied (he stays, his club keeps him), extracted at a stage of a move
  contact-as-interest     labelled contact or talks, extracted at interest
  medical-missed          labelled medical, extracted below it (later-line: "medical" in no sentence
                          that names the club)
  hypothetical-as-step    labelled interest, extracted at a later step, with "if", "should", "were to"
  other-stage             any other stage disagreement
  seller-as-buyer         an extracted destination that the labels give as the player's club

--show CLASS prints each error of that class with its text (for reading, not for choosing on the dev
sets: run it on the training corpus only).
"""
import collections, json, os, re, sys

SHORT = {"bbc-gossip", "romano"}
LATER = {"contact", "talks", "bid", "agreement", "medical", "signed"}
HYPO = re.compile(r"\b(if|should|were to|would|in the event)\b", re.I)


def sentences_with(text, club_words):
    out = []
    for s in re.split(r"(?<=[.!?])\s+|\n+", text):
        low = s.lower()
        if any(w in low for w in club_words):
            out.append(s)
    return out


def classify(gold_stage, got, text, club):
    if gold_stage == "agreement":
        return "agreement-as-interest" if got == "interest" else "agreement-other"
    if gold_stage == "denied":
        return "staying-as-move"
    if gold_stage in ("contact", "talks") and got == "interest":
        return "contact-as-interest"
    if gold_stage == "medical":
        words = [w.lower() for w in club.split() if len(w) > 3] or [club.lower()]
        near = " ".join(sentences_with(text, words)).lower()
        return "medical-missed" if "medical" in near else "medical-missed (later line)"
    if gold_stage == "interest" and got in LATER and HYPO.search(text):
        return "hypothetical-as-step"
    return "other-stage"


def main():
    args = sys.argv[1:]
    show = sets = None
    if "--show" in args:
        i = args.index("--show")
        show = args[i + 1]
        del args[i:i + 2]
    if "--sets" in args:
        i = args.index("--sets")
        sets = set(args[i + 1].split(","))
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__)
        sys.exit(2)
    shared, train, system = args
    sys.path.insert(0, os.path.join(shared, "eval"))
    import score
    sysd = {}
    for l in open(system, encoding="utf-8"):
        if l.strip():
            o = json.loads(l)
            sysd[str(o.get("id"))] = o
    counts = collections.Counter()
    by_set = collections.defaultdict(collections.Counter)
    pairs_n = collections.Counter()
    shown = []
    for l in open(train, encoding="utf-8"):
        if not l.strip():
            continue
        a = json.loads(l)
        if a["set"] not in (sets or SHORT):
            continue
        s = sysd.get(str(a["id"]))
        if not s:
            continue
        got = {}
        for r in s.get("rumours", []):
            got[(score.player_key(r.get("player")), score.club_key(r.get("to_club")))] = r
        sellers = {}
        for g in a["gold"]:
            if g.get("from_club"):
                sellers[(score.player_key(g["player"]), score.club_key(g["from_club"]))] = g
        gold_keys = set()
        for g in a["gold"]:
            k = (score.player_key(g["player"]), score.club_key(g["to_club"]))
            gold_keys.add(k)
            if g.get("optional") or not g.get("stage") or k not in got:
                continue
            pairs_n[a["set"]] += 1
            st = got[k].get("stage")
            if st == g["stage"]:
                continue
            c = classify(g["stage"], st, a["text"], g["to_club"])
            counts[c] += 1
            by_set[a["set"]][c] += 1
            if show and c.startswith(show):
                shown.append("%s [%s] %s -> %s: gold %s, got %s\n    %s" % (
                    a["id"], a["set"], g["player"], g["to_club"], g["stage"], st, a["text"].replace("\n", " / ")))
        for k, r in got.items():
            if k in sellers and k not in gold_keys:
                counts["seller-as-buyer"] += 1
                by_set[a["set"]]["seller-as-buyer"] += 1
                if show == "seller-as-buyer":
                    shown.append("%s [%s] %s -> %s (his club in the labels)\n    %s" % (
                        a["id"], a["set"], r.get("player"), r.get("to_club"), a["text"].replace("\n", " / ")))
    total = sum(pairs_n.values())
    print("pairs found with a labelled stage: %d (%s)" % (total, ", ".join("%s %d" % kv for kv in sorted(pairs_n.items()))))
    for c, n in counts.most_common():
        print("%-28s %5d   %s" % (c, n, "  ".join("%s %d" % (s, by_set[s][c]) for s in sorted(by_set) if by_set[s][c])))
    for x in shown:
        print(x)


if __name__ == "__main__":
    main()
