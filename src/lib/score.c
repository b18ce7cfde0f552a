/*
 * score.c - source reliability (Beta posteriors) and story likelihood (a
 * logistic model with fixed, documented weights).
 *
 * The weights are set by hand from what is known of transfer gossip (about
 * one rumour in three comes true; late stages rarely fail; tabloids miss more
 * than agencies) and checked against labelled outcomes (`radar eval
 * outcomes`). They are not fitted to any one data set, so a score stays
 * explainable: each factor is a number a person can read.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "radar/extract.h"
#include "radar/score.h"

#define PRIOR_STRENGTH 6.0 /* the tier's prior counts as this many resolved rumours */
#define BASE_RATE 0.30     /* share of rumours that come true, before evidence */
#define NEUTRAL_REL 0.35   /* a source of unknown record: no contribution */

double radar_logit(double p)
{
    if (p < 1e-6)
        p = 1e-6;
    if (p > 1 - 1e-6)
        p = 1 - 1e-6;
    return log(p / (1 - p));
}

double radar_sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* ---- Beta distribution ---- */

#define LENTZ_TINY 1e-300

/* One term of a modified Lentz evaluation: update d and c with the term's
 * numerator and return the factor the fraction is multiplied by. */
static double lentz_step(double num, double *d, double *c)
{
    *d = 1.0 + num * *d;
    if (fabs(*d) < LENTZ_TINY)
        *d = LENTZ_TINY;
    *c = 1.0 + num / *c;
    if (fabs(*c) < LENTZ_TINY)
        *c = LENTZ_TINY;
    *d = 1.0 / *d;
    return *d * *c;
}

/* Continued fraction for the regularised incomplete beta function (modified
 * Lentz), valid for x < (a + 1) / (a + b + 2). Each step takes the even and
 * the odd term. */
static double beta_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < LENTZ_TINY)
        d = LENTZ_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        h *= lentz_step(m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)), &d, &c);
        double del = lentz_step(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)), &d, &c);
        h *= del;
        if (fabs(del - 1.0) < 1e-12)
            break;
    }
    return h;
}

/* P(X <= x) for X ~ Beta(a, b). */
static double beta_cdf(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lbeta = lgamma(a + b) - lgamma(a) - lgamma(b);
    double front = exp(lbeta + a * log(x) + b * log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_cf(a, b, x) / a;
    return 1.0 - front * beta_cf(b, a, 1.0 - x) / b;
}

double radar_beta_quantile(double a, double b, double q)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; i++) { /* bisection: the cdf is monotone */
        double mid = (lo + hi) / 2;
        if (beta_cdf(a, b, mid) < q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* ---- reliability ---- */

double radar_reliability_prior(int tier)
{
    /* official and agency reports mostly come true, tabloid and aggregator
     * rumours mostly do not */
    static const double prior_mean[6] = {NEUTRAL_REL, 0.70, 0.55, 0.40, 0.30, 0.20};
    return prior_mean[tier >= 1 && tier <= 5 ? tier : 0];
}

void radar_reliability_compute(int tier, int resolved, int hits, radar_reliability *out)
{
    double m = radar_reliability_prior(tier);
    out->prior_a = m * PRIOR_STRENGTH;
    out->prior_b = (1 - m) * PRIOR_STRENGTH;
    out->resolved = resolved;
    out->hits = hits;
    double a = out->prior_a + hits, b = out->prior_b + (resolved - hits);
    out->mean = a / (a + b);
    out->lo = radar_beta_quantile(a, b, 0.05);
    out->hi = radar_beta_quantile(a, b, 0.95);
}

/* ---- likelihood ---- */

double radar_recency(int days)
{
    if (days <= 30)
        return 0;
    double age = (days - 30) / 180.0; /* a month's grace, then decay */
    return -0.8 * (age > 2.5 ? 2.5 : age);
}

static void add(radar_likelihood *out, const char *name, double contribution, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(radar_likelihood *out, const char *name, double contribution, const char *fmt, ...)
{
    if (out->n == RADAR_MAX_FACTORS)
        return;
    radar_factor *f = &out->factors[out->n++];
    f->name = name;
    f->contribution = contribution;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
    out->logit += contribution;
}

void radar_likelihood_compute(const radar_story_evidence *e, radar_likelihood *out)
{
    out->n = 0;
    out->logit = 0;
    add(out, "base", radar_logit(BASE_RATE), "about %d%% of transfer rumours come true", (int)(BASE_RATE * 100));

    /* how far the deal got: the strongest single signal */
    static const double stage_w[RADAR_STAGE_COUNT] = {
        [RADAR_STAGE_NONE] = 0,         [RADAR_STAGE_INTEREST] = 0,   [RADAR_STAGE_CONTACT] = 0.2,
        [RADAR_STAGE_TALKS] = 0.6,      [RADAR_STAGE_BID] = 0.9,      [RADAR_STAGE_AGREEMENT] = 2.0,
        [RADAR_STAGE_MEDICAL] = 3.0,    [RADAR_STAGE_SIGNED] = 4.0,
    };
    int stage = e->stage >= 0 && e->stage <= RADAR_STAGE_SIGNED ? e->stage : 0;
    add(out, "stage", stage_w[stage], "furthest stage reached: %s", radar_stage_name((radar_stage)stage));
    if (e->latest_stage == RADAR_STAGE_COLLAPSED)
        add(out, "setback", -2.0, "the latest report says the deal collapsed");
    else if (e->latest_stage == RADAR_STAGE_REJECTED)
        add(out, "setback", -0.8, "the latest report says an approach was rejected");
    else if (e->latest_stage == RADAR_STAGE_DENIED)
        add(out, "setback", -1.0, "the latest report is a denial");

    if (e->source_rel >= 0) {
        double c = 0.5 * (radar_logit(e->source_rel) - radar_logit(NEUTRAL_REL));
        c = c > 0.75 ? 0.75 : c < -0.75 ? -0.75 : c;
        add(out, "sources", c, "the sources' hit rate: %.0f%%", e->source_rel * 100);
    }
    if (e->independent > 1)
        add(out, "independent", 0.4 * log2((double)e->independent), "%d independent sources", e->independent);
    if (e->mentions > 1)
        add(out, "coverage", 0.25 * log2((double)e->mentions), "reported %d times", e->mentions);
    if (e->denials > 0)
        add(out, "denials", -0.7 * (e->denials > 2 ? 2 : e->denials), "%d denial%s", e->denials,
            e->denials == 1 ? "" : "s");
    if (e->days_since_last > 30)
        add(out, "recency", radar_recency(e->days_since_last), "last reported %d days ago", e->days_since_last);
    if (e->rivals > 0)
        add(out, "rivals", -0.15 * (e->rivals > 4 ? 4 : e->rivals), "%d other club%s after the player", e->rivals,
            e->rivals == 1 ? "" : "s");
    if (e->stance < 0)
        add(out, "stance", -0.4, "the selling club is reluctant to sell");
    else if (e->stance > 0)
        add(out, "stance", 0.4, "the selling club is open to selling");
    if (e->resurfaced_stale)
        add(out, "resurfaced", -0.6, "back after a long silence with nothing new");
    if (e->reopened)
        add(out, "reopened", -0.4, "an earlier attempt failed");
    if (e->moved_elsewhere)
        add(out, "elsewhere", -3.0, "the player was reported signed by another club");
    if (e->window_closed)
        add(out, "window", -1.5, "the transfer window closed with no move reported");
    out->p = radar_sigmoid(out->logit);
}
