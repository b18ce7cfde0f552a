/*
 * features.c - the candidates of the learned decisions and their features.
 *
 * Every (person, club) pair the article puts in one sentence becomes a
 * candidate, and so does every pair a rule pass proposed (frames.c). Each
 * candidate gets sparse features describing how the two are placed (order,
 * distance, the words and triggers between and around them), what the passes
 * concluded (the rule's frame and stage, club flags, the person's evidence for
 * being a player) and the article's shape; a rumour the model keeps gets
 * stage features too. decide.c scores them.
 *
 * Nothing here allocates per token or per feature: candidates, co-occurrences
 * and keys live in arrays the extractor reuses from one article to the next,
 * and a key's readable name is formatted only when the trainer asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "extract_internal.h"
#include "features_internal.h"
#include "model_internal.h"

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
    [T_TITLE] = "title",       [T_TITLE_STAGE] = "title_stage", [T_PERSON_FIRST] = "person_first_sentence",
    [T_REF] = "reference",     [T_PLIST] = "person_list",
    [S_BIAS] = "s_bias",       [S_RULE] = "s_rule",       [S_TRIG] = "s_trigger",        [S_TRIGW] = "s_trigger_phrase",
    [S_CUE] = "s_cue",         [S_PREV] = "s_before_trigger", [S_MONEY] = "s_money",     [S_ARTLEN] = "s_article_sentences",
    [S_ITEM_TRIG] = "s_item_trigger", [S_ITEM_TRIGW] = "s_item_trigger_phrase", [S_ITEM_CUE] = "s_item_cue",
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

/* Naming is the trainer's only: kept out of line, so that the emitters
 * below inline into the hot path as a key and a push. */
static void name_int(extract_state *st, int dec, uint64_t key, unsigned tmpl, long v)
{
    char s[32];
    snprintf(s, sizeof s, "%ld", v);
    name_key(st, dec, key, tmpl, s);
}

static inline int emit_int(extract_state *st, int dec, unsigned tmpl, long v)
{
    uint64_t key = feature_key(tmpl, (uint64_t)v);
    if (st->namer)
        name_int(st, dec, key, tmpl, v);
    return push_key(st, key);
}

/* A value made of a few named parts: "interest/buyer/club-before". */
static inline int emit_parts(extract_state *st, int dec, unsigned tmpl, uint64_t v, const char *name)
{
    uint64_t key = feature_key(tmpl, v);
    if (st->namer)
        name_key(st, dec, key, tmpl, name);
    return push_key(st, key);
}


/* A trigger as it is written ("have joined", not its line's first phrase):
 * its folded words, as one value; modifiers inside it are left out, so that
 * "completed the permanent signing of" is "completed the signing of". */
static int emit_phrase(extract_state *st, int dec, unsigned tmpl, const item *it, uint64_t extra, const char *suffix)
{
    uint64_t v = 0;
    for (uint32_t k = it->t0; k < it->t1; k++)
        if (!(st->tok->tok[k].flags & TOK_JOIN) && !slack_at(it, k))
            v = radar_hash_combine(v, st->tok->tok[k].hash);
    v ^= extra * 0x9E3779B97F4A7C15ull;
    uint64_t key = feature_key(tmpl, v);
    if (st->namer) {
        char n[160];
        size_t w = 0;
        for (uint32_t k = it->t0; k < it->t1 && w + 40 < sizeof n; k++) {
            const radar_token *t = &st->tok->tok[k];
            if ((t->flags & TOK_JOIN) || slack_at(it, k))
                continue;
            w += (size_t)snprintf(n + w, sizeof n - w, "%s%.*s", w ? " " : "", (int)(t->fold_len > 30 ? 30 : t->fold_len),
                                  radar_tok_fold(st->tok, k));
        }
        snprintf(n + w, sizeof n - w, "%s", suffix ? suffix : "");
        name_key(st, dec, key, tmpl, n);
    }
    return push_key(st, key);
}

static void name_tok(extract_state *st, int dec, uint64_t key, unsigned tmpl, size_t k, const char *shape,
                     const char *prefix)
{
    const radar_token *t = &st->tok->tok[k];
    char s[140];
    if (shape)
        snprintf(s, sizeof s, "%s%s", prefix ? prefix : "", shape);
    else
        snprintf(s, sizeof s, "%s%.*s", prefix ? prefix : "", (int)(t->fold_len > 100 ? 100 : t->fold_len),
                 radar_tok_fold(st->tok, k));
    name_key(st, dec, key, tmpl, s);
}

