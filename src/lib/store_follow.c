/*
 * store_follow.c - the clubs and players followed, and the changes of their
 * stories (see radar/follow.h).
 *
 * A followed club matches the stories it buys or sells in (its canonical
 * name, as the board's club filter); a followed player the stories of the
 * stored players the `radar player` question finds by that name. Each
 * followed story's "told stage" is compared with the one remembered in
 * follow_told: a story missing there is new, another stage is a change.
 * Remembering happens after the change was told, so a change whose
 * delivery was cut short is told again next time rather than lost.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/follow.h"
#include "radar/limits.h"
#include "../util/grow.h"
#include "store_internal.h"

/* The stage a change tells: the story's stage (an ending when the latest
 * report is one, signed when done). */
#define TOLD_STAGE STORE_STORY_STAGE

/* The followed stories, with the names of the follows each matches (one per
 * line). The players' match is the `radar player` question's. */
#define FOLLOWED_STORIES                                                                                           \
    "WITH m(story, name) AS ("                                                                                   \
    " SELECT s.id, f.name FROM follows f JOIN stories s ON s.to_club = f.key WHERE f.kind = 'club'"              \
    " UNION SELECT s.id, f.name FROM follows f JOIN stories s ON s.from_club = f.key WHERE f.kind = 'club'"       \
    " UNION SELECT s.id, f.name FROM follows f JOIN players p ON p.key = f.key OR p.surname = f.key"             \
    "   OR p.key LIKE '% ' || f.key JOIN stories s ON s.player = p.id WHERE f.kind = 'player')"                  \
    " SELECT story, group_concat(name, char(10)) AS names FROM m GROUP BY story"

static char *dup_text(radar_sql_stmt *s, int i)
{
    const char *t = (const char *)radar_sql_column_text(s, i);
    return t ? strdup(t) : NULL;
}

const char *radar_follow_kind_name(radar_follow_kind k) { return k == RADAR_FOLLOW_PLAYER ? "player" : "club"; }

/* The key a follow is matched by: a club's canonical name, a player's folded one. */
static void follow_key(const radar_store *st, const char *name, radar_follow_kind kind, char *key, size_t cap,
                       char *shown, size_t shown_cap)
{
    if (kind == RADAR_FOLLOW_CLUB) {
        radar_store_canonical_club(st, name, key, cap);
        snprintf(shown, shown_cap, "%s", key);
    } else {
        radar_store_name_key(name, key, cap);
        snprintf(shown, shown_cap, "%s", name);
    }
}

static int count_where(radar_store *st, const char *sql, const char *key, long long *n)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, sql, &s);
    if (rc)
        return rc;
    if (key)
        radar_store_bind_text(s, 1, key);
    *n = radar_store_row(st, s, &rc, "counting stories") ? radar_sql_column_int64(s, 0) : 0;
    radar_sql_finalize(s);
    return rc;
}

/* The stories a follow matches now. */
static int follow_stories(radar_store *st, radar_follow_kind kind, const char *key, long long *n)
{
    if (kind == RADAR_FOLLOW_CLUB)
        return count_where(st, "SELECT count(*) FROM stories WHERE to_club = ?1 OR from_club = ?1", key, n);
    return count_where(st,
                       "SELECT count(*) FROM stories s JOIN players p ON p.id = s.player WHERE p.key = ?1 OR "
                       "p.surname = ?1 OR p.key LIKE '% ' || ?1",
                       key, n);
}

/* Does the lexicon know `name` as a club, or a stored story name it? */
static int known_club(radar_store *st, const char *name, int *yes)
{
    *yes = radar_store_is_club(st, name);
    if (*yes)
        return 0;
    long long n = 0;
    int rc = count_where(st, "SELECT count(*) FROM (SELECT 1 FROM stories WHERE to_club = ?1 OR from_club = ?1 LIMIT 1) AS x",
                         name, &n);
    *yes = n > 0;
    return rc;
}

static int known_player(radar_store *st, const char *name, int *yes)
{
    char key[RADAR_MAX_FOLLOW_NAME + 1];
    radar_store_name_key(name, key, sizeof key);
    long long n = 0;
    int rc = count_where(st,
                         "SELECT count(*) FROM (SELECT 1 FROM players WHERE key = ?1 OR surname = ?1 OR key LIKE "
                         "'% ' || ?1 LIMIT 1) AS x",
                         key, &n);
    *yes = n > 0;
    return rc;
}

