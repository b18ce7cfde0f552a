/*
 * store_feeds.c - the feeds to watch and syndication: a feed's subscription
 * and HTTP state, feed items remembered by id and link, and the sketches
 * that tell a syndicated copy of a stored text.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "store_internal.h"
#include "syndication.h"

void radar_store_forget_prints(radar_store *st)
{
    if (st->prints)
        radar_postings_clear(st->prints);
    st->prints_from = 0;
    /* an index built on demand in a transaction that rolled back is gone */
    st->print_index_missing = st->print_index_dropped;
}

_Static_assert(SYNDICATION_SKETCH == 8, "the posting statement binds eight hashes");

void radar_store_content_hash(const radar_article *a, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t h = radar_hash_bytes(a->body, a->body_len);
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

void radar_store_text_print_compute(const radar_article *a, store_text_print *out)
{
    radar_store_content_hash(a, out->hash);
    out->has_sketch = radar_syndication_sketch(a->body, a->body_len, out->sketch);
}

/* ---- feeds and syndication (schema 5) ---------------------------------------
 *
 * A feed's subscription and HTTP state live in `feeds`. A story syndicated by
 * a second outlet (the same text, give or take a headline or a sentence) is
 * a citation of the first: its mentions cite the first copy's origin, so the
 * story's independent sources do not grow (update_story counts a mention
 * by its cited source). The same text byte for byte is already one article
 * (content hash); near-same texts are found by their sketches (syndication.c):
 * one row per sketch hash, indexed, so candidates are a few index seeks.
 */

/* The newest articles (before ?1) holding the hash bound to ?N, after the
 * hash's index in the sketch. */
#define POSTINGS(N) \
    "SELECT " #N " - 2, * FROM (SELECT article FROM article_prints WHERE print = ?" #N " AND article < ?1 ORDER BY " \
    "article DESC LIMIT " RADAR_STR(RADAR_SYNDICATION_POSTINGS) ") AS posting"
_Static_assert(POSTINGS_KEEP >= RADAR_SYNDICATION_POSTINGS, "the memory keeps as many postings of a hash as the statement reads");
static const char *const WEB_SQL[W_COUNT] = {
    [W_SET_AUTHOR] = "INSERT OR REPLACE INTO article_authors(article, author) VALUES (?1, ?2)",
    [W_DELETE_PRINTS] = "DELETE FROM article_prints WHERE article = ?1",
    /* the newest articles holding one hash: bounded however common the shingle */
    /* the newest articles holding each of the eight hashes: one statement */
    [W_PRINT_POSTINGS] = POSTINGS(2) " UNION ALL " POSTINGS(3) " UNION ALL " POSTINGS(4) " UNION ALL " POSTINGS(5)
                         " UNION ALL " POSTINGS(6) " UNION ALL " POSTINGS(7) " UNION ALL " POSTINGS(8)
                         " UNION ALL " POSTINGS(9),
    [W_PRINTS_OF] = "SELECT print FROM article_prints WHERE article = ?1",
    [W_ARTICLE_DATE] = "SELECT date FROM articles WHERE rowid = ?1",
    /* one row a statement: a multi-row insert opens a statement journal,
     * and each one makes FTS5 write out the terms it holds in memory */
    [W_INSERT_PRINT] = "INSERT INTO article_prints(article, print) VALUES (?1, ?2)",
    [W_ORIGIN_CITED] = "SELECT x.name FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                       "WHERE m.article = ?1 AND x.cited = 1 ORDER BY x.name LIMIT 1",
    [W_ORIGIN_PUBLISHER] = "SELECT source FROM articles WHERE rowid = ?1",
    [W_CITE_ORIGIN] = "INSERT OR IGNORE INTO mention_sources(mention, name, kind, cited) VALUES (?1, ?2, 'outlet', 1)",
    [W_HAS_ITEM] = "SELECT 1 FROM articles WHERE id = ?1 UNION ALL SELECT 1 FROM articles WHERE url = ?2 "
                   "UNION ALL SELECT 1 FROM feed_items WHERE key IN (?1, ?2) LIMIT 1",
    [W_NOTE_ITEM] = "INSERT OR IGNORE INTO feed_items(key, article) SELECT ?1, rowid FROM articles WHERE hash = ?2 "
                    "LIMIT 1",
    [W_PRINTS_START] = "SELECT (SELECT max(rowid) FROM articles), EXISTS (SELECT 1 FROM article_prints WHERE article < "
                       "?1), (SELECT data_version FROM pragma_data_version)",
};

static int web_stmt(radar_store *st, int i, radar_sql_stmt **out)
{
    *out = NULL;
    if (!st->web[i]) {
        int rc = radar_sql_prepare(&st->conn, WEB_SQL[i], 1, &st->web[i]);
        if (rc != RADAR_SQL_OK)
            return radar_store_db_error(st, rc, "preparing statements");
    }
    *out = st->web[i];
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Is stored article `cand` a copy of the text of sketch k dated `date`? */
static int web_is_copy(radar_store *st, const uint64_t k[SYNDICATION_SKETCH], const char *date, long long cand,
                       int *yes)
{
    radar_sql_stmt *s;
    int rc;
    *yes = 0;
    if ((rc = web_stmt(st, W_ARTICLE_DATE, &s)))
        return rc;
    radar_sql_bind_int64(s, 1, cand);
    long days = -1, other = -1;
    if ((rc = radar_sql_step(s)) == RADAR_SQL_ROW && date) {
        days = radar_day_number(date);
        other = radar_day_number((const char *)radar_sql_column_text(s, 0));
    }
    radar_sql_reset(s);
    if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "looking up similar articles");
    if (days >= 0 && other >= 0 && labs(days - other) > SYNDICATION_MAX_DAYS)
        return 0;
    if ((rc = web_stmt(st, W_PRINTS_OF, &s)))
        return rc;
    uint64_t theirs[SYNDICATION_SKETCH];
    size_t n = 0;
    radar_sql_bind_int64(s, 1, cand);
    while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW && n < SYNDICATION_SKETCH)
        theirs[n++] = (uint64_t)radar_sql_column_int64(s, 0);
    radar_sql_reset(s);
    if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "looking up similar articles");
    qsort(theirs, n, sizeof *theirs, cmp_u64);
    *yes = radar_syndication_shared(k, SYNDICATION_SKETCH, theirs, n) >= SYNDICATION_MIN_SHARED;
    return 0;
}

