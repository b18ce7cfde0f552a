/*
 * store_outcomes.c - what really happened: outcomes imported from lists,
 * matched to stored players and stories, and the story resolutions that
 * they and the articles imply: done, failed (on evidence, each with the
 * article or list it rests on), went quiet (a window closed in silence:
 * unknown), and open again when the move is reported after one.
 *
 * Resolutions and records are derived data: radar_store_rescore recomputes
 * them from the articles and the imported outcomes, so the same inputs give
 * the same scores whatever order they arrived in.
 */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
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
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "SELECT id FROM stories WHERE player = ?1 AND to_club = ?2", &s);
    *id = 0;
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_store_bind_text(s, 2, club);
    if (radar_store_row(st, s, &rc, "looking up a story"))
        *id = radar_sql_column_int64(s, 0);
    radar_sql_reset(s);
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
    radar_sql_stmt *s;
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
        radar_sql_bind_double(s, 7, row->fee);
    radar_store_bind_text(s, 8, row->currency);
    radar_store_bind_text(s, 9, row->outcome == RADAR_OUTCOME_FAILED ? "failed" : "done");
    radar_store_bind_text(s, 10, origin);
    rc = radar_store_step_done(st, s, "storing an outcome");
    radar_sql_finalize(s);
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

#define WINDOW_GRACE_DAYS 14 /* a report this soon after a window's close may still be of it */
/* the byte span of a mention's first evidence, or NULLs */
#define EVIDENCE_SPAN                                                                                       \
    "CASE WHEN json_valid(m.evidence) THEN json_extract(m.evidence, '$[0][0]') END, CASE WHEN "              \
    "json_valid(m.evidence) THEN json_extract(m.evidence, '$[0][1]') END"

/* a mention's sentence (its first evidence span), or NULL */
#define MENTION_SENTENCE                                                                                      \
    "CASE WHEN json_valid(m.evidence) THEN CAST(substr(CAST(a.body AS BLOB), json_extract(m.evidence, "      \
    "'$[0][0]') + 1, json_extract(m.evidence, '$[0][1]') - json_extract(m.evidence, '$[0][0]')) AS TEXT) END"

/* What a resolution rests on: an article and the byte span of the words
 * in its body; all NULL / -1 for an outcomes list or a window's silence. */
typedef struct evidence_ref {
    const char *article;
    long long start, end;
} evidence_ref;
static const evidence_ref NO_EVIDENCE = {NULL, -1, -1};

/* origin: "list" (an imported outcome: replaces what the articles said);
 * what articles report: "signed" (the move completed: done), "elsewhere"
 * (the player completed a move to another club), "collapsed" (the move was
 * reported off), "rejected" (an approach rejected by a club that will not
 * sell), "stayed" (he committed his future to his club, or a report of a
 * later window still places him there); or "window": the window closed with
 * nothing more reported, which is "quiet" (unknown), not a failure. */
#define PUT_RESOLUTION                                                                                               \
    " INTO resolutions(story, ended, outcome, how, origin, article, span_start, span_end) VALUES "                   \
    "(?1,?2,?3,?4,?5,?6,?7,?8)"
static int put_resolution(radar_store *st, long long story, const char *ended, const char *outcome, const char *how,
                          const char *origin, evidence_ref ev)
{
    radar_sql_stmt *s;
    int list = !strcmp(origin, "list") || !strcmp(origin, "own_club"), signed_ = !strcmp(origin, "signed");
    /* one resolution a story a day: an imported outcome replaces what the
     * articles said; a report that the move was completed replaces a failure
     * the articles gave the same day (he moved "elsewhere" to a club he only
     * joins on loan, in the report that completes this move), so that a
     * story reported completed is done; else the first one stands */
    int rc = radar_store_cached(st,
                          list ? "INSERT OR REPLACE" PUT_RESOLUTION
                          : signed_ ? "INSERT" PUT_RESOLUTION " ON CONFLICT(story, ended) DO UPDATE SET outcome = "
                                      "excluded.outcome, how = excluded.how, origin = excluded.origin, article = "
                                      "excluded.article, span_start = excluded.span_start, span_end = "
                                      "excluded.span_end WHERE resolutions.origin != 'list' AND resolutions.outcome "
                                      "!= 'done'"
                                    : "INSERT OR IGNORE" PUT_RESOLUTION,
                          &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, story);
    radar_store_bind_text(s, 2, ended);
    radar_store_bind_text(s, 3, outcome);
    radar_store_bind_text(s, 4, how);
    radar_store_bind_text(s, 5, origin);
    radar_store_bind_text(s, 6, ev.article);
    if (ev.article && ev.start >= 0) {
        radar_sql_bind_int64(s, 7, ev.start);
        radar_sql_bind_int64(s, 8, ev.end);
    } else {
        radar_sql_bind_null(s, 7);
        radar_sql_bind_null(s, 8);
    }
    rc = radar_store_step_done(st, s, "resolving a story");
    radar_sql_reset(s);
    return rc;
}

static long window_close(long day);

/* A move that happened makes the player's other stories, already reported,
 * fail on that day: those whose last report before it was of the window
 * the move closed or of the one before (a move years after a story's
 * reports tells nothing of what became of it; a story none of whose
 * reports carries a date belongs to no window and is left alone). */
