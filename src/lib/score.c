/*
 * score.c - source reliability (Beta posteriors) and story likelihood: a
 * logistic model over a fixed list of features a person can check, each a
 * number read off a story's evidence, with weights from a model
 * (likelihood_model.c: fitted to outcomes, or the hand-set ones).
 *
 * The features are few and plain on purpose: a likelihood is explained line
 * by line, each line saying what was seen and what it added to the
 * log-odds, so a feature must be something a reader can verify in the
 * story's articles or records.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "radar/extract.h"
#include "radar/score.h"
#include "score_internal.h"

#define PRIOR_STRENGTH 6.0 /* the tier's prior counts as this many resolved rumours */
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

/* A club's record: a Beta prior worth CLUB_PRIOR_STRENGTH settled stories at
 * CLUB_PRIOR_MEAN (the share of settled stories that end signed across the
 * shipped labelled threads, rounded), updated with its own. */
#define CLUB_PRIOR_MEAN 0.50
#define CLUB_PRIOR_STRENGTH 6.0

double radar_club_prior(void)
{
    return CLUB_PRIOR_MEAN;
}

double radar_club_rate(int settled, int signed_)
{
    return (CLUB_PRIOR_MEAN * CLUB_PRIOR_STRENGTH + signed_) / (CLUB_PRIOR_STRENGTH + settled);
}

/* The features, in model-file order. The hand-set weights are the ones the
 * likelihood used before it was fitted (docs/scoring.md); `fixed` marks the
 * features fitting keeps as given: they never apply on the day of a report,
 * which is when fitting scores a story, so outcomes cannot teach them. */
enum {
    F_BASE,
    F_STAGE_CONTACT, F_STAGE_TALKS, F_STAGE_BID, F_STAGE_AGREEMENT, F_STAGE_MEDICAL, F_STAGE_SIGNED,
    F_SETBACK_REJECTED, F_SETBACK_COLLAPSED, F_SETBACK_DENIED,
    F_SOURCES, F_INDEPENDENT, F_COVERAGE, F_DENIALS, F_RECENCY, F_RIVALS, F_STANCE_RELUCTANT, F_STANCE_OPEN,
    F_RESURFACED, F_REOPENED, F_ELSEWHERE, F_WINDOW,
    F_CLUB, F_FEE, F_CONTRACT, F_FIRST_SOURCE, F_VELOCITY, F_SUITORS, F_FIRM, F_HEDGED, F_SOURCE_STAGE,
    F_COUNT
};

/* radar_fit_options.without holds one bit a feature */
_Static_assert(F_COUNT <= 64, "a fitting option's bit mask holds every feature");

typedef struct feature_def {
    radar_feature_info info;
    double handset;
    int fixed;
} feature_def;

