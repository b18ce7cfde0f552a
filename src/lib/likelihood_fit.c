/*
 * likelihood_fit.c - fitting a likelihood model to outcomes.
 *
 * The weights: logistic regression by Newton's method, with an L2 penalty
 * that pulls each weight towards the one it starts from (the hand-set
 * weights), so that a feature the examples rarely show keeps roughly the
 * weight a person gave it instead of a wild one; the base is not pulled.
 * Fixed features keep their weight and enter as an offset.
 *
 * The calibration: Platt scaling (a sigmoid of the log-odds, which keeps
 * their order) or isotonic regression (pool adjacent violators) of the
 * outcomes on the log-odds. The log-odds it is fitted on are out of fold
 * (each example scored by weights fitted without its group), because a
 * model is more sure of the examples it was fitted on than of new ones.
 * Everything is deterministic: folds come from a seeded shuffle of the
 * groups.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "radar/score.h"
#include "score_internal.h"

/* A small generator of our own, so that a seed gives the same folds on every
 * platform (splitmix64). */
static unsigned long long next_rand(unsigned long long *s)
{
    unsigned long long z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int radar_fit_folds(const long *group, size_t n, int k, unsigned long seed, int *fold)
{
    if (k < 2)
        return radar_error_set(RADAR_EINVALID, "folds: at least 2, not %d", k);
    long *g = malloc((n ? n : 1) * sizeof *g);
    if (!g)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    memcpy(g, group, n * sizeof *g);
    qsort(g, n, sizeof *g, cmp_long);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || g[i] != g[u - 1])
            g[u++] = g[i];
    unsigned long long s = seed;
    for (size_t i = u; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)(next_rand(&s) % i);
        long t = g[i - 1];
        g[i - 1] = g[j];
        g[j] = t;
    }
    /* a group's fold is its place in the shuffled order, dealt round */
    int *at = malloc((u ? u : 1) * sizeof *at);
    long *sorted = malloc((u ? u : 1) * sizeof *sorted);
    if (!at || !sorted) {
        free(g), free(at), free(sorted);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    memcpy(sorted, g, u * sizeof *sorted);
    qsort(sorted, u, sizeof *sorted, cmp_long);
    for (size_t i = 0; i < u; i++) {
        long *p = bsearch(&g[i], sorted, u, sizeof *sorted, cmp_long);
        at[p - sorted] = (int)(i % (size_t)k);
    }
    for (size_t i = 0; i < n; i++)
        fold[i] = at[(long *)bsearch(&group[i], sorted, u, sizeof *sorted, cmp_long) - sorted];
    free(g), free(at), free(sorted);
    return 0;
}

/* Solve A x = b for symmetric positive definite A (n x n, overwritten by its
 * Cholesky factor). Returns -1 when A is not positive definite. */
static int cholesky_solve(double *A, double *b, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double d = A[j * n + j];
        for (size_t k = 0; k < j; k++)
            d -= A[j * n + k] * A[j * n + k];
        if (d <= 1e-12)
            return -1;
        d = sqrt(d);
        A[j * n + j] = d;
        for (size_t i = j + 1; i < n; i++) {
            double s = A[i * n + j];
            for (size_t k = 0; k < j; k++)
                s -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = s / d;
        }
    }
    for (size_t i = 0; i < n; i++) { /* L y = b */
        double s = b[i];
        for (size_t k = 0; k < i; k++)
            s -= A[i * n + k] * b[k];
        b[i] = s / A[i * n + i];
    }
    for (size_t i = n; i-- > 0;) { /* L' x = y */
        double s = b[i];
        for (size_t k = i + 1; k < n; k++)
            s -= A[k * n + i] * b[k];
        b[i] = s / A[i * n + i];
    }
    return 0;
}

