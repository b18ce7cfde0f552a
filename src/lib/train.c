/*
 * train.c - fitting the learned decisions from annotated articles.
 *
 * Each annotated article is run through the rule passes alone; every
 * candidate pair (decide.c) is labelled from the annotation: buyer when the
 * annotation has that player and destination, seller when it names that club
 * as his current one, none otherwise (a move annotated as mentioned in
 * passing is left unlabelled). Players are matched by last name, clubs
 * through the lexicon. The fit is multinomial logistic regression with an L2
 * penalty, by AdaGrad over the examples in an order drawn from the seed: the
 * same corpus, options and seed give the same model, byte for byte.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "radar/model.h"
#include "extract_internal.h"
#include "model_internal.h"

typedef struct example {
    size_t k0, k1; /* keys in trainer->keys */
    int label;     /* -1: scored for the second pass, not learnt from */
    int group;     /* cross-validation fold, -1 */
    int inner;     /* fold of the cross-fitting that feeds the second pass */
    size_t r0, r1; /* pair examples: relations in trainer->rels (other = example index) */
    int no_trigger; /* pair examples: radar_decide_no_trigger */
    int domain;     /* 0: a short item, 1: a full article */
} example;

typedef struct name_slot {
    uint64_t key;
    char *name;
} name_slot;

struct radar_trainer {
    const radar_lexicon *lex;
    radar_extractor *ex;
    uint64_t *keys;
    size_t n_keys, cap_keys;
    example *ex_v[RADAR_DECIDE_COUNT];
    size_t ex_n[RADAR_DECIDE_COUNT], ex_cap[RADAR_DECIDE_COUNT];
    name_slot *names;
    size_t name_slots, name_used;
    cand_rel *rels;
    size_t n_rels, cap_rels;
    radar_train_stats stats;
    int failed; /* out of memory inside the namer */
};

/* ---- feature names --------------------------------------------------------- */

static int names_grow(radar_trainer *t)
{
    size_t ns = t->name_slots ? t->name_slots * 2 : 4096;
    name_slot *n = calloc(ns, sizeof *n);
    if (!n)
        return RADAR_ENOMEM;
    for (size_t i = 0; i < t->name_slots; i++) {
        if (!t->names[i].key)
            continue;
        size_t j = (size_t)t->names[i].key & (ns - 1);
        while (n[j].key)
            j = (j + 1) & (ns - 1);
        n[j] = t->names[i];
    }
    free(t->names);
    t->names = n;
    t->name_slots = ns;
    return 0;
}

static void namer(void *ctx, int decision, uint64_t key, const char *name)
{
    (void)decision;
    radar_trainer *t = ctx;
    if ((t->name_used + 1) * 2 > t->name_slots && names_grow(t)) {
        t->failed = 1;
        return;
    }
    size_t j = (size_t)key & (t->name_slots - 1);
    while (t->names[j].key && t->names[j].key != key)
        j = (j + 1) & (t->name_slots - 1);
    if (t->names[j].key)
        return;
    if (!(t->names[j].name = strdup(name))) {
        t->failed = 1;
        return;
    }
    t->names[j].key = key;
    t->name_used++;
}

static const char *name_of(const radar_trainer *t, uint64_t key);

static const char *name_lookup(void *ctx, uint64_t key)
{
    return name_of(ctx, key);
}

static const char *name_of(const radar_trainer *t, uint64_t key)
{
    if (!t->name_slots)
        return NULL;
    size_t j = (size_t)key & (t->name_slots - 1);
    while (t->names[j].key && t->names[j].key != key)
        j = (j + 1) & (t->name_slots - 1);
    return t->names[j].key ? t->names[j].name : NULL;
}

/* ---- set up ------------------------------------------------------------------- */

int radar_trainer_new(radar_trainer **out, const radar_lexicon *lex)
{
    radar_trainer *t = calloc(1, sizeof *t);
    if (!t)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    t->lex = lex;
    int rc = radar_extractor_new(&t->ex, lex);
    if (rc) {
        free(t);
        return rc;
    }
    radar_extractor_set_model(t->ex, NULL);
    *out = t;
    return 0;
}

