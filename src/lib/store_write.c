/*
 * store_write.c - writing the rumour store: transactions, articles, players
 * and stories.
 *
 * A put stores the article row (and its search index and sketch), then one
 * mention per rumour, linked to a player by the one identity rule below and
 * to the story of that player and destination club, then the article's
 * facts. The summaries of the stories touched are recomputed once, at
 * commit, however many mentions they received.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "identity.h"
#include "store_internal.h"
#include "db_pg.h"

/* ---- transactions ------------------------------------------------------------- */

int radar_store_begin(radar_store *st)
{
    st->n_dirty = 0;
    st->new_stories = 0;
    int rc = radar_store_exec(st, "BEGIN IMMEDIATE");
    if (rc || !st->prints_from)
        return rc;
    /* the sketches kept in memory hold only while no one else writes */
    radar_sql_stmt *s;
    if ((rc = radar_store_cached(st, "PRAGMA data_version", &s))) {
        radar_sql_rollback(&st->conn);
        return rc;
    }
    long long v = radar_store_row(st, s, &rc, "beginning a transaction") ? radar_sql_column_int64(s, 0) : -1;
    radar_sql_reset(s);
    if (rc) {
        radar_sql_rollback(&st->conn);
        return rc;
    }
    if (v != st->data_version || v < 0)
        radar_store_forget_prints(st);
    return 0;
}

static int update_story(radar_store *st, long long story);

/* Recompute every story touched in this transaction, once each. */
static int flush_dirty(radar_store *st)
{
    if (st->n_dirty)
        qsort(st->dirty, st->n_dirty, sizeof *st->dirty, radar_store_cmp_ll);
    for (size_t i = 0; i < st->n_dirty; i++) {
        if (i && st->dirty[i] == st->dirty[i - 1])
            continue;
        int rc = update_story(st, st->dirty[i]);
        if (rc)
            return rc;
    }
    st->n_dirty = 0;
    /* stories left with no mention (an article updated away from them) go;
     * that scan is needed only after an update */
    long long gone = 0;
    if (st->updated) {
        int rc = radar_store_exec(st, "DELETE FROM stories WHERE n_mentions = 0 AND id NOT IN (SELECT story FROM mentions)");
        if (rc)
            return rc;
        gone = radar_sql_changes(&st->conn);
        st->updated = 0;
        if (gone)
            st->stale_at_open = 1; /* the shares of vanished stories: the next rescore is a full one */
    }
    if (st->changed) { /* outcomes and likelihoods are now behind the articles */
        int rc = radar_store_exec(st, "UPDATE meta SET value = 1 WHERE key = 'scores_stale' AND value = 0");
        if (rc)
            return rc;
        st->changed = 0;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = value + %lld WHERE key = 'stories'", st->new_stories - gone);
    st->new_stories = 0;
    return radar_store_exec(st, sql);
}

int radar_store_commit(radar_store *st)
{
    int rc = flush_dirty(st);
    if (!rc)
        rc = radar_store_exec(st, "COMMIT");
    if (rc) {
        radar_sql_rollback(&st->conn);
        radar_store_forget_prints(st);
    }
    st->n_dirty = 0;
    return rc;
}

void radar_store_rollback(radar_store *st)
{
    st->n_dirty = 0;
    st->new_stories = 0;
    radar_sql_rollback(&st->conn);
    radar_store_forget_prints(st);
}

static int mark_dirty(radar_store *st, long long story)
{
    int rc = radar_grow((void **)&st->dirty, &st->cap_dirty, st->n_dirty + 1, sizeof *st->dirty, 1024);
    if (!rc)
        st->dirty[st->n_dirty++] = story;
    return rc;
}

static int stage_rank(const char *stage)
{
    for (int i = 0; i < RADAR_STAGE_COUNT; i++)
        if (!strcmp(stage, radar_stage_name((radar_stage)i)))
            return i;
    return 0;
}

/* Yearly average rates to euros (ECB reference rates, annual means, rounded):
 * a fee reported in pounds or dollars gets a EUR figure at its article's year. */
static double to_eur(double amount, const char *currency, const char *date)
{
    static const struct { int year; double gbp, usd; } rates[] = {
        {2000, 1.642, 1.085}, {2001, 1.609, 1.117}, {2002, 1.591, 1.057}, {2003, 1.446, 0.885},
        {2004, 1.474, 0.805}, {2005, 1.463, 0.804}, {2006, 1.467, 0.797}, {2007, 1.462, 0.731},
        {2008, 1.258, 0.683}, {2009, 1.123, 0.719}, {2010, 1.166, 0.755}, {2011, 1.152, 0.719},
        {2012, 1.233, 0.778}, {2013, 1.178, 0.753}, {2014, 1.241, 0.754}, {2015, 1.378, 0.902},
        {2016, 1.224, 0.904}, {2017, 1.141, 0.887}, {2018, 1.130, 0.847}, {2019, 1.140, 0.893},
        {2020, 1.125, 0.877}, {2021, 1.163, 0.846}, {2022, 1.173, 0.951}, {2023, 1.150, 0.925},
        {2024, 1.181, 0.924}, {2025, 1.170, 0.885}, {2026, 1.160, 0.870}};
    if (!strcmp(currency, "EUR"))
        return amount;
    int year = date ? atoi(date) : 0;
    size_t n = sizeof rates / sizeof *rates, k = n - 1;
    for (size_t i = 0; i < n; i++)
        if (rates[i].year == year)
            k = i;
    if (year && year < rates[0].year)
        k = 0;
    if (!strcmp(currency, "GBP"))
        return amount * rates[k].gbp;
    if (!strcmp(currency, "USD"))
        return amount * rates[k].usd;
    return NAN;
}

/* ---- articles ----------------------------------------------------------------- */

int radar_store_check_article(radar_store *st, const radar_article *a, radar_put_result *result)
{
    store_text_print tp = {.has_sketch = 0}; /* the check reads the hash only */
    radar_store_content_hash(a, tp.hash);
    return radar_store_check_printed(st, a, &tp, result);
}

int radar_store_check_printed(radar_store *st, const radar_article *a, const store_text_print *tp,
                              radar_put_result *result)
{
    const char *hash = tp->hash;
    radar_sql_stmt *s = st->stmt[Q_ARTICLE_BY_ID];
    radar_store_bind_text(s, 1, a->id);
    int rc = radar_sql_step(s);
    *result = RADAR_PUT_NEW;
    if (rc == RADAR_SQL_ROW)
        *result = strcmp((const char *)radar_sql_column_text(s, 1), hash) == 0 ? RADAR_PUT_UNCHANGED : RADAR_PUT_UPDATED;
    radar_sql_reset(s);
    radar_sql_clear_bindings(s);
    if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "looking up an article");
    if (*result == RADAR_PUT_NEW && !st->readonly) {
        /* the same text under another id is the same article */
        s = st->stmt[Q_ARTICLE_BY_HASH];
        radar_store_bind_text(s, 1, hash);
        rc = radar_sql_step(s);
        if (rc == RADAR_SQL_ROW)
            *result = RADAR_PUT_UNCHANGED;
        radar_sql_reset(s);
        radar_sql_clear_bindings(s);
        if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "looking up an article");
    }
    return 0;
}

