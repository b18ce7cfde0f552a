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
#include "search_query.h"
#include "store_internal.h"

/* Does the database keep its counts in `meta` (schema 3 and later)? */
static int has_meta(radar_store *st, int *yes)
{
    sqlite3_stmt *s;
    *yes = 0;
    int rc = radar_store_prepare(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", &s);
    if (rc)
        return rc;
    *yes = radar_store_row(st, s, &rc, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

/* Bind the filter's values to a statement of the board. */
static void bind_filter(sqlite3_stmt *s, const radar_story_filter *f, const char *clubname, const char *pkey)
{
    if (clubname)
        radar_store_bind_text(s, 1, clubname);
    if (f->player) {
        radar_store_bind_text(s, 2, pkey);
        radar_store_bind_text(s, 5, radar_store_last_word(pkey));
    }
    radar_store_bind_text(s, 3, f->since);
    radar_store_bind_text(s, 4, f->stage);
    radar_store_bind_text(s, 6, f->source);
}

int radar_store_board_statements(radar_store *st, const radar_story_filter *f, sqlite3_stmt **rows,
                                  sqlite3_stmt **count, int *limit_out, int *offset_out)
{
    *rows = *count = NULL;
    char club[256], sql[4096], where[1024] = "1";
    const char *clubname = f->club ? radar_store_canonical_club(st, f->club, club, sizeof club) : NULL;
    /* each filter is an index look-up: the club through the to/from indexes,
     * the player through the surname index (?5: the typed name's last word) */
    char club_clause[160] = "";
    if (clubname)
        snprintf(club_clause, sizeof club_clause,
                 " AND s.id IN (SELECT id FROM stories WHERE to_club = ?1 UNION ALL "
                 "SELECT id FROM stories WHERE from_club = ?1)");
    if (f->player)
        strcat(where, " AND s.player IN (SELECT id FROM players WHERE surname = ?5 AND (key = ?2 OR surname = ?2 OR "
                      "instr(' ' || key, ' ' || ?2) > 0))");
    if (f->since)
        strcat(where, " AND s.last_seen >= ?3");
    if (f->stage)
        strcat(where, " AND s.max_stage = ?4");
    if (f->source) /* through the index on source names */
        strcat(where, " AND s.id IN (SELECT m.story FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                      "WHERE x.name = ?6)");
    const char *order = "s.heat DESC, s.last_seen DESC, s.id DESC";
    if (f->sort && !strcmp(f->sort, "recent"))
        order = "s.last_seen DESC, s.id DESC";
    else if (f->sort && !strcmp(f->sort, "first"))
        order = "s.first_seen IS NULL, s.first_seen, s.id";
    else if (f->sort && !strcmp(f->sort, "likelihood"))
        order = "s.likelihood DESC, s.last_seen DESC, s.id DESC"; /* the index, backwards; NULLs last */
    else if (f->sort && strcmp(f->sort, "hot"))
        return radar_error_set(RADAR_EINVALID, "unknown sort '%s' (hot, recent, first or likelihood)", f->sort);
    int limit = f->limit > 0 ? f->limit : 50;
    int offset = f->offset > 0 ? f->offset : 0;
    if (clubname && (!f->sort || strcmp(f->sort, "first"))) {
        /* a club's board: walk the (club, heat) or (club, last_seen) indexes of
         * buyers and sellers in order and stop after limit + offset rows each,
         * instead of sorting every story the club was ever named in */
        const char *ord = f->sort && !strcmp(f->sort, "recent")       ? "last_seen DESC"
                          : f->sort && !strcmp(f->sort, "likelihood") ? "likelihood DESC, last_seen DESC"
                                                                      : "heat DESC, last_seen DESC";
        char inner[1024];
        snprintf(inner, sizeof inner, "%s", where);
        snprintf(sql, sizeof sql,
                 "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.id IN ("
                 "SELECT id FROM (SELECT s.id FROM stories s WHERE s.to_club = ?1 AND %s ORDER BY %s LIMIT %d) "
                 "UNION SELECT id FROM (SELECT s.id FROM stories s WHERE s.from_club = ?1 AND %s ORDER BY %s LIMIT %d)) "
                 "ORDER BY %s LIMIT %d OFFSET %d",
                 inner, ord, limit + offset, inner, ord, limit + offset, order, limit, offset);
    } else {
        snprintf(sql, sizeof sql,
                 "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE %s%s ORDER BY %s "
                 "LIMIT %d OFFSET %d",
                 where, club_clause, order, limit, offset);
    }
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, sql, &s);
    if (rc)
        return rc;
    char pkey[256] = "";
    if (f->player)
        radar_store_name_key(f->player, pkey, sizeof pkey);
    bind_filter(s, f, clubname, pkey);
    /* total matching, for pagination (index counts when a club is given) */
    int meta = 0;
    if (clubname)
        snprintf(sql, sizeof sql,
                 /* no story goes to the club it comes from: the two counts are disjoint */
                 "SELECT (SELECT count(*) FROM stories s WHERE s.to_club = ?1 AND %s) + (SELECT count(*) FROM "
                 "stories s WHERE s.from_club = ?1 AND %s)",
                 where, where);
    else if (!strcmp(where, "1") && !(rc = has_meta(st, &meta)) && meta)
        snprintf(sql, sizeof sql, "SELECT value FROM meta WHERE key = 'stories'");
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM stories s WHERE %s", where);
    if (rc || (rc = radar_store_prepare(st, sql, count))) {
        sqlite3_finalize(s);
        return rc;
    }
    bind_filter(*count, f, clubname, pkey);
    *rows = s;
    *limit_out = limit;
    *offset_out = offset;
    return 0;
}

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
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, "SELECT id, date, source, title, url, body FROM articles WHERE id = ?1", &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? radar_error_set(RADAR_ENOTFOUND, "no article '%.200s'", id)
                                 : radar_store_db_error(st, rc, "reading an article");
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", radar_store_col_json(s, 0), "date", radar_store_col_json(s, 1), "source",
                     radar_store_col_json(s, 2), "title", radar_store_col_json(s, 3), "url", radar_store_col_json(s, 4), "body", radar_store_col_json(s, 5));
    sqlite3_finalize(s);
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

/* The search's deadline, checked by SQLite every SEARCH_PROGRESS_OPS steps
 * of a statement's virtual machine. FTS5 runs small statements of its own
 * while it merges the postings of a prefix term, so the check comes within
 * milliseconds there too; with a larger count those statements never reach
 * it (each counts its own steps), and a merge of many prefixes ran to its
 * end. */
#define SEARCH_PROGRESS_OPS 100
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

int radar_store_search_within(radar_store *st, const char *query, int limit, int ms, json_t **out)
{
    *out = NULL;
    char *fts = NULL; /* the user's words as FTS5 syntax (search_query.c) */
    int rc = radar_search_translate(query, &fts);
    if (rc || (rc = search_check(fts))) {
        free(fts);
        return rc;
    }
    sqlite3_stmt *s;
    /* each hit with the stories its article belongs to */
    rc = radar_store_prepare(st,
                       "SELECT a.id, a.date, a.source, a.title, snippet(articles_fts, 1, '[', ']', '...', 16), a.url, "
                       "(SELECT json_group_array(json_object('id', s.id, 'player', p.name, 'to_club', s.to_club)) FROM "
                       "stories s JOIN players p ON p.id = s.player WHERE s.id IN (SELECT story FROM mentions WHERE "
                       "article = a.rowid)) FROM "
                       "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?1 ORDER "
                       "BY articles_fts.rowid DESC LIMIT ?2",
                       &s);
    if (rc) {
        free(fts);
        return rc;
    }
    radar_store_bind_text(s, 1, fts);
    sqlite3_bind_int(s, 2, limit > 0 ? limit : 20);
    search_deadline d = {.hit = 0};
    clock_gettime(CLOCK_MONOTONIC, &d.end);
    ms = ms > 0 ? ms : 0;
    d.end.tv_sec += ms / 1000;
    d.end.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d.end.tv_nsec >= 1000000000L)
        d.end.tv_sec++, d.end.tv_nsec -= 1000000000L;
    sqlite3_progress_handler(st->db, SEARCH_PROGRESS_OPS, search_progress, &d);
    json_t *hits = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *sj = (const char *)sqlite3_column_text(s, 6);
        json_t *stories = sj ? json_loads(sj, 0, NULL) : NULL;
        json_array_append_new(hits, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "article", radar_store_col_json(s, 0), "date",
                                              radar_store_col_json(s, 1), "source", radar_store_col_json(s, 2), "title", radar_store_col_json(s, 3),
                                              "url", radar_store_col_json(s, 5), "stories", stories ? stories : json_array(),
                                              "snippet", radar_store_col_json(s, 4)));
    }
    sqlite3_progress_handler(st->db, 0, NULL, NULL); /* the connection's other questions run unbounded */
    if (rc != SQLITE_DONE) {
        json_decref(hits);
        if (d.hit) {
            sqlite3_finalize(s);
            free(fts);
            return radar_error_set(RADAR_ETOOLARGE, "search: stopped after %d ms, the time a search may take; "
                                   "ask for fewer words, or longer ones", ms);
        }
        if ((rc & 0xFF) == SQLITE_ERROR) {
            rc = radar_error_set(RADAR_EINVALID, "search: cannot look for '%s' (%s)", query, sqlite3_errmsg(st->db));
            sqlite3_finalize(s);
            free(fts);
            return rc;
        }
        rc = radar_store_db_error(st, rc, "searching");
        sqlite3_finalize(s);
        free(fts);
        return rc;
    }
    sqlite3_finalize(s);
    free(fts);
    *out = json_pack("{s:s, s:o}", "query", query, "hits", hits);
    return 0;
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
        radar_answer_mem_free(m);
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