void radar_trainer_free(radar_trainer *t)
{
    if (!t)
        return;
    radar_extractor_free(t->ex);
    free(t->keys);
    free(t->rels);
    for (int d = 0; d < RADAR_DECIDE_COUNT; d++)
        free(t->ex_v[d]);
    for (size_t i = 0; i < t->name_slots; i++)
        free(t->names[i].name);
    free(t->names);
    free(t);
}

void radar_trainer_stats(const radar_trainer *t, radar_train_stats *out)
{
    *out = t->stats;
}

/* ---- labels ---------------------------------------------------------------------- */

/* The last word of a name, folded: "Alexander-Arnold" and "Trent Alexander-Arnold"
 * both give "arnold", as players are matched by last name. */
static uint64_t surname_key(const char *name)
{
    char f[512];
    size_t n = radar_fold(name, strlen(name), f, sizeof f);
    size_t end = n;
    while (end > 0 && !((f[end - 1] >= 'a' && f[end - 1] <= 'z') || (f[end - 1] >= '0' && f[end - 1] <= '9') ||
                        (unsigned char)f[end - 1] >= 0x80))
        end--;
    size_t start = end;
    while (start > 0 && ((f[start - 1] >= 'a' && f[start - 1] <= 'z') || (f[start - 1] >= '0' && f[start - 1] <= '9') ||
                         (unsigned char)f[start - 1] >= 0x80))
        start--;
    return end > start ? radar_hash_bytes(f + start, end - start) : 0;
}

/* A club name in any common form to its lexicon entry, or LEX_NONE. */
static uint32_t club_entry(radar_trainer *t, const char *name)
{
    if (!name || !*name)
        return LEX_NONE;
    radar_tokens tk = {0};
    uint32_t found = LEX_NONE;
    if (radar_tokenize(&tk, name, strlen(name)) == 0 && tk.n > 0) {
        size_t start = radar_tok_is(&tk, 0, "the") && tk.n > 1 ? 1 : 0;
        uint32_t head;
        size_t n = lex_match(t->lex, &tk, start, tk.n, 1u << RADAR_KIND_CLUB, &head);
        if (n && start + n >= tk.n) {
            int amb = 1;
            for (uint32_t a = head; a != LEX_NONE; a = t->lex->aliases[a].next) {
                const lex_alias *al = &t->lex->aliases[a];
                if (t->lex->entries[al->entry].kind != RADAR_KIND_CLUB)
                    continue;
                if (found == LEX_NONE || (amb && !al->ambiguous)) {
                    found = al->entry;
                    amb = al->ambiguous;
                }
            }
        }
    }
    radar_tokens_free(&tk);
    return found;
}

typedef struct gold_pair {
    uint64_t player;
    uint32_t to, from;
    int stage, optional, reached;
} gold_pair;

static int push_example(radar_trainer *t, int dec, const uint64_t *keys, size_t n, int label, int group, int inner,
                        int domain)
{
    if (grow_array((void **)&t->keys, &t->cap_keys, t->n_keys + n, sizeof *t->keys) ||
        grow_array((void **)&t->ex_v[dec], &t->ex_cap[dec], t->ex_n[dec] + 1, sizeof *t->ex_v[dec]))
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    if (n)
        memcpy(t->keys + t->n_keys, keys, n * sizeof *keys);
    example *e = &t->ex_v[dec][t->ex_n[dec]++];
    e->k0 = t->n_keys;
    e->k1 = t->n_keys + n;
    e->label = label;
    e->group = group;
    e->inner = inner;
    e->domain = domain;
    e->r0 = e->r1 = 0;
    t->n_keys += n;
    if (label >= 0)
        t->stats.examples[dec]++;
    return 0;
}