/* How well stored player (key k, birth year by, club c) fits a name (key
 * key, birth year and club given): -1 when they are different people. The
 * names are weighed by radar_identity_names (identity.c). */
static int identity_score(const char *k, int by, const char *c, const char *key, int birth_year, const char *club)
{
    /* two players sharing a name: their ages say so (a year or two of
     * slack: an age is given without a birthday) */
    if (birth_year && by && abs(birth_year - by) > (strcmp(k, key) ? 1 : 2))
        return -1;
    int score = radar_identity_names(k, key);
    if (score < 0)
        return -1;
    if (club && c && !strcmp(club, c))
        score += 2;
    if (birth_year && by)
        score += 2;
    return score;
}

/* Whether `name` names a stored player (name `stored`) better than his
 * name: the fuller name, the longer in bytes (so "Almirón" over "Almiron",
 * "Neymar Jr" over "Neymar"); of two forms of one name (`same_form`: the same
 * key, or first names names.txt gives as one) as long, the first in byte
 * order. The name is then the best of the forms written, whichever came
 * first. (Two forms a slip apart are weighed by radar_store_prefer_name.) */
static int better_name(const char *name, const char *stored, int same_form)
{
    size_t a = strlen(name), b = strlen(stored);
    return a > b || (a == b && same_form && strcmp(name, stored) < 0);
}

/* `name`: the name as written (NULL: none to compare with the stored one);
 * `rename`, when not NULL, says whether it names the best player better
 * (better_name), which makes him stale too when his key is the same */
