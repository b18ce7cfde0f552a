/*
 * sql.h - the one interface through which the store speaks SQL, to SQLite or
 * to PostgreSQL (internal: only the store's files include it).
 *
 * The store writes one SQL text for both. Its placeholders are SQLite's
 * (?1, ?2, ... or ?); for PostgreSQL they become $1, $2, ... and the few
 * words the two dialects spell differently are rewritten as the statement
 * is prepared (sql_pg.c says which). What cannot be rewritten word for word
 * (full-text search) is a function of its own here, asked of the connection.
 *
 * The calls mirror SQLite's, with its result codes (RADAR_SQL_ROW ...), so
 * that on SQLite each one is a direct call: the store pays no more than one
 * branch for being able to run on either. A PostgreSQL statement runs when
 * first stepped, with its bound values sent as text, and its rows are read
 * from the server's answer.
 */
#ifndef RADAR_SQL_H
#define RADAR_SQL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>

/* Result codes and column types: SQLite's, for both backends. */
#define RADAR_SQL_OK SQLITE_OK
#define RADAR_SQL_ERROR SQLITE_ERROR
#define RADAR_SQL_ROW SQLITE_ROW
#define RADAR_SQL_DONE SQLITE_DONE
#define RADAR_SQL_INTEGER SQLITE_INTEGER
#define RADAR_SQL_FLOAT SQLITE_FLOAT
#define RADAR_SQL_TEXT SQLITE_TEXT
#define RADAR_SQL_BLOB SQLITE_BLOB
#define RADAR_SQL_NULL SQLITE_NULL
/* bind_text's last argument: the bytes are copied, or they outlive the step */
#define RADAR_SQL_TRANSIENT SQLITE_TRANSIENT
#define RADAR_SQL_STATIC SQLITE_STATIC

typedef struct radar_pg radar_pg;

/* A connection: an SQLite handle (lite) or a PostgreSQL one (pg). */
typedef struct radar_sql {
    sqlite3 *lite;
    radar_pg *pg;
    char *pg_error; /* the server's message about the last failure (malloc'd) */
    long long pg_last_id; /* the key of the row the last INSERT added (RETURNING) */
    long long pg_changes; /* the rows the last INSERT, UPDATE or DELETE wrote */
    unsigned long pg_prepared; /* statements prepared on the server so far: their names */
} radar_sql;

struct sql_pg_stmt;
typedef struct radar_sql_stmt {
    sqlite3_stmt *lite;
    struct sql_pg_stmt *pg;
} radar_sql_stmt;

/* ---- connection ---- */
/* The message of the last failure on c (SQLite's or the server's). Borrowed. */
const char *radar_sql_errmsg(const radar_sql *c);
/* Whether c is PostgreSQL. */
static inline int radar_sql_is_pg(const radar_sql *c)
{
    return c->pg != NULL;
}
/* Run statements that return no rows: RADAR_SQL_OK or an error code. On
 * PostgreSQL each statement is rewritten as radar_sql_prepare does, and
 * SQLite's PRAGMAs (its tuning: cache, journal, temporary storage) do
 * nothing. */
int radar_sql_exec(radar_sql *c, const char *sql);
/* Whether a transaction is open (SQLite: not in autocommit). */
int radar_sql_in_transaction(const radar_sql *c);
/* Roll back the open transaction, if any; nothing to report. */
void radar_sql_rollback(radar_sql *c);
/* The key of the row the last INSERT of one row added: SQLite's rowid; on
 * PostgreSQL the identity column an INSERT into articles (rowid), players,
 * stories or mentions (id) returns. */
long long radar_sql_last_insert_id(const radar_sql *c);
/* The rows the last INSERT, UPDATE or DELETE wrote. */
long long radar_sql_changes(const radar_sql *c);

/* Prepare one statement (persistent: kept for many runs). *out is freed
 * with radar_sql_finalize. */
int radar_sql_prepare(radar_sql *c, const char *sql, int persistent, radar_sql_stmt **out);

/* ---- statements (sql_sqlite.c: the SQLite side is inline) ---- */
int radar_sql_pg_finalize(radar_sql_stmt *s);
int radar_sql_pg_reset(radar_sql_stmt *s);
int radar_sql_pg_clear_bindings(radar_sql_stmt *s);
int radar_sql_pg_step(radar_sql_stmt *s);
int radar_sql_pg_bind_int64(radar_sql_stmt *s, int i, long long v);
int radar_sql_pg_bind_double(radar_sql_stmt *s, int i, double v);
int radar_sql_pg_bind_text(radar_sql_stmt *s, int i, const char *v, int n);
int radar_sql_pg_bind_null(radar_sql_stmt *s, int i);
int radar_sql_pg_column_type(radar_sql_stmt *s, int i);
long long radar_sql_pg_column_int64(radar_sql_stmt *s, int i);
double radar_sql_pg_column_double(radar_sql_stmt *s, int i);
const unsigned char *radar_sql_pg_column_text(radar_sql_stmt *s, int i);
int radar_sql_pg_column_bytes(radar_sql_stmt *s, int i);