/* ---- outcomes and sources ---- */

int radar_store_outcomes(radar_store *st, int limit, int offset, json_t **out)
{
    sqlite3_stmt *s;
    long long total = 0;
    *out = NULL;
    int rc = radar_store_prepare(st, "SELECT count(*) FROM resolutions", &s);
    if (rc)
        return rc;
    if (radar_store_row(st, s, &rc, "counting outcomes"))
        total = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc || (rc = radar_store_prepare(st,
                                        "SELECT s.id, p.name, s.to_club, s.outcome, r.outcome, r.ended, r.how FROM "
                                        "resolutions r JOIN stories s ON s.id = r.story JOIN players p ON p.id = "
                                        "s.player ORDER BY r.ended DESC, r.story DESC LIMIT ?1 OFFSET ?2",
                                        &s)))
        return rc;
    sqlite3_bind_int(s, 1, limit > 0 ? limit : 50);
    sqlite3_bind_int(s, 2, offset > 0 ? offset : 0);
    json_t *list = json_array();
    while (radar_store_row(st, s, &rc, "listing outcomes")) {
        json_t *o = json_object();
        static const char *const names[] = {"story", "player", "to_club", "status", "outcome", "on", "how"};
        for (int i = 0; i < 7; i++)
            json_object_set_new(o, names[i], radar_store_col_json(s, i));
        json_array_append_new(list, o);
    }
    sqlite3_finalize(s);
    json_t *res = json_pack("{s:o, s:I}", "resolved", list, "total", (json_int_t)total);
    /* imported rows that name no player in the store */
    json_t *unmatched = json_array();
    if (!rc && !(rc = radar_store_prepare(st, "SELECT player_name, to_club, date, outcome FROM outcomes ORDER BY date, id",
                                          &s))) {
        while (!rc && radar_store_row(st, s, &rc, "listing outcomes")) {
            long long ids[RADAR_MAX_NAMESAKES];
            int n = 0;
            rc = radar_store_players_named(st, (const char *)sqlite3_column_text(s, 0), 0, NULL, ids,
                                           RADAR_MAX_NAMESAKES, &n, NULL);
            if (!rc && !n)
                json_array_append_new(unmatched, json_pack("{s:o, s:o, s:o, s:o}", "player", radar_store_col_json(s, 0),
                                                           "to_club", radar_store_col_json(s, 1), "date",
                                                           radar_store_col_json(s, 2), "outcome",
                                                           radar_store_col_json(s, 3)));
        }
        sqlite3_finalize(s);
    }
    json_object_set_new(res, "unmatched", unmatched);
    if (rc) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return 0;
}

