/*
 * store_model.c - the likelihood model a store uses: the text of a model
 * file kept in the database (table likelihood_model, one row, created when a
 * model is first set), or, when none is set, the built-in model.
 *
 * The store keeps the file's contents, not its path, so a database carries
 * its model wherever it is copied. A handle parses the text once and reads
 * it again only when another connection has written to the database since
 * and the text changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/score.h"
#include "radar/store.h"
#include "../util/grow.h"
#include "store_internal.h"
#include "db_pg.h"

/* One row, id 1. No CHECK constraint: radar db copy carries plain tables
 * only, and the one writer below keeps the id. */
#define MODEL_TABLE                                                                                                 \
    "CREATE TABLE IF NOT EXISTS likelihood_model(id INTEGER PRIMARY KEY, name TEXT NOT NULL, text "                 \
    "TEXT NOT NULL, installed TEXT NOT NULL)"

static uint64_t text_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h ^ n;
}

static int has_table(radar_store *st, int *yes)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'likelihood_model'",
                                &s);
    if (rc)
        return rc;
    *yes = radar_store_row(st, s, &rc, "reading the likelihood model");
    radar_sql_reset(s);
    return rc;
}

/* Read the stored text again; parse it when it changed. */
static int reread(radar_store *st)
{
    int yes, rc = has_table(st, &yes);
    if (rc || !yes) {
        radar_likelihood_model_free(st->lmodel);
        st->lmodel = NULL;
        st->lmodel_hash = 0;
        return rc;
    }
    radar_sql_stmt *s;
    if ((rc = radar_store_prepare(st, "SELECT name, text FROM likelihood_model WHERE id = 1", &s)))
        return rc;
    if (radar_store_row(st, s, &rc, "reading the likelihood model")) {
        const char *name = (const char *)radar_sql_column_text(s, 0), *text = (const char *)radar_sql_column_text(s, 1);
        size_t len = (size_t)radar_sql_column_bytes(s, 1);
        uint64_t h = text_hash(text, len);
        radar_likelihood_model *m = NULL;
        if (h != st->lmodel_hash && !(rc = radar_likelihood_model_parse(&m, name, text, len))) {
            radar_likelihood_model_free(st->lmodel);
            st->lmodel = m;
            st->lmodel_hash = h;
        }
    } else if (!rc) {
        radar_likelihood_model_free(st->lmodel);
        st->lmodel = NULL;
        st->lmodel_hash = 0;
    }
    radar_sql_finalize(s);
    return rc;
}

const radar_likelihood_model *radar_store_likelihood_model(radar_store *st)
{
    radar_sql_stmt *s;
    long long v = -1;
    if (!radar_store_cached(st, "PRAGMA data_version", &s)) {
        if (radar_sql_step(s) == RADAR_SQL_ROW)
            v = radar_sql_column_int64(s, 0);
        radar_sql_reset(s);
    }
    if (!st->lmodel_read || v != st->lmodel_version) {
        /* a text that does not parse was refused when it was set: should
         * one be found, the built-in model scores */
        if (reread(st) == 0)
            st->lmodel_read = 1;
        st->lmodel_version = v;
    }
    return st->lmodel ? st->lmodel : radar_likelihood_model_builtin();
}

int radar_store_set_likelihood_model(radar_store *st, const char *name, const char *text, size_t len)
{
    radar_likelihood_model *m = NULL;
    int rc = text ? radar_likelihood_model_parse(&m, name, text, len) : 0;
    if (rc)
        return rc;
    int own = !radar_sql_in_transaction(&st->conn);
    if (own && (rc = radar_store_exec(st, "BEGIN IMMEDIATE"))) {
        radar_likelihood_model_free(m);
        return rc;
    }
    rc = radar_store_exec(st, text ? MODEL_TABLE : "DROP TABLE IF EXISTS likelihood_model");
    radar_sql_stmt *s = NULL;
    if (!rc && text &&
        !(rc = radar_store_prepare(st, "INSERT OR REPLACE INTO likelihood_model(id, name, text, installed) VALUES "
                                       "(1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                   &s))) {
        radar_store_bind_text(s, 1, name);
        radar_sql_bind_text(s, 2, text, (int)len, RADAR_SQL_STATIC);
        rc = radar_store_step_done(st, s, "setting the likelihood model");
        radar_sql_finalize(s);
    }
    if (!rc)
        rc = radar_store_exec(st, "INSERT OR REPLACE INTO meta VALUES ('scores_stale', 1)");
    if (own) {
        if (!rc)
            rc = radar_store_exec(st, "COMMIT");
        if (rc)
            radar_sql_rollback(&st->conn);
    }
    if (rc) {
        radar_likelihood_model_free(m);
        return rc;
    }
    radar_likelihood_model_free(st->lmodel);
    st->lmodel = m;
    st->lmodel_hash = text ? text_hash(text, len) : 0;
    st->lmodel_read = 1;
    st->stale_at_open = 1; /* the next rescore redoes every story */
    return 0;
}

int radar_store_get_likelihood_model(radar_store *st, char **name, char **text)
{
    *name = *text = NULL;
    radar_sql_stmt *s;
    int yes, rc = has_table(st, &yes);
    if (rc || !yes || (rc = radar_store_prepare(st, "SELECT name, text FROM likelihood_model WHERE id = 1", &s)))
        return rc;
    if (radar_store_row(st, s, &rc, "reading the likelihood model")) {
        *name = strdup((const char *)radar_sql_column_text(s, 0));
        *text = strdup((const char *)radar_sql_column_text(s, 1));
        if (!*name || !*text) {
            free(*name);
            free(*text);
            *name = *text = NULL;
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        }
    }
    radar_sql_finalize(s);
    return rc;
}

/* the days each settled episode was reported on, up to the day before it
 * was settled (the report that settles it is the outcome, not evidence) and
 * after the settling before it; a window that closed in silence settled
 * nothing, so a report before it still belongs to the episode an outcome
 * settles after it */
#define OUTCOME_DAYS                                                                                                 \
    "SELECT s.id, s.player, r.outcome = 'done', d.date FROM resolutions r JOIN stories s ON s.id = r.story JOIN "  \
    "(SELECT DISTINCT story, substr(date, 1, 10) AS date FROM mentions WHERE date IS NOT NULL) d ON d.story = s.id " \
    "AND d.date < r.ended AND d.date > coalesce((SELECT max(r2.ended) FROM resolutions r2 WHERE r2.story = s.id "  \
    "AND r2.origin != 'window' AND r2.ended < r.ended), '') WHERE r.origin NOT IN ('window', 'own_club') AND "     \
    "r.outcome IN ('done', 'failed') ORDER BY s.id, d.date"

int radar_store_outcome_examples(radar_store *st, radar_outcome_example **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, OUTCOME_DAYS, &s);
    if (rc)
        return rc;
    size_t cap = 0;
    while (radar_store_row(st, s, &rc, "listing settled stories")) {
        if ((rc = radar_grow((void **)out, &cap, *n + 1, sizeof **out, 256)))
            break;
        radar_outcome_example *x = &(*out)[(*n)++];
        x->story = radar_sql_column_int64(s, 0);
        x->player = radar_sql_column_int64(s, 1);
        x->done = radar_sql_column_int(s, 2);
        snprintf(x->day, sizeof x->day, "%s", (const char *)radar_sql_column_text(s, 3));
    }
    radar_sql_finalize(s);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
