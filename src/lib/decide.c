/*
 * decide.c - candidates, their features, and the model's choice among them.
 *
 * The rule passes (frames.c) propose rumours; here every (person, club) pair
 * the article puts in one sentence becomes a candidate too, whether or not a
 * rule fired. Each candidate gets sparse features describing how the two are
 * placed (order, distance, the words and triggers between and around them),
 * what the passes concluded (the rule's frame and stage, club flags, the
 * person's evidence for being a player) and the article's shape. The pair
 * model says buyer, seller or neither; the stage model gives a kept rumour's
 * stage. Without a model the rule frames stand as they are.
 *
 * Nothing here allocates per token or per feature: candidates, co-occurrences
 * and keys live in arrays the extractor reuses from one article to the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "extract_internal.h"
#include "model_internal.h"

/* Feature templates. The order is part of the model file's keys: append only. */
enum {
    T_BIAS = 0,
    T_RULE,        /* the rule frame's stage, or none */
    T_RULE_NSENT,  /* sentences of the rule frame */
    T_PCLUB,       /* the club is the person's recorded club */
    T_OWNER,       /* a mention of the club is tied to this person as his club */
    T_CFLAG,       /* flags of the club's mentions near the person */
    T_PROLE,       /* role word given to the person */
    T_PSCORE,      /* player / other evidence, bucketed */
    T_PNTOK,       /* tokens in the person's fullest name */
    T_PATTR,       /* age, position, nationality known */
    T_NCOOC,       /* sentences holding both */
    T_NCLUBS_P,    /* clubs sharing a sentence with the person */
    T_NPERS_C,     /* persons sharing a sentence with the club */
    T_CLUBCOUNT,   /* mentions of the club in the article */
    T_PERSCOUNT,   /* mentions of the person */
    T_ARTLEN,      /* sentences in the article */
    T_FIRSTSENT,   /* first sentence holding both */
    T_ORDDIST,     /* order and distance of the nearest two mentions */
    T_BETWEEN,     /* each word between them, with the order */
    T_CB1, T_CB2,  /* words before the club */
    T_CA1,         /* word after the club */
    T_PB1,         /* word before the person */
    T_PA1,         /* word after the person */
    T_TRIG,        /* a trigger of the sentence: stage, direction, sides of club and person */
    T_TRIGW,       /* the trigger phrase, with the club's side */
    T_CUE,         /* a cue of the sentence */
    T_SFLAG,       /* caption, tweet, quote, headline */
    T_PITEM,       /* the person mention: name, descriptor, pronoun */
    T_BETWEEN_IT,  /* items between: club, name, trigger, money */
    T_LISTED,      /* only list separators between the club and another club */
    T_RULE_ANY,    /* the rule gave the person a rumour to another club */
    T_OTHER_CLUB,  /* the club is another person's club */
    T_WEAK,        /* a one-word name with no evidence */
    T_CLUB_FIRST,  /* the club's first mention sentence bucket */
    T_TRIG_NEAR,   /* nearest trigger between/around: stage x which side the club is */
    T_CB1_ORD,     /* word before the club, with the order */
    T_PB1_ORD,     /* word before the person, with the order */
    T_BIGRAM,      /* two words in a row between them */
    T_EDGE,        /* the word after the first of the two and the one before the second */
    T_SUBJECT,     /* which of them opens the sentence (the first party named) */
    T_PB2,         /* two words before the person */
    T_LIST,        /* the club stands in a list of clubs */
    T_ART_NPERS,   /* distinct persons in the article */
    T_ART_NCLUBS,  /* distinct clubs in the article */
    T_ART_TRIG,    /* a trigger anywhere in a short article */
    T_TOP_PERSON,  /* the person the article names most */
    T_PEOPLE,      /* the name is in the lexicon of people who are not players: role and period */
    T_YEAR,        /* a year in the sentence: before the article's, its own, later, or the date unknown */
    T_NO_TRIGGER,  /* the sentence they share has no trigger, or only moves placed in the past */
    /* the second pass */
    T_CTX_SELF = 128, T_CTX_PERSON, T_CTX_PERSON_N, T_CTX_CLUB_LIST, T_CTX_PERSON_LIST, T_CTX_CLUB,
    T_CTX_CLUB_SELLS, T_CTX_VS, T_CTX_CLUB_NOTRIG,
    /* stage decision */
    S_BIAS = 64,
    S_RULE,        /* the rule's stage */
    S_TRIG,        /* a trigger in a sentence of the rumour: its stage and nearness */
    S_TRIGW,       /* the trigger phrase */
    S_CUE,         /* cues of those sentences */
    S_PREV,        /* words before a trigger */
    S_MONEY,       /* money kinds in those sentences */
    S_ARTLEN
};

static const char *const template_names[] = {
    [T_BIAS] = "bias",         [T_RULE] = "rule",         [T_RULE_NSENT] = "rule_sents", [T_PCLUB] = "person_club",
    [T_OWNER] = "owner",       [T_CFLAG] = "club_flag",   [T_PROLE] = "person_role",     [T_PSCORE] = "person_score",
    [T_PNTOK] = "name_tokens", [T_PATTR] = "person_attr", [T_NCOOC] = "together",        [T_NCLUBS_P] = "clubs_of_person",
    [T_NPERS_C] = "persons_of_club", [T_CLUBCOUNT] = "club_mentions", [T_PERSCOUNT] = "person_mentions",
    [T_ARTLEN] = "article_sentences", [T_FIRSTSENT] = "first_sentence", [T_ORDDIST] = "order_distance",
    [T_BETWEEN] = "between",   [T_CB1] = "club_before",   [T_CB2] = "club_before2",      [T_CA1] = "club_after",
    [T_PB1] = "person_before", [T_PA1] = "person_after",  [T_TRIG] = "trigger",          [T_TRIGW] = "trigger_phrase",
    [T_CUE] = "cue",           [T_SFLAG] = "sentence",    [T_PITEM] = "person_item",     [T_BETWEEN_IT] = "between_item",
    [T_LISTED] = "listed",     [T_RULE_ANY] = "rule_other_club", [T_OTHER_CLUB] = "others_club", [T_WEAK] = "weak_name",
    [T_CLUB_FIRST] = "club_first_sentence", [T_TRIG_NEAR] = "trigger_near", [T_CB1_ORD] = "club_before_ord",
    [T_PB1_ORD] = "person_before_ord", [T_BIGRAM] = "between2", [T_EDGE] = "edge", [T_SUBJECT] = "opens",
    [T_PB2] = "person_before2", [T_LIST] = "club_list", [T_ART_NPERS] = "article_persons",
    [T_ART_NCLUBS] = "article_clubs", [T_ART_TRIG] = "article_trigger", [T_TOP_PERSON] = "top_person",
    [T_PEOPLE] = "people_lexicon", [T_YEAR] = "year", [T_NO_TRIGGER] = "no_trigger",
    [S_BIAS] = "s_bias",       [S_RULE] = "s_rule",       [S_TRIG] = "s_trigger",        [S_TRIGW] = "s_trigger_phrase",
    [S_CUE] = "s_cue",         [S_PREV] = "s_before_trigger", [S_MONEY] = "s_money",     [S_ARTLEN] = "s_article_sentences",
};

static const char *const cue_names[CUE_COUNT] = {
    "none", "renewal", "contract", "injury", "keep", "sell", "source_before", "source_after", "past", "caption",
    "negation", "denial", "speech", "fee_bid", "fee_asking", "fee_valuation", "fee_release", "fee_wages", "club_noun",
    "stay", "done"};

/* ---- emitting keys ----------------------------------------------------- */

