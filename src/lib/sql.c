/*
 * sql.c - the store's SQL interface (see sql.h): the connection's calls for
 * both backends, and PostgreSQL's statements.
 *
 * A PostgreSQL statement keeps its SQL rewritten into PostgreSQL's dialect
 * once, at prepare; its bound values as text (text and doubles typed as
 * such; integers typed by the server from where they stand); and, once
 * stepped, the server's whole answer, read row by row: the store's
 * questions read answers of at most a few thousand rows, so nothing is
 * gained by a cursor and its round trips. A statement run a second time is
 * prepared on the server (PQprepare) and from then on run by its name, so
 * that the server parses and plans it once rather than at every run, which
 * was most of the time an ingest took; one run once (radar_sql_exec's) is
 * sent with its text, as preparing it would cost two more round trips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/buf.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "db_pg.h"
#include "fts_pg.h"
#include "sql.h"

/* PostgreSQL's type ids (pg_type.oid, fixed in the server's catalog) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_TEXT 25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

#define SQL_MAX_PARAMS 64 /* the largest ?N the store writes */
/* the advisory lock of the store's writers: its application id, "RADR" */
#define RADAR_SQL_WRITE_LOCK "1380009042"

struct sql_pg_stmt {
    radar_sql *c;
    char *text;             /* in PostgreSQL's dialect */
    int n_params;           /* $1 .. $n_params */
    int map[SQL_MAX_PARAMS + 1]; /* SQLite's ?N is $map[N]; 0: not in the text */
    char **values;          /* [n_params]: malloc'd text, or NULL for SQL NULL */
    unsigned *types;        /* [n_params]: a type id, or 0 for "the server infers it" */
    radar_pg_result *res;   /* the answer, once stepped */
    int row;                /* the current row of res */
    int noop;               /* nothing to do on PostgreSQL (a PRAGMA, the FTS5 index's upkeep) */
    int vector, title, body; /* an article's write: its tsvector ($vector) made from $title and $body, or 0 */
    int returning;          /* an INSERT given RETURNING its key: read into c->pg_last_id, no row shown */
    unsigned null_type;     /* a NULL's type: text, or none in a write, whose columns type it */
    int runs;               /* times sent to the server */
    char name[24];          /* its name on the server once prepared, "" before */
    unsigned *prep_types;   /* [n_params]: the types it was prepared with */
};

const char *radar_sql_errmsg(const radar_sql *c)
{
    if (c->pg)
        return c->pg_error ? c->pg_error : "no error";
    return sqlite3_errmsg(c->lite);
}

/* Keep the message radar_pg_* left as the last error (the server's own). */
static int pg_failed(radar_sql *c)
{
    free(c->pg_error);
    c->pg_error = strdup(radar_last_error());
    /* a key or constraint refused, as SQLite says it (class 23) */
    return !strncmp(radar_pg_sqlstate(c->pg), "23", 2) ? SQLITE_CONSTRAINT : RADAR_SQL_ERROR;
}

/* Whether the statement `sql` starts with the words `w` (any case, any space before). */
static int starts_with(const char *sql, const char *w)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    return !strncasecmp(sql, w, strlen(w));
}

