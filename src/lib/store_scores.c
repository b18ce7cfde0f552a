/*
 * store_scores.c - what the resolutions say of sources and stories: each
 * source's record and each story's likelihood, and the rescore that brings
 * resolutions, records and likelihoods up to date.
 *
 * Resolutions and records are derived data: radar_store_rescore recomputes
 * them from the articles and the imported outcomes, so the same inputs give
 * the same scores whatever order they arrived in.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "store_internal.h"
#include "db_pg.h"

#define RIVAL_DAYS 180    /* another club's interest this recent makes it a rival */
#define RATE_STEP 0.005   /* a source's hit rate moving this much rescores its stories */


/* ---- source records ---- */

/* Each source is credited once per story episode it originated (a source
 * cited by an outlet is the origin, else the publisher); reports of a deal
 * already signed prove nothing, and a window that closed in silence proves
 * little: neither grades a source. A record is a sum over stories, so each
 * (source, story) pair keeps its share in source_stories: an incremental
 * rescore replaces the shares of the stories it touched and adds the
 * difference to the records.
 *
 * A share, for a source and a story: the mentions naming the source, how
 * many of them cite it, and, among the mentions it originated that are
 * graded (not reports of a signed deal), how many distinct episodes they
 * fall in (an episode ends at the first resolution on or after the
 * mention's date that is not a window closing; mentions after the last one
 * form an open episode), how many of those were resolved, and how many
 * resolved as done. The shares are gathered in one pass over the stories'
 * mentions and sources and their resolutions, both in story order. */

#define SHARE_SOURCES                                                                                                \
    "SELECT m.story, m.id, m.date, coalesce(m.stage, '') != 'signed', x.name, x.kind, x.cited FROM mentions m JOIN " \
    "mention_sources x ON x.mention = m.id JOIN articles a ON a.rowid = m.article"
/* (a destination that is the player's own club grades no one) */
#define SHARE_RESOLUTIONS "SELECT story, ended, outcome FROM resolutions WHERE origin NOT IN ('window', 'own_club')"
#define SHARE_BASE "story IN (SELECT id FROM rescore_base)"

/* What one story's shares are made of, reused from story to story. */
typedef struct shares {
    radar_buf arena; /* names and kinds, NUL-terminated */
    struct share_src {
        size_t name, kind; /* offsets into arena; kind NO_KIND when NULL */
        const char *name_p, *kind_p;
        int cited, cites, origin, res; /* cites: cited = 1; res: index into ends, or -1 */
    } *rows;
    size_t n_rows, cap_rows;
    struct share_end {
        char ended[32];
        int done;
    } *ends;
    size_t n_ends, cap_ends;
} shares;
#define NO_KIND ((size_t)-1)

static int cmp_share_src(const void *a, const void *b)
{
    const struct share_src *x = a, *y = b;
    int c = strcmp(x->name_p, y->name_p);
    return c ? c : (x->res > y->res) - (x->res < y->res);
}