/* A feature's readable name is formatted only when the trainer asks for names. */
#define NAMEF(...) (st->namer ? snprintf(nm, sizeof nm, __VA_ARGS__) : 0)

/* Shapes stand for words whose spelling tells nothing general. */
enum { SHAPE_CAP = 1, SHAPE_NUM, SHAPE_ALLCAP };

/* Append a key to the current candidate's list, once: a feature counts once
 * however often it is seen. A small table stamped with the candidate's
 * generation remembers the keys so far (no clearing, no sorting). Room for the
 * keys was made when the list started (new_key_list), so this is the hot
 * path's whole cost. */
static inline int push_key(extract_state *st, uint64_t key)
{
    size_t mask = RADAR_SEEN_SLOTS - 1, i = (size_t)(key ^ (key >> 31)) & mask;
    for (int probe = 0; probe < 16; probe++, i = (i + 1) & mask) {
        seen_slot *sl = &st->seen[i];
        if (sl->gen != st->seen_gen) {
            sl->gen = st->seen_gen;
            sl->key = key;
            break;
        }
        if (sl->key == key)
            return 0;
    }
    if (st->n_fkeys == st->cap_fkeys &&
        grow_array((void **)&st->fkeys, &st->cap_fkeys, st->n_fkeys + 1, sizeof *st->fkeys))
        return RADAR_ENOMEM;
    st->fkeys[st->n_fkeys++] = key;
    return 0;
}

/* A new candidate's list of keys starts. */
static void new_key_list(extract_state *st)
{
    if (++st->seen_gen == 0) {
        memset(st->seen, 0, sizeof st->seen);
        st->seen_gen = 1;
    }
}

static void name_key(extract_state *st, int dec, uint64_t key, unsigned tmpl, const char *value)
{
    char name[200];
    snprintf(name, sizeof name, "%s=%s", template_names[tmpl] ? template_names[tmpl] : "?", value);
    st->namer(st->namer_ctx, dec, key, name);
}

static int emit_int(extract_state *st, int dec, unsigned tmpl, long v)
{
    uint64_t key = feature_key(tmpl, (uint64_t)v);
    if (st->namer) {
        char s[32];
        snprintf(s, sizeof s, "%ld", v);
        name_key(st, dec, key, tmpl, s);
    }
    return push_key(st, key);
}

/* A value made of a few named parts: "interest/buyer/club-before". */
static int emit_parts(extract_state *st, int dec, unsigned tmpl, uint64_t v, const char *name)
{
    uint64_t key = feature_key(tmpl, v);
    if (st->namer)
        name_key(st, dec, key, tmpl, name);
    return push_key(st, key);
}


/* A trigger as it is written ("have joined", not its line's first phrase):
 * its folded words, as one value. */
static int emit_phrase(extract_state *st, int dec, unsigned tmpl, const item *it, uint64_t extra, const char *suffix)
{
    uint64_t v = 0;
    for (uint32_t k = it->t0; k < it->t1; k++)
        if (!(st->tok->tok[k].flags & TOK_JOIN))
            v = radar_hash_combine(v, st->tok->tok[k].hash);
    v ^= extra * 0x9E3779B97F4A7C15ull;
    uint64_t key = feature_key(tmpl, v);
    if (st->namer) {
        char n[160];
        size_t w = 0;
        for (uint32_t k = it->t0; k < it->t1 && w + 40 < sizeof n; k++) {
            const radar_token *t = &st->tok->tok[k];
            if (t->flags & TOK_JOIN)
                continue;
            w += (size_t)snprintf(n + w, sizeof n - w, "%s%.*s", w ? " " : "", (int)(t->fold_len > 30 ? 30 : t->fold_len),
                                  radar_tok_fold(st->tok, k));
        }
        snprintf(n + w, sizeof n - w, "%s", suffix ? suffix : "");
        name_key(st, dec, key, tmpl, n);
    }
    return push_key(st, key);
}

/* A token as a feature value: lower-case words and punctuation as they are,
 * capitalised words and numbers by their shape. */
static int emit_tok(extract_state *st, int dec, unsigned tmpl, size_t k, uint64_t extra, const char *prefix)
{
    const radar_token *t = &st->tok->tok[k];
    uint64_t v;
    const char *shape = NULL;
    if (t->flags & TOK_NUM)
        shape = "NUM", v = SHAPE_NUM;
    else if ((t->flags & TOK_ALLCAP) && t->len > 1)
        shape = "ALLCAP", v = SHAPE_ALLCAP;
    else if ((t->flags & TOK_CAP) && !(t->flags & TOK_SENT))
        shape = "CAP", v = SHAPE_CAP;
    else
        v = t->hash;
    v ^= extra * 0x9E3779B97F4A7C15ull;
    uint64_t key = feature_key(tmpl, v);
    if (st->namer) {
        char s[140];
        if (shape)
            snprintf(s, sizeof s, "%s%s", prefix ? prefix : "", shape);
        else
            snprintf(s, sizeof s, "%s%.*s", prefix ? prefix : "", (int)(t->fold_len > 100 ? 100 : t->fold_len),
                     radar_tok_fold(st->tok, k));
        name_key(st, dec, key, tmpl, s);
    }
    return push_key(st, key);
}

static int bucket(long v, const int *edges, int n)
{
    int b = 0;
    while (b < n && v >= edges[b])
        b++;
    return b;
}

static int dist_bucket(long d)
{
    static const int e[] = {1, 2, 4, 7, 11, 16, 26};
    return bucket(d, e, 7);
}

static int count_bucket(long d)
{
    static const int e[] = {2, 3, 4, 6, 10};
    return bucket(d, e, 5);
}

static int sent_bucket(long s)
{
    static const int e[] = {1, 2, 3, 6, 11, 21};
    return bucket(s, e, 6);
}

/* ---- candidates ---------------------------------------------------------- */

static int is_person_item(const item *o)
{
    return (o->type == IT_NAME || o->type == IT_DESCR || o->type == IT_PRONOUN) && o->person >= 0;
}

static int cmp_cooc(const void *a, const void *b)
{
    const cooc *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->club != y->club)
        return x->club < y->club ? -1 : 1;
    return (x->sent > y->sent) - (x->sent < y->sent);
}

/* Record that person item i and club item j meet in one sentence; one entry
 * per (person, club) from `first` on, keeping the nearest two mentions. */
static int add_cooc(extract_state *st, size_t first, size_t i, size_t j)
{
    const item *p = &st->items[i], *c = &st->items[j];
    uint32_t d = c->t0 >= p->t1 ? c->t0 - p->t1 : p->t0 >= c->t1 ? p->t0 - c->t1 : 0;
    for (size_t k = first; k < st->n_cooc; k++) {
        cooc *o = &st->cooc[k];
        if (o->person == p->person && o->club == c->entry) {
            if (d < o->dist) {
                o->pitem = (uint32_t)i;
                o->citem = (uint32_t)j;
                o->dist = d;
            }
            return 0;
        }
    }
    if (grow_array((void **)&st->cooc, &st->cap_cooc, st->n_cooc + 1, sizeof *st->cooc))
        return RADAR_ENOMEM;
    cooc *o = &st->cooc[st->n_cooc++];
    o->person = p->person;
    o->club = c->entry;
    o->sent = c->sent;
    o->pitem = (uint32_t)i;
    o->citem = (uint32_t)j;
    o->dist = d;
    return 0;
}

static size_t sent_end_item(const extract_state *st, size_t s)
{
    return s + 1 < st->n_sent ? st->sent_item[s + 1] : st->n_items;
}

