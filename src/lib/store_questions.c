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
#include "store_internal.h"

static json_t *store_likelihood_json(const radar_likelihood *l, const char *as_of);
/* A source's record as JSON from a row of STORE_RECORD_COLUMNS; without a
 * stored hit rate (never rescored) the tier's prior stands in. */
static json_t *store_record_json(radar_store *st, sqlite3_stmt *s);

/* Status of a story as of the newest article in the store. */
static const char *story_status(long last_day, long newest_day, int silence_days)
{
    if (silence_days >= RESURFACE_DAYS)
        return "resurfaced";
    if (last_day >= 0 && newest_day >= 0 && newest_day - last_day > DORMANT_DAYS)
        return "dormant";
    return "active";
}

/* "4 years 9 months" for a silence of `days`. */
static json_t *silence_text(int days)
{
    char buf[64];
    int years = days / 365, months = (days % 365) / 30;
    if (years && months)
        snprintf(buf, sizeof buf, "%d year%s %d month%s", years, years == 1 ? "" : "s", months, months == 1 ? "" : "s");
    else if (years)
        snprintf(buf, sizeof buf, "%d year%s", years, years == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "%d month%s", months, months == 1 ? "" : "s");
    return json_string(buf);
}

#define STORY_COLUMNS                                                                                             \
    "s.id, p.name, s.to_club, s.from_club, s.first_seen, s.last_seen, s.n_mentions, s.max_stage, s.silence_days, " \
    "s.n_sources, s.n_independent, s.heat, s.player, s.last_stage, s.likelihood, s.outcome"

static json_t *story_row(sqlite3_stmt *s, long newest)
{
    json_t *o = json_object();
    static const char *const names[] = {"id",        "player",     "to_club", "from_club", "first_seen",
                                        "last_seen", "mentions",   "stage",   "silence_days", "sources",
                                        "independent_sources", "heat", "player_id", "latest_stage",
                                        "likelihood", "outcome"};
    for (int i = 0; i < 16; i++)
        json_object_set_new(o, names[i], radar_store_col_json(s, i));
    const char *last = (const char *)sqlite3_column_text(s, 5);
    int silence = sqlite3_column_int(s, 8);
    json_object_set_new(o, "status", json_string(story_status(radar_day_number(last), newest, silence)));
    if (silence >= RESURFACE_DAYS)
        json_object_set_new(o, "resurfaced_after", silence_text(silence));
    return o;
}

static int prepare_ok(radar_store *st, const char *sql, sqlite3_stmt **s)
{
    return sqlite3_prepare_v2(st->db, sql, -1, s, NULL) == SQLITE_OK;
}

/* Does the database keep its counts in `meta` (schema 3 and later)? */
static int has_meta(radar_store *st)
{
    sqlite3_stmt *s;
    int yes = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", -1, &s,
                           NULL) == SQLITE_OK) {
        yes = sqlite3_step(s) == SQLITE_ROW;
        sqlite3_finalize(s);
    }
    return yes;
}

