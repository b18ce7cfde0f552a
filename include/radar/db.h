/*
 * db.h - moving a whole store between SQLite and PostgreSQL.
 *
 * A store lives in an SQLite file (a path) or in a PostgreSQL database (a
 * postgresql:// or postgres:// URI; libpq's PG* environment variables fill in
 * what the URI leaves out). radar_db_copy reads the source's schema from its
 * own catalog, writes the same tables, keys and indexes in the destination's
 * dialect, and moves every row in one transaction, so that a user can start
 * with a file and grow into a server, or come back. The full-text index is
 * not copied as such: it is rebuilt from the articles on the SQLite side,
 * and kept as a tsvector column with a GIN index on the PostgreSQL side.
 */
#ifndef RADAR_DB_H
#define RADAR_DB_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_db_copy_options {
    int replace; /* a destination that holds tables is emptied first (else it is refused) */
} radar_db_copy_options;
#define RADAR_DB_COPY_OPTIONS_INIT {0}

/* What a copy did. */
typedef struct radar_db_copy_stats {
    int tables;         /* tables copied */
    long long rows;     /* rows copied, all tables together */
    int schema_version; /* the store's schema version, carried over */
    double seconds;     /* the whole copy, connecting to committing */
    double load_seconds; /* of which moving the rows (the rest: schema, indexes, full-text index) */
} radar_db_copy_stats;

/* Whether `target` names a PostgreSQL database rather than an SQLite file. */
int radar_db_is_postgres(const char *target);

/* Copy the store `from` into `to` (each a path or a postgresql:// URI).
 * The destination must hold no tables unless opts->replace; it is written in
 * one transaction (an SQLite file is built beside it and renamed over it), so
 * a failure leaves it as it was. `opts` may be NULL (the defaults), `stats`
 * may be NULL. RADAR_EINVALID for a refused destination or a source that is
 * not a Transfer Radar store, RADAR_EFORMAT for a schema newer than this
 * radar, RADAR_EIO with the database's message otherwise. */
int radar_db_copy(const char *from, const char *to, const radar_db_copy_options *opts, radar_db_copy_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
