/*
 * cmd_extract.c - `radar extract`: articles in, rumours out.
 *
 * With --jobs 1 every article is extracted inside the reader's callback, with
 * no copy. With more jobs, articles are copied into a batch; a full batch is
 * split across worker threads (one extractor each) while the main thread
 * reads the next one, and results are written in input order, so output does
 * not depend on the number of jobs.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "radar/radar.h"
#include "../util/grow.h"
#include "cli.h"

#define BATCH_ARTICLES 2048
#define BATCH_BYTES (32u * 1024u * 1024u)

typedef struct batch {
    radar_article_held *a;
    size_t n, bytes;
} batch;

typedef struct worker {
    pthread_t thread;
    radar_extractor *ex;
    radar_buf out;
    size_t *ends; /* end offset in out of each article it did */
    size_t n_ends, cap_ends;
    int failed;
    size_t extracted;
    char error[512];
    struct run *run;
    size_t index;
} worker;

typedef struct run {
    int text;          /* --format text */
    int jobs;
    int quiet;
    radar_lexicon *lex;
    radar_extractor *ex; /* jobs == 1 */
    radar_buf out;
    batch batches[2];  /* one being filled by the reader, one with the workers */
    int filling;       /* index of the batch being filled */
    int in_flight;     /* the other batch is with the workers */
    worker *workers;
    /* an item is an article read or a failure to read one; each article
     * read is then either extracted or one more failure, so that the
     * summary never counts one item twice */
    size_t extracted, rumours, failures, warnings;
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar extract [OPTIONS] [PATH...]\n"
            "\n"
            "Read dated articles and print the transfer rumours, entities and facts in each.\n"
            "PATH is a file, a directory (read recursively) or - for standard input (the default).\n"
            "Formats, recognised by content: 'date YYYY-MM-DD' text, JSON Lines\n"
            "({\"id\",\"date\",\"source\",\"title\",\"url\",\"text\"}), plain text.\n"
            "\n"
            "options:\n"
            "  -f, --format json|text  output format (default json: one object per article per line)\n"
            "  -d, --date YYYY-MM-DD   date for articles that carry none\n"
            "  -l, --lexicon DIR       add the lexicon files in DIR to the built-in lexicon\n"
            "  -j, --jobs N            worker threads (default 1)\n"
            "      --model FILE        decide with this model instead of the built-in one (radar train writes them)\n"
            "      --rules-only        no model: report what the rule passes propose\n"
            "  -q, --quiet             do not print warnings (failures are still printed)\n"
            "  -h, --help              show this help\n"
            "\n"
            "Exit status: 0 when every article was read, 1 when any item failed, 2 on bad usage.\n");
}

static int flush_out(run *r, radar_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len) {
        cli_error("writing output: %s", strerror(errno));
        return -1;
    }
    radar_buf_reset(b);
    return 0;
}

static int extract_one(radar_extractor *ex, const radar_article *a, int text, radar_buf *out, size_t *rumours,
                       char *err, size_t errcap)
{
    const radar_doc *doc;
    int rc = radar_extract(ex, a, &doc);
    if (rc) {
        snprintf(err, errcap, "%s:%llu: article %s could not be extracted: %s (%s)", a->path,
                 (unsigned long long)a->line, a->id ? a->id : "?", radar_strerror(rc), radar_last_error());
        return rc;
    }
    *rumours += doc->n_rumours;
    rc = text ? radar_doc_write_text(doc, out) : radar_doc_write_json(doc, out);
    if (rc)
        snprintf(err, errcap, "%s:%llu: article %s could not be written: %s (%s)", a->path,
                 (unsigned long long)a->line, a->id ? a->id : "?", radar_strerror(rc), radar_last_error());
    return rc;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *r = w->run;
    const batch *b = &r->batches[!r->filling];
    size_t rumours = 0;
    for (size_t i = w->index; i < b->n; i += (size_t)r->jobs) {
        char err[512];
        if (extract_one(w->ex, &b->a[i].a, r->text, &w->out, &rumours, err, sizeof err)) {
            w->failed++;
            snprintf(w->error, sizeof w->error, "%s", err);
        } else {
            w->extracted++;
        }
        if (radar_grow((void **)&w->ends, &w->cap_ends, w->n_ends + 1, sizeof *w->ends, 256)) {
            w->failed++;
            snprintf(w->error, sizeof w->error, "out of memory");
            break;
        }
        w->ends[w->n_ends++] = w->out.len;
    }
    __atomic_add_fetch(&r->rumours, rumours, __ATOMIC_RELAXED);
    return NULL;
}

