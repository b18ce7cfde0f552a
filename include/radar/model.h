/*
 * model.h - the extractor's learned decisions: weights, and how they are fitted.
 *
 * The extraction passes propose; a model chooses. For each (person, club) pair
 * that an article puts within reach of each other, a linear model over sparse
 * features (what the passes computed: lexicon classes, triggers and their
 * direction, the words between, flags, distances, what the article says of the
 * person elsewhere) says whether the club is the buyer, the seller or neither;
 * a second pass decides again knowing what the first said of the other pairs
 * (the clubs listed with this one, the other clubs of the same player), and a
 * third model gives the stage of each rumour kept. Features are hashed keys,
 * so prediction is a dot product over a few dozen table look-ups.
 *
 * A model is a text file, one weight row per line, `KEY W1 W2 ... # name`
 * under a `decision NAME CLASS...` header (docs/model.md). The built-in model
 * (data/model/extract.model at build time) is compiled into the binary.
 * Training (radar_trainer) is deterministic for a given corpus, options and seed.
 */
#ifndef RADAR_MODEL_H
#define RADAR_MODEL_H

#include <stddef.h>

#include "radar/article.h"
#include "radar/buf.h"
#include "radar/extract.h"
#include "radar/lexicon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_model radar_model;

/* The decisions a model holds. */
typedef enum radar_decision {
    RADAR_DECIDE_PAIR = 0, /* (person, club): none, buyer, seller */
    RADAR_DECIDE_STAGE,    /* a kept rumour's stage: interest .. denied */
    RADAR_DECIDE_CONTEXT,  /* the pair again, knowing what the first pass said of the others */
    RADAR_DECIDE_COUNT
} radar_decision;

/* The built-in model, shared and read-only (never free it); NULL when the
 * build carries none, in which case extraction uses the rules alone. */
const radar_model *radar_model_builtin(void);

/* Parse a model from text; `name` is used in error messages (file:line).
 * Caller frees with radar_model_free. */
int radar_model_parse(radar_model **out, const char *name, const char *text, size_t len);

/* Read a model file. Caller frees with radar_model_free. */
int radar_model_load(radar_model **out, const char *path);

/* Write a model as text (the format radar_model_parse reads). */
int radar_model_write(const radar_model *m, radar_buf *out);

/* Number of weight rows of a decision (0 when the model lacks it). */
size_t radar_model_rows(const radar_model *m, radar_decision d);

void radar_model_free(radar_model *m);

/* Which model an extractor uses: `m` is borrowed and must outlive it; NULL
 * means the rules alone (what the passes propose is what it reports). A new
 * extractor uses radar_model_builtin(). */
void radar_extractor_set_model(radar_extractor *ex, const radar_model *m);

/* ---- training ---------------------------------------------------------- */

/* One annotated rumour of an article: names as written, clubs in any common
 * form (resolved through the lexicon). `optional` marks a move mentioned in
 * passing: reporting it or not is neither right nor wrong. */
typedef struct radar_gold_rumour {
    const char *player;
    const char *to_club;
    const char *from_club; /* NULL when the article does not say */
    radar_stage stage;     /* RADAR_STAGE_NONE when not annotated */
    int optional;
} radar_gold_rumour;

typedef struct radar_trainer radar_trainer;

typedef struct radar_train_options {
    int epochs;      /* passes over the examples */
    double l2;       /* L2 penalty per example */
    double rate;     /* AdaGrad step */
    unsigned seed;   /* order of the examples in each pass */
    int min_count;   /* features seen in fewer training examples are dropped */
    int context;     /* also fit the second pass (RADAR_DECIDE_CONTEXT) */
    double threshold_short, threshold_long; /* buyer probability that keeps a pair; 0: likeliest class */
    double rule_short, rule_long;           /* the same for a pair a rule proposed */
    double stage_margin; /* a rule's stage stands unless the model is this much surer of another */
} radar_train_options;

/* The defaults, chosen by 5-fold cross-validation on the project's training corpus (docs/model.md). */
#define RADAR_TRAIN_OPTIONS_INIT {30, 1e-4, 0.02, 1, 4, 1, 0.45, 0.25, 0.3, 0.2, 0.3}

/* A trainer over `lex` (borrowed). Caller frees with radar_trainer_free. */
int radar_trainer_new(radar_trainer **out, const radar_lexicon *lex);
void radar_trainer_free(radar_trainer *t);

/* Add one annotated article. The trainer copies what it keeps. `group` tags
 * the article for cross-validation (radar_trainer_fit's `skip`) and reports:
 * use the fold number, or -1. Returns 0 or an error (bad club name is not one:
 * a gold club the lexicon does not know is counted as unreachable). */
int radar_trainer_add(radar_trainer *t, const radar_article *a, const radar_gold_rumour *gold, size_t n_gold,
                      int group);

/* Fit a model on every article whose group is not `skip` (-1: all).
 * Caller frees *out with radar_model_free. */
int radar_trainer_fit(radar_trainer *t, const radar_train_options *o, int skip, radar_model **out);

/* What the trainer saw: articles, candidate pairs and how many gold pairs no
 * candidate reached (recall the model cannot recover). */
typedef struct radar_train_stats {
    size_t articles, candidates, gold_pairs, gold_unreachable, gold_unknown_club;
    size_t examples[RADAR_DECIDE_COUNT];
} radar_train_stats;
void radar_trainer_stats(const radar_trainer *t, radar_train_stats *out);

#ifdef __cplusplus
}
#endif
#endif
