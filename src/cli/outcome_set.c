/*
 * outcome_set.c - examples of stories with known outcomes (outcome_set.h).
 *
 * From labelled articles: the articles are ingested in date order into a
 * scratch database; after each day, the labelled articles of that day are
 * scored with the evidence of their (player, to_club) story as of that day,
 * from what was published up to it and nothing later.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/ingest.h"
#include "radar/store.h"
#include "../util/grow.h"
#include "cli.h"
#include "outcome_set.h"

typedef struct item {
    char *id, *date, *source, *title, *url, *body;
    size_t body_len;
    char *player, *to_club; /* the label, or NULL */
    int done;
    size_t order;
    uint64_t line; /* its line in the file */
} item;

typedef struct items {
    item *v;
    size_t n, cap;
    long failed;
} items;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int on_article(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    items *it = user;
    if (ev != RADAR_READ_ARTICLE) {
        fprintf(stderr, "radar: %s%s\n", ev == RADAR_READ_WARNING ? "warning: " : "", msg);
        it->failed += ev == RADAR_READ_FAILURE;
        return 0;
    }
    if (radar_grow((void **)&it->v, &it->cap, it->n + 1, sizeof *it->v, 256))
        return 1;
    item *x = &it->v[it->n];
    memset(x, 0, sizeof *x);
    x->id = dup_or_null(a->id);
    x->date = dup_or_null(a->date);
    x->source = dup_or_null(a->source);
    x->title = dup_or_null(a->title);
    x->url = dup_or_null(a->url);
    x->body = malloc(a->body_len + 1);
    if (!x->body)
        return 1;
    memcpy(x->body, a->body, a->body_len);
    x->body[a->body_len] = '\0';
    x->body_len = a->body_len;
    x->line = a->line;
    x->order = it->n++;
    return 0;
}

/* The labels: read the file again as JSON Lines. The articles came in line
 * order, so each label meets its article walking both lists together. */
static int read_labels(const char *path, items *it)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0, k = 0;
    ssize_t n;
    uint64_t lineno = 0;
    long labelled = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (k < it->n && it->v[k].line < lineno)
            k++;
        if (k == it->n || it->v[k].line != lineno)
            continue; /* a line the reader refused */
        json_t *o = json_loadb(line, (size_t)n, 0, NULL);
        json_t *g = json_object_get(o, "gold");
        const char *player = json_string_value(json_object_get(g, "player"));
        const char *to = json_string_value(json_object_get(g, "to_club"));
        const char *outcome = json_string_value(json_object_get(g, "outcome"));
        if (player && to && outcome && (!strcmp(outcome, "done") || !strcmp(outcome, "failed"))) {
            it->v[k].player = strdup(player);
            it->v[k].to_club = strdup(to);
            it->v[k].done = !strcmp(outcome, "done");
            labelled++;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return (int)(labelled > 0 ? 0 : 1);
}

static int by_date(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->date ? x->date : "", y->date ? y->date : "");
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void items_free(items *it)
{
    for (size_t i = 0; i < it->n; i++) {
        item *x = &it->v[i];
        free(x->id), free(x->date), free(x->source), free(x->title), free(x->url), free(x->body);
        free(x->player), free(x->to_club);
    }
    free(it->v);
}

void outcome_set_free(outcome_set *s)
{
    free(s->x), free(s->y), free(s->group), free(s->thread), free(s->first), free(s->weight);
    memset(s, 0, sizeof *s);
}

static int set_alloc(outcome_set *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->nf = radar_feature_count();
    size_t m = n ? n : 1;
    s->x = calloc(m * s->nf, sizeof *s->x);
    s->y = calloc(m, sizeof *s->y);
    s->group = calloc(m, sizeof *s->group);
    s->thread = calloc(m, sizeof *s->thread);
    s->first = calloc(m, 1);
    s->weight = calloc(m, sizeof *s->weight);
    if (!s->x || !s->y || !s->group || !s->thread || !s->first || !s->weight) {
        outcome_set_free(s);
        return -1;
    }
    return 0;
}

/* The weights: each thread weighs the same in all (its examples share it),
 * scaled so that they add up to the number of examples; and each thread's
 * first example marked. Examples of a thread come in date order. */
static void set_finish(outcome_set *s)
{
    long max = -1;
    for (size_t i = 0; i < s->n; i++)
        max = s->thread[i] > max ? s->thread[i] : max;
    size_t *count = calloc((size_t)max + 2, sizeof *count);
    if (!count)
        return;
    s->threads = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!count[s->thread[i]]++)
            s->threads++;
        s->done += s->y[i] != 0;
    }
    for (size_t i = 0; i < s->n; i++)
        s->weight[i] = (double)s->n / s->threads / count[s->thread[i]];
    free(count);
}