int radar_sql_exec(radar_sql *c, const char *sql)
{
    if (!c->pg)
        return sqlite3_exec(c->lite, sql, NULL, NULL, NULL);
    /* one statement at a time, each in PostgreSQL's dialect */
    radar_buf one = {0};
    int rc = RADAR_SQL_OK;
    for (const char *p = sql; *p && rc == RADAR_SQL_OK;) {
        const char *e = p;
        while (*e && *e != ';') {
            if (*e == '\'' || *e == '"') {
                char q = *e++;
                while (*e && !(*e == q && e[1] != q))
                    e += *e == q ? 2 : 1;
            }
            if (*e)
                e++;
        }
        one.len = 0;
        if (radar_buf_append(&one, p, (size_t)(e - p)) || radar_buf_append(&one, "", 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        p = *e ? e + 1 : e;
        const char *t = one.data;
        while (*t == ' ' || *t == '\n' || *t == '\t')
            t++;
        if (!*t)
            continue;
        radar_sql_stmt *s;
        if ((rc = radar_sql_prepare(c, t, 0, &s)) != RADAR_SQL_OK)
            break;
        rc = radar_sql_step(s);
        rc = rc == RADAR_SQL_ROW || rc == RADAR_SQL_DONE ? RADAR_SQL_OK : rc;
        radar_sql_finalize(s);
        /* SQLite's BEGIN IMMEDIATE takes the store's one write lock at once;
         * here an advisory lock held to the transaction's end is that lock,
         * so writers on any machine take turns as they do on one file */
        if (rc == RADAR_SQL_OK && starts_with(t, "BEGIN IMMEDIATE"))
            rc = radar_pg_exec(c->pg, "SELECT pg_advisory_xact_lock(" RADAR_SQL_WRITE_LOCK ")") ? pg_failed(c)
                                                                                                  : RADAR_SQL_OK;
    }
    free(one.data);
    return rc;
}

int radar_sql_in_transaction(const radar_sql *c)
{
    return c->pg ? radar_pg_in_transaction(c->pg) : !sqlite3_get_autocommit(c->lite);
}

void radar_sql_rollback(radar_sql *c)
{
    if (!c->pg)
        sqlite3_exec(c->lite, "ROLLBACK", NULL, NULL, NULL);
    else if (radar_pg_in_transaction(c->pg))
        radar_pg_exec(c->pg, "ROLLBACK");
}

long long radar_sql_last_insert_id(const radar_sql *c)
{
    return c->pg ? c->pg_last_id : sqlite3_last_insert_rowid(c->lite);
}

long long radar_sql_changes(const radar_sql *c)
{
    return c->pg ? c->pg_changes : sqlite3_changes(c->lite);
}

/* ---- SQLite's dialect made PostgreSQL's ---------------------------------- */

static int is_word_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Does the word `w` start at p (and end there: no letter after it)? */
static int word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return !strncasecmp(p, w, n) && !is_word_char(p[n]);
}

/* After an ORDER BY term written in b: SQLite's order of NULLs (the smallest
 * value: first going up, last going down), which PostgreSQL reverses. */
static int nulls_as_sqlite(radar_buf *b)
{
    size_t n = b->len;
    while (n && b->data[n - 1] == ' ')
        n--;
    int desc = n >= 5 && !strncasecmp(b->data + n - 5, " DESC", 5);
    b->len = n;
    /* a term that says where its NULLs go (one that has none) is left as it is */
    if ((n >= 12 && !strncasecmp(b->data + n - 12, " NULLS FIRST", 12)) ||
        (n >= 11 && !strncasecmp(b->data + n - 11, " NULLS LAST", 11)))
        return 0;
    return radar_buf_puts(b, desc ? " NULLS LAST" : " NULLS FIRST");
}

/*
 * The store's SQL in PostgreSQL's dialect. Placeholders ?N (and bare ?,
 * numbered after the largest so far, as SQLite does) become $1, $2, ... in
 * the order they first appear, map[N] receiving the new number (a value
 * bound to a number the text does not use is dropped, as PostgreSQL
 * refuses a parameter it cannot type). Each ORDER BY term gets SQLite's
 * place for NULLs. Outside quoted text, these words change:
 *   IFNULL(           COALESCE(          (same meaning)
 *   INSTR(            STRPOS(
 *   CHAR(             CHR(               (one code point)
 *   CAST(substr(CAST(x AS BLOB), i, n) AS TEXT)   the same bytes of x's UTF-8:
 *                     convert_from(substr(convert_to(x, 'UTF8'), i, n), 'UTF8')
 *   GROUP_CONCAT(a, s)  STRING_AGG(a, s ORDER BY a)  (the store always gives a separator;
 *                     SQLite reads the names it joins in their index's order, or a UNION's)
 *   JSON_GROUP_ARRAY( json_agg(
 *   JSON_OBJECT(      json_build_object(
 *   LIKE              ILIKE              (SQLite's LIKE ignores case)
 *   sqlite_master     the tables and indexes of the store's schema (name, type)
 * and INSERT OR IGNORE is INSERT ... ON CONFLICT DO NOTHING. (SQLite's
 * two-argument MAX(a, b) and MIN(a, b) have no such twin: the store writes
 * them as CASE expressions.) *n_params receives the number of parameters.
 * NULL when out of memory or past SQL_MAX_PARAMS.
 */
/* INSERT OR REPLACE on PostgreSQL: the key SQLite replaces a row by (its
 * primary key or the unique constraint the INSERT meets), per table, and a
 * row's columns for an INSERT that names none. */
static const struct {
    const char *table, *key, *cols;
} REPLACE_KEYS[] = {
    {"meta", "key", "key, value"},
    {"article_authors", "article", NULL},
    {"follow_told", "story", NULL},
    {"likelihood_model", "id", NULL},
    {"outcomes", "player_name, to_club, date, outcome", NULL},
    {"resolutions", "story, ended", NULL},
    {"registry_clubs", "id", NULL},
    {"registry_players", "id", NULL},
    {"registry_transfers", "player, date, to_club", NULL},
    {"player_links", "player", NULL},
    {"source_stats", "name", NULL},
};

/* The tables whose new rows' keys the store reads (last_insert_id). */
static const struct {
    const char *table, *key;
} ID_KEYS[] = {{"articles", "rowid"}, {"players", "id"}, {"stories", "id"}, {"mentions", "id"}};

/* The name after "INTO " in an INSERT, into out; and where it ends. */
static const char *insert_table(const char *sql, char *out, size_t cap)
{
    const char *p = strstr(sql, "INTO ");
    size_t n = 0;
    out[0] = 0;
    if (!p)
        return sql + strlen(sql);
    for (p += 5; is_word_char(*p) && n + 1 < cap; p++)
        out[n++] = *p;
    out[n] = 0;
    return p;
}

/* SQLite numbers a new row one past the largest key (the number of a row
 * rolled back is used again); a sequence never goes back. The store's
 * writers take turns (BEGIN IMMEDIATE), so here too a new row of ID_KEYS's
 * tables is numbered one past the largest: the ids, which the export and
 * the questions show, are SQLite's after a rollback or a kill too. The
 * INSERT ... VALUES with that key added (malloc'd), or NULL for another
 * statement. */
static char *numbered(const char *sql)
{
    char table[64];
    if (!starts_with(sql, "INSERT INTO "))
        return NULL;
    const char *cols = insert_table(sql, table, sizeof table), *values = strstr(cols, " VALUES (");
    size_t i, n = sizeof ID_KEYS / sizeof *ID_KEYS;
    for (i = 0; i < n && strcmp(ID_KEYS[i].table, table); i++)
        ;
    if (i == n || *cols != '(' || !values)
        return NULL;
    radar_buf b = {0};
    int ok = radar_buf_append(&b, sql, (size_t)(cols + 1 - sql)) == 0 &&
             radar_buf_printf(&b, "%s, ", ID_KEYS[i].key) == 0 &&
             radar_buf_append(&b, cols + 1, (size_t)(values - cols - 1)) == 0 &&
             radar_buf_printf(&b, " VALUES ((SELECT coalesce(max(%s), 0) + 1 FROM %s), ", ID_KEYS[i].key, table) == 0 &&
             radar_buf_puts(&b, values + 9) == 0 && radar_buf_append(&b, "", 1) == 0;
    if (!ok)
        free(b.data);
    return ok ? b.data : NULL;
}

/* Is `col` one of the comma-separated names in `list`? */
static int in_list(const char *list, const char *col, size_t len)
{
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == len && !strncmp(p, col, n))
            return 1;
        p += n;
    }
    return 0;
}

/* " ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c, ..." for an INSERT OR
 * REPLACE into `table` whose column list (or NULL) starts at cols. */
static int replace_clause(radar_buf *b, const char *table, const char *cols)
{
    size_t i, n = sizeof REPLACE_KEYS / sizeof *REPLACE_KEYS;
    for (i = 0; i < n && strcmp(REPLACE_KEYS[i].table, table); i++)
        ;
    if (i == n) /* a table the store never replaces into: its primary key decides */
        return radar_buf_puts(b, " ON CONFLICT DO NOTHING");
    const char *list = cols && *cols == '(' ? cols + 1 : REPLACE_KEYS[i].cols;
    int set = 0;
    if (radar_buf_printf(b, " ON CONFLICT (%s) DO UPDATE SET ", REPLACE_KEYS[i].key))
        return -1;
    for (const char *p = list; p && *p && *p != ')';) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", )");
        if (len && !in_list(REPLACE_KEYS[i].key, p, len) &&
            radar_buf_printf(b, "%s%.*s = EXCLUDED.%.*s", set++ ? ", " : "", (int)len, p, (int)len, p))
            return -1;
        p += len;
    }
    if (!set) { /* nothing but the key: the row is there already */
        b->len -= strlen(" DO UPDATE SET ");
        return radar_buf_puts(b, " DO NOTHING");
    }
    return 0;
}

/* The words rewritten (pg_dialect's comment above says why each). */
static const struct {
    const char *from, *to;
} WORDS[] = {{"IFNULL(", "COALESCE("},
             {"INSTR(", "STRPOS("},
             {"CHAR(", "CHR("},
             {"CAST(substr(CAST(", "convert_from(substr(convert_to("},
             {"GROUP_CONCAT(", "STRING_AGG("},
             {"JSON_GROUP_ARRAY(", "json_agg("},
             {"JSON_OBJECT(", "json_build_object("},
             {"LIKE ", "ILIKE "},
             /* from pg_catalog: information_schema's views cost a new session some 40 ms to plan,
              * and every command asks this of a new session */
             {"sqlite_master ", "(SELECT c.relname::text AS name, CASE WHEN c.relkind IN ('i', 'I') THEN "
                                "'index' ELSE 'table' END AS type FROM pg_catalog.pg_class c JOIN "
                                "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                                "current_schema() AND c.relkind IN ('r', 'p', 'v', 'f', 'i', 'I')) AS "
                                "sqlite_master "},
             {"BEGIN IMMEDIATE", "BEGIN"},
             {"strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
              "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"},
             /* a count of other connections' commits: none kept here (radar_store_begin) */
             {"(SELECT data_version FROM pragma_data_version)", "(-1)"},
             /* the store's size (a bulk load's measure): bytes, pages of one */
             {"(SELECT page_count FROM pragma_page_count)", "(SELECT pg_database_size(current_database()))"},
             {"(SELECT page_size FROM pragma_page_size)", "1"},
             /* a mention's first evidence span (the store writes [[start, end], ...]) */
             {"json_valid(m.evidence)", "(m.evidence IS NOT NULL)"},
             {"json_extract(m.evidence, '$[0][0]')", "CAST(CAST(m.evidence AS json) -> 0 ->> 0 AS integer)"},
             {"json_extract(m.evidence, '$[0][1]')", "CAST(CAST(m.evidence AS json) -> 0 ->> 1 AS integer)"},
             {"INSERT OR REPLACE ", "INSERT "},
             {"INSERT OR IGNORE ", "INSERT "}}; /* last: it adds ON CONFLICT DO NOTHING */
#define N_WORDS (sizeof WORDS / sizeof *WORDS)