/* Every (person, club) pair sharing a sentence. (Pairs a sentence apart were
 * tried as candidates and bought nothing measurable, at twice the cost.) */
static int collect_cooc(extract_state *st)
{
    st->n_cooc = 0;
    int rc;
    for (size_t s = 0; s < st->n_sent; s++) {
        size_t a = st->sent_item[s], b = sent_end_item(st, s), first = st->n_cooc;
        size_t pairs = 0;
        for (size_t i = a; i < b; i++) {
            if (!is_person_item(&st->items[i]))
                continue;
            for (size_t j = a; j < b && pairs < RADAR_MAX_PAIRS_PER_SENTENCE; j++) {
                const item *c = &st->items[j];
                if (c->type != IT_CLUB || c->entry == LEX_NONE)
                    continue;
                if ((rc = add_cooc(st, first, i, j)))
                    return rc;
                pairs++;
            }
        }
    }
    if (st->n_cooc > 1)
        qsort(st->cooc, st->n_cooc, sizeof *st->cooc, cmp_cooc);
    return 0;
}

static int add_cand(extract_state *st, int32_t who, uint32_t club, size_t c0, size_t c1, int32_t rule)
{
    if (grow_array((void **)&st->cands, &st->cap_cands, st->n_cands + 1, sizeof *st->cands))
        return RADAR_ENOMEM;
    cand *c = &st->cands[st->n_cands++];
    memset(c, 0, sizeof *c);
    c->person = who;
    c->club = club;
    c->c0 = (uint32_t)c0;
    c->c1 = (uint32_t)c1;
    c->frame = rule;
    c->label = -1;
    c->stage_label = -1;
    return 0;
}

static int build_cands(extract_state *st)
{
    st->n_cands = 0;
    size_t i = 0;
    while (i < st->n_cooc) {
        size_t j = i;
        while (j < st->n_cooc && st->cooc[j].person == st->cooc[i].person && st->cooc[j].club == st->cooc[i].club)
            j++;
        if (add_cand(st, st->cooc[i].person, st->cooc[i].club, i, j, -1))
            return RADAR_ENOMEM;
        i = j;
    }
    /* the rule frames: with their co-occurrences when there are any */
    size_t n_pairs = st->n_cands;
    for (size_t f = 0; f < st->n_frames; f++) {
        const frame *fr = &st->frames[f];
        size_t lo = 0, hi = n_pairs;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const cand *c = &st->cands[mid];
            if (c->person < fr->person || (c->person == fr->person && c->club < fr->to_club))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n_pairs && st->cands[lo].person == fr->person && st->cands[lo].club == fr->to_club)
            st->cands[lo].frame = (int32_t)f;
        else if (add_cand(st, fr->person, fr->to_club, 0, 0, (int32_t)f))
            return RADAR_ENOMEM;
    }
    return 0;
}

/* ---- pair features ------------------------------------------------------- */




static int trig_side(uint32_t t0, const item *tr)
{
    return t0 < tr->t0 ? 0 : 1;
}

static const char *const side_names[] = {"before", "after"};