static int players_by_key(radar_store *st, const char *key, const char *name, int birth_year, const char *club,
                          const char *to_club, long long *ids, int max, int *n, int *stale, int *rename)
{
    char k0[256];
    radar_identity_canonical(key, k0, sizeof k0); /* "kvara" is "khvicha kvaratskhelia" */
    key = k0;
    const char *sur = radar_store_last_word(key);
    int best = -1, rc;
    *n = 0;
    /* the same full name first, through the key index: it outranks any other
     * form of the surname, so the wider scans are needed only when it misses;
     * the last, by first name, finds a slip in the surname */
    for (int pass = 0; pass < 3 && !*n; pass++) {
        radar_sql_stmt *s;
        if ((rc = pass < 2 ? radar_store_statement(st, pass ? Q_PLAYERS_BY_SURNAME : Q_PLAYERS_BY_KEY, &s)
                           : radar_store_players_by_first(st, key, &s)))
            return rc;
        if (!s)
            break;
        if (pass < 2)
            radar_store_bind_text(s, 1, pass ? sur : key);
        while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
            long long id = radar_sql_column_int64(s, 0);
            const char *k = (const char *)radar_sql_column_text(s, 1);
            int by = radar_sql_column_type(s, 2) == RADAR_SQL_NULL ? 0 : radar_sql_column_int(s, 2);
            const char *c = (const char *)radar_sql_column_text(s, 3);
            int score = identity_score(k, by, c, key, birth_year, club);
            /* a name alike only by a slip or an initial is the same man only
             * at a club he was seen at, or in a move he was linked with */
            int err = score >= 0 && radar_identity_names(k, key) == ID_SLIP && !(club && c && !strcmp(club, c))
                          ? radar_store_club_seen(st, id, club, to_club, &score)
                          : 0;
            if (err) {
                radar_sql_reset(s);
                return err;
            }
            if (score < 0 || score < best || (score == best && *n >= max))
                continue;
            if (score > best) {
                best = score;
                *n = 0;
                /* would this mention add anything to the stored player? */
                int same_form = !strcmp(key, k) || radar_identity_names(k, key) == ID_VARIANT;
                int better = name && better_name(name, (const char *)radar_sql_column_text(s, 4), same_form);
                if (rename)
                    *rename = better;
                if (stale)
                    *stale = strlen(key) > strlen(k) || (birth_year && !by) || (club && (!c || strcmp(club, c))) ||
                             (better && same_form);
            }
            ids[(*n)++] = id;
        }
        radar_sql_reset(s);
        radar_sql_clear_bindings(s);
        if (rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "looking up players");
    }
    return 0;
}

int radar_store_players_named(radar_store *st, const char *name, int birth_year, const char *club, long long *ids, int max,
                        int *n, int *stale)
{
    char key[256];
    radar_store_name_key(name, key, sizeof key);
    *n = 0;
    if (stale)
        *stale = 0;
    if (!key[0])
        return 0;
    return players_by_key(st, key, NULL, birth_year, club, NULL, ids, max, n, stale, NULL);
}

/* The player a rumour is about: the stored player the identity rule
 * (radar_store_players_named) ranks first, brought up to date, or a new one. */