/* Interned names: the index of `name` (folded for case) in the list. */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

static long intern(names *t, const char *name)
{
    for (size_t i = t->n; i-- > 0;)
        if (!strcasecmp(t->v[i], name))
            return (long)i;
    if (radar_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v, 64))
        return -1;
    if (!(t->v[t->n] = strdup(name)))
        return -1;
    return (long)t->n++;
}

static void names_free(names *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
}

/* The scratch database's path: `db`, which must not exist, or a new name in
 * /tmp written into tmp (*tmp_made set). Prints its own error; returns an
 * exit code. */
static int scratch_db_path(const char *db, char *tmp, const char **path, int *tmp_made)
{
    if (!db) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            cli_error("cannot make a scratch database in /tmp");
            return EXIT_FAILED;
        }
        close(fd);
        unlink(tmp);
        *tmp_made = 1;
        *path = tmp;
    } else if (access(db, F_OK) == 0) {
        cli_error("%s exists; eval builds its own database (give a new path)", db);
        return EXIT_USAGE;
    } else {
        *path = db;
    }
    return EXIT_OK;
}

static void scratch_db_remove(const char *tmp)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        char p[64];
        snprintf(p, sizeof p, "%s%s", tmp, ext[k]);
        unlink(p);
    }
}

/* One day's articles, v[0..n), ingested and committed, then the store's
 * records brought up to that day. 0, or -1 with the radar error set: what
 * the day put is rolled back. */
static int ingest_day(radar_ingest *in, radar_store *st, const item *v, size_t n, const char *file)
{
    for (size_t k = 0; k < n; k++) {
        const item *x = &v[k];
        radar_article a = {.id = x->id, .date = x->date, .source = x->source, .title = x->title,
                           .url = x->url, .body = x->body, .body_len = x->body_len, .path = file};
        radar_ingest_result r;
        if (radar_ingest_article(in, &a, &r) || !r.extracted)
            return -1;
    }
    return radar_ingest_commit(in) || radar_store_refresh_records(st) ? -1 : 0;
}

/* The labelled articles of one day, v[0..n), each an example of out: its
 * (player, to_club) story's features as of that day. Prints its own error;
 * returns 0 or -1. */
static int score_day(radar_store *st, const item *v, size_t n, names *players, names *threads, outcome_set *out)
{
    for (size_t k = 0; k < n; k++) {
        const item *x = &v[k];
        if (!x->player)
            continue;
        char key[512];
        snprintf(key, sizeof key, "%s\x1f%s", x->player, x->to_club);
        long g = intern(players, x->player), t = intern(threads, key);
        if (g < 0 || t < 0) {
            cli_error("out of memory");
            return -1;
        }
        size_t r = out->n++;
        long long story = 0;
        /* no story: only the base rate is known */
        radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
        if (radar_store_find_story(st, x->player, x->to_club, &story) == 0) {
            if (radar_store_story_evidence(st, story, x->date, &e)) {
                cli_error("%s", radar_last_error());
                return -1;
            }
            out->found++;
        }
        radar_features_compute(&e, out->x + r * out->nf);
        out->y[r] = x->done;
        out->group[r] = g;
        out->thread[r] = t;
    }
    return 0;
}

/* A thread's first day: its first example (all of that day score alike).
 * Returns 0, or -1 when out of memory. */
static int mark_first_days(outcome_set *out, size_t n_threads)
{
    char *seen = calloc(n_threads + 1, 1);
    if (!seen)
        return -1;
    for (size_t r = 0; r < out->n; r++)
        if (!seen[out->thread[r]])
            seen[out->thread[r]] = out->first[r] = 1;
    free(seen);
    return 0;
}

/* The articles ingested day by day into the store at `db`, each day's
 * labelled articles scored after it. Prints its own errors; returns an exit
 * code. */
