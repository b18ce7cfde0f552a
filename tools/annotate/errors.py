#!/usr/bin/env python3
"""Count the full articles' errors of an extraction by class, as read from the text.

usage: errors.py SHARED_DIR TRAIN.jsonl SYSTEM.jsonl [--show CLASS [N]]

TRAIN.jsonl is the joined corpus (join.py: id, set, title, text, gold); SYSTEM.jsonl the extraction
(the cross-validated predictions of `make eval`). Only full articles are counted (not the gossip items
nor the journalist's posts). The classes are read by plain text patterns, so they are counts to steer
by, not a judgement of each pair:

missed (a gold pair the system does not give):
  apart        player and club never in one sentence (apart/title: the player named in the title)
  bracket      in a list where each player has his club in brackets ("X (Fulham), Y (Burnley)")
  headline     in one sentence of the page's end that reads as a related article's headline
  list         in a list of names ("monitor X, Y and Z")
  same         in one sentence otherwise (scored low)
wrong (a pair the system gives that the labels do not hold):
  own          the club is the player's own (the labels' from_club, "X scored for Y", "Y's X",
               "Y defender X", a new contract)
  notplayer    no labelled rumour of this person, and the labels call him a manager, official, ...
               or his surname never follows a capitalised first name (a word, a place, a one-word name)
  norumour     no labelled rumour of this person at all (a player named in passing)
  past         every sentence with both tells a move in the past
  another      the club is another player's destination in the labels
  other        the rest

--show CLASS N prints N examples of a class (id, pair, the sentences holding both).
"""
import collections, json, os, re, sys

SHORT = {"bbc-gossip", "romano"}
POSITIONS = r"(?:goalkeeper|keeper|defender|centre-back|center-back|full-back|left-back|right-back|wing-back|" \
            r"midfielder|winger|forward|striker|playmaker|captain|star|youngster|academy graduate)"
PAST = re.compile(r"\b(?:joined|signed (?:for|from)|moved to|arrived (?:at|from)|since (?:joining|his)|"
                  r"former|ex-|left [A-Z]|spent|spell|on loan at|previously|ago|last (?:summer|season|year)|"
                  r"in 20[0-2][0-9]|came through)\b")
CONTRACT = re.compile(r"\b(?:new (?:contract|deal)|contract extension|extend(?:ed|s)? (?:his|their) "
                      r"(?:contract|deal|stay)|renew(?:ed|s)?|signed a new)\b", re.I)


def load_score(shared):
    sys.path.insert(0, os.path.join(shared, "eval"))
    import score
    return score


def sentences(text):
    """(start, end) of each sentence: ends at . ! ? followed by space, and at line breaks."""
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"'”’)]*(?:\s+|(?=[A-Z]))|\n+", text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def club_forms(score, key):
    forms = {f for f, k in score.ALIASES.items() if k == key and len(f) > 2}
    return sorted(forms, key=len, reverse=True)


def find(forms, folded):
    return any(re.search(r"\b" + re.escape(f) + r"\b", folded) for f in forms)


