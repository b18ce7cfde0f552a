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

/* An empty index that holds at most max_entries (key, row) pairs; NULL when
 * out of memory. The caller frees it with postings_free. */
postings *postings_new(size_t max_entries);
void postings_free(postings *p);

/* Add `row` (positive) to the rows of `key`. Returns 0; 1 when the index is
 * full (nothing was added); -1 when out of memory (nothing was added). */
int postings_add(postings *p, uint64_t key, long long row);

/* Up to `max` rows of `key` below `below`, newest (largest) first, into
 * out; returns how many. Rows must have been added in ascending order for
 * "newest first" to hold: a store that rewrites a row it holds clears the
 * index instead. */
size_t postings_find(const postings *p, uint64_t key, long long below, long long *out, size_t max);

/* Forget everything (the memory is kept for reuse). */
void postings_clear(postings *p);

#endif