/* A token as a feature value: lower-case words and punctuation as they are,
 * capitalised words and numbers by their shape. */
static inline int emit_tok(extract_state *st, int dec, unsigned tmpl, size_t k, uint64_t extra, const char *prefix)
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
    if (st->namer)
        name_tok(st, dec, key, tmpl, k, shape, prefix);
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

/* Every (person, club) pair sharing a sentence. (Pairs a sentence apart were
 * tried as candidates, with features of their own, several ways: they reach
 * up to half the gold pairs no candidate holds, but the model keeps few of
 * them, and full articles' F1 moved within noise while extraction did 6 to
 * 25% more work: docs/model.md.) */
static int collect_cooc(extract_state *st)
{
    st->n_cooc = 0;
    int rc;
    for (size_t s = 0; s < st->n_sent; s++) {
        size_t a = st->sent_item[s], b = sent_item_end(st, s), first = st->n_cooc;
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

/* One sentence where person and club meet, as the helpers of cooc_features
 * see it: worked out once, read by each. */
typedef struct pair_view {
    const cand *c;
    const cooc *o;
    const item *pi, *ci;   /* the person's and the club's mentions */
    int club_first;        /* the club is named first */
    uint32_t p0, p1;       /* the person's tokens, with the list of names he stands in */
    uint32_t dist;         /* tokens between the two */
    int listed;            /* names in that list (1: none but him) */
    uint32_t a, b;         /* the tokens between the two: [a, b) */
    uint32_t sfirst, send; /* the sentence's tokens */
    size_t ia, ib;         /* the sentence's items */
} pair_view;

/* Capitalised in mid-sentence: a name, which a bigram keeps only as its shape. */
static inline int mid_capital(const radar_token *x)
{
    return (x->flags & TOK_CAP) && !(x->flags & TOK_SENT);
}

/* Each two words in a row between the mentions. */
static int bigram_features(extract_state *st, const pair_view *v)
{
    const radar_tokens *t = st->tok;
    uint64_t order = (uint64_t)v->club_first + 1;
    int rc;
    for (uint32_t k = v->a; k + 1 < v->b; k++) {
        const radar_token *x = &t->tok[k], *y = &t->tok[k + 1];
        uint64_t val = mid_capital(x) ? SHAPE_CAP : x->hash;
        val = val * 31 + (mid_capital(y) ? SHAPE_CAP : y->hash);
        if (st->namer) {
            char bn[96];
            snprintf(bn, sizeof bn, "%s%.*s_%.*s", v->club_first ? "club..." : "person...",
                     mid_capital(x) ? 3 : (int)(x->fold_len > 40 ? 40 : x->fold_len),
                     mid_capital(x) ? "CAP" : radar_tok_fold(t, k),
                     mid_capital(y) ? 3 : (int)(y->fold_len > 40 ? 40 : y->fold_len),
                     mid_capital(y) ? "CAP" : radar_tok_fold(t, k + 1));
            rc = emit_parts(st, RADAR_DECIDE_PAIR, T_BIGRAM, val ^ order, bn);
        } else {
            rc = push_key(st, feature_key(T_BIGRAM, val ^ order));
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* The order and distance of the two mentions, and what lies between them:
 * each word and each two words (when near), the words at either edge. */
static int between_features(extract_state *st, const pair_view *v)
{
    int club_first = v->club_first, rc;
    uint32_t a = v->a, b = v->b;
    char nm[64] = "";
    NAMEF("%s/%d", club_first ? "club-first" : "person-first", dist_bucket(v->dist));
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_ORDDIST, (uint64_t)(club_first * 16 + dist_bucket(v->dist)), nm)))
        return rc;
    if (b > a && b - a <= 12) {
        for (uint32_t k = a; k < b; k++)
            if ((rc = emit_tok(st, RADAR_DECIDE_PAIR, T_BETWEEN, k, (uint64_t)club_first + 1,
                               club_first ? "club..." : "person...")))
                return rc;
        if ((rc = bigram_features(st, v)))
            return rc;
    }
    if (b > a) {
        if ((rc = emit_tok(st, RADAR_DECIDE_PAIR, T_EDGE, a, (uint64_t)club_first * 2 + 1,
                           club_first ? "club>" : "person>")) ||
            (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_EDGE, b - 1, (uint64_t)club_first * 2 + 2,
                           club_first ? "<person:" : "<club:")))
            return rc;
    }
    return 0;
}

/* Which party the sentence names first, the subject most often: this club
 * (0), this person (1), another club (2), another person (3); -1 if none. */
static int first_party(const extract_state *st, const pair_view *v)
{
    for (size_t i = v->ia; i < v->ib; i++) {
        const item *it = &st->items[i];
        if (it->type == IT_CLUB && it->entry != LEX_NONE)
            return i == v->o->citem ? 0 : 2;
        if (is_person_item(it))
            return it->t0 >= v->p0 && it->t1 <= v->p1 ? 1 : 3; /* his list is him */
    }
    return -1;
}

/* Does the club stand in a list of clubs: "Barcelona, Bayern Munich and
 * Tottenham"? Only separators between it and another club of the sentence. */
static int club_in_list(const extract_state *st, const pair_view *v)
{
    const radar_tokens *t = st->tok;
    const item *ci = v->ci;
    for (size_t i = v->ia; i < v->ib; i++) {
        const item *it = &st->items[i];
        if (i == v->o->citem || it->type != IT_CLUB || it->entry == LEX_NONE)
            continue;
        uint32_t g0 = it->t1 <= ci->t0 ? it->t1 : ci->t1, g1 = it->t1 <= ci->t0 ? ci->t0 : it->t0;
        if (g1 < g0 || g1 - g0 > 2)
            continue;
        int sep = g1 > g0;
        for (uint32_t k = g0; k < g1; k++)
            sep &= radar_tok_is(t, k, ",") || word_in(st, k, WC_LIST_SEPARATOR);
        if (sep)
            return 1;
    }
    return 0;
}

static int party_features(extract_state *st, const pair_view *v)
{
    static const char *const fp_names[] = {"this-club", "this-person", "other-club", "other-person"};
    int rc, first = first_party(st, v);
    if (first >= 0 && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_SUBJECT, (uint64_t)first, fp_names[first])))
        return rc;
    if (club_in_list(st, v) && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_LIST, 1, "yes")))
        return rc;
    return 0;
}