static int link_player(radar_store *st, const char *name, int birth_year, const char *club, const char *to_club,
                       long long *out)
{
    char written[256], key[256];
    radar_store_name_key(name, written, sizeof written);
    radar_identity_canonical(written, key, sizeof key);
    if (!*key)
        snprintf(key, sizeof key, "%s", "unknown");
    long long best = 0;
    int n = 0, stale = 0, rename = 0, rc;
    if ((rc = players_by_key(st, key, name, birth_year, club, to_club, &best, 1, &n, &stale, &rename)) ||
        (n && (rc = radar_store_prefer_name(st, best, name, key))))
        return rc;
    radar_sql_stmt *s;
    if (n && !stale) {
        *out = best;
        return 0;
    }
    if (n) {
        s = st->stmt[Q_UPDATE_PLAYER];
        radar_sql_bind_int64(s, 1, best);
        radar_store_bind_text(s, 2, name);
        radar_store_bind_text(s, 3, key);
        if (birth_year)
            radar_sql_bind_int(s, 4, birth_year);
        radar_store_bind_text(s, 5, club);
        radar_sql_bind_int(s, 6, rename);
        if ((rc = radar_store_step_done(st, s, "updating a player")))
            return rc;
        *out = best;
        return 0;
    }
    s = st->stmt[Q_INSERT_PLAYER];
    radar_store_bind_text(s, 1, name);
    radar_store_bind_text(s, 2, key);
    radar_store_bind_text(s, 3, radar_store_last_word(key));
    if (birth_year)
        radar_sql_bind_int(s, 4, birth_year);
    radar_store_bind_text(s, 5, club);
    if ((rc = radar_store_step_done(st, s, "adding a player")))
        return rc;
    *out = radar_sql_last_insert_id(&st->conn);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many distinct strings there are among the n at the offsets `off` into
 * `arena` (the offsets are turned into pointers and sorted, in place). */
static int count_distinct(const char *arena, const char **v, const size_t *off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = arena + off[i];
    qsort(v, n, sizeof *v, cmp_str);
    int d = 0;
    for (size_t i = 0; i < n; i++)
        d += !i || strcmp(v[i], v[i - 1]);
    return d;
}

/* Note a string of the story at offset `at` of its arena among the names
 * (kind 0) or the origins (kind 1). */
static int story_note(radar_store *st, int kind, size_t at)
{
    struct story_strings *ss = &st->story_strings;
    size_t *n = kind ? &ss->n_origins : &ss->n_names;
    size_t *cap = kind ? &ss->cap_origins : &ss->cap_names;
    size_t **off = kind ? &ss->origins : &ss->names;
    int rc = radar_grow((void **)off, cap, *n + 1, sizeof **off, 64);
    if (!rc)
        (*off)[(*n)++] = at;
    return rc;
}

/* Copy `text` into the story's arena; its offset in *at. */
static int story_copy(radar_store *st, const char *text, size_t *at)
{
    *at = st->story_strings.arena.len;
    return radar_buf_append(&st->story_strings.arena, text, strlen(text) + 1);
}

#define NO_NAME ((size_t)-1)

/* The origin of a mention once its sources are read: the smallest cited
 * name, else the smallest name (offsets into the arena), else the article. */
static int story_origin(radar_store *st, size_t cited, size_t any, long long article)
{
    size_t at = cited != NO_NAME ? cited : any;
    if (at == NO_NAME) {
        char own[32];
        snprintf(own, sizeof own, "article:%lld", article);
        int rc = story_copy(st, own, &at);
        if (rc)
            return rc;
    }
    return story_note(st, 1, at);
}

/* Recompute a story's summary from its mentions: dates, stages, the
 * selling club, and its sources: every name cited or publishing, and one
 * origin per mention (a cited source is the origin of what the outlet
 * citing it reports), counted distinct. */
static int update_story(radar_store *st, long long story)
{
    radar_sql_stmt *s = st->stmt[Q_STORY_MENTIONS];
    radar_sql_bind_int64(s, 1, story);
    const char *first = NULL, *last = NULL;
    char first_buf[11] = "", last_buf[11] = "", from_buf[256] = "", max_stage[16] = "none", last_stage[16] = "none";
    size_t cited = NO_NAME, any = NO_NAME;
    int n = 0, best_rank = -1, silence = 0, rc, err = 0;
    long prev_day = -1;
    long long mention = 0, article = 0;
    struct story_strings *ss = &st->story_strings;
    ss->arena.len = ss->n_names = ss->n_origins = 0;
    while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
        long long id = radar_sql_column_int64(s, 0);
        const char *name = (const char *)radar_sql_column_text(s, 5);
        if (n && id != mention && (err = story_origin(st, cited, any, article)))
            break;
        if (id != mention) { /* a mention's first row */
            mention = id;
            article = radar_sql_column_int64(s, 4);
            cited = any = NO_NAME;
            const char *date = (const char *)radar_sql_column_text(s, 1);
            const char *stage = (const char *)radar_sql_column_text(s, 2);
            const char *from = (const char *)radar_sql_column_text(s, 3);
            n++;
            if (date) {
                if (!first_buf[0])
                    snprintf(first_buf, sizeof first_buf, "%s", date);
                snprintf(last_buf, sizeof last_buf, "%s", date);
            }
            /* the silence before the latest report of the move: a name in
             * passing does not end a silence, so it resurfaces nothing */
            if (date && stage && strcmp(stage, "none")) {
                long day = radar_day_number(date);
                if (prev_day >= 0 && day > prev_day)
                    silence = (int)(day - prev_day);
                if (day >= 0 && day != prev_day)
                    prev_day = day;
            }
            if (stage) {
                /* the furthest step reached (interest .. signed); endings are
                 * told by the latest report's stage, which a name in passing
                 * does not replace (it reopens nothing) */
                int r = stage_rank(stage);
                if (r <= RADAR_STAGE_SIGNED && r > best_rank) {
                    best_rank = r;
                    snprintf(max_stage, sizeof max_stage, "%s", stage);
                }
                if (strcmp(stage, "none") || !strcmp(last_stage, "none"))
                    snprintf(last_stage, sizeof last_stage, "%s", stage);
            }
            if (from)
                snprintf(from_buf, sizeof from_buf, "%s", from);
        }
        if (name) {
            size_t at;
            if ((err = story_copy(st, name, &at)) || (err = story_note(st, 0, at)))
                break;
            /* the smallest name, and the smallest cited one */
            const char *arena = ss->arena.data;
            if (any == NO_NAME || strcmp(name, arena + any) < 0)
                any = at;
            if (radar_sql_column_int(s, 6) && (cited == NO_NAME || strcmp(name, arena + cited) < 0))
                cited = at;
        }
    }
    if (!err && rc == RADAR_SQL_DONE && n)
        err = story_origin(st, cited, any, article);
    radar_sql_reset(s);
    radar_sql_clear_bindings(s);
    if (err)
        return err;
    if (rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "reading a story");
    first = first_buf[0] ? first_buf : NULL;
    last = last_buf[0] ? last_buf : NULL;
    size_t most = ss->n_names > ss->n_origins ? ss->n_names : ss->n_origins;
    if ((rc = radar_grow((void **)&ss->sorted, &ss->cap_sorted, most ? most : 1, sizeof *ss->sorted, 64)))
        return rc;
    const char **v = ss->sorted;
    int n_sources = count_distinct(ss->arena.data, v, ss->names, ss->n_names);
    int n_independent = count_distinct(ss->arena.data, v, ss->origins, ss->n_origins);
    /* heat: mentions, independent sources and stage, for sorting the board */
    double heat = n + 2.0 * n_independent + (best_rank > 0 ? best_rank : 0);
    s = st->stmt[Q_UPDATE_STORY];
    radar_sql_bind_int64(s, 1, story);
    radar_store_bind_text(s, 2, first);
    radar_store_bind_text(s, 3, last);
    radar_sql_bind_int(s, 4, n);
    radar_store_bind_text(s, 5, max_stage);
    radar_sql_bind_int(s, 6, best_rank < 0 ? 0 : best_rank);
    radar_store_bind_text(s, 7, from_buf[0] ? from_buf : NULL);
    radar_sql_bind_int(s, 8, silence);
    radar_sql_bind_int(s, 9, n_sources);
    radar_sql_bind_int(s, 10, n_independent);
    radar_sql_bind_double(s, 11, heat);
    radar_store_bind_text(s, 12, last_stage);
    return radar_store_step_done(st, s, "updating a story");
}

