/*
 * store_questions.c - the questions asked of the rumour store: the story
 * board, a story's timeline, a player, a club, an article, full-text search,
 * the sources and their records, the resolved stories, and the export.
 * Each opens no transaction of its own: a read sees one committed state.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/utf8.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "radar/people.h"
#include "search_query.h"
#include "store_internal.h"

int radar_store_stories(radar_store *st, const radar_story_filter *f, json_t **out)
{
    radar_story_list *l;
    int rc = radar_store_stories_list(st, f, &l);
    *out = rc ? NULL : radar_story_list_json(l);
    radar_story_list_free(l);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_story(radar_store *st, long long id, json_t **out)
{
    radar_story_detail *d;
    int rc = radar_store_story_read(st, id, &d);
    *out = rc ? NULL : radar_story_detail_json(d);
    radar_story_detail_free(d);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_player(radar_store *st, const char *name, json_t **out)
{
    radar_player_list *l;
    int rc = radar_store_player_read(st, name, &l);
    *out = rc ? NULL : radar_player_list_json(l);
    radar_player_list_free(l);
    if (!rc && *out && (rc = radar_store_players_identity_json(st, *out))) { /* names, birth years, registry */
        json_decref(*out);
        *out = NULL;
    }
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_club(radar_store *st, const char *name, json_t **out)
{
    radar_club_answer *c;
    int rc = radar_store_club_read(st, name, &c);
    *out = rc ? NULL : radar_club_answer_json(c);
    radar_club_answer_free(c);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_article(radar_store *st, const char *id, json_t **out)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT id, date, source, title, url, body FROM articles WHERE id = ?1", &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, id);
    rc = radar_sql_step(s);
    if (rc != RADAR_SQL_ROW) {
        radar_sql_finalize(s);
        return rc == RADAR_SQL_DONE ? radar_error_set(RADAR_ENOTFOUND, "no article '%.200s'", id)
                                 : radar_store_db_error(st, rc, "reading an article");
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", radar_store_col_json(s, 0), "date", radar_store_col_json(s, 1), "source",
                     radar_store_col_json(s, 2), "title", radar_store_col_json(s, 3), "url", radar_store_col_json(s, 4), "body", radar_store_col_json(s, 5));
    radar_sql_finalize(s);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* ---- search: a query's cost is bounded before and while it runs ---- */

/* FTS5's bareword characters: ASCII letters, digits, '_', 0x1A and every
 * byte of a multibyte UTF-8 sequence. */
static int search_bareword(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == 0x1A;
}

/* The words of q[0..len) as the unicode61 tokenizer splits them (runs of
 * letters and digits): adds their number to *words and sets *last to the
 * letters of the last one (left alone when there is none). */
static void search_words(const char *q, size_t len, int *words, size_t *last)
{
    size_t i = 0, run = 0;
    while (i < len) {
        int32_t cp;
        i += radar_utf8_decode((const unsigned char *)q + i, len - i, &cp);
        if (radar_cp_is_letter(cp) || radar_cp_is_digit(cp)) {
            if (run++ == 0)
                (*words)++;
            *last = run;
        } else {
            run = 0;
        }
    }
}

static int search_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Refuse, before it runs, a query over the limits of limits.h: read as FTS5
 * reads it, counting the words of bare terms and "phrases" (keywords, column
 * names and NEAR's distance are no words) and the letters of the word before
 * each '*'. What is not FTS5 syntax is left for FTS5 to refuse. */
static int search_check(const char *q)
{
    int words = 0, braces = 0, comma = 0, phrase = 0; /* phrase: a '*' now ends one */
    size_t last = 0;
    const char *p = q;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (search_space(c)) {
            p++;
            continue;
        }
        if (c == '*') {
            if (phrase && last < RADAR_MIN_SEARCH_PREFIX)
                return radar_error_set(RADAR_EINVALID,
                                       "search: a prefix term needs at least %d letters before its '*' (such as "
                                       "'tra*'): shorter ones match too many words",
                                       RADAR_MIN_SEARCH_PREFIX);
            phrase = 0;
            p++;
        } else if (c == '"') { /* a phrase; "" inside it is a quote */
            const char *start = ++p;
            while (*p && !(p[0] == '"' && p[1] != '"'))
                p += p[0] == '"' ? 2 : 1;
            last = 0;
            search_words(start, (size_t)(p - start), &words, &last);
            phrase = 1;
            comma = 0;
            if (*p)
                p++;
        } else if (search_bareword(c)) {
            const char *start = p;
            while (*p && search_bareword((unsigned char)*p))
                p++;
            size_t n = (size_t)(p - start);
            const char *next = p;
            while (search_space((unsigned char)*next))
                next++;
            int keyword = (n == 3 && (!memcmp(start, "AND", 3) || !memcmp(start, "NOT", 3))) ||
                          (n == 2 && !memcmp(start, "OR", 2)) || (n == 4 && !memcmp(start, "NEAR", 4) && *next == '(');
            phrase = 0;
            if (!keyword && !comma && !braces && *next != ':') { /* not a column name nor NEAR's distance */
                last = 0;
                search_words(start, n, &words, &last);
                phrase = 1;
            }
            comma = 0;
        } else {
            braces = c == '{' ? 1 : c == '}' ? 0 : braces;
            comma = c == ',';
            phrase = 0;
            p++;
        }
        if (words > RADAR_MAX_SEARCH_TERMS)
            return radar_error_set(RADAR_EINVALID, "search: a query may have at most %d words", RADAR_MAX_SEARCH_TERMS);
    }
    return 0;
}

/* The search's deadline, checked by SQLite every few steps of a statement
 * (radar_sql_limit_time; PostgreSQL keeps time itself). */
typedef struct search_deadline {
    struct timespec end;
    int hit;
} search_deadline;

static int search_progress(void *ctx)
{
    search_deadline *d = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > d->end.tv_sec || (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec))
        d->hit = 1;
    return d->hit;
}

