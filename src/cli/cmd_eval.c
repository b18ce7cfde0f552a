/*
 * cmd_eval.c - `radar eval outcomes FILE.jsonl`: how well the likelihoods
 * foresee what happened.
 *
 * Each line of FILE is an article (as radar ingest reads it) that may carry
 * a label: "gold": {"player", "to_club", "outcome": "done"|"failed"}. The
 * articles are ingested in date order into a scratch database; after each
 * day, the labelled articles of that day are scored with the likelihood of
 * their (player, to_club) story as of that day, from what was published up
 * to it and nothing later. Reported: ROC AUC and a reliability table.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/ingest.h"
#include "radar/store.h"
#include "../util/grow.h"
#include "cli.h"

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

typedef struct scored {
    double p;
    int done, found;
} scored;

static int by_p(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    return (x->p > y->p) - (x->p < y->p);
}

/* ROC AUC by ranks (Mann-Whitney U), ties counted half. `s` sorted by p. */
static double auc(const scored *s, size_t n)
{
    double rank_sum = 0;
    size_t pos = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j].p == s[i].p)
            j++;
        double mid = (i + 1 + j) / 2.0; /* average rank of the tie group */
        for (size_t k = i; k < j; k++)
            if (s[k].done) {
                rank_sum += mid;
                pos++;
            }
        i = j;
    }
    size_t neg = n - pos;
    if (!pos || !neg)
        return NAN;
    return (rank_sum - pos * (pos + 1) / 2.0) / ((double)pos * neg);
}

/* Ingest the articles (sorted by date) a day at a time and, after each day,
 * score that day's labelled articles as of it; -1 with the store's error. */
static int replay(radar_ingest *in, radar_store *st, const items *it, const char *file, scored *sc, size_t *ns,
                  size_t *found)
{
    for (size_t i = 0; i < it->n;) {
        size_t j = i;
        while (j < it->n && !strcmp(it->v[j].date ? it->v[j].date : "", it->v[i].date ? it->v[i].date : ""))
            j++;
        /* one day's articles, then the day's records, then its scores */
        for (size_t k = i; k < j; k++) {
            item *x = &it->v[k];
            radar_article a = {.id = x->id, .date = x->date, .source = x->source, .title = x->title,
                               .url = x->url, .body = x->body, .body_len = x->body_len, .path = file};
            radar_ingest_result r;
            if (radar_ingest_article(in, &a, &r) || !r.extracted)
                return -1; /* what the day put is rolled back */
        }
        if (radar_ingest_commit(in) || radar_store_refresh_records(st))
            return -1;
        for (size_t k = i; k < j; k++) {
            item *x = &it->v[k];
            if (!x->player)
                continue;
            long long story = 0;
            radar_likelihood l;
            scored *s = &sc[(*ns)++];
            s->done = x->done;
            if (radar_store_find_story(st, x->player, x->to_club, &story) == 0 &&
                radar_store_story_likelihood(st, story, x->date, &l, NULL) == 0) {
                s->p = l.p;
                s->found = 1;
                (*found)++;
            } else { /* no story: only the base rate is known */
                radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
                radar_likelihood_compute(&e, &l);
                s->p = l.p;
            }
        }
        i = j;
    }
    return 0;
}

/* One decile of the reliability table. */
typedef struct decile {
    int decile;
    size_t n;
    double p_min, p_max, predicted, observed;
} decile;

