/*
 * model_internal.h - weight tables and the feature keys the passes emit.
 *
 * A feature is a template (what kind of evidence) and a value (a word's hash,
 * a small number): its key is a mix of the two, never 0. The trainer can ask
 * for each key's readable name ("between=from"); at run time nothing is
 * formatted and nothing is allocated per feature.
 */
#ifndef RADAR_MODEL_INTERNAL_H
#define RADAR_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "radar/model.h"

#define RADAR_MODEL_MAX_CLASSES 16

/* Classes of the pair decision. */
enum { PAIR_NONE = 0, PAIR_BUYER, PAIR_SELLER, PAIR_CLASSES };
/* The stage decision's classes are radar_stage - 1 (interest .. denied). */
#define STAGE_CLASSES (RADAR_STAGE_COUNT - 1)

/* A decision's table. Each row holds 3k weights: k that hold for every
 * article, then k added for short items and k for full articles (the two
 * kinds say things differently; what holds for both is learnt from all). */
#define MODEL_DOMAINS 2
typedef struct decision_table {
    uint64_t *keys; /* 0: empty slot */
    float *w;       /* slots * width */
    char **names;   /* optional, per slot */
    size_t slots, rows;
    int k;     /* classes */
    int width; /* weights per row: k * (1 + MODEL_DOMAINS) */
} decision_table;

/* A loaded model's decisions as the scorer reads them: a slot holds the key
 * and, per kind of article, the k weights of a decision already summed (the
 * weight for all articles + the kind's: the float sum the scorer made per key
 * before), so that a hit reads one cache line and adds k numbers. The pair
 * and context decisions look up the same keys: their joint table holds both
 * decisions' sums of a key side by side, so that one probe serves both passes. */
typedef struct summed_table {
    unsigned char *mem; /* slots * stride bytes: the key (0: empty slot), then the sums */
    size_t stride;      /* bytes per slot, a multiple of 64 */
    size_t slots, rows;
    int k, kc;          /* the first decision's classes, the second's (0: none) */
} summed_table;

/* tools/model_compile.c writes every field of a parsed model as C: a field
 * added here is to be written there too. */
struct radar_model {
    decision_table d[RADAR_DECIDE_COUNT];
    /* pair and context, built when a model is parsed (a trained one has none: its rows still change) */
    summed_table joint;
    /* the buyer probability that keeps a pair, for short items and full
     * articles; 0: the likeliest class wins */
    float threshold[2];
    float threshold_rule[2]; /* the same for a pair a rule proposed; 0: as threshold */
    float stage_margin;      /* how much surer of another stage than of the rule's the model must be */
};

/* The built-in model as tools/model_compile.c wrote it at build time:
 * static tables, never freed (model_builtin.c). */
extern const radar_model radar_compiled_model;

radar_model *radar_model_new(void);
int radar_model_table_new(radar_model *m, radar_decision dec, int k, size_t rows_hint);
/* The weight row of `key`, created (zeroed) when `create`; NULL if absent. */
float *radar_model_row(decision_table *d, uint64_t key, int create);
const float *radar_model_row_get(const decision_table *d, uint64_t key);
/* Remember a row's readable name (training only). */
int radar_model_set_name(radar_model *m, radar_decision dec, uint64_t key, const char *name);
/* Softmax of the summed rows of `keys` into out[0..k), for an article of
 * kind `domain` (0 short, 1 full). */
void radar_model_scores(const radar_model *m, radar_decision dec, const uint64_t *keys, size_t n, int domain,
                        float *out);
int radar_model_has(const radar_model *m, radar_decision dec);
/* First pass: softmax of the pair rows of `keys` into out; the same keys'
 * context weights summed into ctx[0..k) for the second pass (one probe each). */
void radar_model_scores_first(const radar_model *m, const uint64_t *keys, size_t n, int domain, float *ctx, float *out);
/* Second pass: ctx (from the first) plus the rows of the `extra` keys in the
 * context table (read from the joint table, which a parsed model has). */
void radar_model_scores_second(const radar_model *m, const float *ctx, const uint64_t *extra, size_t n_extra,
                               int domain, float *out);

/* A row's readable name when the model kept it (RADAR_DEBUG), else NULL. */
const char *radar_model_name(const radar_model *m, radar_decision dec, uint64_t key);

/* The key of template `tmpl` with value `v`. */
static inline uint64_t feature_key(unsigned tmpl, uint64_t v)
{
    uint64_t h = ((uint64_t)tmpl + 1) * 0x9E3779B97F4A7C15ull ^ v;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 32;
    return h ? h : 1;
}

#endif