/* pg_dialect's state while it writes a statement. */
typedef struct dialect {
    radar_buf b;
    int *map;
    int max, used, ignore, depth, order; /* order: the depth of an open ORDER BY */
    int bytes;             /* inside CAST(substr(CAST(: its AS BLOB) and AS TEXT) to come */
    int date_at, date_mod; /* inside date(: its depth, and whether past its first argument */
    int agg_at;            /* inside GROUP_CONCAT(: its depth; agg its first argument */
    char agg[64];
} dialect;

/* A placeholder at *p (?N or ?) as $M: 0, or -1 past SQL_MAX_PARAMS or out of memory. */
static int placeholder(dialect *d, const char **p)
{
    int n = 0;
    const char *e = *p + 1;
    while (*e >= '0' && *e <= '9' && n <= SQL_MAX_PARAMS)
        n = n * 10 + (*e++ - '0');
    if (e == *p + 1)
        n = d->max + 1;
    if (n < 1 || n > SQL_MAX_PARAMS)
        return -1;
    if (n > d->max)
        d->max = n;
    if (!d->map[n])
        d->map[n] = ++d->used;
    *p = e;
    return radar_buf_printf(&d->b, "$%d", d->map[n]) ? -1 : 0;
}

/* SQLite's date(d, 'modifier') (days, years), the day of d moved, as text:
 * to_char(CAST(left(d, 10) AS date) + CAST('modifier' AS interval), 'YYYY-MM-DD').
 * 1 when *p was a piece of it (written, *p moved on), 0 when not, -1 out of memory. */
static int date_call(dialect *d, const char **p, int prev_word)
{
    const char *q = *p;
    int rc;
    if (!prev_word && d->date_at < 0 && !strncasecmp(q, "date(", 5)) {
        rc = radar_buf_puts(&d->b, "to_char(CAST(left(");
        d->date_at = ++d->depth;
        d->date_mod = 0;
        *p = q + 5;
        return rc ? -1 : 1;
    }
    if (d->depth != d->date_at || !((*q == ',' && !d->date_mod) || *q == ')'))
        return 0;
    if (*q == ',') {
        rc = radar_buf_puts(&d->b, ", 10) AS date) + CAST(");
        d->date_mod = 1;
    } else {
        rc = radar_buf_puts(&d->b, d->date_mod ? " AS interval), 'YYYY-MM-DD')" : ", 10) AS date), 'YYYY-MM-DD')");
        d->date_at = -1;
        d->depth--;
    }
    *p = q + 1;
    return rc ? -1 : 1;
}

/* One of WORDS at *p: 1 written (*p moved on), 0 none, -1 out of memory. */
static int rewrite_word(dialect *d, const char **p)
{
    size_t i;
    for (i = 0; i < N_WORDS; i++)
        if (!strncasecmp(*p, WORDS[i].from, strlen(WORDS[i].from)))
            break;
    if (i == N_WORDS)
        return 0;
    const char *after = *p + strlen(WORDS[i].from);
    int rc = radar_buf_puts(&d->b, WORDS[i].to);
    for (const char *f = WORDS[i].from; *f; f++)
        d->depth += (*f == '(') - (*f == ')');
    d->ignore |= i == N_WORDS - 1;
    if (!strcmp(WORDS[i].from, "GROUP_CONCAT(") && d->agg_at < 0) { /* its order: see above */
        size_t n = strcspn(after, ",)");
        if (n < sizeof d->agg) {
            snprintf(d->agg, sizeof d->agg, "%.*s", (int)n, after);
            d->agg_at = d->depth;
        }
    }
    d->bytes += !strncasecmp(WORDS[i].from, "CAST(", 5);
    *p = after;
    return rc ? -1 : 1;
}

/* What an INSERT ends with: ON CONFLICT for OR IGNORE and OR REPLACE, and
 * RETURNING the key of a row of ID_KEYS's tables. */
static int insert_end(dialect *d, const char *table, const char *after_table, int replace, int *returning)
{
    if (d->ignore && radar_buf_puts(&d->b, " ON CONFLICT DO NOTHING"))
        return -1;
    if (replace)
        return replace_clause(&d->b, table, after_table);
    for (size_t i = 0; after_table && i < sizeof ID_KEYS / sizeof *ID_KEYS; i++)
        if (!strcmp(table, ID_KEYS[i].table)) {
            *returning = 1;
            return radar_buf_printf(&d->b, " RETURNING %s", ID_KEYS[i].key);
        }
    return 0;
}