/* Wait for the batch with the workers, write its results in input order and
 * free it. */
static int finish_in_flight(run *r)
{
    if (!r->in_flight)
        return 0;
    batch *b = &r->batches[!r->filling];
    for (int j = 0; j < r->jobs; j++)
        pthread_join(r->workers[j].thread, NULL);
    r->in_flight = 0;
    int rc = 0;
    /* article i was done by worker i % jobs */
    for (size_t i = 0; i < b->n && !rc; i++) {
        worker *w = &r->workers[i % (size_t)r->jobs];
        size_t k = i / (size_t)r->jobs;
        if (k >= w->n_ends)
            continue;
        size_t start = k ? w->ends[k - 1] : 0;
        if (w->ends[k] == start)
            continue; /* it failed: nothing to write (and maybe no buffer at all) */
        if (fwrite(w->out.data + start, 1, w->ends[k] - start, stdout) != w->ends[k] - start) {
            cli_error("writing output: %s", strerror(errno));
            rc = -1;
        }
    }
    for (int j = 0; j < r->jobs; j++) {
        r->extracted += r->workers[j].extracted;
        if (r->workers[j].failed) {
            r->failures += (size_t)r->workers[j].failed;
            cli_error("%s", r->workers[j].error);
        }
    }
    for (size_t i = 0; i < b->n; i++)
        radar_article_held_free(&b->a[i]);
    b->n = 0;
    b->bytes = 0;
    return rc;
}

/* Hand the batch being filled to the workers and start filling the other. */
static int run_batch(run *r)
{
    int rc = finish_in_flight(r);
    if (rc || r->batches[r->filling].n == 0)
        return rc;
    r->filling = !r->filling; /* the full batch is now the one "in flight" */
    for (int j = 0; j < r->jobs; j++) {
        worker *w = &r->workers[j];
        radar_buf_reset(&w->out);
        w->n_ends = 0;
        w->failed = 0;
        w->extracted = 0;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            cli_error("cannot start a worker thread");
            for (int k = 0; k < j; k++)
                pthread_join(r->workers[k].thread, NULL);
            return -1;
        }
    }
    r->in_flight = 1;
    return 0;
}

static int queue_article(run *r, const radar_article *a)
{
    batch *b = &r->batches[r->filling];
    radar_article_held *o = &b->a[b->n];
    if (radar_article_hold(o, a)) {
        cli_error("out of memory queueing article %s", a->id ? a->id : "?");
        return -1;
    }
    b->n++;
    b->bytes += o->cap;
    if (b->n == BATCH_ARTICLES || b->bytes >= BATCH_BYTES)
        return run_batch(r);
    return 0;
}

static int on_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    run *r = user;
    if (ev == RADAR_READ_FAILURE) {
        r->failures++;
        fprintf(stderr, "radar: %s\n", msg);
        return 0;
    }
    if (ev == RADAR_READ_WARNING) {
        r->warnings++;
        if (!r->quiet)
            fprintf(stderr, "radar: warning: %s\n", msg);
        return 0;
    }
    if (r->jobs > 1)
        return queue_article(r, a);
    char err[512];
    if (extract_one(r->ex, a, r->text, &r->out, &r->rumours, err, sizeof err)) {
        r->failures++;
        fprintf(stderr, "radar: %s\n", err);
    } else {
        r->extracted++;
    }
    if (r->out.len >= 1u << 20)
        return flush_out(r, &r->out);
    return 0;
}

/* The options into r, lexdirs, ro, *model_path and *rules_only: 0, -1 after
 * --help, or the exit status of a usage error. */
