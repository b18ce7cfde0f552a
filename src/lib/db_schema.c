/*
 * db_schema.c - a store's schema read from its own catalog, for radar db copy.
 *
 * SQLite: sqlite_master and the table_info, index_list, index_xinfo and
 * foreign_key_list pragmas. PostgreSQL: information_schema for columns,
 * primary keys and unique constraints, pg_catalog for indexes and foreign
 * keys (which information_schema does not describe). Both become the neutral
 * description of db_schema.h; nothing here knows the store's tables. What a
 * schema says that the copy cannot carry yet is refused by name.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/error.h"
#include "db_schema.h"

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

int radar_db_oom(void)
{
    return radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* "name" with its quotes doubled: an identifier either database reads as written. */
int radar_db_quote_ident(radar_buf *b, const char *name)
{
    int rc = radar_buf_putc(b, '"');
    for (const char *p = name; !rc && *p; p++)
        rc = *p == '"' ? radar_buf_puts(b, "\"\"") : radar_buf_putc(b, *p);
    return rc ? rc : radar_buf_putc(b, '"');
}

static const char *quoted(schema *s, const char *name)
{
    radar_buf b = RADAR_BUF_INIT;
    const char *q = radar_db_quote_ident(&b, name) ? NULL : keep(s, b.data);
    radar_buf_free(&b);
    return q;
}

static int add_col(schema *s, key *k, const char *text)
{
    const char **slot = push(&s->arena, &k->cols, &k->n_cols, &k->cap_cols, sizeof *k->cols);
    if (!slot || !(*slot = keep(s, text)))
        return radar_db_oom();
    return 0;
}

static table *find_table(schema *s, const char *name)
{
    for (int i = 0; i < s->n_tables; i++)
        if (!strcmp(s->tables[i].name, name))
            return &s->tables[i];
    return NULL;
}

/* ---- the two ends ------------------------------------------------------------ */

int radar_db_sqlite_fail(endpoint *e, const char *what)
{
    return radar_error_set(RADAR_EIO, "%s: %s: %s", e->target, what, e->db ? sqlite3_errmsg(e->db) : "out of memory");
}

