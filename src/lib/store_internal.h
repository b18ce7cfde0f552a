/*
 * store_internal.h - what the store's files share: the handle and the helpers
 * of store.c that store_scores.c uses too. Only the store includes sqlite3.h.
 */
#ifndef RADAR_STORE_INTERNAL_H
#define RADAR_STORE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "radar/buf.h"
#include "radar/store.h"
#include "postings.h"

#define RESURFACE_DAYS 180 /* a mention after this long a silence makes a story resurface */
#define DORMANT_DAYS 120   /* no mention for this long before the newest article: dormant */

/* Statements of the feeds and syndication block (end of store.c),
 * prepared on first use. */
enum { W_SET_AUTHOR, W_DELETE_PRINTS, W_PRINT_POSTINGS, W_PRINTS_OF, W_ARTICLE_DATE, W_INSERT_PRINT,
       W_ORIGIN_CITED, W_ORIGIN_PUBLISHER, W_CITE_ORIGIN, W_HAS_ITEM, W_NOTE_ITEM, W_PRINTS_START, W_COUNT };

/* prepared once per handle (store.c's SQL[]) */
enum {
    Q_ARTICLE_BY_ID, Q_ARTICLE_BY_HASH, Q_INSERT_ARTICLE, Q_UPDATE_ARTICLE, Q_OLD_STORIES, Q_DELETE_MENTIONS,
    Q_DELETE_FACTS, Q_PLAYERS_BY_SURNAME, Q_INSERT_PLAYER, Q_UPDATE_PLAYER, Q_INSERT_MENTION, Q_INSERT_SOURCE,
    Q_INSERT_FACT, Q_INSERT_STORY, Q_STORY_ID, Q_STORY_MENTIONS, Q_UPDATE_STORY,
    Q_FTS_INSERT, Q_FTS_DELETE, Q_PLAYERS_BY_KEY, Q_COUNT
};

struct radar_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[Q_COUNT];
    sqlite3_stmt *web[W_COUNT];
    /* the sketches of the articles this handle stored from rowid prints_from
     * on (0: none kept), and whether the database holds older ones; dropped
     * when a transaction rolls back or another connection writes */
    postings *prints;
    long long prints_from;
    int prints_older;
    long long data_version;
    /* a bulk load dropped the index of sketches by hash; it is missing now */
    int print_index_dropped, print_index_missing;
    const radar_lexicon *lex;
    char path[1024];
    int readonly;
    /* how long to wait for another connection's lock, and whom to tell */
    long wait_ms;
    radar_store_wait_fn on_wait;
    void *wait_user;
    int said_waiting;
    double busy_since; /* when the current wait began (ms, monotonic) */
    /* stories touched since the transaction began: their summaries are
     * recomputed once, at commit, however many mentions they received */
    long long *dirty;
    size_t n_dirty, cap_dirty;
    long long new_stories; /* stories created in this transaction */
    /* a story's source names and origins while its summary is computed
     * (update_story): copies in one arena, by offset; kept for reuse */
    struct story_strings {
        radar_buf arena;
        size_t *names, *origins;
        size_t n_names, cap_names, n_origins, cap_origins;
        const char **sorted;
        size_t cap_sorted;
    } story_strings;
    int updated;           /* an article was updated in this transaction */
    int changed;           /* an article was stored in this transaction */
    /* players whose stories changed since the last rescore, and whether
     * the scores were stale already when the store was opened */
    long long *touched;
    size_t n_touched, cap_touched;
    int stale_at_open;
    /* statements of store_scores.c, prepared on first use (store_cached) */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[32];
};

/* store.c */
/* Room for element n of an array of `size`-byte elements holding *cap:
 * `v` itself, or a larger copy (first `first` elements, then doubling) with
 * *cap updated; NULL with the error set when out of memory (v still valid). */
void *store_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);
/* qsort comparator of long longs (rowids), ascending. */
int store_cmp_ll(const void *a, const void *b);
int store_db_error(radar_store *st, int rc, const char *what);
int store_exec(radar_store *st, const char *sql);
int store_prepare(radar_store *st, const char *sql, sqlite3_stmt **s);
/* The statement for `sql` (a string constant: it is the key), prepared once
 * per handle and kept; reset and unbound, ready to bind. Do not finalize. */
int store_cached(radar_store *st, const char *sql, sqlite3_stmt **s);
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
int store_step_done(radar_store *st, sqlite3_stmt *s, const char *what);
void store_name_key(const char *name, char *out, size_t cap);
const char *store_last_word(const char *key);
int store_surname_only(const char *key);
long store_day_number(const char *d);
/* YYYY-MM-DD for a day number (days since 1970-01-01); the inverse of store_day_number. */
void store_civil_date(long day, char out[64]);
const char *store_canonical_club(const radar_store *st, const char *name, char *buf, size_t cap);
long store_newest_day(radar_store *st);
json_t *store_col_json(sqlite3_stmt *s, int i);
/* The lexicon tier (1..5) of an outlet or journalist, or of a web domain; 0 unknown. */
int store_source_tier(const radar_store *st, const char *name);

/* store_scores.c */
json_t *store_likelihood_json(const radar_likelihood *l, const char *as_of);
/* A source's record as JSON from a row of STORE_RECORD_COLUMNS; without a
 * stored hit rate (never rescored) the tier's prior stands in. */
#define STORE_RECORD_COLUMNS "name, kind, tier, mentions, stories, cited, originated, resolved, hits, hit_rate, lo, hi"
json_t *store_record_json(radar_store *st, sqlite3_stmt *s);
/* Remember that a player's stories changed, for the next rescore. */
int store_touch_player(radar_store *st, long long player);

#endif
