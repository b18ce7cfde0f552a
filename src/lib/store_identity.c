/*
 * store_identity.c - what the store knows of a player that a name alone
 * does not say: the clubs he has been seen at, the players a slip in a
 * surname hides from the surname index, and which of two forms of his name
 * one slip apart is written most (a source's typo should not name him);
 * and his club at a date, which is never his destination at that date.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/grow.h"
#include "identity.h"
#include "radar/error.h"
#include "radar/people.h"
#include "radar/limits.h"
#include "store_internal.h"

int radar_store_players_by_first(radar_store *st, const char *key, radar_sql_stmt **s)
{
    static const char sql[] = "SELECT id, key, birth_year, club, name FROM players WHERE key >= ?1 AND key < ?2 "
                              "ORDER BY id LIMIT 200";
    *s = NULL;
    size_t n = strcspn(key, " ");
    if (!key[n])
        return 0;
    char lo[128], hi[128];
    if (n + 2 > sizeof lo)
        return 0;
    memcpy(lo, key, n + 1); /* "mika " up to "mika!" : every key whose first word is mika */
    lo[n + 1] = '\0';
    memcpy(hi, lo, n + 2);
    hi[n] = ' ' + 1;
    int rc = radar_store_cached(st, sql, s);
    if (rc)
        return rc;
    radar_sql_bind_text(*s, 1, lo, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(*s, 2, hi, -1, RADAR_SQL_TRANSIENT);
    return 0;
}

int radar_store_club_seen(radar_store *st, long long id, const char *club, const char *to_club, int *score)
{
    /* the same club, or the same move reported under both forms */
    static const char sql[] = "SELECT EXISTS(SELECT 1 FROM mentions WHERE player = ?1 AND (from_club = ?2 OR "
                              "to_club = ?3))";
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, sql, &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, id);
    if (club)
        radar_sql_bind_text(s, 2, club, -1, RADAR_SQL_TRANSIENT);
    if (to_club)
        radar_sql_bind_text(s, 3, to_club, -1, RADAR_SQL_TRANSIENT);
    int seen = 0;
    if (radar_store_row(st, s, &rc, "looking up a player's clubs"))
        seen = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    if (!rc && !seen)
        *score = -1;
    return rc;
}

/* Mentions of player `id` written exactly `name`. */
static int mentions_written(radar_store *st, long long id, const char *name, int *n)
{
    static const char sql[] = "SELECT count(*) FROM mentions m JOIN stories s ON s.id = m.story "
                              "WHERE s.player = ?1 AND m.player_name = ?2";
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, sql, &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, id);
    radar_sql_bind_text(s, 2, name, -1, RADAR_SQL_TRANSIENT);
    *n = 0;
    if (radar_store_row(st, s, &rc, "counting a player's names"))
        *n = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    return rc;
}