int radar_store_stories(radar_store *st, const radar_story_filter *f, json_t **out)
{
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
                 "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.id IN ("
                 "SELECT id FROM (SELECT s.id FROM stories s WHERE s.to_club = ?1 AND %s ORDER BY %s LIMIT %d) "
                 "UNION SELECT id FROM (SELECT s.id FROM stories s WHERE s.from_club = ?1 AND %s ORDER BY %s LIMIT %d)) "
                 "ORDER BY %s LIMIT %d OFFSET %d",
                 inner, ord, limit + offset, inner, ord, limit + offset, order, limit, offset);
    } else {
        snprintf(sql, sizeof sql,
                 "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE %s%s ORDER BY %s "
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
    if (clubname)
        radar_store_bind_text(s, 1, clubname);
    if (f->player) {
        radar_store_bind_text(s, 2, pkey);
        radar_store_bind_text(s, 5, radar_store_last_word(pkey));
    }
    radar_store_bind_text(s, 3, f->since);
    radar_store_bind_text(s, 4, f->stage);
    radar_store_bind_text(s, 6, f->source);
    long newest = radar_store_newest_day(st);
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, story_row(s, newest));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return radar_store_db_error(st, rc, "listing stories");
    }
    /* total matching, for pagination (index counts when a club is given) */
    if (clubname)
        snprintf(sql, sizeof sql,
                 /* no story goes to the club it comes from: the two counts are disjoint */
                 "SELECT (SELECT count(*) FROM stories s WHERE s.to_club = ?1 AND %s) + (SELECT count(*) FROM "
                 "stories s WHERE s.from_club = ?1 AND %s)",
                 where, where);
    else if (!strcmp(where, "1") && has_meta(st))
        snprintf(sql, sizeof sql, "SELECT value FROM meta WHERE key = 'stories'");
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM stories s WHERE %s", where);
    long long total = 0;
    if (radar_store_prepare(st, sql, &s) == 0) {
        if (clubname)
            radar_store_bind_text(s, 1, clubname);
        if (f->player) {
            radar_store_bind_text(s, 2, pkey);
            radar_store_bind_text(s, 5, radar_store_last_word(pkey));
        }
        radar_store_bind_text(s, 3, f->since);
        radar_store_bind_text(s, 4, f->stage);
        radar_store_bind_text(s, 6, f->source);
        if (sqlite3_step(s) == SQLITE_ROW)
            total = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    *out = json_pack("{s:o, s:I, s:i, s:i}", "stories", list, "total", (json_int_t)total, "limit", limit, "offset",
                     f->offset > 0 ? f->offset : 0);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* The mentions of a story, each with its article's evidence sentences quoted. */
static json_t *story_timeline(radar_store *st, long long story, int *rc_out)
{
    sqlite3_stmt *s;
    *rc_out = radar_store_prepare(st,
                      "SELECT m.id, m.date, a.id, a.source, a.title, a.url, m.stage, m.from_club, m.fee_amount, "
                      "m.fee_max, m.fee_currency, m.fee_kind, m.fee_eur, m.evidence, m.suitors, m.age, a.body, "
                      "m.player_name FROM mentions m JOIN articles a ON a.rowid = m.article WHERE m.story = ?1 "
                      "ORDER BY m.date IS NULL, m.date, m.id",
                      &s);
    if (*rc_out)
        return NULL;
    sqlite3_bind_int64(s, 1, story);
    json_t *list = json_array();
    sqlite3_stmt *src = NULL;
    radar_store_prepare(st, "SELECT name, kind, cited FROM mention_sources WHERE mention = ?1 ORDER BY name", &src);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *m = json_object();
        json_object_set_new(m, "date", radar_store_col_json(s, 1));
        json_object_set_new(m, "article", radar_store_col_json(s, 2));
        json_object_set_new(m, "published_by", radar_store_col_json(s, 3));
        json_object_set_new(m, "title", radar_store_col_json(s, 4));
        json_object_set_new(m, "url", radar_store_col_json(s, 5));
        json_object_set_new(m, "stage", radar_store_col_json(s, 6));
        json_object_set_new(m, "from_club", radar_store_col_json(s, 7));
        json_object_set_new(m, "player_as_written", radar_store_col_json(s, 17));
        if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
            json_t *fee = json_object();
            json_object_set_new(fee, "amount", radar_store_col_json(s, 8));
            if (sqlite3_column_double(s, 9) > sqlite3_column_double(s, 8))
                json_object_set_new(fee, "amount_max", radar_store_col_json(s, 9));
            json_object_set_new(fee, "currency", radar_store_col_json(s, 10));
            json_object_set_new(fee, "kind", radar_store_col_json(s, 11));
            json_object_set_new(fee, "eur", radar_store_col_json(s, 12));
            json_object_set_new(m, "fee", fee);
        } else {
            json_object_set_new(m, "fee", json_null());
        }
        json_object_set_new(m, "age", radar_store_col_json(s, 15));
        json_t *sugg = json_loads((const char *)sqlite3_column_text(s, 14), 0, NULL);
        json_object_set_new(m, "suitors_also", sugg ? sugg : json_array());
        /* evidence: the spans and the sentences they cover */
        json_t *spans = json_loads((const char *)sqlite3_column_text(s, 13), 0, NULL);
        const char *body = (const char *)sqlite3_column_text(s, 16);
        size_t body_len = (size_t)sqlite3_column_bytes(s, 16);
        json_t *ev = json_array();
        size_t k;
        json_t *sp;
        json_array_foreach(spans, k, sp)
        {
            json_int_t a = json_integer_value(json_array_get(sp, 0)), b = json_integer_value(json_array_get(sp, 1));
            if (a < 0 || b < a || (size_t)b > body_len)
                continue;
            json_array_append_new(ev, json_pack("{s:[I,I], s:o}", "span", a, b, "text", radar_store_text_json(body + a, (size_t)(b - a))));
        }
        json_decref(spans);
        json_object_set_new(m, "evidence", ev);
        json_t *sources = json_array();
        if (src) {
            sqlite3_bind_int64(src, 1, sqlite3_column_int64(s, 0));
            while (sqlite3_step(src) == SQLITE_ROW)
                json_array_append_new(sources, json_pack("{s:o, s:o, s:b}", "name", radar_store_col_json(src, 0), "kind",
                                                         radar_store_col_json(src, 1), "cited", sqlite3_column_int(src, 2)));
            sqlite3_reset(src);
        }
        json_object_set_new(m, "sources", sources);
        json_array_append_new(list, m);
    }
    sqlite3_finalize(src);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        *rc_out = radar_store_db_error(st, rc, "reading a story");
        return NULL;
    }
    return list;
}