/* The words right before and after the club and the person. */
static int neighbour_features(extract_state *st, const pair_view *v)
{
    const item *ci = v->ci;
    uint32_t p0 = v->p0, p1 = v->p1; /* the person, with the list of names he stands in */
    uint32_t sfirst = v->sfirst, send = v->send;
    uint64_t order = (uint64_t)v->club_first + 1;
    const char *order_name = v->club_first ? "club-first:" : "person-first:";
    int rc;
    if (ci->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB1, ci->t0 - 1, 0, NULL)))
        return rc;
    if (ci->t0 == sfirst && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CB1, 7, "<start>")))
        return rc;
    if (ci->t0 > sfirst + 1 && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB2, ci->t0 - 2, 0, NULL)))
        return rc;
    if (ci->t1 < send && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CA1, ci->t1, 0, NULL)))
        return rc;
    if (p0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB1, p0 - 1, 0, NULL)))
        return rc;
    if (p0 > sfirst + 1 && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB2, p0 - 2, 0, NULL)))
        return rc;
    if (p0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PB1_ORD, p0 - 1, order, order_name)))
        return rc;
    if (ci->t0 > sfirst && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_CB1_ORD, ci->t0 - 1, order, order_name)))
        return rc;
    if (p0 == sfirst && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PB1, 7, "<start>")))
        return rc;
    if (p1 < send && (rc = emit_tok(st, RADAR_DECIDE_PAIR, T_PA1, p1, 0, NULL)))
        return rc;
    return 0;
}

/* How year token k stands to the article's year: 0 before it, 1 its own,
 * 2 later, 3 the article has no date; -1 when k is no year. */
static int year_rel(const extract_state *st, uint32_t k)
{
    const radar_token *tk = &st->tok->tok[k];
    if (!(tk->flags & TOK_NUM) || tk->len != 4)
        return -1;
    int y = atoi(st->body + tk->off);
    if (y < 1900 || y > 2100)
        return -1;
    int year = st->article_year;
    return !year ? 3 : y < year ? 0 : y == year ? 1 : 2;
}