/* Is `name` a source the article cites (an outlet, journalist, handle), as
 * opposed to the outlet that published it? */
static int is_cited(const radar_article *a, const char *name)
{
    return !(a->source && !strcmp(a->source, name));
}

static int span_json(radar_buf *b, const radar_span *sp, size_t n)
{
    int rc = radar_buf_putc(b, '[');
    for (size_t i = 0; i < n && !rc; i++)
        rc = radar_buf_printf(b, "%s[%u,%u]", i ? "," : "", sp[i].start, sp[i].end);
    return rc ? rc : radar_buf_putc(b, ']');
}

static int strings_json(radar_buf *b, const char *const *v, size_t n)
{
    int rc = radar_buf_putc(b, '[');
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = radar_buf_putc(b, ',');
        rc = rc ? rc : radar_json_string(b, v[i], strlen(v[i]));
    }
    return rc ? rc : radar_buf_putc(b, ']');
}

/* The age the article gives a player, from its age facts. */
static int age_of(const radar_doc *doc, const char *player)
{
    for (size_t i = 0; i < doc->n_facts; i++)
        if (doc->facts[i].type == RADAR_FACT_AGE && doc->facts[i].subject && !strcmp(doc->facts[i].subject, player))
            return atoi(doc->facts[i].value);
    return 0;
}

int radar_store_put(radar_store *st, const radar_article *a, const radar_doc *doc, radar_put_result *result)
{
    store_text_print tp;
    radar_store_text_print_compute(a, &tp);
    return radar_store_put_printed(st, a, doc, &tp, result);
}

/* The article's row: replaced when the id is known (the old extraction goes,
 * and the stories it touched are recomputed), else added; then its search
 * index and its sketch. Its rowid in *rowid; the origin a syndicated copy
 * cites in *origin (caller frees; NULL when none). */