int radar_db_sqlite_exec(endpoint *e, const char *sql)
{
    return sqlite3_exec(e->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : radar_db_sqlite_fail(e, "running a statement");
}

/* The PostgreSQL message, with the target in front. */
int radar_db_pg_context(endpoint *e, int rc)
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
        return radar_db_sqlite_fail(e, "reading the schema");
    if (param)
        sqlite3_bind_text(s, 1, param, -1, SQLITE_TRANSIENT);
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(ctx, s);
    if (!rc && step != SQLITE_DONE)
        rc = radar_db_sqlite_fail(e, "reading the schema");
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
                return radar_db_oom();
        } else if (*arg) {
            /* "body UNINDEXED": the name is the first word */
            arg[strcspn(arg, " \t")] = '\0';
            const char **slot = push(&s->arena, &f->cols, &f->n_cols, &f->cap_cols, sizeof *f->cols);
            if (!slot || !(*slot = keep(s, arg)))
                return radar_db_oom();
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
            return radar_db_oom();
        return parse_fts5(c->s, f, sql);
    }
    table *t = push(&c->s->arena, &c->s->tables, &c->s->n_tables, &c->s->cap_tables, sizeof *t);
    if (!t || !(t->name = keep(c->s, name)) || !(t->sql = keep(c->s, sql)))
        return radar_db_oom();
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
        return radar_db_oom();
    col->type = affinity(col_text(st, 1));
    col->notnull = sqlite3_column_int(st, 2);
    if (sqlite3_column_type(st, 3) != SQLITE_NULL && !(col->dflt = keep(c->s, col_text(st, 3))))
        return radar_db_oom();
    int pk = sqlite3_column_int(st, 4);
    if (pk > 0) {
        /* table_info lists columns in table order; the key's order is pk */
        while (c->t->pk.n_cols < pk)
            if (add_col(c->s, &c->t->pk, ""))
                return radar_db_oom();
        c->t->pk.cols[pk - 1] = quoted(c->s, col->name);
        if (!c->t->pk.cols[pk - 1])
            return radar_db_oom();
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
    int rc = radar_db_quote_ident(&b, name);
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
        return radar_db_oom();
    k->unique = sqlite3_column_int(st, 1);
    if (strcmp(origin, "u") && !(k->name = keep(c->s, name)))
        return radar_db_oom();
    void *pair[2] = {c, k};
    int rc = sq_each(c->e, "SELECT name, desc, coll FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno", name,
                     sq_key_col_row, pair);
    if (rc || !sqlite3_column_int(st, 3))
        return rc;
    /* a partial index: its condition as written, after the last WHERE */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(c->e->db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", -1, &q,
                           NULL) != SQLITE_OK)
        return radar_db_sqlite_fail(c->e, "reading the schema");
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW && col_text(q, 0)) {
        const char *sql = col_text(q, 0), *w = NULL;
        for (const char *p = sql; (p = find_nocase(p, " WHERE ")); p++)
            w = p;
        if (w && !(k->where = keep(c->s, w + 7)))
            rc = radar_db_oom();
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
        rc = radar_db_quote_ident(&b, f->table);
    if (!rc && f->to.len)
        rc = radar_buf_printf(&b, "(%s)", f->to.data);
    if (!rc && strcmp(f->on_delete, "NO ACTION"))
        rc = radar_buf_printf(&b, " ON DELETE %s", f->on_delete);
    if (!rc && strcmp(f->on_update, "NO ACTION"))
        rc = radar_buf_printf(&b, " ON UPDATE %s", f->on_update);
    const char **slot = rc ? NULL : push(&f->c->s->arena, &f->c->t->fks, &f->c->t->n_fks, &f->c->t->cap_fks,
                                         sizeof *slot);
    if (!rc && (!slot || !(*slot = keep(f->c->s, b.data))))
        rc = radar_db_oom();
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
        rc = radar_db_quote_ident(&f->from, col_text(st, 2));
    /* no column named: the referenced table's primary key, which REFERENCES t alone means too */
    if (!rc && col_text(st, 3)) {
        if (f->to.len)
            rc = radar_buf_puts(&f->to, ", ");
        if (!rc)
            rc = radar_db_quote_ident(&f->to, col_text(st, 3));
    }
    return rc;
}

static int sq_int(endpoint *e, const char *sql, int *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(e->db, sql, -1, &s, NULL) != SQLITE_OK)
        return radar_db_sqlite_fail(e, "reading the schema");
    int step = sqlite3_step(s);
    *out = step == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : radar_db_sqlite_fail(e, "reading the schema");
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

int radar_db_read_sqlite(endpoint *e, schema *s)
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
            return radar_db_sqlite_fail(e, "reading the schema");
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