/* The relations to the article's year of the years of sentence s, in order,
 * one per nibble (rel + 1), as year_features emits them. */
#define YEARS_UNKNOWN UINT32_MAX
#define YEARS_MANY 0xEEEEEEEEu /* more than 8: read the sentence each time */
static uint32_t sentence_years(extract_state *st, uint32_t s)
{
    if (st->sent_years[s] != YEARS_UNKNOWN)
        return st->sent_years[s];
    const radar_tokens *t = st->tok;
    uint32_t seq = 0;
    int n = 0;
    for (uint32_t k = t->sent[s].first; k < t->sent[s].end; k++) {
        int rel = year_rel(st, k);
        if (rel < 0)
            continue;
        if (n == 8) {
            seq = YEARS_MANY;
            break;
        }
        seq |= (uint32_t)(rel + 1) << (4 * n++);
    }
    return st->sent_years[s] = seq;
}

/* "signed ... from Hull City in 2021": a year says whether the move is news.
 * A sentence's years are read once per article (sentence_years), not once
 * per pair it holds. */
static int year_features(extract_state *st, const pair_view *v)
{
    static const char *const rels[] = {"past", "this", "later", "date-unknown"};
    int rc;
    uint32_t seq = sentence_years(st, v->o->sent);
    if (seq != YEARS_MANY) {
        for (; seq; seq >>= 4) {
            int rel = (int)(seq & 15) - 1;
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_YEAR, (uint64_t)rel, rels[rel])))
                return rc;
        }
        return 0;
    }
    for (uint32_t k = v->sfirst; k < v->send; k++) {
        int rel = year_rel(st, k);
        if (rel >= 0 && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_YEAR, (uint64_t)rel, rels[rel])))
            return rc;
    }
    return 0;
}

/* The two mentions themselves: the club's flags, years nearby, how the
 * person is referred to, and what kind of sentence holds them. */
static int mention_features(extract_state *st, const pair_view *v)
{
    static const char *const flag_names[] = {"current", "past", "buyer-cue", "clubref", "family", "speaker",
                                             "tweet",   "context", "match"};
    static const char *const pitem_names[] = {"", "name", "pronoun", "descriptor"};
    static const char *const sf_names[] = {"caption", "tweet", "quote", "headline"};
    const item *pi = v->pi, *ci = v->ci;
    int rc;
    char nm[64] = "";
    for (int bit = 0; bit < 9; bit++)
        if (ci->flags & (1u << bit)) {
            uint64_t val = (uint64_t)bit * 2 + (ci->owner == v->c->person);
            NAMEF("%s%s", flag_names[bit], bit == 0 ? (ci->owner == v->c->person ? "/his" : "/other") : "");
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CFLAG, val, nm)))
                return rc;
        }
    if ((rc = year_features(st, v)))
        return rc;
    int pt = pi->type == IT_NAME ? 1 : pi->type == IT_PRONOUN ? 2 : 3;
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PITEM, (uint64_t)pt, pitem_names[pt])))
        return rc;
    if (pi->flags & IF_CONTEXT && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PITEM, 9, "context")))
        return rc;
    for (int bit = 0; bit < 4; bit++)
        if ((st->sent_flags[v->o->sent] & (1u << bit)) &&
            (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_SFLAG, (uint64_t)bit, sf_names[bit])))
            return rc;
    return 0;
}

/* The triggers of a sentence as sentence_item_features counts them. */
typedef struct trigger_tally {
    int live, past;      /* triggers of moves to come, and of moves placed in the past */
    const item *near;    /* the live trigger nearest the club */
    uint32_t near_dist;
} trigger_tally;

/* A trigger of the sentence: its stage and direction with the sides of club
 * and person; its phrase, unless it tells a past move. */