int radar_store_source(radar_store *st, const char *name, json_t **out)
{
    radar_source_list *l;
    *out = NULL;
    int rc = radar_store_source_read(st, name, &l);
    if (rc)
        return rc;
    json_t *o = radar_source_row_json(&l->v[0]);
    /* the stories it originated, with how each ended */
    sqlite3_stmt *s;
    if (!(rc = radar_store_prepare(st,
                                   "SELECT s.id, p.name, s.to_club, min(m.date), max(m.date), count(*), s.outcome, "
                                   "s.likelihood FROM mention_sources x JOIN mentions m ON m.id = x.mention JOIN "
                                   "stories s ON s.id = m.story JOIN players p ON p.id = s.player WHERE x.name = ?1 "
                                   "GROUP BY s.id ORDER BY max(m.date) DESC, s.id LIMIT " RADAR_STR(
                                       RADAR_MAX_SOURCE_STORIES),
                                   &s))) {
        radar_store_bind_text(s, 1, l->v[0].name);
        json_t *list = json_array();
        while (radar_store_row(st, s, &rc, "reading a source's stories")) {
            json_t *r = json_object();
            static const char *const names[] = {"story",         "player",   "to_club", "first_reported",
                                                "last_reported", "mentions", "outcome", "likelihood"};
            for (int i = 0; i < 8; i++)
                json_object_set_new(r, names[i], radar_store_col_json(s, i));
            json_array_append_new(list, r);
        }
        sqlite3_finalize(s);
        json_object_set_new(o, "stories_reported", list);
    }
    radar_source_list_free(l);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}
