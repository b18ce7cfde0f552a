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

typedef struct radar_pg radar_pg;
typedef struct radar_pg_result radar_pg_result;

/* Whether `target` names a PostgreSQL database (postgresql:// or
 * postgres://) rather than an SQLite file. */
int radar_pg_is_uri(const char *target);

/* `uri` as it may be shown in a message: a password in it (user:secret@
 * or password=secret) replaced by "***". Always NUL-terminated in out. */
void radar_pg_shown(char *out, size_t cap, const char *uri);

/* RADAR_EINVALID, in one sentence naming `shown` (the URI as shown), when
 * the server of `pg` takes no writes because it is a hot standby (in
 * recovery, replaying its primary's changes); 0 when it takes writes, or the
 * error of asking. Writers ask before they begin, so that a standby is named
 * as such rather than by the first statement it refuses. */
int radar_pg_refuse_standby(radar_pg *pg, const char *shown);

/* Connect to the database `uri` names. On success *out is the connection,
 * which the caller closes with radar_pg_close; RADAR_EIO with libpq's message
 * when the server cannot be reached or refuses. */
int radar_pg_connect(radar_pg **out, const char *uri);

/* Close the connection (an open transaction is rolled back). NULL is a no-op. */
void radar_pg_close(radar_pg *pg);

/* Run one or more statements that return no rows. */
int radar_pg_exec(radar_pg *pg, const char *sql);

/* Run one statement with text parameters ($1, $2, ...; a NULL entry is SQL
 * NULL) and keep its rows. *out is the result, freed by the caller with
 * radar_pg_result_free. */
int radar_pg_query(radar_pg *pg, radar_pg_result **out, const char *sql, int n_params, const char *const *params);

/* The same with a type id per parameter (pg_type.oid; 0: the server infers
 * it from the statement); types may be NULL. */
int radar_pg_query_typed(radar_pg *pg, radar_pg_result **out, const char *sql, int n_params,
                         const char *const *params, const unsigned *types);

/* A statement parsed and planned once, by the server, under `name` (unique
 * on the connection) with a type id per parameter (0: the server infers it),
 * then run any number of times with radar_pg_query_prepared, with values for
 * those parameters, without sending or parsing its text again. The server
 * keeps it until radar_pg_deallocate or the connection's end. */
int radar_pg_prepare(radar_pg *pg, const char *name, const char *sql, int n_params, const unsigned *types);
int radar_pg_query_prepared(radar_pg *pg, radar_pg_result **out, const char *name, int n_params,
                            const char *const *params);
/* Drop the prepared statement `name`. Where the transaction has failed (the
 * server then refuses all but its end) it is left to the connection's end:
 * names are never used again. */
void radar_pg_deallocate(radar_pg *pg, const char *name);

int radar_pg_rows(const radar_pg_result *r);
/* The type id (pg_type.oid) of a column of the result. */
unsigned radar_pg_type(const radar_pg_result *r, int column);
int radar_pg_columns(const radar_pg_result *r);
/* A value as text, or NULL for SQL NULL. Borrowed: valid until the result is freed. */
const char *radar_pg_value(const radar_pg_result *r, int row, int column);
void radar_pg_result_free(radar_pg_result *r);
/* The rows an INSERT, UPDATE or DELETE wrote (0 for other statements). */
long long radar_pg_changes(const radar_pg_result *r);
/* The SQLSTATE of the last failed statement ("40P01" a deadlock, "23505" a
 * duplicate key ...), "" when it had none. Borrowed. */
const char *radar_pg_sqlstate(const radar_pg *pg);
/* Whether a transaction is open on the connection (BEGIN without its end). */
int radar_pg_in_transaction(const radar_pg *pg);

/* Bulk load: radar_pg_copy_in_begin runs a COPY ... FROM STDIN statement, then
 * radar_pg_copy_in_put sends data in COPY's text format (any split of it), and
 * radar_pg_copy_in_end finishes it and says how many rows the server took
 * (rows may be NULL). After a failure of put, call end to learn the
 * server's message; end after a failure ends the COPY. */
int radar_pg_copy_in_begin(radar_pg *pg, const char *sql);
int radar_pg_copy_in_put(radar_pg *pg, const char *data, size_t len);
int radar_pg_copy_in_end(radar_pg *pg, long long *rows);

/* Bulk read: radar_pg_copy_out_begin runs a COPY ... TO STDOUT statement, then
 * each radar_pg_copy_out_next returns 1 with one row in COPY's text format in
 * *row, *len bytes (ending in a newline; borrowed until the next call), 0
 * after the last row (the COPY is then over), or a negative error code. */
int radar_pg_copy_out_begin(radar_pg *pg, const char *sql);
int radar_pg_copy_out_next(radar_pg *pg, const char **row, size_t *len);

struct sqlite3;
/* db_copy.c: the schema of the empty store `db` (an SQLite database the
 * store made, at its version) made in PostgreSQL on `pg`, inside the
 * caller's transaction, as radar db copy makes it: one schema on both.
 * `shown` names the database in messages. */
int radar_db_pg_create(radar_pg *pg, struct sqlite3 *db, const char *shown);
/* db_copy.c: every full-text column of the store on `pg` made again as the
 * client writes it, each word folded as SQLite's index folds it (an older
 * radar's was generated by to_tsvector, which folds no accent), with its
 * GIN index; inside the caller's transaction. */
int radar_db_pg_refold(radar_pg *pg, const char *shown);

#endif
