/*
 * store_outcomes.c - what really happened: outcomes imported from lists,
 * matched to stored players and stories, and the story resolutions (done,
 * failed, reopened) that they and the articles imply.
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

/* ---- matching outcome rows to players and stories ---- */

/* The story of `player` to `club` in *id, or 0 when there is none. */
static int story_of(radar_store *st, long long player, const char *club, long long *id)
{
    sqlite3_stmt *s;
    int rc = radar_store_cached(st, "SELECT id FROM stories WHERE player = ?1 AND to_club = ?2", &s);
    *id = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, player);
    radar_store_bind_text(s, 2, club);
    if (radar_store_row(st, s, &rc, "looking up a story"))
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc;
}

int radar_store_find_story(radar_store *st, const char *player, const char *club, long long *id)
{
    long long ids[RADAR_MAX_NAMESAKES];
    int n, rc;
    char cbuf[256];
    *id = 0;
    if ((rc = radar_store_players_named(st, player, 0, NULL, ids, RADAR_MAX_NAMESAKES, &n, NULL)))
        return rc;
    const char *canon = radar_store_canonical_club(st, club, cbuf, sizeof cbuf);
    for (int i = 0; i < n && !*id; i++)
        if ((rc = story_of(st, ids[i], canon, id)))
            return rc;
    return *id ? 0 : radar_error_set(RADAR_ENOTFOUND, "no story %s -> %s", player, club);
}

int radar_store_add_outcome(radar_store *st, const radar_outcome_row *row, const char *origin, int *players,
                            int *stories)
{
    char cbuf[256], fbuf[256];
    const char *to = radar_store_canonical_club(st, row->to_club, cbuf, sizeof cbuf);
    const char *from = row->from_club ? radar_store_canonical_club(st, row->from_club, fbuf, sizeof fbuf) : NULL;
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st,
                           "INSERT OR REPLACE INTO outcomes(player_name, from_club, to_club, date, season, win, fee, "
                           "currency, outcome, origin) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                           &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, row->player);
    radar_store_bind_text(s, 2, from);
    radar_store_bind_text(s, 3, to);
    radar_store_bind_text(s, 4, row->date);
    radar_store_bind_text(s, 5, row->season);
    radar_store_bind_text(s, 6, row->window);
    if (row->fee > 0)
        sqlite3_bind_double(s, 7, row->fee);
    radar_store_bind_text(s, 8, row->currency);
    radar_store_bind_text(s, 9, row->outcome == RADAR_OUTCOME_FAILED ? "failed" : "done");
    radar_store_bind_text(s, 10, origin);
    rc = radar_store_step_done(st, s, "storing an outcome");
    sqlite3_finalize(s);
    if (rc)
        return rc;
    long long ids[RADAR_MAX_NAMESAKES];
    int n;
    if ((rc = radar_store_players_named(st, row->player, 0, NULL, ids, RADAR_MAX_NAMESAKES, &n, NULL)))
        return rc;
    *players = n;
    *stories = 0;
    for (int i = 0; i < n && !rc; i++) {
        long long story;
        if (!(rc = story_of(st, ids[i], to, &story)))
            rc = radar_store_touch_player(st, ids[i]);
        *stories += story != 0;
    }
    if (rc)
        return rc;
    return radar_store_exec(st, "UPDATE meta SET value = 1 WHERE key = 'scores_stale'");
}

/* ---- resolutions ---- */

/* origin: "list" (an imported outcome: replaces what the articles said),
 * "signed", "elsewhere" or "window" (what the articles say or leave unsaid). */
