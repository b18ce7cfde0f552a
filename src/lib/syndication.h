/*
 * syndication.h - a sketch of an article's text that survives small edits
 * (internal; used by the store to tell a syndicated copy from a new report).
 */
#ifndef RADAR_SYNDICATION_H
#define RADAR_SYNDICATION_H

#include <stddef.h>
#include <stdint.h>

/* Hashes in a sketch, and how many of them two texts must share (of the
 * smallest SYNDICATION_SKETCH of their union) to be the same story: an
 * estimated resemblance of one half. */
#define SYNDICATION_SKETCH 8
#define SYNDICATION_MIN_SHARED 4
/* Shorter texts are not sketched: a two-line brief matches too much. */
#define SYNDICATION_MIN_WORDS 40
/* A copy appears within days of its original; the same text years apart is
 * not syndication. */
#define SYNDICATION_MAX_DAYS 7

/* The SYNDICATION_SKETCH smallest distinct hashes of the text's five-word
 * shingles (ASCII letters lower cased, punctuation ignored), ascending, into
 * out. Returns 1, or 0 when the text has fewer than SYNDICATION_MIN_WORDS
 * words. Allocates nothing. */
int radar_syndication_sketch(const char *text, size_t len, uint64_t out[SYNDICATION_SKETCH]);

/* Of the SYNDICATION_SKETCH smallest hashes of the union of two sketches
 * (each ascending, a with na and b with nb hashes), how many are in both:
 * an estimate of the texts' resemblance, in eighths. */
int radar_syndication_shared(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

#endif
