/*
 * score.h - how far a source can be trusted and how likely a rumour is.
 *
 * Pure functions of the numbers given: the store gathers a story's evidence
 * and a source's record, these turn them into probabilities with every
 * factor's contribution kept, so that a score can be checked line by line.
 * The same input always gives the same output.
 */
#ifndef RADAR_SCORE_H
#define RADAR_SCORE_H

#include <stddef.h>

struct radar_buf;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- source reliability ---- */

/* A source's record: a Beta prior from its lexicon tier (1 official .. 5
 * unreliable, 0 unknown), updated with the rumours of it that resolved. */
typedef struct radar_reliability {
    double prior_a, prior_b; /* the tier's prior, as pseudo-counts */
    int resolved, hits;      /* stories of this source that resolved, and came true */
    double mean;             /* posterior mean hit rate */
    double lo, hi;           /* 90% credible interval */
} radar_reliability;

void radar_reliability_compute(int tier, int resolved, int hits, radar_reliability *out);

/* The prior hit rate of a tier alone (what a source with no resolved rumour
 * has); cheaper than radar_reliability_compute, which also finds the interval. */
double radar_reliability_prior(int tier);

/* The q-quantile (0 < q < 1) of a Beta(a, b) distribution, a, b > 0. */
double radar_beta_quantile(double a, double b, double q);

/* ---- story likelihood ---- */

/* What is known of one story (its open episode) at the scoring date. */
typedef struct radar_story_evidence {
    int stage;            /* furthest radar_stage reached, interest .. signed */
    int latest_stage;     /* the latest mention's radar_stage */
    int mentions;         /* reports in the open episode */
    int independent;      /* independent origins among them */
    double source_rel;    /* mean reliability of the origin sources, 0..1; < 0 unknown */
    int denials;          /* denials of the move in its articles */
    int days_since_last;  /* days from the latest report to the scoring date */
    int rivals;           /* other open stories for the same player, recent */
    int stance;           /* selling club: -1 reluctant to sell, +1 open to selling, 0 not said */
    int resurfaced_stale; /* reported again after a long silence, with nothing new */
    int reopened;         /* an earlier episode of this story failed */
    int moved_elsewhere;  /* the player was reported signed by another club since */
    int window_closed;    /* its transfer window closed with no move reported */
    /* the buying club's record: its other stories settled by the scoring
     * date (signed, or failed on evidence: not a window closing in silence),
     * and how many of them it signed */
    int club_settled, club_signed;
    double fee_eur;          /* the largest fee reported in the episode, in euros; 0 none */
    double club_paid_eur;    /* the largest fee the buying club paid in a move done by the scoring date; 0 none known */
    int contract_months;     /* months left on the player's contract, as the articles put it; -1 not said */
    double first_source_rel; /* the hit rate of the episode's first origin; < 0 unknown */
    int bid_days;            /* days from the episode's first report to its first bid or later stage; -1 none */
    int suitors;             /* other clubs the episode's reports name as after the player too */
    /* the wording of the episode's latest report (its sentences about the
     * move): phrases of a move well on its way ("advanced talks", "agreed",
     * "here we go") and hedges ("could", "considering", "monitoring"), and
     * the first of each met, for the explanation */
    int firm, hedges;
    char firm_word[24], hedge_word[24];
    char club[48];           /* the buying club and the first origin, for the explanation ("" unknown) */
    char first_source[48];
} radar_story_evidence;
#define RADAR_STORY_EVIDENCE_INIT {.source_rel = -1.0, .contract_months = -1, .first_source_rel = -1.0, .bid_days = -1}

/* One factor of a likelihood: its name, what was seen, and what it adds to
 * the log-odds: the feature's value times the model's weight (has_weight;
 * the calibration's line and a settled story's have none). */
typedef struct radar_factor {
    const char *name;   /* static string: "base", "stage", "sources", ... */
    char detail[112];   /* what was seen, for a person */
    double contribution;
    int has_weight;
    double value, weight;
} radar_factor;

#define RADAR_MAX_FACTORS 26

typedef struct radar_likelihood {
    double p;     /* probability the move happens */
    double logit; /* sum of the contributions (the calibrated log-odds of p) */
    size_t n;
    radar_factor factors[RADAR_MAX_FACTORS];
} radar_likelihood;

/* ---- the likelihood model ---- */

/* A likelihood model: one weight per feature of the evidence (the features
 * are fixed, in score.c and docs/scoring.md; the weights are the model's),
 * and a monotone calibration of the summed log-odds. Read from and written
 * to a text file (docs/scoring.md, "The model file"). */
typedef struct radar_likelihood_model radar_likelihood_model;

/* The features a model weighs, in file order. A feature's value is a
 * number read off the evidence (0 when it does not apply); `factor` names
 * the explanation line it adds to (the stage's one-hot features share
 * "stage"). */
typedef struct radar_feature_info {
    const char *name;   /* "stage.bid", "club", ... */
    const char *factor; /* "stage", "club", ... */
    const char *meaning;
} radar_feature_info;
size_t radar_feature_count(void);
const radar_feature_info *radar_feature_get(size_t i);
/* The index of a feature by name, or -1. */
int radar_feature_find(const char *name);
/* The values of every feature for the evidence, into x[radar_feature_count()]. */
void radar_features_compute(const radar_story_evidence *e, double *x);

/* The model used when none is set: the weights fitted on the shipped
 * labelled threads (data/model/likelihood.model, compiled in). Shared and
 * read-only: never free it. Falls back to the hand-set weights should the
 * compiled-in text not parse (a test makes sure it does). */