int radar_trainer_add(radar_trainer *t, const radar_article *a, const radar_gold_rumour *gold, size_t n_gold,
                      int group)
{
    const radar_doc *doc;
    int rc = radar_extract(t->ex, a, &doc);
    if (rc)
        return rc;
    extract_state *st = radar_extractor_state(t->ex);
    st->namer = namer;
    st->namer_ctx = t;
    st->name_of = name_lookup;
    rc = radar_decide_features(st, 1);
    st->namer = NULL;
    st->name_of = NULL;
    if (rc)
        return rc;
    if (t->failed)
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    gold_pair *g = calloc(n_gold + 1, sizeof *g);
    if (!g)
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    t->stats.articles++;
    for (size_t i = 0; i < n_gold; i++) {
        g[i].player = surname_key(gold[i].player ? gold[i].player : "");
        g[i].to = club_entry(t, gold[i].to_club);
        g[i].from = club_entry(t, gold[i].from_club);
        g[i].stage = gold[i].stage;
        g[i].optional = gold[i].optional;
        if (!g[i].optional) {
            t->stats.gold_pairs++;
            if (g[i].to == LEX_NONE)
                t->stats.gold_unknown_club++;
        }
    }
    size_t first_example = t->ex_n[RADAR_DECIDE_PAIR];
    const char *aid = a->id ? a->id : "";
    int inner = (int)((radar_hash_bytes(aid, strlen(aid)) >> 17) % RADAR_TRAIN_INNER_FOLDS);
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        const person *q = &st->persons[c->person];
        uint64_t pk = surname_key(q->name ? q->name : "");
        int label = PAIR_NONE, stage = -1;
        for (size_t k = 0; k < n_gold; k++) {
            if (g[k].player != pk)
                continue;
            if (g[k].to == c->club) {
                if (g[k].optional) {
                    label = -1;
                } else {
                    label = PAIR_BUYER;
                    g[k].reached = 1;
                    stage = g[k].stage > RADAR_STAGE_NONE ? g[k].stage - 1 : -1;
                }
                break;
            }
            if (g[k].from == c->club && label == PAIR_NONE)
                label = PAIR_SELLER;
        }
        t->stats.candidates++;
        if ((rc = push_example(t, RADAR_DECIDE_PAIR, st->fkeys + c->f0, c->f1 - c->f0, label, group, inner, st->domain)))
            break;
        if (label == PAIR_BUYER && stage >= 0 &&
            (rc = push_example(t, RADAR_DECIDE_STAGE, st->fkeys + c->s0, c->s1 - c->s0, stage, group, inner, st->domain)))
            break;
    }
    /* relations between this article's candidates, as example indices */
    if (!rc && !(rc = radar_decide_relations(st))) {
        example *ev = t->ex_v[RADAR_DECIDE_PAIR] + first_example;
        for (size_t i = 0; i < st->n_cands && !rc; i++) {
            const cand *c = &st->cands[i];
            ev[i].r0 = t->n_rels;
            for (uint32_t r = c->r0; r < c->r1; r++) {
                if (grow_array((void **)&t->rels, &t->cap_rels, t->n_rels + 1, sizeof *t->rels)) {
                    rc = radar_error_set(RADAR_ENOMEM, "out of memory while training");
                    break;
                }
                t->rels[t->n_rels].other = (uint32_t)(first_example + st->rels[r].other);
                t->rels[t->n_rels].kinds = st->rels[r].kinds;
                t->n_rels++;
            }
            ev[i].r1 = t->n_rels;
            ev[i].no_trigger = radar_decide_no_trigger(st, c);
        }
    }
    for (size_t k = 0; k < n_gold; k++)
        if (!g[k].optional && !g[k].reached && g[k].to != LEX_NONE)
            t->stats.gold_unreachable++;
    free(g);
    return rc;
}

/* ---- fitting ---------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* xorshift64*: the examples' order in each pass, the same on every machine. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* One decision's fit: the examples used (in `order`), the features kept
 * (sorted keys in `all`), each example's features as indices into the
 * weights (idx[ex0[e] .. ex0[e + 1])), and the weights: `width` per feature,
 * k for every article then k per kind of article. */
typedef struct fit {
    const example *ev;
    const size_t *order;
    size_t used;
    uint64_t *all;
    size_t nf, width;
    int k;
    float *wt;
    double *g2, *avg;
    int32_t *idx;
    size_t *ex0;
} fit;