static int put_resolution(radar_store *st, long long story, const char *ended, const char *outcome, const char *how,
                          const char *origin)
{
    sqlite3_stmt *s;
    int list = !strcmp(origin, "list");
    int rc = radar_store_cached(st,
                          list ? "INSERT OR REPLACE INTO resolutions(story, ended, outcome, how, origin) "
                                 "VALUES (?1,?2,?3,?4,?5)"
                               : "INSERT OR IGNORE INTO resolutions(story, ended, outcome, how, origin) "
                                 "VALUES (?1,?2,?3,?4,?5)",
                          &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, story);
    radar_store_bind_text(s, 2, ended);
    radar_store_bind_text(s, 3, outcome);
    radar_store_bind_text(s, 4, how);
    radar_store_bind_text(s, 5, origin);
    rc = radar_store_step_done(st, s, "resolving a story");
    sqlite3_reset(s);
    return rc;
}

/* A move that happened makes the player's other stories, already reported,
 * fail on that day. */
static int fail_others(radar_store *st, long long player, long long story, const char *club, const char *date,
                       const char *how, const char *origin)
{
    sqlite3_stmt *s;
    int rc = radar_store_cached(st,
                           "SELECT id FROM stories WHERE player = ?1 AND id != ?2 AND to_club != ?3 AND first_seen <= ?4",
                           &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, player);
    sqlite3_bind_int64(s, 2, story);
    radar_store_bind_text(s, 3, club);
    radar_store_bind_text(s, 4, date);
    /* all of them first: the statement is not reset by the writes */
    long long *ids = NULL;
    size_t n = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories") &&
           !(rc = radar_grow((void **)&ids, &cap, n + 1, sizeof *ids, 16)))
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    for (size_t i = 0; i < n && !rc; i++)
        rc = put_resolution(st, ids[i], date, "failed", how, origin);
    free(ids);
    return rc;
}

/* One imported outcome, applied to one of the players its name matches. */
static int apply_outcome(radar_store *st, sqlite3_stmt *row, long long player)
{
    const char *name = (const char *)sqlite3_column_text(row, 0);
    const char *to = (const char *)sqlite3_column_text(row, 1);
    const char *date = (const char *)sqlite3_column_text(row, 2);
    int done = !strcmp((const char *)sqlite3_column_text(row, 3), "done");
    const char *season = (const char *)sqlite3_column_text(row, 4);
    const char *win = (const char *)sqlite3_column_text(row, 5);
    long long story;
    char how[512];
    int rc = story_of(st, player, to, &story);
    if (rc)
        return rc;
    if (done) {
        snprintf(how, sizeof how, "outcomes list: %s joined %s on %s", name, to, date);
        if (story)
            rc = put_resolution(st, story, date, "done", how, "list");
        if (!rc)
            rc = fail_others(st, player, story, to, date, how, "list");
    } else if (story) {
        if (season && win)
            snprintf(how, sizeof how, "outcomes list: no move to %s by the end of the %s %s window", to, season, win);
        else
            snprintf(how, sizeof how, "outcomes list: no move to %s by %s", to, date);
        rc = put_resolution(st, story, date, "failed", how, "list");
    }
    return rc;
}

/* A move reported as signed: the first such report dates it. */
static int apply_signed(radar_store *st, sqlite3_stmt *row)
{
    long long story = sqlite3_column_int64(row, 0), player = sqlite3_column_int64(row, 1);
    const char *date = (const char *)sqlite3_column_text(row, 2);
    const char *to = (const char *)sqlite3_column_text(row, 3);
    char how[512];
    snprintf(how, sizeof how, "reported signed for %s on %s", to, date);
    int rc = put_resolution(st, story, date, "done", how, "signed");
    snprintf(how, sizeof how, "%s was reported signed for %s on %s", (const char *)sqlite3_column_text(row, 4), to,
             date);
    return rc ? rc : fail_others(st, player, story, to, date, how, "elsewhere");
}

/* The day the transfer window a report of `day` belongs to closes: reports
 * from 1 February to 31 August are about the summer window (closing
 * 1 September), the others about the January window (closing 1 February). */
static long window_close(long day)
{
    char d[64];
    radar_civil_date(day, d);
    int y = atoi(d), m = atoi(d + 5);
    snprintf(d, sizeof d, m < 2 ? "%04d-02-01" : m < 9 ? "%04d-09-01" : "%04d-02-01", m < 9 ? y : y + 1);
    return radar_day_number(d);
}

