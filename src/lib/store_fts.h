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

/* What the tokenizer gives for each word (FTS5's xToken): the word folded,
 * token[0..n), at bytes [start, end) of the text as written; flags is
 * FTS5_TOKEN_COLOCATED for a second form at the word's position (an
 * umlaut written out). A non-zero return stops the walk and is returned. */
typedef int (*radar_fts_token_fn)(void *ctx, int flags, const char *token, int n, int start, int end);

/* Walk the words of text[0..n) as the index reads them (the same code FTS5
 * calls), for the PostgreSQL store's index, queries and passages
 * (fts_pg.c). Returns fn's first non-zero return, or 0. */
int radar_fts_words(const char *text, int n, radar_fts_token_fn fn, void *ctx);

#endif