/* Features of one sentence where person and club meet. */
static int cooc_features(extract_state *st, const cand *c, const cooc *o)
{
    const radar_tokens *t = st->tok;
    const item *pi = &st->items[o->pitem], *ci = &st->items[o->citem];
    int club_first = ci->t0 < pi->t0;
    uint32_t a = club_first ? ci->t1 : pi->t1, b = club_first ? pi->t0 : ci->t0;
    int rc;
    char nm[64] = "";
    /* order and distance */
    NAMEF( "%s/%d", club_first ? "club-first" : "person-first", dist_bucket(o->dist));
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_ORDDIST, (uint64_t)(club_first * 16 + dist_bucket(o->dist)), nm)))
        return rc;
    /* the words between, when near */
    if (b > a && b - a <= 12)
        for (uint32_t k = a; k < b; k++)
            if ((rc = emit_tok(st, RADAR_DECIDE_PAIR, T_BETWEEN, k, (uint64_t)club_first + 1,
                               club_first ? "club..." : "person...")))
                return rc;
    if (b > a && b - a <= 12) {
        for (uint32_t k = a; k + 1 < b; k++) {
            const radar_token *x = &t->tok[k], *y = &t->tok[k + 1];
            uint64_t v = (x->flags & TOK_CAP) && !(x->flags & TOK_SENT) ? SHAPE_CAP : x->hash;
            v = v * 31 + ((y->flags & TOK_CAP) && !(y->flags & TOK_SENT) ? SHAPE_CAP : y->hash);
            if (st->namer) {
                char bn[96];
                snprintf(bn, sizeof bn, "%s%.*s_%.*s", club_first ? "club..." : "person...",
                         (x->flags & TOK_CAP) && !(x->flags & TOK_SENT) ? 3 : (int)(x->fold_len > 40 ? 40 : x->fold_len),
                         (x->flags & TOK_CAP) && !(x->flags & TOK_SENT) ? "CAP" : radar_tok_fold(t, k),
                         (y->flags & TOK_CAP) && !(y->flags & TOK_SENT) ? 3 : (int)(y->fold_len > 40 ? 40 : y->fold_len),
                         (y->flags & TOK_CAP) && !(y->flags & TOK_SENT) ? "CAP" : radar_tok_fold(t, k + 1));
                if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_BIGRAM, v ^ ((uint64_t)club_first + 1), bn)))
                    return rc;
            } else if ((rc = push_key(st, feature_key(T_BIGRAM, v ^ ((uint64_t)club_first + 1)))))
                return rc;
        }
    }
    if (b > a) {
        if ((rc = emit_tok(st, RADAR_DECIDE_PAIR, T_EDGE, a, (uint64_t)club_first * 2 + 1,
                           club_first ? "club>" : "person>")) ||
            (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_EDGE, b - 1, (uint64_t)club_first * 2 + 2,
                           club_first ? "<person:" : "<club:")))
            return rc;
    }
    /* around the club and the person */
    uint32_t sfirst = t->sent[o->sent].first, send = t->sent[o->sent].end;
    {
        /* which party the sentence names first: the subject, most often */
        size_t ia0 = st->sent_item[o->sent];
        size_t ib0 = o->sent + 1 < st->n_sent ? st->sent_item[o->sent + 1] : st->n_items;
        int first_party = -1;
        for (size_t i = ia0; i < ib0 && first_party < 0; i++) {
            const item *it = &st->items[i];
            if (it->type == IT_CLUB && it->entry != LEX_NONE)
                first_party = i == o->citem ? 0 : 2;
            else if (is_person_item(it))
                first_party = i == o->pitem ? 1 : 3;
        }
        static const char *const fp_names[] = {"this-club", "this-person", "other-club", "other-person"};
        if (first_party >= 0 &&
            (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_SUBJECT, (uint64_t)first_party, fp_names[first_party])))
            return rc;
        /* a list of clubs: "Barcelona, Bayern Munich and Tottenham" */
        int listed = 0;
        for (size_t i = ia0; i < ib0; i++) {
            const item *it = &st->items[i];
            if (i == o->citem || it->type != IT_CLUB || it->entry == LEX_NONE)
                continue;
            uint32_t g0 = it->t1 <= ci->t0 ? it->t1 : ci->t1, g1 = it->t1 <= ci->t0 ? ci->t0 : it->t0;
            if (g1 < g0 || g1 - g0 > 2)
                continue;
            int sep = g1 > g0;
            for (uint32_t k = g0; k < g1; k++)
                sep &= radar_tok_is(t, k, ",") || word_in(st, k, WC_LIST_SEPARATOR);
            listed |= sep;
        }
        if (listed && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_LIST, 1, "yes")))
            return rc;
    }
    if (ci->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB1, ci->t0 - 1, 0, NULL)))
        return rc;
    if (ci->t0 == sfirst && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CB1, 7, "<start>")))
        return rc;
    if (ci->t0 > sfirst + 1 && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB2, ci->t0 - 2, 0, NULL)))
        return rc;
    if (ci->t1 < send && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CA1, ci->t1, 0, NULL)))
        return rc;
    if (pi->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB1, pi->t0 - 1, 0, NULL)))
        return rc;
    if (pi->t0 > sfirst + 1 && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB2, pi->t0 - 2, 0, NULL)))
        return rc;
    if (pi->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB1_ORD, pi->t0 - 1, (uint64_t)club_first + 1,
                                          club_first ? "club-first:" : "person-first:")))
        return rc;
    if (ci->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB1_ORD, ci->t0 - 1, (uint64_t)club_first + 1,
                                          club_first ? "club-first:" : "person-first:")))
        return rc;
    if (pi->t0 == sfirst && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PB1, 7, "<start>")))
        return rc;
    if (pi->t1 < send && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PA1, pi->t1, 0, NULL)))
        return rc;
    /* flags of this club mention */
    static const char *const flag_names[] = {"current", "past", "buyer-cue", "clubref", "family", "speaker",
                                             "tweet",   "context", "match"};
    for (int bit = 0; bit < 9; bit++)
        if (ci->flags & (1u << bit)) {
            uint64_t v = (uint64_t)bit * 2 + (ci->owner == c->person);
            NAMEF( "%s%s", flag_names[bit],
                     bit == 0 ? (ci->owner == c->person ? "/his" : "/other") : "");
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CFLAG, v, nm)))
                return rc;
        }
    /* "signed ... from Hull City in 2021": a year says whether the move is news */
    {
        int year = st->article && st->article->date ? atoi(st->article->date) : 0;
        for (uint32_t k = sfirst; k < send; k++) {
            const radar_token *tk = &t->tok[k];
            if (!(tk->flags & TOK_NUM) || tk->len != 4)
                continue;
            int y = atoi(st->body + tk->off);
            if (y < 1900 || y > 2100)
                continue;
            int rel = !year ? 3 : y < year ? 0 : y == year ? 1 : 2;
            static const char *const rels[] = {"past", "this", "later", "date-unknown"};
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_YEAR, (uint64_t)rel, rels[rel])))
                return rc;
        }
    }
    static const char *const pitem_names[] = {"", "name", "pronoun", "descriptor"};
    int pt = pi->type == IT_NAME ? 1 : pi->type == IT_PRONOUN ? 2 : 3;
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PITEM, (uint64_t)pt, pitem_names[pt])))
        return rc;
    if (pi->flags & IF_CONTEXT && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PITEM, 9, "context")))
        return rc;
    /* sentence flags and position */
    static const char *const sf_names[] = {"caption", "tweet", "quote", "headline"};
    for (int bit = 0; bit < 4; bit++)
        if ((st->sent_flags[o->sent] & (1u << bit)) &&
            (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_SFLAG, (uint64_t)bit, sf_names[bit])))
            return rc;
    /* items of the sentence: triggers with the sides of club and person, cues,
     * and what stands between the two */
    size_t ia = st->sent_item[o->sent];
    size_t ib = o->sent + 1 < st->n_sent ? st->sent_item[o->sent + 1] : st->n_items;
    int between_seen[4] = {0};
    int live_triggers = 0, past_triggers = 0;
    const item *near_tr = NULL;
    uint32_t near_d = UINT32_MAX;
    for (size_t i = ia; i < ib; i++) {
        const item *it = &st->items[i];
        int inside = it->t0 >= a && it->t1 <= b;
        if (inside && i != o->pitem && i != o->citem) {
            int kind = it->type == IT_CLUB ? 0 : it->type == IT_NAME ? 1 : it->type == IT_TRIGGER ? 2
                       : it->type == IT_MONEY ? 3 : -1;
            if (kind >= 0 && !between_seen[kind]) {
                static const char *const bn[] = {"club", "name", "trigger", "money"};
                between_seen[kind] = 1;
                if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_BETWEEN_IT, (uint64_t)kind, bn[kind])))
                    return rc;
            }
        }
        if (it->type == IT_TRIGGER && it->entry != LEX_NONE) {
            const lex_entry *e = &st->lex->entries[it->entry];
            int cs = trig_side(ci->t0, it), ps = trig_side(pi->t0, it);
            int past = (it->flags & IF_PAST_MOVE) != 0;
            live_triggers += !past;
            past_triggers += past;
            NAMEF( "%s/dir%d/club-%s/person-%s%s", radar_stage_name((radar_stage)e->stage), e->dir,
                     side_names[cs], side_names[ps], past ? "/past" : "");
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TRIG,
                                 (uint64_t)(past * 10000 + e->stage * 1000 + e->dir * 100 + cs * 10 + ps), nm)))
                return rc;
            if (past)
                continue;
            if ((rc = emit_phrase(st, RADAR_DECIDE_PAIR, T_TRIGW, it, (uint64_t)cs + 1,
                                  cs ? " /club-after" : " /club-before")))
                return rc;
            uint32_t d = it->t0 > ci->t0 ? it->t0 - ci->t0 : ci->t0 - it->t0;
            if (d < near_d) {
                near_d = d;
                near_tr = it;
            }
        }
        if (it->type == IT_CUE || (it->type == IT_TRIGGER && it->cue2)) {
            const lex_entry *e = it->type == IT_CUE ? item_entry(st, it) : &st->lex->entries[it->cue2 - 1];
            if (e && e->cue > 0 && e->cue < CUE_COUNT &&
                (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CUE, (uint64_t)e->cue, cue_names[e->cue])))
                return rc;
        }
    }
    if (!live_triggers &&
        (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_NO_TRIGGER, past_triggers ? 2 : 1, past_triggers ? "past-only" : "none")))
        return rc;
    if (near_tr) {
        const lex_entry *e = &st->lex->entries[near_tr->entry];
        int cs = trig_side(ci->t0, near_tr), ps = trig_side(pi->t0, near_tr);
        NAMEF( "%s/dir%d/club-%s/person-%s/%d", radar_stage_name((radar_stage)e->stage), e->dir,
                 side_names[cs], side_names[ps], dist_bucket(near_d));
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TRIG_NEAR,
                             (uint64_t)(e->stage * 100000 + e->dir * 1000 + cs * 100 + ps * 10 + dist_bucket(near_d)),
                             nm)))
            return rc;
    }
    return 0;
}

/* The person's fullest name in the lexicon of people who are not players, or NULL. */
static const lex_entry *people_entry(const extract_state *st, const person *q)
{
    uint32_t head;
    size_t n = lex_match(st->lex, st->tok, q->t0, q->t1, 1u << RADAR_KIND_PERSON, &head);
    if (!n || q->t0 + n != q->t1)
        return NULL;
    for (uint32_t a = head; a != LEX_NONE; a = st->lex->aliases[a].next) {
        const lex_entry *e = &st->lex->entries[st->lex->aliases[a].entry];
        if (e->kind == RADAR_KIND_PERSON && (!st->lex->aliases[a].ambiguous || q->t1 - q->t0 > 1))
            return e;
    }
    return NULL;
}