static const feature_def FEATURES[F_COUNT] = {
    [F_BASE] = {{"base", "base", "1 for every story"}, -0.8472978603872037 /* 30% */, 0},
    [F_STAGE_CONTACT] = {{"stage.contact", "stage", "1 when the furthest stage reached is contact"}, 0.2, 0},
    [F_STAGE_TALKS] = {{"stage.talks", "stage", "1 when the furthest stage reached is talks"}, 0.6, 0},
    [F_STAGE_BID] = {{"stage.bid", "stage", "1 when the furthest stage reached is a bid"}, 0.9, 0},
    [F_STAGE_AGREEMENT] = {{"stage.agreement", "stage", "1 when the furthest stage reached is an agreement"}, 2.0, 0},
    [F_STAGE_MEDICAL] = {{"stage.medical", "stage", "1 when the furthest stage reached is a medical"}, 3.0, 0},
    [F_STAGE_SIGNED] = {{"stage.signed", "stage", "1 when the move is reported signed"}, 4.0, 0},
    [F_SETBACK_REJECTED] = {{"setback.rejected", "setback", "1 when the latest report says an approach was rejected"},
                            -0.8, 0},
    [F_SETBACK_COLLAPSED] = {{"setback.collapsed", "setback", "1 when the latest report says the deal collapsed"},
                             -2.0, 0},
    [F_SETBACK_DENIED] = {{"setback.denied", "setback", "1 when the latest report is a denial"}, -1.0, 0},
    [F_SOURCES] = {{"sources", "sources",
                    "log-odds of the origins' mean hit rate less those of 35%, within -1.5 .. 1.5"}, 0.5, 0},
    [F_INDEPENDENT] = {{"independent", "independent", "log2 of the independent origins, when more than one"}, 0.4, 0},
    [F_COVERAGE] = {{"coverage", "coverage", "log2 of the reports, when more than one"}, 0.25, 0},
    [F_DENIALS] = {{"denials", "denials", "denials of the move, at most 2"}, -0.7, 0},
    [F_RECENCY] = {{"recency", "recency", "days of silence after the first 30, over 180, at most 2.5"}, -0.8, 1},
    [F_RIVALS] = {{"rivals", "rivals", "other open stories of the player in the 180 days before, at most 4"}, -0.15, 0},
    [F_STANCE_RELUCTANT] = {{"stance.reluctant", "stance", "1 when the selling club is said to be reluctant"}, -0.4, 0},
    [F_STANCE_OPEN] = {{"stance.open", "stance", "1 when the selling club is said to be open to selling"}, 0.4, 0},
    [F_RESURFACED] = {{"resurfaced", "resurfaced", "1 when back after 180 days of silence with nothing new"}, -0.6, 0},
    [F_REOPENED] = {{"reopened", "reopened", "1 when an earlier attempt failed"}, -0.4, 0},
    [F_ELSEWHERE] = {{"elsewhere", "elsewhere", "1 when the player was reported signed by another club"}, -3.0, 1},
    [F_WINDOW] = {{"window", "window", "1 when the window closed with no move reported"}, -1.5, 1},
    [F_CLUB] = {{"club", "club",
                 "log-odds of the buying club's record (Beta posterior) less those of its prior, within -2 .. 2"}, 0, 0},
    [F_FEE] = {{"fee", "fee", "log2 of the fee over the most the buying club has paid, within -3 .. 3"}, 0, 0},
    [F_CONTRACT] = {{"contract", "contract", "1 - months left on the player's contract / 24, when under 24"}, 0, 0},
    [F_FIRST_SOURCE] = {{"first_source", "first_source",
                         "log-odds of the first origin's hit rate less those of 35%, within -1.5 .. 1.5"}, 0, 0},
    [F_VELOCITY] = {{"velocity", "velocity", "log2(1 + weeks from the first report to the first bid), after a bid"},
                    0, 0},
    [F_SUITORS] = {{"suitors", "suitors", "other clubs the reports name as after the player, at most 4"}, 0, 0},
    [F_FIRM] = {{"firm", "firm", "log2(1 + phrases of a move well on its way in the latest report)"}, 0, 0},
    [F_HEDGED] = {{"hedged", "hedged", "log2(1 + hedges in the latest report)"}, 0, 0},
    [F_SOURCE_STAGE] = {{"source_stage", "source_stage",
                         "the sources' feature again when the move is at talks or further: their record's weight there"},
                        0, 0},
};

size_t radar_feature_count(void)
{
    return F_COUNT;
}

const radar_feature_info *radar_feature_get(size_t i)
{
    return i < F_COUNT ? &FEATURES[i].info : NULL;
}

int radar_feature_find(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (!strcmp(FEATURES[i].info.name, name))
            return i;
    return -1;
}