static int check_name(const char *name)
{
    size_t len = strlen(name);
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (!len || name[0] == ' ' || name[0] == '\t')
        return radar_error_set(RADAR_EINVALID, "follow: a club or player name, without spaces around it, not '%s'",
                               name);
    if (len > RADAR_MAX_FOLLOW_NAME)
        return radar_error_set(RADAR_EINVALID, "follow: a name of at most %d bytes", RADAR_MAX_FOLLOW_NAME);
    return 0;
}

int radar_follow_add(radar_store *st, const char *name, radar_follow_kind kind, radar_follow *out)
{
    int rc = check_name(name);
    if (rc)
        return rc;
    if (kind == RADAR_FOLLOW_GUESS) {
        int club = 0, player = 0;
        if ((rc = known_club(st, name, &club)) || (!club && (rc = known_player(st, name, &player))))
            return rc;
        if (!club && !player)
            return radar_error_set(RADAR_ENOTFOUND,
                                   "follow: no club or player called '%s' is known yet; say which it is (--club or "
                                   "--player) to follow it before it appears",
                                   name);
        kind = club ? RADAR_FOLLOW_CLUB : RADAR_FOLLOW_PLAYER;
    }
    char key[RADAR_MAX_FOLLOW_NAME + 1];
    radar_follow f = {0};
    f.kind = kind;
    follow_key(st, name, kind, key, sizeof key, f.name, sizeof f.name);
    if (!key[0])
        return radar_error_set(RADAR_EINVALID, "follow: '%s' has no letters to match a name by", name);
    long long n = 0;
    radar_sql_stmt *s = NULL;
    if ((rc = radar_store_exec(st, "BEGIN IMMEDIATE")))
        return rc;
    if ((rc = count_where(st, "SELECT count(*) FROM follows", NULL, &n)))
        goto fail;
    if (n >= RADAR_MAX_FOLLOWS) {
        rc = radar_error_set(RADAR_ETOOLARGE, "follow: at most %d clubs and players can be followed", RADAR_MAX_FOLLOWS);
        goto fail;
    }
    if ((rc = radar_store_prepare(st, "INSERT OR IGNORE INTO follows(kind, name, key) VALUES (?1, ?2, ?3)", &s)))
        goto fail;
    radar_store_bind_text(s, 1, radar_follow_kind_name(kind));
    radar_store_bind_text(s, 2, f.name);
    radar_store_bind_text(s, 3, key);
    rc = radar_store_step_done(st, s, "adding a follow");
    radar_sql_finalize(s);
    s = NULL;
    if (rc)
        goto fail;
    /* its stories as they are now count as told: only what changes from
     * here on is news */
    if ((rc = radar_store_prepare(st,
                                  "INSERT OR REPLACE INTO follow_told(story, stage) SELECT s.id, " TOLD_STAGE
                                  " FROM stories s WHERE s.id IN (SELECT story FROM (" FOLLOWED_STORIES ") AS f) AND "
                                  "s.id NOT IN (SELECT story FROM follow_told)",
                                  &s)))
        goto fail;
    rc = radar_store_step_done(st, s, "remembering a follow's stories");
    radar_sql_finalize(s);
    s = NULL;
    if (rc || (rc = radar_store_prepare(st, "SELECT id, name FROM follows WHERE kind = ?1 AND key = ?2", &s)))
        goto fail;
    radar_store_bind_text(s, 1, radar_follow_kind_name(kind));
    radar_store_bind_text(s, 2, key);
    if (radar_store_row(st, s, &rc, "reading a follow")) {
        f.id = radar_sql_column_int64(s, 0);
        snprintf(f.name, sizeof f.name, "%s", (const char *)radar_sql_column_text(s, 1));
    }
    radar_sql_finalize(s);
    s = NULL;
    if (rc || (rc = follow_stories(st, kind, key, &f.stories)) || (rc = radar_store_exec(st, "COMMIT")))
        goto fail;
    if (out)
        *out = f;
    return 0;
fail:
    radar_sql_finalize(s);
    radar_sql_rollback(&st->conn);
    return rc;
}