/* The penalised negative log-likelihood of weights w. */
static double objective(const double *w, const double *w0, const double *x, const int *y, const double *wt,
                        const char *use, size_t n, size_t nf, double l2)
{
    double f = 0;
    for (size_t r = 0; r < n; r++) {
        if (use && !use[r])
            continue;
        double z = 0;
        for (size_t i = 0; i < nf; i++)
            z += w[i] * x[r * nf + i];
        /* log(1 + e^z) - y z, computed without overflow */
        double l = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
        f += (wt ? wt[r] : 1) * (l - y[r] * z);
    }
    for (size_t i = 1; i < nf; i++)
        f += 0.5 * l2 * (w[i] - w0[i]) * (w[i] - w0[i]);
    return f;
}

/* Fit the free weights of w (starting values and penalty centres w0) on the
 * rows r with use[r] (all when use is NULL). */
static int fit_weights(double *w, const double *w0, const int *fixed, const double *x, const int *y,
                       const double *wt, const char *use, size_t n, size_t nf, double l2)
{
    size_t free_idx[SCORE_MAX_FEATURES], nfree = 0;
    for (size_t i = 0; i < nf; i++)
        if (!fixed[i])
            free_idx[nfree++] = i;
    double H[SCORE_MAX_FEATURES * SCORE_MAX_FEATURES], g[SCORE_MAX_FEATURES], trial[SCORE_MAX_FEATURES];
    double f = objective(w, w0, x, y, wt, use, n, nf, l2);
    for (int it = 0; it < 100; it++) {
        memset(H, 0, sizeof H);
        memset(g, 0, sizeof g);
        for (size_t r = 0; r < n; r++) {
            if (use && !use[r])
                continue;
            const double *xr = x + r * nf;
            double z = 0;
            for (size_t i = 0; i < nf; i++)
                z += w[i] * xr[i];
            double p = radar_sigmoid(z), c = wt ? wt[r] : 1, v = c * p * (1 - p);
            for (size_t a = 0; a < nfree; a++) {
                double xa = xr[free_idx[a]];
                if (xa == 0)
                    continue;
                g[a] += c * (y[r] - p) * xa;
                for (size_t b = 0; b <= a; b++)
                    H[a * nfree + b] += v * xa * xr[free_idx[b]];
            }
        }
        for (size_t a = 0; a < nfree; a++) {
            size_t i = free_idx[a];
            /* the base has a tiny penalty only, so that H stays definite */
            double lam = i == 0 ? 1e-6 : l2;
            g[a] -= lam * (w[i] - w0[i]) * (i != 0);
            H[a * nfree + a] += lam;
            for (size_t b = 0; b < a; b++)
                H[b * nfree + a] = H[a * nfree + b];
        }
        if (cholesky_solve(H, g, nfree))
            return radar_error_set(RADAR_EINVALID, "fitting the likelihood: the examples leave a weight undetermined");
        /* Newton step, halved until the objective goes down */
        double step = 1, fn = f;
        for (int h = 0; h < 30; h++, step /= 2) {
            memcpy(trial, w, nf * sizeof *w);
            for (size_t a = 0; a < nfree; a++)
                trial[free_idx[a]] += step * g[a];
            fn = objective(trial, w0, x, y, wt, use, n, nf, l2);
            if (fn <= f)
                break;
        }
        if (!(fn <= f))
            break;
        double moved = 0;
        for (size_t a = 0; a < nfree; a++)
            moved = fmax(moved, fabs(step * g[a]));
        memcpy(w, trial, nf * sizeof *w);
        f = fn;
        if (moved < 1e-9)
            break;
    }
    return 0;
}

typedef struct zy {
    double z, y, w;
} zy;

static int by_z(const void *a, const void *b)
{
    const zy *x = a, *y = b;
    return (x->z > y->z) - (x->z < y->z);
}

/* Isotonic regression of y on z: pooled blocks, each a knot at its mean z
 * with its mean y (shrunk a little towards the overall rate, so that no
 * knot says 0 or 1 from a handful of examples); with min_bin > 0, no block
 * of fewer examples. */