static int score_by_day(const items *it, const char *file, const char *db, names *players, names *threads,
                        outcome_set *out)
{
    int status = EXIT_FAILED;
    radar_lexicon *lex = NULL;
    radar_extractor *ex = NULL;
    radar_store *st = NULL;
    radar_ingest *in = NULL;
    radar_ingest_options io = RADAR_INGEST_OPTIONS_INIT;
    io.batch = (size_t)-1; /* a day's articles in one transaction, committed by ingest_day */
    if (radar_lexicon_new_builtin(&lex) || radar_extractor_new(&ex, lex) ||
        radar_store_open(&st, db, RADAR_STORE_CREATE, lex) || (io.ex = ex, radar_ingest_new(&in, st, &io))) {
        cli_error("%s", radar_last_error());
        goto out;
    }
    for (size_t i = 0; i < it->n;) {
        size_t j = i;
        while (j < it->n && !strcmp(it->v[j].date ? it->v[j].date : "", it->v[i].date ? it->v[i].date : ""))
            j++;
        /* one day's articles, then the day's records, then its scores */
        if (ingest_day(in, st, it->v + i, j - i, file)) {
            cli_error("%s", radar_last_error());
            goto out;
        }
        if (score_day(st, it->v + i, j - i, players, threads, out))
            goto out;
        i = j;
    }
    status = EXIT_OK;
out:
    radar_ingest_free(in);
    radar_store_close(st);
    radar_extractor_free(ex);
    radar_lexicon_free(lex);
    return status;
}

int outcome_set_from_labels(const char *file, const char *db, outcome_set *out)
{
    memset(out, 0, sizeof *out);
    items it = {0};
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    int status = EXIT_FAILED;
    names players = {0}, threads = {0};
    char tmp[] = "/tmp/radar-eval-XXXXXX";
    int tmp_made = 0;
    if (radar_read_path(file, &ro, on_article, &it) < 0) {
        cli_error("%s", radar_last_error());
        goto out;
    }
    if (read_labels(file, &it)) {
        cli_error("%s: no labelled article (a \"gold\" object with player, to_club and outcome)", file);
        goto out;
    }
    qsort(it.v, it.n, sizeof *it.v, by_date);
    if ((status = scratch_db_path(db, tmp, &db, &tmp_made)) != EXIT_OK)
        goto out;
    status = EXIT_FAILED;
    size_t labelled = 0;
    for (size_t i = 0; i < it.n; i++)
        labelled += it.v[i].player != NULL;
    if (set_alloc(out, labelled)) {
        cli_error("out of memory");
        goto out;
    }
    if (score_by_day(&it, file, db, &players, &threads, out) != EXIT_OK)
        goto out;
    if (mark_first_days(out, threads.n)) {
        cli_error("out of memory");
        goto out;
    }
    set_finish(out);
    status = EXIT_OK;
out:
    if (status != EXIT_OK)
        outcome_set_free(out);
    if (tmp_made)
        scratch_db_remove(tmp);
    items_free(&it);
    names_free(&players);
    names_free(&threads);
    return status;
}

int outcome_fit_option(int code, const char *arg, radar_fit_options *o, int *calibrate_first, int *folds)
{
    char *end;
    switch (code) {
    case 'k':
        *folds = (int)strtol(arg, &end, 10);
        if (*end || *folds < 2 || *folds > 100) {
            cli_error("--folds: a number from 2 to 100, not '%s'", arg);
            return EXIT_USAGE;
        }
        break;
    case 'L':
        o->l2 = strtod(arg, &end);
        if (*end || !(o->l2 >= 0 && o->l2 < 1e6)) {
            cli_error("--l2: a number >= 0, not '%s'", arg);
            return EXIT_USAGE;
        }
        break;
    case 'S':
        o->seed = strtoul(arg, &end, 10);
        if (*end || !*arg) {
            cli_error("--seed: a number, not '%s'", arg);
            return EXIT_USAGE;
        }
        break;
    case 'C':
        if (strcmp(arg, "first-day") && strcmp(arg, "all")) {
            cli_error("--calibrate: first-day or all, not '%s'", arg);
            return EXIT_USAGE;
        }
        *calibrate_first = !strcmp(arg, "first-day");
        break;
    case 'I': o->platt = 0; break;
    case 'B':
        o->min_bin = strtod(arg, &end);
        if (*end || !(o->min_bin >= 1 && o->min_bin <= 1e6)) {
            cli_error("--min-bin: a number of examples >= 1, not '%s'", arg);
            return EXIT_USAGE;
        }
        o->platt = 0;
        break;
    case 'W':
        for (const char *a = arg; *a;) {
            size_t n = strcspn(a, ",");
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)n, a);
            int i = radar_feature_find(name);
            if (i <= 0) {
                cli_error("--without: '%s' is not a feature that can be left out (radar fit lists them)", name);
                return EXIT_USAGE;
            }
            o->without |= 1ull << i;
            a += n + (a[n] == ',');
        }
        break;
    }
    return 0;
}