static char *pg_dialect(const char *sql, int *n_params, int map[SQL_MAX_PARAMS + 1], int *returning)
{
    /* SQLite's count of other connections' commits, by which a handle knows
     * to read the likelihood model again: PostgreSQL has none, so a handle
     * there reads the model once, when first needed */
    if (!strcmp(sql, "PRAGMA data_version"))
        sql = "SELECT -1"; /* never the same twice: see radar_store_begin */
    int ddl = starts_with(sql, "CREATE TABLE") || starts_with(sql, "CREATE TEMP TABLE");
    int replace = starts_with(sql, "INSERT OR REPLACE INTO ");
    char table[64];
    const char *after_table = starts_with(sql, "INSERT") ? insert_table(sql, table, sizeof table) : NULL;
    *returning = 0;
    dialect d = {.map = map, .order = -1, .date_at = -1, .agg_at = -1};
    const char *p = sql;
    int ok = 1, r;
    while (ok) {
        if (d.order >= 0 && (!*p || (*p == ')' && d.depth == d.order) || (*p == ',' && d.depth == d.order) ||
                             (d.depth == d.order && (word_at(p, "LIMIT") || word_at(p, "OFFSET"))))) {
            ok = nulls_as_sqlite(&d.b) == 0 && radar_buf_puts(&d.b, *p == ',' ? "" : " ") == 0;
            if (*p != ',')
                d.order = -1;
            if (!ok)
                break;
        }
        if (!*p)
            break;
        if (*p == '\'' || *p == '"') { /* quoted: as written */
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q))
                e += *e == q ? 2 : 1;
            if (*e)
                e++;
            ok = radar_buf_append(&d.b, p, (size_t)(e - p)) == 0;
            p = e;
            continue;
        }
        if (*p == '?') {
            ok = placeholder(&d, &p) == 0;
            continue;
        }
        if (d.bytes && (!strncasecmp(p, " AS BLOB)", 9) || !strncasecmp(p, " AS TEXT)", 9))) {
            ok = radar_buf_puts(&d.b, ", 'UTF8')") == 0;
            d.bytes -= p[4] == 'T' || p[4] == 't'; /* the idiom's end */
            d.depth--;
            p += 9;
            continue;
        }
        int prev_word = p > sql && is_word_char(p[-1]);
        if ((r = date_call(&d, &p, prev_word))) {
            ok = r > 0;
            continue;
        }
        if (ddl && !prev_word) { /* SQLite's types as db copy writes them */
            const char *to = word_at(p, "REAL") ? "double precision" : word_at(p, "INTEGER") ? "bigint" : NULL;
            if (to || !strncasecmp(p, "WITHOUT ROWID", 13)) {
                ok = !to || radar_buf_puts(&d.b, to) == 0;
                p += to ? strcspn(p, " ,)") : 13;
                continue;
            }
        }
        if (!prev_word && word_at(p, "ORDER") && !strncasecmp(p + 5, " BY ", 4)) {
            ok = radar_buf_puts(&d.b, "ORDER BY ") == 0;
            d.order = d.depth;
            p += 9;
            continue;
        }
        if (*p == ')' && d.depth == d.agg_at) { /* GROUP_CONCAT's order: see above */
            ok = radar_buf_printf(&d.b, " ORDER BY %s", d.agg) == 0;
            d.agg_at = -1;
        }
        d.depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
        if (!prev_word && (r = rewrite_word(&d, &p))) {
            ok = r > 0;
            continue;
        }
        ok = radar_buf_append(&d.b, p, 1) == 0;
        p++;
    }
    if (ok)
        ok = insert_end(&d, table, after_table, replace, returning) == 0 && radar_buf_append(&d.b, "", 1) == 0;
    if (!ok) {
        free(d.b.data);
        return NULL;
    }
    *n_params = d.used;
    return d.b.data;
}

#define VECTOR_PARAM SQL_MAX_PARAMS /* the placeholder an article's vector is bound to */

/* The placeholder number written right after "name=" or "name =" in
 * sql[0..end), or 0. */
static int param_after(const char *sql, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = sql; (p = strstr(p, name)) && p < end; p++) {
        if (p > sql && is_word_char(p[-1]))
            continue;
        const char *q = p + n;
        while (*q == ' ')
            q++;
        if (*q++ != '=')
            continue;
        while (*q == ' ')
            q++;
        if (*q == '?')
            return atoi(q + 1);
    }
    return 0;
}

/* An article's write (the store's INSERT INTO articles(...) VALUES (...) or
 * UPDATE articles SET ... WHERE, with its title and body) as PostgreSQL's
 * store writes it: the articles_fts column too, from a placeholder
 * (VECTOR_PARAM) the step fills with the tsvector of the title and body
 * bound (fts_pg.c). Their placeholders into *title and *body. A new string,
 * or NULL: not such a statement (or out of memory: the statement is then
 * refused by the server, the column missing from nothing). */
static char *article_vector(const char *sql, int *title, int *body)
{
    radar_buf b = RADAR_BUF_INIT;
    if (starts_with(sql, "INSERT INTO articles(")) {
        /* the columns and the values, in the same order */
        const char *cols = strchr(sql, '(') + 1, *cols_end = strchr(cols, ')');
        const char *vals = cols_end ? strstr(cols_end, "VALUES (") : NULL;
        const char *vals_end = vals ? strrchr(vals, ')') : NULL;
        if (!vals_end)
            return NULL;
        vals += 8;
        const char *c = cols, *v = vals;
        for (int i = 0; c < cols_end && v < vals_end; i++) {
            while (*c == ' ')
                c++;
            size_t len = strcspn(c, ",)");
            while (*v == ' ')
                v++;
            if (*v == '?' && len == 5 && !strncmp(c, "title", 5))
                *title = atoi(v + 1);
            if (*v == '?' && len == 4 && !strncmp(c, "body", 4))
                *body = atoi(v + 1);
            c += len + 1;
            v += strcspn(v, ",)") + 1;
        }
        if (!*title || !*body ||
            radar_buf_append(&b, sql, (size_t)(cols_end - sql)) || radar_buf_puts(&b, ", articles_fts") ||
            radar_buf_append(&b, cols_end, (size_t)(vals_end - cols_end)) ||
            radar_buf_puts(&b, ", CAST(?" RADAR_STR(VECTOR_PARAM) " AS tsvector)") || radar_buf_puts(&b, vals_end)) {
            radar_buf_free(&b);
            return NULL;
        }
        return b.data;
    }
    if (starts_with(sql, "UPDATE articles SET ")) {
        const char *where = strstr(sql, " WHERE ");
        if (!where)
            return NULL;
        *title = param_after(sql, where, "title");
        *body = param_after(sql, where, "body");
        if (!*title || !*body || radar_buf_append(&b, sql, (size_t)(where - sql)) ||
            radar_buf_puts(&b, ", articles_fts = CAST(?" RADAR_STR(VECTOR_PARAM) " AS tsvector)") ||
            radar_buf_puts(&b, where)) {
            radar_buf_free(&b);
            return NULL;
        }
        return b.data;
    }
    return NULL;
}

