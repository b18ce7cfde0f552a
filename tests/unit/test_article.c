/*
 * test_article.c - the article readers: dated text, JSON Lines, plain text,
 * and every way input can be bad; dates; reading files and directories.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"

/* Everything a reader reported, copied out of the callback. */
typedef struct event {
    radar_read_event type;
    char *id, *date, *source, *title, *url, *body, *path, *message;
    size_t body_len;
    uint64_t line;
} event;

typedef struct evlog {
    event ev[64];
    size_t n;
    int stop_after; /* return non-zero after this many articles (0: never) */
    size_t articles;
} evlog;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int collect(void *user, radar_read_event type, const radar_article *a, const char *message)
{
    evlog *lg = user;
    assert_true(lg->n < 64);
    event *e = &lg->ev[lg->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    if (type == RADAR_READ_ARTICLE) {
        assert_non_null(a);
        assert_null(message);
        e->id = dup_or_null(a->id);
        e->date = dup_or_null(a->date);
        e->source = dup_or_null(a->source);
        e->title = dup_or_null(a->title);
        e->url = dup_or_null(a->url);
        e->path = dup_or_null(a->path);
        e->body_len = a->body_len;
        /* bodies are kept short in these tests; keep the first 200 bytes */
        size_t n = a->body_len < 200 ? a->body_len : 200;
        e->body = malloc(n + 1);
        memcpy(e->body, a->body, n);
        e->body[n] = '\0';
        e->line = a->line;
        lg->articles++;
        if (lg->stop_after && lg->articles == (size_t)lg->stop_after)
            return 7;
    } else {
        assert_null(a);
        assert_non_null(message);
        e->message = strdup(message);
    }
    return 0;
}

static void log_free(evlog *lg)
{
    for (size_t i = 0; i < lg->n; i++) {
        event *e = &lg->ev[i];
        free(e->id), free(e->date), free(e->source), free(e->title), free(e->url);
        free(e->body), free(e->path), free(e->message);
    }
    memset(lg, 0, sizeof *lg);
}

static int read_str(evlog *lg, const char *name, const char *data, const char *default_date)
{
    radar_read_options o = RADAR_READ_OPTIONS_INIT;
    o.default_date = default_date;
    return radar_read_buffer(name, data, strlen(data), &o, collect, lg);
}

static void assert_contains(const char *s, const char *part)
{
    if (!s || !strstr(s, part))
        fail_msg("'%s' should contain '%s'", s ? s : "(null)", part);
}

static int is_hex16(const char *s)
{
    if (!s || strlen(s) != 16)
        return 0;
    for (int i = 0; i < 16; i++)
        if (!strchr("0123456789abcdef", s[i]))
            return 0;
    return 1;
}

static void test_dated_text(void **state)
{
    (void)state;
    evlog lg = {0};
    assert_int_equal(read_str(&lg, "news/2024-03-05-keeper.txt", "  \n date 2024-03-05\n\nCeltic want a keeper.\n", NULL),
                     0);
    assert_int_equal(lg.n, 1);
    event *e = &lg.ev[0];
    assert_int_equal(e->type, RADAR_READ_ARTICLE);
    assert_string_equal(e->id, "2024-03-05-keeper");
    assert_string_equal(e->date, "2024-03-05");
    assert_string_equal(e->body, "Celtic want a keeper.\n");
    assert_string_equal(e->path, "news/2024-03-05-keeper.txt");
    assert_int_equal(e->line, 1);
    assert_null(e->source);
    assert_null(e->title);
    log_free(&lg);

    /* a byte-order mark and a date on the same line as the text */
    assert_int_equal(read_str(&lg, "bom", "\xEF\xBB\xBF" "date 2023-01-31 Hearts sign a winger.", NULL), 0);
    assert_int_equal(lg.n, 1);
    assert_string_equal(lg.ev[0].id, "bom");
    assert_string_equal(lg.ev[0].date, "2023-01-31");
    assert_string_equal(lg.ev[0].body, "Hearts sign a winger.");
    log_free(&lg);

    /* the file's date wins over the default date */
    assert_int_equal(read_str(&lg, "x.txt", "date 2022-08-01\nText.", "2020-01-01"), 0);
    assert_string_equal(lg.ev[0].date, "2022-08-01");
    log_free(&lg);

    /* a date line with nothing after it */
    assert_int_equal(read_str(&lg, "only-date.txt", "date 2022-08-01\n\n", NULL), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "only-date.txt:1:");
    log_free(&lg);
}

static void test_plain_text(void **state)
{
    (void)state;
    evlog lg = {0};
    assert_int_equal(read_str(&lg, "dir/plain.story.txt", "Fulham are keen on a striker.", "2024-01-15"), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[0].id, "plain.story"); /* only the last extension goes */
    assert_string_equal(lg.ev[0].date, "2024-01-15");
    assert_string_equal(lg.ev[0].body, "Fulham are keen on a striker.");
    log_free(&lg);

    /* no default date: unknown */
    assert_int_equal(read_str(&lg, "plain", "Fulham are keen on a striker.", NULL), 0);
    assert_null(lg.ev[0].date);
    assert_string_equal(lg.ev[0].id, "plain");
    log_free(&lg);

    /* "dated" is not "date": plain text */
    assert_int_equal(read_str(&lg, "p.txt", "dated 2024-01-01 is not a header", NULL), 0);
    assert_null(lg.ev[0].date);
    assert_string_equal(lg.ev[0].body, "dated 2024-01-01 is not a header");
    log_free(&lg);

    /* standard input has no file name: the id is a hash of the text */
    assert_int_equal(read_str(&lg, "-", "Fulham are keen on a striker.", NULL), 0);
    assert_true(is_hex16(lg.ev[0].id));
    char first[17];
    strcpy(first, lg.ev[0].id);
    log_free(&lg);
    assert_int_equal(read_str(&lg, "-", "Fulham are keen on a striker.", NULL), 0);
    assert_string_equal(lg.ev[0].id, first); /* stable */
    log_free(&lg);
    assert_int_equal(read_str(&lg, "-", "Fulham are keen on a winger.", NULL), 0);
    assert_string_not_equal(lg.ev[0].id, first);
    log_free(&lg);
}

static void test_json_lines(void **state)
{
    (void)state;
    evlog lg = {0};
    const char *data =
        "{\"id\": \"a-1\", \"date\": \"2021-03-18T10:00:00Z\", \"source\": \"Example Post\", \"title\": \"T\", "
        "\"url\": \"https://example.com/a\", \"text\": \"Line one.\"}\n"
        "{\"text\": \"No id here.\", \"date\": \"2021-03-19\"}\n"
        "\r\n"
        "   \n"
        "{\"id\": 42, \"text\": \"Numeric id.\"}\r\n"
        "{\"id\": \"tab\", \"date\": \"2021-03-20 08:15\", \"text\": \"Tab\\tand \\\"quotes\\\" \\u00e9.\"}";
    assert_int_equal(read_str(&lg, "feed.jsonl", data, "2000-01-01"), 0);
    assert_int_equal(lg.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(lg.ev[i].type, RADAR_READ_ARTICLE);
        assert_string_equal(lg.ev[i].path, "feed.jsonl");
    }
    assert_string_equal(lg.ev[0].id, "a-1");
    assert_string_equal(lg.ev[0].date, "2021-03-18");
    assert_string_equal(lg.ev[0].source, "Example Post");
    assert_string_equal(lg.ev[0].title, "T");
    assert_string_equal(lg.ev[0].url, "https://example.com/a");
    assert_string_equal(lg.ev[0].body, "Line one.");
    assert_int_equal(lg.ev[0].line, 1);

    assert_true(is_hex16(lg.ev[1].id));
    assert_string_equal(lg.ev[1].date, "2021-03-19");
    assert_null(lg.ev[1].source);
    assert_int_equal(lg.ev[1].line, 2);

    assert_string_equal(lg.ev[2].id, "42");
    assert_string_equal(lg.ev[2].date, "2000-01-01"); /* no date: the default */
    assert_int_equal(lg.ev[2].line, 5);               /* blank lines still count */

    assert_string_equal(lg.ev[3].date, "2021-03-20");
    assert_string_equal(lg.ev[3].body, "Tab\tand \"quotes\" \xC3\xA9.");
    assert_int_equal(lg.ev[3].line, 6);
    log_free(&lg);
}

/* "date": null carries no date: the default applies, on the fast path and on
 * the strict one (an escaped key sends a line there) alike */
static void test_json_null_date(void **state)
{
    (void)state;
    evlog lg = {0};
    const char *data = "{\"id\": \"fast\", \"date\": null, \"text\": \"One.\"}\n"
                       "{\"id\": \"strict\", \"d\\u0061te\": null, \"text\": \"Two.\"}\n"
                       "{\"id\": \"number\", \"date\": 20210318, \"text\": \"Three.\"}\n";
    assert_int_equal(read_str(&lg, "null.jsonl", data, "2000-01-01"), 0);
    assert_int_equal(lg.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(lg.ev[i].type, RADAR_READ_ARTICLE);
        assert_string_equal(lg.ev[i].date, "2000-01-01");
    }
    log_free(&lg);
    assert_int_equal(read_str(&lg, "null.jsonl", data, NULL), 0);
    assert_int_equal(lg.n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_null(lg.ev[i].date);
    log_free(&lg);
}

static void test_json_failures(void **state)
{
    (void)state;
    evlog lg = {0};
    const char *data = "{\"id\": \"one\", \"text\": \"First.\"}\n"
                       "{\"id\": \"two\", \"text\": \"Second.\"\n" /* missing brace */
                       "{\"id\": \"three\", \"text\": \"Third.\"}\n"
                       "{\"id\": \"four\"}\n"
                       "[\"not\", \"an\", \"object\"]\n"
                       "{\"id\": \"six\", \"text\": \"\"}\n"
                       "{\"id\": \"seven\", \"text\": 7}\n"
                       "{\"id\": \"eight\", \"text\": \"x\", \"id\": \"dup\"}\n"
                       "{\"id\": \"nine\", \"text\": \"Last.\", \"date\": \"18/03/2021\"}\n";
    assert_int_equal(read_str(&lg, "mixed.jsonl", data, NULL), 0);
    assert_int_equal(lg.n, 10);
    assert_int_equal(lg.ev[0].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[0].id, "one");
    assert_int_equal(lg.ev[1].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[1].message, "mixed.jsonl:2:");
    assert_contains(lg.ev[1].message, "malformed JSON");
    assert_int_equal(lg.ev[2].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[2].id, "three");
    assert_int_equal(lg.ev[2].line, 3);
    assert_int_equal(lg.ev[3].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[3].message, "mixed.jsonl:4:");
    assert_contains(lg.ev[3].message, "\"text\"");
    assert_int_equal(lg.ev[4].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[4].message, "mixed.jsonl:5:");
    assert_contains(lg.ev[4].message, "object");
    assert_int_equal(lg.ev[5].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[5].message, "mixed.jsonl:6:");
    assert_contains(lg.ev[5].message, "empty");
    assert_int_equal(lg.ev[6].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[6].message, "mixed.jsonl:7:");
    assert_int_equal(lg.ev[7].type, RADAR_READ_FAILURE); /* duplicate key */
    assert_contains(lg.ev[7].message, "mixed.jsonl:8:");
    /* a malformed date is a warning; the article comes next, without a date */
    assert_int_equal(lg.ev[8].type, RADAR_READ_WARNING);
    assert_contains(lg.ev[8].message, "mixed.jsonl:9:");
    assert_contains(lg.ev[8].message, "18/03/2021");
    assert_int_equal(lg.ev[9].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[9].id, "nine");
    assert_null(lg.ev[9].date);
    log_free(&lg);

    /* invalid UTF-8 inside a JSON string is malformed JSON */
    assert_int_equal(read_str(&lg, "bad.jsonl", "{\"text\": \"caf\xE9\"}\n{\"text\": \"ok\"}\n", NULL), 0);
    assert_int_equal(lg.n, 2);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "bad.jsonl:1:");
    assert_int_equal(lg.ev[1].type, RADAR_READ_ARTICLE);
    log_free(&lg);
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    evlog lg = {0};
    assert_int_equal(read_str(&lg, "empty.txt", "", NULL), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "empty.txt");
    assert_contains(lg.ev[0].message, "empty");
    log_free(&lg);

    assert_int_equal(read_str(&lg, "blank.txt", " \n\t\r\n  \n", NULL), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "blank.txt");
    log_free(&lg);

    /* a NULL buffer of length 0 is an empty file too */
    assert_int_equal(radar_read_buffer("null.txt", NULL, 0, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    log_free(&lg);

    static const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_int_equal(radar_read_buffer("image.png", bin, sizeof bin - 1, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "image.png");
    assert_contains(lg.ev[0].message, "binary");
    log_free(&lg);

    /* a NUL in the first 8 KiB marks the whole file as binary */
    static const char jl[] = "{\"text\": \"a\"}\n{\"text\": \"b\0\"}\n{\"text\": \"c\"}\n";
    assert_int_equal(radar_read_buffer("nul.jsonl", jl, sizeof jl - 1, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "binary");
    log_free(&lg);

    /* further on, a NUL fails only its own line */
    char big[12000];
    size_t n = (size_t)snprintf(big, sizeof big, "{\"text\": \"%09000d\"}\n", 0);
    static const char rest[] = "{\"text\": \"b\0\"}\n{\"text\": \"c\"}\n";
    memcpy(big + n, rest, sizeof rest - 1);
    n += sizeof rest - 1;
    assert_int_equal(radar_read_buffer("nul.jsonl", big, n, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 3);
    assert_int_equal(lg.ev[0].type, RADAR_READ_ARTICLE);
    assert_int_equal(lg.ev[1].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[1].message, "nul.jsonl:2:");
    assert_contains(lg.ev[1].message, "binary");
    assert_int_equal(lg.ev[2].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[2].body, "c");
    log_free(&lg);
}

static void test_invalid_utf8_and_dates(void **state)
{
    (void)state;
    evlog lg = {0};
    /* invalid UTF-8: a warning naming the byte, then the article anyway */
    assert_int_equal(read_str(&lg, "latin1.txt", "date 2024-02-02\nM\xFC" "nchen want him.", NULL), 0);
    assert_int_equal(lg.n, 2);
    assert_int_equal(lg.ev[0].type, RADAR_READ_WARNING);
    assert_contains(lg.ev[0].message, "latin1.txt");
    assert_contains(lg.ev[0].message, "UTF-8");
    assert_contains(lg.ev[0].message, "byte 1");
    assert_int_equal(lg.ev[1].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[1].body, "M\xFC" "nchen want him.");
    assert_string_equal(lg.ev[1].date, "2024-02-02");
    log_free(&lg);

    /* a malformed date: warning with the file and line, date unknown */
    assert_int_equal(read_str(&lg, "baddate.txt", "date 2024-02-30\nText after a bad date.", "2001-01-01"), 0);
    assert_int_equal(lg.n, 2);
    assert_int_equal(lg.ev[0].type, RADAR_READ_WARNING);
    assert_contains(lg.ev[0].message, "baddate.txt:1:");
    assert_contains(lg.ev[0].message, "2024-02-30");
    assert_int_equal(lg.ev[1].type, RADAR_READ_ARTICLE);
    assert_null(lg.ev[1].date);
    assert_string_equal(lg.ev[1].body, "Text after a bad date.");
    log_free(&lg);

    assert_int_equal(read_str(&lg, "words.txt", "date yesterday\nText.", NULL), 0);
    assert_int_equal(lg.ev[0].type, RADAR_READ_WARNING);
    assert_int_equal(lg.ev[1].type, RADAR_READ_ARTICLE);
    assert_null(lg.ev[1].date);
    log_free(&lg);
}

static void test_date_valid(void **state)
{
    (void)state;
#define V(s) radar_date_valid(s, strlen(s))
    assert_true(V("2024-02-29"));  /* leap year */
    assert_true(V("2000-02-29"));  /* divisible by 400 */
    assert_false(V("1900-02-29")); /* divisible by 100 only */
    assert_false(V("2023-02-29"));
    assert_true(V("2023-02-28"));
    assert_true(V("2024-12-31"));
    assert_true(V("2024-01-01"));
    assert_false(V("2024-13-01"));
    assert_false(V("2024-00-10"));
    assert_false(V("2024-04-31"));
    assert_false(V("2024-06-00"));
    assert_false(V("2024-4-01"));
    assert_false(V("2024/04/01"));
    assert_false(V("2024-04-01T"));
    assert_false(V("20x4-04-01"));
    assert_false(V("2024-0a-01"));
    assert_false(V(""));
    assert_true(radar_date_valid("2024-04-01T12:00", 10)); /* only len bytes are read */
#undef V
}

static void test_oversized_line(void **state)
{
    (void)state;
    /* one JSON line just over the limit, then a good line */
    size_t body = RADAR_MAX_ARTICLE_BYTES + 10;
    const char *head = "{\"id\": \"huge\", \"text\": \"";
    const char *tail = "\"}\n{\"id\": \"after\", \"text\": \"Still read.\"}\n";
    size_t hl = strlen(head), tl = strlen(tail);
    char *data = malloc(hl + body + tl);
    assert_non_null(data);
    memcpy(data, head, hl);
    memset(data + hl, 'a', body);
    memcpy(data + hl + body, tail, tl);
    evlog lg = {0};
    assert_int_equal(radar_read_buffer("big.jsonl", data, hl + body + tl, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 2);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "big.jsonl:1:");
    assert_contains(lg.ev[0].message, "over the 16 MiB");
    assert_int_equal(lg.ev[1].type, RADAR_READ_ARTICLE);
    assert_string_equal(lg.ev[1].id, "after");
    assert_int_equal(lg.ev[1].line, 2);
    log_free(&lg);

    /* a whole-file article over the limit */
    memset(data, 'b', hl + body);
    assert_int_equal(radar_read_buffer("big.txt", data, hl + body, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.ev[0].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[0].message, "big.txt");
    assert_contains(lg.ev[0].message, "over the 16 MiB");
    log_free(&lg);
    free(data);
}

static void test_callback_stops(void **state)
{
    (void)state;
    evlog lg = {0};
    lg.stop_after = 2;
    const char *data = "{\"text\": \"one\"}\n{\"text\": \"two\"}\n{\"text\": \"three\"}\n";
    assert_int_equal(read_str(&lg, "stop.jsonl", data, NULL), 7);
    assert_int_equal(lg.n, 2);
    log_free(&lg);

    lg.stop_after = 1;
    assert_int_equal(read_str(&lg, "stop.txt", "One article.", NULL), 7);
    assert_int_equal(lg.n, 1);
    log_free(&lg);
}

/* Write `text` to root/rel. */
static void put(const char *root, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_read_path(void **state)
{
    (void)state;
    char root[] = "/tmp/radar-articles-XXXXXX";
    assert_non_null(mkdtemp(root));
    char path[512];
    snprintf(path, sizeof path, "%s/a", root);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/a/deeper", root);
    assert_int_equal(mkdir(path, 0700), 0);
    put(root, "b.txt", "date 2024-05-01\nSecond level file.");
    put(root, "a/z.txt", "Plain text in a folder.");
    put(root, "a/y.jsonl", "{\"id\": \"y1\", \"text\": \"first\"}\n{\"id\": \"y2\", \"text\": \"second\"}\n");
    put(root, "a/deeper/x.txt", "Deepest.");
    put(root, ".hidden.txt", "Never read.");
    put(root, "c-empty.txt", "");

    evlog lg = {0};
    radar_read_options o = RADAR_READ_OPTIONS_INIT;
    o.default_date = "2024-06-01";
    assert_int_equal(radar_read_path(root, &o, collect, &lg), 0);
    /* name order, depth first; the hidden file is skipped; the empty file fails */
    assert_int_equal(lg.n, 6);
    assert_string_equal(lg.ev[0].id, "x");
    assert_non_null(strstr(lg.ev[0].path, "/a/deeper/x.txt"));
    assert_string_equal(lg.ev[1].id, "y1");
    assert_string_equal(lg.ev[2].id, "y2");
    assert_string_equal(lg.ev[3].id, "z");
    assert_string_equal(lg.ev[3].date, "2024-06-01");
    assert_string_equal(lg.ev[4].id, "b");
    assert_string_equal(lg.ev[4].date, "2024-05-01");
    assert_int_equal(lg.ev[5].type, RADAR_READ_FAILURE);
    assert_contains(lg.ev[5].message, "c-empty.txt");
    log_free(&lg);

    /* not recursive: subdirectories are skipped */
    o.recursive = 0;
    assert_int_equal(radar_read_path(root, &o, collect, &lg), 0);
    assert_int_equal(lg.n, 2);
    assert_string_equal(lg.ev[0].id, "b");
    log_free(&lg);

    /* one file by its path */
    snprintf(path, sizeof path, "%s/a/y.jsonl", root);
    assert_int_equal(radar_read_path(path, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 2);
    assert_string_equal(lg.ev[0].path, path);
    log_free(&lg);

    /* a path with a trailing slash gives the same paths without "//" */
    snprintf(path, sizeof path, "%s/a/deeper/", root);
    assert_int_equal(radar_read_path(path, NULL, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_null(strstr(lg.ev[0].path, "//"));
    log_free(&lg);

    /* a missing path */
    snprintf(path, sizeof path, "%s/missing.txt", root);
    radar_error_clear();
    assert_int_equal(radar_read_path(path, NULL, collect, &lg), RADAR_ENOTFOUND);
    assert_int_equal(lg.n, 0);
    assert_contains(radar_last_error(), "missing.txt");

    const char *rels[] = {"a/deeper/x.txt", "a/deeper", "a/y.jsonl", "a/z.txt", "a", "b.txt", ".hidden.txt",
                          "c-empty.txt", NULL};
    for (int i = 0; rels[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, rels[i]);
        assert_int_equal(remove(path), 0);
    }
    assert_int_equal(rmdir(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dated_text),       cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_json_lines),       cmocka_unit_test(test_json_null_date),
        cmocka_unit_test(test_json_failures),
        cmocka_unit_test(test_empty_and_binary), cmocka_unit_test(test_invalid_utf8_and_dates),
        cmocka_unit_test(test_date_valid),       cmocka_unit_test(test_oversized_line),
        cmocka_unit_test(test_callback_stops),   cmocka_unit_test(test_read_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
