/*
 * store_records.c - the typed answers about records: every source with its
 * hit rate, one source with the stories it reported, the resolved stories
 * (and the imported outcomes that name no stored player), and the feeds.
 * Each answer lives in one arena (store_answers.c's radar_answer_*); a step
 * that fails is an error, never "no row". Their JSON writers are in
 * store_json.c.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "store_internal.h"

/* ---- sources ---- */

/* A row of STORE_RECORD_COLUMNS (a never rescored source: its tier's prior). */
static void source_row(radar_store *st, struct radar_answer_mem *m, radar_sql_stmt *s, radar_source_row *r)
{
    r->name = radar_answer_col_text(m, s, 0);
    r->kind = radar_answer_col_text(m, s, 1);
    r->has_tier = radar_sql_column_type(s, 2) != RADAR_SQL_NULL;
    r->tier = radar_sql_column_int64(s, 2);
    r->mentions = radar_sql_column_int64(s, 3);
    r->stories = radar_sql_column_int64(s, 4);
    r->cited = radar_sql_column_int64(s, 5);
    r->originated = radar_sql_column_int64(s, 6);
    r->resolved = radar_sql_column_int64(s, 7);
    r->hits = radar_sql_column_int64(s, 8);
    radar_reliability rel;
    if (radar_sql_column_type(s, 9) == RADAR_SQL_NULL) { /* never rescored: the tier's prior */
        int tier = radar_store_source_tier(st, r->name);
        r->has_tier = tier != 0;
        r->tier = tier;
        radar_reliability_compute(tier, 0, 0, &rel);
    } else {
        rel.mean = radar_sql_column_double(s, 9);
        rel.lo = radar_sql_column_double(s, 10);
        rel.hi = radar_sql_column_double(s, 11);
    }
    r->hit_rate = rel.mean;
    r->lo = rel.lo;
    r->hi = rel.hi;
}

int radar_store_sources_list(radar_store *st, radar_source_list **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_source_list *l = radar_answer_new(sizeof *l, &m);
    if (!l)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    l->mem_ = m;
    /* the records kept by the last rescore; a store never rescored (an
     * older schema read as it is) is counted from its mentions */
    radar_sql_stmt *s = NULL;
    int rc, recorded = 0;
    if (!(rc = radar_store_prepare(st, "SELECT EXISTS (SELECT 1 FROM source_stats)", &s))) {
        recorded = radar_store_row(st, s, &rc, "reading the sources") && radar_sql_column_int(s, 0);
        radar_sql_finalize(s);
    }
    if (!rc)
        rc = radar_store_prepare(st,
                                 recorded ? "SELECT " STORE_RECORD_COLUMNS " FROM source_stats ORDER BY mentions DESC, "
                                            "name LIMIT " RADAR_STR(RADAR_MAX_SOURCES_LISTED)
                                          : "SELECT name, kind, NULL, count(*), count(DISTINCT m.story), sum(cited), 0, "
                                            "0, 0, NULL, NULL, NULL FROM mention_sources x JOIN mentions m ON m.id = "
                                            "x.mention GROUP BY name ORDER BY count(*) DESC, name LIMIT " RADAR_STR(
                                                RADAR_MAX_SOURCES_LISTED),
                                 &s);
    radar_gather g = {.size = sizeof(radar_source_row)};
    while (!rc && radar_store_row(st, s, &rc, "listing sources")) {
        radar_source_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        source_row(st, m, s, r);
    }
    radar_sql_finalize(s);
    l->v = radar_gather_keep(m, &g, &l->n);
    if ((rc = radar_answer_status(m, rc))) {
        radar_source_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void radar_source_list_free(radar_source_list *l)
{
    if (l)
        radar_answer_free(l->mem_);
}

/* The stories the source reported, latest first, into a. */
static int source_stories(radar_store *st, struct radar_answer_mem *m, radar_source_answer *a)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 "SELECT s.id, p.name, s.to_club, min(m.date), max(m.date), count(*), s.outcome, "
                                 "s.likelihood FROM mention_sources x JOIN mentions m ON m.id = x.mention JOIN "
                                 "stories s ON s.id = m.story JOIN players p ON p.id = s.player WHERE x.name = ?1 "
                                 "GROUP BY s.id, p.name ORDER BY max(m.date) DESC, s.id LIMIT " RADAR_STR(
                                     RADAR_MAX_SOURCE_STORIES),
                                 &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, a->record.name);
    radar_gather g = {.size = sizeof(radar_source_story_row)};
    while (radar_store_row(st, s, &rc, "reading a source's stories")) {
        radar_source_story_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        r->story = radar_sql_column_int64(s, 0);
        r->player = radar_answer_col_text(m, s, 1);
        r->to_club = radar_answer_col_text(m, s, 2);
        r->first_reported = radar_answer_col_text(m, s, 3);
        r->last_reported = radar_answer_col_text(m, s, 4);
        r->mentions = radar_sql_column_int64(s, 5);
        r->outcome = radar_answer_col_text(m, s, 6);
        r->has_likelihood = radar_sql_column_type(s, 7) != RADAR_SQL_NULL;
        r->likelihood = radar_sql_column_double(s, 7);
    }
    radar_sql_finalize(s);
    a->stories = radar_gather_keep(m, &g, &a->n_stories);
    return rc;
}