static int person_features(extract_state *st, int32_t who)
{
    const person *q = &st->persons[who];
    int rc;
    char nm[48] = "";
    static const char *const roles[] = {"unknown", "player", "manager", "official", "agent", "media"};
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PROLE, (uint64_t)q->role, roles[q->role % 6])))
        return rc;
    int ps = q->player_score > 6 ? 6 : q->player_score, os = q->other_score > 6 ? 6 : q->other_score;
    NAMEF( "player%d/other%d", ps, os);
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PSCORE, (uint64_t)(ps * 10 + os), nm)))
        return rc;
    long nt = (long)(q->t1 - q->t0);
    if ((rc = emit_int(st, RADAR_DECIDE_PAIR, T_PNTOK, nt > 3 ? 3 : nt)))
        return rc;
    if (q->age && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PATTR, 1, "age")))
        return rc;
    if (q->position != LEX_NONE && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PATTR, 2, "position")))
        return rc;
    if (q->nationality != LEX_NONE && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PATTR, 3, "nationality")))
        return rc;
    if (nt == 1 && !q->player_score && !q->other_score &&
        (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_WEAK, 1, "one-word-no-evidence")))
        return rc;
    const lex_entry *pe = people_entry(st, q);
    if (pe) {
        /* in the role at the article's date, before it (he may still have been a player), or date unknown */
        int year = st->article && st->article->date ? atoi(st->article->date) : 0;
        int when = !year || !pe->from ? 2 : year >= pe->from ? 0 : 1;
        static const char *const whens[] = {"in-role", "before-role", "date-unknown"};
        NAMEF( "%s/%s", pe->role ? pe->role : "?", whens[when]);
        uint64_t v = (pe->role ? radar_hash_bytes(pe->role, strlen(pe->role)) : 0) * 4 + (uint64_t)when;
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PEOPLE, v, nm)))
            return rc;
    }
    return 0;
}

/* What the whole article is like: how many people and clubs it names, which
 * stages a short one reports, whether this person is the one it is about. */
static int article_features(extract_state *st)
{
    int rc;
    if ((rc = emit_int(st, RADAR_DECIDE_PAIR, T_ART_NPERS, count_bucket((long)st->n_persons))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_ART_NCLUBS, count_bucket((long)st->n_aclubs))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_ARTLEN, sent_bucket((long)st->n_sent))))
        return rc;
    if (st->n_sent > 6)
        return 0;
    for (size_t i = 0; i < st->n_items; i++) {
        const item *it = &st->items[i];
        if (it->type == IT_TRIGGER && it->entry != LEX_NONE) {
            int stage = st->lex->entries[it->entry].stage;
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_ART_TRIG, (uint64_t)stage,
                                 radar_stage_name((radar_stage)stage))))
                return rc;
        }
    }
    return 0;
}

/* The article's clubs and persons counted once: mentions, first sentence,
 * whose current club each club is. */
static int summarize(extract_state *st)
{
    if (grow_array((void **)&st->pmentions, &st->cap_pmentions, st->n_persons + 1, sizeof *st->pmentions) ||
        grow_array((void **)&st->pkeys, &st->cap_pkeys, 2 * st->n_persons + 2, sizeof *st->pkeys))
        return RADAR_ENOMEM;
    memset(st->pmentions, 0, (st->n_persons + 1) * sizeof *st->pmentions);
    st->n_aclubs = 0;
    st->most_mentions = 0;
    for (size_t i = 0; i < st->n_items; i++) {
        const item *it = &st->items[i];
        if (is_person_item(it)) {
            if (++st->pmentions[it->person] > st->most_mentions)
                st->most_mentions = st->pmentions[it->person];
            continue;
        }
        if (it->type != IT_CLUB || it->entry == LEX_NONE)
            continue;
        size_t k = 0;
        while (k < st->n_aclubs && st->aclubs[k].entry != it->entry)
            k++;
        if (k == st->n_aclubs) {
            if (grow_array((void **)&st->aclubs, &st->cap_aclubs, k + 1, sizeof *st->aclubs))
                return RADAR_ENOMEM;
            memset(&st->aclubs[k], 0, sizeof st->aclubs[k]);
            st->aclubs[k].entry = it->entry;
            st->aclubs[k].first_sent = it->sent;
            st->n_aclubs++;
        }
        art_club *ac = &st->aclubs[k];
        ac->mentions++;
        if ((it->flags & IF_CURRENT) && it->owner >= 0) {
            int seen = 0;
            for (int o = 0; o < ac->n_owners; o++)
                seen |= ac->owners[o] == it->owner;
            if (!seen && ac->n_owners < 4)
                ac->owners[ac->n_owners++] = it->owner;
        }
    }
    for (size_t k = 0; k < st->n_cands; k++) {
        cand *c = &st->cands[k];
        c->aclub = UINT32_MAX;
        for (size_t j = 0; j < st->n_aclubs; j++)
            if (st->aclubs[j].entry == c->club)
                c->aclub = (uint32_t)j;
    }
    return 0;
}

static int pair_features(extract_state *st, cand *c)
{
    int rc;
    c->f0 = (uint32_t)st->n_fkeys;
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_BIAS, 0, "1")))
        return rc;
    /* what the rules concluded */
    if (c->frame >= 0) {
        const frame *f = &st->frames[c->frame];
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_RULE, (uint64_t)f->stage, radar_stage_name((radar_stage)f->stage))))
            return rc;
        if ((rc = emit_int(st, RADAR_DECIDE_PAIR, T_RULE_NSENT, f->n_sents > 3 ? 3 : (long)f->n_sents)))
            return rc;
    } else {
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_RULE, 99, "no-frame")))
            return rc;
        for (size_t f = 0; f < st->n_frames; f++)
            if (st->frames[f].person == c->person) {
                if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_RULE_ANY, 1, "yes")))
                    return rc;
                break;
            }
    }
    const person *q = &st->persons[c->person];
    if (q->club == c->club && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PCLUB, 1, "yes")))
        return rc;
    const art_club *ac = c->aclub != UINT32_MAX ? &st->aclubs[c->aclub] : NULL;
    int owner = 0, others = 0;
    for (int o = 0; ac && o < ac->n_owners; o++) {
        owner |= ac->owners[o] == c->person;
        others |= ac->owners[o] != c->person;
    }
    if (owner && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_OWNER, 1, "his-club")))
        return rc;
    if (!owner) {
        for (size_t p = 0; p < st->n_persons && !others; p++)
            others = (int32_t)p != c->person && st->persons[p].club == c->club;
        if (others && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_OTHER_CLUB, 1, "yes")))
            return rc;
    }
    /* the person's and the article's own features, computed once */
    for (uint32_t k = st->pkeys[2 * c->person]; k < st->pkeys[2 * c->person + 1]; k++)
        if ((rc = push_key(st, st->fkeys[k])))
            return rc;
    for (uint32_t k = st->akeys0; k < st->akeys1; k++)
        if ((rc = push_key(st, st->fkeys[k])))
            return rc;
    if (st->pmentions[c->person] == st->most_mentions &&
        (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TOP_PERSON, 1, "yes")))
        return rc;
    size_t clubs_of_person = 0, persons_of_club = 0;
    for (size_t k = 0; k < st->n_cands; k++) {
        if (st->cands[k].c1 == st->cands[k].c0)
            continue;
        clubs_of_person += st->cands[k].person == c->person;
        persons_of_club += st->cands[k].club == c->club;
    }
    long n = (long)(c->c1 - c->c0);
    if ((rc = emit_int(st, RADAR_DECIDE_PAIR, T_NCOOC, n > 3 ? 3 : n)) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_NCLUBS_P, count_bucket((long)clubs_of_person))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_NPERS_C, count_bucket((long)persons_of_club))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_CLUBCOUNT, count_bucket(ac ? (long)ac->mentions : 0))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_PERSCOUNT, count_bucket((long)st->pmentions[c->person]))))
        return rc;
    if (ac && (rc = emit_int(st, RADAR_DECIDE_PAIR, T_CLUB_FIRST, sent_bucket((long)ac->first_sent))))
        return rc;
    if (c->c1 > c->c0 && (rc = emit_int(st, RADAR_DECIDE_PAIR, T_FIRSTSENT, sent_bucket(st->cooc[c->c0].sent))))
        return rc;
    for (uint32_t k = c->c0; k < c->c1 && k < c->c0 + RADAR_MAX_COOC_FEATURED; k++)
        if ((rc = cooc_features(st, c, &st->cooc[k])))
            return rc;
    c->f1 = (uint32_t)st->n_fkeys;
    return 0;
}