/* Write the shares of the story whose rows and resolutions `sh` holds. */
static int shares_flush(radar_store *st, shares *sh, long long story)
{
    for (size_t i = 0; i < sh->n_rows; i++) {
        sh->rows[i].name_p = sh->arena.data + sh->rows[i].name;
        sh->rows[i].kind_p = sh->rows[i].kind == NO_KIND ? NULL : sh->arena.data + sh->rows[i].kind;
    }
    qsort(sh->rows, sh->n_rows, sizeof *sh->rows, cmp_share_src);
    radar_sql_stmt *ins;
    int rc = radar_store_cached(st,
                          "INSERT INTO source_stories(name, story, kind, mentions, cited, originated, resolved, hits) "
                          "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                          &ins);
    for (size_t i = 0, j; i < sh->n_rows && !rc; i = j) {
        const char *kind = NULL;
        int cited = 0, originated = 0, resolved = 0, hits = 0, last = -2;
        for (j = i; j < sh->n_rows && !strcmp(sh->rows[j].name_p, sh->rows[i].name_p); j++) {
            const struct share_src *r = &sh->rows[j];
            if (r->kind_p && (!kind || strcmp(r->kind_p, kind) > 0))
                kind = r->kind_p;
            cited += r->cited;
            if (r->origin && r->res != last) { /* rows come by episode: each new one counts once */
                last = r->res;
                originated++;
                resolved += r->res >= 0;
                hits += r->res >= 0 && sh->ends[r->res].done;
            }
        }
        radar_store_bind_text(ins, 1, sh->rows[i].name_p);
        radar_sql_bind_int64(ins, 2, story);
        radar_store_bind_text(ins, 3, kind);
        radar_sql_bind_int(ins, 4, (int)(j - i));
        radar_sql_bind_int(ins, 5, cited);
        radar_sql_bind_int(ins, 6, originated);
        radar_sql_bind_int(ins, 7, resolved);
        radar_sql_bind_int(ins, 8, hits);
        rc = radar_store_step_done(st, ins, "recording a source");
    }
    sh->n_rows = 0;
    sh->arena.len = 0;
    return rc;
}

/* The rows of one mention, from `first` on in sh->rows: whether each names
 * the origin, and the episode it falls in. */
static void shares_mention(shares *sh, size_t first, const char *date, int graded)
{
    int any_cited = 0, res = -1;
    for (size_t i = first; i < sh->n_rows; i++)
        any_cited |= sh->rows[i].cites;
    for (size_t k = 0; date && k < sh->n_ends && res < 0; k++)
        if (strcmp(sh->ends[k].ended, date) >= 0)
            res = (int)k;
    for (size_t i = first; i < sh->n_rows; i++) {
        sh->rows[i].origin = graded && (sh->rows[i].cites || !any_cited);
        sh->rows[i].res = res;
    }
}

/* Write the shares of every story, or of those in temp.rescore_base. */
static int write_shares(radar_store *st, int base_only)
{
    radar_sql_stmt *src = NULL, *res = NULL;
    shares sh = {RADAR_BUF_INIT, NULL, 0, 0, NULL, 0, 0};
    int rc = radar_store_prepare(st, base_only ? SHARE_SOURCES " WHERE m." SHARE_BASE " ORDER BY m.story, " STORE_MENTION_ORDER
                                         : SHARE_SOURCES " ORDER BY m.story, " STORE_MENTION_ORDER,
                           &src);
    if (rc || (rc = radar_store_prepare(st, base_only ? SHARE_RESOLUTIONS " AND " SHARE_BASE " ORDER BY story, ended"
                                                : SHARE_RESOLUTIONS " ORDER BY story, ended",
                                  &res)))
        goto out;
    long long story = 0, mention = 0;
    size_t first = 0; /* the current mention's first row */
    char date[32] = "";
    int graded = 0, has_date = 0, rrc = radar_sql_step(res), src_rc;
    while (!rc && (src_rc = radar_sql_step(src)) == RADAR_SQL_ROW) {
        long long s_id = radar_sql_column_int64(src, 0), m_id = radar_sql_column_int64(src, 1);
        if (m_id != mention && sh.n_rows > first)
            shares_mention(&sh, first, has_date ? date : NULL, graded);
        if (s_id != story) {
            if (sh.n_rows && (rc = shares_flush(st, &sh, story)))
                break;
            story = s_id;
            /* the story's resolutions (those before it have no mention here) */
            sh.n_ends = 0;
            while (rrc == RADAR_SQL_ROW && radar_sql_column_int64(res, 0) < story)
                rrc = radar_sql_step(res);
            while (rrc == RADAR_SQL_ROW && radar_sql_column_int64(res, 0) == story) {
                if ((rc = radar_grow((void **)&sh.ends, &sh.cap_ends, sh.n_ends + 1, sizeof *sh.ends, 8)))
                    break;
                struct share_end *e = &sh.ends[sh.n_ends++];
                snprintf(e->ended, sizeof e->ended, "%s", (const char *)radar_sql_column_text(res, 1));
                const char *outcome = (const char *)radar_sql_column_text(res, 2);
                e->done = outcome && !strcasecmp(outcome, "done");
                rrc = radar_sql_step(res);
            }
            if (rc)
                break;
            if (rrc != RADAR_SQL_ROW && rrc != RADAR_SQL_DONE) {
                rc = radar_store_db_error(st, rrc, "recording sources");
                break;
            }
        }
        if (m_id != mention) {
            mention = m_id;
            first = sh.n_rows;
            has_date = radar_sql_column_type(src, 2) != RADAR_SQL_NULL;
            if (has_date)
                snprintf(date, sizeof date, "%s", (const char *)radar_sql_column_text(src, 2));
            graded = radar_sql_column_int(src, 3);
        }
        if ((rc = radar_grow((void **)&sh.rows, &sh.cap_rows, sh.n_rows + 1, sizeof *sh.rows, 64)))
            break;
        struct share_src *r = &sh.rows[sh.n_rows];
        const char *name = (const char *)radar_sql_column_text(src, 4), *kind = (const char *)radar_sql_column_text(src, 5);
        r->name = sh.arena.len;
        if ((rc = radar_buf_append(&sh.arena, name, strlen(name) + 1)))
            break;
        r->kind = kind ? sh.arena.len : NO_KIND;
        if (kind && (rc = radar_buf_append(&sh.arena, kind, strlen(kind) + 1)))
            break;
        r->cited = radar_sql_column_int(src, 6);
        r->cites = r->cited == 1;
        sh.n_rows++;
    }
    if (!rc && src_rc != RADAR_SQL_DONE)
        rc = radar_store_db_error(st, src_rc, "recording sources");
    if (!rc && rrc != RADAR_SQL_ROW && rrc != RADAR_SQL_DONE) /* read before any story, or after the last */
        rc = radar_store_db_error(st, rrc, "recording sources");
    if (!rc && sh.n_rows > first)
        shares_mention(&sh, first, has_date ? date : NULL, graded);
    if (!rc && sh.n_rows)
        rc = shares_flush(st, &sh, story);
out:
    radar_sql_finalize(src);
    radar_sql_finalize(res);
    free(sh.arena.data);
    free(sh.rows);
    free(sh.ends);
    return rc;
}

/* Sums of shares by source; columns as put_record reads them. */
#define SUMS_SQL(FILTER)                                                                                             \
    "SELECT name, max(kind), sum(mentions), count(*), sum(cited), sum(originated), sum(resolved), sum(hits) FROM "   \
    "source_stories " FILTER " GROUP BY name"

/* Write the record of the source in the current row of `agg`; *changed says
 * whether its hit rate moved. */
static int put_record(radar_store *st, radar_sql_stmt *agg, int *changed)
{
    const char *name = (const char *)radar_sql_column_text(agg, 0);
    int tier = radar_store_source_tier(st, name);
    radar_reliability r;
    radar_reliability_compute(tier, radar_sql_column_int(agg, 6), radar_sql_column_int(agg, 7), &r);
    radar_sql_stmt *old, *ins;
    int rc = radar_store_cached(st, "SELECT hit_rate FROM source_stats WHERE name = ?1", &old);
    if (rc)
        return rc;
    radar_store_bind_text(old, 1, name);
    /* the stored likelihoods of a source's stories follow its hit rate when
     * it moves by RATE_STEP or more: a big outlet's rate barely moves with one
     * more resolved story, and rescoring its many stories each time would
     * make every ingest a full rescore */
    *changed = !radar_store_row(st, old, &rc, "recording a source") ||
               fabs(radar_sql_column_double(old, 0) - r.mean) >= RATE_STEP;
    radar_sql_reset(old);
    if (rc)
        return rc;
    if ((rc = radar_store_cached(st,
                           "INSERT OR REPLACE INTO source_stats(" STORE_RECORD_COLUMNS ") VALUES "
                           "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                           &ins)))
        return rc;
    radar_store_bind_text(ins, 1, name);
    radar_store_bind_text(ins, 2, (const char *)radar_sql_column_text(agg, 1));
    if (tier)
        radar_sql_bind_int(ins, 3, tier);
    for (int c = 2; c <= 5; c++) /* mentions, stories, cited, originated */
        radar_sql_bind_int(ins, c + 2, radar_sql_column_int(agg, c));
    radar_sql_bind_int(ins, 8, r.resolved);
    radar_sql_bind_int(ins, 9, r.hits);
    radar_sql_bind_double(ins, 10, r.mean);
    radar_sql_bind_double(ins, 11, r.lo);
    radar_sql_bind_double(ins, 12, r.hi);
    return radar_store_step_done(st, ins, "recording a source");
}

static int record_sources(radar_store *st)
{
    int rc = radar_store_exec(st, "DELETE FROM source_stories; DELETE FROM source_stats;");
    if (!rc)
        rc = write_shares(st, 0);
    radar_sql_stmt *s;
    if (rc || (rc = radar_store_prepare(st, SUMS_SQL("") " ORDER BY name", &s)))
        return rc;
    int changed;
    while (!rc && radar_store_row(st, s, &rc, "recording sources"))
        rc = put_record(st, s, &changed);
    radar_sql_finalize(s);
    return rc;
}

/* Replace the shares of the stories in temp.rescore_base and add the
 * difference to their sources' records; the stories of a source whose hit
 * rate moved go to temp.rescore_stories. */
static int record_delta(radar_store *st)
{
#define BASE "WHERE story IN (SELECT id FROM rescore_base)"
    int rc = radar_store_exec(st,
                        "CREATE TEMP TABLE IF NOT EXISTS record_delta(name TEXT PRIMARY KEY, kind TEXT, mentions INTEGER, "
                        "stories INTEGER, cited INTEGER, originated INTEGER, resolved INTEGER, hits INTEGER); "
                        "DELETE FROM record_delta;"
                        "INSERT INTO record_delta SELECT name, NULL, -sum(mentions), -count(*), -sum(cited), "
                        "-sum(originated), -sum(resolved), -sum(hits) FROM source_stories " BASE " GROUP BY name;"
                        "DELETE FROM source_stories " BASE);
    if (!rc)
        rc = write_shares(st, 1);
    if (!rc)
        rc = radar_store_exec(st, "INSERT INTO record_delta " SUMS_SQL(BASE) " ON CONFLICT(name) DO UPDATE SET kind = "
                        "excluded.kind, mentions = record_delta.mentions + excluded.mentions, stories = "
                        "record_delta.stories + excluded.stories, cited = record_delta.cited + excluded.cited, "
                        "originated = record_delta.originated + excluded.originated, resolved = "
                        "record_delta.resolved + excluded.resolved, hits = record_delta.hits + excluded.hits");
#undef BASE
    radar_sql_stmt *s, *del, *more;
    if (rc || (rc = radar_store_prepare(st,
                                  "SELECT d.name, CASE WHEN d.kind IS NULL OR s.kind > d.kind THEN s.kind ELSE d.kind "
                                  "END, coalesce(s.mentions, 0) + d.mentions, coalesce(s.stories, 0) + d.stories, "
                                  "coalesce(s.cited, 0) + d.cited, coalesce(s.originated, 0) + d.originated, "
                                  "coalesce(s.resolved, 0) + d.resolved, coalesce(s.hits, 0) + d.hits FROM "
                                  "record_delta d LEFT JOIN source_stats s ON s.name = d.name ORDER BY d.name",
                                  &s)))
        return rc;
    if ((rc = radar_store_cached(st, "DELETE FROM source_stats WHERE name = ?1", &del)) ||
        (rc = radar_store_cached(st, "INSERT OR IGNORE INTO rescore_stories SELECT story FROM source_stories WHERE name = ?1",
                           &more))) {
        radar_sql_finalize(s);
        return rc;
    }
    while (!rc && radar_store_row(st, s, &rc, "recording sources")) {
        const char *name = (const char *)radar_sql_column_text(s, 0);
        int changed = 0;
        if (radar_sql_column_int64(s, 3) <= 0) { /* no story names it any more */
            radar_store_bind_text(del, 1, name);
            rc = radar_store_step_done(st, del, "recording a source");
            continue;
        }
        if ((rc = put_record(st, s, &changed)) || !changed)
            continue;
        radar_store_bind_text(more, 1, name);
        rc = radar_store_step_done(st, more, "rescoring");
    }
    radar_sql_finalize(s);
    return rc;
}

/* ---- likelihood ---- */

/* What the likelihood reads of a story: a row of STORY_HEAD, then its
 * mentions and its denial and stance facts. The same code gathers one story
 * (radar_store_story_likelihood) and every story in one ordered pass over
 * each table (rescore_all), so the two give the same scores. */
#define STORY_HEAD                                                                                                  \
    "SELECT s.id, s.outcome, s.player, (SELECT max(ended) FROM resolutions r WHERE r.story = s.id AND r.outcome = " \
    "'failed' AND r.origin = 'list' AND EXISTS (SELECT 1 FROM mentions m WHERE m.story = s.id AND m.date > "        \
    "r.ended)), (SELECT origin FROM resolutions r WHERE r.story = s.id ORDER BY " RESOLUTION_ORDER " LIMIT 1), "  \
    "EXISTS (SELECT 1 FROM resolutions r WHERE r.story = s.id AND r.outcome = 'failed' AND EXISTS "   \
    "(SELECT 1 FROM mentions m WHERE m.story = s.id AND m.date > r.ended)), s.likelihood, s.outcome_on, "        \
    "s.outcome_how, s.to_club FROM stories s"
/* a mention's origins: the sources it cites, else its publisher */
#define STORY_MENTIONS                                                                                              \
    "SELECT m.story, m.date, m.stage, m.fee_amount IS NOT NULL, (SELECT group_concat(x.name, char(31)) FROM "       \
    "mention_sources x WHERE x.mention = m.id AND (x.cited = 1 OR NOT EXISTS (SELECT 1 FROM mention_sources y "      \
    "WHERE y.mention = m.id AND y.cited = 1))), m.fee_eur, m.suitors, m.id FROM mentions m JOIN "  \
    "articles a ON a.rowid = m.article"
/* a denial of the move, the selling club reluctant, the selling club open;
 * a contract fact about the player (named, or named last: "Silva" of "Bernardo
 * Silva"), with its article's id, which orders two of one day */
#define STORY_FACTS                                                                                                 \
    "SELECT m.story, m.date, f.id, f.type = 'denial' AND (f.subject IS NULL OR f.subject = m.to_club OR f.subject " \
    "= m.from_club), f.type = 'stance' AND f.subject = m.from_club AND f.value = 'reluctant to sell', f.type = "    \
    "'stance' AND f.subject = m.from_club AND f.value = 'open to selling', f.type = 'contract' AND (f.subject IS "  \
    "NULL OR f.subject = m.player_name OR m.player_name LIKE '%' || f.subject), CASE WHEN f.type = 'contract' "     \
    "THEN (SELECT a.id FROM articles a WHERE a.rowid = f.article) END FROM facts f JOIN mentions m ON m.article = " \
    "f.article WHERE f.type IN ('denial', 'stance', 'contract')"
#define RATE_SQL "SELECT hit_rate FROM source_stats WHERE name = ?1"
/* a source's record as it stood on ?3: its other stories settled by then
 * (what fitting reads, so that no day's evidence holds a later outcome) */
#define RATE_AS_OF_SQL                                                                                              \
    "SELECT coalesce(sum(ss.resolved), 0), coalesce(sum(ss.hits), 0) FROM source_stories ss WHERE ss.name = ?1 AND " \
    "ss.story != ?2 AND ss.resolved > 0 AND (SELECT max(r.ended) FROM resolutions r WHERE r.story = ss.story AND "  \
    "r.origin NOT IN ('window', 'own_club') AND r.outcome IN ('done', 'failed')) <= ?3"


typedef struct episode {
    radar_story_evidence e;
    long long id, player;
    char state[8], reopen_after[11], origin[16];
    int resolved;  /* done or failed by the scoring date: nothing left to estimate */
    int as_stood;  /* records as they stood on as_of, not as they stand (fitting) */
    char how[RADAR_MAX_REASON];
    double stored; /* the stored likelihood; < 0 none */
    const char *as_of;
    char *origins[RADAR_MAX_EPISODE_ORIGINS];
    int n_origins, new_after_gap;
    long prev_day, last_day;
    double rate_sum;
    int keep, sell;
    long long counted[3]; /* the last fact counted as a denial, keep, sell */
    /* the latest contract fact by date, article id, fact id (the fact is in extra) */
    char *contract_date, *contract_article;
    story_extra extra;    /* fees, suitors, the stages' days (store_features.c) */
    /* mentions with no date count after the dated ones */
    struct undated {
        int rank, fee;
        char *names;
    } *undated;
    size_t n_undated, cap_undated;
} episode;

/* Start a story from the current row of a STORY_HEAD statement. */
static void episode_head(episode *ep, radar_sql_stmt *s, const char *as_of)
{
    memset(ep, 0, sizeof *ep);
    ep->e = (radar_story_evidence)RADAR_STORY_EVIDENCE_INIT;
    ep->prev_day = ep->last_day = -1;
    ep->as_of = as_of;
    ep->id = radar_sql_column_int64(s, 0);
    snprintf(ep->state, sizeof ep->state, "%s", (const char *)radar_sql_column_text(s, 1));
    ep->player = radar_sql_column_int64(s, 2);
    if (radar_sql_column_type(s, 3) != RADAR_SQL_NULL)
        snprintf(ep->reopen_after, sizeof ep->reopen_after, "%s", (const char *)radar_sql_column_text(s, 3));
    if (radar_sql_column_type(s, 4) != RADAR_SQL_NULL)
        snprintf(ep->origin, sizeof ep->origin, "%s", (const char *)radar_sql_column_text(s, 4));
    ep->stored = radar_sql_column_type(s, 6) == RADAR_SQL_NULL ? -1 : radar_sql_column_double(s, 6);
    radar_story_extra_start(&ep->extra, (const char *)radar_sql_column_text(s, 9));
    /* a story done or failed (an outcomes list, or a report that completes
     * or ends the move) has nothing left to estimate from the day it
     * resolved: its likelihood is 1 or 0, so that the status and the
     * likelihood beside it never disagree. Before that day, the evidence. */
    const char *on = (const char *)radar_sql_column_text(s, 7);
    ep->resolved = (!strcmp(ep->state, "done") || !strcmp(ep->state, "failed")) &&
                   (!as_of || !on || strcmp(as_of, on) >= 0);
    if (radar_sql_column_type(s, 8) != RADAR_SQL_NULL)
        snprintf(ep->how, sizeof ep->how, "%s", (const char *)radar_sql_column_text(s, 8));
    /* an imported failure ends an episode: only the reports since count.
     * What the articles left unsaid (a window closing) does not erase the
     * evidence before it. */
    ep->e.reopened = radar_sql_column_int(s, 5);
    /* a move elsewhere fails the story (above); a window that went quiet
     * weighs only from the day it closed (no look-ahead) */
    ep->e.window_closed = !strcmp(ep->state, "quiet") && (!as_of || !on || strcmp(as_of, on) >= 0);
}

/* Is a report of `date` in the open episode: after the last imported
 * failure, and published by the scoring date? */
static int episode_has(const episode *ep, const char *date)
{
    if (ep->reopen_after[0] && (!date || strcmp(date, ep->reopen_after) <= 0))
        return 0;
    return !(ep->as_of && date && strcmp(date, ep->as_of) > 0);
}

static int episode_add(radar_store *st, episode *ep, long day, int rank, int fee, const char *names)
{
    radar_sql_stmt *rate_q;
    int rc = 0;
    ep->e.mentions++;
    if (rank <= RADAR_STAGE_SIGNED && rank > ep->e.stage)
        ep->e.stage = rank;
    ep->e.latest_stage = rank;
    if (day >= 0) {
        if (ep->prev_day >= 0 && day - ep->prev_day >= RESURFACE_DAYS) {
            ep->e.resurfaced_stale = 1; /* until something new appears after the gap */
            ep->new_after_gap = 0;
        }
        if (ep->prev_day >= 0 && ep->e.resurfaced_stale && (rank > RADAR_STAGE_INTEREST || fee))
            ep->new_after_gap = 1;
        ep->prev_day = ep->last_day = day;
    }
    /* origins: distinct names, kept in a small list */
    while (names && *names && !rc) {
        const char *sep = strchr(names, 31);
        size_t len = sep ? (size_t)(sep - names) : strlen(names);
        int seen = 0;
        for (int k = 0; k < ep->n_origins && !seen; k++)
            seen = strlen(ep->origins[k]) == len && !memcmp(ep->origins[k], names, len);
        if (!seen && ep->n_origins < RADAR_MAX_EPISODE_ORIGINS && (ep->origins[ep->n_origins] = strndup(names, len)) &&
            !(rc = radar_store_cached(st, RATE_SQL, &rate_q))) {
            /* a source's hit rate: its record, else its tier's prior */
            const char *name = ep->origins[ep->n_origins++];
            double rate = -1;
            if (ep->as_stood && ep->as_of) {
                radar_sql_reset(rate_q);
                if ((rc = radar_store_cached(st, RATE_AS_OF_SQL, &rate_q)))
                    break;
                radar_sql_bind_text(rate_q, 1, name, -1, RADAR_SQL_STATIC);
                radar_sql_bind_int64(rate_q, 2, ep->id);
                radar_store_bind_text(rate_q, 3, ep->as_of);
                if (radar_store_row(st, rate_q, &rc, "scoring a story")) {
                    radar_reliability r;
                    radar_reliability_compute(radar_store_source_tier(st, name), radar_sql_column_int(rate_q, 0),
                                              radar_sql_column_int(rate_q, 1), &r);
                    rate = r.mean;
                }
            } else if (!radar_store_memo_rate(st, name, &rate)) { /* else read before in this pass */
                radar_sql_bind_text(rate_q, 1, name, -1, RADAR_SQL_STATIC);
                if (radar_store_row(st, rate_q, &rc, "scoring a story"))
                    rate = radar_sql_column_double(rate_q, 0);
                if (!rc)
                    rc = radar_store_memo_rate_put(st, name, rate);
            }
            radar_sql_reset(rate_q);
            rate = rate >= 0 ? rate : radar_reliability_prior(radar_store_source_tier(st, name));
            ep->rate_sum += rate;
            if (ep->n_origins == 1) { /* the episode's first origin */
                ep->e.first_source_rel = rate;
                snprintf(ep->e.first_source, sizeof ep->e.first_source, "%s", name);
            }
        }
        names = sep ? sep + 1 : names + len;
    }
    return rc;
}

/* A mention from the current row of a STORY_MENTIONS statement. */
static int episode_mention(radar_store *st, episode *ep, radar_sql_stmt *s)
{
    const char *date = (const char *)radar_sql_column_text(s, 1);
    if (ep->resolved || !episode_has(ep, date))
        return 0;
    const char *stage = (const char *)radar_sql_column_text(s, 2);
    int rank = 0;
    for (int k = 0; stage && k < RADAR_STAGE_COUNT; k++)
        if (!strcmp(stage, radar_stage_name((radar_stage)k)))
            rank = k;
    int fee = radar_sql_column_int(s, 3);
    const char *names = (const char *)radar_sql_column_text(s, 4);
    radar_story_extra_mention(&ep->extra, radar_day_number(date), rank, radar_sql_column_type(s, 5) == RADAR_SQL_NULL ? 0 :
                              radar_sql_column_double(s, 5), (const char *)radar_sql_column_text(s, 6));
    if (date && stage && strcmp(stage, "none")) /* a report of the move, not a name in passing */
        radar_story_extra_report(&ep->extra, radar_sql_column_int64(s, 7));
    if (date)
        return episode_add(st, ep, radar_day_number(date), rank, fee, names);
    int rc = radar_grow((void **)&ep->undated, &ep->cap_undated, ep->n_undated + 1, sizeof *ep->undated, 4);
    if (rc)
        return rc;
    struct undated *u = &ep->undated[ep->n_undated];
    u->rank = rank;
    u->fee = fee;
    if (names && !(u->names = strdup(names)))
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    if (!names)
        u->names = NULL;
    ep->n_undated++;
    return 0;
}

/* A fact from the current row of a STORY_FACTS statement (ordered by fact:
 * each is counted once however many of the story's mentions share it). */
static int episode_fact(episode *ep, radar_sql_stmt *s)
{
    if (ep->resolved)
        return 0;
    const char *date = (const char *)radar_sql_column_text(s, 1);
    if (radar_sql_column_int(s, 6) && date && !(ep->as_of && strcmp(date, ep->as_of) > 0)) {
        /* the contract: any report of the story by the scoring date, the
         * episode's or not; the latest by date, then article id, then fact */
        long long fact = radar_sql_column_int64(s, 2);
        const char *article = (const char *)radar_sql_column_text(s, 7);
        int d = ep->contract_date ? strcmp(date, ep->contract_date) : 1;
        int a = d || !ep->contract_date ? 0 : strcmp(article ? article : "", ep->contract_article);
        if (d > 0 || (!d && (a > 0 || (!a && fact > ep->extra.contract_fact)))) {
            free(ep->contract_date);
            free(ep->contract_article);
            ep->contract_date = strdup(date);
            ep->contract_article = strdup(article ? article : "");
            if (!ep->contract_date || !ep->contract_article)
                return radar_error_set(RADAR_ENOMEM, "out of memory scoring a story");
            ep->extra.contract_fact = fact;
            ep->extra.contract_day = radar_day_number(date);
        }
    }
    if (!episode_has(ep, date))
        return 0;
    long long fact = radar_sql_column_int64(s, 2);
    int *counts[3] = {&ep->e.denials, &ep->keep, &ep->sell};
    for (int k = 0; k < 3; k++)
        if (radar_sql_column_int(s, 3 + k) && ep->counted[k] != fact) {
            ++*counts[k];
            ep->counted[k] = fact;
        }
    return 0;
}

static void episode_free(episode *ep)
{
    for (int k = 0; k < ep->n_origins; k++)
        free(ep->origins[k]);
    for (size_t k = 0; k < ep->n_undated; k++)
        free(ep->undated[k].names);
    free(ep->undated);
    free(ep->contract_date);
    free(ep->contract_article);
    ep->contract_date = ep->contract_article = NULL;
    ep->n_origins = 0;
    ep->n_undated = 0;
    ep->undated = NULL;
}

/* The evidence from what was gathered; frees what the episode holds. */
static int episode_evidence(radar_store *st, episode *ep)
{
    int rc = 0;
    for (size_t k = 0; k < ep->n_undated && !rc; k++)
        rc = episode_add(st, ep, -1, ep->undated[k].rank, ep->undated[k].fee, ep->undated[k].names);
    radar_story_evidence *e = &ep->e;
    if (e->resurfaced_stale && ep->new_after_gap)
        e->resurfaced_stale = 0;
    e->independent = ep->n_origins;
    e->source_rel = ep->n_origins ? ep->rate_sum / ep->n_origins : -1;
    episode_free(ep);
    if (rc)
        return rc;
    long as_of_day = radar_day_number(ep->as_of);
    e->days_since_last = ep->last_day >= 0 && as_of_day >= ep->last_day ? (int)(as_of_day - ep->last_day) : 0;
    e->stance = ep->keep > ep->sell ? -1 : ep->sell > ep->keep ? 1 : 0;

    /* rivals: other open stories of the player, recent at the last report */
    char since[64] = "", until[64] = "";
    if (ep->last_day >= 0) {
        radar_civil_date(ep->last_day, until);
        radar_civil_date(ep->last_day - RIVAL_DAYS, since);
    }
    radar_sql_stmt *s;
    if ((rc = radar_store_cached(st,
                           "SELECT count(*) FROM stories WHERE player = ?1 AND id != ?2 AND outcome = 'open' AND "
                           "(?3 IS NULL OR last_seen >= ?3) AND (?4 IS NULL OR first_seen <= ?4)",
                           &s)))
        return rc;
    radar_sql_bind_int64(s, 1, ep->player);
    radar_sql_bind_int64(s, 2, ep->id);
    radar_store_bind_text(s, 3, since[0] ? since : NULL);
    radar_store_bind_text(s, 4, until[0] ? until : NULL);
    if ((rc = radar_sql_step(s)) == RADAR_SQL_ROW)
        e->rivals = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    if (rc != RADAR_SQL_ROW)
        return radar_store_db_error(st, rc, "scoring a story");
    /* what the buying club and the player's contract add */
    return radar_store_story_context(st, ep->id, ep->as_of, &ep->extra, e);
}

/* The likelihood from what was gathered; frees what the episode holds. */
static int episode_finish(radar_store *st, episode *ep, radar_likelihood *out)
{
    out->n = 0;
    out->logit = 0;
    if (ep->resolved) {
        int done = !strcmp(ep->state, "done");
        out->p = done ? 1.0 : 0.0;
        out->logit = done ? INFINITY : -INFINITY;
        radar_factor *f = &out->factors[out->n++];
        memset(f, 0, sizeof *f);
        f->name = "resolved";
        f->contribution = out->logit;
        snprintf(f->detail, sizeof f->detail, "%s: %.86s", done ? "done" : "failed", ep->how[0] ? ep->how : "resolved");
        episode_free(ep);
        return 0;
    }
    int rc = episode_evidence(st, ep);
    if (!rc)
        radar_likelihood_compute_with(radar_store_likelihood_model(st), &ep->e, out);
    return rc;
}

/* Start story `story` and gather its open episode as of `as_of`; with
 * `settled_too`, a story an outcomes list settled is gathered as if open. */
static int episode_gather(radar_store *st, episode *ep, long long story, const char *as_of, int settled_too,
                          char outcome[8])
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, STORY_HEAD " WHERE s.id = ?1", &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, story);
    if ((rc = radar_sql_step(s)) != RADAR_SQL_ROW) {
        radar_sql_reset(s);
        return rc == RADAR_SQL_DONE ? radar_error_set(RADAR_ENOTFOUND, "no story %lld", story)
                                 : radar_store_db_error(st, rc, "scoring a story");
    }
    /* as_of NULL: the likelihood at the story's last report, with no decay */
    episode_head(ep, s, as_of);
    radar_sql_reset(s);
    int known = 1;
    if (as_of && strcmp(ep->state, "open") && (rc = radar_store_resolved_by(st, story, as_of, &known)))
        return rc;
    if (!known) { /* resolved after the scoring date: then it was open */
        snprintf(ep->state, sizeof ep->state, "open");
        ep->resolved = ep->e.moved_elsewhere = ep->e.window_closed = 0;
    }
    if (outcome)
        snprintf(outcome, 8, "%s", ep->state);
    if (settled_too) {
        /* as it stood on the day: not yet settled, records of then */
        ep->resolved = 0;
        ep->as_stood = 1;
        ep->e.moved_elsewhere = ep->e.window_closed = 0;
    }
    if (!ep->resolved) {
        /* the open episode: mentions after the last failure, up to the scoring date */
        if ((rc = radar_store_cached(st,
                               STORY_MENTIONS " WHERE m.story = ?1 AND (?2 IS NULL OR m.date > ?2) AND (?3 IS NULL "
                                              "OR m.date IS NULL OR m.date <= ?3) ORDER BY " STORE_MENTION_ORDER,
                               &s)))
            return rc;
        radar_sql_bind_int64(s, 1, story);
        radar_store_bind_text(s, 2, ep->reopen_after[0] ? ep->reopen_after : NULL);
        radar_store_bind_text(s, 3, as_of);
        while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW && !(rc = episode_mention(st, ep, s)))
            ;
        radar_sql_reset(s);
        if (rc == RADAR_SQL_DONE && !(rc = radar_store_cached(st, STORY_FACTS " AND m.story = ?1 ORDER BY f.id", &s))) {
            radar_sql_bind_int64(s, 1, story);
            while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW && !(rc = episode_fact(ep, s)))
                ;
            radar_sql_reset(s);
        }
        if (rc != RADAR_SQL_DONE) {
            episode_free(ep);
            return rc > 0 ? radar_store_db_error(st, rc, "scoring a story") : rc;
        }
    }
    return 0;
}

