/*
 * ingest.c - the one pipeline that stores articles (see radar/ingest.h).
 *
 * Articles are committed in batches, each in one transaction. For a whole
 * load (radar_ingest_paths) reading and extraction run on a second thread,
 * up to RADAR_INGEST_AHEAD articles ahead of the store, which is the slower
 * side. Each slot of that ring holds an article, its own extractor, the
 * document it made and the text's print (hash and sketch, computed there so
 * the store's thread does less): the document stays valid until the store
 * has taken it and the slot comes round again. Warnings and failures travel
 * through the slots too, so they are told and counted in input order, as a
 * single thread would.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "radar/error.h"
#include "radar/ingest.h"
#include "radar/limits.h"
#include "store_internal.h"

typedef struct slot {
    radar_read_event ev;
    radar_article_held art;
    radar_extractor *ex;
    const radar_doc *doc; /* NULL when extraction failed: message says why */
    store_text_print print;
    char message[1024];
} slot;

struct radar_ingest {
    radar_store *st;
    const radar_lexicon *lex;
    radar_extractor *ex, *own_ex; /* the extractor of radar_ingest_article, and the one made for it */
    radar_read_options ro;
    size_t batch_size, in_batch;
    int note_items;
    radar_ingest_fn fn;
    void *user;
    radar_change_fn on_change;
    void *change_user;
    radar_ingest_counts c;
    /* the input file being read (its articles come in order), for input_bytes */
    char *cur_path;
    unsigned long long cur_size, cur_text, done_size;
    /* the batch in flight: what its commit adds to the counts */
    long long batch_new, batch_updated, batch_rumours;
    int fatal;
    /* radar_ingest_paths: the reading thread and the ring of slots it fills */
    const char *const *paths;
    int npaths;
    slot ring[RADAR_INGEST_AHEAD];
    size_t head, tail; /* next slot to store, next to fill */
    int reading;       /* the reader has not finished */
    int waiting_free;  /* the reader waits for free slots */
    int stop;          /* the store failed: the reader stops */
    pthread_mutex_t lock;
    pthread_cond_t filled, freed;
};

static void tell(radar_ingest *g, radar_ingest_event ev, const char *msg)
{
    g->c.pending = g->batch_new + g->batch_updated;
    if (g->fn)
        g->fn(g->user, ev, &g->c, msg);
}

/* The store failed: say why, once, and stop. */
static int store_failed(radar_ingest *g, int rc)
{
    char msg[1400];
    snprintf(msg, sizeof msg, "%s", radar_last_error());
    g->fatal = 1;
    tell(g, RADAR_INGEST_STORE_FAILED, msg);
    radar_error_set(rc, "%s", msg); /* the callback may have asked the library something */
    return rc;
}

int radar_ingest_new(radar_ingest **out, radar_store *st, const radar_ingest_options *opts)
{
    radar_ingest_options def = RADAR_INGEST_OPTIONS_INIT;
    const radar_ingest_options *o = opts ? opts : &def;
    *out = NULL;
    radar_ingest *g = calloc(1, sizeof *g);
    if (!g)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    g->st = st;
    g->lex = o->lex;
    g->ex = o->ex;
    g->ro = o->read;
    g->batch_size = o->batch ? o->batch : RADAR_INGEST_BATCH;
    g->note_items = o->note_items;
    g->fn = o->fn;
    g->user = o->user;
    g->on_change = o->on_change;
    g->change_user = o->change_user;
    *out = g;
    return 0;
}

void radar_ingest_free(radar_ingest *g)
{
    if (!g)
        return;
    if (g->in_batch)
        radar_store_rollback(g->st);
    for (int i = 0; i < RADAR_INGEST_AHEAD; i++) {
        radar_extractor_free(g->ring[i].ex);
        radar_article_held_free(&g->ring[i].art);
    }
    radar_extractor_free(g->own_ex);
    free(g->cur_path);
    free(g);
}

/* Count what a put reads: the input files' bytes (a file is done when its
 * articles stop coming), and the articles without a date. */
static void count_input(radar_ingest *g, const radar_article *a)
{
    const char *path = a->path ? a->path : "";
    if (!g->cur_path || strcmp(g->cur_path, path)) {
        struct stat sb;
        g->done_size += g->cur_size;
        free(g->cur_path);
        g->cur_path = strdup(path);
        g->cur_size = strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0;
        g->cur_text = 0;
    }
    g->cur_text += a->body_len;
    g->c.input_bytes = g->done_size + (g->cur_text < g->cur_size ? g->cur_text : g->cur_size);
    if (!a->date || !*a->date) {
        if (g->c.undated < RADAR_MAX_UNDATED_NAMED)
            snprintf(g->c.undated_named[g->c.undated], sizeof g->c.undated_named[0], "%s",
                     a->id && *a->id ? a->id : path);
        g->c.undated++;
    }
}