/* ---- stage features ------------------------------------------------------ */

static int sentence_in(const uint32_t *s, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == x)
            return 1;
    return 0;
}

static int stage_sentence(extract_state *st, const cand *c, uint32_t s)
{
    const radar_tokens *t = st->tok;
    size_t ia = st->sent_item[s];
    size_t ib = s + 1 < st->n_sent ? st->sent_item[s + 1] : st->n_items;
    uint32_t anchor = UINT32_MAX;
    for (size_t i = ia; i < ib; i++)
        if (st->items[i].type == IT_CLUB && st->items[i].entry == c->club) {
            anchor = st->items[i].t0;
            break;
        }
    int rc;
    char nm[64] = "";
    for (size_t i = ia; i < ib; i++) {
        const item *it = &st->items[i];
        if (it->type == IT_TRIGGER && it->entry != LEX_NONE) {
            const lex_entry *e = &st->lex->entries[it->entry];
            uint32_t d = anchor == UINT32_MAX ? 99 : it->t0 > anchor ? it->t0 - anchor : anchor - it->t0;
            int near = d <= 8 ? 0 : d <= 20 ? 1 : 2;
            NAMEF( "%s/%s", radar_stage_name((radar_stage)e->stage),
                     near == 0 ? "near" : near == 1 ? "mid" : "far");
            if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_TRIG, (uint64_t)(e->stage * 10 + near), nm)) ||
                (rc = emit_phrase(st, RADAR_DECIDE_STAGE, S_TRIGW, it, 0, NULL)))
                return rc;
            for (uint32_t k = it->t0 > t->sent[s].first + 3 ? it->t0 - 3 : t->sent[s].first; k < it->t0; k++)
                if ((rc = emit_tok(st, RADAR_DECIDE_STAGE, S_PREV, k, 0, NULL)))
                    return rc;
        }
        if (it->type == IT_CUE || (it->type == IT_TRIGGER && it->cue2)) {
            const lex_entry *e = it->type == IT_CUE ? item_entry(st, it) : &st->lex->entries[it->cue2 - 1];
            if (e && e->cue > 0 && e->cue < CUE_COUNT &&
                (rc = emit_parts(st, RADAR_DECIDE_STAGE, S_CUE, (uint64_t)e->cue, cue_names[e->cue])))
                return rc;
        }
        if (it->type == IT_MONEY && it->money >= 0) {
            radar_fee_kind k = st->moneys[it->money].m.kind;
            if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_MONEY, (uint64_t)k, radar_fee_kind_name(k))))
                return rc;
        }
    }
    return 0;
}

static int stage_features(extract_state *st, cand *c)
{
    int rc;
    c->s0 = (uint32_t)st->n_fkeys;
    if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_BIAS, 0, "1")))
        return rc;
    const frame *f = c->frame >= 0 ? &st->frames[c->frame] : NULL;
    if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_RULE, f ? (uint64_t)f->stage : 99,
                         f ? radar_stage_name((radar_stage)f->stage) : "no-frame")))
        return rc;
    if ((rc = emit_int(st, RADAR_DECIDE_STAGE, S_ARTLEN, sent_bucket((long)st->n_sent))))
        return rc;
    uint32_t seen[RADAR_MAX_COOC_FEATURED * 2];
    size_t ns = 0;
    for (uint32_t k = c->c0; k < c->c1 && ns < RADAR_MAX_COOC_FEATURED; k++)
        if (!sentence_in(seen, ns, st->cooc[k].sent))
            seen[ns++] = st->cooc[k].sent;
    for (size_t k = 0; f && k < f->n_sents && ns < RADAR_MAX_COOC_FEATURED * 2; k++)
        if (!sentence_in(seen, ns, f->sents[k]))
            seen[ns++] = f->sents[k];
    for (size_t k = 0; k < ns; k++)
        if ((rc = stage_sentence(st, c, seen[k])))
            return rc;
    c->s1 = (uint32_t)st->n_fkeys;
    return 0;
}

int radar_decide_features(extract_state *st, int stages)
{
    st->n_fkeys = 0;
    int rc;
    if ((rc = collect_cooc(st)) || (rc = build_cands(st)))
        return rc;
    st->domain = st->n_sent > RADAR_SHORT_ITEM_SENTENCES;
    if ((rc = summarize(st)))
        return rc;
    /* what depends only on the article, then on each person with a candidate */
    new_key_list(st);
    st->akeys0 = (uint32_t)st->n_fkeys;
    if ((rc = article_features(st)))
        return rc;
    st->akeys1 = (uint32_t)st->n_fkeys;
    for (size_t p = 0; p < st->n_persons; p++)
        st->pkeys[2 * p] = st->pkeys[2 * p + 1] = 0;
    for (size_t i = 0; i < st->n_cands; i++) {
        int32_t p = st->cands[i].person;
        if (st->pkeys[2 * p + 1])
            continue;
        new_key_list(st);
        st->pkeys[2 * p] = (uint32_t)st->n_fkeys;
        if ((rc = person_features(st, p)))
            return rc;
        st->pkeys[2 * p + 1] = (uint32_t)st->n_fkeys; /* never 0: the article's keys come first */
    }
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        new_key_list(st);
        if ((rc = pair_features(st, c)))
            return rc;
        if (stages) {
            new_key_list(st);
            if ((rc = stage_features(st, c)))
                return rc;
        }
    }
    return 0;
}

/* ---- the second pass: what the others were given ------------------------- */

/* Do items a < b (same sentence) stand in one list: only ",", "and", "or",
 * "&", "plus" or "as well as" between them? */
static int in_list(const extract_state *st, const item *a, const item *b)
{
    if (b->t0 < a->t1 || b->t0 - a->t1 > 3 || b->t0 == a->t1)
        return 0;
    for (uint32_t k = a->t1; k < b->t0; k++)
        if (!(radar_tok_is(st->tok, k, ",") || word_in(st, k, WC_LIST_SEPARATOR) || word_in(st, k, WC_LIST_FILLER)))
            return 0;
    return 1;
}

/* Each club or name item's list: the index of the list's first item. */
static int mark_lists(extract_state *st)
{
    if (grow_array((void **)&st->list_id, &st->cap_list_id, st->n_items + 1, sizeof *st->list_id))
        return RADAR_ENOMEM;
    for (size_t i = 0; i < st->n_items; i++) {
        st->list_id[i] = (uint32_t)i;
        const item *it = &st->items[i];
        int name = it->type == IT_NAME || it->type == IT_DESCR;
        if (it->type != IT_CLUB && !name)
            continue;
        /* the previous item of the same kind, unless something else stands between */
        for (size_t j = i; j-- > 0;) {
            const item *o = &st->items[j];
            if (o->sent != it->sent)
                break;
            int oname = o->type == IT_NAME || o->type == IT_DESCR;
            if ((it->type == IT_CLUB && o->type == IT_CLUB) || (name && oname)) {
                if (in_list(st, o, it))
                    st->list_id[i] = st->list_id[j];
                break;
            }
            /* ages, nationalities and positions describe a name in a list: "X, 22, and Y" */
            if (!(o->type == IT_AGE || o->type == IT_NATIONALITY || o->type == IT_POSITION))
                break;
        }
    }
    return 0;
}