static int fail_others(radar_store *st, long long player, long long story, const char *club, const char *date,
                       const char *how, const char *origin, evidence_ref ev)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st,
                           "SELECT s.id, (SELECT max(m.date) FROM mentions m WHERE m.story = s.id AND m.date <= ?4) "
                           "FROM stories s WHERE s.player = ?1 AND s.id != ?2 AND s.to_club != ?3 AND s.first_seen <= ?4",
                           &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_int64(s, 2, story);
    radar_store_bind_text(s, 3, club);
    radar_store_bind_text(s, 4, date);
    long moved = radar_day_number(date);
    /* all of them first: the statement is not reset by the writes */
    long long *ids = NULL;
    size_t n = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        if (radar_sql_column_type(s, 1) == RADAR_SQL_NULL)
            continue;
        long close = window_close(radar_day_number((const char *)radar_sql_column_text(s, 1)));
        /* the close of the window after the story's own, and the weeks
         * after a deadline that may still belong to it */
        if (close < 0 || moved < 0 || moved > window_close(close + 1) + WINDOW_GRACE_DAYS)
            continue;
        if (!(rc = radar_grow((void **)&ids, &cap, n + 1, sizeof *ids, 16)))
            ids[n++] = radar_sql_column_int64(s, 0);
    }
    radar_sql_reset(s);
    for (size_t i = 0; i < n && !rc; i++)
        rc = put_resolution(st, ids[i], date, "failed", how, origin, ev);
    free(ids);
    return rc;
}

/* One imported outcome, applied to one of the players its name matches. */
static int apply_outcome(radar_store *st, radar_sql_stmt *row, long long player)
{
    const char *name = (const char *)radar_sql_column_text(row, 0);
    const char *to = (const char *)radar_sql_column_text(row, 1);
    const char *date = (const char *)radar_sql_column_text(row, 2);
    int done = !strcmp((const char *)radar_sql_column_text(row, 3), "done");
    const char *season = (const char *)radar_sql_column_text(row, 4);
    const char *win = (const char *)radar_sql_column_text(row, 5);
    long long story;
    char how[512];
    int rc = story_of(st, player, to, &story);
    if (rc)
        return rc;
    if (done) {
        snprintf(how, sizeof how, "outcomes list: %s joined %s on %s", name, to, date);
        if (story)
            rc = put_resolution(st, story, date, "done", how, "list", NO_EVIDENCE);
        if (!rc)
            rc = fail_others(st, player, story, to, date, how, "list", NO_EVIDENCE);
    } else if (story) {
        if (season && win)
            snprintf(how, sizeof how, "outcomes list: no move to %s by the end of the %s %s window", to, season, win);
        else
            snprintf(how, sizeof how, "outcomes list: no move to %s by %s", to, date);
        rc = put_resolution(st, story, date, "failed", how, "list", NO_EVIDENCE);
    }
    return rc;
}

/* ---- what a report says of its move ----
 *
 * A report with a stage is about the move; its sentence (the mention's
 * first evidence span) can say more than the stage the extraction gave:
 * that the move is completed ("Official:", "signs for", "completed his
 * move"), that it ended ("has collapsed", "called off"), or that the player
 * committed his future to his club ("signed a new contract", "will stay at").
 * The phrases are narrow on purpose: a status that says done or failed must
 * be one a reader can check in the sentence quoted. */

static const char *const DONE_PHRASES[] = {
    "official:", "official,", "official!", "official.", "it's official", "it is official", "now official",
    "officially joined", "officially joins", "officially signed", "officially signs", "officially completed",
    "signs for", "has signed for", "completed his move", "completes his move", "completed a move",
    "completes move", "move completed", "deal completed", "transfer completed", "completed his transfer",
};
static const char *const COLLAPSE_PHRASES[] = {
    "has collapsed", "have collapsed", "deal collapsed", "move collapsed", "fell through", "has fallen through",
    "called off", "been called off",
};
static const char *const STAY_PHRASES[] = {
    "committed his future", "commits his future", "commit his future", "signed a new contract", "signs a new contract",
    "signed a new deal", "signs a new deal", "signed a new long-term", "signs a new long-term", "extended his contract",
    "extends his contract", "extended his deal", "extends his deal", "signed a contract extension",
    "signs a contract extension", "decided to stay", "has chosen to stay", "will stay at", "is staying at",
    "turned down a move", "turning down a move", "turns down a move", "rejected a move", "rejecting a move",
};
/* a move that is not happening is not read as one */
static const char *const NEGATIONS[] = {" not ", "n't ", "n’t ", " never ", " no longer ", " if ", " would ",
                                        " could ", " unless ", "suppose"};
static const char *const NOT_FOR_SALE[] = {"not for sale", "at any price", "no intention of selling", "will not sell",
                                           "won't sell", "refuse to sell", "refused to sell", "not be sold"};

/* Does the sentence `text` (any case; `lowered`: in lower case already)
 * hold one of the n phrases (each lower case)? */
static int says(const char *text, int lowered, const char *const *phrases, size_t n)
{
    for (size_t i = 0; text && i < n; i++)
        if (lowered ? strstr(text, phrases[i]) != NULL : strcasestr(text, phrases[i]) != NULL)
            return 1;
    return 0;
}
#define SAYS(text, list) says(text, lowered, list, sizeof list / sizeof *list)

enum report_kind { REPORT_NONE, REPORT_DONE, REPORT_COLLAPSED, REPORT_REJECTED, REPORT_STAYED };

static enum report_kind report_kind_of(const char *stage, const char *text, int lowered, int reluctant);

