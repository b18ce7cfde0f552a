/*
 * fuzz_html.c - libFuzzer target for the HTML page reader (html.c).
 *
 * The bytes are parsed as a page with radar_html_page_parse (metadata, choice of the
 * main container, text), as a fragment with radar_html_fragment_text (a feed's
 * escaped content), and, when they sniff as HTML, read through
 * radar_read_buffer as a file would be. The target aborts when a promise is
 * broken:
 *   - the parsers return 0, RADAR_ENOMEM or RADAR_ETOOLARGE;
 *   - the body is within the article limit and NUL-terminated; title, url,
 *     author and source are one line of at most RADAR_MAX_FIELD_BYTES; the
 *     date is "" or a real YYYY-MM-DD;
 *   - the text holds no run of white space the walk collapses (no tab, no
 *     two spaces in a row) and no NUL byte;
 *   - through the reader, every article has a non-empty body and every
 *     message names the file.
 * The second byte of the input, when it is a letter, picks the charset the
 * page is assumed to be in when it declares none (as HTTP's would).
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

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_html: invariant violated: %s\n", what);
    abort();
}

static void check_field(const char *s, const char *what)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n == 0 || n > RADAR_MAX_FIELD_BYTES || strpbrk(s, "\n\r\t"))
        fail(what);
}

static void check_text(const radar_buf *b, const char *what)
{
    if (b->len > RADAR_MAX_ARTICLE_BYTES)
        fail(what);
    if (b->len && (b->data[b->len] != '\0' || memchr(b->data, '\0', b->len) || memchr(b->data, '\t', b->len)))
        fail(what);
    for (size_t i = 0; i + 1 < b->len; i++)
        if (b->data[i] == ' ' && b->data[i + 1] == ' ')
            fail(what);
}

static int on_item(void *user, radar_read_event event, const radar_article *a, const char *message)
{
    (void)user;
    if (event != RADAR_READ_ARTICLE) {
        if (!message || strncmp(message, "fuzz.html", 9) != 0)
            fail("a message that does not name the file");
        return 0;
    }
    if (!a || !a->body || a->body_len == 0 || !a->id)
        fail("an article without a body or an id");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    static const char *const charsets[] = {NULL, "ISO-8859-1", "windows-1252", "no-such-charset"};
    const char *charset = size > 1 ? charsets[data[1] % 4] : NULL;

    html_page p = {0};
    int rc = radar_html_page_parse(&p, copy, size, charset);
    if (rc != 0 && rc != RADAR_ENOMEM && rc != RADAR_ETOOLARGE)
        fail("radar_html_page_parse returned an unexpected code");
    check_text(&p.body, "page body");
    check_field(p.title, "title");
    check_field(p.url, "url");
    check_field(p.author, "author");
    check_field(p.source, "source");
    if (p.date[0] && !radar_date_valid(p.date, strlen(p.date)))
        fail("date");
    radar_html_page_free(&p);

    radar_buf frag = RADAR_BUF_INIT;
    frag.max = RADAR_MAX_ARTICLE_BYTES;
    rc = radar_html_fragment_text(copy, size, &frag);
    if (rc != 0 && rc != RADAR_ENOMEM && rc != RADAR_ETOOLARGE)
        fail("radar_html_fragment_text returned an unexpected code");
    check_text(&frag, "fragment text");
    radar_buf_free(&frag);

    if (radar_web_sniff(copy, size) == WEB_HTML) {
        radar_read_options opts = RADAR_READ_OPTIONS_INIT;
        opts.charset = charset;
        (void)radar_read_buffer("fuzz.html", copy, size, &opts, on_item, NULL);
    }
    free(copy);
    return 0;
}