/* The keys seen in at least min_count of the examples `use[0..used)` (keys
 * are unique per example), sorted, into f->all (room for `total`); their
 * number into f->nf. The examples' order into `order`. */
static void kept_features(fit *f, const uint64_t *keys, const size_t *use, size_t total, long min_count,
                          size_t *order)
{
    uint64_t *all = f->all;
    size_t w = 0;
    for (size_t u = 0; u < f->used; u++) {
        size_t i = use[u];
        order[u] = i;
        for (size_t j = f->ev[i].k0; j < f->ev[i].k1; j++)
            all[w++] = keys[j];
    }
    qsort(all, total, sizeof *all, cmp_u64);
    size_t nf = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j < total && all[j] == all[i])
            j++;
        if ((long)(j - i) >= min_count)
            all[nf++] = all[i];
        i = j;
    }
    f->nf = nf;
}

/* Each example's features as indices into the weights (absent: dropped). */
static void index_features(fit *f, const uint64_t *keys)
{
    size_t w = 0;
    for (size_t e = 0; e < f->used; e++) {
        const example *x = &f->ev[f->order[e]];
        f->ex0[e] = w;
        for (size_t j = x->k0; j < x->k1; j++) {
            uint64_t key = keys[j];
            size_t lo = 0, hi = f->nf;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (f->all[mid] < key)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < f->nf && f->all[lo] == key)
                f->idx[w++] = (int32_t)lo;
        }
    }
    f->ex0[f->used] = w;
}

/* One AdaGrad step on example e: the softmax's gradient, with the L2 penalty. */
static void fit_example(fit *f, const radar_train_options *o, size_t e)
{
    float *wt = f->wt;
    double *g2 = f->g2;
    const int32_t *idx = f->idx;
    size_t width = f->width;
    int k = f->k;
    double s[RADAR_MODEL_MAX_CLASSES];
    int y = f->ev[f->order[e]].label;
    size_t off = (size_t)k * (size_t)(1 + f->ev[f->order[e]].domain);
    for (int c = 0; c < k; c++)
        s[c] = 0;
    for (size_t j = f->ex0[e]; j < f->ex0[e + 1]; j++)
        for (int c = 0; c < k; c++)
            s[c] += wt[(size_t)idx[j] * width + (size_t)c] + wt[(size_t)idx[j] * width + off + (size_t)c];
    double mx = s[0], z = 0;
    for (int c = 1; c < k; c++)
        mx = s[c] > mx ? s[c] : mx;
    for (int c = 0; c < k; c++)
        z += (s[c] = exp(s[c] - mx));
    for (int c = 0; c < k; c++)
        s[c] = s[c] / z - (c == y);
    for (size_t j = f->ex0[e]; j < f->ex0[e + 1]; j++)
        for (int c = 0; c < k; c++)
            for (int part = 0; part < 2; part++) {
                /* the weight for every article, and the one for this kind */
                size_t p = (size_t)idx[j] * width + (part ? off : 0) + (size_t)c;
                double gr = s[c] + o->l2 * wt[p];
                g2[p] += gr * gr;
                wt[p] -= (float)(o->rate * gr / (sqrt(g2[p]) + 1e-8));
            }
}

/* The passes over the examples, each in an order drawn from the seed; the
 * weights end as their mean after each pass. */
static int fit_passes(fit *f, const radar_train_options *o)
{
    size_t used = f->used;
    size_t *perm = malloc(used * sizeof *perm);
    if (!perm)
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    for (size_t e = 0; e < used; e++)
        perm[e] = e;
    uint64_t seed = 0x9E3779B97F4A7C15ull ^ ((uint64_t)o->seed * 0xBF58476D1CE4E5B9ull);
    if (!seed)
        seed = 1;
    for (int epoch = 0; epoch < o->epochs; epoch++) {
        for (size_t e = used; e > 1; e--) {
            size_t r = (size_t)(next_rand(&seed) % e);
            size_t tmp = perm[e - 1];
            perm[e - 1] = perm[r];
            perm[r] = tmp;
        }
        for (size_t q = 0; q < used; q++)
            fit_example(f, o, perm[q]);
        /* the model is the mean of the weights after each pass: steadier than the last pass alone */
        for (size_t p = 0; p < f->nf * f->width; p++)
            f->avg[p] += f->wt[p];
    }
    free(perm);
    for (size_t p = 0; p < f->nf * f->width; p++)
        f->wt[p] = (float)(f->avg[p] / o->epochs);
    return 0;
}