/* What a row of REPORT_ROWS says of its move. `reluctant`: the article says
 * a club will not sell. A sentence of the usual length is lowered once, not
 * in each phrase's search: the phrases match as strcasestr matches them
 * (ASCII letters in any case). */
static enum report_kind report_kind(const char *stage, const char *text, int reluctant)
{
    char low[1024];
    size_t n = text ? strlen(text) : 0;
    if (!text || n >= sizeof low)
        return report_kind_of(stage, text, 0, reluctant);
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)text[i]);
    return report_kind_of(stage, low, 1, reluctant);
}

static enum report_kind report_kind_of(const char *stage, const char *text, int lowered, int reluctant)
{
    if (!stage || !strcmp(stage, "none"))
        return REPORT_NONE; /* a name in passing */
    if (!strcmp(stage, "signed"))
        return REPORT_DONE;
    if (!strcmp(stage, "collapsed"))
        return REPORT_COLLAPSED;
    if (!strcmp(stage, "rejected"))
        return reluctant || SAYS(text, NOT_FOR_SALE) ? REPORT_REJECTED : REPORT_NONE;
    if (!strcmp(stage, "denied"))
        return REPORT_NONE;
    if (SAYS(text, NEGATIONS))
        return REPORT_NONE;
    if (SAYS(text, STAY_PHRASES))
        return REPORT_STAYED;
    if (SAYS(text, COLLAPSE_PHRASES))
        return REPORT_COLLAPSED;
    if (SAYS(text, DONE_PHRASES))
        return REPORT_DONE;
    return REPORT_NONE;
}

/* The evidence of the current row of REPORT_ROWS. */
static evidence_ref report_evidence(radar_sql_stmt *row)
{
    evidence_ref ev = {(const char *)radar_sql_column_text(row, 5), -1, -1};
    if (radar_sql_column_type(row, 9) != RADAR_SQL_NULL && radar_sql_column_type(row, 10) != RADAR_SQL_NULL) {
        ev.start = radar_sql_column_int64(row, 9);
        ev.end = radar_sql_column_int64(row, 10);
    }
    return ev;
}

/* A report that the move is completed: the story is done on that day, and
 * the player's other stories, already reported, fail (he moved elsewhere). */
static int apply_done(radar_store *st, radar_sql_stmt *row)
{
    long long story = radar_sql_column_int64(row, 0), player = radar_sql_column_int64(row, 1);
    const char *date = (const char *)radar_sql_column_text(row, 2);
    const char *to = (const char *)radar_sql_column_text(row, 3);
    evidence_ref ev = report_evidence(row);
    char how[512];
    snprintf(how, sizeof how, "the move was reported completed on %s (article %s)", date, ev.article);
    int rc = put_resolution(st, story, date, "done", how, "signed", ev);
    snprintf(how, sizeof how, "%s moved to %s instead: reported completed on %s (article %s)",
             (const char *)radar_sql_column_text(row, 4), to, date, ev.article);
    return rc ? rc : fail_others(st, player, story, to, date, how, "elsewhere", ev);
}

/* A report that ends the move: it collapsed, an approach was rejected by a
 * club that will not sell, or the player committed his future to his club.
 * The story fails on that day; a later report of the move reopens it. */
static int apply_ending(radar_store *st, radar_sql_stmt *row, enum report_kind kind)
{
    long long story = radar_sql_column_int64(row, 0);
    const char *date = (const char *)radar_sql_column_text(row, 2);
    evidence_ref ev = report_evidence(row);
    char how[512];
    /* "committed", not "stayed": a report that he stays ends the move, which
     * the story's stage tells (a later window placing him at his club is
     * "stayed" and tells nothing of how far the move went) */
    const char *origin = kind == REPORT_COLLAPSED ? "collapsed" : kind == REPORT_REJECTED ? "rejected" : "committed";
    if (kind == REPORT_COLLAPSED)
        snprintf(how, sizeof how, "the move was reported off (collapsed, called off) on %s (article %s)", date,
                 ev.article);
    else if (kind == REPORT_REJECTED)
        snprintf(how, sizeof how, "the approach was reported rejected by a club that will not sell, on %s (article %s)",
                 date, ev.article);
    else
        snprintf(how, sizeof how, "the player was reported committed to his club on %s (article %s)", date,
                 ev.article);
    return put_resolution(st, story, date, "failed", how, origin, ev);
}

/* Read the reports of the bound statement `s` (REPORT_ROWS, by story and
 * date) in two passes: the first report of each story that completes it,
 * then every report that ends one. */
static int apply_reports(radar_store *st, radar_sql_stmt *s)
{
    int rc = 0, src;
    long long done_story = 0;
    while (!rc && (src = radar_sql_step(s)) == RADAR_SQL_ROW) {
        long long story = radar_sql_column_int64(s, 0);
        if (story != done_story && report_kind((const char *)radar_sql_column_text(s, 6),
                                               (const char *)radar_sql_column_text(s, 7),
                                               radar_sql_column_int(s, 8)) == REPORT_DONE) {
            done_story = story;
            rc = apply_done(st, s);
        }
    }
    if (!rc && src != RADAR_SQL_DONE)
        rc = radar_store_db_error(st, src, "resolving stories");
    radar_sql_reset(s);
    while (!rc && (src = radar_sql_step(s)) == RADAR_SQL_ROW) {
        enum report_kind kind = report_kind((const char *)radar_sql_column_text(s, 6),
                                            (const char *)radar_sql_column_text(s, 7), radar_sql_column_int(s, 8));
        if (kind != REPORT_NONE && kind != REPORT_DONE)
            rc = apply_ending(st, s, kind);
    }
    if (!rc && src != RADAR_SQL_DONE)
        rc = radar_store_db_error(st, src, "resolving stories");
    radar_sql_reset(s);
    return rc;
}

