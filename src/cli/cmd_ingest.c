/*
 * cmd_ingest.c - `radar ingest`: articles into the store, linked into stories.
 *
 * Articles are committed in batches, each in one transaction: a batch lands
 * whole or not at all, so an ingest killed at any moment and run again ends
 * with the database a clean run gives (stored articles are recognised by id
 * and content and skipped). A progress line with rate and ETA is drawn on a
 * terminal; a summary is printed at the end.
 *
 * Reading and extraction run on a second thread, up to SLOTS articles ahead
 * of the store, which is the slower side. Each slot holds an article, its own
 * extractor and the document it made: the document stays valid until the
 * store has taken it and the slot comes round again. Warnings and failures
 * travel through the slots too, so they are reported and counted in input
 * order, as a single thread would.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/store.h"
#include "cli.h"

#define BATCH 2048
#define SLOTS 16

typedef struct slot {
    radar_read_event ev;
    cli_article art;
    radar_extractor *ex;
    const radar_doc *doc; /* NULL when extraction failed: message says why */
    radar_text_print print;
    char message[1024];
} slot;

typedef struct ingest {
    radar_store *store;
    int quiet, progress;
    size_t in_batch;
    /* stored articles count once their batch is committed: a batch that
     * fails (a full disk) is not claimed in the summary */
    struct counts {
        long long new_, updated, skipped, rumours;
    } total, batch;
    long long failed, warnings;
    unsigned long long bytes, total_bytes;
    double start, last_draw;
    int fatal;
    /* the reading thread and the ring of slots it fills */
    char **paths;
    int npaths;
    radar_read_options ro;
    slot ring[SLOTS];
    size_t head, tail; /* next slot to store, next to fill */
    int reading;       /* the reader has not finished */
    int waiting_free;  /* the reader waits for free slots */
    int stop;          /* the store failed: the reader stops */
    pthread_mutex_t lock;
    pthread_cond_t filled, freed;
} ingest;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radar ingest [OPTIONS] [PATH...]\n"
            "\n"
            "Store articles and their rumours in the database and link them into stories.\n"
            "PATH as for radar extract: files, directories, or - for standard input (the default).\n"
            "The same article ingested twice is stored once; an article whose text changed is updated.\n"
            "\n"
            "options:\n"
            "  --db PATH             database file (default $RADAR_DB, else ~/.local/share/transfer-radar/radar.db)\n"
            "  -d, --date YYYY-MM-DD date for articles that carry none\n"
            "  -l, --lexicon DIR     add the lexicon files in DIR (repeatable)\n"
            "  -q, --quiet           no progress line, no warnings\n"
            "  -h, --help            show this help\n"
            "\n"
            "Exit status: 0 when every article was stored, 1 when any failed, 2 on bad usage.\n");
}