/* Start keeping the sketches of the articles from `self` on in memory, when
 * `self` is the newest article (its sketch is not stored yet). A store
 * that cannot get the memory asks the database, as before. */
static int web_keep_prints(radar_store *st, long long self)
{
    radar_sql_stmt *s;
    int rc;
    if (st->prints_from || (!st->prints && !(st->prints = radar_postings_new(RADAR_MAX_PRINTS_MEMORY))))
        return 0;
    if ((rc = web_stmt(st, W_PRINTS_START, &s)))
        return rc;
    radar_sql_bind_int64(s, 1, self);
    if ((rc = radar_sql_step(s)) == RADAR_SQL_ROW && radar_sql_column_int64(s, 0) == self) {
        st->prints_from = self;
        st->prints_older = radar_sql_column_int(s, 1);
        st->data_version = radar_sql_column_int64(s, 2);
    }
    radar_sql_reset(s);
    return rc == RADAR_SQL_ROW || rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "looking up similar articles");
}

/* The first stored text resembling the one of sketch k, stored before `self`,
 * dated within SYNDICATION_MAX_DAYS of `date` (when both are known): its
 * rowid in *out, or 0. A copy holds at least SYNDICATION_MIN_SHARED of the
 * sketch's hashes, so only articles met that often in the hashes' postings
 * (the RADAR_SYNDICATION_POSTINGS newest of each) are checked. The postings of articles
 * from st->prints_from on are in memory, the older ones in the database. */