/* The last window close on or before `day`. */
static long last_close(long day)
{
    char d[64];
    radar_civil_date(day, d);
    int y = atoi(d), m = atoi(d + 5);
    snprintf(d, sizeof d, m >= 9 ? "%04d-09-01" : m >= 2 ? "%04d-02-01" : "%04d-09-01", m >= 2 ? y : y - 1);
    return radar_day_number(d);
}

/* A story reported in a window that closed (by the newest article) with no
 * move reported fails at the close; reports after it reopen the story. */
static int close_windows(radar_store *st, long long player, long closed)
{
    sqlite3_stmt *s, *done;
    int rc = player ? radar_store_cached(st,
                                   "SELECT m.story, m.date FROM stories s JOIN mentions m ON m.story = s.id WHERE "
                                   "s.player = ?1 AND m.date IS NOT NULL ORDER BY m.story, m.date",
                                   &s)
                    : radar_store_prepare(st, "SELECT story, date FROM mentions WHERE date IS NOT NULL ORDER BY story, date",
                                    &s);
    if (rc)
        return rc;
    if (player)
        sqlite3_bind_int64(s, 1, player);
    if ((rc = radar_store_cached(st, "SELECT 1 FROM resolutions WHERE story = ?1 AND outcome = 'done' AND ended <= ?2",
                           &done)))
        goto out;
    long long story = 0;
    long last = -1;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        long long id = sqlite3_column_int64(s, 0);
        long close = window_close(radar_day_number((const char *)sqlite3_column_text(s, 1)));
        if (close < 0 || (id == story && close == last) || close > closed)
            continue;
        story = id;
        last = close;
        char end[64], how[160];
        radar_civil_date(close, end);
        sqlite3_reset(done);
        sqlite3_bind_int64(done, 1, id);
        radar_store_bind_text(done, 2, end);
        if (radar_store_row(st, done, &rc, "resolving stories") || rc)
            continue; /* the move was done by then */
        int y = atoi(end);
        if (end[6] == '9')
            snprintf(how, sizeof how, "no move reported by the close of the summer %d window (%s)", y, end);
        else
            snprintf(how, sizeof how, "no move reported by the close of the January %d window (%s)", y, end);
        rc = put_resolution(st, id, end, "failed", how, "window");
    }
    sqlite3_reset(done);
out:
    if (player)
        sqlite3_reset(s);
    else
        sqlite3_finalize(s);
    return rc;
}

/* The last window close on or before the newest article: what close_windows
 * may resolve. */
int radar_store_closed_windows(radar_store *st, long *closed)
{
    long newest;
    int rc = radar_store_newest_day(st, &newest);
    *closed = rc || newest < 0 ? -1 : last_close(newest);
    return rc;
}

#define OUTCOME_ROWS "SELECT player_name, to_club, date, outcome, season, win FROM outcomes"
#define SIGNED_ROWS                                                                                                 \
    "SELECT m.story, s.player, min(m.date), s.to_club, p.name FROM mentions m JOIN stories s ON s.id = m.story JOIN " \
    "players p ON p.id = s.player WHERE m.stage = 'signed' AND m.date IS NOT NULL"
/* done wins; a failure followed by new reports is open again */
#define SET_OUTCOME                                                                                                  \
    "UPDATE stories SET outcome = coalesce((SELECT CASE WHEN r.outcome = 'done' THEN 'done' WHEN EXISTS (SELECT 1 " \
    "FROM mentions m WHERE m.story = stories.id AND m.date > r.ended) THEN 'open' ELSE 'failed' END FROM "           \
    "resolutions r WHERE r.story = stories.id ORDER BY r.outcome = 'done' DESC, r.ended DESC LIMIT 1), 'open')"

/* Imported outcomes first (they are facts), then what the articles report
 * as signed. Every resolution of a story depends on its player's outcomes
 * and stories only, so resolving some players gives what resolving all
 * would give them. */