int radar_sql_prepare(radar_sql *c, const char *sql, int persistent, radar_sql_stmt **out)
{
    *out = NULL;
    radar_sql_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return SQLITE_NOMEM;
    if (!c->pg) {
        int rc = persistent ? sqlite3_prepare_v3(c->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->lite, NULL)
                            : sqlite3_prepare_v2(c->lite, sql, -1, &s->lite, NULL);
        if (rc != SQLITE_OK || !s->lite) {
            sqlite3_finalize(s->lite);
            free(s);
            return rc != SQLITE_OK ? rc : RADAR_SQL_ERROR; /* no statement in the text */
        }
        *out = s;
        return RADAR_SQL_OK;
    }
    struct sql_pg_stmt *p = calloc(1, sizeof *p);
    int title = 0, body = 0;
    char *with_vector = article_vector(sql, &title, &body);
    if (with_vector)
        sql = with_vector;
    char *keyed = numbered(sql);
    if (p)
        p->text = pg_dialect(keyed ? keyed : sql, &p->n_params, p->map, &p->returning);
    free(keyed);
    if (!p || !p->text ||
        (p->n_params && (!(p->values = calloc((size_t)p->n_params, sizeof *p->values)) ||
                         !(p->types = calloc((size_t)p->n_params, sizeof *p->types))))) {
        if (p) {
            free(p->text);
            free(p->values);
        }
        free(p);
        free(s);
        free(with_vector);
        return SQLITE_NOMEM;
    }
    if (with_vector) {
        p->vector = p->map[VECTOR_PARAM];
        p->title = p->map[title];
        p->body = p->map[body];
    }
    p->c = c;
    p->row = -1;
    p->null_type = starts_with(sql, "INSERT") || starts_with(sql, "UPDATE") ? 0 : OID_TEXT;
    /* SQLite's tuning, and the FTS5 index's upkeep: PostgreSQL's index is
     * the articles' tsvector column, written with the article (above) */
    p->noop = (starts_with(sql, "PRAGMA") && strcmp(sql, "PRAGMA data_version")) ||
              starts_with(sql, "INSERT INTO articles_fts");
    free(with_vector); /* `sql` may point into it until here */
    s->pg = p;
    *out = s;
    return RADAR_SQL_OK;
}

/* ---- PostgreSQL's statements ---------------------------------------------- */

int radar_sql_pg_reset(radar_sql_stmt *s)
{
    radar_pg_result_free(s->pg->res);
    s->pg->res = NULL;
    s->pg->row = -1;
    return RADAR_SQL_OK;
}

int radar_sql_pg_clear_bindings(radar_sql_stmt *s)
{
    struct sql_pg_stmt *p = s->pg;
    for (int i = 0; i < p->n_params; i++) {
        free(p->values[i]);
        p->values[i] = NULL;
        p->types[i] = 0;
    }
    return RADAR_SQL_OK;
}

int radar_sql_pg_finalize(radar_sql_stmt *s)
{
    radar_sql_pg_reset(s);
    radar_sql_pg_clear_bindings(s);
    if (s->pg->name[0])
        radar_pg_deallocate(s->pg->c->pg, s->pg->name);
    free(s->pg->prep_types);
    free(s->pg->values);
    free(s->pg->types);
    free(s->pg->text);
    free(s->pg);
    free(s);
    return RADAR_SQL_OK;
}

/* Whether the values bound now fit the types p was prepared with: the same
 * type for each, or a NULL (of any type). */
static int fits_prepared(const struct sql_pg_stmt *p)
{
    for (int i = 0; i < p->n_params; i++)
        if (p->values[i] && p->types[i] != p->prep_types[i])
            return 0;
    return 1;
}

/* Prepare p on the server under a new name with the types bound now (for a
 * NULL, the type it was prepared with before: the column's), dropping the
 * name it had. */
static int pg_prepare(struct sql_pg_stmt *p)
{
    if (p->n_params && !p->prep_types && !(p->prep_types = calloc((size_t)p->n_params, sizeof *p->prep_types)))
        return SQLITE_NOMEM;
    for (int i = 0; i < p->n_params; i++)
        if (p->values[i] || !p->name[0])
            p->prep_types[i] = p->types[i];
    if (p->name[0])
        radar_pg_deallocate(p->c->pg, p->name);
    snprintf(p->name, sizeof p->name, "radar_%lu", ++p->c->pg_prepared);
    if (radar_pg_prepare(p->c->pg, p->name, p->text, p->n_params, p->prep_types)) {
        p->name[0] = 0;
        return pg_failed(p->c);
    }
    return RADAR_SQL_OK;
}