void outcome_without_text(const radar_fit_options *o, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < radar_feature_count() && at < cap; i++)
        if (o->without >> i & 1)
            at += (size_t)snprintf(out + at, cap - at, "%s%s", at ? ", " : "", radar_feature_get(i)->name);
}

int outcome_set_from_store(radar_store *st, outcome_set *out)
{
    radar_outcome_example *ex = NULL;
    size_t n = 0;
    if (radar_store_outcome_examples(st, &ex, &n)) {
        cli_error("%s", radar_last_error());
        return EXIT_FAILED;
    }
    if (set_alloc(out, n)) {
        free(ex);
        cli_error("out of memory");
        return EXIT_FAILED;
    }
    for (size_t i = 0; i < n; i++) {
        radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
        if (radar_store_story_evidence(st, ex[i].story, ex[i].day, &e)) {
            cli_error("%s", radar_last_error());
            free(ex);
            outcome_set_free(out);
            return EXIT_FAILED;
        }
        radar_features_compute(&e, out->x + i * out->nf);
        out->y[i] = ex[i].done;
        out->group[i] = (long)ex[i].player;
        out->thread[i] = (long)ex[i].story;
        out->first[i] = !i || ex[i].story != ex[i - 1].story;
        out->found++;
    }
    out->n = n;
    free(ex);
    set_finish(out);
    return EXIT_OK;
}

void outcome_set_score(const outcome_set *s, const radar_likelihood_model *m, double *p)
{
    for (size_t r = 0; r < s->n; r++)
        p[r] = radar_likelihood_model_calibrate(m, radar_likelihood_model_logit(m, s->x + r * s->nf));
}

/* The examples r with keep[r], copied out. */
static int subset(const outcome_set *s, const char *keep, outcome_set *sub)
{
    size_t n = 0;
    for (size_t r = 0; r < s->n; r++)
        n += keep[r] != 0;
    if (set_alloc(sub, n))
        return -1;
    for (size_t r = 0; r < s->n; r++) {
        if (!keep[r])
            continue;
        size_t i = sub->n++;
        memcpy(sub->x + i * s->nf, s->x + r * s->nf, s->nf * sizeof *s->x);
        sub->y[i] = s->y[r];
        sub->group[i] = s->group[r];
        sub->thread[i] = s->thread[r];
        sub->first[i] = s->first[r];
        sub->weight[i] = s->weight[r];
    }
    return 0;
}

int outcome_set_fit(const outcome_set *s, const radar_likelihood_model *start, const radar_fit_options *o,
                    int calibrate_first, radar_likelihood_model **out)
{
    radar_fit_options fo = *o;
    fo.calibrate = calibrate_first ? s->first : NULL;
    return radar_likelihood_fit(out, start, s->x, s->y, s->weight, s->group, s->n, &fo);
}

int outcome_set_crossval(const outcome_set *s, const radar_likelihood_model *start, const radar_fit_options *o,
                         int calibrate_first, int k, double *p)
{
    int *fold = malloc((s->n ? s->n : 1) * sizeof *fold);
    char *keep = malloc(s->n ? s->n : 1);
    int rc = !fold || !keep ? radar_error_set(RADAR_ENOMEM, "out of memory")
                            : radar_fit_folds(s->group, s->n, k, o->seed, fold);
    for (int f = 0; f < k && !rc; f++) {
        for (size_t r = 0; r < s->n; r++)
            keep[r] = fold[r] != f;
        outcome_set train;
        radar_likelihood_model *m = NULL;
        if (subset(s, keep, &train)) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            break;
        }
        /* the inner folds of the calibration get their own deal */
        radar_fit_options inner = *o;
        inner.seed = o->seed + 1 + (unsigned long)f;
        rc = outcome_set_fit(&train, start, &inner, calibrate_first, &m);
        outcome_set_free(&train);
        for (size_t r = 0; r < s->n && !rc; r++)
            if (fold[r] == f)
                p[r] = radar_likelihood_model_calibrate(m, radar_likelihood_model_logit(m, s->x + r * s->nf));
        radar_likelihood_model_free(m);
    }
    free(fold);
    free(keep);
    return rc;
}

typedef struct py {
    double p;
    int y;
} py;

