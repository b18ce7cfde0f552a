/*
 * store_answers.c - the questions' typed answers: the story board, a story
 * with its timeline, a player, a club, the sources and the feeds, read from
 * the store into structs that own their memory (see radar/store.h).
 *
 * Each answer lives in one arena: its struct, its arrays and its strings, so
 * it is freed in one call and nothing in it needs freeing apart. Arrays whose
 * length is known only once the rows are read are gathered with radar_grow
 * and copied into the arena at the end. A step that fails is an error, never
 * "no row". The JSON writers of these answers are in store_json.c.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "../util/arena.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "../util/utf8.h"
#include "store_internal.h"

struct radar_answer_mem {
    radar_arena arena;
    int nomem; /* an allocation failed: the answer is incomplete */
};

/* A new answer of `size` bytes in an arena of its own; NULL when out of memory. */
void *radar_answer_new(size_t size, struct radar_answer_mem **mem)
{
    struct radar_answer_mem *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    radar_arena_init(&m->arena, 16 * 1024);
    void *a = radar_arena_alloc(&m->arena, size);
    if (!a) {
        free(m);
        return NULL;
    }
    *mem = m;
    return a;
}

void radar_answer_free(struct radar_answer_mem *m)
{
    if (!m)
        return;
    radar_arena_free(&m->arena);
    free(m);
}

const char *radar_answer_str(struct radar_answer_mem *m, const char *s, size_t n)
{
    char *c = radar_arena_strndup(&m->arena, s, n);
    m->nomem |= !c;
    return c;
}

/* Text copied into the answer as valid UTF-8: bodies are stored as read,
 * so invalid bytes become U+FFFD (and a NUL a space) here, once, for the
 * JSON writers and the front ends alike. */
static const char *keep_text(struct radar_answer_mem *m, const char *p, size_t n)
{
    if (radar_utf8_check(p, n) == n && !memchr(p, 0, n))
        return radar_answer_str(m, p, n);
    radar_buf b = RADAR_BUF_INIT;
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = radar_utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1)
            radar_buf_append(&b, "\xEF\xBF\xBD", 3);
        else if (cp == 0)
            radar_buf_putc(&b, ' ');
        else
            radar_buf_append(&b, p + i, k);
        i += k;
    }
    const char *c = radar_answer_str(m, b.data ? b.data : "", b.len);
    radar_buf_free(&b);
    return c;
}

/* Text column i, copied into the answer; NULL for SQL NULL. */
const char *radar_answer_col_text(struct radar_answer_mem *m, radar_sql_stmt *s, int i)
{
    const char *t = (const char *)radar_sql_column_text(s, i);
    return t ? keep_text(m, t, (size_t)radar_sql_column_bytes(s, i)) : NULL;
}

struct radar_answer_mem *radar_answer_mem_new(void)
{
    struct radar_answer_mem *m = calloc(1, sizeof *m);
    if (m)
        radar_arena_init(&m->arena, 16 * 1024);
    return m;
}


/* A new zeroed element at the end, or NULL (the error set). */
void *radar_gather_push(radar_gather *g)
{
    if (radar_grow(&g->v, &g->cap, g->n + 1, g->size, 16))
        return NULL;
    void *e = (char *)g->v + g->n++ * g->size;
    memset(e, 0, g->size);
    return e;
}

/* The gathered elements, moved into the answer (*n of them). */
void *radar_gather_keep(struct radar_answer_mem *m, radar_gather *g, size_t *n)
{
    void *out = NULL;
    *n = g->n;
    if (g->n && !(out = radar_arena_alloc(&m->arena, g->n * g->size)))
        m->nomem = 1;
    else if (g->n)
        memcpy(out, g->v, g->n * g->size);
    free(g->v);
    g->v = NULL;
    g->n = g->cap = 0;
    return out;
}

int radar_answer_status(struct radar_answer_mem *m, int rc)
{
    return rc ? rc : m->nomem ? radar_error_set(RADAR_ENOMEM, "out of memory") : 0;
}