static int web_find_copy(radar_store *st, const uint64_t k[SYNDICATION_SKETCH], long long self, const char *date,
                         long long *out)
{
    long long seen[SYNDICATION_SKETCH * RADAR_SYNDICATION_POSTINGS];
    size_t n = 0, per_hash[SYNDICATION_SKETCH] = {0};
    int rc;
    *out = 0;
    if (st->prints_from)
        for (int i = 0; i < SYNDICATION_SKETCH; i++) {
            per_hash[i] = radar_postings_find(st->prints, k[i], self, seen + n, RADAR_SYNDICATION_POSTINGS);
            n += per_hash[i];
        }
    if (!st->prints_from || st->prints_older) {
        radar_sql_stmt *s;
        if (st->print_index_missing) { /* dropped by a bulk load */
            if ((rc = radar_store_exec(st, "CREATE INDEX IF NOT EXISTS article_prints_print ON article_prints(print, article)")))
                return rc;
            st->print_index_missing = 0;
        }
        if ((rc = web_stmt(st, W_PRINT_POSTINGS, &s)))
            return rc;
        radar_sql_bind_int64(s, 1, st->prints_from && st->prints_from < self ? st->prints_from : self);
        for (int i = 0; i < SYNDICATION_SKETCH; i++)
            radar_sql_bind_int64(s, i + 2, (long long)k[i]);
        while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
            int i = radar_sql_column_int(s, 0);
            if (i >= 0 && i < SYNDICATION_SKETCH && per_hash[i] < RADAR_SYNDICATION_POSTINGS) {
                per_hash[i]++;
                seen[n++] = radar_sql_column_int64(s, 1);
            }
        }
        radar_sql_reset(s);
        if (rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "looking up similar articles");
    }
    if (n < SYNDICATION_MIN_SHARED)
        return 0;
    qsort(seen, n, sizeof *seen, radar_store_cmp_ll);
    for (size_t i = 0; i < n && !*out;) {
        size_t j = i;
        while (j < n && seen[j] == seen[i])
            j++;
        int yes = 0;
        if (j - i >= SYNDICATION_MIN_SHARED && (rc = web_is_copy(st, k, date, seen[i], &yes)))
            return rc;
        if (yes)
            *out = seen[i];
        i = j;
    }
    return 0;
}

/* The origin of what article `rowid` reports: the source it cites, else its
 * outlet. A copy (new string in *out, or NULL). */
static int web_origin_of(radar_store *st, long long rowid, char **out)
{
    *out = NULL;
    for (int q = W_ORIGIN_CITED; q <= W_ORIGIN_PUBLISHER && !*out; q++) {
        radar_sql_stmt *s;
        int rc = web_stmt(st, q, &s);
        if (rc)
            return rc;
        radar_sql_bind_int64(s, 1, rowid);
        rc = radar_sql_step(s);
        if (rc == RADAR_SQL_ROW && radar_sql_column_text(s, 0)) {
            *out = strdup((const char *)radar_sql_column_text(s, 0));
            if (!*out)
                rc = SQLITE_NOMEM;
        }
        radar_sql_reset(s);
        radar_sql_clear_bindings(s);
        if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "looking up a story's origin");
    }
    return 0;
}

/* After an article row is written (inside radar_store_put): its author, its
 * print, and, when an earlier article has nearly the same text, that text's
 * origin in *origin (caller frees) unless it is this article's own outlet. */
int radar_store_after_article(radar_store *st, const radar_article *a, const store_text_print *tp, long long rowid,
                             int updated, char **origin)
{
    radar_sql_stmt *s;
    int rc;
    if (a->author) {
        if ((rc = web_stmt(st, W_SET_AUTHOR, &s)))
            return rc;
        radar_sql_bind_int64(s, 1, rowid);
        radar_store_bind_text(s, 2, a->author);
        if ((rc = radar_store_step_done(st, s, "storing an author")))
            return rc;
    }
    if ((rc = web_stmt(st, W_DELETE_PRINTS, &s)))
        return rc;
    radar_sql_bind_int64(s, 1, rowid);
    if ((rc = radar_store_step_done(st, s, "updating an article's print")))
        return rc;
    /* a rewritten article the memory holds: its postings would be out of
     * order there */
    if (st->prints_from && rowid >= st->prints_from && updated)
        radar_store_forget_prints(st);
    if (!tp->has_sketch)
        return 0;
    const uint64_t *k = tp->sketch;
    long long copy_of = 0;
    if ((!updated && (rc = web_keep_prints(st, rowid))) || (rc = web_find_copy(st, k, rowid, a->date, &copy_of)))
        return rc;
    for (int i = 0; i < SYNDICATION_SKETCH; i++) {
        if ((rc = web_stmt(st, W_INSERT_PRINT, &s)))
            return rc;
        radar_sql_bind_int64(s, 1, rowid);
        radar_sql_bind_int64(s, 2, (long long)k[i]);
        if ((rc = radar_store_step_done(st, s, "storing an article's sketch")))
            return rc;
        if (st->prints_from && rowid >= st->prints_from) {
            int full = radar_postings_add(st->prints, k[i], rowid);
            if (full) /* the database has them all: ask it from here on */
                radar_store_forget_prints(st);
        } else if (st->prints_from) {
            st->prints_older = 1; /* an older article rewritten with a sketch */
        }
    }
    if (!copy_of)
        return 0;
    if ((rc = web_origin_of(st, copy_of, origin)))
        return rc;
    if (*origin && a->source && !strcmp(*origin, a->source)) {
        free(*origin); /* the outlet running its own story again */
        *origin = NULL;
    }
    return 0;
}