/* The fitted weights as decision `dec` of m, with the features' names. */
static int fit_to_model(radar_trainer *t, const fit *f, int dec, radar_model *m)
{
    size_t width = f->width;
    int rc;
    if ((rc = radar_model_table_new(m, (radar_decision)dec, f->k, f->nf)))
        return rc;
    for (size_t i = 0; i < f->nf; i++) {
        /* a row whose weights all round to nothing changes no decision: left out of the model */
        int zero = 1;
        for (size_t c = 0; c < width; c++)
            zero &= fabsf(f->wt[i * width + c]) < 1e-3f;
        if (zero)
            continue;
        float *row = radar_model_row(&m->d[dec], f->all[i], 1);
        if (!row)
            return radar_error_set(RADAR_ENOMEM, "out of memory while training");
        memcpy(row, f->wt + i * width, width * sizeof *row);
        const char *nm = name_of(t, f->all[i]);
        if (nm && radar_model_set_name(m, (radar_decision)dec, f->all[i], nm))
            return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    }
    return 0;
}

/* Fit decision `dec` (k classes) into m from the examples `use[0..used)` of
 * `ev`, whose keys are in `keys`. */
static int fit_decision(radar_trainer *t, const radar_train_options *o, const example *ev, const uint64_t *keys,
                        const size_t *use, size_t used, int dec, int k, radar_model *m)
{
    size_t total = 0;
    for (size_t i = 0; i < used; i++)
        total += ev[use[i]].k1 - ev[use[i]].k0;
    if (!used)
        return 0;
    fit f = {.ev = ev, .used = used, .k = k, .width = (size_t)k * (1 + MODEL_DOMAINS)};
    f.all = malloc((total + 1) * sizeof *f.all);
    size_t *order = malloc(used * sizeof *order);
    if (!f.all || !order) {
        free(f.all);
        free(order);
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    }
    f.order = order;
    kept_features(&f, keys, use, total, o->min_count, order);
    size_t n = f.nf * f.width + 1;
    f.wt = calloc(n, sizeof *f.wt);
    f.g2 = calloc(n, sizeof *f.g2);
    f.avg = calloc(n, sizeof *f.avg);
    f.idx = malloc((total + 1) * sizeof *f.idx);
    f.ex0 = malloc((used + 1) * sizeof *f.ex0);
    int rc = 0;
    if (!f.wt || !f.g2 || !f.avg || !f.idx || !f.ex0)
        rc = radar_error_set(RADAR_ENOMEM, "out of memory while training");
    if (!rc) {
        index_features(&f, keys);
        rc = fit_passes(&f, o);
    }
    if (!rc)
        rc = fit_to_model(t, &f, dec, m);
    free(f.all);
    free(order);
    free(f.wt);
    free(f.g2);
    free(f.avg);
    free(f.idx);
    free(f.ex0);
    return rc;
}

/* The examples of decision `dec` in training: labelled, not in fold `skip`,
 * and (inner >= 0) not in inner fold `inner`. */
static size_t select_examples(const radar_trainer *t, int dec, int skip, int inner, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ex_n[dec]; i++) {
        const example *e = &t->ex_v[dec][i];
        if (e->label < 0 || (skip >= 0 && e->group == skip) || (inner >= 0 && e->inner == inner))
            continue;
        out[n++] = i;
    }
    return n;
}

/* The second pass learns from first-pass probabilities that the first pass
 * did not see the answers of: each training article is scored by a
 * first-pass model fitted on the other inner folds (cross-fitting). */