static int cands_listed(const extract_state *st, const cand *a, const cand *b, int clubs)
{
    for (uint32_t i = a->c0; i < a->c1; i++)
        for (uint32_t j = b->c0; j < b->c1; j++) {
            uint32_t x = clubs ? st->cooc[i].citem : st->cooc[i].pitem;
            uint32_t y = clubs ? st->cooc[j].citem : st->cooc[j].pitem;
            if (x != y && st->list_id[x] == st->list_id[y])
                return 1;
        }
    return 0;
}

int radar_decide_relations(extract_state *st)
{
    st->n_rels = 0;
    if (mark_lists(st))
        return RADAR_ENOMEM;
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        c->r0 = (uint32_t)st->n_rels;
        for (size_t j = 0; j < st->n_cands; j++) {
            const cand *d = &st->cands[j];
            if (i == j)
                continue;
            uint8_t kinds = 0;
            if (d->person == c->person) {
                kinds |= REL_SAME_PERSON;
                if (cands_listed(st, c, d, 1))
                    kinds |= REL_CLUB_LISTED;
            }
            if (d->club == c->club) {
                kinds |= REL_SAME_CLUB;
                if (cands_listed(st, c, d, 0))
                    kinds |= REL_PERSON_LISTED;
            }
            if (!kinds)
                continue;
            if (grow_array((void **)&st->rels, &st->cap_rels, st->n_rels + 1, sizeof *st->rels))
                return RADAR_ENOMEM;
            st->rels[st->n_rels].other = (uint32_t)j;
            st->rels[st->n_rels].kinds = kinds;
            st->n_rels++;
        }
        c->r1 = (uint32_t)st->n_rels;
    }
    return 0;
}

static int p_bucket(float p)
{
    int b = (int)(p * 5.0f);
    return b < 0 ? 0 : b > 4 ? 4 : b;
}

static size_t stack_emit(uint64_t *out, size_t n, unsigned tmpl, uint64_t v, const char *name, feature_namer namer,
                         void *ctx)
{
    if (n >= STACK_MAX_KEYS)
        return n;
    out[n] = feature_key(tmpl, v);
    if (namer)
        namer(ctx, RADAR_DECIDE_CONTEXT, out[n], name);
    return n + 1;
}

int radar_decide_no_trigger(const extract_state *st, const cand *c)
{
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        for (size_t i = st->sent_item[o->sent]; i < sent_end_item(st, o->sent); i++)
            if (st->items[i].type == IT_TRIGGER && !(st->items[i].flags & IF_PAST_MOVE))
                return 0;
    }
    return 1;
}

size_t radar_decide_stack_keys(const float *self, int no_trigger, const cand_rel *r, size_t nr, const float *probs,
                         uint64_t *out, feature_namer namer, void *ctx)
{
    float best_person = 0, best_club_list = 0, best_person_list = 0, best_club = 0;
    int person_buyers = 0, club_sells = 0;
    for (size_t i = 0; i < nr; i++) {
        const float *q = probs + 3 * (size_t)r[i].other;
        if (r[i].kinds & REL_SAME_PERSON) {
            if (q[PAIR_BUYER] > best_person)
                best_person = q[PAIR_BUYER];
            person_buyers += q[PAIR_BUYER] > 0.5f;
        }
        if ((r[i].kinds & REL_CLUB_LISTED) && q[PAIR_BUYER] > best_club_list)
            best_club_list = q[PAIR_BUYER];
        if ((r[i].kinds & REL_PERSON_LISTED) && q[PAIR_BUYER] > best_person_list)
            best_person_list = q[PAIR_BUYER];
        if (r[i].kinds & REL_SAME_CLUB) {
            if (q[PAIR_BUYER] > best_club)
                best_club = q[PAIR_BUYER];
            club_sells |= q[PAIR_SELLER] > 0.5f;
        }
    }
    size_t n = 0;
    char nm[64] = "";
    int bb = p_bucket(self[PAIR_BUYER]), sb = p_bucket(self[PAIR_SELLER]);
#undef NAMEF
#define NAMEF(...) (namer ? snprintf(nm, sizeof nm, __VA_ARGS__) : 0)
    NAMEF( "ctx_self=buyer%d/seller%d", bb, sb);
    n = stack_emit(out, n, T_CTX_SELF, (uint64_t)(bb * 10 + sb), nm, namer, ctx);
    NAMEF( "ctx_person_best=%d", p_bucket(best_person));
    n = stack_emit(out, n, T_CTX_PERSON, (uint64_t)p_bucket(best_person), nm, namer, ctx);
    NAMEF( "ctx_person_buyers=%d", person_buyers > 3 ? 3 : person_buyers);
    n = stack_emit(out, n, T_CTX_PERSON_N, (uint64_t)(person_buyers > 3 ? 3 : person_buyers), nm, namer, ctx);
    NAMEF( "ctx_club_listed_best=%d", p_bucket(best_club_list));
    n = stack_emit(out, n, T_CTX_CLUB_LIST, (uint64_t)p_bucket(best_club_list), nm, namer, ctx);
    NAMEF( "ctx_person_listed_best=%d", p_bucket(best_person_list));
    n = stack_emit(out, n, T_CTX_PERSON_LIST, (uint64_t)p_bucket(best_person_list), nm, namer, ctx);
    NAMEF( "ctx_club_best=%d", p_bucket(best_club));
    n = stack_emit(out, n, T_CTX_CLUB, (uint64_t)p_bucket(best_club), nm, namer, ctx);
    if (club_sells)
        n = stack_emit(out, n, T_CTX_CLUB_SELLS, 1, "ctx_club_sells_another=yes", namer, ctx);
    /* "Bournemouth are chasing X. They already have Y and Z": the club's target
     * is another man, and nothing moves in the sentence that names this one */
    NAMEF( "ctx_club_best_no_trigger=%d/%d", p_bucket(best_club), no_trigger);
    n = stack_emit(out, n, T_CTX_CLUB_NOTRIG, (uint64_t)(p_bucket(best_club) * 2 + no_trigger), nm, namer, ctx);
    /* the strongest signal for "his own club": another club surely buys him */
    NAMEF( "ctx_self_vs_person=%d/%d", bb, p_bucket(best_person));
    n = stack_emit(out, n, T_CTX_VS, (uint64_t)(bb * 10 + p_bucket(best_person)), nm, namer, ctx);
    return n;
}
#undef NAMEF
#define NAMEF(...) (st->namer ? snprintf(nm, sizeof nm, __VA_ARGS__) : 0)

/* ---- the choice ----------------------------------------------------------- */

/* A new frame for a pair no rule proposed: its sentences are where the two meet. */
static int frame_from_cand(extract_state *st, const cand *c)
{
    if (st->n_frames >= RADAR_MAX_RUMOURS_PER_ARTICLE)
        return 0;
    if (grow_array((void **)&st->frames, &st->cap_frames, st->n_frames + 1, sizeof *st->frames))
        return RADAR_ENOMEM;
    frame *f = &st->frames[st->n_frames++];
    memset(f, 0, sizeof *f);
    f->person = c->person;
    f->to_club = c->club;
    f->from_club = st->persons[c->person].club;
    if (f->from_club == f->to_club)
        f->from_club = LEX_NONE;
    f->stage = RADAR_STAGE_INTEREST;
    f->money = -1;
    f->first_sent = st->cooc[c->c0].sent;
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        if (grow_array((void **)&f->sents, &f->cap_sents, f->n_sents + 1, sizeof *f->sents))
            return RADAR_ENOMEM;
        f->sents[f->n_sents++] = o->sent;
        if (f->money < 0)
            f->money = radar_frames_money_near(st, o->sent, st->items[o->citem].t0);
    }
    return 0;
}