int radar_store_cite_origin(radar_store *st, long long mention, const char *origin)
{
    radar_sql_stmt *s;
    int rc = web_stmt(st, W_CITE_ORIGIN, &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, mention);
    radar_store_bind_text(s, 2, origin);
    return radar_store_step_done(st, s, "storing a source");
}

int radar_store_has_item(radar_store *st, const char *id, const char *url, int *found)
{
    radar_sql_stmt *s;
    int rc = web_stmt(st, W_HAS_ITEM, &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, id);
    radar_store_bind_text(s, 2, url);
    rc = radar_sql_step(s);
    *found = rc == RADAR_SQL_ROW;
    radar_sql_reset(s);
    radar_sql_clear_bindings(s);
    return rc == RADAR_SQL_ROW || rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "looking up a feed item");
}

int radar_store_note_item(radar_store *st, const radar_article *a)
{
    if (!radar_sql_in_transaction(&st->conn))
        return radar_error_set(RADAR_EINVALID, "radar_store_note_item outside a transaction (call radar_store_begin)");
    char hash[17];
    radar_store_content_hash(a, hash);
    const char *keys[2] = {a->id, a->url};
    for (int i = 0; i < 2; i++) {
        if (!keys[i] || (i == 1 && a->id && !strcmp(keys[0], keys[1])))
            continue;
        radar_sql_stmt *s;
        int rc = web_stmt(st, W_NOTE_ITEM, &s);
        if (rc)
            return rc;
        radar_store_bind_text(s, 1, keys[i]);
        radar_store_bind_text(s, 2, hash);
        if ((rc = radar_store_step_done(st, s, "remembering a feed item")))
            return rc;
    }
    return 0;
}

int radar_store_feed_add(radar_store *st, const char *url, const char *name)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return radar_error_set(RADAR_EINVALID, "'%s' is not an http:// or https:// address", url);
    if (strlen(url) > RADAR_MAX_FIELD_BYTES || (name && strlen(name) > RADAR_MAX_FEED_NAME))
        return radar_error_set(RADAR_EINVALID, "feed address or name too long");
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "INSERT INTO feeds(url, name) VALUES (?1, ?2)", &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, url);
    radar_store_bind_text(s, 2, name && *name ? name : NULL);
    rc = radar_sql_step(s);
    radar_sql_finalize(s);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return radar_error_set(RADAR_EINVALID, "%s is subscribed already%s%s%s", url, name ? " (or the name '" : "",
                               name ? name : "", name ? "' is taken)" : "");
    return rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "adding a feed");
}

int radar_store_feed_remove(radar_store *st, const char *which)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "DELETE FROM feeds WHERE url = ?1 OR name = ?1", &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, which);
    rc = radar_sql_step(s);
    radar_sql_finalize(s);
    if (rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "removing a feed");
    if (radar_sql_changes(&st->conn) == 0)
        return radar_error_set(RADAR_ENOTFOUND, "no feed with the address or name '%s' (radar feeds list shows them)",
                               which);
    return 0;
}

int radar_store_feed_update(radar_store *st, const radar_feed_state *f)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                     "UPDATE feeds SET title = coalesce(?2, title), etag = ?3, last_modified = ?4, last_error = ?5, "
                     "failures = ?6, last_poll = ?7, next_poll = ?8, articles = articles + ?9 WHERE id = ?1",
                     &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, f->id);
    radar_store_bind_text(s, 2, f->title);
    radar_store_bind_text(s, 3, f->etag);
    radar_store_bind_text(s, 4, f->last_modified);
    radar_store_bind_text(s, 5, f->error);
    radar_sql_bind_int(s, 6, f->failures);
    radar_sql_bind_int64(s, 7, f->last_poll);
    radar_sql_bind_int64(s, 8, f->next_poll);
    radar_sql_bind_int64(s, 9, f->new_articles);
    rc = radar_sql_step(s);
    radar_sql_finalize(s);
    return rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "saving a feed's state");
}

