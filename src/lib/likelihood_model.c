/*
 * likelihood_model.c - the weights of the likelihood and its calibration:
 * the model file (read, written), the built-in and hand-set models, and the
 * fitting of a model to outcomes (L2-regularised logistic regression, then
 * an isotonic calibration of its log-odds).
 *
 * The model file is plain text a person can read and edit:
 *
 *   # comment lines: how the model was fitted and its figures
 *   radar-likelihood 1
 *   weight NAME VALUE [fixed]      one per feature (a feature not listed weighs 0)
 *   calibration EXAMPLES           optional: the outcomes the knots were fitted on
 *   knot Z P                       Z ascending, P non-decreasing, 0 <= P <= 1
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/buf.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/score.h"
#include "score_internal.h"
#include "../util/embedded.h"

struct radar_likelihood_model {
    double w[SCORE_MAX_FEATURES];
    int fixed[SCORE_MAX_FEATURES];
    double *kz, *kp; /* the calibration's knots */
    size_t nk;
    long examples;
    char *note;
};

int radar_likelihood_model_new(radar_likelihood_model **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

void radar_likelihood_model_free(radar_likelihood_model *m)
{
    if (!m)
        return;
    free(m->kz);
    free(m->kp);
    free(m->note);
    free(m);
}

int radar_likelihood_model_copy(radar_likelihood_model **out, const radar_likelihood_model *m)
{
    int rc = radar_likelihood_model_new(out);
    if (rc)
        return rc;
    memcpy((*out)->w, m->w, sizeof m->w);
    memcpy((*out)->fixed, m->fixed, sizeof m->fixed);
    if ((rc = radar_likelihood_model_set_calibration(*out, m->kz, m->kp, m->nk, m->examples)) ||
        (rc = radar_likelihood_model_set_note(*out, m->note ? m->note : ""))) {
        radar_likelihood_model_free(*out);
        *out = NULL;
    }
    return rc;
}

double radar_likelihood_model_weight(const radar_likelihood_model *m, size_t i, int *fixed)
{
    if (fixed)
        *fixed = m->fixed[i];
    return m->w[i];
}

void radar_likelihood_model_set_weight(radar_likelihood_model *m, size_t i, double w, int fixed)
{
    if (i >= radar_feature_count())
        return;
    m->w[i] = w;
    m->fixed[i] = fixed != 0;
}

const char *radar_likelihood_model_note(const radar_likelihood_model *m)
{
    return m->note ? m->note : "";
}

int radar_likelihood_model_set_note(radar_likelihood_model *m, const char *note)
{
    char *n = strdup(note);
    if (!n)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    free(m->note);
    m->note = n;
    return 0;
}

int radar_likelihood_model_set_calibration(radar_likelihood_model *m, const double *z, const double *p, size_t n,
                                           long examples)
{
    if (n > RADAR_MAX_CALIBRATION_KNOTS)
        return radar_error_set(RADAR_ETOOLARGE, "a calibration of %zu knots (at most %u)", n,
                               RADAR_MAX_CALIBRATION_KNOTS);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(z[i]) || !(p[i] >= 0 && p[i] <= 1) || (i && (z[i] <= z[i - 1] || p[i] < p[i - 1])))
            return radar_error_set(RADAR_EINVALID, "calibration knot %zu: z must ascend and p in 0..1 not descend",
                                   i + 1);
    double *kz = n ? malloc(n * sizeof *kz) : NULL, *kp = n ? malloc(n * sizeof *kp) : NULL;
    if (n && (!kz || !kp)) {
        free(kz);
        free(kp);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    if (n) {
        memcpy(kz, z, n * sizeof *kz);
        memcpy(kp, p, n * sizeof *kp);
    }
    free(m->kz);
    free(m->kp);
    m->kz = kz;
    m->kp = kp;
    m->nk = n;
    m->examples = n ? examples : 0;
    return 0;
}

size_t radar_likelihood_model_knots(const radar_likelihood_model *m, const double **z, const double **p)
{
    *z = m->kz;
    *p = m->kp;
    return m->nk;
}

double radar_likelihood_model_calibrate(const radar_likelihood_model *m, double z)
{
    if (!m->nk)
        return radar_sigmoid(z);
    if (z <= m->kz[0])
        return m->kp[0];
    if (z >= m->kz[m->nk - 1])
        return m->kp[m->nk - 1];
    size_t lo = 0, hi = m->nk - 1; /* kz[lo] < z < kz[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m->kz[mid] <= z)
            lo = mid;
        else
            hi = mid;
    }
    double t = (z - m->kz[lo]) / (m->kz[hi] - m->kz[lo]);
    return m->kp[lo] + t * (m->kp[hi] - m->kp[lo]);
}

double radar_likelihood_model_logit(const radar_likelihood_model *m, const double *x)
{
    double z = 0;
    for (size_t i = 0; i < radar_feature_count(); i++)
        z += m->w[i] * x[i];
    return z;
}

/* ---- the file ---- */

#define HEADER "radar-likelihood 1"

/* The next line of text[*pos..len), NUL-terminated in `line` (cap bytes). */
static int next_line(const char *text, size_t len, size_t *pos, char *line, size_t cap, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *s = text + *pos, *e = memchr(s, '\n', len - *pos);
    size_t l = e ? (size_t)(e - s) : len - *pos;
    *pos += l + (e != NULL);
    if (l && s[l - 1] == '\r')
        l--;
    *n = l;
    if (l >= cap)
        l = cap - 1;
    memcpy(line, s, l);
    line[l] = '\0';
    return 1;
}

static int parse_error(radar_likelihood_model *m, const char *name, unsigned long line, const char *what,
                       const char *text)
{
    radar_likelihood_model_free(m);
    return radar_error_set(RADAR_EFORMAT, "%s:%lu: %s%s%s%s", name, line, what, text ? " '" : "", text ? text : "",
                           text ? "'" : "");
}

int radar_likelihood_model_parse(radar_likelihood_model **out, const char *name, const char *text, size_t len)
{
    *out = NULL;
    if (len > RADAR_MAX_MODEL_FILE)
        return radar_error_set(RADAR_ETOOLARGE, "%s: larger than %u bytes", name, RADAR_MAX_MODEL_FILE);
    radar_likelihood_model *m;
    int rc = radar_likelihood_model_new(&m);
    if (rc)
        return rc;
    radar_buf note = RADAR_BUF_INIT;
    double kz[RADAR_MAX_CALIBRATION_KNOTS], kp[RADAR_MAX_CALIBRATION_KNOTS];
    size_t nk = 0, pos = 0, n;
    long examples = -1;
    int header = 0, seen[SCORE_MAX_FEATURES] = {0};
    unsigned long lineno = 0;
    char line[512];
    while (next_line(text, len, &pos, line, sizeof line, &n)) {
        lineno++;
        if (n >= sizeof line) {
            radar_buf_free(&note);
            return parse_error(m, name, lineno, "line too long", NULL);
        }
        if (memchr(line, '\0', n) || !line[strspn(line, " \t")])
            continue;
        if (line[0] == '#') {
            if (!header) /* the comments above the header are the model's note */
                rc = radar_buf_printf(&note, "%s%s", note.len ? "\n" : "", line + 1 + (line[1] == ' '));
            if (rc)
                break;
            continue;
        }
        char word[32], arg[128], extra[32];
        double v, p;
        const char *bad = NULL;
        if (!header) {
            if (strcmp(line, HEADER))
                bad = "not a likelihood model (expected '" HEADER "' first), found";
            header = 1;
        } else if (sscanf(line, "%31s", word) != 1) {
            bad = "cannot read";
        } else if (!strcmp(word, "weight")) {
            int k = sscanf(line, "weight %127s %lf %31s", arg, &v, extra);
            int f = k >= 1 ? radar_feature_find(arg) : -1;
            if (k < 2 || (k == 3 && strcmp(extra, "fixed")))
                bad = "expected 'weight NAME VALUE [fixed]', found";
            else if (f < 0)
                bad = "unknown feature in";
            else if (seen[f])
                bad = "a second weight for the same feature in";
            else if (!isfinite(v))
                bad = "a weight must be a finite number:";
            else {
                seen[f] = 1;
                m->w[f] = v;
                m->fixed[f] = k == 3;
            }
        } else if (!strcmp(word, "calibration")) {
            if (sscanf(line, "calibration %ld %31s", &examples, extra) != 1 || examples < 0)
                bad = "expected 'calibration EXAMPLES', found";
        } else if (!strcmp(word, "knot")) {
            if (examples < 0)
                bad = "a knot before the 'calibration' line:";
            else if (sscanf(line, "knot %lf %lf %31s", &v, &p, extra) != 2 || !isfinite(v))
                bad = "expected 'knot Z P', found";
            else if (!(p >= 0 && p <= 1))
                bad = "a knot's probability must be within 0 .. 1:";
            else if (nk && (v <= kz[nk - 1] || p < kp[nk - 1]))
                bad = "knots must have ascending Z and non-descending P:";
            else if (nk == RADAR_MAX_CALIBRATION_KNOTS)
                bad = "too many knots (at most " RADAR_STR(RADAR_MAX_CALIBRATION_KNOTS) "):";
            else {
                kz[nk] = v;
                kp[nk++] = p;
            }
        } else {
            bad = "unknown line";
        }
        if (bad) {
            radar_buf_free(&note);
            return parse_error(m, name, lineno, bad, line);
        }
    }
    if (!rc && !header) {
        radar_buf_free(&note);
        return parse_error(m, name, lineno ? lineno : 1, "no '" HEADER "' line: not a likelihood model", NULL);
    }
    if (!rc && examples >= 0 && !nk) {
        radar_buf_free(&note);
        return parse_error(m, name, lineno, "a calibration with no knot", NULL);
    }
    if (!rc)
        rc = radar_likelihood_model_set_calibration(m, kz, kp, nk, examples);
    if (!rc)
        rc = radar_likelihood_model_set_note(m, note.data ? note.data : "");
    radar_buf_free(&note);
    if (rc) {
        radar_likelihood_model_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int radar_likelihood_model_load(radar_likelihood_model **out, const char *path)
{
    *out = NULL;
    radar_buf b = RADAR_BUF_INIT;
    int rc = radar_buf_read_file(&b, path, RADAR_MAX_MODEL_FILE);
    if (!rc)
        rc = radar_likelihood_model_parse(out, path, b.data ? b.data : "", b.len);
    radar_buf_free(&b);
    return rc;
}

int radar_likelihood_model_write(const radar_likelihood_model *m, radar_buf *out)
{
    int rc = 0;
    const char *note = radar_likelihood_model_note(m);
    while (*note && !rc) { /* each line of the note a comment */
        const char *e = strchr(note, '\n');
        int l = e ? (int)(e - note) : (int)strlen(note);
        rc = radar_buf_printf(out, "#%s%.*s\n", l ? " " : "", l, note);
        note += l + (e != NULL);
    }
    rc = rc ? rc : radar_buf_puts(out, HEADER "\n");
    for (size_t i = 0; i < radar_feature_count() && !rc; i++)
        rc = radar_buf_printf(out, "weight %s %.10g%s\n", radar_feature_get(i)->name, m->w[i],
                              m->fixed[i] ? " fixed" : "");
    if (m->nk && !rc)
        rc = radar_buf_printf(out, "calibration %ld\n", m->examples);
    for (size_t k = 0; k < m->nk && !rc; k++)
        rc = radar_buf_printf(out, "knot %.10g %.10g\n", m->kz[k], m->kp[k]);
    return rc;
}

/* ---- the shipped models ---- */

static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;
static radar_likelihood_model handset, builtin;

static void load_shipped(void)
{
    for (size_t i = 0; i < radar_feature_count(); i++)
        handset.w[i] = radar_feature_handset(i, &handset.fixed[i]);
    builtin = handset;
    const radar_embedded_file *f =
        radar_embedded_find(radar_builtin_likelihood, radar_builtin_likelihood_count, "likelihood.model");
    radar_likelihood_model *m;
    if (f && radar_likelihood_model_parse(&m, "likelihood.model", f->data, f->len) == 0) {
        builtin = *m; /* its arrays now belong to the shared copy, for the life of the program */
        free(m);
    }
}

const radar_likelihood_model *radar_likelihood_model_builtin(void)
{
    pthread_once(&shipped_once, load_shipped);
    return &builtin;
}

const radar_likelihood_model *radar_likelihood_model_handset(void)
{
    pthread_once(&shipped_once, load_shipped);
    return &handset;
}