static void draw(ingest *g, int final)
{
    if (!g->progress)
        return;
    double t = now();
    if (!final && t - g->last_draw < 0.2)
        return;
    g->last_draw = t;
    double el = t - g->start;
    double rate = el > 0 ? g->bytes / el / 1048576.0 : 0;
    long long done = g->total.new_ + g->total.updated + g->total.skipped + g->batch.new_ + g->batch.updated +
                     g->batch.skipped + g->failed;
    char eta[32] = "";
    if (g->total_bytes && g->bytes && rate > 0 && g->bytes < g->total_bytes)
        snprintf(eta, sizeof eta, ", ETA %.0fs", (g->total_bytes - g->bytes) / 1048576.0 / rate);
    int pct = g->total_bytes ? (int)(100.0 * g->bytes / g->total_bytes) : 0;
    int bar = pct / 5;
    fprintf(stderr, "\r[%.*s%.*s] %3d%%  %lld articles  %.1f MB/s%s   ", bar, "====================",
            20 - bar, "                    ", pct, done, rate, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static int flush_batch(ingest *g)
{
    if (!g->in_batch)
        return 0;
    g->in_batch = 0;
    if (radar_store_commit(g->store)) {
        cli_error("%s", radar_last_error());
        if (g->batch.new_ + g->batch.updated)
            cli_error("the %lld articles of the batch that failed were not stored; run radar ingest again",
                      g->batch.new_ + g->batch.updated);
        g->batch = (struct counts){0};
        g->fatal = 1;
        return -1;
    }
    g->total.new_ += g->batch.new_;
    g->total.updated += g->batch.updated;
    g->total.skipped += g->batch.skipped;
    g->total.rumours += g->batch.rumours;
    g->batch = (struct counts){0};
    return 0;
}

/* A failure inside the batch: it is rolled back whole. */
static void drop_batch(ingest *g)
{
    radar_store_rollback(g->store);
    g->in_batch = 0;
    g->batch = (struct counts){0};
}

/* The store's side: one slot, in input order. */
static int store_slot(ingest *g, slot *sl)
{
    const radar_article *a = &sl->art.a;
    if (sl->ev == RADAR_READ_FAILURE) {
        g->failed++;
        if (g->progress)
            fputc('\n', stderr);
        fprintf(stderr, "radar: %s\n", sl->message);
        return 0;
    }
    if (sl->ev == RADAR_READ_WARNING) {
        g->warnings++;
        if (!g->quiet)
            fprintf(stderr, "%sradar: warning: %s\n", g->progress ? "\n" : "", sl->message);
        return 0;
    }
    g->bytes += a->body_len;
    if (!g->in_batch && radar_store_begin(g->store)) {
        cli_error("%s", radar_last_error());
        return -1;
    }
    g->in_batch++;
    radar_put_result r;
    /* an article whose extraction failed may be stored already: then it is
     * unchanged, not failed */
    if (sl->doc ? radar_store_put_printed(g->store, a, sl->doc, &sl->print, &r)
                : radar_store_check_printed(g->store, a, &sl->print, &r)) {
        cli_error("%s", radar_last_error());
        drop_batch(g);
        return -1;
    }
    if (r == RADAR_PUT_UNCHANGED) {
        g->total.skipped++; /* stored already, whatever becomes of this batch */
    } else if (!sl->doc) {
        g->failed++;
        cli_error("%s", sl->message);
    } else {
        g->batch.rumours += (long long)sl->doc->n_rumours;
        if (r == RADAR_PUT_NEW)
            g->batch.new_++;
        else if (r == RADAR_PUT_UPDATED)
            g->batch.updated++;
        else
            g->batch.skipped++;
    }
    if (g->in_batch >= BATCH && flush_batch(g))
        return -1;
    draw(g, 0);
    return 0;
}

/* The reader's side: wait for a free slot, fill it, pass it on. */
static int read_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    ingest *g = user;
    pthread_mutex_lock(&g->lock);
    if (g->tail - g->head == SLOTS) {
        /* full: wait until half the ring is free, so that the two threads
         * hand over work in runs rather than one article at a time */
        g->waiting_free = 1;
        while (g->tail - g->head > SLOTS / 2 && !g->stop)
            pthread_cond_wait(&g->freed, &g->lock);
        g->waiting_free = 0;
    }
    int stop = g->stop;
    pthread_mutex_unlock(&g->lock);
    if (stop)
        return 1; /* the store failed (a lock, a full disk): stop reading */
    slot *sl = &g->ring[g->tail % SLOTS];
    sl->ev = ev;
    sl->doc = NULL;
    sl->message[0] = '\0';
    if (ev != RADAR_READ_ARTICLE) {
        snprintf(sl->message, sizeof sl->message, "%s", msg);
    } else if (cli_article_copy(&sl->art, a)) {
        sl->ev = RADAR_READ_FAILURE;
        snprintf(sl->message, sizeof sl->message, "%s:%llu: out of memory reading article %s", a->path,
                 (unsigned long long)a->line, a->id ? a->id : "?");
    } else {
        /* the text's hash and sketch too: less work for the store's thread */
        radar_text_print_compute(&sl->art.a, &sl->print);
        if (radar_extract(sl->ex, &sl->art.a, &sl->doc)) {
            /* an article already stored is skipped before this is reported */
            sl->doc = NULL;
            snprintf(sl->message, sizeof sl->message, "%s:%llu: article %s could not be extracted: %s", a->path,
                     (unsigned long long)a->line, a->id, radar_last_error());
        }
    }
    pthread_mutex_lock(&g->lock);
    g->tail++;
    pthread_cond_signal(&g->filled);
    pthread_mutex_unlock(&g->lock);
    return 0;
}

static void *reader_main(void *arg)
{
    ingest *g = arg;
    for (int i = 0; i < g->npaths || (g->npaths == 0 && i == 0); i++) {
        const char *p = g->npaths ? g->paths[i] : "-";
        int rc = radar_read_path(p, &g->ro, read_item, g);
        if (rc > 0)
            break; /* stopped */
        if (rc < 0) {
            /* the path could not be read at all: a failure, in its place */
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", radar_last_error());
            if (read_item(g, RADAR_READ_FAILURE, NULL, msg))
                break;
        }
    }
    pthread_mutex_lock(&g->lock);
    g->reading = 0;
    pthread_cond_signal(&g->filled);
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

/* Store what the reader passes on until it is done or the store fails. */
static void store_all(ingest *g)
{
    for (;;) {
        pthread_mutex_lock(&g->lock);
        while (g->head == g->tail && g->reading)
            pthread_cond_wait(&g->filled, &g->lock);
        int more = g->head != g->tail;
        pthread_mutex_unlock(&g->lock);
        if (!more)
            return;
        if (!g->fatal && store_slot(g, &g->ring[g->head % SLOTS]))
            g->fatal = 1;
        pthread_mutex_lock(&g->lock);
        g->head++;
        if (g->fatal)
            g->stop = 1;
        if (g->stop || (g->waiting_free && g->tail - g->head <= SLOTS / 2))
            pthread_cond_signal(&g->freed);
        pthread_mutex_unlock(&g->lock);
    }
}

static void free_slots(ingest *g)
{
    for (int i = 0; i < SLOTS; i++) {
        radar_extractor_free(g->ring[i].ex);
        cli_article_free(&g->ring[i].art);
    }
}

/* Total bytes under the paths, for the progress bar (0 when unknown). */
static unsigned long long size_of(const char *path)
{
    struct stat sb;
    if (!strcmp(path, "-") || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    return (unsigned long long)sb.st_size;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'D'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"lexicon", required_argument, NULL, 'l'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    cli_lexicon_dirs lexdirs = {0};
    static ingest g; /* large (its slots): not on the stack */
    memset(&g, 0, sizeof g);
    g.ro = (radar_read_options)RADAR_READ_OPTIONS_INIT;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            db = optarg;
            break;
        case 'd':
            if ((rc = cli_date_option(optarg, &g.ro.default_date)))
                return rc;
            break;
        case 'l':
            if ((rc = cli_lexicon_option(&lexdirs, optarg)))
                return rc;
            break;
        case 'q':
            g.quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    radar_lexicon *lex = NULL;
    if ((rc = cli_lexicon_load(&lexdirs, &lex)))
        return rc;
    int status = EXIT_OK;
    if ((rc = cli_store_open(db, RADAR_STORE_CREATE, lex, &g.store))) {
        radar_lexicon_free(lex);
        return rc;
    }
    for (int i = 0; i < SLOTS; i++) {
        if (radar_extractor_new(&g.ring[i].ex, lex)) {
            cli_error("%s", radar_last_error());
            free_slots(&g);
            radar_store_close(g.store);
            radar_lexicon_free(lex);
            return EXIT_FAILED;
        }
    }
    g.progress = !g.quiet && isatty(STDERR_FILENO);
    g.paths = argv + optind;
    g.npaths = argc - optind;
    for (int i = optind; i < argc; i++)
        g.total_bytes += size_of(argv[i]);
    /* a load as large as the store drops the indexes only questions read */
    int bulk = 0;
    if (radar_store_bulk_begin(g.store, g.total_bytes, &bulk)) {
        cli_error("%s", radar_last_error());
        free_slots(&g);
        radar_store_close(g.store);
        radar_lexicon_free(lex);
        return EXIT_FAILED;
    }
    g.start = now();
    pthread_t reader;
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.filled, NULL);
    pthread_cond_init(&g.freed, NULL);
    g.reading = 1;
    if (pthread_create(&reader, NULL, reader_main, &g) != 0) {
        cli_error("cannot start the reading thread");
        g.fatal = 1;
    } else {
        store_all(&g);
        pthread_join(reader, NULL);
    }
    pthread_mutex_destroy(&g.lock);
    pthread_cond_destroy(&g.filled);
    pthread_cond_destroy(&g.freed);
    if (!g.fatal)
        flush_batch(&g);
    draw(&g, 1);
    /* outcomes, source records and likelihoods follow the new articles; a
     * run killed before this point leaves them marked stale for the next */
    int stale = 0;
    if (!g.fatal && radar_store_scores_stale(g.store, &stale) == 0 && stale && radar_store_rescore(g.store)) {
        cli_error("%s", radar_last_error());
        g.fatal = 1;
    }
    if (bulk && radar_store_bulk_end(g.store)) {
        cli_error("%s", radar_last_error());
        g.fatal = 1;
    }
    long long articles = 0, mentions = 0, stories = 0;
    radar_store_counts(g.store, &articles, &mentions, &stories);
    if (!g.quiet || g.failed || g.fatal)
        fprintf(stderr,
                "radar: %lld new, %lld updated, %lld unchanged, %lld failed; %lld rumours read. "
                "The store holds %lld articles, %lld mentions, %lld stories.\n",
                g.total.new_, g.total.updated, g.total.skipped, g.failed, g.total.rumours, articles, mentions,
                stories);
    if (g.failed || g.fatal)
        status = EXIT_FAILED;
    free_slots(&g);
    radar_store_close(g.store);
    radar_lexicon_free(lex);
    return status;
}