int radar_store_resolve_all(radar_store *st)
{
    int rc = radar_store_exec(st, "DELETE FROM resolutions");
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if ((rc = radar_store_prepare(st, OUTCOME_ROWS " ORDER BY date, id", &s)))
        return rc;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        long long ids[RADAR_MAX_NAMESAKES];
        int n;
        rc = radar_store_players_named(st, (const char *)sqlite3_column_text(s, 0), 0, NULL, ids, RADAR_MAX_NAMESAKES, &n, NULL);
        for (int i = 0; i < n && !rc; i++)
            rc = apply_outcome(st, s, ids[i]);
    }
    sqlite3_finalize(s);
    if (rc || (rc = radar_store_prepare(st, SIGNED_ROWS " GROUP BY m.story ORDER BY m.story", &s)))
        return rc;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories"))
        rc = apply_signed(st, s);
    sqlite3_finalize(s);
    long closed;
    if (!rc && !(rc = radar_store_closed_windows(st, &closed)))
        rc = close_windows(st, 0, closed);
    return rc ? rc : radar_store_exec(st, SET_OUTCOME);
}

static int has_id(const long long *v, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (v[i] == id)
            return 1;
    return 0;
}

/* The same for the players in `players` (sorted, distinct). */
int radar_store_resolve_players(radar_store *st, const long long *players, size_t n_players)
{
    /* which players each imported outcome names: matched once */
    sqlite3_stmt *s;
    int rc = radar_store_prepare(st, "SELECT id, player_name FROM outcomes ORDER BY date, id", &s);
    if (rc)
        return rc;
    struct ref {
        long long row;
        long long ids[RADAR_MAX_NAMESAKES];
        int n;
    } *refs = NULL;
    size_t n_refs = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        if ((rc = radar_grow((void **)&refs, &cap, n_refs + 1, sizeof *refs, 64)))
            break;
        refs[n_refs].row = sqlite3_column_int64(s, 0);
        rc = radar_store_players_named(st, (const char *)sqlite3_column_text(s, 1), 0, NULL, refs[n_refs].ids, RADAR_MAX_NAMESAKES, &refs[n_refs].n, NULL);
        n_refs++;
    }
    sqlite3_finalize(s);
    sqlite3_stmt *del, *row, *sig, *out;
    if (!rc && !(rc = radar_store_cached(st, "DELETE FROM resolutions WHERE story IN (SELECT id FROM stories WHERE player = ?1)",
                                   &del)) &&
        !(rc = radar_store_cached(st, OUTCOME_ROWS " WHERE id = ?1", &row)) &&
        !(rc = radar_store_cached(st, SIGNED_ROWS " AND s.player = ?1 GROUP BY m.story ORDER BY m.story", &sig)))
        rc = radar_store_cached(st, SET_OUTCOME " WHERE player = ?1", &out);
    long closed = -1;
    if (!rc)
        rc = radar_store_closed_windows(st, &closed);
    for (size_t k = 0; k < n_players && !rc; k++) {
        long long player = players[k];
        sqlite3_bind_int64(del, 1, player);
        if ((rc = radar_store_step_done(st, del, "resolving stories")))
            break;
        for (size_t r = 0; r < n_refs && !rc; r++) {
            if (!has_id(refs[r].ids, refs[r].n, player))
                continue;
            sqlite3_reset(row);
            sqlite3_bind_int64(row, 1, refs[r].row);
            if (radar_store_row(st, row, &rc, "resolving stories"))
                rc = apply_outcome(st, row, player);
        }
        sqlite3_reset(row);
        sqlite3_reset(sig);
        sqlite3_bind_int64(sig, 1, player);
        while (!rc && radar_store_row(st, sig, &rc, "resolving stories"))
            rc = apply_signed(st, sig);
        sqlite3_reset(sig);
        if (!rc)
            rc = close_windows(st, player, closed);
        if (!rc) {
            sqlite3_bind_int64(out, 1, player);
            rc = radar_store_step_done(st, out, "resolving stories");
        }
    }
    free(refs);
    return rc;
}