static int trigger_features(extract_state *st, const pair_view *v, const item *it, trigger_tally *tally)
{
    const lex_entry *e = &st->lex->entries[it->entry];
    int cs = trig_side(v->ci->t0, it), ps = trig_side(v->pi->t0, it);
    int past = (it->flags & IF_PAST_MOVE) != 0, rc;
    char nm[64] = "";
    tally->live += !past;
    tally->past += past;
    NAMEF("%s/dir%d/club-%s/person-%s%s", radar_stage_name((radar_stage)e->stage), e->dir, side_names[cs],
          side_names[ps], past ? "/past" : "");
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TRIG,
                         (uint64_t)(past * 10000 + e->stage * 1000 + e->dir * 100 + cs * 10 + ps), nm)))
        return rc;
    if (past)
        return 0;
    if ((rc = emit_phrase(st, RADAR_DECIDE_PAIR, T_TRIGW, it, (uint64_t)cs + 1, cs ? " /club-after" : " /club-before")))
        return rc;
    uint32_t d = it->t0 > v->ci->t0 ? it->t0 - v->ci->t0 : v->ci->t0 - it->t0;
    if (d < tally->near_dist) {
        tally->near_dist = d;
        tally->near = it;
    }
    return 0;
}

/* The items of the sentence: what stands between the two, triggers with
 * the sides of club and person, cues; then whether any trigger is live, and
 * the nearest one. */
static int sentence_item_features(extract_state *st, const pair_view *v)
{
    static const char *const between_names[] = {"club", "name", "trigger", "money"};
    int between_seen[4] = {0}, rc;
    trigger_tally tally = {0, 0, NULL, UINT32_MAX};
    char nm[64] = "";
    for (size_t i = v->ia; i < v->ib; i++) {
        const item *it = &st->items[i];
        int inside = it->t0 >= v->a && it->t1 <= v->b;
        if (inside && i != v->o->pitem && i != v->o->citem) {
            int kind = it->type == IT_CLUB ? 0 : it->type == IT_NAME ? 1 : it->type == IT_TRIGGER ? 2
                       : it->type == IT_MONEY ? 3 : -1;
            if (kind >= 0 && !between_seen[kind]) {
                between_seen[kind] = 1;
                if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_BETWEEN_IT, (uint64_t)kind, between_names[kind])))
                    return rc;
            }
        }
        if (it->type == IT_TRIGGER && it->entry != LEX_NONE) {
            if ((rc = trigger_features(st, v, it, &tally)))
                return rc;
            if (it->flags & IF_PAST_MOVE)
                continue; /* a move placed in the past: its cues are left out too */
        }
        if (it->type == IT_CUE || (it->type == IT_TRIGGER && it->cue2)) {
            const lex_entry *e = it->type == IT_CUE ? item_entry(st, it) : &st->lex->entries[it->cue2 - 1];
            if (e && e->cue > 0 && e->cue < CUE_COUNT &&
                (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_CUE, (uint64_t)e->cue, cue_names[e->cue])))
                return rc;
        }
    }
    if (!tally.live && (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_NO_TRIGGER, tally.past ? 2 : 1,
                                        tally.past ? "past-only" : "none")))
        return rc;
    if (tally.near) {
        const lex_entry *e = &st->lex->entries[tally.near->entry];
        int cs = trig_side(v->ci->t0, tally.near), ps = trig_side(v->pi->t0, tally.near);
        int db = dist_bucket(tally.near_dist);
        NAMEF("%s/dir%d/club-%s/person-%s/%d", radar_stage_name((radar_stage)e->stage), e->dir, side_names[cs],
              side_names[ps], db);
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TRIG_NEAR,
                             (uint64_t)(e->stage * 100000 + e->dir * 1000 + cs * 100 + ps * 10 + db), nm)))
            return rc;
    }
    return 0;
}

/* The person stands in the pair as a descriptor or pronoun: its kind and
 * what of it agrees with what the article says of him (item.fit), so the
 * model learns how far to trust the tie. */
static int ref_features(extract_state *st, const item *pi)
{
    static const char *const pt_names[] = {"pronoun", "age", "nationality", "position"};
    static const char *const fit_names[] = {"age", "nationality", "position", "several", "fallback", "unknown"};
    if (pi->type != IT_DESCR && pi->type != IT_PRONOUN)
        return 0;
    int pt = pi->type == IT_PRONOUN ? 0 : pi->age ? 1 : pi->cue2 ? 2 : 3;
    int rc;
    char nm[64] = "";
    NAMEF("%s/fit%02x", pt_names[pt], pi->fit);
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_REF, (uint64_t)(pt * 256 + pi->fit), nm)))
        return rc;
    for (int bit = 0; bit < 6; bit++)
        if (pi->fit & (1u << bit)) {
            NAMEF("%s/%s", pt_names[pt], fit_names[bit]);
            if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_REF, (uint64_t)(8192 + pt * 16 + bit), nm)))
                return rc;
        }
    return 0;
}