const radar_ingest_counts *radar_ingest_counts_of(const radar_ingest *g) { return &g->c; }

int radar_ingest_commit(radar_ingest *g)
{
    if (!g->in_batch)
        return 0;
    g->in_batch = 0;
    int rc = radar_store_commit(g->st);
    if (rc) {
        long long lost = g->batch_new + g->batch_updated;
        g->batch_new = g->batch_updated = g->batch_rumours = 0;
        store_failed(g, rc);
        if (lost) {
            g->c.lost = lost;
            tell(g, RADAR_INGEST_BATCH_LOST, NULL);
        }
        return rc;
    }
    g->c.stored += g->batch_new;
    g->c.updated += g->batch_updated;
    g->c.rumours += g->batch_rumours;
    g->batch_new = g->batch_updated = g->batch_rumours = 0;
    g->c.pending = 0; /* counted in stored and updated now */
    return 0;
}

/* A failure inside the batch: it is rolled back whole. */
static int drop_batch(radar_ingest *g, int rc)
{
    store_failed(g, rc);
    radar_store_rollback(g->st);
    g->in_batch = 0;
    g->batch_new = g->batch_updated = g->batch_rumours = 0;
    return rc;
}

/* Put one article (doc NULL: its extraction failed, message says why) in
 * the batch in flight, and count it. */
static int put(radar_ingest *g, const radar_article *a, const radar_doc *doc, const store_text_print *tp,
               const char *message, radar_put_result *r)
{
    int rc;
    g->c.bytes += a->body_len;
    count_input(g, a);
    if (!g->in_batch && (rc = radar_store_begin(g->st)))
        return store_failed(g, rc);
    g->in_batch++;
    /* an article whose extraction failed may be stored already: then it is
     * unchanged, not failed */
    if ((rc = doc ? radar_store_put_printed(g->st, a, doc, tp, r) : radar_store_check_printed(g->st, a, tp, r)) ||
        (doc && *r == RADAR_PUT_UNCHANGED && g->note_items && (rc = radar_store_note_item(g->st, a))))
        return drop_batch(g, rc);
    if (*r == RADAR_PUT_UNCHANGED) {
        g->c.unchanged++; /* stored already, whatever becomes of this batch */
    } else if (!doc) {
        g->c.failed++;
        tell(g, RADAR_INGEST_NOT_EXTRACTED, message);
    } else {
        g->batch_rumours += (long long)doc->n_rumours;
        if (*r == RADAR_PUT_NEW)
            g->batch_new++;
        else
            g->batch_updated++;
    }
    if (g->in_batch >= g->batch_size && (rc = radar_ingest_commit(g)))
        return rc;
    tell(g, RADAR_INGEST_TAKEN, NULL);
    return 0;
}

int radar_ingest_article(radar_ingest *g, const radar_article *a, radar_ingest_result *res)
{
    int rc;
    memset(res, 0, sizeof *res);
    if (!g->ex) {
        if ((rc = radar_extractor_new(&g->own_ex, g->lex)))
            return rc;
        g->ex = g->own_ex;
    }
    const radar_doc *doc;
    if (radar_extract(g->ex, a, &doc))
        return 0; /* not stored: the caller says so (radar_last_error has why) */
    res->extracted = 1;
    res->rumours = doc->n_rumours;
    store_text_print tp;
    radar_store_text_print_compute(a, &tp);
    return put(g, a, doc, &tp, NULL, &res->put);
}

int radar_ingest_finish(radar_ingest *g)
{
    int rc, stale = 0;
    if ((rc = radar_ingest_commit(g)))
        return rc;
    /* outcomes, source records and likelihoods follow the new articles; a
     * load killed before this point leaves them marked stale for the next */
    if ((rc = radar_store_scores_stale(g->st, &stale)) || (stale && (rc = radar_store_rescore(g->st))))
        return store_failed(g, rc);
    /* what changed for the followed clubs and players, once the stories
     * and their likelihoods are up to date */
    radar_change_counts cc = {0, 0};
    if (g->on_change && (rc = radar_follow_changes(g->st, g->on_change, g->change_user, &cc)))
        return store_failed(g, rc);
    g->c.changes += cc.told;
    g->c.changes_dropped += cc.dropped;
    return 0;
}

/* ---- a whole load: the reading thread and the store's ---- */