/* Send p with the values bound: by its text the first time, by its name after. */
static int pg_run(struct sql_pg_stmt *p)
{
    const char *const *values = (const char *const *)p->values;
    if (p->runs++ == 0)
        return radar_pg_query_typed(p->c->pg, &p->res, p->text, p->n_params, values, p->types) ? pg_failed(p->c)
                                                                                            : RADAR_SQL_OK;
    if (!p->name[0] || !fits_prepared(p)) {
        int rc = pg_prepare(p);
        if (rc != RADAR_SQL_OK)
            return rc;
    }
    return radar_pg_query_prepared(p->c->pg, &p->res, p->name, p->n_params, values) ? pg_failed(p->c)
                                                                                     : RADAR_SQL_OK;
}

/* An article's vector, from the title and body bound, bound where the
 * statement writes it (article_vector). */
static int fts_vector(struct sql_pg_stmt *p)
{
    const char *texts[2] = {p->values[p->title - 1], p->values[p->body - 1]};
    size_t lens[2] = {texts[0] ? strlen(texts[0]) : 0, texts[1] ? strlen(texts[1]) : 0};
    radar_buf v = RADAR_BUF_INIT;
    if (radar_fts_tsvector(&v, texts, lens, 2) || radar_buf_reserve(&v, 0)) {
        radar_buf_free(&v);
        return SQLITE_NOMEM;
    }
    free(p->values[p->vector - 1]);
    p->values[p->vector - 1] = v.data;
    p->types[p->vector - 1] = OID_TEXT;
    return RADAR_SQL_OK;
}

int radar_sql_pg_step(radar_sql_stmt *s)
{
    struct sql_pg_stmt *p = s->pg;
    if (p->noop)
        return RADAR_SQL_DONE;
    if (!p->res && p->vector && p->title && p->body) {
        int rc = fts_vector(p);
        if (rc != RADAR_SQL_OK)
            return rc;
    }
    if (!p->res) {
        int rc = pg_run(p);
        if (rc != RADAR_SQL_OK)
            return rc;
        p->row = -1;
        p->c->pg_changes = radar_pg_changes(p->res);
        if (p->returning) {
            int n = radar_pg_rows(p->res);
            if (n > 0)
                p->c->pg_last_id = strtoll(radar_pg_value(p->res, n - 1, 0), NULL, 10);
            return RADAR_SQL_DONE;
        }
    }
    if (p->returning)
        return RADAR_SQL_DONE;
    if (p->row < radar_pg_rows(p->res))
        p->row++;
    return p->row < radar_pg_rows(p->res) ? RADAR_SQL_ROW : RADAR_SQL_DONE;
}

static int bind(radar_sql_stmt *s, int i, char *text, unsigned type)
{
    struct sql_pg_stmt *p = s->pg;
    if (i < 1 || i > SQL_MAX_PARAMS || !p->map[i]) { /* not in the text: as SQLite, no error the store reads */
        free(text);
        return SQLITE_RANGE;
    }
    i = p->map[i];
    free(p->values[i - 1]);
    p->values[i - 1] = text;
    p->types[i - 1] = type;
    return RADAR_SQL_OK;
}

int radar_sql_pg_bind_int64(radar_sql_stmt *s, int i, long long v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", v);
    char *t = strdup(num);
    /* typed by the server from where it stands: "substr(x, $1 + 1)" wants
     * an integer, not the bigint a typed value would make of it */
    return t ? bind(s, i, t, 0) : SQLITE_NOMEM;
}

int radar_sql_pg_bind_double(radar_sql_stmt *s, int i, double v)
{
    char num[40];
    snprintf(num, sizeof num, "%.17g", v); /* read back as the same double */
    char *t = strdup(num);
    return t ? bind(s, i, t, OID_FLOAT8) : SQLITE_NOMEM;
}

int radar_sql_pg_bind_text(radar_sql_stmt *s, int i, const char *v, int n)
{
    if (!v)
        return radar_sql_pg_bind_null(s, i);
    size_t len = n < 0 ? strlen(v) : (size_t)n;
    char *t = malloc(len + 1);
    if (!t)
        return SQLITE_NOMEM;
    memcpy(t, v, len);
    t[len] = 0;
    return bind(s, i, t, OID_TEXT); /* typed: "?2 IS NULL OR date > ?2" */
}

int radar_sql_pg_bind_null(radar_sql_stmt *s, int i)
{
    /* as text where a question binds NULL for text left out ("?2 IS NULL
     * OR ..."); untyped in an INSERT or UPDATE, where the column types it */
    return bind(s, i, NULL, s->pg->null_type);
}

static const char *value(radar_sql_stmt *s, int i)
{
    struct sql_pg_stmt *p = s->pg;
    if (!p->res || p->row < 0 || p->row >= radar_pg_rows(p->res) || i < 0 || i >= radar_pg_columns(p->res))
        return NULL;
    return radar_pg_value(p->res, p->row, i);
}