int radar_follow_remove(radar_store *st, const char *name, radar_follow *out)
{
    int rc = check_name(name);
    if (rc)
        return rc;
    /* a club first, as radar_follow_add guesses */
    for (int k = RADAR_FOLLOW_CLUB; k <= RADAR_FOLLOW_PLAYER; k++) {
        char key[RADAR_MAX_FOLLOW_NAME + 1];
        radar_follow f = {0};
        f.kind = (radar_follow_kind)k;
        follow_key(st, name, f.kind, key, sizeof key, f.name, sizeof f.name);
        radar_sql_stmt *s;
        if ((rc = radar_store_prepare(st, "DELETE FROM follows WHERE kind = ?1 AND key = ?2 RETURNING id, name", &s)))
            return rc;
        radar_store_bind_text(s, 1, radar_follow_kind_name(f.kind));
        radar_store_bind_text(s, 2, key);
        int found = radar_store_row(st, s, &rc, "removing a follow");
        if (found) {
            f.id = radar_sql_column_int64(s, 0);
            snprintf(f.name, sizeof f.name, "%s", (const char *)radar_sql_column_text(s, 1));
            while (radar_store_row(st, s, &rc, "removing a follow"))
                ;
        }
        radar_sql_finalize(s);
        if (rc)
            return rc;
        if (found) {
            if (out)
                *out = f;
            return 0;
        }
    }
    return radar_error_set(RADAR_ENOTFOUND, "follow: '%s' is not followed (radar follow list shows what is)", name);
}

int radar_follow_list(radar_store *st, radar_follow **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT id, kind, name, key FROM follows ORDER BY kind = 'player', name", &s);
    if (rc)
        return rc;
    radar_follow *v = NULL;
    size_t cap = 0, k = 0;
    while (radar_store_row(st, s, &rc, "listing follows")) {
        if ((rc = radar_grow((void **)&v, &cap, k + 1, sizeof *v, 16)))
            break;
        radar_follow *f = &v[k++];
        memset(f, 0, sizeof *f);
        f->id = radar_sql_column_int64(s, 0);
        f->kind = strcmp((const char *)radar_sql_column_text(s, 1), "player") ? RADAR_FOLLOW_CLUB : RADAR_FOLLOW_PLAYER;
        snprintf(f->name, sizeof f->name, "%s", (const char *)radar_sql_column_text(s, 2));
    }
    radar_sql_finalize(s);
    for (size_t i = 0; i < k && !rc; i++) {
        char key[RADAR_MAX_FOLLOW_NAME + 1], shown[RADAR_MAX_FOLLOW_NAME + 1];
        follow_key(st, v[i].name, v[i].kind, key, sizeof key, shown, sizeof shown);
        rc = follow_stories(st, v[i].kind, key, &v[i].stories);
    }
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return 0;
}

/* ---- names, for completion ---- */

int radar_store_names(radar_store *st, radar_follow_kind kind, const char *prefix, int limit, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* the prefix as a LIKE pattern: its own % and _ taken literally */
    char pattern[2 * RADAR_MAX_FOLLOW_NAME + 2];
    size_t k = 0;
    for (const char *p = prefix; *p && k + 3 < sizeof pattern; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            pattern[k++] = '\\';
        pattern[k++] = *p;
    }
    pattern[k++] = '%';
    pattern[k] = '\0';
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 kind == RADAR_FOLLOW_PLAYER
                                     ? "SELECT DISTINCT name FROM players WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name "
                                       "LIMIT ?2"
                                     : "SELECT to_club FROM stories WHERE to_club LIKE ?1 ESCAPE '\\' UNION SELECT "
                                       "from_club FROM stories WHERE from_club LIKE ?1 ESCAPE '\\' ORDER BY 1 LIMIT ?2",
                                 &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, pattern);
    radar_sql_bind_int(s, 2, limit > 0 ? limit : 1000);
    char **v = NULL;
    size_t cap = 0, m = 0;
    while (radar_store_row(st, s, &rc, "listing names")) {
        if ((rc = radar_grow((void **)&v, &cap, m + 1, sizeof *v, 64)))
            break;
        if (!(v[m] = dup_text(s, 0))) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            break;
        }
        m++;
    }
    radar_sql_finalize(s);
    if (rc) {
        radar_store_names_free(v, m);
        return rc;
    }
    *out = v;
    *n = m;
    return 0;
}

void radar_store_names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---- changes ---- */

typedef struct pending {
    long long story;
    char *names;    /* the follows it matches, one per line (then split in place) */
    char *previous; /* NULL: a new story */
    char stage[16];
} pending;

static void pending_free(pending *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].names);
        free(v[i].previous);
    }
    free(v);
}