static int put_article_row(radar_store *st, const radar_article *a, const store_text_print *tp,
                           radar_put_result result, long long *rowid, char **origin)
{
    radar_sql_stmt *s;
    int rc;
    *rowid = 0;
    if (result == RADAR_PUT_UPDATED) {
        st->updated = 1;
        /* replace: forget the old extraction, remember which stories it touched */
        s = st->stmt[Q_ARTICLE_BY_ID];
        radar_store_bind_text(s, 1, a->id);
        rc = radar_sql_step(s);
        if (rc == RADAR_SQL_ROW)
            *rowid = radar_sql_column_int64(s, 0);
        radar_sql_reset(s);
        radar_sql_clear_bindings(s);
        if (rc != RADAR_SQL_ROW)
            return rc == RADAR_SQL_DONE ? radar_error_set(RADAR_EIO, "%s: article %s vanished while it was replaced",
                                                       st->path, a->id)
                                     : radar_store_db_error(st, rc, "looking up an article");
        s = st->stmt[Q_OLD_STORIES];
        radar_sql_bind_int64(s, 1, *rowid);
        while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
            /* the players an update takes mentions from: their scores change too */
            int err = mark_dirty(st, radar_sql_column_int64(s, 0));
            if (err || (err = radar_store_touch_player(st, radar_sql_column_int64(s, 1)))) {
                radar_sql_reset(s);
                return err;
            }
        }
        radar_sql_reset(s);
        radar_sql_clear_bindings(s);
        if (rc != RADAR_SQL_DONE)
            return radar_store_db_error(st, rc, "reading an article's old mentions");
        for (int q = Q_DELETE_MENTIONS; q <= Q_DELETE_FACTS; q++) {
            radar_sql_bind_int64(st->stmt[q], 1, *rowid);
            if ((rc = radar_store_step_done(st, st->stmt[q], "removing an old extraction")))
                return rc;
        }
        radar_sql_bind_int64(st->stmt[Q_FTS_DELETE], 1, *rowid);
        if ((rc = radar_store_step_done(st, st->stmt[Q_FTS_DELETE], "updating the search index")))
            return rc;
        s = st->stmt[Q_UPDATE_ARTICLE];
        radar_sql_bind_int64(s, 1, *rowid);
    } else {
        s = st->stmt[Q_INSERT_ARTICLE];
        radar_store_bind_text(s, 1, a->id);
    }
    radar_store_bind_text(s, 2, a->date);
    radar_store_bind_text(s, 3, a->source);
    radar_store_bind_text(s, 4, a->url);
    radar_store_bind_text(s, 5, a->title);
    radar_sql_bind_text(s, 6, a->body, (int)a->body_len, RADAR_SQL_TRANSIENT);
    radar_store_bind_text(s, 7, tp->hash);
    if ((rc = radar_store_step_done(st, s, "storing an article")))
        return rc;
    if (result == RADAR_PUT_NEW)
        *rowid = radar_sql_last_insert_id(&st->conn);
    s = st->stmt[Q_FTS_INSERT];
    radar_sql_bind_int64(s, 1, *rowid);
    radar_store_bind_text(s, 2, a->title);
    radar_sql_bind_text(s, 3, a->body, (int)a->body_len, RADAR_SQL_TRANSIENT);
    if ((rc = radar_store_step_done(st, s, "indexing an article")))
        return rc;
    return radar_store_after_article(st, a, tp, *rowid, result == RADAR_PUT_UPDATED, origin);
}

/* The story of (player, club): found, or added. */
static int story_for(radar_store *st, long long player, const char *club, long long *story)
{
    radar_sql_stmt *s = st->stmt[Q_STORY_ID];
    radar_sql_bind_int64(s, 1, player);
    radar_store_bind_text(s, 2, club);
    int rc = radar_sql_step(s);
    *story = rc == RADAR_SQL_ROW ? radar_sql_column_int64(s, 0) : 0;
    radar_sql_reset(s);
    radar_sql_clear_bindings(s);
    if (rc != RADAR_SQL_ROW && rc != RADAR_SQL_DONE)
        return radar_store_db_error(st, rc, "looking up a story");
    if (*story)
        return 0;
    s = st->stmt[Q_INSERT_STORY];
    radar_sql_bind_int64(s, 1, player);
    radar_store_bind_text(s, 2, club);
    if ((rc = radar_store_step_done(st, s, "adding a story")))
        return rc;
    *story = radar_sql_last_insert_id(&st->conn);
    st->new_stories++;
    return 0;
}

/* One source of a mention: its name, kind, and whether it is cited. */
static int put_source(radar_store *st, long long mention, const char *name, const char *kind, int cited)
{
    radar_sql_stmt *s = st->stmt[Q_INSERT_SOURCE];
    radar_sql_bind_int64(s, 1, mention);
    radar_store_bind_text(s, 2, name);
    radar_store_bind_text(s, 3, kind);
    radar_sql_bind_int(s, 4, cited);
    return radar_store_step_done(st, s, "storing a source");
}

