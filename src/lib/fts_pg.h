/*
 * fts_pg.h - PostgreSQL's full-text search folded as SQLite's (fts_pg.c):
 * the tsvector the client writes for an article, the tsquery of a search,
 * and the passage shown with a hit.
 */
#ifndef RADAR_FTS_PG_H
#define RADAR_FTS_PG_H

#include <stddef.h>

#include "radar/buf.h"

/* The tsvector, in PostgreSQL's text form, of texts[0..n) (lens[i] bytes
 * each; a NULL text is left out) read as one document: each word folded by
 * the search index's tokenizer (store_fts.c), at the position
 * to_tsvector('simple', ...) would give it, a second form (an umlaut
 * written out) at the same position. Written into out (reset first). 0 or
 * RADAR_ENOMEM. */
int radar_fts_tsvector(radar_buf *out, const char *const *texts, const size_t *lens, int n);

/* The next term of an FTS5 query as search_query.c writes it ("a b"*,
 * NOT "c"), from *at (moved past it): its text unquoted into term (reset
 * first, NUL-ended), whether NOT precedes it and whether it is a prefix.
 * Returns 1, 0 at the query's end, -1 out of memory. */
int radar_fts_next_term(const char **at, radar_buf *term, int *negate, int *prefix);

/* A term's text t[0..n) as a tsquery phrase appended to b: its words
 * folded as the index folds them, "'a' <-> ('b' | 'c')" (c the written-out
 * form of b), the last one a prefix (":*") if prefix. Returns the number of
 * words (0: nothing appended, the term had none), or -1 out of memory. */
int radar_fts_tsquery_term(radar_buf *b, const char *t, size_t n, int prefix);

/* The passage of text[0..len) shown with a hit of the FTS5 query fts5, as
 * SQLite's snippet(..., '[', ']', '...', 16) shows one: 16 words around the
 * most terms found, each run of words a term meets in [ ] as written,
 * "..." where the text is cut. *out is malloc'd (the caller frees it).
 * 0 or RADAR_ENOMEM. */
int radar_fts_passage(const char *text, size_t len, const char *fts5, char **out);

#endif