/* Remember that story was told at `stage`. */
static int remember(radar_store *st, long long story, const char *stage)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "INSERT OR REPLACE INTO follow_told(story, stage) VALUES (?1, ?2)", &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, story);
    radar_store_bind_text(s, 2, stage);
    return radar_store_step_done(st, s, "remembering a change told");
}

/* Reset every statement of the handle still stepping: the questions keep
 * some between calls, stopped after their first row, and one left so holds
 * a read transaction open, which the next write would run inside of. */
static void settle(radar_store *st)
{
    /* (a PostgreSQL statement holds no transaction open: its rows are read whole) */
    for (sqlite3_stmt *s = st->db ? sqlite3_next_stmt(st->db, NULL) : NULL; s; s = sqlite3_next_stmt(st->db, s))
        if (sqlite3_stmt_busy(s))
            sqlite3_reset(s);
}

/* Tell one change: the story as the board shows it, and its latest report. */
static int tell(radar_store *st, const pending *p, radar_change_fn fn, void *user)
{
    radar_story_detail *d = NULL;
    int rc = radar_store_story_read(st, p->story, &d);
    settle(st);
    if (rc == RADAR_ENOTFOUND)
        return 0; /* gone meanwhile */
    if (rc)
        return rc;
    const char *followed[64];
    size_t nf = 0;
    for (char *line = p->names, *next; line && nf < 64; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        followed[nf++] = line;
    }
    radar_change c = {p->previous ? RADAR_CHANGE_STAGE : RADAR_CHANGE_NEW_STORY, &d->story, p->stage, p->previous,
                      followed, nf, NULL};
    /* the timeline is oldest first: the latest report is the last dated one */
    for (size_t i = 0; i < d->n_timeline; i++)
        if (!c.latest || (d->timeline[i].date && (!c.latest->date || strcmp(d->timeline[i].date, c.latest->date) >= 0)))
            c.latest = &d->timeline[i];
    rc = fn(user, &c);
    radar_story_detail_free(d);
    return rc;
}

int radar_follow_changes(radar_store *st, radar_change_fn fn, void *user, radar_change_counts *counts)
{
    long long follows = 0;
    int rc = count_where(st, "SELECT count(*) FROM follows", NULL, &follows);
    if (rc || !follows)
        return rc;
    radar_sql_stmt *s;
    if ((rc = radar_store_prepare(st,
                                  "SELECT m.story, m.names, " TOLD_STAGE ", t.stage FROM (" FOLLOWED_STORIES
                                  ") AS m JOIN stories s ON s.id = m.story LEFT JOIN follow_told t ON "
                                  "t.story = m.story WHERE t.stage IS NULL OR t.stage != " TOLD_STAGE
                                  " ORDER BY m.story",
                                  &s)))
        return rc;
    pending *v = NULL;
    size_t n = 0, cap = 0;
    while (radar_store_row(st, s, &rc, "finding the changes of followed stories")) {
        if ((rc = radar_grow((void **)&v, &cap, n + 1, sizeof *v, 16)))
            break;
        pending *p = &v[n++];
        memset(p, 0, sizeof *p);
        p->story = radar_sql_column_int64(s, 0);
        p->names = dup_text(s, 1);
        snprintf(p->stage, sizeof p->stage, "%s", (const char *)radar_sql_column_text(s, 2));
        p->previous = dup_text(s, 3);
        if (!p->names) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            break;
        }
    }
    radar_sql_finalize(s);
    if (rc) {
        pending_free(v, n);
        return rc;
    }
    /* each told change is remembered at once (a stop half-way tells the
     * rest next time, and none twice); those past the limit in one go */
    for (size_t i = 0; i < n && i < RADAR_MAX_ALERTS && !rc; i++) {
        if (!(rc = tell(st, &v[i], fn, user)) && !(rc = remember(st, v[i].story, v[i].stage)) && counts)
            counts->told++;
    }
    if (!rc && n > RADAR_MAX_ALERTS && !(rc = radar_store_exec(st, "BEGIN IMMEDIATE"))) {
        for (size_t i = RADAR_MAX_ALERTS; i < n && !rc; i++)
            rc = remember(st, v[i].story, v[i].stage);
        if (rc || (rc = radar_store_exec(st, "COMMIT")))
            radar_sql_rollback(&st->conn);
        else if (counts)
            counts->dropped += (long long)(n - RADAR_MAX_ALERTS);
    }
    pending_free(v, n);
    return rc;
}