static int isotonic(radar_likelihood_model *m, zy *v, size_t n, double min_bin)
{
    if (!n)
        return radar_likelihood_model_set_calibration(m, NULL, NULL, 0, 0);
    qsort(v, n, sizeof *v, by_z);
    double tot = 0, pos = 0;
    for (size_t i = 0; i < n; i++)
        tot += v[i].w, pos += v[i].w * v[i].y;
    double base = pos / tot;
    /* blocks: sum of w, of w y, of w z */
    double *sw = malloc(n * sizeof *sw), *sy = malloc(n * sizeof *sy), *sz = malloc(n * sizeof *sz);
    int rc = 0;
    if (!sw || !sy || !sz) {
        rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        goto out;
    }
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        /* equal z are one point: they get one probability */
        if (i && v[i].z == v[i - 1].z) { /* the last block holds v[i - 1] */
            sw[nb - 1] += v[i].w, sy[nb - 1] += v[i].w * v[i].y, sz[nb - 1] += v[i].w * v[i].z;
        } else {
            sw[nb] = v[i].w, sy[nb] = v[i].w * v[i].y, sz[nb] = v[i].w * v[i].z;
            nb++;
        }
        while (nb > 1 && sy[nb - 2] / sw[nb - 2] >= sy[nb - 1] / sw[nb - 1]) {
            sw[nb - 2] += sw[nb - 1], sy[nb - 2] += sy[nb - 1], sz[nb - 2] += sz[nb - 1];
            nb--;
        }
    }
    /* smoothed: a block of fewer than min_bin examples joins the neighbour
     * whose rate is nearer (adjacent blocks of a non-decreasing run: the
     * run stays non-decreasing), so that no knot rests on a handful */
    while (min_bin > 0 && nb > 1) {
        size_t s = 0;
        for (size_t b = 1; b < nb; b++)
            if (sw[b] < sw[s])
                s = b;
        if (sw[s] >= min_bin)
            break;
        size_t into;
        if (s == 0)
            into = 1;
        else if (s == nb - 1)
            into = nb - 2;
        else {
            double r = sy[s] / sw[s];
            into = r - sy[s - 1] / sw[s - 1] <= sy[s + 1] / sw[s + 1] - r ? s - 1 : s + 1;
        }
        size_t lo = s < into ? s : into;
        sw[lo] = sw[s] + sw[into], sy[lo] = sy[s] + sy[into], sz[lo] = sz[s] + sz[into];
        memmove(sw + lo + 1, sw + lo + 2, (nb - lo - 2) * sizeof *sw);
        memmove(sy + lo + 1, sy + lo + 2, (nb - lo - 2) * sizeof *sy);
        memmove(sz + lo + 1, sz + lo + 2, (nb - lo - 2) * sizeof *sz);
        nb--;
    }
    for (size_t b = 0; b < nb; b++) {
        sz[b] /= sw[b];
        sy[b] = (sy[b] + base) / (sw[b] + 1); /* one pseudo-example at the overall rate */
    }
    /* shrinking may make neighbours equal or (barely) reverse: keep p
     * non-decreasing; z ascends strictly as the blocks are disjoint */
    for (size_t b = 1; b < nb; b++)
        if (sy[b] < sy[b - 1])
            sy[b] = sy[b - 1];
    size_t keep = nb < RADAR_MAX_CALIBRATION_KNOTS ? nb : RADAR_MAX_CALIBRATION_KNOTS;
    rc = radar_likelihood_model_set_calibration(m, sz, sy, keep, (long)n);
out:
    free(sw), free(sy), free(sz);
    return rc;
}

/* Platt scaling: p = sigmoid(a z + b) fitted to the outcomes by Newton's
 * method, kept as knots every half unit of z over -8 .. 8 (the file's form);
 * strictly increasing, so it never ties two stories the weights told apart. */