int radar_sql_pg_column_type(radar_sql_stmt *s, int i)
{
    const char *v = value(s, i);
    if (!v)
        return RADAR_SQL_NULL;
    switch (radar_pg_type(s->pg->res, i)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return RADAR_SQL_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return RADAR_SQL_FLOAT;
    case OID_NUMERIC: /* SQLite's NUMERIC keeps a whole number as an integer */
        return strpbrk(v, ".eE") ? RADAR_SQL_FLOAT : RADAR_SQL_INTEGER;
    case OID_BYTEA:
        return RADAR_SQL_BLOB;
    default:
        return RADAR_SQL_TEXT;
    }
}

long long radar_sql_pg_column_int64(radar_sql_stmt *s, int i)
{
    const char *v = value(s, i);
    if (!v)
        return 0;
    if (*v == 't' || *v == 'f') /* a boolean */
        return *v == 't';
    if (strpbrk(v, ".eE")) /* a double read as an integer: truncated, as SQLite does */
        return (long long)strtod(v, NULL);
    return strtoll(v, NULL, 10);
}

double radar_sql_pg_column_double(radar_sql_stmt *s, int i)
{
    const char *v = value(s, i);
    if (!v)
        return 0;
    if (*v == 't' || *v == 'f')
        return *v == 't';
    return strtod(v, NULL);
}

const unsigned char *radar_sql_pg_column_text(radar_sql_stmt *s, int i)
{
    const char *v = value(s, i);
    if (v && radar_pg_type(s->pg->res, i) == OID_BOOL) /* as SQLite writes 1 and 0 */
        return (const unsigned char *)(*v == 't' ? "1" : "0");
    return (const unsigned char *)v;
}

int radar_sql_pg_column_bytes(radar_sql_stmt *s, int i)
{
    const unsigned char *v = radar_sql_pg_column_text(s, i);
    return v ? (int)strlen((const char *)v) : 0;
}

/* ---- full-text search and time limits ------------------------------------ */

void radar_sql_fts_pieces(const radar_sql *c, const char **from, const char **match, const char **snippet,
                          const char **newest)
{
    if (!c->pg) {
        /* the index's own rowid: FTS5 walks it backwards and stops at the
         * LIMIT, where a.rowid would sort every hit first */
        *newest = "articles_fts.rowid DESC";
        *from = "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid";
        *match = "articles_fts MATCH ?1";
        *snippet = "snippet(articles_fts, 1, '[', ']', '...', 16)";
        return;
    }
    /* the tsvector column the client writes (title and body, each word
     * folded as FTS5's tokenizer folds it: fts_pg.c), and the query's
     * words folded alike, given as a tsquery as they are */
    *from = "articles a";
    *match = "a.articles_fts @@ CAST(?1 AS tsquery)";
    /* the key is never NULL: NULLS FIRST, as its index is read backwards, so
     * that the newest hits come from it without sorting every hit */
    *newest = "a.rowid DESC NULLS FIRST";
    /* the body: the passage is cut from it here (radar_sql_fts_passage),
     * as ts_headline would read it unfolded */
    *snippet = "a.body";
}

int radar_sql_fts_passage(const radar_sql *c, const char *fts5, const char *value, char **out)
{
    *out = NULL;
    if (!c->pg || !value)
        return 0;
    return radar_fts_passage(value, strlen(value), fts5, out);
}

int radar_sql_fts_query(const radar_sql *c, const char *fts5, char **out)
{
    *out = NULL;
    if (!c->pg) {
        *out = strdup(fts5);
        return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    radar_buf b = {0}, term = {0};
    int ok = 1, terms = 0, negate = 0, prefix = 0, got;
    const char *p = fts5;
    while (ok && (got = radar_fts_next_term(&p, &term, &negate, &prefix)) != 0) {
        if (got < 0) {
            ok = 0;
            break;
        }
        size_t mark = b.len;
        ok = (!terms || radar_buf_puts(&b, " & ") == 0) && (!negate || radar_buf_putc(&b, '!') == 0);
        int words = ok ? radar_fts_tsquery_term(&b, term.data, term.len, prefix) : -1;
        ok = words >= 0;
        if (ok && !words) /* no word: matches what the empty term matches in FTS5, every row */
            b.len = mark;
        else
            terms++;
    }
    free(term.data);
    if (ok)
        ok = radar_buf_append(&b, "", 1) == 0;
    if (!ok) {
        free(b.data);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    *out = b.data;
    return 0;
}

int radar_sql_limit_time(radar_sql *c, int ms, int (*progress)(void *), void *ctx)
{
    if (!c->pg) {
        /* every 100 steps: FTS5 runs small statements of its own while it
         * merges a prefix's postings, each counting its own steps */
        sqlite3_progress_handler(c->lite, ms > 0 ? 100 : 0, ms > 0 ? progress : NULL, ctx);
        return 0;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d", ms > 0 ? ms : 0);
    return radar_sql_exec(c, sql) == RADAR_SQL_OK ? 0 : RADAR_EIO;
}

int radar_sql_timed_out(const radar_sql *c)
{
    return c->pg && c->pg_error && strstr(c->pg_error, "statement timeout");
}
