/*
 * fuzz_feed.c - libFuzzer target for the RSS / Atom reader (feed.c).
 *
 * The bytes are parsed as a feed with radar_feed_parse, whatever they look like, so
 * that libxml2's recovery and every path of the item reader are reached; when
 * they also sniff as a feed they are read again through radar_read_buffer, as
 * a file would be, to check the messages. The target aborts when a promise is
 * broken:
 *   - radar_feed_parse returns 0, RADAR_ENOMEM or RADAR_ETOOLARGE, and the text it
 *     gathered stays within RADAR_MAX_DOC_TEXT_BYTES (entity expansions
 *     counted);
 *   - every field of an item is one line of at most RADAR_MAX_FIELD_BYTES, a
 *     date is a real YYYY-MM-DD, a body is within the article limit;
 *   - an item's id is set whenever its link is;
 *   - through the reader, every article has a non-empty body and every
 *     message names the file.
 * Run with -malloc_limit_mb so that any allocation that grows with entity
 * expansion rather than with the input is reported.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, size_t item)
{
    fprintf(stderr, "fuzz_feed: invariant violated: %s (item %zu)\n", what, item);
    abort();
}

static void check_field(const char *s, const char *what, size_t item)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n == 0 || n > RADAR_MAX_FIELD_BYTES)
        fail(what, item);
    if (strpbrk(s, "\n\r\t"))
        fail(what, item);
}

static int on_item(void *user, radar_read_event event, const radar_article *a, const char *message)
{
    (void)user;
    if (event != RADAR_READ_ARTICLE) {
        if (!message || strncmp(message, "fuzz.xml", 8) != 0)
            fail("a message that does not name the file", 0);
        return 0;
    }
    if (!a || !a->body || a->body_len == 0 || a->body_len > RADAR_MAX_ARTICLE_BYTES || !a->id)
        fail("an article without a body or an id", 0);
    if (a->date && !radar_date_valid(a->date, strlen(a->date)))
        fail("an article with an invalid date", 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a private copy, exactly `size` bytes, so that ASan sees any overread */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    feed f = {0};
    int rc = radar_feed_parse(&f, copy, size);
    if (rc != 0 && rc != RADAR_ENOMEM && rc != RADAR_ETOOLARGE)
        fail("radar_feed_parse returned an unexpected code", 0);
    if (f.budget.used > RADAR_MAX_DOC_TEXT_BYTES)
        fail("more text gathered than the document limit", 0);
    check_field(f.title, "feed title", 0);
    for (size_t i = 0; i < f.n_items; i++) {
        const feed_item *it = &f.items[i];
        check_field(it->id, "item id", i + 1);
        check_field(it->title, "item title", i + 1);
        check_field(it->url, "item url", i + 1);
        check_field(it->author, "item author", i + 1);
        if (it->date && !radar_date_valid(it->date, strlen(it->date)))
            fail("item date", i + 1);
        if (it->url && !it->id && rc == 0)
            fail("an item with a link but no id", i + 1);
        if (it->body.len > RADAR_MAX_ARTICLE_BYTES || (it->body.len && it->body.data[it->body.len] != '\0'))
            fail("item body", i + 1);
        if (it->partial && !it->url)
            fail("a partial item without a link to its page", i + 1);
    }
    radar_feed_free(&f);
    if (radar_web_sniff(copy, size) == WEB_FEED) {
        radar_read_options opts = RADAR_READ_OPTIONS_INIT;
        (void)radar_read_buffer("fuzz.xml", copy, size, &opts, on_item, NULL);
    }
    free(copy);
    return 0;
}