/* ---- a loan reported as a fact ----
 *
 * A loan that happened is often told only in passing, years later ("X
 * spent a season on loan with Palace", "Y, on loan at Hull City, scored",
 * "his West Brom loan spell"): no report of the move, so the extraction
 * gives none. Such a sentence, naming the player close before the words
 * and the story's club as where the loan is, makes the story done on its
 * article's day. It tells of the past, so it fails none of his other
 * stories. A sentence of what may be ("could spend a season on loan at")
 * is no such report. */

#define LOAN_NEAR 80 /* bytes between the player's name and the loan words */
static const char *const LOAN_AT[] = {"on loan at ", "on loan with ", "loan spell at ", "loan spell with ",
                                      "loan stint at ", "loan stint with "};
static const char *const LOAN_AFTER[] = {" loan spell", " loan stint"};
static const char *const LOAN_NOT[] = {" will ", "'ll ", " set to ", " to spend ", " to go ", " to join ", " want",
                                       " plan", " hope", " keen ", " may ", " might ", " should ", " expected "};

/* Is the club named by the words of text[from, to) (one to four words, the
 * longest that is a club: after the loan words when `after`, else before
 * them) the club `club`? */
static int names_club(const radar_store *st, const char *text, size_t from, size_t to, int after, const char *club)
{
    size_t w[6], n = 0; /* word starts (after) or word ends (before) */
    if (after) {
        for (size_t i = from; i < to && n < 5;) {
            if (strchr(",.;:()!?\n", text[i]))
                break;
            w[n++] = i;
            while (i < to && text[i] != ' ' && !strchr(",.;:()!?\n", text[i]))
                i++;
            while (i < to && text[i] == ' ')
                i++;
            w[n] = i;
        }
    } else {
        for (size_t i = to; i > from && n < 5;) {
            if (strchr(",.;:()!?\n", text[i - 1]))
                break;
            w[n++] = i;
            while (i > from && text[i - 1] != ' ' && !strchr(",.;:()!?\n", text[i - 1]))
                i--;
            w[n] = i;
            while (i > from && text[i - 1] == ' ')
                i--;
        }
    }
    for (size_t k = n < 4 ? n : 4; k > 0; k--) {
        char name[128], buf[256];
        size_t a = after ? w[0] : w[k], b = after ? w[k] : w[0];
        while (b > a && text[b - 1] == ' ')
            b--;
        if (b <= a || b - a >= sizeof name)
            continue;
        memcpy(name, text + a, b - a);
        name[b - a] = '\0';
        if (radar_store_is_club(st, name) && !strcmp(radar_store_canonical_club(st, name, buf, sizeof buf), club))
            return 1;
    }
    return 0;
}

/* Does `sentence` name a year before `year` - 1 ("a loan spell at Villa
 * Park during the 2018-19 season", of a story of 2021): a loan of seasons
 * before the story's reports, not its move? */
static int dates_before(const char *sentence, int year)
{
    for (const char *p = sentence; *p; p++)
        if ((p[0] == '1' || p[0] == '2') && (p[1] == '9' || p[1] == '0') && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
            p[3] <= '9' && (p == sentence || !(p[-1] >= '0' && p[-1] <= '9')) && !(p[4] >= '0' && p[4] <= '9') &&
            atoi(p) + 1 < year)
            return 1;
    return 0;
}

/* The span of a sentence of `body` that reports `surname`'s loan at `club`
 * as a fact, and names no year before `year` - 1, in *start and *end; 0
 * when there is none. */
static int loan_sentence(const radar_store *st, const char *body, const char *surname, const char *club, int year,
                         long long *start, long long *end)
{
    size_t len = strlen(body), sn = strlen(surname);
    const int lowered = 0; /* SAYS: the sentence is as written */
    for (size_t s0 = 0; s0 < len;) {
        size_t s1 = s0;
        while (s1 < len && !strchr(".!?\n", body[s1]))
            s1++;
        if (s1 < len)
            s1++;
        char sent[1024];
        size_t n = s1 - s0 < sizeof sent - 2 ? s1 - s0 : sizeof sent - 2;
        sent[0] = ' '; /* so that a phrase's leading space matches at the start */
        memcpy(sent + 1, body + s0, n);
        sent[n + 1] = '\0';
        const char *who = strcasestr(sent, surname);
        if (who && !SAYS(sent, NEGATIONS) && !SAYS(sent, LOAN_NOT) && !dates_before(sent, year)) {
            for (int after = 1; after >= 0; after--) {
                const char *const *list = after ? LOAN_AT : LOAN_AFTER;
                size_t nl = after ? sizeof LOAN_AT / sizeof *LOAN_AT : sizeof LOAN_AFTER / sizeof *LOAN_AFTER;
                for (size_t k = 0; k < nl; k++)
                    for (const char *at = strcasestr(sent, list[k]); at; at = strcasestr(at + 1, list[k])) {
                        /* the player named before the words, and close */
                        const char *last = NULL;
                        for (const char *q = who; q && q < at; q = strcasestr(q + 1, surname))
                            last = q;
                        if (!last || (size_t)(at - (last + sn)) > LOAN_NEAR)
                            continue;
                        size_t off = (size_t)(at - sent), pl = strlen(list[k]);
                        if (after ? names_club(st, sent, off + pl, n + 1, 1, club)
                                  : names_club(st, sent, (size_t)(last + sn - sent), off, 0, club)) {
                            *start = (long long)s0;
                            *end = (long long)(s0 + n);
                            while (*end > *start && strchr(" \n", body[*end - 1]))
                                (*end)--;
                            return 1;
                        }
                    }
            }
        }
        s0 = s1;
        while (s0 < len && strchr(" \n", body[s0]))
            s0++;
    }
    return 0;
}