double radar_feature_handset(size_t i, int *fixed)
{
    *fixed = FEATURES[i].fixed;
    return FEATURES[i].handset;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void radar_features_compute(const radar_story_evidence *e, double *x)
{
    for (int i = 0; i < F_COUNT; i++)
        x[i] = 0;
    x[F_BASE] = 1;
    if (e->stage >= RADAR_STAGE_CONTACT && e->stage <= RADAR_STAGE_SIGNED)
        x[F_STAGE_CONTACT + e->stage - RADAR_STAGE_CONTACT] = 1;
    x[F_SETBACK_REJECTED] = e->latest_stage == RADAR_STAGE_REJECTED;
    x[F_SETBACK_COLLAPSED] = e->latest_stage == RADAR_STAGE_COLLAPSED;
    x[F_SETBACK_DENIED] = e->latest_stage == RADAR_STAGE_DENIED;
    if (e->source_rel >= 0)
        x[F_SOURCES] = clamp(radar_logit(e->source_rel) - radar_logit(NEUTRAL_REL), -1.5, 1.5);
    if (e->independent > 1)
        x[F_INDEPENDENT] = log2((double)e->independent);
    if (e->mentions > 1)
        x[F_COVERAGE] = log2((double)e->mentions);
    x[F_DENIALS] = e->denials > 2 ? 2 : e->denials;
    if (e->days_since_last > 30)
        x[F_RECENCY] = clamp((e->days_since_last - 30) / 180.0, 0, 2.5);
    x[F_RIVALS] = e->rivals > 4 ? 4 : e->rivals;
    x[F_STANCE_RELUCTANT] = e->stance < 0;
    x[F_STANCE_OPEN] = e->stance > 0;
    x[F_RESURFACED] = e->resurfaced_stale != 0;
    x[F_REOPENED] = e->reopened != 0;
    x[F_ELSEWHERE] = e->moved_elsewhere != 0;
    x[F_WINDOW] = e->window_closed != 0;
    if (e->club_settled > 0)
        x[F_CLUB] = clamp(radar_logit(radar_club_rate(e->club_settled, e->club_signed)) - radar_logit(CLUB_PRIOR_MEAN),
                          -2, 2);
    if (e->fee_eur > 0 && e->club_paid_eur > 0)
        x[F_FEE] = clamp(log2(e->fee_eur / e->club_paid_eur), -3, 3);
    /* two years: a player with 18 months left is already one a club may
     * sell rather than lose for nothing */
    if (e->contract_months >= 0 && e->contract_months < 24)
        x[F_CONTRACT] = 1 - e->contract_months / 24.0;
    if (e->first_source_rel >= 0)
        x[F_FIRST_SOURCE] = clamp(radar_logit(e->first_source_rel) - radar_logit(NEUTRAL_REL), -1.5, 1.5);
    if (e->bid_days >= 0)
        x[F_VELOCITY] = log2(1 + e->bid_days / 7.0);
    x[F_SUITORS] = e->suitors > 4 ? 4 : e->suitors;
    x[F_FIRM] = log2(1 + (e->firm > 0 ? e->firm : 0));
    x[F_HEDGED] = log2(1 + (e->hedges > 0 ? e->hedges : 0));
    /* a source's record says more of a rumour of interest than of talks,
     * which a club rarely denies: its own weight at talks or further */
    if (e->stage >= RADAR_STAGE_TALKS && e->stage <= RADAR_STAGE_SIGNED)
        x[F_SOURCE_STAGE] = x[F_SOURCES];
}

/* Euros as a person says them: "EUR 80m", "EUR 750k". */
static void money(char *out, size_t cap, double eur)
{
    if (eur >= 1e6)
        snprintf(out, cap, "EUR %.0fm", fmin(eur / 1e6, 1e9));
    else
        snprintf(out, cap, "EUR %.0fk", fmax(eur / 1e3, 0));
}

/* What was seen, for the explanation line of feature group `f` (its first
 * feature). */
static void describe(int f, const radar_story_evidence *e, char *d, size_t cap)
{
    char a[24], b[24];
    switch (f) {
    case F_BASE: snprintf(d, cap, "a rumour with nothing else known"); break;
    case F_STAGE_CONTACT:
        /* a story of endings only has no stage: said so in words, never as the stage "none" */
        if (e->stage > RADAR_STAGE_NONE && e->stage <= RADAR_STAGE_SIGNED)
            snprintf(d, cap, "furthest stage reached: %s", radar_stage_name((radar_stage)e->stage));
        else
            snprintf(d, cap, "no stage reached: only an ending reported");
        break;
    case F_SETBACK_REJECTED:
        snprintf(d, cap, "%s", e->latest_stage == RADAR_STAGE_COLLAPSED  ? "the latest report says the deal collapsed"
                               : e->latest_stage == RADAR_STAGE_REJECTED ? "the latest report says an approach was rejected"
                                                                         : "the latest report is a denial");
        break;
    case F_SOURCES: snprintf(d, cap, "the sources' hit rate: %.0f%%", e->source_rel * 100); break;
    case F_INDEPENDENT: snprintf(d, cap, "%d independent sources", e->independent); break;
    case F_COVERAGE: snprintf(d, cap, "reported %d times", e->mentions); break;
    case F_DENIALS: snprintf(d, cap, "%d denial%s", e->denials, e->denials == 1 ? "" : "s"); break;
    case F_RECENCY: snprintf(d, cap, "last reported %d days ago", e->days_since_last); break;
    case F_RIVALS:
        snprintf(d, cap, "%d other club%s after the player", e->rivals, e->rivals == 1 ? "" : "s");
        break;
    case F_STANCE_RELUCTANT:
        snprintf(d, cap, "%s", e->stance < 0 ? "the selling club is reluctant to sell" : "the selling club is open to selling");
        break;
    case F_RESURFACED: snprintf(d, cap, "back after a long silence with nothing new"); break;
    case F_REOPENED: snprintf(d, cap, "an earlier attempt failed"); break;
    case F_ELSEWHERE: snprintf(d, cap, "the player was reported signed by another club"); break;
    case F_WINDOW: snprintf(d, cap, "the transfer window closed with no move reported"); break;
    case F_CLUB:
        snprintf(d, cap, "%s signed %d of its %d settled rumours: record %.0f%% (prior %.0f%%)",
                 e->club[0] ? e->club : "the club", e->club_signed, e->club_settled,
                 100 * radar_club_rate(e->club_settled, e->club_signed), 100 * CLUB_PRIOR_MEAN);
        break;
    case F_FEE:
        money(a, sizeof a, e->fee_eur);
        money(b, sizeof b, e->club_paid_eur);
        snprintf(d, cap, "a fee of %s; the most %.30s has paid: %s", a, e->club[0] ? e->club : "the club", b);
        break;
    case F_CONTRACT:
        snprintf(d, cap, "%d month%s left on his contract", e->contract_months, e->contract_months == 1 ? "" : "s");
        break;
    case F_FIRST_SOURCE:
        snprintf(d, cap, "first reported by %s (hit rate %.0f%%)", e->first_source[0] ? e->first_source : "a source",
                 e->first_source_rel * 100);
        break;
    case F_VELOCITY:
        snprintf(d, cap, "a bid %d day%s after the first report", e->bid_days, e->bid_days == 1 ? "" : "s");
        break;
    case F_SUITORS:
        snprintf(d, cap, "%d other club%s named as interested", e->suitors, e->suitors == 1 ? "" : "s");
        break;
    case F_FIRM:
        snprintf(d, cap, "the latest report: %d phrase%s of a move well on its way ('%s'%s)", e->firm,
                 e->firm == 1 ? "" : "s", e->firm_word, e->firm > 1 ? ", ..." : "");
        break;
    case F_HEDGED:
        snprintf(d, cap, "the latest report: %d hedge%s ('%s'%s)", e->hedges, e->hedges == 1 ? "" : "s",
                 e->hedge_word, e->hedges > 1 ? ", ..." : "");
        break;
    case F_SOURCE_STAGE:
        snprintf(d, cap, "the sources' hit rate %.0f%% on a move at %s", e->source_rel * 100,
                 radar_stage_name((radar_stage)e->stage));
        break;
    default: d[0] = '\0';
    }
}

static void add(radar_likelihood *out, const char *name, double contribution, const char *detail)
{
    if (out->n == RADAR_MAX_FACTORS)
        return;
    radar_factor *f = &out->factors[out->n++];
    f->name = name;
    f->contribution = contribution;
    f->has_weight = 0;
    f->value = f->weight = 0;
    snprintf(f->detail, sizeof f->detail, "%s", detail);
    out->logit += contribution;
}

void radar_likelihood_compute_with(const radar_likelihood_model *m, const radar_story_evidence *e,
                                   radar_likelihood *out)
{
    if (!m)
        m = radar_likelihood_model_builtin();
    double x[F_COUNT];
    radar_features_compute(e, x);
    out->n = 0;
    out->logit = 0;
    /* one line per factor: the features of a group (the stage's levels)
     * add up on one line; a factor shows when it applies and the model
     * weighs it, the base and the stage always */
    for (int f = 0; f < F_COUNT;) {
        int g = f, fixed;
        double c = 0, value = 0, weight = 0;
        int applies = 0;
        for (; f < F_COUNT && !strcmp(FEATURES[f].info.factor, FEATURES[g].info.factor); f++) {
            double w = radar_likelihood_model_weight(m, (size_t)f, &fixed);
            c += w * x[f];
            applies |= x[f] != 0 && w != 0;
            if (x[f] != 0) /* a group has one feature set at most (the stage reached) */
                value = x[f], weight = w;
        }
        if (!applies && g != F_BASE && g != F_STAGE_CONTACT)
            continue;
        char detail[sizeof out->factors[0].detail];
        describe(g, e, detail, sizeof detail);
        add(out, FEATURES[g].info.factor, c, detail);
        radar_factor *line = &out->factors[out->n - 1];
        line->has_weight = 1;
        line->value = value;
        line->weight = weight;
    }
    double z = out->logit;
    out->p = radar_likelihood_model_calibrate(m, z);
    const double *kz, *kp;
    if (radar_likelihood_model_knots(m, &kz, &kp)) {
        char detail[sizeof out->factors[0].detail];
        snprintf(detail, sizeof detail, "log-odds %+.2f are %.0f%% in the outcomes the model was fitted on", z,
                 100 * out->p);
        double c = radar_logit(out->p) - z;
        if (out->n == RADAR_MAX_FACTORS)
            out->n--; /* the calibration line is never dropped: the lines must add up */
        add(out, "calibration", c, detail);
        out->logit = radar_logit(out->p);
    }
}

void radar_likelihood_compute(const radar_story_evidence *e, radar_likelihood *out)
{
    radar_likelihood_compute_with(NULL, e, out);
}