int radar_store_story_likelihood(radar_store *st, long long story, const char *as_of, radar_likelihood *out,
                                 char outcome[8])
{
    episode ep;
    int rc = episode_gather(st, &ep, story, as_of, 0, outcome);
    return rc ? rc : episode_finish(st, &ep, out);
}

int radar_store_story_evidence(radar_store *st, long long story, const char *as_of, radar_story_evidence *out)
{
    episode ep;
    int rc = episode_gather(st, &ep, story, as_of, 1, NULL);
    if (!rc)
        rc = episode_evidence(st, &ep);
    if (!rc)
        *out = ep.e;
    return rc;
}



/* ---- rescoring ---- */

int radar_store_refresh_records(radar_store *st)
{
    int rc = radar_store_resolve_all(st);
    return rc ? rc : record_sources(st);
}

/* Store a story's likelihood at its last report (what the board sorts by),
 * unless it is the one stored. */
static int store_likelihood(radar_store *st, long long id, double stored, const radar_likelihood *l)
{
    double p = round(l->p * 10000) / 10000;
    if (p == stored)
        return 0;
    radar_sql_stmt *up;
    int rc = radar_store_cached(st, "UPDATE stories SET likelihood = ?2 WHERE id = ?1", &up);
    if (rc)
        return rc;
    radar_sql_bind_int64(up, 1, id);
    radar_sql_bind_double(up, 2, p);
    return radar_store_step_done(st, up, "scoring a story");
}