/* Every story (of `player`, or all when 0) not done, whose player a dated
 * article, of the day of its first report or later, says is or was on loan
 * at its club: done on the first such article's day. */
static int done_by_loan(radar_store *st, long long player)
{
    radar_sql_stmt *s, *find;
    int rc = radar_store_cached(st,
                                 "SELECT s.id, s.to_club, p.surname, s.first_seen FROM stories s JOIN players p ON "
                                 "p.id = s.player WHERE (?1 = 0 OR s.player = ?1) AND s.first_seen IS NOT NULL AND "
                                 "length(p.surname) > 2 AND NOT EXISTS (SELECT 1 FROM resolutions r WHERE r.story = "
                                 "s.id AND r.outcome = 'done') ORDER BY s.id",
                                 &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    struct cand {
        long long story;
        char *club, *surname, *first;
    } *c = NULL;
    size_t n = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        if ((rc = radar_grow((void **)&c, &cap, n + 1, sizeof *c, 16)))
            break;
        c[n].story = radar_sql_column_int64(s, 0);
        c[n].club = strdup((const char *)radar_sql_column_text(s, 1));
        c[n].surname = strdup((const char *)radar_sql_column_text(s, 2));
        c[n].first = strdup((const char *)radar_sql_column_text(s, 3));
        if (!c[n].club || !c[n].surname || !c[n++].first)
            rc = RADAR_ENOMEM;
    }
    radar_sql_reset(s);
    /* the articles that hold both words, through the full-text index */
    const char *from, *match, *snippet, *newest;
    radar_sql_fts_pieces(&st->conn, &from, &match, &snippet, &newest);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT a.id, a.date, a.body FROM %s WHERE %s AND a.date >= ?2 ORDER BY a.date, a.id",
             from, match);
    find = NULL;
    if (!rc && n)
        rc = radar_store_prepare(st, sql, &find);
    for (size_t i = 0; i < n && !rc; i++) {
        char query[300], *q = query, *terms = NULL;
        *q++ = '"';
        for (const char *p = c[i].surname; *p && q < query + sizeof query - 20; p++) {
            if (*p == '"')
                *q++ = '"';
            *q++ = *p;
        }
        snprintf(q, (size_t)(query + sizeof query - q), "\" \"loan\"");
        if ((rc = radar_sql_fts_query(&st->conn, query, &terms)))
            break;
        radar_store_bind_text(find, 1, terms);
        radar_store_bind_text(find, 2, c[i].first);
        free(terms);
        long long start, end;
        int src;
        while ((src = radar_sql_step(find)) == RADAR_SQL_ROW) {
            const char *body = (const char *)radar_sql_column_text(find, 2);
            if (body && loan_sentence(st, body, c[i].surname, c[i].club, atoi(c[i].first), &start, &end)) {
                const char *date = (const char *)radar_sql_column_text(find, 1);
                const char *article = (const char *)radar_sql_column_text(find, 0);
                char how[RADAR_MAX_REASON];
                snprintf(how, sizeof how, "the move was reported to have happened, as a loan, on %s (article %.80s)",
                         date, article);
                evidence_ref ev = {article, start, end};
                rc = put_resolution(st, c[i].story, date, "done", how, "loan", ev);
                break;
            }
        }
        if (!rc && src != RADAR_SQL_ROW && src != RADAR_SQL_DONE)
            rc = radar_store_db_error(st, src, "resolving stories");
        radar_sql_reset(find);
    }
    radar_sql_finalize(find);
    for (size_t i = 0; i < n; i++) {
        free(c[i].club);
        free(c[i].surname);
        free(c[i].first);
    }
    free(c);
    return rc;
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

/* "the summer 2021 window (2021-09-01)" for the close `end`. */
static void window_name(const char *end, char *out, size_t cap)
{
    snprintf(out, cap, "the %s %d window (%s)", end[6] == '9' ? "summer" : "January", atoi(end), end);
}

/* One window of a story's reports, as close_windows gathers it. */
typedef struct window_run {
    long long story, player;
    long close;          /* the day the window closes */
    char last[11];       /* its last report */
    char from[256];      /* the player's club, as the latest report of it says; "" unknown */
    char to[256];
    int loan;            /* a report of the move, up to this window, speaks of a loan */
} window_run;

/* The end of a window with reports of a story, closed by the newest
 * article: nothing, when the move was done by then or its episode ended
 * after the last report (a collapse, a move elsewhere; an earlier window
 * that went quiet is no end of this one); else failed, when a
 * report of a later window (before the story's next report, `next`, or
 * ever) still places him at his club; else went quiet. */