int radar_store_story(radar_store *st, long long id, json_t **out)
{
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.id = ?1",
                     &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? radar_error_set(RADAR_ENOTFOUND, "no story %lld", id)
                                 : radar_store_db_error(st, rc, "reading a story");
    }
    long newest = radar_store_newest_day(st);
    json_t *story = story_row(s, newest);
    sqlite3_finalize(s);
    json_t *timeline = story_timeline(st, id, &rc);
    if (!timeline) {
        json_decref(story);
        return rc;
    }
    json_object_set_new(story, "timeline", timeline);
    /* the other clubs after the same player */
    if (radar_store_prepare(st, "SELECT to_club FROM stories WHERE player = ?1 AND id != ?2 ORDER BY last_seen DESC", &s) == 0) {
        sqlite3_bind_int64(s, 1, json_integer_value(json_object_get(story, "player_id")));
        sqlite3_bind_int64(s, 2, id);
        json_t *rivals = json_array();
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(rivals, radar_store_col_json(s, 0));
        sqlite3_finalize(s);
        json_object_set_new(story, "rival_suitors", rivals);
    }
    /* the likelihood with each factor, and how earlier episodes ended */
    radar_likelihood l;
    char as_of[64] = "";
    if (newest >= 0)
        radar_civil_date(newest, as_of);
    if ((rc = radar_store_story_likelihood(st, id, as_of[0] ? as_of : NULL, &l, NULL))) {
        json_decref(story);
        return rc;
    }
    json_object_set_new(story, "likelihood", store_likelihood_json(&l, as_of[0] ? as_of : NULL));
    json_t *res = json_array();
    if (prepare_ok(st, "SELECT outcome, ended, how FROM resolutions WHERE story = ?1 ORDER BY ended", &s)) {
        sqlite3_bind_int64(s, 1, id);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(res, json_pack("{s:o, s:o, s:o}", "outcome", radar_store_col_json(s, 0), "on",
                                                 radar_store_col_json(s, 1), "how", radar_store_col_json(s, 2)));
        sqlite3_finalize(s);
    }
    json_object_set_new(story, "resolutions", res);
    *out = story;
    return 0;
}