int radar_store_source_read(radar_store *st, const char *name, radar_source_answer **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_source_answer *a = radar_answer_new(sizeof *a, &m);
    if (!a)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    a->mem_ = m;
    radar_sql_stmt *s = NULL;
    /* lower() on both sides is COLLATE NOCASE in either dialect (SQLite's folds ASCII only, as NOCASE does) */
    int rc = radar_store_prepare(st, "SELECT " STORE_RECORD_COLUMNS " FROM source_stats WHERE lower(name) = lower(?1)",
                                 &s);
    if (!rc) {
        radar_store_bind_text(s, 1, name);
        if (radar_store_row(st, s, &rc, "reading a source"))
            source_row(st, m, s, &a->record);
        else if (!rc)
            rc = radar_error_set(RADAR_ENOTFOUND, "no source named '%s' (see radar sources)", name);
    }
    radar_sql_finalize(s);
    if (!rc && !(rc = radar_answer_status(m, 0)))
        rc = source_stories(st, m, a);
    if ((rc = radar_answer_status(m, rc))) {
        radar_source_answer_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void radar_source_answer_free(radar_source_answer *a)
{
    if (a)
        radar_answer_free(a->mem_);
}

/* ---- resolved stories ---- */

static int resolved_rows(radar_store *st, struct radar_answer_mem *m, int limit, int offset, radar_outcomes_answer *a)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT count(*) FROM resolutions", &s);
    if (rc)
        return rc;
    if (radar_store_row(st, s, &rc, "counting outcomes"))
        a->total = radar_sql_column_int64(s, 0);
    radar_sql_finalize(s);
    if (rc || (rc = radar_store_prepare(st,
                                        "SELECT s.id, p.name, s.to_club, s.outcome, r.outcome, r.ended, r.how FROM "
                                        "resolutions r JOIN stories s ON s.id = r.story JOIN players p ON p.id = "
                                        "s.player ORDER BY r.ended DESC, r.story DESC LIMIT ?1 OFFSET ?2",
                                        &s)))
        return rc;
    radar_sql_bind_int(s, 1, limit > 0 ? limit : 50);
    radar_sql_bind_int(s, 2, offset > 0 ? offset : 0);
    radar_gather g = {.size = sizeof(radar_resolved_row)};
    while (radar_store_row(st, s, &rc, "listing outcomes")) {
        radar_resolved_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        r->story = radar_sql_column_int64(s, 0);
        r->player = radar_answer_col_text(m, s, 1);
        r->to_club = radar_answer_col_text(m, s, 2);
        r->status = radar_answer_col_text(m, s, 3);
        r->outcome = radar_answer_col_text(m, s, 4);
        r->on = radar_answer_col_text(m, s, 5);
        r->how = radar_answer_col_text(m, s, 6);
    }
    radar_sql_finalize(s);
    a->resolved = radar_gather_keep(m, &g, &a->n_resolved);
    return rc;
}

/* Imported rows that name no player in the store (by the identity rule). */
static int unmatched_rows(radar_store *st, struct radar_answer_mem *m, radar_outcomes_answer *a)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT player_name, to_club, date, outcome FROM outcomes ORDER BY date, id", &s);
    if (rc)
        return rc;
    radar_gather g = {.size = sizeof(radar_unmatched_row)};
    while (!rc && radar_store_row(st, s, &rc, "listing outcomes")) {
        long long ids[RADAR_MAX_NAMESAKES];
        int n = 0;
        rc = radar_store_players_named(st, (const char *)radar_sql_column_text(s, 0), 0, NULL, ids, RADAR_MAX_NAMESAKES,
                                       &n, NULL);
        if (rc || n)
            continue;
        radar_unmatched_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        r->player = radar_answer_col_text(m, s, 0);
        r->to_club = radar_answer_col_text(m, s, 1);
        r->date = radar_answer_col_text(m, s, 2);
        r->outcome = radar_answer_col_text(m, s, 3);
    }
    radar_sql_finalize(s);
    a->unmatched = radar_gather_keep(m, &g, &a->n_unmatched);
    return rc;
}