int radar_store_prefer_name(radar_store *st, long long id, const char *name, const char *key)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "SELECT name, key FROM players WHERE id = ?1", &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, id);
    char old[256] = "", old_key[256] = "";
    if (radar_store_row(st, s, &rc, "reading a player")) {
        snprintf(old, sizeof old, "%s", (const char *)radar_sql_column_text(s, 0));
        snprintf(old_key, sizeof old_key, "%s", (const char *)radar_sql_column_text(s, 1));
    }
    radar_sql_reset(s);
    if (rc || !*old || !strcmp(old_key, key) || radar_identity_names(old_key, key) != ID_SLIP)
        return rc;
    int n_old, n_new;
    if ((rc = mentions_written(st, id, old, &n_old)) || (rc = mentions_written(st, id, name, &n_new)))
        return rc;
    /* the form written most names him; of two written as often, the longer,
     * then the first in byte order, so that the order of ingests does not matter */
    n_new++;
    if (n_new < n_old || (n_new == n_old && (strlen(name) < strlen(old) ||
                                             (strlen(name) == strlen(old) && strcmp(name, old) >= 0))))
        return 0;
    if ((rc = radar_store_cached(st, "UPDATE players SET name = ?2, key = ?3, surname = ?4 WHERE id = ?1", &s)))
        return rc;
    radar_sql_bind_int64(s, 1, id);
    radar_sql_bind_text(s, 2, name, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(s, 3, key, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(s, 4, radar_store_last_word(key), -1, RADAR_SQL_TRANSIENT);
    return radar_store_step_done(st, s, "renaming a player");
}

/* ---- a player's club at a date is no destination ------------------------------ */

/* How long a club the articles give a player stays his club for this rule:
 * a report of his club holds for the weeks after it, not for the next window. */
#define OWN_CLUB_DAYS "60"

int radar_store_own_club(radar_store *st, long long player, const char *to_club, const char *date, int *own)
{
    static const char sql[] = "SELECT EXISTS(SELECT 1 FROM mentions m JOIN stories s ON s.id = m.story "
                              "WHERE s.player = ?1 AND m.from_club = ?2 AND m.date BETWEEN date(?3, '-" OWN_CLUB_DAYS
                              " days') AND ?3)";
    *own = 0;
    if (!to_club || !date)
        return 0;
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, sql, &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, to_club, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(s, 3, date, -1, RADAR_SQL_TRANSIENT);
    if (radar_store_row(st, s, &rc, "looking up a player's club"))
        *own = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    if (!rc && !*own)
        rc = radar_store_registry_own_club(st, player, to_club, date, own);
    return rc;
}

int radar_store_drop_own_club(radar_store *st, long long player, const char *from_club, const char *date,
                              long long *stories, size_t max, size_t *n)
{
    static const char find[] = "SELECT m.id, m.story FROM mentions m JOIN stories s ON s.id = m.story "
                               "WHERE s.player = ?1 AND s.to_club = ?2 AND m.date BETWEEN ?3 AND date(?3, '+" OWN_CLUB_DAYS
                               " days') LIMIT ?4";
    static const char drop[] = "DELETE FROM mentions WHERE id = ?1";
    *n = 0;
    if (!from_club || !date)
        return 0;
    radar_sql_stmt *s, *d;
    int rc = radar_store_cached(st, find, &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, from_club, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(s, 3, date, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_int64(s, 4, (sqlite3_int64)max);
    long long ids[RADAR_MAX_RUMOURS_PER_ARTICLE];
    size_t k = 0;
    while (k < max && k < RADAR_MAX_RUMOURS_PER_ARTICLE && radar_store_row(st, s, &rc, "looking up a player's moves")) {
        ids[k] = radar_sql_column_int64(s, 0);
        stories[k++] = radar_sql_column_int64(s, 1);
    }
    radar_sql_reset(s);
    for (size_t i = 0; i < k && !rc; i++)
        if (!(rc = radar_store_cached(st, drop, &d))) {
            radar_sql_bind_int64(d, 1, ids[i]);
            rc = radar_store_step_done(st, d, "dropping a move to a player's own club");
        }
    if (!rc)
        *n = k;
    return rc;
}

/* ---- the forms of a player's name ----------------------------------------------------- */

int radar_store_player_names(radar_store *st, long long player, radar_names *out)
{
    out->v = NULL;
    out->n = 0;
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 "SELECT m.player_name, count(*) AS n FROM mentions m JOIN stories s ON s.id = m.story "
                                 "WHERE s.player = ?1 GROUP BY m.player_name ORDER BY n DESC, m.player_name",
                                 &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    size_t cap = 0;
    while (radar_store_row(st, s, &rc, "reading a player's names")) {
        char *name = strdup((const char *)radar_sql_column_text(s, 0));
        if (!name || radar_grow((void **)&out->v, &cap, out->n + 1, sizeof *out->v, 4)) {
            free(name);
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            break;
        }
        out->v[out->n++] = name;
    }
    radar_sql_finalize(s);
    return rc;
}

void radar_names_free(radar_names *n)
{
    for (size_t i = 0; n && i < n->n; i++)
        free(n->v[i]);
    if (n) {
        free(n->v);
        n->v = NULL;
        n->n = 0;
    }
}
