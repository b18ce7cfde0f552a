/*
 * article.h - reading dated articles from files, folders and streams.
 *
 * Formats are recognised by content, not by file name:
 *   - dated text: optional white space, "date YYYY-MM-DD", then the body;
 *   - JSON Lines: one object per line, {"id","date","source","title","url","text"},
 *     only "text" required;
 *   - RSS 2.0, RSS 1.0 and Atom feeds: one article per item (id from the
 *     guid or link, outlet from the feed's title);
 *   - HTML pages: one article, the page's main text without navigation,
 *     adverts, banners or captions; date, title, author, outlet and link from
 *     JSON-LD and meta tags;
 *   - anything else that is UTF-8 text: one plain-text article (date from the
 *     options, else unknown).
 * A reader yields articles one at a time through a callback; problems with one
 * article (bad JSON on line 7, invalid UTF-8, a line over the size limit) are
 * reported through the same callback and reading goes on with the next one.
 */
#ifndef RADAR_ARTICLE_H
#define RADAR_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One article. All strings are NUL-terminated views; for articles handed to a
 * callback they are borrowed and valid only during the callback. Absent
 * fields are NULL. `body` may contain invalid UTF-8 (see `warning`). */
typedef struct radar_article {
    const char *id;
    const char *date;   /* "YYYY-MM-DD" or NULL when unknown */
    const char *source;
    const char *title;
    const char *url;
    const char *body;
    size_t body_len;
    const char *path;   /* file it came from ("-" for stdin) */
    uint64_t line;      /* line number for JSON Lines and feed items, else 1 */
    const char *author; /* byline of a page or feed item, or NULL */
    int partial;        /* 1: body is a feed's summary; the full text is at url */
} radar_article;

typedef enum radar_read_event {
    RADAR_READ_ARTICLE = 0, /* `article` is valid */
    RADAR_READ_WARNING = 1, /* article kept, message says what was odd */
    RADAR_READ_FAILURE = 2  /* nothing produced for this item; message says why */
} radar_read_event;

/* Called for each article, warning or failure. `message` is a full sentence
 * naming the file (and line), or NULL for articles. Return 0 to go on, non-zero
 * to stop reading (the reader then returns that value). */
typedef int (*radar_read_fn)(void *user, radar_read_event event, const radar_article *article,
                             const char *message);

typedef struct radar_read_options {
    const char *default_date; /* date for plain text, or NULL */
    int recursive;            /* directories: descend into subdirectories */
    const char *charset;      /* encoding of an HTML page that declares none (HTTP's), or NULL: UTF-8 */
} radar_read_options;
#define RADAR_READ_OPTIONS_INIT {NULL, 1, NULL}

/* Read every article under `path` (a file, a directory read recursively in
 * name order, or "-" for standard input) and hand each to `fn`.
 * Returns 0 when the path could be read (per-article failures are reported
 * through `fn`, not here), RADAR_ENOTFOUND / RADAR_EIO when it could not be
 * opened at all, or the non-zero value `fn` returned to stop. */
int radar_read_path(const char *path, const radar_read_options *opts, radar_read_fn fn, void *user);

/* Read articles from a buffer already in memory, as if it were the file
 * `name`. Same contract as radar_read_path. */
int radar_read_buffer(const char *name, const char *data, size_t len, const radar_read_options *opts,
                      radar_read_fn fn, void *user);

/* Check that `s` is a real calendar date written YYYY-MM-DD (src/util/date.c). */
int radar_date_valid(const char *s, size_t len);

/* An article kept past the reader's callback (to hand it to another
 * thread): its strings copied into one block, which the next copy into the
 * same holder reuses. RADAR_ENOMEM when out of memory. The holder frees
 * the block with radar_article_held_free; {0} is an empty holder. */
typedef struct radar_article_held {
    radar_article a;
    char *mem;
    size_t cap;
} radar_article_held;
int radar_article_hold(radar_article_held *o, const radar_article *a);
void radar_article_held_free(radar_article_held *o);

#ifdef __cplusplus
}
#endif
#endif