int radar_store_player(radar_store *st, const char *name, json_t **out)
{
    char key[256];
    radar_store_name_key(name, key, sizeof key);
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st,
                     "SELECT id, name, birth_year, club FROM players WHERE key = ?1 OR surname = ?1 OR key LIKE "
                     "'% ' || ?1 ORDER BY (key = ?1) DESC, id LIMIT " RADAR_STR(RADAR_MAX_PLAYERS_LISTED),
                     &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, key);
    json_t *players = json_array();
    long newest = radar_store_newest_day(st);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long pid = sqlite3_column_int64(s, 0);
        json_t *p = json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)pid, "name", radar_store_col_json(s, 1), "birth_year",
                              radar_store_col_json(s, 2), "club", radar_store_col_json(s, 3));
        sqlite3_stmt *q;
        json_t *stories = json_array();
        if (radar_store_prepare(st,
                    "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.player = ?1 "
                    "ORDER BY s.last_seen DESC",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(stories, story_row(q, newest));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "stories", stories);
        json_t *ages = json_array();
        if (radar_store_prepare(st, "SELECT DISTINCT date, age FROM mentions WHERE player = ?1 AND age IS NOT NULL ORDER BY date",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(ages, json_pack("{s:o, s:o}", "date", radar_store_col_json(q, 0), "age", radar_store_col_json(q, 1)));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "ages", ages);
        json_t *facts = json_array();
        if (radar_store_prepare(st,
                    "SELECT f.type, f.value, f.detail, f.date, a.id FROM facts f JOIN articles a ON a.rowid = "
                    "f.article WHERE f.type != 'age' AND f.subject IN (SELECT DISTINCT player_name FROM mentions "
                    "WHERE player = ?1 UNION SELECT name FROM players WHERE id = ?1) ORDER BY f.date, f.id",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(facts, json_pack("{s:o, s:o, s:o, s:o, s:o}", "type", radar_store_col_json(q, 0), "value",
                                                       radar_store_col_json(q, 1), "detail", radar_store_col_json(q, 2), "date",
                                                       radar_store_col_json(q, 3), "article", radar_store_col_json(q, 4)));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "facts", facts);
        json_array_append_new(players, p);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(players);
        return radar_store_db_error(st, rc, "looking up players");
    }
    if (json_array_size(players) == 0) {
        json_decref(players);
        return radar_error_set(RADAR_ENOTFOUND, "no player called '%s' in the store", name);
    }
    *out = json_pack("{s:s, s:o}", "query", name, "players", players);
    return 0;
}

int radar_store_club(radar_store *st, const char *name, json_t **out)
{
    char club[256];
    const char *c = radar_store_canonical_club(st, name, club, sizeof club);
    long newest = radar_store_newest_day(st);
    json_t *in = json_array(), *outs = json_array(), *facts = json_array();
    const char *sql[2] = {
        "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.to_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC LIMIT " RADAR_STR(RADAR_MAX_CLUB_STORIES),
        "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.from_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC LIMIT " RADAR_STR(RADAR_MAX_CLUB_STORIES)};
    json_t *lists[2] = {in, outs};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        sqlite3_stmt *s;
        if ((rc = radar_store_prepare(st, sql[i], &s)))
            break;
        radar_store_bind_text(s, 1, c);
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW)
            json_array_append_new(lists[i], story_row(s, newest));
        sqlite3_finalize(s);
        if (r != SQLITE_DONE)
            rc = radar_store_db_error(st, r, "listing a club's stories");
    }
    sqlite3_stmt *s;
    if (!rc && (rc = radar_store_prepare(st,
                             "SELECT f.type, f.subject, f.value, f.detail, f.date, a.id FROM facts f JOIN articles a "
                             "ON a.rowid = f.article WHERE f.id IN (SELECT id FROM facts WHERE subject = ?1 UNION "
                             "SELECT f2.id FROM players p JOIN facts f2 ON f2.subject = p.name WHERE p.club = ?1 AND "
                             "f2.type IN ('contract','injury')) ORDER BY f.date DESC, f.id LIMIT " RADAR_STR(RADAR_MAX_CLUB_FACTS),
                             &s)) == 0) {
        radar_store_bind_text(s, 1, c);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(facts, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "type", radar_store_col_json(s, 0),
                                                   "subject", radar_store_col_json(s, 1), "value", radar_store_col_json(s, 2), "detail",
                                                   radar_store_col_json(s, 3), "date", radar_store_col_json(s, 4), "article", radar_store_col_json(s, 5)));
        sqlite3_finalize(s);
    }
    if (rc) {
        json_decref(in);
        json_decref(outs);
        json_decref(facts);
        return rc;
    }
    *out = json_pack("{s:s, s:o, s:o, s:o}", "club", c, "linked_in", in, "linked_out", outs, "facts", facts);
    return 0;
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
    int rc = search_check(query);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    rc = radar_store_prepare(st,
                       "SELECT a.id, a.date, a.source, a.title, snippet(articles_fts, 1, '[', ']', '...', 16) FROM "
                       "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?1 ORDER "
                       "BY articles_fts.rowid DESC LIMIT ?2",
                       &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, query);
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
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(hits, json_pack("{s:o, s:o, s:o, s:o, s:o}", "article", radar_store_col_json(s, 0), "date",
                                              radar_store_col_json(s, 1), "source", radar_store_col_json(s, 2), "title", radar_store_col_json(s, 3),
                                              "snippet", radar_store_col_json(s, 4)));
    sqlite3_progress_handler(st->db, 0, NULL, NULL); /* the connection's other questions run unbounded */
    if (rc != SQLITE_DONE) {
        json_decref(hits);
        if (d.hit) {
            sqlite3_finalize(s);
            return radar_error_set(RADAR_ETOOLARGE, "search: stopped after %d ms, the time a search may take; "
                                   "ask for fewer words, or longer ones", ms);
        }
        if ((rc & 0xFF) == SQLITE_ERROR) {
            rc = radar_error_set(RADAR_EINVALID, "search: cannot understand '%s' (%s); put phrases in quotes",
                                 query, sqlite3_errmsg(st->db));
            sqlite3_finalize(s);
            return rc;
        }
        rc = radar_store_db_error(st, rc, "searching");
        sqlite3_finalize(s);
        return rc;
    }
    sqlite3_finalize(s);
    *out = json_pack("{s:s, s:o}", "query", query, "hits", hits);
    return 0;
}