/* The AUC and the reliability table by decile, as text or JSON. */
static void report(const char *file, scored *sc, size_t ns, size_t found, int json)
{
    qsort(sc, ns, sizeof *sc, by_p);
    double a = auc(sc, ns);
    size_t pos = 0;
    for (size_t i = 0; i < ns; i++)
        pos += sc[i].done;
    decile t[10];
    int nt = 0;
    for (int d = 0; d < 10 && ns; d++) {
        size_t lo = ns * d / 10, hi = ns * (d + 1) / 10;
        if (hi <= lo)
            continue;
        double pred = 0, obs = 0;
        for (size_t i = lo; i < hi; i++) {
            pred += sc[i].p;
            obs += sc[i].done;
        }
        t[nt++] = (decile){d + 1, hi - lo, sc[lo].p, sc[hi - 1].p, pred / (hi - lo), obs / (hi - lo)};
    }
    if (json) {
        json_t *table = json_array();
        for (int k = 0; k < nt; k++)
            json_array_append_new(table, json_pack("{s:i, s:I, s:f, s:f, s:f, s:f}", "decile", t[k].decile, "n",
                                                   (json_int_t)t[k].n, "p_min", t[k].p_min, "p_max", t[k].p_max,
                                                   "predicted", t[k].predicted, "observed", t[k].observed));
        json_t *res = json_pack("{s:s, s:I, s:I, s:I, s:f, s:o}", "file", file, "labelled", (json_int_t)ns, "done",
                                (json_int_t)pos, "story_found", (json_int_t)found, "auc", isnan(a) ? 0.0 : a,
                                "deciles", table);
        char *s = res ? json_dumps(res, JSON_INDENT(2) | CLI_JSON_REAL) : NULL;
        if (s)
            puts(s);
        free(s);
        json_decref(res);
        return;
    }
    printf("%s: %zu labelled articles (%zu done, %zu failed); story found for %zu\n", file, ns, pos, ns - pos, found);
    printf("ROC AUC %.3f\n\n decile    n   p range        predicted  observed\n", a);
    for (int k = 0; k < nt; k++)
        printf(" %6d %4zu   %.2f - %.2f    %8.3f  %8.3f\n", t[k].decile, t[k].n, t[k].p_min, t[k].p_max,
               t[k].predicted, t[k].observed);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: radar eval outcomes FILE.jsonl [--db PATH] [--json]\n"
               "\n"
               "Ingest the articles of FILE in date order into a scratch database (or PATH, which must not\n"
               "exist) and score each labelled article's story as of its date, from what was published up to\n"
               "that day. Labels: \"gold\": {\"player\", \"to_club\", \"outcome\": \"done\" or \"failed\"}.\n"
               "Prints the ROC AUC and predicted against observed rates by decile.\n");
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 2 || strcmp(argv[optind], "outcomes")) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *file = argv[optind + 1];
    items it = {0};
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    int status = EXIT_FAILED;
    radar_lexicon *lex = NULL;
    radar_extractor *ex = NULL;
    radar_store *st = NULL;
    radar_ingest *in = NULL;
    radar_ingest_options io = RADAR_INGEST_OPTIONS_INIT;
    scored *sc = NULL;
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
    if (!db) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            cli_error("cannot make a scratch database in /tmp");
            goto out;
        }
        close(fd);
        unlink(tmp);
        tmp_made = 1;
        db = tmp;
    } else if (access(db, F_OK) == 0) {
        cli_error("%s exists; eval builds its own database (give a new path)", db);
        status = EXIT_USAGE;
        goto out;
    }
    io.batch = (size_t)-1; /* a day's articles in one transaction, committed below */
    if (radar_lexicon_new_builtin(&lex) || radar_extractor_new(&ex, lex) ||
        radar_store_open(&st, db, RADAR_STORE_CREATE, lex) || (io.ex = ex, radar_ingest_new(&in, st, &io))) {
        cli_error("%s", radar_last_error());
        goto out;
    }
    size_t ns = 0, found = 0;
    if (!(sc = calloc(it.n ? it.n : 1, sizeof *sc))) {
        cli_error("out of memory");
        goto out;
    }
    if (replay(in, st, &it, file, sc, &ns, &found))
        goto store_failed;
    report(file, sc, ns, found, json);
    status = EXIT_OK;
    goto out;
store_failed:
    cli_error("%s", radar_last_error());
out:
    free(sc);
    radar_ingest_free(in);
    radar_store_close(st);
    radar_extractor_free(ex);
    radar_lexicon_free(lex);
    if (tmp_made) {
        static const char *const ext[] = {"", "-wal", "-shm"};
        for (int k = 0; k < 3; k++) {
            char p[64];
            snprintf(p, sizeof p, "%s%s", tmp, ext[k]);
            unlink(p);
        }
    }
    for (size_t i = 0; i < it.n; i++) {
        item *x = &it.v[i];
        free(x->id), free(x->date), free(x->source), free(x->title), free(x->url), free(x->body);
        free(x->player), free(x->to_club);
    }
    free(it.v);
    return status;
}
