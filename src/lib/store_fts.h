/*
 * store_fts.h - the full-text index's tokenizer, "radar_fold" (store_fts.c).
 */
#ifndef RADAR_STORE_FTS_H
#define RADAR_STORE_FTS_H

#include <sqlite3.h>

/* The FTS5 tokenizer's name, as a table declares it: tokenize='radar_fold'. */
#define RADAR_FTS_TOKENIZER "radar_fold"

/* Register the tokenizer on connection `db`. Every connection that reads or
 * writes a store's full-text index (articles_fts) needs it before the
 * index is touched or declared. Returns SQLite's code (SQLITE_OK). */
int radar_store_fts_register(sqlite3 *db);

#endif