int radar_store_search(radar_store *st, const char *query, int limit, json_t **out)
{
    return radar_store_search_within(st, query, limit, RADAR_MAX_SEARCH_MS, out);
}

int radar_store_sources(radar_store *st, json_t **out)
{
    /* the records kept by the last rescore; a store never rescored (an
     * older schema read as it is) is counted from its mentions */
    sqlite3_stmt *s;
    int rc, recorded = 0;
    if (prepare_ok(st, "SELECT EXISTS (SELECT 1 FROM source_stats)", &s)) {
        recorded = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    if (recorded) {
        if ((rc = radar_store_prepare(st, "SELECT " STORE_RECORD_COLUMNS " FROM source_stats ORDER BY mentions DESC, name "
                                    "LIMIT " RADAR_STR(RADAR_MAX_SOURCES_LISTED), &s)))
            return rc;
    } else if ((rc = radar_store_prepare(st,
                                   "SELECT name, kind, NULL, count(*), count(DISTINCT m.story), sum(cited), 0, 0, 0, "
                                   "NULL, NULL, NULL FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                                   "GROUP BY name ORDER BY count(*) DESC, name LIMIT " RADAR_STR(RADAR_MAX_SOURCES_LISTED),
                                   &s))) {
        return rc;
    }
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, store_record_json(st, s));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return radar_store_db_error(st, rc, "listing sources");
    }
    *out = json_pack("{s:o}", "sources", list);
    return 0;
}

int radar_store_export(radar_store *st, json_t **out)
{
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player ORDER BY s.id", &s);
    if (rc)
        return rc;
    long newest = radar_store_newest_day(st);
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *story = story_row(s, newest);
        int trc;
        json_t *timeline = story_timeline(st, sqlite3_column_int64(s, 0), &trc);
        json_object_set_new(story, "timeline", timeline ? timeline : json_array());
        json_array_append_new(list, story);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return radar_store_db_error(st, rc, "exporting");
    }
    *out = json_pack("{s:o}", "stories", list);
    return 0;
}

/* ---- outcomes and sources ---- */

static json_t *store_likelihood_json(const radar_likelihood *l, const char *as_of)
{
    json_t *factors = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const radar_factor *f = &l->factors[i];
        /* a resolved story's certainty is no finite weight: null */
        json_array_append_new(factors, json_pack("{s:s, s:s, s:o}", "name", f->name, "detail", f->detail,
                                                 "contribution",
                                                 isfinite(f->contribution)
                                                     ? json_real(round(f->contribution * 1000) / 1000)
                                                     : json_null()));
    }
    json_t *o = json_pack("{s:f, s:o}", "p", round(l->p * 10000) / 10000, "factors", factors);
    json_object_set_new(o, "as_of", as_of ? json_string(as_of) : json_null());
    return o;
}

