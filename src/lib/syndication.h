/*
 * syndication.h - a print of an article's text that survives small edits
 * (internal; used by the store to tell a syndicated copy from a new report).
 */
#ifndef RADAR_SYNDICATION_H
#define RADAR_SYNDICATION_H

#include <stddef.h>
#include <stdint.h>

/* Texts whose prints differ in at most this many bits are the same story.
 * The band lookup finds every print within three bits, and most within six;
 * unrelated texts differ in about 32. */
#define SYNDICATION_MAX_DISTANCE 6
/* Shorter texts are not printed: a two-line brief matches too much. */
#define SYNDICATION_MIN_WORDS 40

/* The 64-bit SimHash of the text's three-word shingles (ASCII letters lower
 * cased, punctuation ignored) into *out. Returns 1, or 0 when the text has
 * fewer than SYNDICATION_MIN_WORDS words. Allocates nothing. */
int syndication_print(const char *text, size_t len, uint64_t *out);

/* Bits in which two prints differ. */
int syndication_distance(uint64_t a, uint64_t b);

#endif
