/*
 * limits.h - every maximum Transfer Radar enforces, in one place.
 *
 * Input is untrusted: readers check these before allocating, so an oversized
 * line or file is refused with a message instead of exhausting memory.
 */
#ifndef RADAR_LIMITS_H
#define RADAR_LIMITS_H

/* Largest article body (and largest JSON Lines line) we process. */
#define RADAR_MAX_ARTICLE_BYTES (16u * 1024u * 1024u)

/* Largest lexicon file, and longest alias in tokens. */
#define RADAR_MAX_LEXICON_FILE (8u * 1024u * 1024u)
#define RADAR_MAX_ALIAS_TOKENS 8

/* Longest id, date, source, title or url field we keep (bytes). */
#define RADAR_MAX_FIELD_BYTES 4096u

/* Per-article caps on what extraction records; the rest is dropped. */
#define RADAR_MAX_TOKENS_PER_ARTICLE (4u * 1024u * 1024u)
#define RADAR_MAX_RUMOURS_PER_ARTICLE 256u

/* Largest feed or page `radar watch` downloads; a bigger response is refused
 * as soon as its size is known. */
#define RADAR_MAX_FETCH_BYTES (10u * 1024u * 1024u)

/* Worker threads for --jobs. */
#define RADAR_MAX_JOBS 256

#endif