static int parse_options(int argc, char **argv, run *r, cli_lexicon_dirs *lexdirs, radar_read_options *ro,
                         const char **model_path, int *rules_only)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"lexicon", required_argument, NULL, 'l'},
                                         {"jobs", required_argument, NULL, 'j'},
                                         {"model", required_argument, NULL, 'm'},
                                         {"rules-only", no_argument, NULL, 'R'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:d:l:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            *model_path = optarg;
            break;
        case 'R':
            *rules_only = 1;
            break;
        case 'f':
            if (!strcmp(optarg, "json"))
                r->text = 0;
            else if (!strcmp(optarg, "text"))
                r->text = 1;
            else {
                cli_error("--format must be json or text, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'd':
            if ((rc = cli_date_option(optarg, &ro->default_date)))
                return rc;
            break;
        case 'l':
            if ((rc = cli_lexicon_option(lexdirs, optarg)))
                return rc;
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > RADAR_MAX_JOBS) {
                cli_error("--jobs must be a number from 1 to %d, not '%s'", RADAR_MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            r->jobs = (int)n;
            break;
        }
        case 'q':
            r->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return -1;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* One extractor (--jobs 1), or the batches and a worker with its extractor
 * per job: EXIT_OK, else EXIT_FAILED with what is made left for free_run. */
static int start_extractors(run *r, const radar_model *model)
{
    int status = EXIT_OK;
    if (r->jobs == 1) {
        if (radar_extractor_new(&r->ex, r->lex)) {
            cli_error("%s", radar_last_error());
            return EXIT_FAILED;
        }
        radar_extractor_set_model(r->ex, model);
    } else {
        r->batches[0].a = calloc(BATCH_ARTICLES, sizeof *r->batches[0].a);
        r->batches[1].a = calloc(BATCH_ARTICLES, sizeof *r->batches[1].a);
        r->workers = calloc((size_t)r->jobs, sizeof *r->workers);
        if (!r->batches[0].a || !r->batches[1].a || !r->workers) {
            cli_error("out of memory");
            return EXIT_FAILED;
        }
        for (int j = 0; j < r->jobs; j++) {
            r->workers[j].run = r;
            r->workers[j].index = (size_t)j;
            if (radar_extractor_new(&r->workers[j].ex, r->lex)) {
                cli_error("%s", radar_last_error());
                status = EXIT_FAILED;
            } else
                radar_extractor_set_model(r->workers[j].ex, model);
        }
    }
    return status;
}

/* What start_extractors and the run made. */
static void free_run(run *r)
{
    radar_buf_free(&r->out);
    radar_extractor_free(r->ex);
    if (r->workers) {
        for (int j = 0; j < r->jobs; j++) {
            radar_extractor_free(r->workers[j].ex);
            radar_buf_free(&r->workers[j].out);
            free(r->workers[j].ends);
        }
    }
    free(r->workers);
    free(r->batches[0].a);
    free(r->batches[1].a);
    radar_lexicon_free(r->lex);
}

int cmd_extract(int argc, char **argv)
{
    run r = {0};
    r.jobs = 1;
    cli_lexicon_dirs lexdirs = {0};
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    const char *model_path = NULL;
    int rules_only = 0;
    int rc = parse_options(argc, argv, &r, &lexdirs, &ro, &model_path, &rules_only);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    radar_model *own_model = NULL;
    const radar_model *model;
    if ((rc = cli_model_load(model_path, rules_only, &own_model, &model)))
        return rc;
    if ((rc = cli_lexicon_load(&lexdirs, &r.lex))) {
        radar_model_free(own_model);
        return rc;
    }
    int status = start_extractors(&r, model);
    if (status) {
        free_run(&r);
        radar_model_free(own_model);
        return status;
    }
    int npaths = argc - optind;
    for (int i = 0; (i < npaths || (npaths == 0 && i == 0)) && status == EXIT_OK; i++) {
        const char *path = npaths ? argv[optind + i] : "-";
        if (npaths == 0 && isatty(STDIN_FILENO))
            fprintf(stderr, "radar: reading articles from standard input (Ctrl-D to end; --help for usage)\n");
        rc = radar_read_path(path, &ro, on_item, &r);
        if (rc < 0) {
            cli_error("%s", radar_last_error());
            r.failures++;
        } else if (rc > 0) {
            status = EXIT_FAILED; /* the output could not be written */
        }
    }
    if (r.jobs > 1 && (run_batch(&r) || finish_in_flight(&r)))
        status = EXIT_FAILED;
    if (flush_out(&r, &r.out) || fflush(stdout) != 0)
        status = EXIT_FAILED;
    if (r.failures) {
        cli_error("%zu item%s failed; %zu article%s extracted", r.failures, r.failures == 1 ? "" : "s", r.extracted,
                  r.extracted == 1 ? "" : "s");
        status = EXIT_FAILED;
    }
    free_run(&r);
    radar_model_free(own_model);
    return status;
}