/* Are the triggers of the sentences the two share all moves placed in the
 * past ("since joining", "signed ... in 2021"), and is there one? */
static int only_past_moves_with(const extract_state *st, const cand *c)
{
    int past = 0;
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        for (size_t i = st->sent_item[o->sent]; i < sent_end_item(st, o->sent); i++) {
            const item *it = &st->items[i];
            if (it->type != IT_TRIGGER)
                continue;
            if (!(it->flags & IF_PAST_MOVE))
                return 0;
            past = 1;
        }
    }
    return past;
}

/* RADAR_DEBUG: each candidate, its probabilities and its strongest features. */
static void debug_cands(const extract_state *st, const radar_model *m)
{
    for (size_t i = 0; i < st->n_cands; i++) {
        const cand *c = &st->cands[i];
        fprintf(stderr, "cand %s -> %s  none %.2f buyer %.2f seller %.2f%s\n", st->persons[c->person].name,
                entry_name(st, c->club), c->p[0], c->p[1], c->p[2], c->frame >= 0 ? "  (rule frame)" : "");
        const decision_table *d = &m->d[RADAR_DECIDE_PAIR];
        for (uint32_t k = c->f0; k < c->f1; k++) {
            const float *w = radar_model_row_get(d, st->fkeys[k]);
            if (!w)
                continue;
            float x = w[PAIR_BUYER] - w[PAIR_NONE];
            if (x > 0.08f || x < -0.08f) {
                const char *nm = radar_model_name(m, RADAR_DECIDE_PAIR, st->fkeys[k]);
                fprintf(stderr, "    %+.2f %s\n", x, nm ? nm : "?");
            }
        }
    }
}

/* The second pass: each candidate's features with what the first pass said of
 * the candidates it relates to; its probabilities replace the first pass's. */
static int decide_context(extract_state *st, const radar_model *m)
{
    int rc;
    if ((rc = radar_decide_relations(st)))
        return rc;
    size_t n = st->n_cands;
    float *first = malloc((3 * n + 1) * sizeof *first);
    if (!first)
        return RADAR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(first + 3 * i, st->cands[i].p, 3 * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        cand *c = &st->cands[i];
        uint64_t extra[STACK_MAX_KEYS];
        size_t ne = radar_decide_stack_keys(first + 3 * i, radar_decide_no_trigger(st, c), st->rels + c->r0, c->r1 - c->r0, first,
                                      extra, NULL, NULL);
        radar_model_scores_second(m, c->ctx, extra, ne, st->domain, c->p);
    }
    free(first);
    return 0;
}

int radar_decide_apply(extract_state *st, const radar_model *m)
{
    if (!radar_model_has(m, RADAR_DECIDE_PAIR))
        return 0;
    int rc, stages = radar_model_has(m, RADAR_DECIDE_STAGE);
    /* stage features only for the pairs kept, below */
    if ((rc = radar_decide_features(st, 0)))
        return rc;
    size_t n_rule = st->n_frames;
    uint8_t *keep = NULL;
    if (n_rule && !(keep = calloc(n_rule, 1)))
        return RADAR_ENOMEM;
    int joint = radar_model_has(m, RADAR_DECIDE_CONTEXT) && m->joint.slots;
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        if (joint)
            radar_model_scores_first(m, st->fkeys + c->f0, c->f1 - c->f0, st->domain, c->ctx, c->p);
        else
            radar_model_scores(m, RADAR_DECIDE_PAIR, st->fkeys + c->f0, c->f1 - c->f0, st->domain, c->p);
    }
    if (joint && (rc = decide_context(st, m))) {
        free(keep);
        return rc;
    }
    int kind = st->n_sent > RADAR_SHORT_ITEM_SENTENCES;
    float thr = m->threshold[kind];
    /* a pair a rule proposed needs less of the model's belief than one no rule saw */
    float rule_thr = m->threshold_rule[kind] > 0 ? m->threshold_rule[kind] : thr;
    /* the seller each person's candidates point to most surely */
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        int buyer = thr > 0 ? c->p[PAIR_BUYER] > (c->frame >= 0 ? rule_thr : thr)
                             : c->p[PAIR_BUYER] > c->p[PAIR_NONE] && c->p[PAIR_BUYER] > c->p[PAIR_SELLER];
        /* a move the text places in the past is context, not news: where the only
         * triggers of the sentences the two share are such moves, no rumour */
        if (buyer && c->frame < 0 && only_past_moves_with(st, c))
            buyer = 0;
        if (!buyer)
            continue;
        int32_t fi = c->frame;
        if (fi >= 0)
            keep[fi] = 1;
        else if (c->c1 > c->c0) {
            if ((rc = frame_from_cand(st, c)))
                goto done;
            fi = (int32_t)st->n_frames - 1;
            c->frame = fi;
        } else
            continue;
        frame *f = &st->frames[fi];
        if (stages) {
            new_key_list(st);
            if ((rc = stage_features(st, c)))
                goto done;
        }
        if (stages && c->s1 > c->s0) {
            float p[RADAR_MODEL_MAX_CLASSES];
            radar_model_scores(m, RADAR_DECIDE_STAGE, st->fkeys + c->s0, c->s1 - c->s0, st->domain, p);
            int best = 0;
            for (int k = 1; k < STAGE_CLASSES; k++)
                if (p[k] > p[best])
                    best = k;
            /* a rule's stage stands unless the model is surely of another mind */
            int rule = fi < (int32_t)n_rule ? f->stage - 1 : -1;
            if (rule < 0 || rule >= STAGE_CLASSES || p[best] - p[rule] > m->stage_margin)
                f->stage = best + 1;
        }
        /* the seller: the rules' unless the model takes that club for a buyer
         * ("AC Milan have joined Tottenham in the race for X": Tottenham is a
         * rival, not his club); else the one the model is surest of */
        const cand *best_seller = NULL;
        for (size_t j = 0; j < st->n_cands; j++) {
            const cand *o = &st->cands[j];
            if (o->person != c->person || o->club == c->club)
                continue;
            if (o->club == f->from_club && o->p[PAIR_BUYER] > o->p[PAIR_SELLER])
                f->from_club = LEX_NONE;
            if (o->p[PAIR_SELLER] > 0.5f && (!best_seller || o->p[PAIR_SELLER] > best_seller->p[PAIR_SELLER]))
                best_seller = o;
        }
        if (f->from_club == LEX_NONE && best_seller)
            f->from_club = best_seller->club;
        if (f->from_club == f->to_club)
            f->from_club = LEX_NONE;
    }
    const char *dbg = getenv("RADAR_DEBUG");
    if (dbg && *dbg && *dbg != '0')
        debug_cands(st, m);
    /* drop the rule frames the model did not keep; new frames stay */
    size_t w = 0;
    for (size_t i = 0; i < st->n_frames; i++) {
        if (i < n_rule && !keep[i]) {
            free(st->frames[i].sents);
            continue;
        }
        st->frames[w++] = st->frames[i];
    }
    st->n_frames = w;
    rc = 0;
done:
    free(keep);
    return rc;
}
