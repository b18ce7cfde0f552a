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

/* How long a store handle waits for another connection's lock before giving
 * up: a writer waits out other writers' batches, closing rescores and index
 * builds (minutes on a large store); a reader of the write-ahead log seldom
 * waits at all. */
#define RADAR_STORE_WRITE_WAIT_MS (10L * 60L * 1000L)
#define RADAR_STORE_READ_WAIT_MS (5L * 1000L)

/* radar watch: feeds polled at once, and the default bound on one feed's
 * poll (the feed and its items' pages together; --deadline); the pages of
 * the items left when it passes are fetched at the next poll. */
#define RADAR_WATCH_THREADS 4
#define RADAR_WATCH_FEED_DEADLINE_MS (2L * 60L * 1000L)

/* Worker threads for --jobs. */
#define RADAR_MAX_JOBS 256

/* radar serve: a request target (path and query) longer than this, a
 * decoded path segment or parameter value longer than RADAR_MAX_HTTP_VALUE,
 * more parameters than RADAR_MAX_HTTP_PARAMS or a body larger than
 * RADAR_MAX_HTTP_BODY is refused with 413; the request headers together are
 * held to RADAR_MAX_HTTP_HEADERS by the HTTP library itself. */
#define RADAR_MAX_HTTP_TARGET 4096u
#define RADAR_MAX_HTTP_VALUE 512u
#define RADAR_MAX_HTTP_PARAMS 16
#define RADAR_MAX_HTTP_BODY 1024u
#define RADAR_MAX_HTTP_HEADERS (32u * 1024u)
/* Connections served at once, and request threads. */
#define RADAR_MAX_HTTP_CONNECTIONS 1024
#define RADAR_MAX_HTTP_THREADS 64
/* Largest page of stories (limit) and deepest offset the API accepts. */
#define RADAR_MAX_PAGE_LIMIT 200
#define RADAR_MAX_PAGE_OFFSET 100000
#define RADAR_MAX_SEARCH_LIMIT 100

#endif