static int end_window(radar_store *st, const window_run *w, const char *next)
{
    char end[64], after[64], win[96], how[RADAR_MAX_REASON];
    radar_civil_date(w->close, end);
    /* deadline days move by a few days from year to year: a report of the
     * weeks after the close may still be of the window that closed */
    radar_civil_date(w->close + WINDOW_GRACE_DAYS, after);
    radar_sql_stmt *ended, *stay;
    int rc = radar_store_cached(st,
                                "SELECT 1 FROM resolutions WHERE story = ?1 AND ended <= ?3 AND (outcome = 'done' OR "
                                "(ended >= ?2 AND outcome != 'quiet'))",
                                &ended);
    if (rc)
        return rc;
    radar_sql_bind_int64(ended, 1, w->story);
    radar_store_bind_text(ended, 2, w->last);
    radar_store_bind_text(ended, 3, end);
    rc = radar_sql_step(ended);
    radar_sql_reset(ended);
    if (rc == RADAR_SQL_ROW)
        return 0;
    if (rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "resolving stories");
    window_name(end, win, sizeof win);
    /* a loaned player is back at his club when the loan ends, and is named
     * as his club's player while it runs: his club in a later report
     * tells nothing of a loan */
    if (w->from[0] && !w->loan) {
        /* his other stories' reports: through the (player, club) index of
         * stories and the (story, date) index of mentions, which a bulk load
         * keeps */
        if ((rc = radar_store_cached(st,
                                     "SELECT m.date, a.id, s.to_club, " EVIDENCE_SPAN " FROM stories s JOIN mentions m "
                                     "ON m.story = s.id JOIN articles a ON a.rowid = m.article WHERE s.player = ?1 "
                                     "AND s.id != ?2 AND m.date >= ?3 AND (?4 IS NULL OR m.date < ?4) AND "
                                     "m.from_club = ?5 AND coalesce(m.stage, 'none') != 'none' ORDER BY " STORE_MENTION_ORDER " "
                                     "LIMIT 1",
                                     &stay)))
            return rc;
        radar_sql_bind_int64(stay, 1, w->player);
        radar_sql_bind_int64(stay, 2, w->story);
        radar_store_bind_text(stay, 3, after);
        radar_store_bind_text(stay, 4, next);
        radar_store_bind_text(stay, 5, w->from);
        if ((rc = radar_sql_step(stay)) == RADAR_SQL_ROW) {
            const char *date = (const char *)radar_sql_column_text(stay, 0);
            const char *article = (const char *)radar_sql_column_text(stay, 1);
            snprintf(how, sizeof how,
                     "no move to %.80s in %s: a report of %s (article %.80s, on a move to %.80s) still places him at %.80s",
                     w->to, win, date, article, (const char *)radar_sql_column_text(stay, 2), w->from);
            evidence_ref ev = {article, -1, -1};
            if (radar_sql_column_type(stay, 3) != RADAR_SQL_NULL) {
                ev.start = radar_sql_column_int64(stay, 3);
                ev.end = radar_sql_column_int64(stay, 4);
            }
            rc = put_resolution(st, w->story, end, "failed", how, "stayed", ev);
            radar_sql_reset(stay);
            return rc;
        }
        radar_sql_reset(stay);
        if (rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "resolving stories");
    }
    snprintf(how, sizeof how, "nothing more reported by the close of %s after the last report on %s: unknown, not failed",
             win, w->last);
    return put_resolution(st, w->story, end, "quiet", how, "window", NO_EVIDENCE);
}

/* Every window in which a story (of `player`, or any when 0) was reported
 * and that the newest article closed (`closed`: the last close on or before
 * it) ends: its report of the move is followed by silence, or by a report
 * that he is still at his club. Only reports of the move count (a mention
 * with a stage); undated ones belong to no window. */
static int close_windows(radar_store *st, long long player, long closed)
{
#define WINDOW_MENTIONS                                                                                             \
    "SELECT m.story, m.date, m.from_club, s.player, s.to_club, instr(lower(" MENTION_SENTENCE "), 'loan') > 0 "   \
    "FROM mentions m JOIN stories s ON s.id = m.story JOIN articles a ON a.rowid = m.article WHERE "               \
    "m.date IS NOT NULL AND coalesce(m.stage, 'none') != 'none'"
    radar_sql_stmt *s;
    int rc = player ? radar_store_cached(st, WINDOW_MENTIONS " AND m.story IN (SELECT id FROM stories WHERE player = "
                                                             "?1) ORDER BY m.story, " STORE_MENTION_ORDER,
                                         &s)
                    : radar_store_prepare(st, WINDOW_MENTIONS " ORDER BY m.story, " STORE_MENTION_ORDER, &s);
#undef WINDOW_MENTIONS
    if (rc)
        return rc;
    if (player)
        radar_sql_bind_int64(s, 1, player);
    window_run w = {0};
    w.close = -1;
    int src;
    while (!rc && (src = radar_sql_step(s)) == RADAR_SQL_ROW) {
        long long id = radar_sql_column_int64(s, 0);
        const char *date = (const char *)radar_sql_column_text(s, 1);
        long close = window_close(radar_day_number(date));
        if (close < 0)
            continue;
        if (id != w.story || close != w.close) {
            /* a new window: the one before ends, if it has closed */
            if (w.story && w.close <= closed)
                rc = end_window(st, &w, id == w.story ? date : NULL);
            if (id != w.story) {
                w.from[0] = '\0';
                w.loan = 0;
                snprintf(w.to, sizeof w.to, "%s", (const char *)radar_sql_column_text(s, 4));
            }
            w.story = id;
            w.player = radar_sql_column_int64(s, 3);
            w.close = close;
        }
        snprintf(w.last, sizeof w.last, "%s", date);
        w.loan |= radar_sql_column_int(s, 5);
        if (radar_sql_column_type(s, 2) != RADAR_SQL_NULL)
            snprintf(w.from, sizeof w.from, "%s", (const char *)radar_sql_column_text(s, 2));
    }
    if (!rc && src != RADAR_SQL_DONE)
        rc = radar_store_db_error(st, src, "resolving stories");
    if (!rc && w.story && w.close <= closed)
        rc = end_window(st, &w, NULL);
    if (player)
        radar_sql_reset(s);
    else
        radar_sql_finalize(s);
    return rc;
}

