/*
 * db_copy.c - radar_db_copy: a whole store from SQLite to PostgreSQL and back.
 *
 * Nothing here knows the store's tables. The source's schema is read from its
 * own catalog (SQLite: sqlite_master and the table_info, index_list and
 * foreign_key_list pragmas; PostgreSQL: information_schema, with pg_catalog
 * for indexes and foreign keys, which information_schema does not describe)
 * into one neutral description, which is written out again in the
 * destination's dialect. So a table added to the store tomorrow is copied
 * without a change here.
 *
 * What each side has that the other has not:
 *   - SQLite's FTS5 index (a virtual table over an external-content table) is
 *     a tsvector column generated from the same columns, with a GIN index, in
 *     PostgreSQL. The column's comment keeps the FTS5 declaration, so the
 *     copy back declares the same index and rebuilds it from the articles.
 *   - An SQLite INTEGER PRIMARY KEY (the rowid) is a bigint identity column,
 *     its sequence set past the largest id so that later inserts go on.
 *   - WITHOUT ROWID is a table comment ("sqlite: WITHOUT ROWID").
 *   - The schema version and application id (SQLite's user_version and
 *     application_id pragmas) are the one row of the table radar_schema.
 * Rows move in COPY's text format on the PostgreSQL side (PQputCopyData and
 * PQgetCopyData: no statement per row) and through one prepared INSERT on the
 * SQLite side, all in one transaction; indexes and foreign keys are made
 * after the rows are in, which is quicker than keeping them current.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "radar/buf.h"
#include "radar/db.h"
#include "radar/error.h"
#include "radar/store.h"
#include "arena.h"
#include "db_pg.h"

#define APPLICATION_ID 1380009042 /* Transfer Radar's SQLite application_id (store.c) */
#define PG_SCHEMA_TABLE "radar_schema"
#define WITHOUT_ROWID_COMMENT "sqlite: WITHOUT ROWID"
#define COPY_FLUSH (256 * 1024) /* bytes of COPY text gathered before they are sent */

/* ---- the neutral schema ---------------------------------------------------- */

enum { T_INTEGER, T_REAL, T_TEXT, T_BLOB, T_NUMERIC, T_BOOL };

typedef struct column {
    const char *name;
    int type;
    int notnull;
    const char *dflt; /* the default as an SQL expression, or NULL */
} column;

typedef struct key { /* a primary key, unique constraint or index: columns by position or SQL text */
    const char *name;    /* indexes only */
    const char **cols;   /* quoted column names or expressions, with " DESC" where descending */
    int n_cols, cap_cols;
    int unique;
    const char *where;   /* a partial index's condition, or NULL */
} key;

typedef struct table {
    const char *name;
    const char *sql; /* SQLite's CREATE TABLE, or NULL */
    column *cols;
    int n_cols, cap_cols;
    key pk;              /* n_cols 0: no primary key */
    int rowid_pk;        /* the primary key is one INTEGER column that numbers the rows (SQLite's rowid) */
    int without_rowid;
    key *uniques;
    int n_uniques, cap_uniques;
    key *indexes;
    int n_indexes, cap_indexes;
    const char **fks;    /* "FOREIGN KEY (...) REFERENCES t(...) ON DELETE ..." */
    int n_fks, cap_fks;
} table;

typedef struct fts { /* a full-text index over columns of a table */
    const char *name;  /* the FTS5 table's name; the tsvector column's name */
    const char *table; /* the table whose text it indexes */
    const char **cols;
    int n_cols, cap_cols;
    const char *sql;   /* the FTS5 declaration, or NULL */
} fts;

typedef struct schema {
    radar_arena arena;
    table *tables;
    int n_tables, cap_tables;
    fts *fts;
    int n_fts, cap_fts;
    int version, app;
} schema;

/* One more zeroed element of a growable array kept in the arena (the old
 * block is left to the arena, which is freed whole). NULL when out of memory. */
static void *push(radar_arena *a, void *arrp, int *n, int *cap, size_t size)
{
    void **arr = arrp;
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        void *grown = radar_arena_alloc(a, (size_t)ncap * size);
        if (!grown)
            return NULL;
        if (*n)
            memcpy(grown, *arr, (size_t)*n * size);
        *arr = grown;
        *cap = ncap;
    }
    char *slot = (char *)*arr + (size_t)(*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

static const char *keep(schema *s, const char *str)
{
    return str ? radar_arena_strndup(&s->arena, str, strlen(str)) : NULL;
}

/* strcasestr, which is not standard C or POSIX */
static const char *find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return hay;
    return NULL;
}