/* The person's mention with the list of names it stands in ("monitor X, Y
 * and Z", "X and Y are the two Villarreal want"): each name of the list
 * stands toward the club where the list does, so the last of three is placed
 * like the first. Only a closed list counts ("and", "or", "&" before its last
 * name) of at most RADAR_MAX_LISTED_NAMES: names run together by commas alone
 * are a squad or a line-up, whose last name may open the next clause. The
 * club itself is never inside the list. */
static void person_list(const extract_state *st, pair_view *v)
{
    const item *pi = v->pi;
    uint32_t i = v->o->pitem, id = st->list_id[i];
    v->p0 = pi->t0;
    v->p1 = pi->t1;
    v->listed = 1;
    if (pi->type != IT_NAME && pi->type != IT_DESCR)
        return;
    uint32_t p0 = pi->t0, p1 = pi->t1, prev_end = 0, last_gap = 0;
    int n = 0;
    for (size_t j = id; j < v->ib; j++) {
        const item *it = &st->items[j];
        if (it->type == IT_AGE || it->type == IT_NATIONALITY || it->type == IT_POSITION)
            continue;
        if ((it->type != IT_NAME && it->type != IT_DESCR) || st->list_id[j] != id)
            break;
        if (n) /* where the gap before this name starts */
            last_gap = prev_end;
        prev_end = it->t1;
        n++;
        if (it->t0 < p0)
            p0 = it->t0;
        if (it->t1 > p1)
            p1 = it->t1;
    }
    if (n < 2 || n > (int)RADAR_MAX_LISTED_NAMES || (v->ci->t1 > p0 && v->ci->t0 < p1))
        return;
    /* the list closes with a conjunction before its last name */
    int closed = 0;
    for (uint32_t k = last_gap; k < p1 && !closed; k++)
        closed = word_in(st, k, WC_LIST_SEPARATOR) && !(st->tok->tok[k].flags & TOK_CAP);
    if (!closed)
        return;
    v->p0 = p0;
    v->p1 = p1;
    v->listed = n;
}

/* Features of one sentence where person and club meet. */
static int cooc_features(extract_state *st, const cand *c, const cooc *o)
{
    pair_view v;
    v.c = c;
    v.o = o;
    v.pi = &st->items[o->pitem];
    v.ci = &st->items[o->citem];
    v.club_first = v.ci->t0 < v.pi->t0;
    v.sfirst = st->tok->sent[o->sent].first;
    v.send = st->tok->sent[o->sent].end;
    v.ia = st->sent_item[o->sent];
    v.ib = sent_item_end(st, o->sent);
    person_list(st, &v);
    v.a = v.club_first ? v.ci->t1 : v.p1;
    v.b = v.club_first ? v.p0 : v.ci->t0;
    v.dist = v.b > v.a ? v.b - v.a : 0;
    int rc;
    if (v.listed > 1) {
        /* is he the list's end nearest the club, or further in? */
        int nearest = v.club_first ? v.pi->t0 == v.p0 : v.pi->t1 == v.p1;
        char nm[32] = "";
        NAMEF("%d/%s", v.listed > 2 ? 3 : 2, nearest ? "nearest" : "further");
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PLIST, (uint64_t)((v.listed > 2 ? 3 : 2) * 2 + nearest), nm)))
            return rc;
    }
    if ((rc = between_features(st, &v)) || (rc = party_features(st, &v)) || (rc = neighbour_features(st, &v)) ||
        (rc = mention_features(st, &v)) || (rc = sentence_item_features(st, &v)) ||
        (rc = ref_features(st, v.pi)))
        return rc;
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
    NAMEF("player%d/other%d", ps, os);
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
    if (q->first_item < st->n_items &&
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_PERSON_FIRST, sent_bucket((long)st->items[q->first_item].sent))))
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
        NAMEF("%s/%s", pe->role ? pe->role : "?", whens[when]);
        uint64_t v = (pe->role ? radar_hash_bytes(pe->role, strlen(pe->role)) : 0) * 4 + (uint64_t)when;
        if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_PEOPLE, v, nm)))
            return rc;
    }
    return 0;
}

