/*
 * db_pg.h - the store's connection to a PostgreSQL server, through libpq.
 *
 * One small interface for everything the store says to PostgreSQL: connect
 * with a postgresql:// URI (and the PG* environment variables libpq reads for
 * whatever the URI leaves out), run statements, read results as text, and
 * move rows in bulk with COPY. Only db_pg.c includes libpq-fe.h. Failures
 * come back as radar_error codes with the server's own message as the
 * last-error detail; nothing is printed (the server's notices are dropped).
 */
#ifndef RADAR_DB_PG_H
#define RADAR_DB_PG_H

#include <stddef.h>

typedef struct db_pg db_pg;
typedef struct db_pg_result db_pg_result;

/* Whether `target` names a PostgreSQL database (postgresql:// or
 * postgres://) rather than an SQLite file. */
int db_pg_is_uri(const char *target);

/* `uri` as it may be shown in a message: a password in it (user:secret@
 * or password=secret) replaced by "***". Always NUL-terminated in out. */
void db_pg_shown(char *out, size_t cap, const char *uri);

/* For the store's open: RADAR_EINVALID, saying that `uri` names a
 * PostgreSQL store, which only radar db copy reads and writes so far (never
 * taken for a file path, which would make folders named "postgresql:"). */
int db_pg_store_not_yet(const char *uri);

/* Connect to the database `uri` names. On success *out is the connection,
 * which the caller closes with db_pg_close; RADAR_EIO with libpq's message
 * when the server cannot be reached or refuses. */
int db_pg_connect(db_pg **out, const char *uri);

/* Close the connection (an open transaction is rolled back). NULL is a no-op. */
void db_pg_close(db_pg *pg);

/* Run one or more statements that return no rows. */
int db_pg_exec(db_pg *pg, const char *sql);

/* Run one statement with text parameters ($1, $2, ...; a NULL entry is SQL
 * NULL) and keep its rows. *out is the result, freed by the caller with
 * db_pg_result_free. */
int db_pg_query(db_pg *pg, db_pg_result **out, const char *sql, int n_params, const char *const *params);

int db_pg_rows(const db_pg_result *r);
int db_pg_columns(const db_pg_result *r);
/* A value as text, or NULL for SQL NULL. Borrowed: valid until the result is freed. */
const char *db_pg_value(const db_pg_result *r, int row, int column);
void db_pg_result_free(db_pg_result *r);

/* Bulk load: db_pg_copy_in_begin runs a COPY ... FROM STDIN statement, then
 * db_pg_copy_in_put sends data in COPY's text format (any split of it), and
 * db_pg_copy_in_end finishes it and says how many rows the server took
 * (rows may be NULL). After a failure of put, call end to learn the
 * server's message; end after a failure ends the COPY. */
int db_pg_copy_in_begin(db_pg *pg, const char *sql);
int db_pg_copy_in_put(db_pg *pg, const char *data, size_t len);
int db_pg_copy_in_end(db_pg *pg, long long *rows);

/* Bulk read: db_pg_copy_out_begin runs a COPY ... TO STDOUT statement, then
 * each db_pg_copy_out_next returns 1 with one row in COPY's text format in
 * *row, *len bytes (ending in a newline; borrowed until the next call), 0
 * after the last row (the COPY is then over), or a negative error code. */
int db_pg_copy_out_begin(db_pg *pg, const char *sql);
int db_pg_copy_out_next(db_pg *pg, const char **row, size_t *len);

#endif
