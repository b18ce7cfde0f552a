/*
 * watch.h - polling the subscribed feeds and storing their new articles.
 *
 * One poll reads every feed that is due, with a conditional GET (an
 * unchanged feed costs a 304). Each item not stored yet (by guid or link) is
 * stored once: from the feed's own text when it carries the article, else
 * from the item's page, fetched and read like any HTML page. A feed is
 * fetched from wherever its subscriber said; an item's page never from a
 * loopback, private or link-local address unless allowed (allow_private),
 * and then only for a feed on such an address. Feeds are polled a few at a
 * time, each within a deadline, so a slow or hostile feed holds up only
 * itself. A feed that fails is reported, retried later with a growing delay,
 * and never stops the others. Each article is stored in its own transaction, so a stop (the
 * `stop` flag, set by a signal handler) between two articles loses nothing.
 * The library reports through a callback and prints nothing.
 */
#ifndef RADAR_WATCH_H
#define RADAR_WATCH_H

#include "radar/extract.h"
#include "radar/fetch.h"
#include "radar/follow.h"
#include "radar/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_watch_options {
    radar_fetch_options fetch; /* timeout, size limit, redirects, stop flag (etag/last-modified and
                                * allow_private: per request, below) */
    long long interval_s;      /* a feed read well is read again this long after */
    int ignore_schedule;       /* poll every feed now, except those waiting after a failure */
    int allow_private;         /* fetch item pages on loopback, private or link-local addresses when the
                                * feed itself is on one (a feed on a public address never leads inside) */
    long feed_deadline_ms;     /* one feed's poll, its pages included, ends by then: the items left are
                                * read at the next poll; 0: RADAR_WATCH_FEED_DEADLINE_MS */
    radar_change_fn on_change; /* may be NULL: told the changes of followed stories at the end of a poll
                                * (radar/follow.h), on the calling thread */
    void *change_user;
    int shard, shards;         /* poll only the feeds of shard `shard` (1..shards) of `shards`, as
                                * radar_watch_feed_shard says; shards 0 (or 1): every feed */
} radar_watch_options;
#define RADAR_WATCH_OPTIONS_INIT {RADAR_FETCH_OPTIONS_INIT, 900, 0, 0, 0, NULL, NULL, 0, 0}

/* The shard (1..shards) of the feed at `url` among `shards`: 1 + the 64-bit
 * FNV-1a hash of the address's bytes, as stored, modulo `shards`. It depends
 * on the address alone, so watchers on any machines, each given its own
 * K of the same N, split the feeds with no overlap and no gap, and a feed
 * keeps its shard while the others come and go. 1 when shards <= 1. */
int radar_watch_feed_shard(const char *url, int shards);

/* The delay before retrying a feed after `failures` failed polls in a row:
 * one minute, doubling each time, at most six hours. */
long long radar_watch_backoff(int failures);

typedef enum radar_watch_event {
    RADAR_WATCH_FEED_READ = 0,  /* message: the feed and its new, stored and known items */
    RADAR_WATCH_UNCHANGED = 1,  /* 304 Not Modified */
    RADAR_WATCH_FEED_FAILED = 2, /* message: why, and when it is tried again */
    RADAR_WATCH_WAITING = 3,    /* skipped: waiting to retry after a failure */
    RADAR_WATCH_STORED = 4,     /* an article stored: message names it */
    RADAR_WATCH_ITEM_FAILED = 5, /* one item not stored (tried again at the next poll) */
    RADAR_WATCH_WARNING = 6     /* an article stored, with something odd about it */
} radar_watch_event;

/* `feed` is the feed's name, else its address. Messages are full sentences.
 * Called from the poll's threads, one call at a time. */
typedef void (*radar_watch_fn)(void *user, radar_watch_event event, const char *feed, const char *message);

typedef struct radar_watch_counts {
    long long feeds_read, unchanged, feeds_failed, waiting;
    long long items, stored, known, items_failed, rumours;
    long long duplicates; /* items whose text was stored already, under another id: remembered */
    long long deferred;   /* items whose pages the feed's deadline left for the next poll */
    long long changes, changes_dropped; /* changes of followed stories told, and past RADAR_MAX_ALERTS */
} radar_watch_counts;

/* Poll the feeds of `st` due at `now` (Unix seconds), extracting with `ex`,
 * then bring outcomes, source records and likelihoods up to date (as
 * radar ingest does); counts are added to *counts. Up to
 * RADAR_WATCH_THREADS feeds are polled at once (`st`, `ex` and `fn` are
 * used by one thread at a time). Returns 0 (also when stopped: the caller
 * checks its flag), or the store's error when the database failed. */
int radar_watch_poll(radar_store *st, radar_extractor *ex, const radar_watch_options *opts, long long now,
                     radar_watch_fn fn, void *user, radar_watch_counts *counts);

/* When the next feed of the shard of `opts` is due (Unix seconds; 0 when
 * there are no feeds in it). `opts` may be NULL: every feed. */
int radar_watch_next_due(radar_store *st, const radar_watch_options *opts, long long *when);

#ifdef __cplusplus
}
#endif
#endif