static int score_story(radar_store *st, long long id)
{
    radar_likelihood l;
    int rc = radar_store_story_likelihood(st, id, NULL, &l, NULL);
    return rc ? rc : store_likelihood(st, id, -1, &l);
}

/* Every story, in one ordered pass over stories, mentions and facts. */
static int rescore_all(radar_store *st)
{
    int rc = radar_store_refresh_records(st);
    radar_sql_stmt *head = NULL, *men = NULL, *fac = NULL;
    if (rc || (rc = radar_store_prepare(st, STORY_HEAD " ORDER BY s.id", &head)) ||
        (rc = radar_store_prepare(st, STORY_MENTIONS " ORDER BY m.story, " STORE_MENTION_ORDER, &men)) ||
        (rc = radar_store_prepare(st, STORY_FACTS " ORDER BY m.story, f.id", &fac)))
        goto out;
    int hrc = RADAR_SQL_DONE, mrc = radar_sql_step(men), frc = radar_sql_step(fac);
    rc = radar_store_club_memo_begin(st);
    while (!rc && (hrc = radar_sql_step(head)) == RADAR_SQL_ROW) {
        episode ep;
        episode_head(&ep, head, NULL);
        /* mentions and facts of stories before this one have none left */
        while (mrc == RADAR_SQL_ROW && radar_sql_column_int64(men, 0) < ep.id)
            mrc = radar_sql_step(men);
        while (!rc && mrc == RADAR_SQL_ROW && radar_sql_column_int64(men, 0) == ep.id) {
            rc = episode_mention(st, &ep, men);
            mrc = radar_sql_step(men);
        }
        while (frc == RADAR_SQL_ROW && radar_sql_column_int64(fac, 0) < ep.id)
            frc = radar_sql_step(fac);
        while (!rc && frc == RADAR_SQL_ROW && radar_sql_column_int64(fac, 0) == ep.id) {
            rc = episode_fact(&ep, fac);
            frc = radar_sql_step(fac);
        }
        if (!rc && ((mrc != RADAR_SQL_ROW && mrc != RADAR_SQL_DONE) || (frc != RADAR_SQL_ROW && frc != RADAR_SQL_DONE)))
            rc = radar_store_db_error(st, mrc != RADAR_SQL_ROW && mrc != RADAR_SQL_DONE ? mrc : frc, "scoring stories");
        if (rc) {
            episode_free(&ep);
            break;
        }
        radar_likelihood l;
        double stored = ep.stored;
        if (!(rc = episode_finish(st, &ep, &l)))
            rc = store_likelihood(st, ep.id, stored, &l);
    }
    if (!rc && hrc != RADAR_SQL_DONE)
        rc = radar_store_db_error(st, hrc, "scoring stories");
    if (!rc && ((mrc != RADAR_SQL_ROW && mrc != RADAR_SQL_DONE) || (frc != RADAR_SQL_ROW && frc != RADAR_SQL_DONE)))
        rc = radar_store_db_error(st, mrc != RADAR_SQL_ROW && mrc != RADAR_SQL_DONE ? mrc : frc, "scoring stories");
out:
    radar_store_club_memo_end(st);
    radar_sql_finalize(head);
    radar_sql_finalize(men);
    radar_sql_finalize(fac);
    return rc;
}

