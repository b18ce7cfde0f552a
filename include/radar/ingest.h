/*
 * ingest.h - the one pipeline that stores articles: read, extract, put,
 * commit in batches, then bring outcomes, source records and likelihoods up
 * to date. `radar ingest`, `radar watch` and `radar eval` all store through
 * it.
 *
 * A batch lands whole or not at all (one transaction), so a load killed at
 * any moment and run again ends with the database a clean run gives. The
 * library prints nothing: what happens is told to a callback.
 */
#ifndef RADAR_INGEST_H
#define RADAR_INGEST_H

#include "radar/article.h"
#include "radar/extract.h"
#include "radar/follow.h"
#include "radar/lexicon.h"
#include "radar/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_ingest radar_ingest;

/* What the callback is told. */
typedef enum radar_ingest_event {
    RADAR_INGEST_TAKEN = 0,         /* an article was put (stored, updated or found unchanged): progress */
    RADAR_INGEST_WARNING = 1,       /* a reader's warning: the article is stored all the same */
    RADAR_INGEST_FAILURE = 2,       /* an item or a path could not be read: nothing stored for it */
    RADAR_INGEST_NOT_EXTRACTED = 3, /* an article could not be extracted and is not stored yet */
    RADAR_INGEST_STORE_FAILED = 4,  /* the store failed (message: why); the load stops */
    RADAR_INGEST_BATCH_LOST = 5     /* after a failed commit: counts->lost articles of that batch were not stored */
} radar_ingest_event;

typedef struct radar_ingest_counts {
    /* articles in committed batches: new, updated; unchanged ones count at once */
    long long stored, updated, unchanged;
    long long rumours;  /* rumours read from the committed articles */
    long long failed;   /* items that could not be read or extracted (and were not stored already) */
    long long warnings;
    long long pending;  /* articles put in the batch in flight */
    long long lost;     /* articles of a batch whose commit failed */
    unsigned long long bytes; /* article text put so far */
    unsigned long long input_bytes; /* of the input files: those finished, and the text of the one being read
                                     * (at most its size): a progress bar's numerator */
    long long undated;  /* articles put with no date (no date line, no --date) */
    char undated_named[RADAR_MAX_UNDATED_NAMED][96]; /* the first of them, by id or file */
    long long changes;  /* changes of followed stories told (on_change) */
    long long changes_dropped; /* past RADAR_MAX_ALERTS: remembered, not told */
} radar_ingest_counts;

/* `message` is a full sentence (NULL for RADAR_INGEST_TAKEN); counts so
 * far are in *counts. Called on the caller's thread, in input order. */
typedef void (*radar_ingest_fn)(void *user, radar_ingest_event event, const radar_ingest_counts *counts,
                                const char *message);

typedef struct radar_ingest_options {
    const radar_lexicon *lex;  /* borrowed, may be NULL: the built-in lexicon */
    radar_extractor *ex;       /* borrowed, may be NULL: the extractor radar_ingest_article uses (else its own) */
    radar_read_options read;   /* for radar_ingest_paths */
    size_t batch;              /* articles per transaction; 0: RADAR_INGEST_BATCH (limits.h) */
    int note_items;            /* remember an unchanged item's id and link (feeds: radar_store_note_item) */
    radar_ingest_fn fn;        /* may be NULL */
    void *user;
    radar_change_fn on_change; /* may be NULL: told the changes of followed stories at radar_ingest_finish */
    void *change_user;
} radar_ingest_options;
#define RADAR_INGEST_OPTIONS_INIT {NULL, NULL, RADAR_READ_OPTIONS_INIT, 0, 0, NULL, NULL, NULL, NULL}

/* A pipeline into `st` (borrowed: it outlives the pipeline). Caller frees
 * with radar_ingest_free. */
int radar_ingest_new(radar_ingest **out, radar_store *st, const radar_ingest_options *opts);
/* Rolls back what is not committed. NULL is fine. */
void radar_ingest_free(radar_ingest *g);

/* What radar_ingest_article did with one article. */
typedef struct radar_ingest_result {
    int extracted;       /* 0: extraction failed (radar_last_error says why); the article is not stored */
    radar_put_result put; /* when extracted */
    size_t rumours;      /* rumours the extraction found */
} radar_ingest_result;

/* Extract one article and put it in the batch in flight (begun when there
 * is none); the batch is committed when it holds opts.batch articles. An
 * article that cannot be extracted is reported in *res, not as an error.
 * Returns 0, or the store's error (the batch in flight is rolled back). */
int radar_ingest_article(radar_ingest *g, const radar_article *a, radar_ingest_result *res);

/* Commit the batch in flight, if any. */
int radar_ingest_commit(radar_ingest *g);

/* The whole load of `paths` (n of them; none: standard input): when the
 * input (expected_bytes of article text, 0 when unknown) is large next to
 * the store, the indexes only the questions read are dropped first and
 * built again at the end; articles are read and extracted on a second
 * thread, up to RADAR_INGEST_AHEAD ahead of the store, and committed in
 * batches; then outcomes, records and likelihoods are brought up to date
 * when articles changed. Articles that fail are told and counted (in
 * *counts, may be NULL); the return is 0, or the store's error. */
int radar_ingest_paths(radar_ingest *g, const char *const *paths, int n, unsigned long long expected_bytes,
                       radar_ingest_counts *counts);

/* Commit what is in flight, then bring outcomes, source records and
 * likelihoods up to date when articles changed since the last rescore;
 * then, with opts.on_change, tell the changes of the followed stories
 * (radar_follow_changes). */
int radar_ingest_finish(radar_ingest *g);

/* The counts so far. */
const radar_ingest_counts *radar_ingest_counts_of(const radar_ingest *g);

#ifdef __cplusplus
}
#endif
#endif