static int fit_context(radar_trainer *t, const radar_train_options *o, int skip, size_t *use, radar_model *m)
{
    const example *ev = t->ex_v[RADAR_DECIDE_PAIR];
    size_t n = t->ex_n[RADAR_DECIDE_PAIR];
    float *probs = calloc(3 * n + 1, sizeof *probs);
    if (!probs)
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    int rc = 0;
    for (int j = 0; j < RADAR_TRAIN_INNER_FOLDS && !rc; j++) {
        radar_model *mj = radar_model_new();
        if (!mj) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory while training");
            break;
        }
        size_t used = select_examples(t, RADAR_DECIDE_PAIR, skip, j, use);
        rc = fit_decision(t, o, ev, t->keys, use, used, RADAR_DECIDE_PAIR, PAIR_CLASSES, mj);
        for (size_t i = 0; i < n && !rc; i++)
            if (ev[i].inner == j && (skip < 0 || ev[i].group != skip))
                radar_model_scores(mj, RADAR_DECIDE_PAIR, t->keys + ev[i].k0, ev[i].k1 - ev[i].k0, ev[i].domain,
                             probs + 3 * i);
        radar_model_free(mj);
    }
    /* the second pass's examples: own keys and the context keys */
    uint64_t *keys = NULL;
    example *cx = NULL;
    size_t nk = 0, cap = 0;
    if (!rc && !(cx = calloc(n + 1, sizeof *cx)))
        rc = radar_error_set(RADAR_ENOMEM, "out of memory while training");
    for (size_t i = 0; i < n && !rc; i++) {
        const example *e = &ev[i];
        cx[i] = *e;
        if (e->label < 0 || (skip >= 0 && e->group == skip))
            continue;
        size_t own = e->k1 - e->k0;
        if (grow_array((void **)&keys, &cap, nk + own + STACK_MAX_KEYS, sizeof *keys)) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory while training");
            break;
        }
        memcpy(keys + nk, t->keys + e->k0, own * sizeof *keys);
        size_t extra = radar_decide_stack_keys(probs + 3 * i, e->no_trigger, t->rels + e->r0, e->r1 - e->r0,
                                               probs, keys + nk + own, namer, t);
        cx[i].k0 = nk;
        cx[i].k1 = nk + own + extra;
        nk = cx[i].k1;
    }
    if (!rc) {
        size_t used = select_examples(t, RADAR_DECIDE_PAIR, skip, -1, use);
        rc = fit_decision(t, o, cx, keys, use, used, RADAR_DECIDE_CONTEXT, PAIR_CLASSES, m);
    }
    free(keys);
    free(cx);
    free(probs);
    return rc;
}

int radar_trainer_fit(radar_trainer *t, const radar_train_options *o, int skip, radar_model **out)
{
    radar_model *m = radar_model_new();
    size_t most = t->ex_n[RADAR_DECIDE_PAIR] > t->ex_n[RADAR_DECIDE_STAGE] ? t->ex_n[RADAR_DECIDE_PAIR]
                                                                               : t->ex_n[RADAR_DECIDE_STAGE];
    size_t *use = malloc((most + 1) * sizeof *use);
    if (!m || !use) {
        radar_model_free(m);
        free(use);
        return radar_error_set(RADAR_ENOMEM, "out of memory while training");
    }
    size_t used = select_examples(t, RADAR_DECIDE_PAIR, skip, -1, use);
    int rc = fit_decision(t, o, t->ex_v[RADAR_DECIDE_PAIR], t->keys, use, used, RADAR_DECIDE_PAIR, PAIR_CLASSES, m);
    if (!rc && o->context)
        rc = fit_context(t, o, skip, use, m);
    if (!rc) {
        used = select_examples(t, RADAR_DECIDE_STAGE, skip, -1, use);
        rc = fit_decision(t, o, t->ex_v[RADAR_DECIDE_STAGE], t->keys, use, used, RADAR_DECIDE_STAGE, STAGE_CLASSES,
                          m);
    }
    free(use);
    if (rc) {
        radar_model_free(m);
        return rc;
    }
    m->threshold[0] = (float)o->threshold_short;
    m->threshold[1] = (float)o->threshold_long;
    m->threshold_rule[0] = (float)o->rule_short;
    m->threshold_rule[1] = (float)o->rule_long;
    m->stage_margin = (float)o->stage_margin;
    *out = m;
    return 0;
}