/* Only what the touched players can change: their stories' resolutions, the
 * records of the sources of those stories, and the likelihood of their
 * stories and of every story of a source whose record moved. */
static int rescore_players(radar_store *st, const long long *players, size_t n)
{
    int rc = radar_store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS rescore_base(id INTEGER PRIMARY KEY);"
                            "CREATE TEMP TABLE IF NOT EXISTS rescore_stories(id INTEGER PRIMARY KEY);"
                            "DELETE FROM rescore_base; DELETE FROM rescore_stories");
    if (rc || (rc = radar_store_resolve_players(st, players, n)))
        return rc;
    radar_sql_stmt *sto, *each;
    if ((rc = radar_store_cached(st, "INSERT OR IGNORE INTO rescore_base SELECT id FROM stories WHERE player = ?1", &sto)))
        return rc;
    for (size_t k = 0; k < n && !rc; k++) {
        radar_sql_bind_int64(sto, 1, players[k]);
        rc = radar_store_step_done(st, sto, "rescoring");
    }
    if (rc || (rc = radar_store_exec(st, "INSERT OR IGNORE INTO rescore_stories SELECT id FROM rescore_base")) ||
        (rc = record_delta(st)))
        return rc;
    if ((rc = radar_store_prepare(st, "SELECT id FROM rescore_stories ORDER BY id", &each)) ||
        (rc = radar_store_club_memo_begin(st)))
        return rc;
    while (!rc && radar_store_row(st, each, &rc, "rescoring"))
        rc = score_story(st, radar_sql_column_int64(each, 0));
    radar_store_club_memo_end(st);
    radar_sql_finalize(each);
    return rc ? rc : radar_store_exec(st, "DELETE FROM rescore_base; DELETE FROM rescore_stories");
}