/* Is a rumour about the move, or the player's name beside a move long made?
 * Not about it: its sentence places the link to the club in the past ("who
 * was linked with Brentford in 2023", "since joining Real Madrid"), or it is
 * the player's own words on a move he made ("No one at Real Madrid will ever
 * regret my signing"). Such a mention is kept as a name in passing (stage
 * none): it neither reopens nor resurfaces the story. */
/* "has been linked with" is today's rumour; "had been linked with" is past */
static const char *const PAST_LINKS[] = {"was linked with", "were linked with", "had been linked with",
                                         "had also been linked with", "was linked to",
                                         "who joined", "since joining", "after joining", "since his move to",
                                         "since signing for", "since arriving at", "before joining"};
static const char *const OWN_PAST_MOVE[] = {"my signing", "my move to", "my transfer", "since i joined",
                                            "when i joined", "since i came", "when i came to", "when i signed"};

/* Does text[0..len) hold needle, any case? Returns the offset past it, or 0. */
static size_t find_fold(const char *text, size_t len, const char *needle, size_t from)
{
    size_t n = strlen(needle);
    for (size_t i = from; n && i + n <= len; i++) {
        size_t k = 0;
        while (k < n && (text[i + k] | 0x20) == (needle[k] | 0x20))
            k++;
        if (k == n)
            return i + n;
    }
    return 0;
}

static int about_the_move(const radar_article *a, const radar_doc *doc, const radar_rumour *r)
{
    if (r->stage == RADAR_STAGE_NONE || !a->body || !r->n_evidence)
        return 1;
    for (size_t e = 0; e < r->n_evidence; e++) {
        radar_span sp = r->evidence[e];
        if (sp.end > a->body_len || sp.start >= sp.end)
            continue;
        const char *text = a->body + sp.start;
        size_t len = sp.end - sp.start;
        /* a past link followed, in the same clause, by the club */
        for (size_t i = 0; i < sizeof PAST_LINKS / sizeof *PAST_LINKS; i++) {
            size_t at = find_fold(text, len, PAST_LINKS[i], 0);
            if (!at)
                continue;
            size_t stop = at;
            while (stop < len && text[stop] != ',' && text[stop] != '.' && text[stop] != ';')
                stop++;
            if (r->to_club && find_fold(text, stop, r->to_club, at))
                return 0;
        }
        /* the player's own words on his move, inside a quote of the sentence */
        for (size_t f = 0; f < doc->n_facts; f++) {
            const radar_fact *q = &doc->facts[f];
            if (q->type != RADAR_FACT_QUOTE || q->span.end <= sp.start || q->span.start >= sp.end ||
                q->span.end > a->body_len)
                continue;
            for (size_t i = 0; i < sizeof OWN_PAST_MOVE / sizeof *OWN_PAST_MOVE; i++)
                if (find_fold(a->body + q->span.start, q->span.end - q->span.start, OWN_PAST_MOVE[i], 0))
                    return 0;
        }
    }
    return 1;
}

/* One mention per rumour of the article (row `rowid`), linked to its player
 * and story, with its sources (and the origin a syndicated copy cites). */