int radar_store_outcomes_list(radar_store *st, int limit, int offset, radar_outcomes_answer **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_outcomes_answer *a = radar_answer_new(sizeof *a, &m);
    if (!a)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    a->mem_ = m;
    int rc = resolved_rows(st, m, limit, offset, a);
    if (!rc)
        rc = unmatched_rows(st, m, a);
    if ((rc = radar_answer_status(m, rc))) {
        radar_outcomes_answer_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void radar_outcomes_answer_free(radar_outcomes_answer *a)
{
    if (a)
        radar_answer_free(a->mem_);
}

/* ---- feeds ---- */

int radar_store_feeds_list(radar_store *st, radar_feed_list **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_feed_list *l = radar_answer_new(sizeof *l, &m);
    if (!l)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    l->mem_ = m;
    radar_sql_stmt *s;
    radar_gather g = {.size = sizeof(radar_feed_row)};
    int rc = radar_store_prepare(st,
                                 "SELECT id, url, name, title, etag, last_modified, failures, last_poll, next_poll, "
                                 "last_error, articles FROM feeds ORDER BY id",
                                 &s);
    while (!rc && radar_store_row(st, s, &rc, "listing feeds")) {
        radar_feed_row *f = radar_gather_push(&g);
        if (!f) {
            rc = RADAR_ENOMEM;
            break;
        }
        f->id = radar_sql_column_int64(s, 0);
        f->url = radar_answer_col_text(m, s, 1);
        f->name = radar_answer_col_text(m, s, 2);
        f->title = radar_answer_col_text(m, s, 3);
        f->etag = radar_answer_col_text(m, s, 4);
        f->last_modified = radar_answer_col_text(m, s, 5);
        f->failures = radar_sql_column_int64(s, 6);
        f->has_last_poll = radar_sql_column_type(s, 7) != RADAR_SQL_NULL;
        f->last_poll = radar_sql_column_int64(s, 7);
        f->has_next_poll = radar_sql_column_type(s, 8) != RADAR_SQL_NULL;
        f->next_poll = radar_sql_column_int64(s, 8);
        f->last_error = radar_answer_col_text(m, s, 9);
        f->articles = radar_sql_column_int64(s, 10);
    }
    if (s)
        radar_sql_finalize(s);
    l->v = radar_gather_keep(m, &g, &l->n);
    if ((rc = radar_answer_status(m, rc))) {
        radar_feed_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void radar_feed_list_free(radar_feed_list *l)
{
    if (l)
        radar_answer_free(l->mem_);
}