static int oom(void)
{
    return radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* "name" with its quotes doubled: an identifier either database reads as written. */
static int quote_ident(radar_buf *b, const char *name)
{
    int rc = radar_buf_putc(b, '"');
    for (const char *p = name; !rc && *p; p++)
        rc = *p == '"' ? radar_buf_puts(b, "\"\"") : radar_buf_putc(b, *p);
    return rc ? rc : radar_buf_putc(b, '"');
}

static const char *quoted(schema *s, const char *name)
{
    radar_buf b = RADAR_BUF_INIT;
    const char *q = quote_ident(&b, name) ? NULL : keep(s, b.data);
    radar_buf_free(&b);
    return q;
}

static int add_col(schema *s, key *k, const char *text)
{
    const char **slot = push(&s->arena, &k->cols, &k->n_cols, &k->cap_cols, sizeof *k->cols);
    if (!slot || !(*slot = keep(s, text)))
        return oom();
    return 0;
}

static table *find_table(schema *s, const char *name)
{
    for (int i = 0; i < s->n_tables; i++)
        if (!strcmp(s->tables[i].name, name))
            return &s->tables[i];
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the two ends ------------------------------------------------------------ */

typedef struct endpoint {
    const char *target; /* the path, or the URI without its password: for messages */
    char shown[1024];
    sqlite3 *db;        /* an SQLite endpoint */
    db_pg *pg;          /* a PostgreSQL endpoint */
    char tmp[4096];     /* an SQLite destination is built here, then renamed over target */
} endpoint;

static int sqlite_fail(endpoint *e, const char *what)
{
    return radar_error_set(RADAR_EIO, "%s: %s: %s", e->target, what, e->db ? sqlite3_errmsg(e->db) : "out of memory");
}

static int sq_exec(endpoint *e, const char *sql)
{
    return sqlite3_exec(e->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sqlite_fail(e, "running a statement");
}

/* The PostgreSQL message, with the target in front. */
static int pg_context(endpoint *e, int rc)
{
    if (rc && rc != RADAR_ENOMEM) {
        char msg[2048]; /* the message is in the buffer radar_error_set writes */
        snprintf(msg, sizeof msg, "%s", radar_last_error());
        return radar_error_set(rc, "%s: %s", e->target, msg);
    }
    return rc;
}

/* ---- reading an SQLite schema ---------------------------------------------- */

/* SQLite's type affinity of a declared type (its rules, section 3.1 of "Datatypes In SQLite"). */
static int affinity(const char *decl)
{
    char up[64];
    size_t n = 0;
    for (; decl && decl[n] && n < sizeof up - 1; n++)
        up[n] = (char)toupper((unsigned char)decl[n]);
    up[n] = '\0';
    if (strstr(up, "INT"))
        return T_INTEGER;
    if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
        return T_TEXT;
    if (strstr(up, "BLOB"))
        return T_BLOB;
    if (!n) /* no type: values kept as given; text is what both sides can hold */
        return T_TEXT;
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return T_REAL;
    return T_NUMERIC;
}

/* Run `sql` with the text parameter `param` (or none) and call `row` for each row. */
static int sq_each(endpoint *e, const char *sql, const char *param, int (*row)(void *ctx, sqlite3_stmt *s), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(e->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqlite_fail(e, "reading the schema");
    if (param)
        sqlite3_bind_text(s, 1, param, -1, SQLITE_TRANSIENT);
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(ctx, s);
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(e, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* The arguments of "CREATE VIRTUAL TABLE x USING fts5(a, b, content='t', ...)":
 * columns, and the content table (options are key=value). */
static int parse_fts5(schema *s, fts *f, const char *sql)
{
    const char *open = strchr(sql, '(');
    const char *close = strrchr(sql, ')');
    if (!open || !close || close < open)
        return radar_error_set(RADAR_EFORMAT, "cannot read the full-text index declaration of %s", f->name);
    const char *p = open + 1;
    while (p < close) {
        /* one argument: up to a comma outside quotes */
        const char *start = p;
        char quote = 0;
        for (; p < close && (quote || *p != ','); p++)
            if (quote ? *p == quote : (*p == '\'' || *p == '"'))
                quote = quote ? 0 : *p;
        const char *stop = p++;
        while (start < stop && isspace((unsigned char)*start))
            start++;
        while (stop > start && isspace((unsigned char)stop[-1]))
            stop--;
        char arg[512];
        snprintf(arg, sizeof arg, "%.*s", (int)(stop - start), start);
        char *eq = strchr(arg, '=');
        if (eq) {
            *eq = '\0';
            char *k = arg, *v = eq + 1;
            while (*k && isspace((unsigned char)k[strlen(k) - 1]))
                k[strlen(k) - 1] = '\0';
            while (isspace((unsigned char)*v))
                v++;
            size_t vl = strlen(v);
            if (vl >= 2 && (v[0] == '\'' || v[0] == '"') && v[vl - 1] == v[0]) {
                v[vl - 1] = '\0';
                v++;
            }
            if (!strcasecmp(k, "content") && !(f->table = keep(s, v)))
                return oom();
        } else if (*arg) {
            /* "body UNINDEXED": the name is the first word */
            arg[strcspn(arg, " \t")] = '\0';
            const char **slot = push(&s->arena, &f->cols, &f->n_cols, &f->cap_cols, sizeof *f->cols);
            if (!slot || !(*slot = keep(s, arg)))
                return oom();
        }
    }
    if (!f->table || !*f->table)
        return radar_error_set(RADAR_EINVALID,
                               "the full-text index %s keeps its own copy of the text; only an index over a "
                               "table's columns (content=) is copied",
                               f->name);
    return 0;
}

typedef struct sq_ctx {
    endpoint *e;
    schema *s;
    table *t;
} sq_ctx;

static int sq_master_row(void *ctx, sqlite3_stmt *st)
{
    sq_ctx *c = ctx;
    const char *type = col_text(st, 0), *name = col_text(st, 1), *sql = col_text(st, 2);
    if (!type || !name)
        return 0;
    if (!strcmp(type, "view") || !strcmp(type, "trigger"))
        return radar_error_set(RADAR_EINVALID, "%s: the store has a %s (%s), which a copy does not carry",
                               c->e->target, type, name);
    if (strcmp(type, "table"))
        return 0;
    if (sql && !strncasecmp(sql, "CREATE VIRTUAL TABLE", 20)) {
        if (!find_nocase(sql, "fts5"))
            return radar_error_set(RADAR_EINVALID, "%s: the virtual table %s is not a full-text index; it is not copied",
                                   c->e->target, name);
        fts *f = push(&c->s->arena, &c->s->fts, &c->s->n_fts, &c->s->cap_fts, sizeof *f);
        if (!f || !(f->name = keep(c->s, name)) || !(f->sql = keep(c->s, sql)))
            return oom();
        return parse_fts5(c->s, f, sql);
    }
    table *t = push(&c->s->arena, &c->s->tables, &c->s->n_tables, &c->s->cap_tables, sizeof *t);
    if (!t || !(t->name = keep(c->s, name)) || !(t->sql = keep(c->s, sql)))
        return oom();
    return 0;
}

/* What a table may say that the copy does not carry yet: refused by name
 * rather than lost without a word (a NOCASE column would compare otherwise
 * in the copy, a CHECK would stop holding). */
static int uncarried(const endpoint *e, const table *t)
{
    static const struct {
        const char *pattern, *shown;
    } words[] = {{"AUTOINCREMENT", "AUTOINCREMENT"}, {"COLLATE", "COLLATE"},         {"CHECK(", "CHECK"},
                 {"CHECK (", "CHECK"},               {"GENERATED ALWAYS", "GENERATED"}, {") STRICT", "STRICT"}};
    for (size_t i = 0; t->sql && i < sizeof words / sizeof *words; i++)
        if (find_nocase(t->sql, words[i].pattern))
            return radar_error_set(RADAR_EINVALID,
                                   "%s: the table %s says %s, which a copy does not carry yet (nothing was changed)",
                                   e->target, t->name, words[i].shown);
    return 0;
}

static int sq_column_row(void *ctx, sqlite3_stmt *st)
{
    sq_ctx *c = ctx;
    column *col = push(&c->s->arena, &c->t->cols, &c->t->n_cols, &c->t->cap_cols, sizeof *col);
    if (!col || !(col->name = keep(c->s, col_text(st, 0))))
        return oom();
    col->type = affinity(col_text(st, 1));
    col->notnull = sqlite3_column_int(st, 2);
    if (sqlite3_column_type(st, 3) != SQLITE_NULL && !(col->dflt = keep(c->s, col_text(st, 3))))
        return oom();
    int pk = sqlite3_column_int(st, 4);
    if (pk > 0) {
        /* table_info lists columns in table order; the key's order is pk */
        while (c->t->pk.n_cols < pk)
            if (add_col(c->s, &c->t->pk, ""))
                return oom();
        c->t->pk.cols[pk - 1] = quoted(c->s, col->name);
        if (!c->t->pk.cols[pk - 1])
            return oom();
        const char *decl = col_text(st, 1);
        c->t->rowid_pk = decl && !strcasecmp(decl, "INTEGER"); /* checked again below: one column only */
    }
    return 0;
}

static int sq_key_col_row(void *ctx, sqlite3_stmt *st)
{
    key *k = ((void **)ctx)[1];
    sq_ctx *c = ((void **)ctx)[0];
    const char *name = col_text(st, 0);
    if (!name)
        return radar_error_set(RADAR_EINVALID, "%s: the index %s is on an expression, which a copy does not carry",
                               c->e->target, k->name ? k->name : "of a unique constraint");
    const char *coll = col_text(st, 2);
    if (coll && strcmp(coll, "BINARY"))
        return radar_error_set(RADAR_EINVALID, "%s: the index %s compares with %s, which a copy does not carry yet",
                               c->e->target, k->name ? k->name : "of a unique constraint", coll);
    radar_buf b = RADAR_BUF_INIT;
    int rc = quote_ident(&b, name);
    if (!rc && sqlite3_column_int(st, 1))
        rc = radar_buf_puts(&b, " DESC");
    if (!rc)
        rc = add_col(c->s, k, b.data);
    radar_buf_free(&b);
    return rc;
}

static int sq_index_row(void *ctx, sqlite3_stmt *st)
{
    sq_ctx *c = ctx;
    const char *name = col_text(st, 0), *origin = col_text(st, 2);
    if (!name || !origin || !strcmp(origin, "pk"))
        return 0;
    key *k;
    if (!strcmp(origin, "u"))
        k = push(&c->s->arena, &c->t->uniques, &c->t->n_uniques, &c->t->cap_uniques, sizeof *k);
    else
        k = push(&c->s->arena, &c->t->indexes, &c->t->n_indexes, &c->t->cap_indexes, sizeof *k);
    if (!k)
        return oom();
    k->unique = sqlite3_column_int(st, 1);
    if (strcmp(origin, "u") && !(k->name = keep(c->s, name)))
        return oom();
    void *pair[2] = {c, k};
    int rc = sq_each(c->e, "SELECT name, desc, coll FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno", name,
                     sq_key_col_row, pair);
    if (rc || !sqlite3_column_int(st, 3))
        return rc;
    /* a partial index: its condition as written, after the last WHERE */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(c->e->db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", -1, &q,
                           NULL) != SQLITE_OK)
        return sqlite_fail(c->e, "reading the schema");
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW && col_text(q, 0)) {
        const char *sql = col_text(q, 0), *w = NULL;
        for (const char *p = sql; (p = find_nocase(p, " WHERE ")); p++)
            w = p;
        if (w && !(k->where = keep(c->s, w + 7)))
            rc = oom();
    }
    sqlite3_finalize(q);
    return rc;
}

typedef struct fk_build {
    sq_ctx *c;
    int id;
    radar_buf from, to;
    char table[256], on_update[32], on_delete[32];
    int have;
} fk_build;

static int fk_flush(fk_build *f)
{
    if (!f->have)
        return 0;
    radar_buf b = RADAR_BUF_INIT;
    int rc = radar_buf_printf(&b, "FOREIGN KEY (%s) REFERENCES ", f->from.data);
    if (!rc)
        rc = quote_ident(&b, f->table);
    if (!rc && f->to.len)
        rc = radar_buf_printf(&b, "(%s)", f->to.data);
    if (!rc && strcmp(f->on_delete, "NO ACTION"))
        rc = radar_buf_printf(&b, " ON DELETE %s", f->on_delete);
    if (!rc && strcmp(f->on_update, "NO ACTION"))
        rc = radar_buf_printf(&b, " ON UPDATE %s", f->on_update);
    const char **slot = rc ? NULL : push(&f->c->s->arena, &f->c->t->fks, &f->c->t->n_fks, &f->c->t->cap_fks,
                                         sizeof *slot);
    if (!rc && (!slot || !(*slot = keep(f->c->s, b.data))))
        rc = oom();
    radar_buf_free(&b);
    radar_buf_reset(&f->from);
    radar_buf_reset(&f->to);
    f->have = 0;
    return rc;
}

static int sq_fk_row(void *ctx, sqlite3_stmt *st)
{
    fk_build *f = ctx;
    int id = sqlite3_column_int(st, 0);
    int rc = 0;
    if (f->have && id != f->id && (rc = fk_flush(f)))
        return rc;
    f->id = id;
    f->have = 1;
    snprintf(f->table, sizeof f->table, "%s", col_text(st, 1) ? col_text(st, 1) : "");
    snprintf(f->on_update, sizeof f->on_update, "%s", col_text(st, 4) ? col_text(st, 4) : "NO ACTION");
    snprintf(f->on_delete, sizeof f->on_delete, "%s", col_text(st, 5) ? col_text(st, 5) : "NO ACTION");
    if (f->from.len)
        rc = radar_buf_puts(&f->from, ", ");
    if (!rc)
        rc = quote_ident(&f->from, col_text(st, 2));
    /* no column named: the referenced table's primary key, which REFERENCES t alone means too */
    if (!rc && col_text(st, 3)) {
        if (f->to.len)
            rc = radar_buf_puts(&f->to, ", ");
        if (!rc)
            rc = quote_ident(&f->to, col_text(st, 3));
    }
    return rc;
}

static int sq_int(endpoint *e, const char *sql, int *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(e->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqlite_fail(e, "reading the schema");
    int step = sqlite3_step(s);
    *out = step == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sqlite_fail(e, "reading the schema");
}

/* Whether `name` is one of the tables an FTS5 index keeps its data in. */
static int fts_shadow(const schema *s, const char *name)
{
    static const char *const suffix[] = {"_data", "_idx", "_content", "_docsize", "_config"};
    for (int i = 0; i < s->n_fts; i++) {
        size_t n = strlen(s->fts[i].name);
        if (strncmp(name, s->fts[i].name, n))
            continue;
        for (size_t j = 0; j < sizeof suffix / sizeof *suffix; j++)
            if (!strcmp(name + n, suffix[j]))
                return 1;
    }
    return 0;
}

static int sqlite_read_schema(endpoint *e, schema *s)
{
    int rc, entries;
    if ((rc = sq_int(e, "PRAGMA user_version", &s->version)) || (rc = sq_int(e, "PRAGMA application_id", &s->app)) ||
        (rc = sq_int(e, "SELECT count(*) FROM sqlite_master", &entries)))
        return rc;
    if (!entries)
        return radar_error_set(RADAR_EINVALID, "%s: an empty database: no store to copy", e->target);
    sq_ctx c = {e, s, NULL};
    if ((rc = sq_each(e, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                         "ORDER BY rowid",
                      NULL, sq_master_row, &c)))
        return rc;
    /* the full-text index's own tables are not the store's: it is rebuilt */
    int kept = 0;
    for (int i = 0; i < s->n_tables; i++)
        if (!fts_shadow(s, s->tables[i].name))
            s->tables[kept++] = s->tables[i];
    s->n_tables = kept;
    for (int i = 0; i < s->n_tables; i++) {
        table *t = c.t = &s->tables[i];
        if ((rc = uncarried(e, t)))
            return rc;
        if ((rc = sq_each(e, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
                          t->name, sq_column_row, &c)))
            return rc;
        int wr = 0;
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(e->db, "SELECT wr FROM pragma_table_list WHERE name = ?1 AND schema = 'main'", -1, &q,
                               NULL) != SQLITE_OK)
            return sqlite_fail(e, "reading the schema");
        sqlite3_bind_text(q, 1, t->name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) == SQLITE_ROW)
            wr = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        t->without_rowid = wr;
        t->rowid_pk = t->rowid_pk && t->pk.n_cols == 1 && !wr;
        if ((rc = sq_each(e, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY seq DESC",
                          t->name, sq_index_row, &c)))
            return rc;
        fk_build f = {.c = &c, .from = RADAR_BUF_INIT, .to = RADAR_BUF_INIT};
        rc = sq_each(e, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) "
                        "ORDER BY id, seq",
                     t->name, sq_fk_row, &f);
        if (!rc)
            rc = fk_flush(&f);
        radar_buf_free(&f.from);
        radar_buf_free(&f.to);
        if (rc)
            return rc;
    }
    for (int i = 0; i < s->n_fts; i++)
        if (!find_table(s, s->fts[i].table))
            return radar_error_set(RADAR_EINVALID, "%s: the full-text index %s is over %s, which is not a table here",
                                   e->target, s->fts[i].name, s->fts[i].table);
    return 0;
}

/* ---- reading a PostgreSQL schema ------------------------------------------- */

static int pg_type(const char *t)
{
    if (!strcmp(t, "bigint") || !strcmp(t, "integer") || !strcmp(t, "smallint"))
        return T_INTEGER;
    if (!strcmp(t, "double precision") || !strcmp(t, "real"))
        return T_REAL;
    if (!strcmp(t, "numeric"))
        return T_NUMERIC;
    if (!strcmp(t, "bytea"))
        return T_BLOB;
    if (!strcmp(t, "boolean"))
        return T_BOOL;
    return T_TEXT;
}

/* A column default as PostgreSQL shows it ('open'::text, 0, nextval(...)) as
 * an expression SQLite reads; NULL when it is the work of a sequence. */
static const char *pg_default(schema *s, const char *d)
{
    if (!d || strstr(d, "nextval("))
        return NULL;
    radar_buf b = RADAR_BUF_INIT;
    size_t n = strlen(d);
    if (d[0] == '\'') { /* a literal with a cast: the literal */
        const char *end = d + 1;
        while (*end && !(*end == '\'' && end[1] != '\''))
            end += *end == '\'' ? 2 : 1;
        n = *end ? (size_t)(end + 1 - d) : n;
        radar_buf_append(&b, d, n);
    } else if (isdigit((unsigned char)d[0]) || d[0] == '-') {
        radar_buf_append(&b, d, strcspn(d, ":"));
    } else {
        radar_buf_printf(&b, "(%s)", d);
    }
    const char *r = b.data ? keep(s, b.data) : NULL;
    radar_buf_free(&b);
    return r;
}

#define PG_TABLE_REF "(quote_ident(current_schema()) || '.' || quote_ident($1))::regclass"

static int pg_read_table(endpoint *e, schema *s, table *t)
{
    const char *param[1] = {t->name};
    db_pg_result *r = NULL;
    int rc = db_pg_query(e->pg, &r,
                         "SELECT column_name, data_type, is_nullable, column_default, is_generated, "
                         "col_description(" PG_TABLE_REF ", ordinal_position::int) "
                         "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 "
                         "ORDER BY ordinal_position",
                         1, param);
    if (rc)
        return pg_context(e, rc);
    for (int i = 0; i < db_pg_rows(r) && !rc; i++) {
        const char *name = db_pg_value(r, i, 0), *type = db_pg_value(r, i, 1), *gen = db_pg_value(r, i, 4);
        if (gen && !strcmp(gen, "ALWAYS")) {
            /* a generated column is made again, not copied: a tsvector one is the full-text index */
            if (strcmp(type, "tsvector"))
                continue;
            fts *f = push(&s->arena, &s->fts, &s->n_fts, &s->cap_fts, sizeof *f);
            if (!f || !(f->name = keep(s, name)) || !(f->table = t->name)) {
                rc = oom();
                break;
            }
            const char *sql = db_pg_value(r, i, 5);
            if (sql && !strncasecmp(sql, "CREATE VIRTUAL TABLE", 20)) {
                if (!(f->sql = keep(s, sql)))
                    rc = oom();
                else
                    rc = parse_fts5(s, f, sql);
            }
            continue;
        }
        column *c = push(&s->arena, &t->cols, &t->n_cols, &t->cap_cols, sizeof *c);
        if (!c || !(c->name = keep(s, name))) {
            rc = oom();
            break;
        }
        c->type = pg_type(type);
        c->notnull = !strcmp(db_pg_value(r, i, 2), "NO");
        c->dflt = pg_default(s, db_pg_value(r, i, 3));
    }
    db_pg_result_free(r);
    if (rc)
        return rc;
    /* primary key and unique constraints, their columns in order */
    if ((rc = db_pg_query(e->pg, &r,
                          "SELECT tc.constraint_name, tc.constraint_type, kcu.column_name "
                          "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
                          "ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name "
                          "AND kcu.table_name = tc.table_name "
                          "WHERE tc.table_schema = current_schema() AND tc.table_name = $1 "
                          "AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
                          "ORDER BY tc.constraint_type, tc.constraint_name, kcu.ordinal_position",
                          1, param)))
        return pg_context(e, rc);
    key *k = NULL;
    const char *last = NULL;
    for (int i = 0; i < db_pg_rows(r) && !rc; i++) {
        const char *cname = db_pg_value(r, i, 0), *ctype = db_pg_value(r, i, 1);
        if (!last || strcmp(last, cname)) {
            k = !strcmp(ctype, "PRIMARY KEY") ? &t->pk
                                              : push(&s->arena, &t->uniques, &t->n_uniques, &t->cap_uniques, sizeof *k);
            if (!k) {
                rc = oom();
                break;
            }
            k->unique = 1;
            last = cname;
        }
        const char *q = quoted(s, db_pg_value(r, i, 2));
        rc = q ? add_col(s, k, q) : oom();
    }
    db_pg_result_free(r);
    if (rc)
        return rc;
    if (t->pk.n_cols == 1)
        for (int i = 0; i < t->n_cols; i++) {
            const char *q = quoted(s, t->cols[i].name);
            if (q && !strcmp(q, t->pk.cols[0]) && t->cols[i].type == T_INTEGER)
                t->rowid_pk = 1;
        }
    if ((rc = db_pg_query(e->pg, &r, "SELECT obj_description(" PG_TABLE_REF ", 'pg_class')", 1, param)))
        return pg_context(e, rc);
    const char *comment = db_pg_rows(r) ? db_pg_value(r, 0, 0) : NULL;
    t->without_rowid = comment && !strcmp(comment, WITHOUT_ROWID_COMMENT);
    if (t->without_rowid)
        t->rowid_pk = 0;
    db_pg_result_free(r);
    /* foreign keys, as PostgreSQL writes them (SQL both databases read) */
    if ((rc = db_pg_query(e->pg, &r,
                          "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = " PG_TABLE_REF
                          " AND contype = 'f' ORDER BY conname",
                          1, param)))
        return pg_context(e, rc);
    for (int i = 0; i < db_pg_rows(r) && !rc; i++) {
        const char **slot = push(&s->arena, &t->fks, &t->n_fks, &t->cap_fks, sizeof *slot);
        if (!slot || !(*slot = keep(s, db_pg_value(r, i, 0))))
            rc = oom();
    }
    db_pg_result_free(r);
    if (rc)
        return rc;
    /* the B-tree indexes that no constraint owns, key columns in order */
    if ((rc = db_pg_query(e->pg, &r,
                          "SELECT i.relname, x.indisunique, pg_get_expr(x.indpred, x.indrelid), "
                          "(SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true) || "
                          "CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, E'\\x1f' ORDER BY k) "
                          "FROM generate_series(1, x.indnkeyatts) k) "
                          "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
                          "WHERE x.indrelid = " PG_TABLE_REF " AND am.amname = 'btree' AND NOT EXISTS (SELECT 1 FROM "
                          "pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) "
                          "ORDER BY x.indexrelid",
                          1, param)))
        return pg_context(e, rc);
    for (int i = 0; i < db_pg_rows(r) && !rc; i++) {
        key *ix = push(&s->arena, &t->indexes, &t->n_indexes, &t->cap_indexes, sizeof *ix);
        if (!ix || !(ix->name = keep(s, db_pg_value(r, i, 0)))) {
            rc = oom();
            break;
        }
        ix->unique = !strcmp(db_pg_value(r, i, 1), "t");
        if (db_pg_value(r, i, 2) && !(ix->where = keep(s, db_pg_value(r, i, 2))))
            rc = oom();
        /* the columns, as PostgreSQL writes them (quoted where needed), split on 0x1F */
        const char *cols = db_pg_value(r, i, 3);
        for (const char *p = cols; p && !rc;) {
            size_t n = strcspn(p, "\x1f");
            char *one = radar_arena_strndup(&s->arena, p, n);
            rc = one ? add_col(s, ix, one) : oom();
            p = p[n] ? p + n + 1 : NULL;
        }
    }
    db_pg_result_free(r);
    return rc;
}

static int pg_read_schema(endpoint *e, schema *s)
{
    db_pg_result *r = NULL;
    const char *param[1] = {PG_SCHEMA_TABLE};
    int rc = db_pg_query(e->pg, &r,
                         "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                         "AND table_name = $1",
                         1, param);
    if (rc)
        return pg_context(e, rc);
    int have = atoi(db_pg_value(r, 0, 0));
    db_pg_result_free(r);
    if (!have)
        return radar_error_set(RADAR_EINVALID,
                               "%s: no Transfer Radar store in this database (no table " PG_SCHEMA_TABLE
                               " in schema of the search path)",
                               e->target);
    if ((rc = db_pg_query(e->pg, &r, "SELECT version, application_id FROM " PG_SCHEMA_TABLE, 0, NULL)))
        return pg_context(e, rc);
    if (db_pg_rows(r) != 1) {
        db_pg_result_free(r);
        return radar_error_set(RADAR_EFORMAT, "%s: the table " PG_SCHEMA_TABLE " should hold one row", e->target);
    }
    s->version = atoi(db_pg_value(r, 0, 0));
    s->app = atoi(db_pg_value(r, 0, 1));
    db_pg_result_free(r);
    /* in the order they were made */
    if ((rc = db_pg_query(e->pg, &r,
                          "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
                          "AND c.relkind = 'r' AND c.relname <> $1 ORDER BY c.oid",
                          1, param)))
        return pg_context(e, rc);
    for (int i = 0; i < db_pg_rows(r) && !rc; i++) {
        table *t = push(&s->arena, &s->tables, &s->n_tables, &s->cap_tables, sizeof *t);
        if (!t || !(t->name = keep(s, db_pg_value(r, i, 0))))
            rc = oom();
    }
    db_pg_result_free(r);
    for (int i = 0; i < s->n_tables && !rc; i++)
        rc = pg_read_table(e, s, &s->tables[i]);
    return rc;
}

/* ---- writing a schema ---------------------------------------------------------- */

static const char *sqlite_type(int t)
{
    static const char *const names[] = {"INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC", "INTEGER"};
    return names[t];
}

static const char *pg_type_name(int t)
{
    static const char *const names[] = {"bigint", "double precision", "text", "bytea", "numeric", "boolean"};
    return names[t];
}

static int put_list(radar_buf *b, const key *k)
{
    int rc = 0;
    for (int i = 0; i < k->n_cols && !rc; i++)
        rc = radar_buf_printf(b, "%s%s", i ? ", " : "", k->cols[i]);
    return rc;
}

/* CREATE TABLE in either dialect: constraints with the table; foreign keys
 * too in SQLite (which checks them only when asked), after the rows in
 * PostgreSQL. */
static int create_table(radar_buf *b, const table *t, int pg)
{
    int rc = radar_buf_puts(b, "CREATE TABLE ");
    rc = rc ? rc : quote_ident(b, t->name);
    rc = rc ? rc : radar_buf_puts(b, " (");
    const char *rowid_col = t->rowid_pk ? t->pk.cols[0] : NULL;
    for (int i = 0; i < t->n_cols && !rc; i++) {
        const column *c = &t->cols[i];
        rc = i ? radar_buf_puts(b, ", ") : 0;
        rc = rc ? rc : quote_ident(b, c->name);
        radar_buf q = RADAR_BUF_INIT;
        int is_rowid = rowid_col && !quote_ident(&q, c->name) && !strcmp(q.data, rowid_col);
        radar_buf_free(&q);
        if (rc)
            break;
        if (is_rowid)
            rc = radar_buf_puts(b, pg ? " bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : " INTEGER PRIMARY KEY");
        else
            rc = radar_buf_printf(b, " %s%s", pg ? pg_type_name(c->type) : sqlite_type(c->type),
                                  c->notnull ? " NOT NULL" : "");
        if (!rc && c->dflt && !is_rowid)
            rc = radar_buf_printf(b, " DEFAULT %s", c->dflt);
    }
    if (!rc && t->pk.n_cols && !t->rowid_pk) {
        rc = radar_buf_puts(b, ", PRIMARY KEY (");
        rc = rc ? rc : put_list(b, &t->pk);
        rc = rc ? rc : radar_buf_putc(b, ')');
    }
    for (int i = 0; i < t->n_uniques && !rc; i++) {
        rc = radar_buf_puts(b, ", UNIQUE (");
        rc = rc ? rc : put_list(b, &t->uniques[i]);
        rc = rc ? rc : radar_buf_putc(b, ')');
    }
    for (int i = 0; i < t->n_fks && !rc && !pg; i++)
        rc = radar_buf_printf(b, ", %s", t->fks[i]);
    rc = rc ? rc : radar_buf_puts(b, t->without_rowid && !pg ? ") WITHOUT ROWID;\n" : ");\n");
    if (!rc && pg && t->without_rowid) {
        rc = radar_buf_puts(b, "COMMENT ON TABLE ");
        rc = rc ? rc : quote_ident(b, t->name);
        rc = rc ? rc : radar_buf_puts(b, " IS '" WITHOUT_ROWID_COMMENT "';\n");
    }
    return rc;
}

static int create_index(radar_buf *b, const table *t, const key *k)
{
    int rc = radar_buf_puts(b, k->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    rc = rc ? rc : quote_ident(b, k->name);
    rc = rc ? rc : radar_buf_puts(b, " ON ");
    rc = rc ? rc : quote_ident(b, t->name);
    rc = rc ? rc : radar_buf_puts(b, " (");
    rc = rc ? rc : put_list(b, k);
    rc = rc ? rc : radar_buf_putc(b, ')');
    if (!rc && k->where)
        rc = radar_buf_printf(b, " WHERE %s", k->where);
    return rc ? rc : radar_buf_puts(b, ";\n");
}

/* A string literal for either database. */
static int put_literal(radar_buf *b, const char *s)
{
    int rc = radar_buf_putc(b, '\'');
    for (; !rc && *s; s++)
        rc = *s == '\'' ? radar_buf_puts(b, "''") : radar_buf_putc(b, *s);
    return rc ? rc : radar_buf_putc(b, '\'');
}

/* The full-text index in PostgreSQL: a generated tsvector column over the
 * same columns (its comment: the FTS5 declaration). */
static int pg_fts_column(radar_buf *b, const fts *f)
{
    int rc = radar_buf_puts(b, "ALTER TABLE ");
    rc = rc ? rc : quote_ident(b, f->table);
    rc = rc ? rc : radar_buf_puts(b, " ADD COLUMN ");
    rc = rc ? rc : quote_ident(b, f->name);
    /* 'simple': words as written, lower-cased, no stemming, as unicode61 does */
    rc = rc ? rc : radar_buf_puts(b, " tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, ");
    for (int i = 0; i < f->n_cols && !rc; i++) {
        rc = radar_buf_puts(b, i ? " || ' ' || coalesce(" : "coalesce(");
        rc = rc ? rc : quote_ident(b, f->cols[i]);
        rc = rc ? rc : radar_buf_puts(b, ", '')");
    }
    rc = rc ? rc : radar_buf_puts(b, f->n_cols ? ")) STORED;\n" : "'')) STORED;\n");
    if (!rc && f->sql) {
        rc = radar_buf_puts(b, "COMMENT ON COLUMN ");
        rc = rc ? rc : quote_ident(b, f->table);
        rc = rc ? rc : radar_buf_putc(b, '.');
        rc = rc ? rc : quote_ident(b, f->name);
        rc = rc ? rc : radar_buf_puts(b, " IS ");
        rc = rc ? rc : put_literal(b, f->sql);
        rc = rc ? rc : radar_buf_puts(b, ";\n");
    }
    return rc;
}

static int pg_fts_index(radar_buf *b, const fts *f)
{
    int rc = radar_buf_puts(b, "CREATE INDEX ");
    rc = rc ? rc : quote_ident(b, f->name);
    rc = rc ? rc : radar_buf_puts(b, " ON ");
    rc = rc ? rc : quote_ident(b, f->table);
    rc = rc ? rc : radar_buf_puts(b, " USING gin (");
    rc = rc ? rc : quote_ident(b, f->name);
    return rc ? rc : radar_buf_puts(b, ");\n");
}

/* The FTS5 declaration kept with the index, or one over its columns. */
static int sqlite_fts(radar_buf *b, const fts *f)
{
    int rc = 0;
    if (f->sql) {
        rc = radar_buf_printf(b, "%s;\n", f->sql);
    } else {
        rc = radar_buf_puts(b, "CREATE VIRTUAL TABLE ");
        rc = rc ? rc : quote_ident(b, f->name);
        rc = rc ? rc : radar_buf_puts(b, " USING fts5(");
        for (int i = 0; i < f->n_cols && !rc; i++) {
            rc = i ? radar_buf_puts(b, ", ") : 0;
            rc = rc ? rc : quote_ident(b, f->cols[i]);
        }
        rc = rc ? rc : radar_buf_puts(b, ", content=");
        rc = rc ? rc : put_literal(b, f->table);
        rc = rc ? rc : radar_buf_puts(b, ", tokenize='unicode61 remove_diacritics 2');\n");
    }
    rc = rc ? rc : radar_buf_puts(b, "INSERT INTO ");
    rc = rc ? rc : quote_ident(b, f->name);
    rc = rc ? rc : radar_buf_putc(b, '(');
    rc = rc ? rc : quote_ident(b, f->name);
    return rc ? rc : radar_buf_puts(b, ") VALUES ('rebuild');\n");
}

/* ---- the destination: made ready, emptied if asked --------------------------- */

static int sqlite_is_empty(const char *path, int *empty)
{
    struct stat sb;
    *empty = 1;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? 0 : radar_error_set(RADAR_EIO, "%s: %s", path, strerror(errno));
    if (sb.st_size == 0)
        return 0;
    sqlite3 *db = NULL;
    int entries = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) == SQLITE_OK) {
            if (sqlite3_step(s) == SQLITE_ROW)
                entries = sqlite3_column_int(s, 0);
            sqlite3_finalize(s);
        }
    }
    sqlite3_close_v2(db);
    *empty = entries == 0;
    return 0;
}

static int sqlite_open_dest(endpoint *e, int replace)
{
    int empty, rc;
    if ((rc = sqlite_is_empty(e->target, &empty)))
        return rc;
    if (!empty && !replace)
        return radar_error_set(RADAR_EINVALID,
                               "%s: the destination is not empty; copying would mix two stores (--replace "
                               "replaces it; nothing was changed)",
                               e->target);
    /* built beside the destination, renamed over it at the endpoint */
    if ((size_t)snprintf(e->tmp, sizeof e->tmp, "%s.copy-%ld", e->target, (long)getpid()) >= sizeof e->tmp)
        return radar_error_set(RADAR_ETOOLARGE, "%s: path too long", e->target);
    unlink(e->tmp);
    if (sqlite3_open_v2(e->tmp, &e->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = sqlite_fail(e, "creating the database");
        unlink(e->tmp);
        e->tmp[0] = '\0';
        return rc;
    }
    /* a file no one else sees yet: no journal, no sync until it is whole */
    return sq_exec(e, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; BEGIN");
}

/* Whether two PostgreSQL connections reach the same schema of the same
 * database: the source's session is seen from the destination's (server
 * process ids are the server's own) in the same database, and the schemas
 * are named alike. A copy onto itself would drop what it reads, and wait on
 * its own locks for ever. */
static int pg_same_store(endpoint *src, endpoint *dst, int *same)
{
    db_pg_result *r = NULL;
    *same = 0;
    int rc = db_pg_query(src->pg, &r, "SELECT pg_backend_pid()::text, current_schema()", 0, NULL);
    if (rc)
        return pg_context(src, rc);
    const char *param[2] = {db_pg_value(r, 0, 0), db_pg_value(r, 0, 1)};
    db_pg_result *q = NULL;
    rc = db_pg_query(dst->pg, &q,
                     "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int AND datname = current_database() "
                     "AND $2 = current_schema()",
                     2, param);
    if (!rc)
        *same = atoi(db_pg_value(q, 0, 0)) > 0;
    db_pg_result_free(q);
    db_pg_result_free(r);
    return pg_context(dst, rc);
}

static int pg_open_dest(endpoint *e, int replace)
{
    int rc = db_pg_exec(e->pg, "BEGIN; SET LOCAL client_min_messages = warning");
    db_pg_result *r = NULL;
    if (!rc)
        rc = db_pg_query(e->pg, &r,
                         "SELECT quote_ident(c.relname) FROM pg_class c WHERE c.relnamespace = "
                         "current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.oid",
                         0, NULL);
    if (rc)
        return pg_context(e, rc);
    int n = db_pg_rows(r);
    if (n && !replace) {
        rc = radar_error_set(RADAR_EINVALID,
                             "%s: the destination is not empty (%d table%s); copying would mix two stores "
                             "(--replace drops them first; nothing was changed)",
                             e->target, n, n == 1 ? "" : "s");
    } else if (n) {
        radar_buf b = RADAR_BUF_INIT;
        for (int i = 0; i < n && !rc; i++)
            rc = radar_buf_printf(&b, "DROP TABLE IF EXISTS %s CASCADE;\n", db_pg_value(r, i, 0));
        if (!rc)
            rc = pg_context(e, db_pg_exec(e->pg, b.data));
        radar_buf_free(&b);
    }
    db_pg_result_free(r);
    return rc;
}

/* ---- moving rows --------------------------------------------------------------- */

/* One value on its way: what the source said, typed. */
typedef struct value {
    int kind; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL */
    long long i;
    double d;
    const char *s;
    size_t len;
} value;

typedef struct mover {
    endpoint *from, *to;
    const table *t;
    value *vals;
    /* SQLite source */
    sqlite3_stmt *read;
    /* PostgreSQL source: the row unescaped, fields by offset */
    radar_buf field;
    size_t *offs;
    char *nulls;
    /* SQLite destination */
    sqlite3_stmt *write;
    /* PostgreSQL destination: COPY text gathered */
    radar_buf out;
    long long rows;
} mover;

static int column_list(radar_buf *b, const table *t)
{
    int rc = 0;
    for (int i = 0; i < t->n_cols && !rc; i++) {
        rc = i ? radar_buf_puts(b, ", ") : 0;
        rc = rc ? rc : quote_ident(b, t->cols[i].name);
    }
    return rc;
}

static int rows_open(mover *m)
{
    radar_buf b = RADAR_BUF_INIT;
    int rc = radar_buf_puts(&b, m->from->db ? "SELECT " : "COPY (SELECT ");
    rc = rc ? rc : column_list(&b, m->t);
    rc = rc ? rc : radar_buf_puts(&b, " FROM ");
    rc = rc ? rc : quote_ident(&b, m->t->name);
    /* in key order, as SQLite keeps them, so a copy back numbers rows alike */
    if (!rc && m->from->pg && m->t->pk.n_cols) {
        rc = radar_buf_puts(&b, " ORDER BY ");
        rc = rc ? rc : put_list(&b, &m->t->pk);
    }
    if (!rc && m->from->pg)
        rc = radar_buf_puts(&b, ") TO STDOUT");
    if (rc) {
        radar_buf_free(&b);
        return rc;
    }
    if (m->from->db) {
        if (sqlite3_prepare_v2(m->from->db, b.data, -1, &m->read, NULL) != SQLITE_OK)
            rc = sqlite_fail(m->from, "reading rows");
    } else {
        rc = pg_context(m->from, db_pg_copy_out_begin(m->from->pg, b.data));
    }
    radar_buf_free(&b);
    return rc;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One field of a COPY text row, unescaped onto m->field. */
static int unescape(radar_buf *f, const char *p, const char *end)
{
    int rc = 0;
    while (p < end && !rc) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs)
            return radar_buf_append(f, p, (size_t)(end - p));
        if (bs > p && (rc = radar_buf_append(f, p, (size_t)(bs - p))))
            return rc;
        p = bs + 1;
        if (p >= end)
            break;
        char c = *p++;
        switch (c) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'v': c = '\v'; break;
        case 'x': {
            int v = 0, n = 0;
            for (; n < 2 && p < end && hexval((unsigned char)*p) >= 0; n++)
                v = v * 16 + hexval((unsigned char)*p++);
            c = (char)v;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0';
                for (int n = 1; n < 3 && p < end && *p >= '0' && *p <= '7'; n++)
                    v = v * 8 + (*p++ - '0');
                c = (char)v;
            }
        }
        rc = radar_buf_putc(f, c);
    }
    return rc;
}

/* A field's text as the value of a column of type `type` (a blob decoded in place). */
static void typed(value *v, int type, char *s, size_t len)
{
    char *endp;
    v->s = s;
    v->len = len;
    v->kind = SQLITE_TEXT;
    switch (type) {
    case T_INTEGER:
        errno = 0;
        v->i = strtoll(s, &endp, 10);
        if (!errno && endp == s + len && len)
            v->kind = SQLITE_INTEGER;
        break;
    case T_REAL:
        v->d = strtod(s, &endp);
        if (endp == s + len && len)
            v->kind = SQLITE_FLOAT;
        break;
    case T_BOOL:
        v->kind = SQLITE_INTEGER;
        v->i = s[0] == 't';
        break;
    case T_BLOB:
        /* bytea's hex form: \x0a1b... */
        if (len >= 2 && s[0] == '\\' && s[1] == 'x') {
            size_t n = (len - 2) / 2;
            for (size_t i = 0; i < n; i++) {
                int hi = hexval((unsigned char)s[2 + 2 * i]), lo = hexval((unsigned char)s[3 + 2 * i]);
                s[i] = (char)(hi * 16 + lo);
            }
            v->kind = SQLITE_BLOB;
            v->len = n;
        }
        break;
    }
}

/* The next row into m->vals: 1, 0 after the last, or an error. */
static int rows_next(mover *m)
{
    const table *t = m->t;
    if (m->from->db) {
        int step = sqlite3_step(m->read);
        if (step == SQLITE_DONE)
            return 0;
        if (step != SQLITE_ROW)
            return sqlite_fail(m->from, "reading rows");
        for (int i = 0; i < t->n_cols; i++) {
            value *v = &m->vals[i];
            v->kind = sqlite3_column_type(m->read, i);
            switch (v->kind) {
            case SQLITE_INTEGER: v->i = sqlite3_column_int64(m->read, i); break;
            case SQLITE_FLOAT: v->d = sqlite3_column_double(m->read, i); break;
            case SQLITE_TEXT:
                v->s = (const char *)sqlite3_column_text(m->read, i);
                v->len = (size_t)sqlite3_column_bytes(m->read, i);
                break;
            case SQLITE_BLOB:
                v->s = sqlite3_column_blob(m->read, i);
                v->len = (size_t)sqlite3_column_bytes(m->read, i);
                break;
            }
        }
        return 1;
    }
    const char *row;
    size_t len;
    int rc = db_pg_copy_out_next(m->from->pg, &row, &len);
    if (rc <= 0)
        return pg_context(m->from, rc);
    const char *end = row + len;
    if (end > row && end[-1] == '\n')
        end--;
    radar_buf_reset(&m->field);
    const char *p = row;
    char *nulls = m->nulls;
    for (int i = 0; i < t->n_cols; i++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;
        nulls[i] = stop - p == 2 && p[0] == '\\' && p[1] == 'N';
        m->offs[i] = m->field.len;
        if (!nulls[i] && (rc = unescape(&m->field, p, stop)))
            return rc;
        if ((rc = radar_buf_putc(&m->field, '\0')))
            return rc;
        if (!tab && i < t->n_cols - 1)
            return radar_error_set(RADAR_EFORMAT, "%s: a row of %s with too few fields", m->from->target, t->name);
        p = tab ? tab + 1 : end;
    }
    for (int i = 0; i < t->n_cols; i++) {
        value *v = &m->vals[i];
        if (nulls[i]) {
            v->kind = SQLITE_NULL;
            continue;
        }
        size_t next = i + 1 < t->n_cols ? m->offs[i + 1] : m->field.len;
        typed(v, t->cols[i].type, m->field.data + m->offs[i], next - m->offs[i] - 1);
    }
    return 1;
}

static void rows_close(mover *m)
{
    sqlite3_finalize(m->read);
    m->read = NULL;
}

static int load_begin(mover *m)
{
    radar_buf b = RADAR_BUF_INIT;
    int rc = radar_buf_puts(&b, m->to->db ? "INSERT INTO " : "COPY ");
    rc = rc ? rc : quote_ident(&b, m->t->name);
    rc = rc ? rc : radar_buf_puts(&b, " (");
    rc = rc ? rc : column_list(&b, m->t);
    if (m->to->db) {
        rc = rc ? rc : radar_buf_puts(&b, ") VALUES (");
        for (int i = 0; i < m->t->n_cols && !rc; i++)
            rc = radar_buf_puts(&b, i ? ", ?" : "?");
        rc = rc ? rc : radar_buf_putc(&b, ')');
    } else {
        rc = rc ? rc : radar_buf_puts(&b, ") FROM STDIN");
    }
    if (!rc) {
        if (m->to->db) {
            if (sqlite3_prepare_v2(m->to->db, b.data, -1, &m->write, NULL) != SQLITE_OK)
                rc = sqlite_fail(m->to, "writing rows");
        } else {
            rc = pg_context(m->to, db_pg_copy_in_begin(m->to->pg, b.data));
        }
    }
    radar_buf_free(&b);
    return rc;
}

/* Text as COPY reads it: backslash, tab, newline and carriage return escaped. */
static int copy_text(radar_buf *b, const char *s, size_t len)
{
    int rc = radar_buf_reserve(b, len);
    const char *p = s, *end = s + len;
    while (!rc && p < end) {
        const char *q = p;
        while (q < end && *q != '\\' && *q != '\t' && *q != '\n' && *q != '\r')
            q++;
        if (q > p && (rc = radar_buf_append(b, p, (size_t)(q - p))))
            break;
        if (q == end)
            break;
        rc = radar_buf_puts(b, *q == '\\' ? "\\\\" : *q == '\t' ? "\\t" : *q == '\n' ? "\\n" : "\\r");
        p = q + 1;
    }
    return rc;
}

static int load_row(mover *m)
{
    const table *t = m->t;
    int rc = 0;
    if (m->to->db) {
        sqlite3_stmt *w = m->write;
        for (int i = 0; i < t->n_cols; i++) {
            const value *v = &m->vals[i];
            switch (v->kind) {
            case SQLITE_INTEGER: sqlite3_bind_int64(w, i + 1, v->i); break;
            case SQLITE_FLOAT: sqlite3_bind_double(w, i + 1, v->d); break;
            case SQLITE_TEXT: sqlite3_bind_text(w, i + 1, v->s, (int)v->len, SQLITE_STATIC); break;
            case SQLITE_BLOB: sqlite3_bind_blob(w, i + 1, v->s, (int)v->len, SQLITE_STATIC); break;
            default: sqlite3_bind_null(w, i + 1);
            }
        }
        int step = sqlite3_step(w);
        sqlite3_reset(w);
        if (step != SQLITE_DONE)
            return radar_error_set(RADAR_EIO, "%s: writing a row of %s: %s", m->to->target, t->name,
                                   sqlite3_errmsg(m->to->db));
        m->rows++;
        return 0;
    }
    radar_buf *b = &m->out;
    for (int i = 0; i < t->n_cols && !rc; i++) {
        const value *v = &m->vals[i];
        if (i && (rc = radar_buf_putc(b, '\t')))
            break;
        switch (v->kind) {
        case SQLITE_INTEGER:
            rc = t->cols[i].type == T_BOOL ? radar_buf_puts(b, v->i ? "t" : "f") : radar_buf_printf(b, "%lld", v->i);
            break;
        case SQLITE_FLOAT:
            if (isinf(v->d))
                rc = radar_buf_puts(b, v->d > 0 ? "Infinity" : "-Infinity");
            else /* 17 digits: the same double on the other side */
                rc = radar_buf_printf(b, "%.17g", v->d);
            break;
        case SQLITE_TEXT: rc = copy_text(b, v->s, v->len); break;
        case SQLITE_BLOB:
            if (t->cols[i].type == T_BLOB) { /* bytea's hex form, its backslash escaped for COPY */
                rc = radar_buf_reserve(b, 3 + 2 * v->len);
                if (!rc) {
                    static const char hex[] = "0123456789abcdef";
                    char *o = b->data + b->len;
                    *o++ = '\\', *o++ = '\\', *o++ = 'x';
                    for (size_t k = 0; k < v->len; k++) {
                        *o++ = hex[(unsigned char)v->s[k] >> 4];
                        *o++ = hex[(unsigned char)v->s[k] & 15];
                    }
                    b->len = (size_t)(o - b->data);
                    b->data[b->len] = '\0';
                }
            } else {
                rc = copy_text(b, v->s, v->len);
            }
            break;
        default: rc = radar_buf_puts(b, "\\N");
        }
    }
    rc = rc ? rc : radar_buf_putc(b, '\n');
    m->rows++;
    if (!rc && b->len >= COPY_FLUSH) {
        rc = db_pg_copy_in_put(m->to->pg, b->data, b->len);
        radar_buf_reset(b);
    }
    return rc;
}

static int load_end(mover *m, int failed)
{
    if (m->to->db) {
        sqlite3_finalize(m->write);
        m->write = NULL;
        return 0;
    }
    int rc = 0;
    if (!failed && m->out.len)
        rc = db_pg_copy_in_put(m->to->pg, m->out.data, m->out.len);
    radar_buf_reset(&m->out);
    long long rows = -1;
    int erc = db_pg_copy_in_end(m->to->pg, &rows);
    /* a failed send's cause is in the server's answer to the endpoint */
    if (erc && (!failed || rc))
        return pg_context(m->to, erc);
    if (!rc && !failed && rows != m->rows)
        return radar_error_set(RADAR_EIO, "%s: %s: sent %lld rows, the server took %lld", m->to->target, m->t->name,
                               m->rows, rows);
    return pg_context(m->to, rc);
}

static int copy_rows(endpoint *from, endpoint *to, const table *t, long long *rows)
{
    mover m = {.from = from, .to = to, .t = t, .field = RADAR_BUF_INIT, .out = RADAR_BUF_INIT};
    m.vals = calloc((size_t)t->n_cols + 1, sizeof *m.vals);
    m.offs = calloc((size_t)t->n_cols + 1, sizeof *m.offs);
    m.nulls = calloc((size_t)t->n_cols + 1, 1);
    int rc = !m.vals || !m.offs || !m.nulls ? oom() : 0;
    rc = rc ? rc : rows_open(&m);
    int began = 0;
    if (!rc && !(rc = load_begin(&m)))
        began = 1;
    int got;
    while (!rc && (got = rows_next(&m)) > 0)
        rc = load_row(&m);
    if (!rc && got < 0)
        rc = got;
    if (began) {
        int erc = load_end(&m, rc != 0);
        rc = rc ? rc : erc;
    }
    rows_close(&m);
    *rows = m.rows;
    free(m.vals);
    free(m.offs);
    free(m.nulls);
    radar_buf_free(&m.field);
    radar_buf_free(&m.out);
    return rc;
}

/* ---- the copy -------------------------------------------------------------------- */

static int open_end(endpoint *e, const char *target, int source)
{
    e->target = target;
    if (db_pg_is_uri(target)) {
        db_pg_shown(e->shown, sizeof e->shown, target);
        e->target = e->shown;
        int rc = db_pg_connect(&e->pg, target);
        if (rc)
            return pg_context(e, rc);
        if (source)
            /* one snapshot of the whole store, whatever writes meanwhile */
            rc = pg_context(e, db_pg_exec(e->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
        return rc;
    }
    if (!source)
        return 0;
    struct stat sb;
    if (stat(target, &sb) != 0)
        return radar_error_set(RADAR_ENOTFOUND, "%s: no store here", target);
    if (sqlite3_open_v2(target, &e->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return sqlite_fail(e, "opening");
    /* one read transaction: one snapshot */
    return sq_exec(e, "BEGIN; SELECT count(*) FROM sqlite_master");
}

static void close_end(endpoint *e)
{
    if (e->db)
        sqlite3_close_v2(e->db);
    e->db = NULL;
    db_pg_close(e->pg);
    e->pg = NULL;
    if (e->tmp[0])
        unlink(e->tmp);
    e->tmp[0] = '\0';
}

/* The destination's schema and rows, in its one transaction. */
static int write_store(endpoint *from, endpoint *to, const schema *s, radar_db_copy_stats *st)
{
    radar_buf ddl = RADAR_BUF_INIT;
    int pg = to->pg != NULL, rc = 0;
    for (int i = 0; i < s->n_tables && !rc; i++)
        rc = create_table(&ddl, &s->tables[i], pg);
    /* in PostgreSQL the text-search column is computed as each row comes in
     * (adding it after the rows would write the table twice) */
    for (int i = 0; i < s->n_fts && !rc && pg; i++)
        rc = pg_fts_column(&ddl, &s->fts[i]);
    if (!rc)
        rc = pg ? pg_context(to, db_pg_exec(to->pg, ddl.data)) : sq_exec(to, ddl.data);
    radar_buf_reset(&ddl);
    double t0 = now_s();
    for (int i = 0; i < s->n_tables && !rc; i++) {
        long long rows = 0;
        rc = copy_rows(from, to, &s->tables[i], &rows);
        st->rows += rows;
        st->tables++;
    }
    st->load_seconds = now_s() - t0;
    /* indexes, foreign keys, the full-text index, the sequences, the version */
    for (int i = 0; i < s->n_tables && !rc; i++) {
        const table *t = &s->tables[i];
        for (int j = 0; j < t->n_indexes && !rc; j++)
            rc = create_index(&ddl, t, &t->indexes[j]);
        for (int j = 0; j < t->n_fks && !rc && pg; j++) {
            rc = radar_buf_puts(&ddl, "ALTER TABLE ");
            rc = rc ? rc : quote_ident(&ddl, t->name);
            rc = rc ? rc : radar_buf_printf(&ddl, " ADD %s;\n", t->fks[j]);
        }
        if (!rc && pg && t->rowid_pk) {
            radar_buf name = RADAR_BUF_INIT;
            rc = quote_ident(&name, t->name);
            rc = rc ? rc : radar_buf_puts(&ddl, "SELECT setval(pg_get_serial_sequence(");
            rc = rc ? rc : put_literal(&ddl, name.data ? name.data : "");
            radar_buf_free(&name);
            /* the key's name unquoted, as pg_get_serial_sequence wants it */
            for (int c = 0; c < t->n_cols && !rc; c++) {
                radar_buf q = RADAR_BUF_INIT;
                if (!quote_ident(&q, t->cols[c].name) && !strcmp(q.data, t->pk.cols[0])) {
                    rc = radar_buf_puts(&ddl, ", ");
                    rc = rc ? rc : put_literal(&ddl, t->cols[c].name);
                }
                radar_buf_free(&q);
            }
            rc = rc ? rc : radar_buf_printf(&ddl, "), coalesce(max(%s), 0) + 1, false) FROM ", t->pk.cols[0]);
            rc = rc ? rc : quote_ident(&ddl, t->name);
            rc = rc ? rc : radar_buf_puts(&ddl, ";\n");
        }
    }
    for (int i = 0; i < s->n_fts && !rc; i++)
        rc = pg ? pg_fts_index(&ddl, &s->fts[i]) : sqlite_fts(&ddl, &s->fts[i]);
    if (!rc && pg)
        rc = radar_buf_printf(&ddl,
                              "CREATE TABLE " PG_SCHEMA_TABLE " (version integer NOT NULL, application_id integer "
                              "NOT NULL);\nINSERT INTO " PG_SCHEMA_TABLE " VALUES (%d, %d);\n",
                              s->version, s->app);
    else if (!rc)
        rc = radar_buf_printf(&ddl, "PRAGMA application_id = %d; PRAGMA user_version = %d;\n", s->app, s->version);
    if (!rc && ddl.len)
        rc = pg ? pg_context(to, db_pg_exec(to->pg, ddl.data)) : sq_exec(to, ddl.data);
    radar_buf_free(&ddl);
    return rc;
}

/* The SQLite file made whole: committed, written to disk, renamed over the
 * destination (whose old -wal and -shm files must not outlive it). */
static int sqlite_finish(endpoint *e)
{
    int rc = sq_exec(e, "COMMIT");
    if (!rc && sqlite3_close_v2(e->db) != SQLITE_OK)
        rc = sqlite_fail(e, "closing");
    e->db = NULL;
    if (rc)
        return rc;
    int fd = open(e->tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        rc = radar_error_set(RADAR_EIO, "%s: writing to disk: %s", e->tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", e->target);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", e->target);
    unlink(side);
    if (rename(e->tmp, e->target) != 0)
        return radar_error_set(RADAR_EIO, "%s: %s", e->target, strerror(errno));
    e->tmp[0] = '\0';
    return 0;
}

int radar_db_is_postgres(const char *target)
{
    return db_pg_is_uri(target);
}

int radar_db_copy(const char *from, const char *to, const radar_db_copy_options *opts, radar_db_copy_stats *stats)
{
    radar_db_copy_options def = RADAR_DB_COPY_OPTIONS_INIT;
    radar_db_copy_stats st = {0};
    if (!opts)
        opts = &def;
    if (stats)
        *stats = st;
    if (!from || !to || !*from || !*to)
        return radar_error_set(RADAR_EINVALID, "a copy needs a source and a destination");
    if (!strcmp(from, to))
        return radar_error_set(RADAR_EINVALID, "%s: the source and the destination are the same store", from);
    double t0 = now_s();
    endpoint src = {0}, dst = {0};
    schema s = {0};
    radar_arena_init(&s.arena, 64 * 1024);
    int rc = open_end(&src, from, 1);
    if (!rc)
        rc = src.db ? sqlite_read_schema(&src, &s) : pg_read_schema(&src, &s);
    if (!rc && s.app != APPLICATION_ID)
        rc = radar_error_set(RADAR_EINVALID, "%s: not a Transfer Radar store (application id %d)", from, s.app);
    if (!rc && s.version > RADAR_STORE_SCHEMA)
        rc = radar_error_set(RADAR_EFORMAT,
                             "%s: the store has schema version %d, newer than this radar understands (%d); use a "
                             "newer radar",
                             from, s.version, RADAR_STORE_SCHEMA);
    if (!rc)
        rc = open_end(&dst, to, 0);
    int same = 0;
    if (!rc && src.pg && dst.pg && !(rc = pg_same_store(&src, &dst, &same)) && same)
        rc = radar_error_set(RADAR_EINVALID, "%s: the source and the destination are the same store", to);
    if (!rc)
        rc = dst.pg ? pg_open_dest(&dst, opts->replace) : sqlite_open_dest(&dst, opts->replace);
    if (!rc)
        rc = write_store(&src, &dst, &s, &st);
    if (!rc)
        rc = dst.pg ? pg_context(&dst, db_pg_exec(dst.pg, "COMMIT")) : sqlite_finish(&dst);
    st.schema_version = s.version;
    st.seconds = now_s() - t0;
    if (stats)
        *stats = st;
    close_end(&src);
    close_end(&dst);
    radar_arena_free(&s.arena);
    return rc;
}