static int platt(radar_likelihood_model *m, const zy *v, size_t n)
{
    double a = 1, b = 0;
    for (int it = 0; it < 50; it++) {
        double g0 = 0, g1 = 0, h00 = 1e-6, h01 = 0, h11 = 1e-6;
        for (size_t i = 0; i < n; i++) {
            double p = radar_sigmoid(a * v[i].z + b), r = v[i].y - p, w = p * (1 - p);
            g0 += r * v[i].z, g1 += r;
            h00 += w * v[i].z * v[i].z, h01 += w * v[i].z, h11 += w;
        }
        double det = h00 * h11 - h01 * h01;
        if (!(det > 0))
            break;
        double da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
        a += da, b += db;
        if (fabs(da) + fabs(db) < 1e-10)
            break;
    }
    if (!(a > 0)) /* the log-odds should rank: if they do not, say the overall rate */
        a = 1e-3;
    double kz[33], kp[33];
    for (int k = 0; k < 33; k++) {
        kz[k] = -8 + 0.5 * k;
        kp[k] = radar_sigmoid(a * kz[k] + b);
    }
    return radar_likelihood_model_set_calibration(m, kz, kp, 33, (long)n);
}

int radar_likelihood_fit(radar_likelihood_model **out, const radar_likelihood_model *start, const double *x,
                         const int *y, const double *weight, const long *group, size_t n, const radar_fit_options *o)
{
    *out = NULL;
    size_t nf = radar_feature_count();
    if (!start)
        start = radar_likelihood_model_handset();
    size_t pos = 0;
    for (size_t r = 0; r < n; r++)
        pos += y[r] != 0;
    if (!pos || pos == n)
        return radar_error_set(RADAR_EINVALID, "fitting the likelihood: %zu examples, %zu of them done: need both "
                                               "outcomes", n, pos);
    radar_likelihood_model *m;
    int rc = radar_likelihood_model_copy(&m, start);
    if (rc)
        return rc;
    double w0[SCORE_MAX_FEATURES] = {0};
    int fixed[SCORE_MAX_FEATURES];
    for (size_t i = 0; i < nf; i++) {
        w0[i] = radar_likelihood_model_weight(start, i, &fixed[i]);
        if (i > 0 && (o->without >> i & 1)) /* left out: weighs nothing, and stays so */
            w0[i] = 0, fixed[i] = 1;
    }
    double w[SCORE_MAX_FEATURES];
    memcpy(w, w0, sizeof w);
    int *fold = NULL;
    char *use = NULL;
    zy *v = NULL;
    if ((rc = fit_weights(w, w0, fixed, x, y, weight, NULL, n, nf, o->l2)))
        goto out;
    for (size_t i = 0; i < nf; i++)
        radar_likelihood_model_set_weight(m, i, w[i], fixed[i]);
    rc = radar_likelihood_model_set_calibration(m, NULL, NULL, 0, 0);
    if (rc || o->calibration_folds < 2)
        goto out;
    /* the calibration, on log-odds out of fold */
    fold = malloc(n * sizeof *fold);
    use = malloc(n);
    v = malloc(n * sizeof *v);
    if (!fold || !use || !v) {
        rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = radar_fit_folds(group, n, o->calibration_folds, o->seed, fold)))
        goto out;
    for (int k = 0; k < o->calibration_folds && !rc; k++) {
        double wk[SCORE_MAX_FEATURES];
        memcpy(wk, w, sizeof wk); /* start from the full fit: fewer steps */
        for (size_t r = 0; r < n; r++)
            use[r] = fold[r] != k;
        if ((rc = fit_weights(wk, w0, fixed, x, y, weight, use, n, nf, o->l2)))
            break;
        for (size_t r = 0; r < n; r++)
            if (fold[r] == k) {
                double z = 0;
                for (size_t i = 0; i < nf; i++)
                    z += wk[i] * x[r * nf + i];
                v[r] = (zy){z, y[r] != 0, 1}; /* the calibration counts examples, not weights */
            }
    }
    size_t nc = 0;
    for (size_t r = 0; r < n; r++)
        if (!o->calibrate || o->calibrate[r])
            v[nc++] = v[r];
    if (!rc)
        rc = o->platt ? platt(m, v, nc) : isotonic(m, v, nc, o->min_bin);
out:
    free(fold), free(use), free(v);
    if (rc)
        radar_likelihood_model_free(m);
    else
        *out = m;
    return rc;
}