int radar_store_outcomes(radar_store *st, int limit, int offset, json_t **out)
{
    sqlite3_stmt *s;
    long long total = 0;
    if (radar_store_prepare(st, "SELECT count(*) FROM resolutions", &s) == 0) {
        if (sqlite3_step(s) == SQLITE_ROW)
            total = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    int rc = radar_store_prepare(st,
                           "SELECT s.id, p.name, s.to_club, s.outcome, r.outcome, r.ended, r.how FROM resolutions r "
                           "JOIN stories s ON s.id = r.story JOIN players p ON p.id = s.player ORDER BY r.ended DESC, "
                           "r.story DESC LIMIT ?1 OFFSET ?2",
                           &s);
    if (rc)
        return rc;
    sqlite3_bind_int(s, 1, limit > 0 ? limit : 50);
    sqlite3_bind_int(s, 2, offset > 0 ? offset : 0);
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        static const char *const names[] = {"story", "player", "to_club", "status", "outcome", "on", "how"};
        for (int i = 0; i < 7; i++)
            json_object_set_new(o, names[i], radar_store_col_json(s, i));
        json_array_append_new(list, o);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return radar_store_db_error(st, rc, "listing outcomes");
    }
    json_t *res = json_pack("{s:o, s:I}", "resolved", list, "total", (json_int_t)total);
    /* imported rows that name no player in the store */
    json_t *unmatched = json_array();
    if ((rc = radar_store_prepare(st, "SELECT player_name, to_club, date, outcome FROM outcomes ORDER BY date, id", &s)) ==
        0) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            long long ids[RADAR_MAX_NAMESAKES];
            int n = 0;
            if (radar_store_players_named(st, (const char *)sqlite3_column_text(s, 0), 0, NULL, ids, RADAR_MAX_NAMESAKES, &n, NULL) == 0 && n == 0)
                json_array_append_new(unmatched, json_pack("{s:o, s:o, s:o, s:o}", "player", radar_store_col_json(s, 0),
                                                           "to_club", radar_store_col_json(s, 1), "date",
                                                           radar_store_col_json(s, 2), "outcome", radar_store_col_json(s, 3)));
        }
        sqlite3_finalize(s);
    }
    json_object_set_new(res, "unmatched", unmatched);
    *out = res;
    return rc;
}

static json_t *store_record_json(radar_store *st, sqlite3_stmt *s)
{
    json_t *o = json_object();
    static const char *const names[] = {"name",       "kind",     "tier", "mentions", "stories",
                                        "cited",      "originated", "resolved", "hits"};
    for (int i = 0; i < 9; i++)
        json_object_set_new(o, names[i], radar_store_col_json(s, i));
    radar_reliability r;
    if (sqlite3_column_type(s, 9) == SQLITE_NULL) { /* never rescored: the tier's prior */
        int tier = radar_store_source_tier(st, (const char *)sqlite3_column_text(s, 0));
        json_object_set_new(o, "tier", tier ? json_integer(tier) : json_null());
        radar_reliability_compute(tier, 0, 0, &r);
    } else {
        r.mean = sqlite3_column_double(s, 9);
        r.lo = sqlite3_column_double(s, 10);
        r.hi = sqlite3_column_double(s, 11);
    }
    json_object_set_new(o, "hit_rate", json_real(round(r.mean * 1000) / 1000));
    json_object_set_new(o, "interval", json_pack("[f,f]", round(r.lo * 1000) / 1000, round(r.hi * 1000) / 1000));
    return o;
}


int radar_store_source(radar_store *st, const char *name, json_t **out)
{
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, "SELECT " STORE_RECORD_COLUMNS " FROM source_stats WHERE name = ?1 COLLATE NOCASE", &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, name);
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? radar_error_set(RADAR_ENOTFOUND, "no source named '%s' (see radar sources)", name)
                                 : radar_store_db_error(st, rc, "reading a source");
    }
    json_t *o = store_record_json(st, s);
    sqlite3_finalize(s);
    /* the stories it originated, with how each ended */
    const char *exact = json_string_value(json_object_get(o, "name"));
    if ((rc = radar_store_prepare(st,
                            "SELECT s.id, p.name, s.to_club, min(m.date), max(m.date), count(*), s.outcome, "
                            "s.likelihood FROM mention_sources x JOIN mentions m ON m.id = x.mention JOIN stories s "
                            "ON s.id = m.story JOIN players p ON p.id = s.player WHERE x.name = ?1 GROUP BY s.id "
                            "ORDER BY max(m.date) DESC, s.id LIMIT " RADAR_STR(RADAR_MAX_SOURCE_STORIES),
                            &s))) {
        json_decref(o);
        return rc;
    }
    radar_store_bind_text(s, 1, exact);
    json_t *list = json_array();
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *r = json_object();
        static const char *const names[] = {"story",    "player",  "to_club", "first_reported",
                                            "last_reported", "mentions", "outcome", "likelihood"};
        for (int i = 0; i < 8; i++)
            json_object_set_new(r, names[i], radar_store_col_json(s, i));
        json_array_append_new(list, r);
    }
    sqlite3_finalize(s);
    json_object_set_new(o, "stories_reported", list);
    *out = o;
    return 0;
}