int radar_store_rescore(radar_store *st)
{
    int own = !radar_sql_in_transaction(&st->conn);
    /* a whole rescore's shares and sorts go to temporary files, not memory:
     * on a million articles they hold hundreds of megabytes. Set outside the
     * transaction: SQLite refuses the change inside one once a temporary
     * table exists (rescore_players makes some), so a handle that rescored
     * a few players could not rescore the whole store after */
    int rc = own ? radar_store_exec(st, "PRAGMA temp_store = FILE; BEGIN IMMEDIATE") : 0;
    if (rc)
        return rc;
    size_t n = 0;
    if (st->n_touched) {
        qsort(st->touched, st->n_touched, sizeof *st->touched, radar_store_cmp_ll);
        for (size_t i = 0; i < st->n_touched; i++)
            if (!n || st->touched[i] != st->touched[n - 1])
                st->touched[n++] = st->touched[i];
    }
    /* scores left stale by an earlier run (killed before this point) are
     * redone whole; so is a run that touched much of the store */
    long long players = 0;
    radar_sql_stmt *s;
    if (!(rc = radar_store_prepare(st, "SELECT count(*) FROM players", &s))) {
        if (radar_store_row(st, s, &rc, "counting players"))
            players = radar_sql_column_int64(s, 0);
        radar_sql_finalize(s);
    }
    /* a newer article that closes a transfer window can resolve any story */
    long closed = -1, before = -2;
    if (!rc && !(rc = radar_store_closed_windows(st, &closed)) &&
        !(rc = radar_store_prepare(st, "SELECT value FROM meta WHERE key = 'windows_closed'", &s))) {
        if (radar_store_row(st, s, &rc, "reading the windows closed"))
            before = (long)radar_sql_column_int64(s, 0);
        radar_sql_finalize(s);
    }
    if (rc)
        ;
    else if (st->stale_at_open || !n || (long long)n * 4 > players || closed != before)
        rc = rescore_all(st);
    else
        rc = rescore_players(st, st->touched, n);
    if (!rc)
        rc = radar_store_exec(st, "INSERT OR REPLACE INTO meta VALUES ('scores_stale', 0)");
    if (!rc && !(rc = radar_store_prepare(st, "INSERT OR REPLACE INTO meta VALUES ('windows_closed', ?1)", &s))) {
        radar_sql_bind_int64(s, 1, closed);
        rc = radar_store_step_done(st, s, "rescoring");
        radar_sql_finalize(s);
    }
    if (own) {
        if (!rc)
            rc = radar_store_exec(st, "COMMIT");
        if (rc)
            radar_sql_rollback(&st->conn);
        int trc = radar_store_exec(st, "PRAGMA temp_store = MEMORY");
        rc = rc ? rc : trc;
    }
    if (!rc) {
        st->n_touched = 0;
        st->stale_at_open = 0;
    }
    return rc;
}