/* The title is not read as text (its mentions would have no place in the
 * body), but it says what the article is about: the clubs it names, the
 * stages of its triggers, and (per pair) whether it holds the person's
 * surname become features of the pairs of the text. */
static int scan_title(extract_state *st)
{
    st->has_title = 0;
    st->n_title_clubs = 0;
    st->title_stages = 0;
    const char *title = st->article ? st->article->title : NULL;
    if (!title || !*title)
        return 0;
    size_t len = strnlen(title, RADAR_MAX_TITLE_READ);
    while (len > 0 && title[len] && ((unsigned char)title[len] & 0xC0) == 0x80)
        len--; /* a cut title ends on a whole character */
    int rc = radar_tokenize(&st->title_tok, title, len);
    if (rc)
        return rc;
    const radar_tokens *t = &st->title_tok;
    st->has_title = t->n > 0;
    for (size_t k = 0; k < t->n; k++) {
        uint32_t head;
        size_t n = lex_match(st->lex, t, k, t->n, (1u << RADAR_KIND_CLUB) | (1u << RADAR_KIND_TRIGGER), &head);
        if (!n)
            continue;
        for (uint32_t a = head; a != LEX_NONE; a = st->lex->aliases[a].next) {
            uint32_t e = st->lex->aliases[a].entry;
            const lex_entry *le = &st->lex->entries[e];
            if (le->kind == RADAR_KIND_TRIGGER && le->stage > 0 && le->stage < RADAR_STAGE_COUNT)
                st->title_stages |= 1u << le->stage;
            if (le->kind != RADAR_KIND_CLUB || st->n_title_clubs >= RADAR_MAX_TITLE_CLUBS)
                continue;
            size_t j = 0;
            while (j < st->n_title_clubs && st->title_clubs[j] != e)
                j++;
            if (j == st->n_title_clubs)
                st->title_clubs[st->n_title_clubs++] = e;
        }
        k += n - 1;
    }
    return 0;
}

/* Is the person's surname a word of the title, the club one of its clubs? */
static int title_features(extract_state *st, const cand *c)
{
    if (!st->has_title)
        return 0;
    const radar_tokens *t = &st->title_tok;
    uint64_t sur = st->persons[c->person].surname;
    int pin = 0, cin = 0, rc;
    for (size_t k = 0; k < t->n && !pin; k++)
        pin = t->tok[k].hash == sur;
    for (size_t j = 0; j < st->n_title_clubs && !cin; j++)
        cin = st->title_clubs[j] == c->club;
    static const char *const names[] = {"neither", "club", "person", "both"};
    if ((rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TITLE, (uint64_t)(pin * 2 + cin), names[pin * 2 + cin])))
        return rc;
    for (int s = 1; pin && cin && s < RADAR_STAGE_COUNT; s++)
        if ((st->title_stages & (1u << s)) &&
            (rc = emit_parts(st, RADAR_DECIDE_PAIR, T_TITLE_STAGE, (uint64_t)s, radar_stage_name((radar_stage)s))))
            return rc;
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
        grow_array((void **)&st->pclubs, &st->cap_pclubs, st->n_persons + 1, sizeof *st->pclubs) ||
        grow_array((void **)&st->pkeys, &st->cap_pkeys, 2 * st->n_persons + 2, sizeof *st->pkeys))
        return RADAR_ENOMEM;
    memset(st->pmentions, 0, (st->n_persons + 1) * sizeof *st->pmentions);
    memset(st->pclubs, 0, (st->n_persons + 1) * sizeof *st->pclubs);
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
        /* the pairs that share a sentence, counted once here rather than per candidate */
        if (c->c1 == c->c0)
            continue;
        st->pclubs[c->person]++;
        if (c->aclub != UINT32_MAX)
            st->aclubs[c->aclub].persons++;
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
    size_t clubs_of_person = st->pclubs[c->person], persons_of_club = ac ? ac->persons : 0;
    long n = (long)(c->c1 - c->c0);
    if ((rc = emit_int(st, RADAR_DECIDE_PAIR, T_NCOOC, n > 3 ? 3 : n)) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_NCLUBS_P, count_bucket((long)clubs_of_person))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_NPERS_C, count_bucket((long)persons_of_club))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_CLUBCOUNT, count_bucket(ac ? (long)ac->mentions : 0))) ||
        (rc = emit_int(st, RADAR_DECIDE_PAIR, T_PERSCOUNT, count_bucket((long)st->pmentions[c->person]))))
        return rc;
    if (ac && (rc = emit_int(st, RADAR_DECIDE_PAIR, T_CLUB_FIRST, sent_bucket((long)ac->first_sent))))
        return rc;
    if ((rc = title_features(st, c)))
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