/* ---- stories ---- */

#define RESURFACE_TEXT 64

/* Status of a story as of the newest article in the store. */
static const char *story_status(long last_day, long newest_day, long long silence_days)
{
    if (last_day < 0)
        return "undated"; /* never fresh: its reports carry no date */
    if (silence_days >= RESURFACE_DAYS)
        return "resurfaced";
    if (last_day >= 0 && newest_day >= 0 && newest_day - last_day > DORMANT_DAYS)
        return "dormant";
    return "active";
}

/* "4 years 9 months" for a silence of `days`. */
static void silence_text(long long days, char buf[RESURFACE_TEXT])
{
    int years = (int)(days / 365), months = (int)((days % 365) / 30);
    if (years && months)
        snprintf(buf, RESURFACE_TEXT, "%d year%s %d month%s", years, years == 1 ? "" : "s", months,
                 months == 1 ? "" : "s");
    else if (years)
        snprintf(buf, RESURFACE_TEXT, "%d year%s", years, years == 1 ? "" : "s");
    else
        snprintf(buf, RESURFACE_TEXT, "%d month%s", months, months == 1 ? "" : "s");
}

void radar_store_story_row(struct radar_answer_mem *m, radar_sql_stmt *s, long newest, radar_story_row *r)
{
    r->id = radar_sql_column_int64(s, 0);
    r->player = radar_answer_col_text(m, s, 1);
    r->to_club = radar_answer_col_text(m, s, 2);
    r->from_club = radar_answer_col_text(m, s, 3);
    r->first_seen = radar_answer_col_text(m, s, 4);
    r->last_seen = radar_answer_col_text(m, s, 5);
    r->mentions = radar_sql_column_int64(s, 6);
    r->stage = radar_answer_col_text(m, s, 7);
    r->silence_days = radar_sql_column_int64(s, 8);
    r->sources = radar_sql_column_int64(s, 9);
    r->independent_sources = radar_sql_column_int64(s, 10);
    r->heat = radar_sql_column_double(s, 11);
    r->player_id = radar_sql_column_int64(s, 12);
    r->latest_stage = radar_answer_col_text(m, s, 13);
    r->has_likelihood = radar_sql_column_type(s, 14) != RADAR_SQL_NULL;
    r->likelihood = radar_sql_column_double(s, 14);
    r->outcome = radar_answer_col_text(m, s, 15);
    r->outcome_on = radar_answer_col_text(m, s, 16);
    r->outcome_how = radar_answer_col_text(m, s, 17);
    r->outcome_article = radar_answer_col_text(m, s, 18);
    r->outcome_start = radar_sql_column_type(s, 19) == RADAR_SQL_NULL ? -1 : radar_sql_column_int64(s, 19);
    r->outcome_end = radar_sql_column_type(s, 20) == RADAR_SQL_NULL ? -1 : radar_sql_column_int64(s, 20);
    r->furthest_stage = radar_answer_col_text(m, s, 21);
    r->status = story_status(radar_day_number(r->last_seen), newest, r->silence_days);
    if (r->silence_days >= RESURFACE_DAYS) {
        char buf[RESURFACE_TEXT];
        silence_text(r->silence_days, buf);
        r->resurfaced_after = radar_answer_str(m, buf, strlen(buf));
    }
}

/* The story rows of a prepared, bound statement of STORY_COLUMNS, into v. */
static int story_rows(radar_store *st, struct radar_answer_mem *m, radar_sql_stmt *s, long newest, const char *what,
                      radar_story_row **v, size_t *n)
{
    radar_gather g = {.size = sizeof(radar_story_row)};
    int rc = 0;
    while (radar_store_row(st, s, &rc, what)) {
        radar_story_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        radar_store_story_row(m, s, newest, r);
    }
    *v = radar_gather_keep(m, &g, n);
    return rc;
}