/* t's columns, in order; a tsvector column is s's full-text index over t. */
static int pg_read_columns(endpoint *e, schema *s, table *t)
{
    const char *param[1] = {t->name};
    radar_pg_result *r = NULL;
    int rc = radar_pg_query(e->pg, &r,
                            "SELECT column_name, data_type, is_nullable, column_default, is_generated, "
                            "col_description(" PG_TABLE_REF ", ordinal_position::int) "
                            "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 "
                            "ORDER BY ordinal_position",
                            1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    for (int i = 0; i < radar_pg_rows(r) && !rc; i++) {
        const char *name = radar_pg_value(r, i, 0), *type = radar_pg_value(r, i, 1), *gen = radar_pg_value(r, i, 4);
        if ((gen && !strcmp(gen, "ALWAYS")) || !strcmp(type, "tsvector")) {
            /* a generated column is made again, not copied; a tsvector one
             * (generated by an older radar, written by the client now) is
             * the full-text index */
            if (strcmp(type, "tsvector"))
                continue;
            fts *f = push(&s->arena, &s->fts, &s->n_fts, &s->cap_fts, sizeof *f);
            if (!f || !(f->name = keep(s, name)) || !(f->table = t->name)) {
                rc = radar_db_oom();
                break;
            }
            const char *sql = radar_pg_value(r, i, 5);
            if (sql && !strncasecmp(sql, "CREATE VIRTUAL TABLE", 20)) {
                if (!(f->sql = keep(s, sql)))
                    rc = radar_db_oom();
                else
                    rc = parse_fts5(s, f, sql);
            }
            continue;
        }
        column *c = push(&s->arena, &t->cols, &t->n_cols, &t->cap_cols, sizeof *c);
        if (!c || !(c->name = keep(s, name))) {
            rc = radar_db_oom();
            break;
        }
        c->type = pg_type(type);
        c->notnull = !strcmp(radar_pg_value(r, i, 2), "NO");
        c->dflt = pg_default(s, radar_pg_value(r, i, 3));
    }
    radar_pg_result_free(r);
    return rc;
}

/* t's primary key and unique constraints, their columns in order; an
 * INTEGER primary key of one column is the rowid's. */
static int pg_read_keys(endpoint *e, schema *s, table *t)
{
    const char *param[1] = {t->name};
    radar_pg_result *r = NULL;
    int rc = radar_pg_query(e->pg, &r,
                            "SELECT tc.constraint_name, tc.constraint_type, kcu.column_name "
                            "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
                            "ON kcu.constraint_schema = tc.constraint_schema "
                            "AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name "
                            "WHERE tc.table_schema = current_schema() AND tc.table_name = $1 "
                            "AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
                            "ORDER BY tc.constraint_type, tc.constraint_name, kcu.ordinal_position",
                            1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    key *k = NULL;
    const char *last = NULL;
    for (int i = 0; i < radar_pg_rows(r) && !rc; i++) {
        const char *cname = radar_pg_value(r, i, 0), *ctype = radar_pg_value(r, i, 1);
        if (!last || strcmp(last, cname)) {
            k = !strcmp(ctype, "PRIMARY KEY") ? &t->pk
                                              : push(&s->arena, &t->uniques, &t->n_uniques, &t->cap_uniques, sizeof *k);
            if (!k) {
                rc = radar_db_oom();
                break;
            }
            k->unique = 1;
            last = cname;
        }
        const char *q = quoted(s, radar_pg_value(r, i, 2));
        rc = q ? add_col(s, k, q) : radar_db_oom();
    }
    radar_pg_result_free(r);
    if (rc)
        return rc;
    if (t->pk.n_cols == 1)
        for (int i = 0; i < t->n_cols; i++) {
            const char *q = quoted(s, t->cols[i].name);
            if (q && !strcmp(q, t->pk.cols[0]) && t->cols[i].type == T_INTEGER)
                t->rowid_pk = 1;
        }
    return 0;
}

/* Whether t was a WITHOUT ROWID table in SQLite: the table's comment says. */
static int pg_read_without_rowid(endpoint *e, table *t)
{
    const char *param[1] = {t->name};
    radar_pg_result *r = NULL;
    int rc = radar_pg_query(e->pg, &r, "SELECT obj_description(" PG_TABLE_REF ", 'pg_class')", 1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    const char *comment = radar_pg_rows(r) ? radar_pg_value(r, 0, 0) : NULL;
    t->without_rowid = comment && !strcmp(comment, WITHOUT_ROWID_COMMENT);
    if (t->without_rowid)
        t->rowid_pk = 0;
    radar_pg_result_free(r);
    return 0;
}

/* t's foreign keys, as PostgreSQL writes them (SQL both databases read). */
static int pg_read_foreign_keys(endpoint *e, schema *s, table *t)
{
    const char *param[1] = {t->name};
    radar_pg_result *r = NULL;
    int rc = radar_pg_query(e->pg, &r,
                            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = " PG_TABLE_REF
                            " AND contype = 'f' ORDER BY conname",
                            1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    for (int i = 0; i < radar_pg_rows(r) && !rc; i++) {
        const char **slot = push(&s->arena, &t->fks, &t->n_fks, &t->cap_fks, sizeof *slot);
        if (!slot || !(*slot = keep(s, radar_pg_value(r, i, 0))))
            rc = radar_db_oom();
    }
    radar_pg_result_free(r);
    return rc;
}

/* t's B-tree indexes that no constraint owns, key columns in order. */
static int pg_read_indexes(endpoint *e, schema *s, table *t)
{
    const char *param[1] = {t->name};
    radar_pg_result *r = NULL;
    int rc = radar_pg_query(e->pg, &r,
                            "SELECT i.relname, x.indisunique, pg_get_expr(x.indpred, x.indrelid), "
                            "(SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true) || "
                            "CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, E'\\x1f' ORDER BY k) "
                            "FROM generate_series(1, x.indnkeyatts) k) "
                            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
                            "WHERE x.indrelid = " PG_TABLE_REF " AND am.amname = 'btree' AND NOT EXISTS (SELECT 1 FROM "
                            "pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) "
                            "ORDER BY x.indexrelid",
                            1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    for (int i = 0; i < radar_pg_rows(r) && !rc; i++) {
        key *ix = push(&s->arena, &t->indexes, &t->n_indexes, &t->cap_indexes, sizeof *ix);
        if (!ix || !(ix->name = keep(s, radar_pg_value(r, i, 0)))) {
            rc = radar_db_oom();
            break;
        }
        ix->unique = !strcmp(radar_pg_value(r, i, 1), "t");
        if (radar_pg_value(r, i, 2) && !(ix->where = keep(s, radar_pg_value(r, i, 2))))
            rc = radar_db_oom();
        /* the columns, as PostgreSQL writes them (quoted where needed), split on 0x1F */
        const char *cols = radar_pg_value(r, i, 3);
        for (const char *p = cols; p && !rc;) {
            size_t n = strcspn(p, "\x1f");
            char *one = radar_arena_strndup(&s->arena, p, n);
            rc = one ? add_col(s, ix, one) : radar_db_oom();
            p = p[n] ? p + n + 1 : NULL;
        }
    }
    radar_pg_result_free(r);
    return rc;
}

static int pg_read_table(endpoint *e, schema *s, table *t)
{
    int rc;
    if ((rc = pg_read_columns(e, s, t)) || (rc = pg_read_keys(e, s, t)) || (rc = pg_read_without_rowid(e, t)) ||
        (rc = pg_read_foreign_keys(e, s, t)))
        return rc;
    return pg_read_indexes(e, s, t);
}

int radar_db_read_pg(endpoint *e, schema *s)
{
    radar_pg_result *r = NULL;
    const char *param[1] = {PG_SCHEMA_TABLE};
    int rc = radar_pg_query(e->pg, &r,
                         "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                         "AND table_name = $1",
                         1, param);
    if (rc)
        return radar_db_pg_context(e, rc);
    int have = atoi(radar_pg_value(r, 0, 0));
    radar_pg_result_free(r);
    if (!have)
        return radar_error_set(RADAR_EINVALID,
                               "%s: no Transfer Radar store in this database (no table " PG_SCHEMA_TABLE
                               " in schema of the search path)",
                               e->target);
    if ((rc = radar_pg_query(e->pg, &r, "SELECT version, application_id FROM " PG_SCHEMA_TABLE, 0, NULL)))
        return radar_db_pg_context(e, rc);
    if (radar_pg_rows(r) != 1) {
        radar_pg_result_free(r);
        return radar_error_set(RADAR_EFORMAT, "%s: the table " PG_SCHEMA_TABLE " should hold one row", e->target);
    }
    s->version = atoi(radar_pg_value(r, 0, 0));
    s->app = atoi(radar_pg_value(r, 0, 1));
    radar_pg_result_free(r);
    /* in the order they were made */
    if ((rc = radar_pg_query(e->pg, &r,
                          "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
                          "AND c.relkind = 'r' AND c.relname <> $1 ORDER BY c.oid",
                          1, param)))
        return radar_db_pg_context(e, rc);
    for (int i = 0; i < radar_pg_rows(r) && !rc; i++) {
        table *t = push(&s->arena, &s->tables, &s->n_tables, &s->cap_tables, sizeof *t);
        if (!t || !(t->name = keep(s, radar_pg_value(r, i, 0))))
            rc = radar_db_oom();
    }
    radar_pg_result_free(r);
    for (int i = 0; i < s->n_tables && !rc; i++)
        rc = pg_read_table(e, s, &s->tables[i]);
    return rc;
}