/* The stage features of sentence s for candidate c; with c NULL, of a
 * sentence of a short item that names neither of the pair ("Here we go!" on a
 * line of its own, "medical booked" in the post's last line): its triggers'
 * stages and phrases and its cues, apart from the pair's sentences', and no
 * move the text places in the past. */
static int stage_sentence(extract_state *st, const cand *c, uint32_t s)
{
    const radar_tokens *t = st->tok;
    size_t ia = st->sent_item[s];
    size_t ib = s + 1 < st->n_sent ? st->sent_item[s + 1] : st->n_items;
    uint32_t anchor = UINT32_MAX;
    for (size_t i = ia; c && i < ib; i++)
        if (st->items[i].type == IT_CLUB && st->items[i].entry == c->club) {
            anchor = st->items[i].t0;
            break;
        }
    int rc;
    char nm[64] = "";
    for (size_t i = ia; i < ib; i++) {
        const item *it = &st->items[i];
        if (it->type == IT_TRIGGER && it->entry != LEX_NONE && !c && !(it->flags & IF_PAST_MOVE)) {
            const lex_entry *e = &st->lex->entries[it->entry];
            NAMEF("%s", radar_stage_name((radar_stage)e->stage));
            if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_ITEM_TRIG, (uint64_t)e->stage, nm)) ||
                (rc = emit_phrase(st, RADAR_DECIDE_STAGE, S_ITEM_TRIGW, it, 0, NULL)))
                return rc;
        } else if (it->type == IT_TRIGGER && it->entry != LEX_NONE && c) {
            const lex_entry *e = &st->lex->entries[it->entry];
            uint32_t d = anchor == UINT32_MAX ? 99 : it->t0 > anchor ? it->t0 - anchor : anchor - it->t0;
            int near = d <= 8 ? 0 : d <= 20 ? 1 : 2;
            NAMEF("%s/%s", radar_stage_name((radar_stage)e->stage),
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
                (rc = emit_parts(st, RADAR_DECIDE_STAGE, c ? S_CUE : S_ITEM_CUE, (uint64_t)e->cue, cue_names[e->cue])))
                return rc;
        }
        if (c && it->type == IT_MONEY && it->money >= 0) {
            radar_fee_kind k = st->moneys[it->money].m.kind;
            if ((rc = emit_parts(st, RADAR_DECIDE_STAGE, S_MONEY, (uint64_t)k, radar_fee_kind_name(k))))
                return rc;
        }
    }
    return 0;
}

int radar_decide_stage_features(extract_state *st, cand *c)
{
    int rc;
    new_key_list(st);
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
    for (uint32_t s = 0; !st->domain && s < st->n_sent; s++)
        if (!sentence_in(seen, ns, s) && (rc = stage_sentence(st, NULL, s)))
            return rc;
    c->s1 = (uint32_t)st->n_fkeys;
    return 0;
}

int radar_decide_features(extract_state *st, int stages)
{
    st->n_fkeys = 0;
    int rc;
    st->article_year = st->article && st->article->date ? atoi(st->article->date) : 0;
    if (grow_array((void **)&st->sent_years, &st->cap_sent_years, st->n_sent + 1, sizeof *st->sent_years))
        return RADAR_ENOMEM;
    memset(st->sent_years, 0xFF, (st->n_sent + 1) * sizeof *st->sent_years); /* YEARS_UNKNOWN */
    if ((rc = collect_cooc(st)) || (rc = build_cands(st)) || (rc = scan_title(st)) ||
        (rc = radar_decide_mark_lists(st)))
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
        if (stages && (rc = radar_decide_stage_features(st, c)))
            return rc;
    }
    return 0;
}