/* The window a report of the date `d` (a column) belongs to, by its close,
 * as window_close gives it. */
#define SQL_WINDOW(d)                                                                                         \
    "CASE WHEN substr(" d ", 6, 2) < '02' THEN substr(" d ", 1, 4) || '-02-01' WHEN substr(" d ", 6, 2) < '09' " \
    "THEN substr(" d ", 1, 4) || '-09-01' ELSE CAST(CAST(substr(" d ", 1, 4) AS INTEGER) + 1 AS TEXT) || '-02-01' END"

/* Stories whose destination is the player's own club: none of the story's
 * reports names his club, and a report of another of his moves, in a window
 * the story was reported in, names the destination as the club he is at
 * ("Manchester United dismissed interest from ..." read as a move to
 * United, beside "West Ham want United's X"). Such a story is no move: it
 * fails with that reason, above anything else but a report that it was
 * done. Of `player`, or every player when 0. */
static int fail_own_club(radar_store *st, long long player)
{
#define OWN_CLUB                                                                                                   \
    "SELECT s.id, s.to_club, m.date, a.id, t.to_club, " EVIDENCE_SPAN " FROM stories s JOIN stories t ON "      \
    "t.player = s.player AND t.id != s.id JOIN mentions m ON m.story = t.id AND m.from_club = s.to_club AND "     \
    "m.date IS NOT NULL AND coalesce(m.stage, 'none') != 'none' JOIN articles a ON a.rowid = m.article WHERE "   \
    "(?1 = 0 OR s.player = ?1) AND NOT EXISTS (SELECT 1 FROM mentions o WHERE o.story = s.id AND o.from_club IS " \
    "NOT NULL) AND NOT EXISTS (SELECT 1 FROM resolutions r WHERE r.story = s.id AND r.outcome = 'done') AND "     \
    "EXISTS (SELECT 1 FROM mentions o WHERE o.story = s.id AND o.date IS NOT NULL AND coalesce(o.stage, "        \
    "'none') != 'none' AND " SQL_WINDOW("o.date") " = " SQL_WINDOW("m.date") ") ORDER BY s.id, " STORE_MENTION_ORDER
    radar_sql_stmt *s;
    int rc = player ? radar_store_cached(st, OWN_CLUB, &s) : radar_store_prepare(st, OWN_CLUB, &s);
#undef OWN_CLUB
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    /* all of them first: the statement is not reset by the writes */
    struct own {
        long long story;
        char *how, *date, *article;
        long long start, end;
    } *own = NULL;
    size_t n = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        long long id = radar_sql_column_int64(s, 0);
        if (n && own[n - 1].story == id)
            continue; /* its first such report */
        if ((rc = radar_grow((void **)&own, &cap, n + 1, sizeof *own, 8)))
            break;
        struct own *o = &own[n++];
        char how[RADAR_MAX_REASON];
        const char *date = (const char *)radar_sql_column_text(s, 2), *article = (const char *)radar_sql_column_text(s, 3);
        snprintf(how, sizeof how, "not a move: %.80s is his own club, as a report of %s (article %.80s, on a move to %.80s) says",
                 (const char *)radar_sql_column_text(s, 1), date, article, (const char *)radar_sql_column_text(s, 4));
        o->story = id;
        o->how = strdup(how);
        o->date = strdup(date);
        o->article = strdup(article);
        o->start = radar_sql_column_type(s, 5) == RADAR_SQL_NULL ? -1 : radar_sql_column_int64(s, 5);
        o->end = radar_sql_column_type(s, 6) == RADAR_SQL_NULL ? -1 : radar_sql_column_int64(s, 6);
        if (!o->how || !o->date || !o->article)
            rc = RADAR_ENOMEM;
    }
    if (player)
        radar_sql_reset(s);
    else
        radar_sql_finalize(s);
    for (size_t i = 0; i < n && !rc; i++) {
        evidence_ref ev = {own[i].article, own[i].start, own[i].end};
        rc = put_resolution(st, own[i].story, own[i].date, "failed", own[i].how, "own_club", ev);
    }
    for (size_t i = 0; i < n; i++) {
        free(own[i].how);
        free(own[i].date);
        free(own[i].article);
    }
    free(own);
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
/* every dated report of a move, with its sentence and whether its article
 * says a club will not sell (see report_kind) */
#define REPORT_ROWS                                                                                                   \
    "SELECT m.story, s.player, m.date, s.to_club, p.name, a.id, m.stage, " MENTION_SENTENCE ", EXISTS (SELECT 1 FROM facts f WHERE f.article = m.article " \
    "AND f.type = 'stance' AND f.value = 'reluctant to sell'), " EVIDENCE_SPAN " FROM mentions m JOIN stories s ON "  \
    "s.id = m.story JOIN players p ON p.id = s.player JOIN articles a ON a.rowid = m.article WHERE m.date IS NOT "   \
    "NULL AND m.stage IS NOT NULL AND m.stage != 'none'"
