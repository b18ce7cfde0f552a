/*
 * test_likelihood.c - the likelihood model: fitting recovers weights known
 * in advance, the calibration is monotone and matches the outcomes, the
 * model file reads back what was written and says where it is wrong, and
 * the explanation adds up.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/buf.h"
#include "radar/error.h"
#include "radar/extract.h"
#include "radar/score.h"

static unsigned long long rng = 88172645463325252ull;
static double uniform(void) /* xorshift64: the same draws everywhere */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static size_t feature(const char *name)
{
    int i = radar_feature_find(name);
    assert_true(i >= 0);
    return (size_t)i;
}

/* A world drawn from known weights: the base, a bid, the club's record,
 * the contract, the suitors and the wording; each story's outcome drawn
 * from them. */
static const struct {
    const char *name;
    double w;
} TRUTH[] = {{"base", -0.5}, {"stage.bid", 1.5}, {"club", 1.0}, {"contract", 2.0}, {"suitors", -0.6},
                 {"firm", 1.2}, {"hedged", -0.8}};
#define N_TRUTH (sizeof TRUTH / sizeof TRUTH[0])
#define N_WORLD 6000

static void draw_world(double *x, int *y, long *group, size_t n)
{
    size_t nf = radar_feature_count();
    for (size_t r = 0; r < n; r++) {
        double *xr = x + r * nf;
        memset(xr, 0, nf * sizeof *xr);
        xr[feature("base")] = 1;
        xr[feature("stage.bid")] = uniform() < 0.4;
        xr[feature("club")] = 4 * uniform() - 2;
        xr[feature("contract")] = uniform() < 0.3 ? uniform() : 0;
        xr[feature("suitors")] = floor(5 * uniform());
        xr[feature("firm")] = log2(1 + floor(3 * uniform() * uniform()));
        xr[feature("hedged")] = log2(1 + floor(4 * uniform() * uniform()));
        double z = 0;
        for (size_t k = 0; k < N_TRUTH; k++)
            z += TRUTH[k].w * xr[feature(TRUTH[k].name)];
        y[r] = uniform() < radar_sigmoid(z);
        group[r] = (long)(r / 3); /* three examples a player */
    }
}

/* A drawn world to fit on: n examples (x: n rows of the features, y, the
 * player of each), a model to start from with every weight 0, and the
 * fitting options with a light penalty. Free with world_free. */
typedef struct world {
    size_t nf, n;
    double *x;
    int *y;
    long *group;
    radar_likelihood_model *start;
    radar_fit_options o;
} world;

static void world_new(world *w, size_t n, void (*draw)(double *, int *, long *, size_t))
{
    w->nf = radar_feature_count();
    w->n = n;
    w->x = malloc(n * w->nf * sizeof *w->x);
    w->y = malloc(n * sizeof *w->y);
    w->group = malloc(n * sizeof *w->group);
    assert_true(w->x && w->y && w->group);
    draw(w->x, w->y, w->group, n);
    assert_int_equal(radar_likelihood_model_new(&w->start), 0); /* every weight 0: nothing known */
    w->o = (radar_fit_options)RADAR_FIT_OPTIONS_INIT;
    w->o.l2 = 0.01;
}

static void world_free(world *w)
{
    radar_likelihood_model_free(w->start);
    free(w->x);
    free(w->y);
    free(w->group);
}