/* Frees s; NULL is fine. */
static inline int radar_sql_finalize(radar_sql_stmt *s)
{
    if (!s)
        return RADAR_SQL_OK;
    return s->lite ? (sqlite3_finalize(s->lite), free(s), RADAR_SQL_OK) : radar_sql_pg_finalize(s);
}
/* Ready to run again; the bindings stay (as SQLite's reset). */
static inline int radar_sql_reset(radar_sql_stmt *s)
{
    return s->lite ? sqlite3_reset(s->lite) : radar_sql_pg_reset(s);
}
static inline int radar_sql_clear_bindings(radar_sql_stmt *s)
{
    return s->lite ? sqlite3_clear_bindings(s->lite) : radar_sql_pg_clear_bindings(s);
}
/* RADAR_SQL_ROW with a row, RADAR_SQL_DONE after the last, else an error code. */
static inline int radar_sql_step(radar_sql_stmt *s)
{
    return s->lite ? sqlite3_step(s->lite) : radar_sql_pg_step(s);
}
static inline int radar_sql_bind_int64(radar_sql_stmt *s, int i, long long v)
{
    return s->lite ? sqlite3_bind_int64(s->lite, i, v) : radar_sql_pg_bind_int64(s, i, v);
}
static inline int radar_sql_bind_int(radar_sql_stmt *s, int i, int v)
{
    return s->lite ? sqlite3_bind_int(s->lite, i, v) : radar_sql_pg_bind_int64(s, i, v);
}
static inline int radar_sql_bind_double(radar_sql_stmt *s, int i, double v)
{
    return s->lite ? sqlite3_bind_double(s->lite, i, v) : radar_sql_pg_bind_double(s, i, v);
}
/* n bytes of v (n < 0: up to its NUL); `keep` is RADAR_SQL_TRANSIENT or
 * RADAR_SQL_STATIC (PostgreSQL's statements always copy). */
static inline int radar_sql_bind_text(radar_sql_stmt *s, int i, const char *v, int n, sqlite3_destructor_type keep)
{
    return s->lite ? sqlite3_bind_text(s->lite, i, v, n, keep) : radar_sql_pg_bind_text(s, i, v, n);
}
static inline int radar_sql_bind_null(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_bind_null(s->lite, i) : radar_sql_pg_bind_null(s, i);
}
/* A column's type in this row: RADAR_SQL_INTEGER, _FLOAT, _TEXT, _BLOB or _NULL
 * (PostgreSQL's booleans are integers 0 and 1). */
static inline int radar_sql_column_type(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_type(s->lite, i) : radar_sql_pg_column_type(s, i);
}
static inline long long radar_sql_column_int64(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_int64(s->lite, i) : radar_sql_pg_column_int64(s, i);
}
static inline int radar_sql_column_int(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_int(s->lite, i) : (int)radar_sql_pg_column_int64(s, i);
}
static inline double radar_sql_column_double(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_double(s->lite, i) : radar_sql_pg_column_double(s, i);
}
/* Borrowed: valid until the next step, reset or finalize; NULL for SQL NULL. */
static inline const unsigned char *radar_sql_column_text(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_text(s->lite, i) : radar_sql_pg_column_text(s, i);
}
static inline int radar_sql_column_bytes(radar_sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_bytes(s->lite, i) : radar_sql_pg_column_bytes(s, i);
}

/* ---- the dialects' differences that are more than a word ---- */
/* Full-text search over the articles' titles and bodies, as pieces of one
 * statement: *from joins the index to the articles (aliased a), *match is
 * the condition on the query bound as ?1, *snippet the body's passage
 * around the words found, the words in [ ], at most 16 of them (FTS5's
 * snippet(); for PostgreSQL the body, which radar_sql_fts_passage makes
 * the passage), *newest the order of the newest hits first. Borrowed
 * constants. */
void radar_sql_fts_pieces(const radar_sql *c, const char **from, const char **match, const char **snippet,
                          const char **newest);
/* A query in FTS5's syntax as search_query.c writes it (quoted terms, a
 * '*' after a prefix, NOT before a term left out) in the connection's
 * dialect: as it is for SQLite; a tsquery for PostgreSQL ("a b"* is
 * 'a' <-> 'b':*, NOT "c" is & !'c'). *out: caller frees. */
int radar_sql_fts_query(const radar_sql *c, const char *fts5, char **out);
/* The passage shown with a hit, from the value the snippet piece read
 * (above) and the query in FTS5's syntax: *out NULL where that value is the
 * passage already (SQLite's snippet()); for PostgreSQL, malloc'd, cut from
 * the body with the query's words folded as the index folds them
 * (fts_pg.c), the caller frees it. 0 or RADAR_ENOMEM. */
int radar_sql_fts_passage(const radar_sql *c, const char *fts5, const char *value, char **out);
/* Stop the connection's statements after `ms` milliseconds: SQLite calls
 * progress(ctx) every few thousand steps and stops when it returns
 * non-zero; PostgreSQL's statement_timeout. ms <= 0 lifts the limit.
 * Whether a failure was this limit: radar_sql_timed_out. */
int radar_sql_limit_time(radar_sql *c, int ms, int (*progress)(void *), void *ctx);
int radar_sql_timed_out(const radar_sql *c);

#endif