/* Does the database keep its counts in `meta` (schema 3 and later)? */
static int has_meta(radar_store *st, int *yes)
{
    radar_sql_stmt *s;
    *yes = 0;
    int rc = radar_store_prepare(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", &s);
    if (rc)
        return rc;
    *yes = radar_store_row(st, s, &rc, "reading the schema");
    radar_sql_finalize(s);
    return rc;
}

/* Bind the filter's values to a statement of the board. */
static void bind_filter(radar_sql_stmt *s, const radar_story_filter *f, const char *clubname, const char *pkey)
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
    radar_store_bind_text(s, 7, f->outcome);
}

/* The statements of the story board for a filter: its rows (STORE_STORY_COLUMNS)
 * and its total, bound; the page's limit and offset. Caller finalizes both. */
static int board_statements(radar_store *st, const radar_story_filter *f, radar_sql_stmt **rows, radar_sql_stmt **count,
                            int *limit_out, int *offset_out)
{
    *rows = *count = NULL;
    char club[256], sql[4096], where[1024] = "1 = 1";
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
        strcat(where, " AND " STORE_STORY_STAGE " = ?4");
    if (f->outcome) {
        static const char *const statuses[] = {"open", "done", "failed", "quiet"};
        int known = 0;
        for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
            known |= !strcmp(f->outcome, statuses[i]);
        if (!known)
            return radar_error_set(RADAR_EINVALID, "unknown status '%s' (open, done, failed or quiet)", f->outcome);
        strcat(where, " AND s.outcome = ?7");
    }
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
                 "SELECT id FROM (SELECT s.id FROM stories s WHERE s.to_club = ?1 AND %s ORDER BY %s LIMIT %d) AS buying "
                 "UNION SELECT id FROM (SELECT s.id FROM stories s WHERE s.from_club = ?1 AND %s ORDER BY %s LIMIT %d) "
                 "AS selling) "
                 "ORDER BY %s LIMIT %d OFFSET %d",
                 inner, ord, limit + offset, inner, ord, limit + offset, order, limit, offset);
    } else {
        snprintf(sql, sizeof sql,
                 "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE %s%s ORDER BY %s "
                 "LIMIT %d OFFSET %d",
                 where, club_clause, order, limit, offset);
    }
    radar_sql_stmt *s;
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
    else if (!strcmp(where, "1 = 1") && !(rc = has_meta(st, &meta)) && meta)
        snprintf(sql, sizeof sql, "SELECT value FROM meta WHERE key = 'stories'");
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM stories s WHERE %s", where);
    if (rc || (rc = radar_store_prepare(st, sql, count))) {
        radar_sql_finalize(s);
        return rc;
    }
    bind_filter(*count, f, clubname, pkey);
    *rows = s;
    *limit_out = limit;
    *offset_out = offset;
    return 0;
}