static void test_fit_recovers_weights(void **state)
{
    (void)state;
    world w;
    world_new(&w, N_WORLD, draw_world);
    radar_likelihood_model *m;
    assert_int_equal(radar_likelihood_fit(&m, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    for (size_t k = 0; k < N_TRUTH; k++) {
        double fitted = radar_likelihood_model_weight(m, feature(TRUTH[k].name), NULL);
        if (fabs(fitted - TRUTH[k].w) > 0.25)
            fail_msg("%s: fitted %.3f, drawn from %.3f", TRUTH[k].name, fitted, TRUTH[k].w);
    }
    /* features the world never shows stay where they started */
    assert_true(radar_likelihood_model_weight(m, feature("stage.signed"), NULL) == 0);

    /* the calibration: knots ascending, probabilities not descending, and on
     * average what happened */
    const double *kz, *kp;
    size_t nk = radar_likelihood_model_knots(m, &kz, &kp);
    assert_true(nk >= 2);
    for (size_t k = 1; k < nk; k++)
        assert_true(kz[k] > kz[k - 1] && kp[k] >= kp[k - 1]);
    double sum_p = 0, sum_y = 0;
    for (size_t r = 0; r < N_WORLD; r++) {
        sum_p += radar_likelihood_model_calibrate(m, radar_likelihood_model_logit(m, w.x + r * w.nf));
        sum_y += w.y[r];
    }
    assert_true(fabs(sum_p - sum_y) / N_WORLD < 0.02);
    /* the same of an isotonic calibration, which also follows what happened */
    radar_likelihood_model *iso;
    w.o.platt = 0;
    assert_int_equal(radar_likelihood_fit(&iso, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    w.o.platt = 1;
    nk = radar_likelihood_model_knots(iso, &kz, &kp);
    assert_true(nk >= 2);
    for (size_t k = 1; k < nk; k++)
        assert_true(kz[k] > kz[k - 1] && kp[k] >= kp[k - 1]);
    sum_p = 0;
    for (size_t r = 0; r < N_WORLD; r++)
        sum_p += radar_likelihood_model_calibrate(iso, radar_likelihood_model_logit(iso, w.x + r * w.nf));
    assert_true(fabs(sum_p - sum_y) / N_WORLD < 0.02);
    radar_likelihood_model_free(iso);

    /* a penalty pulls towards the starting weights: a strong one keeps them */
    radar_likelihood_model *held;
    w.o.l2 = 1e5;
    assert_int_equal(radar_likelihood_fit(&held, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    assert_true(fabs(radar_likelihood_model_weight(held, feature("stage.bid"), NULL)) < 0.05);
    radar_likelihood_model_free(held);

    /* a fixed weight is kept as given */
    radar_likelihood_model_set_weight(w.start, feature("club"), 0.25, 1);
    w.o.l2 = 0.01;
    assert_int_equal(radar_likelihood_fit(&held, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    int fixed;
    assert_true(radar_likelihood_model_weight(held, feature("club"), &fixed) == 0.25 && fixed);
    radar_likelihood_model_free(held);

    /* a feature left out weighs nothing, whatever it starts from, and the
     * others still find theirs */
    radar_likelihood_model_set_weight(w.start, feature("suitors"), -0.3, 0);
    w.o.without = 1ull << feature("suitors");
    assert_int_equal(radar_likelihood_fit(&held, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    assert_true(radar_likelihood_model_weight(held, feature("suitors"), &fixed) == 0 && fixed);
    double bid = radar_likelihood_model_weight(held, feature("stage.bid"), NULL);
    if (!(bid > 1.0 && bid < 1.6)) /* a little lower without the suitors (the others are not in its place) */
        fail_msg("stage.bid without the suitors: %.3f", bid);
    radar_likelihood_model_free(held);
    w.o.without = 0;
    radar_likelihood_model_set_weight(w.start, feature("suitors"), 0, 0);

    /* the same examples and seed: the same model */
    radar_likelihood_model *again;
    radar_likelihood_model_set_weight(w.start, feature("club"), 0, 0);
    assert_int_equal(radar_likelihood_fit(&again, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    radar_buf a = RADAR_BUF_INIT, b = RADAR_BUF_INIT;
    assert_int_equal(radar_likelihood_model_write(m, &a), 0);
    assert_int_equal(radar_likelihood_model_write(again, &b), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    radar_buf_free(&a);
    radar_buf_free(&b);
    radar_likelihood_model_free(again);

    /* all of one outcome: nothing to learn */
    for (size_t r = 0; r < N_WORLD; r++)
        w.y[r] = 1;
    assert_int_equal(radar_likelihood_fit(&again, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), RADAR_EINVALID);
    assert_null(again);
    radar_likelihood_model_free(m);
    world_free(&w);
}

/* A world where the outcomes owe nothing to the features: weights fitted
 * on 240 examples still find a pattern in them, so the log-odds of the
 * examples they were fitted on spread wide (over-confident), while new
 * examples do not follow. The calibration, fitted on log-odds out of fold,
 * sees that they do not rank and keeps every probability near the overall
 * rate; it does better on new examples than the in-sample log-odds. */
#define N_NOISE 240
static void draw_noise(double *x, int *y, long *group, size_t n)
{
    static const char *const names[] = {"club", "fee", "contract", "velocity", "suitors", "firm", "hedged",
                                        "sources", "coverage", "rivals", "denials", "independent"};
    size_t nf = radar_feature_count();
    for (size_t r = 0; r < n; r++) {
        double *xr = x + r * nf;
        memset(xr, 0, nf * sizeof *xr);
        xr[feature("base")] = 1;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            xr[feature(names[k])] = 2 * uniform() - 1;
        y[r] = uniform() < 0.3;
        group[r] = (long)(r / 2);
    }
}

static void test_calibration_cross_fitted(void **state)
{
    (void)state;
    world w;
    world_new(&w, 2 * N_NOISE, draw_noise); /* the first half to fit on, the second new */
    radar_likelihood_model *m;
    assert_int_equal(radar_likelihood_fit(&m, w.start, w.x, w.y, NULL, w.group, N_NOISE, &w.o), 0);
    double lo_raw = 1, hi_raw = 0, lo = 1, hi = 0, loss_raw = 0, loss = 0;
    for (size_t r = 0; r < 2 * N_NOISE; r++) {
        double z = radar_likelihood_model_logit(m, w.x + r * w.nf), raw = radar_sigmoid(z);
        double p = radar_likelihood_model_calibrate(m, z);
        if (r < N_NOISE) {
            lo_raw = fmin(lo_raw, raw), hi_raw = fmax(hi_raw, raw);
            lo = fmin(lo, p), hi = fmax(hi, p);
        } else { /* log-loss on the new examples */
            loss_raw -= log(w.y[r] ? raw : 1 - raw) / N_NOISE;
            loss -= log(w.y[r] ? p : 1 - p) / N_NOISE;
        }
    }
    /* in-sample the log-odds are sure of themselves */
    if (!(hi_raw - lo_raw > 0.3))
        fail_msg("in-sample probabilities %.3f .. %.3f: the world should over-fit", lo_raw, hi_raw);
    /* the calibration is not: near the overall rate, and better on new examples */
    if (!(hi - lo < 0.15 && lo > 0.15 && hi < 0.45))
        fail_msg("calibrated probabilities %.3f .. %.3f: should stay near the rate of 0.3", lo, hi);
    if (!(loss < loss_raw))
        fail_msg("log-loss on new examples: calibrated %.4f, uncalibrated %.4f", loss, loss_raw);
    radar_likelihood_model_free(m);
    world_free(&w);
}

/* Smoothed isotonic: no step of the calibration rests on fewer examples
 * than asked, and it still follows what happened. */
static void test_isotonic_min_bin(void **state)
{
    (void)state;
    world w;
    world_new(&w, N_WORLD, draw_world);
    radar_likelihood_model *plain, *smooth;
    w.o.platt = 0;
    assert_int_equal(radar_likelihood_fit(&plain, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    w.o.min_bin = 600;
    assert_int_equal(radar_likelihood_fit(&smooth, w.start, w.x, w.y, NULL, w.group, w.n, &w.o), 0);
    const double *kz, *kp;
    size_t n_plain = radar_likelihood_model_knots(plain, &kz, &kp);
    size_t nk = radar_likelihood_model_knots(smooth, &kz, &kp);
    /* 6,000 examples in steps of 600 or more: at most ten */
    if (!(nk >= 3 && nk <= 10 && nk < n_plain))
        fail_msg("%zu knots with steps of 600 or more (%zu without)", nk, n_plain);
    for (size_t k = 1; k < nk; k++)
        assert_true(kz[k] > kz[k - 1] && kp[k] >= kp[k - 1]);
    double sum_p = 0, sum_y = 0;
    for (size_t r = 0; r < N_WORLD; r++) {
        sum_p += radar_likelihood_model_calibrate(smooth, radar_likelihood_model_logit(smooth, w.x + r * w.nf));
        sum_y += w.y[r];
    }
    assert_true(fabs(sum_p - sum_y) / N_WORLD < 0.02);
    radar_likelihood_model_free(plain);
    radar_likelihood_model_free(smooth);
    world_free(&w);
}

static void test_folds(void **state)
{
    (void)state;
    long group[12] = {5, 5, 9, 1, 1, 1, 7, 9, 3, 3, 8, 2};
    int fold[12], again[12];
    assert_int_equal(radar_fit_folds(group, 12, 3, 7, fold), 0);
    int used[3] = {0};
    for (int i = 0; i < 12; i++) {
        assert_true(fold[i] >= 0 && fold[i] < 3);
        used[fold[i]] = 1;
        for (int j = 0; j < 12; j++)
            if (group[i] == group[j])
                assert_int_equal(fold[i], fold[j]); /* a player in one fold */
    }
    assert_true(used[0] && used[1] && used[2]);
    assert_int_equal(radar_fit_folds(group, 12, 3, 7, again), 0);
    assert_memory_equal(fold, again, sizeof fold);
    assert_int_equal(radar_fit_folds(group, 12, 1, 7, again), RADAR_EINVALID);
}

static void test_model_file_round_trip(void **state)
{
    (void)state;
    radar_likelihood_model *m, *back;
    assert_int_equal(radar_likelihood_model_new(&m), 0);
    radar_likelihood_model_set_weight(m, feature("base"), -1.25, 0);
    radar_likelihood_model_set_weight(m, feature("club"), 0.123456789, 0);
    radar_likelihood_model_set_weight(m, feature("window"), -1.5, 1);
    const double z[3] = {-2, 0.5, 3}, p[3] = {0.1, 0.4, 0.4};
    assert_int_equal(radar_likelihood_model_set_calibration(m, z, p, 3, 250), 0);
    assert_int_equal(radar_likelihood_model_set_note(m, "fitted here\n\nfor a test"), 0);
    radar_buf a = RADAR_BUF_INIT, b = RADAR_BUF_INIT;
    assert_int_equal(radar_likelihood_model_write(m, &a), 0);
    assert_int_equal(radar_likelihood_model_parse(&back, "t.model", a.data, a.len), 0);
    assert_int_equal(radar_likelihood_model_write(back, &b), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_string_equal(radar_likelihood_model_note(back), "fitted here\n\nfor a test");
    for (size_t i = 0; i < radar_feature_count(); i++) {
        int f1, f2;
        assert_true(fabs(radar_likelihood_model_weight(m, i, &f1) - radar_likelihood_model_weight(back, i, &f2)) <
                    1e-9);
        assert_int_equal(f1, f2);
    }
    /* the calibration interpolates between knots and is flat beyond them */
    assert_true(fabs(radar_likelihood_model_calibrate(back, -0.75) - 0.25) < 1e-12);
    assert_true(radar_likelihood_model_calibrate(back, -9) == 0.1);
    assert_true(radar_likelihood_model_calibrate(back, 9) == 0.4);
    radar_buf_free(&a);
    radar_buf_free(&b);
    radar_likelihood_model_free(back);
    radar_likelihood_model_free(m);

    /* a file without a calibration is a plain logistic model; an unlisted
     * feature weighs 0 */
    const char plain[] = "radar-likelihood 1\r\nweight base 0.5\n\n# a comment\nweight stage.bid 1 fixed\n";
    assert_int_equal(radar_likelihood_model_parse(&m, "p.model", plain, sizeof plain - 1), 0);
    assert_true(fabs(radar_likelihood_model_calibrate(m, 0.5) - radar_sigmoid(0.5)) < 1e-12);
    int fixed;
    assert_true(radar_likelihood_model_weight(m, feature("stage.bid"), &fixed) == 1 && fixed);
    assert_true(radar_likelihood_model_weight(m, feature("club"), &fixed) == 0 && !fixed);
    radar_likelihood_model_free(m);
}

static void test_model_file_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } BAD[] = {
        {"weight base 1\n", "m.model:1: not a likelihood model (expected 'radar-likelihood 1' first), found 'weight base 1'"},
        {"# only a note\n", "m.model:1: no 'radar-likelihood 1' line: not a likelihood model"},
        {"", "m.model:1: no 'radar-likelihood 1' line"},
        {"radar-likelihood 1\nweight base 1\nweight shoe_size 2\n", "m.model:3: unknown feature in 'weight shoe_size 2'"},
        {"radar-likelihood 1\nweight base 1\nweight base 2\n", "m.model:3: a second weight for the same feature"},
        {"radar-likelihood 1\nweight base one\n", "m.model:2: expected 'weight NAME VALUE [fixed]', found"},
        {"radar-likelihood 1\nweight base 1 frozen\n", "m.model:2: expected 'weight NAME VALUE [fixed]'"},
        {"radar-likelihood 1\nweight base nan\n", "m.model:2: a weight must be a finite number"},
        {"radar-likelihood 1\nknot 0 0.5\n", "m.model:2: a knot before the 'calibration' line"},
        {"radar-likelihood 1\ncalibration 10\nknot 0 0.5\nknot -1 0.6\n",
         "m.model:4: knots must have ascending Z and non-descending P"},
        {"radar-likelihood 1\ncalibration 10\nknot 0 0.5\nknot 1 0.4\n", "m.model:4: knots must have ascending Z"},
        {"radar-likelihood 1\ncalibration 10\nknot 0 1.5\n", "m.model:3: a knot's probability must be within 0 .. 1"},
        {"radar-likelihood 1\ncalibration 10\n", "m.model:2: a calibration with no knot"},
        {"radar-likelihood 1\nbias 1\n", "m.model:2: unknown line 'bias 1'"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        radar_likelihood_model *m = (radar_likelihood_model *)1;
        assert_int_equal(radar_likelihood_model_parse(&m, "m.model", BAD[i].text, strlen(BAD[i].text)), RADAR_EFORMAT);
        assert_null(m);
        if (!strstr(radar_last_error(), BAD[i].message))
            fail_msg("case %zu: '%s' does not say '%s'", i, radar_last_error(), BAD[i].message);
    }
    radar_likelihood_model *m;
    assert_int_equal(radar_likelihood_model_load(&m, "/nonexistent/x.model"), RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "/nonexistent/x.model"));
}

/* The shipped model parses (else the hand-set weights would score), and is
 * the fitted one: it has a calibration. */
static void test_builtin(void **state)
{
    (void)state;
    const radar_likelihood_model *b = radar_likelihood_model_builtin(), *h = radar_likelihood_model_handset();
    const double *kz, *kp;
    assert_true(radar_likelihood_model_knots(b, &kz, &kp) > 1);
    assert_int_equal(radar_likelihood_model_knots(h, &kz, &kp), 0);
    assert_non_null(strstr(radar_likelihood_model_note(b), "tm-dev"));
}

/* Every line of the explanation says what was seen and what it added; the
 * lines add up to the log-odds of p, calibration included. */
static void test_explanation(void **state)
{
    (void)state;
    radar_likelihood_model *m;
    assert_int_equal(radar_likelihood_model_copy(&m, radar_likelihood_model_handset()), 0);
    radar_likelihood_model_set_weight(m, feature("club"), 0.8, 0);
    radar_likelihood_model_set_weight(m, feature("contract"), 1.2, 0);
    radar_likelihood_model_set_weight(m, feature("fee"), -0.3, 0);
    const double z[2] = {-3, 3}, p[2] = {0.05, 0.9};
    assert_int_equal(radar_likelihood_model_set_calibration(m, z, p, 2, 40), 0);
    radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
    e.stage = RADAR_STAGE_BID;
    e.club_settled = 10;
    e.club_signed = 8;
    snprintf(e.club, sizeof e.club, "Harbour City");
    e.contract_months = 6;
    e.fee_eur = 40e6;
    e.club_paid_eur = 20e6;
    e.firm = 2;
    snprintf(e.firm_word, sizeof e.firm_word, "advanced talks");
    e.hedges = 1;
    snprintf(e.hedge_word, sizeof e.hedge_word, "monitoring");
    radar_likelihood_model_set_weight(m, feature("firm"), 0.9, 0);
    radar_likelihood_model_set_weight(m, feature("hedged"), -0.5, 0);
    radar_likelihood l;
    radar_likelihood_compute_with(m, &e, &l);
    double sum = 0;
    const char *club = NULL, *contract = NULL, *fee = NULL, *cal = NULL, *firm = NULL, *hedged = NULL;
    for (size_t i = 0; i < l.n; i++) {
        sum += l.factors[i].contribution;
        if (l.factors[i].has_weight)
            assert_true(fabs(l.factors[i].value * l.factors[i].weight - l.factors[i].contribution) < 1e-12);
        if (!strcmp(l.factors[i].name, "club")) {
            club = l.factors[i].detail;
            assert_true(l.factors[i].has_weight && l.factors[i].weight == 0.8);
        }
        if (!strcmp(l.factors[i].name, "contract"))
            contract = l.factors[i].detail;
        if (!strcmp(l.factors[i].name, "fee"))
            fee = l.factors[i].detail;
        if (!strcmp(l.factors[i].name, "calibration"))
            cal = l.factors[i].detail;
        if (!strcmp(l.factors[i].name, "firm")) {
            firm = l.factors[i].detail;
            assert_true(fabs(l.factors[i].contribution - 0.9 * log2(3)) < 1e-12); /* log2(1 + 2 phrases) */
        }
        if (!strcmp(l.factors[i].name, "hedged")) {
            hedged = l.factors[i].detail;
            assert_true(fabs(l.factors[i].contribution + 0.5) < 1e-12);
        }
    }
    assert_true(fabs(sum - radar_logit(l.p)) < 1e-9);
    assert_string_equal(club, "Harbour City signed 8 of its 10 settled rumours: record 69% (prior 50%)");
    assert_string_equal(contract, "6 months left on his contract");
    assert_string_equal(fee, "a fee of EUR 40m; the most Harbour City has paid: EUR 20m");
    assert_string_equal(firm, "the latest report: 2 phrases of a move well on its way ('advanced talks', ...)");
    assert_string_equal(hedged, "the latest report: 1 hedge ('monitoring')");
    assert_non_null(cal);
    assert_false(l.factors[l.n - 1].has_weight);
    assert_string_equal(l.factors[l.n - 1].name, "calibration");
    /* the club's record is a Beta posterior: 8 of 10 with a prior of 6 at 50% */
    assert_true(fabs(radar_club_rate(10, 8) - 11.0 / 16) < 1e-12);
    assert_true(radar_club_rate(0, 0) == radar_club_prior());
    radar_likelihood_model_free(m);
}

/* The sources' record weighs again at talks or further (source_stage):
 * the sources' own feature there, 0 before; its line says what was seen.
 * The contract counts from two years left. */
static void test_source_stage_and_contract(void **state)
{
    (void)state;
    size_t nf = radar_feature_count();
    double x[64];
    assert_true(nf <= 64);
    radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
    e.stage = RADAR_STAGE_INTEREST;
    e.latest_stage = RADAR_STAGE_INTEREST;
    e.source_rel = 0.7;
    radar_features_compute(&e, x);
    assert_true(x[feature("sources")] > 0.9); /* logit(0.7) - logit(0.35) = 1.47 */
    assert_true(x[feature("source_stage")] == 0);
    e.stage = RADAR_STAGE_TALKS;
    radar_features_compute(&e, x);
    assert_true(x[feature("source_stage")] == x[feature("sources")]);
    e.stage = RADAR_STAGE_BID;
    e.source_rel = -1; /* no origin known: nothing either way */
    radar_features_compute(&e, x);
    assert_true(x[feature("source_stage")] == 0);
    /* 18 months left: a quarter; two years or more: nothing */
    e.contract_months = 18;
    radar_features_compute(&e, x);
    assert_true(fabs(x[feature("contract")] - 0.25) < 1e-12);
    e.contract_months = 24;
    radar_features_compute(&e, x);
    assert_true(x[feature("contract")] == 0);

    radar_likelihood_model *m;
    assert_int_equal(radar_likelihood_model_copy(&m, radar_likelihood_model_handset()), 0);
    radar_likelihood_model_set_weight(m, feature("source_stage"), -0.25, 0);
    e.source_rel = 0.7;
    e.contract_months = -1;
    radar_likelihood l;
    radar_likelihood_compute_with(m, &e, &l);
    const char *line = NULL;
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.factors[i].name, "source_stage")) {
            line = l.factors[i].detail;
            assert_true(fabs(l.factors[i].contribution + 0.25 * (radar_logit(0.7) - radar_logit(0.35))) < 1e-12);
        }
    assert_non_null(line);
    assert_string_equal(line, "the sources' hit rate 70% on a move at bid");
    radar_likelihood_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_recovers_weights), cmocka_unit_test(test_calibration_cross_fitted),
        cmocka_unit_test(test_isotonic_min_bin), cmocka_unit_test(test_folds),
        cmocka_unit_test(test_model_file_round_trip), cmocka_unit_test(test_model_file_errors),
        cmocka_unit_test(test_builtin), cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_source_stage_and_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