/* The store's side: one slot, in input order. */
static int store_slot(radar_ingest *g, slot *sl)
{
    if (sl->ev == RADAR_READ_FAILURE) {
        g->c.failed++;
        tell(g, RADAR_INGEST_FAILURE, sl->message);
        return 0;
    }
    if (sl->ev == RADAR_READ_WARNING) {
        g->c.warnings++;
        tell(g, RADAR_INGEST_WARNING, sl->message);
        return 0;
    }
    radar_put_result r;
    return put(g, &sl->art.a, sl->doc, &sl->print, sl->message, &r);
}

/* The reader's side: wait for a free slot, fill it, pass it on. */
static int read_item(void *user, radar_read_event ev, const radar_article *a, const char *msg)
{
    radar_ingest *g = user;
    pthread_mutex_lock(&g->lock);
    if (g->tail - g->head == RADAR_INGEST_AHEAD) {
        /* full: wait until half the ring is free, so that the two threads
         * hand over work in runs rather than one article at a time */
        g->waiting_free = 1;
        while (g->tail - g->head > RADAR_INGEST_AHEAD / 2 && !g->stop)
            pthread_cond_wait(&g->freed, &g->lock);
        g->waiting_free = 0;
    }
    int stop = g->stop;
    pthread_mutex_unlock(&g->lock);
    if (stop)
        return 1; /* the store failed (a lock, a full disk): stop reading */
    slot *sl = &g->ring[g->tail % RADAR_INGEST_AHEAD];
    sl->ev = ev;
    sl->doc = NULL;
    sl->message[0] = '\0';
    if (ev != RADAR_READ_ARTICLE) {
        snprintf(sl->message, sizeof sl->message, "%s", msg);
    } else if (radar_article_hold(&sl->art, a)) {
        sl->ev = RADAR_READ_FAILURE;
        snprintf(sl->message, sizeof sl->message, "%s:%llu: out of memory reading article %s", a->path,
                 (unsigned long long)a->line, a->id ? a->id : "?");
    } else {
        radar_store_text_print_compute(&sl->art.a, &sl->print);
        if (radar_extract(sl->ex, &sl->art.a, &sl->doc)) {
            /* an article already stored is skipped before this is told */
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
    radar_ingest *g = arg;
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
static void store_all(radar_ingest *g)
{
    for (;;) {
        pthread_mutex_lock(&g->lock);
        while (g->head == g->tail && g->reading)
            pthread_cond_wait(&g->filled, &g->lock);
        int more = g->head != g->tail;
        pthread_mutex_unlock(&g->lock);
        if (!more)
            return;
        if (!g->fatal && store_slot(g, &g->ring[g->head % RADAR_INGEST_AHEAD]))
            g->fatal = 1;
        pthread_mutex_lock(&g->lock);
        g->head++;
        if (g->fatal)
            g->stop = 1;
        if (g->stop || (g->waiting_free && g->tail - g->head <= RADAR_INGEST_AHEAD / 2))
            pthread_cond_signal(&g->freed);
        pthread_mutex_unlock(&g->lock);
    }
}

/* Read and store every article of the paths; 0 or the store's error. */
static int load(radar_ingest *g)
{
    for (int i = 0; i < RADAR_INGEST_AHEAD; i++)
        if (!g->ring[i].ex && radar_extractor_new(&g->ring[i].ex, g->lex))
            return store_failed(g, RADAR_ENOMEM);
    pthread_t reader;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->filled, NULL);
    pthread_cond_init(&g->freed, NULL);
    g->head = g->tail = 0;
    g->reading = 1;
    g->stop = 0;
    if (pthread_create(&reader, NULL, reader_main, g) != 0) {
        radar_error_set(RADAR_EIO, "cannot start the reading thread");
        store_failed(g, RADAR_EIO);
    } else {
        store_all(g);
        pthread_join(reader, NULL);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->filled);
    pthread_cond_destroy(&g->freed);
    return g->fatal ? RADAR_EIO : 0;
}

int radar_ingest_paths(radar_ingest *g, const char *const *paths, int n, unsigned long long expected_bytes,
                       radar_ingest_counts *counts)
{
    /* a load as large as the store drops the indexes only questions read */
    int bulk = 0, rc = radar_store_bulk_begin(g->st, expected_bytes, &bulk);
    if (rc) {
        store_failed(g, rc);
        goto done;
    }
    g->paths = paths;
    g->npaths = n;
    int err = load(g);
    if (!g->fatal && !(rc = radar_ingest_finish(g)))
        rc = err;
    else if (!rc)
        rc = err ? err : RADAR_EIO;
    if (bulk) {
        int brc = radar_store_bulk_end(g->st);
        if (brc) {
            store_failed(g, brc);
            rc = rc ? rc : brc;
        }
    }
done:
    if (counts)
        *counts = g->c;
    return rc;
}