/* The status the resolutions give: done wins, then no move (the destination
 * is his own club); else the latest, unless the move was reported again
 * after it (a report with a stage, not a name in passing): open again. */
#define SET_OUTCOME                                                                                                   \
    "UPDATE stories SET outcome = coalesce((SELECT CASE WHEN r.outcome = 'done' OR r.origin = 'own_club' THEN "     \
    "r.outcome WHEN EXISTS (SELECT 1 FROM mentions m WHERE m.story = stories.id AND m.date > r.ended AND "           \
    "coalesce(m.stage, 'none') != 'none') THEN 'open' ELSE r.outcome END FROM resolutions r WHERE r.story = "      \
    "stories.id ORDER BY " RESOLUTION_ORDER " LIMIT 1), 'open')"
/* and the resolution it rests on (for an open story: the one it reopened after) */
#define SET_REASON                                                                                                    \
    "UPDATE stories SET (outcome_on, outcome_how, outcome_article, outcome_start, outcome_end) = (SELECT r.ended, "   \
    "r.how, r.article, r.span_start, r.span_end FROM resolutions r WHERE r.story = stories.id ORDER BY "          \
    RESOLUTION_ORDER " LIMIT 1)"

/* Imported outcomes first (they are facts), then what the articles report:
 * moves signed, moves that ended, windows closed. Every resolution of a
 * story depends on its player's outcomes, stories and mentions only, so
 * resolving some players gives what resolving all would give them. */
int radar_store_resolve_all(radar_store *st)
{
    int rc = radar_store_exec(st, "DELETE FROM resolutions");
    if (rc)
        return rc;
    radar_sql_stmt *s;
    if ((rc = radar_store_prepare(st, OUTCOME_ROWS " ORDER BY date, id", &s)))
        return rc;
    while (!rc && radar_store_row(st, s, &rc, "resolving stories")) {
        long long ids[RADAR_MAX_NAMESAKES];
        int n;
        rc = radar_store_players_named(st, (const char *)radar_sql_column_text(s, 0), 0, NULL, ids, RADAR_MAX_NAMESAKES, &n, NULL);
        for (int i = 0; i < n && !rc; i++)
            rc = apply_outcome(st, s, ids[i]);
    }
    radar_sql_finalize(s);
    if (rc || (rc = radar_store_prepare(st, REPORT_ROWS " ORDER BY m.story, " STORE_MENTION_ORDER, &s)))
        return rc;
    rc = apply_reports(st, s);
    radar_sql_finalize(s);
    if (!rc)
        rc = done_by_loan(st, 0);
    if (!rc)
        rc = fail_own_club(st, 0);
    long closed;
    if (!rc && !(rc = radar_store_closed_windows(st, &closed)))
        rc = close_windows(st, 0, closed);
    if (!rc)
        rc = radar_store_exec(st, SET_OUTCOME);
    return rc ? rc : radar_store_exec(st, SET_REASON);
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
    radar_sql_stmt *s;
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
        refs[n_refs].row = radar_sql_column_int64(s, 0);
        rc = radar_store_players_named(st, (const char *)radar_sql_column_text(s, 1), 0, NULL, refs[n_refs].ids, RADAR_MAX_NAMESAKES, &refs[n_refs].n, NULL);
        n_refs++;
    }
    radar_sql_finalize(s);
    radar_sql_stmt *del, *row, *rep, *out, *why;
    if (!rc && !(rc = radar_store_cached(st, "DELETE FROM resolutions WHERE story IN (SELECT id FROM stories WHERE player = ?1)",
                                   &del)) &&
        !(rc = radar_store_cached(st, OUTCOME_ROWS " WHERE id = ?1", &row)) &&
        !(rc = radar_store_cached(st, REPORT_ROWS " AND s.player = ?1 ORDER BY m.story, " STORE_MENTION_ORDER, &rep)) &&
        !(rc = radar_store_cached(st, SET_OUTCOME " WHERE player = ?1", &out)))
        rc = radar_store_cached(st, SET_REASON " WHERE player = ?1", &why);
    long closed = -1;
    if (!rc)
        rc = radar_store_closed_windows(st, &closed);
    for (size_t k = 0; k < n_players && !rc; k++) {
        long long player = players[k];
        radar_sql_bind_int64(del, 1, player);
        if ((rc = radar_store_step_done(st, del, "resolving stories")))
            break;
        for (size_t r = 0; r < n_refs && !rc; r++) {
            if (!has_id(refs[r].ids, refs[r].n, player))
                continue;
            radar_sql_reset(row);
            radar_sql_bind_int64(row, 1, refs[r].row);
            if (radar_store_row(st, row, &rc, "resolving stories"))
                rc = apply_outcome(st, row, player);
        }
        radar_sql_reset(row);
        if (!rc) {
            radar_sql_bind_int64(rep, 1, player);
            rc = apply_reports(st, rep);
        }
        if (!rc)
            rc = done_by_loan(st, player);
        if (!rc)
            rc = fail_own_club(st, player);
        if (!rc)
            rc = close_windows(st, player, closed);
        if (!rc) {
            radar_sql_bind_int64(out, 1, player);
            rc = radar_store_step_done(st, out, "resolving stories");
        }
        if (!rc) {
            radar_sql_bind_int64(why, 1, player);
            rc = radar_store_step_done(st, why, "resolving stories");
        }
    }
    free(refs);
    return rc;
}