const radar_likelihood_model *radar_likelihood_model_builtin(void);
/* The hand-set weights the fitted ones replaced (docs/scoring.md), with no
 * calibration: kept to compare against. Shared and read-only. */
const radar_likelihood_model *radar_likelihood_model_handset(void);

/* A new model with every weight 0 and no calibration; caller frees with
 * radar_likelihood_model_free. */
int radar_likelihood_model_new(radar_likelihood_model **out);
void radar_likelihood_model_free(radar_likelihood_model *m);
/* A copy; caller frees with radar_likelihood_model_free. */
int radar_likelihood_model_copy(radar_likelihood_model **out, const radar_likelihood_model *m);

/* Parse the text of a model file; `name` appears in the errors
 * ("NAME:LINE: ..."). Caller frees with radar_likelihood_model_free. */
int radar_likelihood_model_parse(radar_likelihood_model **out, const char *name, const char *text, size_t len);
/* Read a model file (at most RADAR_MAX_MODEL_FILE bytes). */
int radar_likelihood_model_load(radar_likelihood_model **out, const char *path);
/* The model as text, in the format the parser reads; appended to `out`. */
int radar_likelihood_model_write(const radar_likelihood_model *m, struct radar_buf *out);

/* A feature's weight, and whether it is fixed (kept as given when a model
 * is fitted). `i` < radar_feature_count(). */
double radar_likelihood_model_weight(const radar_likelihood_model *m, size_t i, int *fixed);
void radar_likelihood_model_set_weight(radar_likelihood_model *m, size_t i, double w, int fixed);
/* The comment lines at the head of the file (how it was fitted, its
 * figures), or "". Borrowed. */
const char *radar_likelihood_model_note(const radar_likelihood_model *m);
int radar_likelihood_model_set_note(radar_likelihood_model *m, const char *note);

/* The calibration: the summed log-odds z becomes the probability
 * interpolated between knots (z_k, p_k), z ascending, p non-decreasing, and
 * flat beyond the ends; no knots: p = 1 / (1 + e^-z). `examples` is how
 * many outcomes it was fitted on (for the explanation). */
int radar_likelihood_model_set_calibration(radar_likelihood_model *m, const double *z, const double *p, size_t n,
                                           long examples);
size_t radar_likelihood_model_knots(const radar_likelihood_model *m, const double **z, const double **p);
/* The probability of log-odds z under the model's calibration. */
double radar_likelihood_model_calibrate(const radar_likelihood_model *m, double z);
/* The summed log-odds of the evidence, before calibration. */
double radar_likelihood_model_logit(const radar_likelihood_model *m, const double *x);

/* Combine the evidence in the logistic model `m` (NULL: the built-in one):
 * the base first, then every factor that applies, then the calibration's
 * adjustment; the contributions add up to logit(p). */
void radar_likelihood_compute_with(const radar_likelihood_model *m, const radar_story_evidence *e,
                                   radar_likelihood *out);
/* The same with the built-in model. */
void radar_likelihood_compute(const radar_story_evidence *e, radar_likelihood *out);

/* ---- fitting ---- */

typedef struct radar_fit_options {
    double l2;             /* the penalty on each weight's squared distance from its starting value */
    int calibration_folds; /* folds for the out-of-fold log-odds the calibration is fitted on; < 2: none */
    unsigned long seed;    /* of the shuffle that deals groups into folds */
    /* the examples the calibration is fitted on (calibrate[r] != 0), NULL:
     * all; borrowed, as long as the examples */
    const char *calibrate;
    int platt; /* calibrate by Platt scaling (a sigmoid of the log-odds), else isotonic regression */
    /* isotonic: the fewest examples a step may rest on (smaller ones join a
     * neighbour); 0: pool adjacent violators alone */
    double min_bin;
    /* features left out: bit i keeps feature i at weight 0, fixed (a factor
     * the examples do not support, measured by cross-validation) */
    unsigned long long without;
} radar_fit_options;
#define RADAR_FIT_OPTIONS_INIT {16.0, 5, 16, NULL, 1, 0, 0}

/* Deal the groups of n examples into k folds (every example of a group in
 * one fold), by a shuffle seeded with `seed`: fold[n], 0 .. k-1. */
int radar_fit_folds(const long *group, size_t n, int k, unsigned long seed, int *fold);

/* Fit a model to n examples: x holds n rows of radar_feature_count()
 * values (radar_features_compute), y[r] is 1 when the move happened,
 * weight[r] the example's weight (NULL: all 1), group[r] its group (the
 * player: the calibration's folds keep a group together). Weights start
 * from `start`'s (NULL: the hand-set ones) and are pulled towards them;
 * its fixed weights are kept. Caller frees *out with
 * radar_likelihood_model_free; its note is `start`'s. */
int radar_likelihood_fit(radar_likelihood_model **out, const radar_likelihood_model *start, const double *x,
                         const int *y, const double *weight, const long *group, size_t n,
                         const radar_fit_options *o);

/* A club's record of turning rumours into signings: the posterior mean of
 * a Beta prior (docs/scoring.md) updated with its settled and signed
 * stories. */
double radar_club_rate(int settled, int signed_);
double radar_club_prior(void);

/* What `days` of silence since the last report take off the log-odds. */
double radar_recency(int days);

/* log(p / (1 - p)) and its inverse. */
double radar_logit(double p);
double radar_sigmoid(double x);

#ifdef __cplusplus
}
#endif
#endif