/* The search's rows, stopped at the deadline `ms` from now. */
static int search_hits(radar_store *st, radar_sql_stmt *s, const char *query, const char *fts, int ms,
                       struct radar_answer_mem *m, radar_search_answer *a)
{
    search_deadline d = {.hit = 0};
    clock_gettime(CLOCK_MONOTONIC, &d.end);
    ms = ms > 0 ? ms : 0;
    d.end.tv_sec += ms / 1000;
    d.end.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d.end.tv_nsec >= 1000000000L)
        d.end.tv_sec++, d.end.tv_nsec -= 1000000000L;
    if (radar_sql_limit_time(&st->conn, ms, search_progress, &d))
        return radar_store_db_error(st, RADAR_SQL_ERROR, "searching");
    radar_gather g = {.size = sizeof(radar_search_hit)};
    int rc, err = 0;
    while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
        radar_search_hit *h = radar_gather_push(&g);
        if (!h) {
            err = RADAR_ENOMEM;
            break;
        }
        h->article = radar_answer_col_text(m, s, 0);
        h->date = radar_answer_col_text(m, s, 1);
        h->source = radar_answer_col_text(m, s, 2);
        h->title = radar_answer_col_text(m, s, 3);
        char *passage = NULL; /* cut here from the body, where the backend gives it (sql.h) */
        if ((err = radar_sql_fts_passage(&st->conn, fts, (const char *)radar_sql_column_text(s, 4), &passage)))
            break;
        h->snippet = passage ? radar_answer_str(m, passage, strlen(passage)) : radar_answer_col_text(m, s, 4);
        free(passage);
        h->url = radar_answer_col_text(m, s, 5);
        h->stories = radar_answer_col_text(m, s, 6);
    }
    d.hit |= rc != RADAR_SQL_DONE && radar_sql_timed_out(&st->conn);
    radar_sql_limit_time(&st->conn, 0, NULL, NULL); /* the connection's other questions run unbounded */
    a->v = radar_gather_keep(m, &g, &a->n);
    if (err || rc == RADAR_SQL_DONE)
        return err;
    if (d.hit)
        return radar_error_set(RADAR_ETOOLARGE, "search: stopped after %d ms, the time a search may take; "
                               "ask for fewer words, or longer ones", ms);
    if ((rc & 0xFF) == SQLITE_ERROR)
        return radar_error_set(RADAR_EINVALID, "search: cannot look for '%s' (%s)", query,
                               radar_sql_errmsg(&st->conn));
    return radar_store_db_error(st, rc, "searching");
}

