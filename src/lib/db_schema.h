/*
 * db_schema.h - what radar db copy's two files share: a store's schema in
 * neither database's dialect (tables, columns, keys, indexes, foreign keys,
 * full-text indexes), the two ends of a copy, and the readers of a schema
 * from SQLite's and PostgreSQL's catalogs (db_schema.c). db_copy.c writes the
 * schema out again and moves the rows.
 */
#ifndef RADAR_DB_SCHEMA_H
#define RADAR_DB_SCHEMA_H

#include <sqlite3.h>

#include "radar/buf.h"
#include "arena.h"
#include "db_pg.h"

#define APPLICATION_ID 1380009042 /* Transfer Radar's SQLite application_id (store.c) */
#define PG_SCHEMA_TABLE "radar_schema"
#define WITHOUT_ROWID_COMMENT "sqlite: WITHOUT ROWID"

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

/* One end of a copy: an SQLite database or a PostgreSQL connection. */
typedef struct endpoint {
    const char *target; /* the path, or the URI without its password: for messages */
    char shown[1024];
    sqlite3 *db;        /* an SQLite endpoint */
    radar_pg *pg;          /* a PostgreSQL endpoint */
    char tmp[4096];     /* an SQLite destination is built here, then renamed over target */
} endpoint;

/* The schema of the store at `e`, from its catalog, into `s` (whose arena
 * holds every string; the caller frees it with radar_arena_free). An error
 * names what is not carried (a view, a CHECK, ...) or what failed. */
int radar_db_read_sqlite(endpoint *e, schema *s);
int radar_db_read_pg(endpoint *e, schema *s);

/* "name" with its quotes doubled, appended to b. */
int radar_db_quote_ident(radar_buf *b, const char *name);
/* RADAR_EIO with SQLite's message, the end's target and `what`. */
int radar_db_sqlite_fail(endpoint *e, const char *what);
int radar_db_sqlite_exec(endpoint *e, const char *sql);
/* rc, with the end's target put before the last error's message. */
int radar_db_pg_context(endpoint *e, int rc);
int radar_db_oom(void);

#endif
