/*
 * postings.h - for each of many 64-bit keys, the rows that hold it, newest
 * first, in memory (internal). The store keeps the sketches of the articles
 * one handle writes here, so that looking for a syndicated copy among them
 * costs a hash probe rather than eight index seeks.
 */
#ifndef RADAR_POSTINGS_H
#define RADAR_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

typedef struct postings postings;

/* Rows kept for each key: the newest. */
#define POSTINGS_KEEP 16

/* An empty index that takes at most about max_bytes of memory; NULL when out
 * of memory. The caller frees it with radar_postings_free. */
postings *radar_postings_new(size_t max_bytes);
void radar_postings_free(postings *p);

/* Add `row` to the rows of `key`; past POSTINGS_KEEP rows the oldest is
 * forgotten. Returns 0; 1 when the index is full (nothing was added); -1
 * when out of memory (nothing was added). */
int radar_postings_add(postings *p, uint64_t key, long long row);

/* Of the rows kept for `key`, up to `max` below `below`, newest first, into
 * out; returns how many. Rows are taken to be added in ascending order (a
 * store that rewrites a row it holds clears the index instead), so these
 * are the newest rows below `below` when `below` is above them all. */
size_t radar_postings_find(const postings *p, uint64_t key, long long below, long long *out, size_t max);

/* Forget everything (the memory is kept for reuse). */
void radar_postings_clear(postings *p);

#endif