def main():
    args = [a for a in sys.argv[1:]]
    show, nshow = None, 0
    if "--show" in args:
        i = args.index("--show")
        show = args[i + 1]
        nshow = int(args[i + 2]) if len(args) > i + 2 else 20
        args = args[:i]
    if len(args) != 3:
        print(__doc__)
        sys.exit(2)
    shared, train, system = args
    if not os.path.exists(os.path.join(shared, "eval", "score.py")):
        print("errors.py: %s/eval/score.py not found; skipped" % shared, file=sys.stderr)
        sys.exit(77)
    score = load_score(shared)
    sysd = {}
    for l in open(system, encoding="utf-8"):
        if l.strip():
            o = json.loads(l)
            sysd[str(o["id"])] = o
    # the people the labels name (managers, officials, ...): join.py leaves them out of TRAIN
    people_of = {}
    labels = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "train", "labels.jsonl")
    if os.path.exists(labels):
        for l in open(labels, encoding="utf-8"):
            if l.strip():
                o = json.loads(l)
                people_of[str(o["id"])] = {score.player_key(q.get("name")) for q in o.get("people") or []}
    counts = collections.Counter()
    shown = collections.Counter()
    formcache = {}

    def forms_of(key):
        if key not in formcache:
            formcache[key] = club_forms(score, key) or [key]
        return formcache[key]

    def report(cls, art, pair, sents):
        counts[cls] += 1
        if show and cls.split("/")[0] == show.split("/")[0] and (show == cls or "/" not in show) and shown[show] < nshow:
            shown[show] += 1
            print("--- %s %s %s -> %s" % (cls, art["id"], pair[0], pair[1]))
            for a, b in sents[:3]:
                print("    " + art["text"][a:b].replace("\n", " ")[:400])

    for l in open(train, encoding="utf-8"):
        art = json.loads(l)
        if art["set"] in SHORT:
            continue
        text = art["text"]
        folded = score.fold(text)
        folded_sents = [(a, b, score.fold(text[a:b])) for a, b in sentences(text)]
        gold = [g for g in art["gold"] if g.get("to_club")]
        gkeys = {(score.player_key(g["player"]), score.club_key(g["to_club"])) for g in gold if not g.get("optional")}
        opt = {(score.player_key(g["player"]), score.club_key(g["to_club"])) for g in gold if g.get("optional")}
        own = collections.defaultdict(set)
        for g in gold:
            if g.get("from_club"):
                own[score.player_key(g["player"])].add(score.club_key(g["from_club"]))
        gplayers = {score.player_key(g["player"]) for g in gold}
        got = sysd.get(str(art["id"]), {"rumours": []})
        skeys = {(score.player_key(r.get("player")), score.club_key(r.get("to_club"))) for r in got["rumours"]}

        def both(p, c):
            forms = forms_of(c)
            return [(a, b) for a, b, f in folded_sents
                    if re.search(r"\b" + re.escape(p) + r"\b", f) and find(forms, f)]

        for p, c in sorted(gkeys - skeys):
            if not p or not c:
                continue
            ss = both(p, c)
            title = score.fold(art.get("title") or "")
            if not ss:
                report("apart/title" if re.search(r"\b" + re.escape(p) + r"\b", title) else "apart", art, (p, c), [])
                continue
            cls = "same"
            for a, b in ss:
                raw = text[a:b]
                if re.search(r"[A-Z][\w'-]+ \([A-Z][^)]{2,40}\)\s*(?:,|and)", raw) or \
                        re.search(r"(?:,|and) [A-Z][\w' -]+ \([A-Z][^)]{2,40}\)", raw):
                    cls = "bracket"
                    break
            if cls == "same":
                a, b = ss[-1]
                raw = text[a:b].strip()
                late = a > len(text) * 0.8
                if late and not re.search(r"[.!?\"'”]$", raw) and len(raw.split()) <= 16:
                    cls = "headline"
                elif all(re.search(r"[A-Z]\w+(?:, [A-Z]\w+)+,? (?:and|or) [A-Z]\w+", text[a:b]) for a, b in ss):
                    cls = "list"
            report(cls, art, (p, c), ss)
        for p, c in sorted(skeys - gkeys - opt):
            if not p or not c:
                continue
            ss = both(p, c)
            raws = [text[a:b] for a, b in ss]
            forms = forms_of(c)
            cls = "other"
            owned = c in own.get(p, ())
            if not owned:
                for raw in raws:
                    f = score.fold(raw)
                    for form in forms:
                        fe = re.escape(form)
                        if re.search(fe + r" s (?:[a-z-]+ ){0,3}" + re.escape(p) + r"\b", f) or \
                                re.search(fe + r" " + POSITIONS + r" (?:[a-z]+ ){0,2}" + re.escape(p) + r"\b", f) or \
                                re.search(r"\b" + re.escape(p) + r"\b.{0,60}\b(?:scored|played|plays|started|"
                                          r"came on|netted|debut|appearances?) (?:\w+ ){0,4}for " + fe, f):
                            owned = True
                    if CONTRACT.search(raw):
                        owned = True
            if not owned and p not in gplayers:
                # the article says elsewhere that he plays for the club
                for form in forms:
                    fe = re.escape(form)
                    pe = re.escape(p)
                    if re.search(fe + r" s (?:[a-z-]+ ){0,3}" + pe + r"\b", folded) or \
                            re.search(fe + r" " + POSITIONS + r" (?:[a-z]+ ){0,2}" + pe + r"\b", folded) or \
                            re.search(r"\b" + pe + r"\b.{0,80}\b(?:scored|played|plays|started|netted|debut|"
                                      r"appearances?|goals?|assists?|returned|training)\b.{0,40}\b(?:for|at|with) " + fe,
                                      folded):
                        owned = True
            if owned:
                cls = "own"
            elif p not in gplayers:
                people = people_of.get(str(art["id"]), set())
                cls = "notplayer" if p in people or not re.search(r"\b[A-Z][\w'-]+ " + re.escape(p.capitalize()), text) \
                    else "norumour"
            elif any(c == k[1] and k[0] != p for k in gkeys):
                cls = "another"
            elif raws and all(PAST.search(r) for r in raws):
                cls = "past"
            report(cls, art, (p, c), ss)
    missed = ["apart", "apart/title", "bracket", "headline", "list", "same"]
    wrong = ["own", "notplayer", "norumour", "past", "another", "other"]
    print("missed %d: %s" % (sum(counts[k] for k in missed), ", ".join("%s %d" % (k, counts[k]) for k in missed)))
    print("wrong %d: %s" % (sum(counts[k] for k in wrong), ", ".join("%s %d" % (k, counts[k]) for k in wrong)))


if __name__ == "__main__":
    main()