int radar_store_search_read(radar_store *st, const char *query, int limit, int ms, radar_search_answer **out)
{
    *out = NULL;
    char *fts = NULL; /* the user's words as FTS5 syntax (search_query.c) */
    int rc = radar_search_translate(query, &fts);
    if (rc || (rc = search_check(fts))) {
        free(fts);
        return rc;
    }
    struct radar_answer_mem *m;
    radar_search_answer *a = radar_answer_new(sizeof *a, &m);
    if (!a) {
        free(fts);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    a->mem_ = m;
    a->query = radar_answer_str(m, query, strlen(query));
    radar_sql_stmt *s;
    /* each hit with its link and the stories its article belongs to */
    const char *from, *match, *snippet, *newest;
    radar_sql_fts_pieces(&st->conn, &from, &match, &snippet, &newest);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.date, a.source, a.title, %s, a.url, (SELECT COALESCE(json_group_array(json_object('id', "
             "s.id, 'player', p.name, 'to_club', s.to_club)), '[]') FROM stories s JOIN players p ON p.id = s.player "
             "WHERE s.id IN (SELECT story FROM mentions WHERE article = a.rowid)) FROM %s WHERE %s ORDER BY %s "
             "LIMIT ?2",
             snippet, from, match, newest);
    char *terms = NULL;
    if (!(rc = radar_sql_fts_query(&st->conn, fts, &terms)))
        rc = radar_store_prepare(st, sql, &s);
    if (!rc) {
        radar_store_bind_text(s, 1, terms);
        radar_sql_bind_int(s, 2, limit > 0 ? limit : 20);
        rc = search_hits(st, s, query, fts, ms, m, a);
        radar_sql_finalize(s);
    }
    free(terms);
    free(fts);
    if ((rc = radar_answer_status(m, rc))) {
        radar_search_answer_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void radar_search_answer_free(radar_search_answer *a)
{
    if (a)
        radar_answer_free(a->mem_);
}

int radar_store_search_within(radar_store *st, const char *query, int limit, int ms, json_t **out)
{
    radar_search_answer *a;
    int rc = radar_store_search_read(st, query, limit, ms, &a);
    *out = rc ? NULL : radar_search_answer_json(a);
    radar_search_answer_free(a);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_search(radar_store *st, const char *query, int limit, json_t **out)
{
    return radar_store_search_within(st, query, limit, RADAR_MAX_SEARCH_MS, out);
}

int radar_store_sources(radar_store *st, json_t **out)
{
    radar_source_list *l;
    int rc = radar_store_sources_list(st, &l);
    *out = rc ? NULL : radar_source_list_json(l);
    radar_source_list_free(l);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_export_each(radar_store *st, radar_export_fn fn, void *user)
{
    radar_story_list *l;
    int rc = radar_store_all_stories(st, &l);
    if (rc)
        return rc;
    for (size_t i = 0; i < l->n && !rc; i++) {
        struct radar_answer_mem *m = radar_answer_mem_new();
        radar_mention_row *v = NULL;
        size_t n = 0;
        if (!m)
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        else if (!(rc = radar_store_timeline(st, m, l->v[i].id, &v, &n)))
            rc = fn(user, &l->v[i], v, n);
        radar_answer_free(m);
    }
    radar_story_list_free(l);
    return rc;
}

static int export_one(void *user, const radar_story_row *story, const radar_mention_row *timeline, size_t n)
{
    json_t *j = radar_story_export_json(story, timeline, n);
    if (!j || json_array_append_new(user, j))
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    return 0;
}

int radar_store_export(radar_store *st, json_t **out)
{
    json_t *list = json_array();
    *out = NULL;
    int rc = list ? radar_store_export_each(st, export_one, list) : radar_error_set(RADAR_ENOMEM, "out of memory");
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = json_pack("{s:o}", "stories", list);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_feeds(radar_store *st, json_t **out)
{
    radar_feed_list *l;
    int rc = radar_store_feeds_list(st, &l);
    *out = rc ? NULL : radar_feed_list_json(l);
    radar_feed_list_free(l);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* ---- outcomes and sources ---- */

int radar_store_outcomes(radar_store *st, int limit, int offset, json_t **out)
{
    radar_outcomes_answer *a;
    int rc = radar_store_outcomes_list(st, limit, offset, &a);
    *out = rc ? NULL : radar_outcomes_answer_json(a);
    radar_outcomes_answer_free(a);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

int radar_store_source(radar_store *st, const char *name, json_t **out)
{
    radar_source_answer *a;
    int rc = radar_store_source_read(st, name, &a);
    *out = rc ? NULL : radar_source_answer_json(a);
    radar_source_answer_free(a);
    return rc ? rc : *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}
