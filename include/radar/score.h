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
} radar_story_evidence;
#define RADAR_STORY_EVIDENCE_INIT {0, 0, 0, 0, -1.0, 0, 0, 0, 0, 0, 0, 0, 0}

/* One factor of a likelihood: its name, what was seen, and what it adds to
 * the log-odds. */
typedef struct radar_factor {
    const char *name;   /* static string: "base", "stage", "sources", ... */
    char detail[96];    /* what was seen, for a person */
    double contribution;
} radar_factor;

#define RADAR_MAX_FACTORS 12

typedef struct radar_likelihood {
    double p;     /* probability the move happens */
    double logit; /* sum of the contributions */
    size_t n;
    radar_factor factors[RADAR_MAX_FACTORS];
} radar_likelihood;

/* Combine the evidence in a logistic model with fixed weights (see
 * docs/scoring.md). Every factor that applies is listed, the base rate first. */
void radar_likelihood_compute(const radar_story_evidence *e, radar_likelihood *out);

/* What `days` of silence since the last report take off the log-odds. */
double radar_recency(int days);

/* log(p / (1 - p)) and its inverse. */
double radar_logit(double p);
double radar_sigmoid(double x);

#ifdef __cplusplus
}
#endif
#endif