static int by_p(const void *a, const void *b)
{
    const py *x = a, *y = b;
    return (x->p > y->p) - (x->p < y->p);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define NULL_DRAWS 2000

/* The worst decile gap of outcomes drawn from the predictions v[0..n)
 * (sorted by p), over NULL_DRAWS seeded draws: its median and 90th
 * percentile into f. Returns -1 when out of memory. */
static int null_gaps(const py *v, size_t n, outcome_figures *f)
{
    f->null_gap_median = f->null_gap_p90 = 0;
    if (n < 10)
        return 0;
    double *g = malloc(NULL_DRAWS * sizeof *g);
    if (!g)
        return -1;
    unsigned long long s = 16;
    for (int t = 0; t < NULL_DRAWS; t++) {
        g[t] = 0;
        for (int d = 0; d < 10; d++) {
            size_t lo = n * d / 10, hi = n * (d + 1) / 10;
            double pred = 0, obs = 0;
            for (size_t i = lo; i < hi; i++) {
                /* splitmix64, as the folds' shuffle: the same draws everywhere */
                unsigned long long z = (s += 0x9e3779b97f4a7c15ull);
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
                z ^= z >> 31;
                pred += v[i].p;
                obs += (double)(z >> 11) / 9007199254740992.0 < v[i].p;
            }
            g[t] = fmax(g[t], fabs(obs - pred) / (double)(hi - lo));
        }
    }
    qsort(g, NULL_DRAWS, sizeof *g, by_double);
    f->null_gap_median = g[NULL_DRAWS / 2];
    f->null_gap_p90 = g[NULL_DRAWS * 9 / 10];
    free(g);
    return 0;
}

/* P(X >= x) for X chi-square with k degrees of freedom: the regularised
 * upper incomplete gamma Q(k/2, x/2), by its series (k is at most 10 here,
 * where the series converges quickly). */
static double chi2_upper(double x, int k)
{
    double s = k / 2.0, h = x / 2.0;
    if (h <= 0)
        return 1;
    double term = 1 / s, sum = term;
    for (int n = 1; n < 1000 && term > sum * 1e-15; n++) {
        term *= h / (s + n);
        sum += term;
    }
    double lower = exp(s * log(h) - h - lgamma(s)) * sum; /* P(s, h) */
    return fmax(0, fmin(1, 1 - lower));
}

int outcome_figures_compute(const outcome_set *s, const double *p, const char *mask, outcome_figures *f)
{
    memset(f, 0, sizeof *f);
    py *v = malloc((s->n ? s->n : 1) * sizeof *v);
    if (!v)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t r = 0; r < s->n; r++)
        if (!mask || mask[r])
            v[n++] = (py){p[r], s->y[r] != 0};
    qsort(v, n, sizeof *v, by_p);
    /* ROC AUC by ranks (Mann-Whitney U), ties counted half */
    double rank_sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].p == v[i].p)
            j++;
        double mid = (i + 1 + j) / 2.0; /* average rank of the tie group */
        for (size_t k = i; k < j; k++)
            if (v[k].y) {
                rank_sum += mid;
                f->done++;
            }
        i = j;
    }
    f->n = n;
    size_t neg = n - f->done;
    f->auc = f->done && neg ? (rank_sum - f->done * (f->done + 1) / 2.0) / ((double)f->done * neg) : NAN;
    for (size_t i = 0; i < n; i++)
        f->brier += (v[i].p - v[i].y) * (v[i].p - v[i].y) / n;
    for (int d = 0; d < 10 && n; d++) {
        size_t lo = n * d / 10, hi = n * (d + 1) / 10;
        if (hi <= lo)
            continue;
        double pred = 0, obs = 0, var = 0;
        for (size_t i = lo; i < hi; i++) {
            pred += v[i].p;
            obs += v[i].y;
            var += v[i].p * (1 - v[i].p);
        }
        int k = f->n_deciles++;
        f->decile[k].n = hi - lo;
        f->decile[k].p_min = v[lo].p;
        f->decile[k].p_max = v[hi - 1].p;
        f->decile[k].predicted = pred / (hi - lo);
        f->decile[k].observed = obs / (hi - lo);
        f->decile[k].se = sqrt(var) / (hi - lo);
        double gap = fabs(f->decile[k].observed - f->decile[k].predicted);
        f->worst_gap = fmax(f->worst_gap, gap);
        if (var > 0) {
            f->worst_z = fmax(f->worst_z, gap / f->decile[k].se);
            f->hl_chi2 += (obs - pred) * (obs - pred) / var;
        }
    }
    f->hl_p = f->n_deciles ? chi2_upper(f->hl_chi2, f->n_deciles) : NAN;
    if (null_gaps(v, n, f)) {
        free(v);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    free(v);
    return 0;
}