static int put_mentions(radar_store *st, const radar_article *a, const radar_doc *doc, long long rowid,
                        const char *origin)
{
    radar_buf js = RADAR_BUF_INIT, js2 = RADAR_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < doc->n_rumours && !rc; i++) {
        const radar_rumour *r = &doc->rumours[i];
        int age = age_of(doc, r->player);
        int birth_year = age && a->date ? atoi(a->date) - age : 0;
        long long player = 0, story = 0;
        int own = 0;
        if ((rc = link_player(st, r->player, birth_year, r->from_club, r->to_club, &player)) ||
            (rc = radar_store_touch_player(st, player)) ||
            (rc = radar_store_own_club(st, player, r->to_club, a->date, &own)))
            break;
        if (own)
            continue; /* his club at that date is no destination */
        if ((rc = story_for(st, player, r->to_club, &story)))
            break;
        radar_buf_reset(&js);
        radar_buf_reset(&js2);
        if ((rc = span_json(&js, r->evidence, r->n_evidence)) ||
            (rc = strings_json(&js2, r->suitors_also, r->n_suitors_also)))
            break;
        radar_sql_stmt *s = st->stmt[Q_INSERT_MENTION];
        radar_sql_bind_int64(s, 1, rowid);
        radar_sql_bind_int64(s, 2, story);
        radar_sql_bind_int64(s, 3, player);
        radar_store_bind_text(s, 4, r->player);
        radar_store_bind_text(s, 5, r->to_club);
        radar_store_bind_text(s, 6, r->from_club);
        radar_store_bind_text(s, 7, radar_stage_name(about_the_move(a, doc, r) ? r->stage : RADAR_STAGE_NONE));
        radar_store_bind_text(s, 8, a->date);
        if (r->has_fee) {
            radar_sql_bind_double(s, 9, r->fee.amount);
            radar_sql_bind_double(s, 10, r->fee.amount_max);
            radar_store_bind_text(s, 11, r->fee.currency);
            radar_store_bind_text(s, 12, radar_fee_kind_name(r->fee.kind));
            double eur = to_eur(r->fee.amount, r->fee.currency, a->date);
            if (!isnan(eur))
                radar_sql_bind_double(s, 13, round(eur));
        }
        radar_store_bind_text(s, 14, js.data);
        radar_store_bind_text(s, 15, js2.data);
        if (age)
            radar_sql_bind_int(s, 16, age);
        radar_store_bind_text(s, 17, r->position);
        radar_store_bind_text(s, 18, r->nationality);
        if ((rc = radar_store_step_done(st, s, "storing a mention")))
            break;
        long long mention = radar_sql_last_insert_id(&st->conn);
        if (a->source) /* the outlet that published the article */
            rc = put_source(st, mention, a->source, "publisher", 0);
        for (size_t k = 0; k < r->n_sources && !rc; k++) {
            const char *kind = "outlet";
            for (size_t f = 0; f < doc->n_facts; f++)
                if (doc->facts[f].type == RADAR_FACT_SOURCE && !strcmp(doc->facts[f].value, r->sources[k]))
                    kind = doc->facts[f].detail;
            rc = put_source(st, mention, r->sources[k], kind, is_cited(a, r->sources[k]));
        }
        if (!rc && origin)
            rc = radar_store_cite_origin(st, mention, origin);
        if (!rc)
            rc = mark_dirty(st, story);
        /* his club now known: earlier-stored moves there in the weeks after go */
        long long gone[RADAR_MAX_RUMOURS_PER_ARTICLE];
        size_t n_gone = 0;
        if (!rc)
            rc = radar_store_drop_own_club(st, player, r->from_club, a->date, gone, RADAR_MAX_RUMOURS_PER_ARTICLE,
                                           &n_gone);
        for (size_t k = 0; k < n_gone && !rc; k++) {
            st->updated = 1; /* a story may be left with no mention */
            rc = mark_dirty(st, gone[k]);
        }
    }
    radar_buf_free(&js);
    radar_buf_free(&js2);
    return rc;
}

/* The article's facts but quotes (they live in the article text) and
 * sources (in mention_sources). */
static int put_facts(radar_store *st, const radar_article *a, const radar_doc *doc, long long rowid)
{
    for (size_t i = 0; i < doc->n_facts; i++) {
        const radar_fact *f = &doc->facts[i];
        if (f->type == RADAR_FACT_QUOTE || f->type == RADAR_FACT_SOURCE)
            continue;
        radar_sql_stmt *s = st->stmt[Q_INSERT_FACT];
        radar_sql_bind_int64(s, 1, rowid);
        radar_store_bind_text(s, 2, radar_fact_type_name(f->type));
        radar_store_bind_text(s, 3, f->subject);
        radar_store_bind_text(s, 4, f->value);
        radar_store_bind_text(s, 5, f->detail);
        radar_sql_bind_int(s, 6, (int)f->span.start);
        radar_sql_bind_int(s, 7, (int)f->span.end);
        radar_store_bind_text(s, 8, a->date);
        int rc = radar_store_step_done(st, s, "storing a fact");
        if (rc)
            return rc;
    }
    return 0;
}

int radar_store_put_printed(radar_store *st, const radar_article *a, const radar_doc *doc, const store_text_print *tp,
                      radar_put_result *result)
{
    if (!radar_sql_in_transaction(&st->conn))
        return radar_error_set(RADAR_EINVALID, "radar_store_put outside a transaction (call radar_store_begin)");
    int rc = radar_store_check_printed(st, a, tp, result);
    if (rc || *result == RADAR_PUT_UNCHANGED)
        return rc;
    st->changed = 1;
    long long rowid;
    char *origin = NULL; /* the story's origin when this text is a syndicated copy */
    if (!(rc = put_article_row(st, a, tp, *result, &rowid, &origin)) && !(rc = put_mentions(st, a, doc, rowid, origin)))
        rc = put_facts(st, a, doc, rowid);
    free(origin);
    return rc;
}

int radar_store_touch_player(radar_store *st, long long player)
{
    int rc = radar_grow((void **)&st->touched, &st->cap_touched, st->n_touched + 1, sizeof *st->touched, 256);
    if (!rc)
        st->touched[st->n_touched++] = player;
    return rc;
}