int radar_store_stories_list(radar_store *st, const radar_story_filter *f, radar_story_list **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_story_list *l = radar_answer_new(sizeof *l, &m);
    if (!l)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    l->mem_ = m;
    radar_sql_stmt *s = NULL, *count = NULL;
    long newest;
    int rc = board_statements(st, f, &s, &count, &l->limit, &l->offset);
    if (!rc && !(rc = radar_store_newest_day(st, &newest)))
        rc = story_rows(st, m, s, newest, "listing stories", &l->v, &l->n);
    if (!rc && count && radar_store_row(st, count, &rc, "counting stories"))
        l->total = radar_sql_column_int64(count, 0);
    radar_sql_finalize(s);
    radar_sql_finalize(count);
    if ((rc = radar_answer_status(m, rc))) {
        radar_story_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int radar_store_all_stories(radar_store *st, radar_story_list **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_story_list *l = radar_answer_new(sizeof *l, &m);
    if (!l)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    l->mem_ = m;
    radar_sql_stmt *s = NULL;
    long newest;
    int rc = radar_store_prepare(st, "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player "
                                     "ORDER BY s.id",
                                 &s);
    if (!rc && !(rc = radar_store_newest_day(st, &newest)))
        rc = story_rows(st, m, s, newest, "exporting", &l->v, &l->n);
    radar_sql_finalize(s);
    l->total = (long long)l->n;
    if ((rc = radar_answer_status(m, rc))) {
        radar_story_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void radar_story_list_free(radar_story_list *l)
{
    if (l)
        radar_answer_free(l->mem_);
}

/* ---- a story and its timeline ---- */

/* The strings of a JSON array of strings as stored (suitors), or none. */
static void string_array(struct radar_answer_mem *m, const char *stored, const char ***v, size_t *n)
{
    *v = NULL;
    *n = 0;
    json_t *a = stored ? json_loads(stored, 0, NULL) : NULL;
    size_t k = json_is_array(a) ? json_array_size(a) : 0;
    if (k && (*v = radar_arena_alloc(&m->arena, k * sizeof **v))) {
        for (size_t i = 0; i < k; i++) {
            json_t *e = json_array_get(a, i);
            (*v)[(*n)++] = json_is_string(e) ? radar_answer_str(m, json_string_value(e), json_string_length(e)) : "";
        }
    } else if (k) {
        m->nomem = 1;
    }
    json_decref(a);
}

/* The evidence of a mention: the stored spans and the body's bytes there. */
static void evidence_of(struct radar_answer_mem *m, const char *spans_text, const char *body, size_t body_len,
                        radar_mention_row *r)
{
    json_t *spans = spans_text ? json_loads(spans_text, 0, NULL) : NULL;
    size_t k = json_array_size(spans);
    r->evidence = k ? radar_arena_alloc(&m->arena, k * sizeof *r->evidence) : NULL;
    m->nomem |= k && !r->evidence;
    for (size_t i = 0; i < k && r->evidence; i++) {
        json_t *sp = json_array_get(spans, i);
        json_int_t a = json_integer_value(json_array_get(sp, 0)), b = json_integer_value(json_array_get(sp, 1));
        if (a < 0 || b < a || (size_t)b > body_len)
            continue;
        radar_evidence *e = &r->evidence[r->n_evidence++];
        e->start = a;
        e->end = b;
        e->text = keep_text(m, body + a, (size_t)(b - a));
        e->len = e->text ? strlen(e->text) : 0;
    }
    json_decref(spans);
}

#define TIMELINE_SQL                                                                                               \
    "SELECT m.id, m.date, a.id, a.source, a.title, a.url, m.stage, m.from_club, m.fee_amount, m.fee_max, "        \
    "m.fee_currency, m.fee_kind, m.fee_eur, m.evidence, m.suitors, m.age, a.body, m.player_name FROM mentions m " \
    "JOIN articles a ON a.rowid = m.article WHERE m.story = ?1 ORDER BY " STORE_MENTION_ORDER

/* The sources of mention `id` (statement `src`, prepared). */
static int mention_sources(radar_store *st, struct radar_answer_mem *m, radar_sql_stmt *src, long long id,
                           radar_mention_row *r)
{
    radar_gather g = {.size = sizeof(radar_mention_source)};
    int rc = 0;
    radar_sql_bind_int64(src, 1, id);
    while (radar_store_row(st, src, &rc, "reading a mention's sources")) {
        radar_mention_source *x = radar_gather_push(&g);
        if (!x) {
            rc = RADAR_ENOMEM;
            break;
        }
        x->name = radar_answer_col_text(m, src, 0);
        x->kind = radar_answer_col_text(m, src, 1);
        x->cited = radar_sql_column_int(src, 2);
    }
    radar_sql_reset(src);
    r->sources = radar_gather_keep(m, &g, &r->n_sources);
    return rc;
}

/* The mentions of a story, each with its evidence and sources. */
int radar_store_timeline(radar_store *st, struct radar_answer_mem *m, long long story, radar_mention_row **v,
                         size_t *n)
{
    radar_sql_stmt *s = NULL, *src = NULL;
    radar_gather g = {.size = sizeof(radar_mention_row)};
    int rc = radar_store_prepare(st, TIMELINE_SQL, &s);
    if (!rc)
        rc = radar_store_prepare(st, "SELECT name, kind, cited FROM mention_sources WHERE mention = ?1 ORDER BY name",
                                 &src);
    if (!rc)
        radar_sql_bind_int64(s, 1, story);
    while (!rc && radar_store_row(st, s, &rc, "reading a story")) {
        radar_mention_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        r->date = radar_answer_col_text(m, s, 1);
        r->article = radar_answer_col_text(m, s, 2);
        r->published_by = radar_answer_col_text(m, s, 3);
        r->title = radar_answer_col_text(m, s, 4);
        r->url = radar_answer_col_text(m, s, 5);
        r->stage = radar_answer_col_text(m, s, 6);
        r->from_club = radar_answer_col_text(m, s, 7);
        r->player_as_written = radar_answer_col_text(m, s, 17);
        if ((r->has_fee = radar_sql_column_type(s, 8) != RADAR_SQL_NULL)) {
            r->fee_amount = radar_sql_column_double(s, 8);
            r->fee_max = radar_sql_column_double(s, 9);
            r->fee_currency = radar_answer_col_text(m, s, 10);
            r->fee_kind = radar_answer_col_text(m, s, 11);
            r->has_fee_eur = radar_sql_column_type(s, 12) != RADAR_SQL_NULL;
            r->fee_eur = radar_sql_column_double(s, 12);
        }
        r->has_age = radar_sql_column_type(s, 15) != RADAR_SQL_NULL;
        r->age = radar_sql_column_int64(s, 15);
        string_array(m, (const char *)radar_sql_column_text(s, 14), &r->suitors_also, &r->n_suitors_also);
        evidence_of(m, (const char *)radar_sql_column_text(s, 13), (const char *)radar_sql_column_text(s, 16),
                    (size_t)radar_sql_column_bytes(s, 16), r);
        rc = mention_sources(st, m, src, radar_sql_column_int64(s, 0), r);
    }
    radar_sql_finalize(src);
    radar_sql_finalize(s);
    *v = radar_gather_keep(m, &g, n);
    return rc;
}

/* The other clubs after the same player, and how the story's episodes ended. */
static int story_context(radar_store *st, struct radar_answer_mem *m, radar_story_detail *d)
{
    radar_sql_stmt *s;
    radar_gather g = {.size = sizeof(const char *)};
    int rc = radar_store_prepare(st, "SELECT to_club FROM stories WHERE player = ?1 AND id != ?2 ORDER BY last_seen DESC, to_club",
                                 &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, d->story.player_id);
    radar_sql_bind_int64(s, 2, d->story.id);
    while (radar_store_row(st, s, &rc, "reading a story's rivals")) {
        const char **c = radar_gather_push(&g);
        if (!c) {
            rc = RADAR_ENOMEM;
            break;
        }
        *c = radar_answer_col_text(m, s, 0);
    }
    radar_sql_finalize(s);
    d->rival_suitors = radar_gather_keep(m, &g, &d->n_rival_suitors);
    if (rc || (rc = radar_store_prepare(st, "SELECT outcome, ended, how, article FROM resolutions WHERE story = ?1 ORDER "
                                        "BY ended",
                                        &s)))
        return rc;
    g.size = sizeof(radar_resolution_row);
    radar_sql_bind_int64(s, 1, d->story.id);
    while (radar_store_row(st, s, &rc, "reading a story's resolutions")) {
        radar_resolution_row *r = radar_gather_push(&g);
        if (!r) {
            rc = RADAR_ENOMEM;
            break;
        }
        r->outcome = radar_answer_col_text(m, s, 0);
        r->on = radar_answer_col_text(m, s, 1);
        r->how = radar_answer_col_text(m, s, 2);
        r->article = radar_answer_col_text(m, s, 3);
    }
    radar_sql_finalize(s);
    d->resolutions = radar_gather_keep(m, &g, &d->n_resolutions);
    /* the words the status rests on */
    if (!rc && d->story.outcome_article && d->story.outcome_start >= 0 &&
        !(rc = radar_store_prepare(st, "SELECT CAST(substr(CAST(body AS BLOB), ?2 + 1, ?3 - ?2) AS TEXT) FROM articles "
                                       "WHERE id = ?1",
                                   &s))) {
        radar_store_bind_text(s, 1, d->story.outcome_article);
        radar_sql_bind_int64(s, 2, d->story.outcome_start);
        radar_sql_bind_int64(s, 3, d->story.outcome_end);
        if (radar_store_row(st, s, &rc, "reading a story's status"))
            d->outcome_text = radar_answer_col_text(m, s, 0);
        radar_sql_finalize(s);
    }
    return rc;
}

int radar_store_story_read(radar_store *st, long long id, radar_story_detail **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_story_detail *d = radar_answer_new(sizeof *d, &m);
    if (!d)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    d->mem_ = m;
    radar_sql_stmt *s = NULL;
    long newest = -1;
    int rc = radar_store_prepare(st, "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player "
                                     "WHERE s.id = ?1",
                                 &s);
    if (!rc && !(rc = radar_store_newest_day(st, &newest))) {
        radar_sql_bind_int64(s, 1, id);
        if (radar_store_row(st, s, &rc, "reading a story"))
            radar_store_story_row(m, s, newest, &d->story);
        else if (!rc)
            rc = radar_error_set(RADAR_ENOTFOUND, "no story %lld", id);
    }
    radar_sql_finalize(s);
    if (!rc)
        rc = radar_store_timeline(st, m, id, &d->timeline, &d->n_timeline);
    if (!rc)
        rc = story_context(st, m, d);
    /* the likelihood with each factor: the one the board shows beside the
     * status (at the story's last report), so the two pages agree */
    if (!rc)
        rc = radar_store_story_likelihood(st, id, NULL, &d->likelihood, NULL);
    d->as_of = d->story.last_seen;
    if ((rc = radar_answer_status(m, rc))) {
        radar_story_detail_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

void radar_story_detail_free(radar_story_detail *d)
{
    if (d)
        radar_answer_free(d->mem_);
}

/* ---- a player ---- */

/* Rows of (type, [subject,] value, detail, date, article) facts. */
static int fact_rows(radar_store *st, struct radar_answer_mem *m, radar_sql_stmt *s, int with_subject, radar_fact_row **v,
                     size_t *n)
{
    radar_gather g = {.size = sizeof(radar_fact_row)};
    int rc = 0, k = with_subject;
    while (radar_store_row(st, s, &rc, "reading facts")) {
        radar_fact_row *f = radar_gather_push(&g);
        if (!f) {
            rc = RADAR_ENOMEM;
            break;
        }
        f->type = radar_answer_col_text(m, s, 0);
        f->subject = with_subject ? radar_answer_col_text(m, s, 1) : NULL;
        f->value = radar_answer_col_text(m, s, 1 + k);
        f->detail = radar_answer_col_text(m, s, 2 + k);
        f->date = radar_answer_col_text(m, s, 3 + k);
        f->article = radar_answer_col_text(m, s, 4 + k);
    }
    *v = radar_gather_keep(m, &g, n);
    return rc;
}

/* A player's stories, ages and facts. */
static int player_details(radar_store *st, struct radar_answer_mem *m, long newest, radar_player_row *p)
{
    radar_sql_stmt *q;
    int rc = radar_store_prepare(st, "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player "
                                     "WHERE s.player = ?1 ORDER BY s.last_seen DESC, s.to_club",
                                 &q);
    if (rc)
        return rc;
    radar_sql_bind_int64(q, 1, p->id);
    rc = story_rows(st, m, q, newest, "reading a player's stories", &p->stories, &p->n_stories);
    radar_sql_finalize(q);
    if (rc || (rc = radar_store_prepare(
                   st, "SELECT DISTINCT date, age FROM mentions WHERE player = ?1 AND age IS NOT NULL ORDER BY date, age", &q)))
        return rc;
    radar_gather g = {.size = sizeof(radar_age_row)};
    radar_sql_bind_int64(q, 1, p->id);
    while (radar_store_row(st, q, &rc, "reading a player's ages")) {
        radar_age_row *a = radar_gather_push(&g);
        if (!a) {
            rc = RADAR_ENOMEM;
            break;
        }
        a->date = radar_answer_col_text(m, q, 0);
        a->age = radar_sql_column_int64(q, 1);
    }
    radar_sql_finalize(q);
    p->ages = radar_gather_keep(m, &g, &p->n_ages);
    if (rc || (rc = radar_store_prepare(st,
                                        "SELECT f.type, f.value, f.detail, f.date, a.id FROM facts f JOIN articles a ON "
                                        "a.rowid = f.article WHERE f.type != 'age' AND f.subject IN (SELECT DISTINCT "
                                        "player_name FROM mentions WHERE player = ?1 UNION SELECT name FROM players "
                                        "WHERE id = ?1) ORDER BY f.date, f.id",
                                        &q)))
        return rc;
    radar_sql_bind_int64(q, 1, p->id);
    rc = fact_rows(st, m, q, 0, &p->facts, &p->n_facts);
    radar_sql_finalize(q);
    /* his position and nationality as the articles say them most: one
     * article's slip does not name him */
    static const char *const said[2] = {
        "SELECT position FROM mentions WHERE player = ?1 AND position IS NOT NULL GROUP BY position "
        "ORDER BY count(*) DESC, max(date) DESC, position LIMIT 1",
        "SELECT nationality FROM mentions WHERE player = ?1 AND nationality IS NOT NULL GROUP BY nationality "
        "ORDER BY count(*) DESC, max(date) DESC, nationality LIMIT 1"};
    const char **out[2] = {&p->position, &p->nationality};
    for (int i = 0; i < 2 && !rc; i++) {
        if ((rc = radar_store_prepare(st, said[i], &q)))
            break;
        radar_sql_bind_int64(q, 1, p->id);
        if (radar_store_row(st, q, &rc, "reading what the articles call a player"))
            *out[i] = radar_answer_col_text(m, q, 0);
        radar_sql_finalize(q);
    }
    return rc;
}

int radar_store_player_read(radar_store *st, const char *name, radar_player_list **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_player_list *l = radar_answer_new(sizeof *l, &m);
    if (!l)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    l->mem_ = m;
    l->query = radar_answer_str(m, name, strlen(name));
    char key[256];
    radar_store_name_key(name, key, sizeof key);
    radar_sql_stmt *s = NULL;
    long newest = -1;
    radar_gather g = {.size = sizeof(radar_player_row)};
    int rc = radar_store_prepare(st,
                                 "SELECT id, name, birth_year, club FROM players WHERE key = ?1 OR surname = ?1 OR key "
                                 "LIKE '% ' || ?1 ORDER BY (key = ?1) DESC, id LIMIT " RADAR_STR(RADAR_MAX_PLAYERS_LISTED),
                                 &s);
    if (!rc && !(rc = radar_store_newest_day(st, &newest)))
        radar_store_bind_text(s, 1, key);
    while (!rc && radar_store_row(st, s, &rc, "looking up players")) {
        radar_player_row *p = radar_gather_push(&g);
        if (!p) {
            rc = RADAR_ENOMEM;
            break;
        }
        p->id = radar_sql_column_int64(s, 0);
        p->name = radar_answer_col_text(m, s, 1);
        p->has_birth_year = radar_sql_column_type(s, 2) != RADAR_SQL_NULL;
        p->birth_year = radar_sql_column_int64(s, 2);
        p->club = radar_answer_col_text(m, s, 3);
    }
    radar_sql_finalize(s);
    s = NULL;
    /* no name form matches: the forms the identity rule takes for one man
     * ("Mo Salah" for Mohamed Salah, "Kvara") */
    long long ids[RADAR_MAX_PLAYERS_LISTED];
    int n_ids = 0;
    if (!rc && !g.n && !(rc = radar_store_players_named(st, name, 0, NULL, ids, RADAR_MAX_PLAYERS_LISTED, &n_ids, NULL)) &&
        n_ids)
        rc = radar_store_prepare(st, "SELECT id, name, birth_year, club FROM players WHERE id = ?1", &s);
    for (int i = 0; i < n_ids && !rc; i++) {
        radar_sql_reset(s);
        radar_sql_bind_int64(s, 1, ids[i]);
        if (!radar_store_row(st, s, &rc, "looking up players"))
            continue;
        radar_player_row *p = radar_gather_push(&g);
        if (!p) {
            rc = RADAR_ENOMEM;
            break;
        }
        p->id = radar_sql_column_int64(s, 0);
        p->name = radar_answer_col_text(m, s, 1);
        p->has_birth_year = radar_sql_column_type(s, 2) != RADAR_SQL_NULL;
        p->birth_year = radar_sql_column_int64(s, 2);
        p->club = radar_answer_col_text(m, s, 3);
    }
    radar_sql_finalize(s);
    l->v = radar_gather_keep(m, &g, &l->n);
    for (size_t i = 0; i < l->n && !rc; i++)
        rc = player_details(st, m, newest, &l->v[i]);
    if (!rc && !l->n)
        rc = radar_error_set(RADAR_ENOTFOUND, "no player called '%s' in the store", name);
    if ((rc = radar_answer_status(m, rc))) {
        radar_player_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void radar_player_list_free(radar_player_list *l)
{
    if (l)
        radar_answer_free(l->mem_);
}

/* ---- a club ---- */

int radar_store_club_read(radar_store *st, const char *name, radar_club_answer **out)
{
    struct radar_answer_mem *m;
    *out = NULL;
    radar_club_answer *c = radar_answer_new(sizeof *c, &m);
    if (!c)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    c->mem_ = m;
    char club[256];
    const char *canon = radar_store_canonical_club(st, name, club, sizeof club);
    c->club = radar_answer_str(m, canon, strlen(canon));
    static const char *const sql[2] = {
        "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.to_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC, s.id DESC LIMIT " RADAR_STR(RADAR_MAX_CLUB_STORIES),
        "SELECT " STORE_STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.from_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC, s.id DESC LIMIT " RADAR_STR(RADAR_MAX_CLUB_STORIES)};
    radar_story_row **lists[2] = {&c->linked_in, &c->linked_out};
    size_t *counts[2] = {&c->n_linked_in, &c->n_linked_out};
    long newest;
    int rc = radar_store_newest_day(st, &newest);
    for (int i = 0; i < 2 && !rc; i++) {
        radar_sql_stmt *s;
        if ((rc = radar_store_prepare(st, sql[i], &s)))
            break;
        radar_store_bind_text(s, 1, canon);
        rc = story_rows(st, m, s, newest, "listing a club's stories", lists[i], counts[i]);
        radar_sql_finalize(s);
    }
    radar_sql_stmt *s;
    if (!rc && !(rc = radar_store_prepare(st,
                                          "SELECT f.type, f.subject, f.value, f.detail, f.date, a.id FROM facts f JOIN "
                                          "articles a ON a.rowid = f.article WHERE f.id IN (SELECT id FROM facts WHERE "
                                          "subject = ?1 UNION SELECT f2.id FROM players p JOIN facts f2 ON f2.subject = "
                                          "p.name WHERE p.club = ?1 AND f2.type IN ('contract','injury')) ORDER BY "
                                          "f.date DESC, f.id LIMIT " RADAR_STR(RADAR_MAX_CLUB_FACTS),
                                          &s))) {
        radar_store_bind_text(s, 1, canon);
        rc = fact_rows(st, m, s, 1, &c->facts, &c->n_facts);
        radar_sql_finalize(s);
    }
    if ((rc = radar_answer_status(m, rc))) {
        radar_club_answer_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void radar_club_answer_free(radar_club_answer *c)
{
    if (c)
        radar_answer_free(c->mem_);
}
