/*
 * outcome_set.h - examples of stories with known outcomes, for `radar eval
 * outcomes` and `radar fit`: each one a story's features on a day, from what
 * was published up to that day, and whether its move happened.
 */
#ifndef RADAR_CLI_OUTCOME_SET_H
#define RADAR_CLI_OUTCOME_SET_H

#include <stddef.h>

#include "radar/score.h"

typedef struct radar_store radar_store;

typedef struct outcome_set {
    size_t n, nf;   /* examples, features per example */
    double *x;      /* n rows of nf feature values */
    int *y;         /* 1: the move happened */
    long *group;    /* the player: folds keep his examples together */
    long *thread;   /* the (player, club) thread or story */
    char *first;    /* 1: the thread's first day (one example per thread) */
    double *weight; /* for fitting: each thread weighs the same in all */
    size_t threads, found, done;
} outcome_set;

/* From a labelled JSON Lines file (radar eval outcomes' format): its
 * articles ingested day by day into a scratch database (`db`, which must not
 * exist; NULL: a temporary file), each labelled article scored on its day.
 * Prints its own errors; returns an exit code. */
int outcome_set_from_labels(const char *file, const char *db, outcome_set *out);
/* From the stories of a store settled by outcomes or reports. */
int outcome_set_from_store(radar_store *st, outcome_set *out);
void outcome_set_free(outcome_set *s);

/* The examples' probabilities under `m`, into p[n]. */
void outcome_set_score(const outcome_set *s, const radar_likelihood_model *m, double *p);
/* A model fitted on every example (from `start`, with o); its calibration
 * fitted on the threads' first days only with `calibrate_first`. */
int outcome_set_fit(const outcome_set *s, const radar_likelihood_model *start, const radar_fit_options *o,
                    int calibrate_first, radar_likelihood_model **out);
/* Held-out probabilities: the groups dealt into k folds (seeded), each fold
 * scored by a model fitted on the others as outcome_set_fit fits. */
int outcome_set_crossval(const outcome_set *s, const radar_likelihood_model *start, const radar_fit_options *o,
                         int calibrate_first, int k, double *p);

/* The fitting options radar eval (with --folds) and radar fit share, by the
 * getopt code each gives them: 'k' --folds K, 'L' --l2 X, 'S' --seed N,
 * 'C' --calibrate first-day|all (*calibrate_first), 'I' --isotonic, 'W'
 * --without NAME[,NAME...]. Prints its own error; returns 0, or EXIT_USAGE
 * for a bad value. */
int outcome_fit_option(int code, const char *arg, radar_fit_options *o, int *calibrate_first, int *folds);
/* The names of the features o leaves out, ", " between, into out (cap
 * bytes; "" for none). */
void outcome_without_text(const radar_fit_options *o, char *out, size_t cap);

/* How well probabilities p foresee the outcomes of the examples with
 * mask[i] (NULL: all). */
typedef struct outcome_figures {
    size_t n, done;
    double auc, brier;
    int n_deciles;
    struct {
        size_t n;
        double p_min, p_max, predicted, observed;
        /* the standard error of the observed rate were the predictions
         * right: sqrt(sum p (1 - p)) / n; a decile of 36 at p 0.2 is 0.067 */
        double se;
    } decile[10];
    double worst_gap; /* the largest |observed - predicted| of a decile */
    double worst_z;   /* the largest |observed - predicted| / se of a decile */
    /* Hosmer-Lemeshow: sum over deciles of (done - sum p)^2 / sum p (1 - p),
     * and the chance of one as large from predictions that are right
     * (chi-square with a degree of freedom per decile: held-out scores are
     * not fitted to these outcomes) */
    double hl_chi2, hl_p;
    /* the worst decile gap predictions that are right would show: outcomes
     * drawn from the predictions themselves (2,000 seeded draws), its
     * median and 90th percentile; with a few dozen examples a decile, most
     * of a gap can be chance */
    double null_gap_median, null_gap_p90;
} outcome_figures;
int outcome_figures_compute(const outcome_set *s, const double *p, const char *mask, outcome_figures *f);

#endif
