/*
 * article.c - readers for dated text, JSON Lines, plain text articles, and
 * (through html.c and feed.c) HTML pages and RSS/Atom feeds.
 *
 * Files are read in fixed-size chunks; JSON Lines are split as they stream
 * by, so memory stays flat however large the file is. Every line and every
 * file is checked against the limits in radar/limits.h before it is kept, and
 * one bad item is reported and skipped without stopping the rest.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "radar/article.h"
#include "radar/buf.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "../util/date.h"
#include "../util/utf8.h"
#include "jsonl.h"
#include "web.h"

#define CHUNK (64 * 1024)

typedef struct stream {
    FILE *f;
    const char *mem; /* or an in-memory buffer */
    size_t mem_len, mem_pos;
    char chunk[CHUNK];
    size_t pos, len;
    int eof, error;
} stream;

static int stream_fill(stream *s)
{
    if (s->pos < s->len)
        return 1;
    if (s->eof)
        return 0;
    if (s->mem) {
        size_t n = s->mem_len - s->mem_pos;
        if (n > CHUNK)
            n = CHUNK;
        memcpy(s->chunk, s->mem + s->mem_pos, n);
        s->mem_pos += n;
        s->len = n;
    } else {
        s->len = fread(s->chunk, 1, CHUNK, s->f);
        if (s->len < CHUNK && ferror(s->f))
            s->error = errno ? errno : EIO;
    }
    s->pos = 0;
    if (s->len == 0)
        s->eof = 1;
    return s->len > 0;
}

/* Read one line (without its newline) into `line`. Returns 1 when a line was
 * read, 0 at the end. A line over `max` bytes is not kept: *too_long gets its
 * length so far and the rest of it is skipped. */
static int stream_line(stream *s, radar_buf *line, size_t max, size_t *too_long)
{
    radar_buf_reset(line);
    *too_long = 0;
    size_t seen = 0;
    int any = 0;
    while (stream_fill(s)) {
        any = 1;
        char *start = s->chunk + s->pos;
        size_t avail = s->len - s->pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        seen += take;
        if (!*too_long && seen <= max) {
            if (radar_buf_append(line, start, take))
                *too_long = seen;
        } else if (!*too_long) {
            *too_long = seen;
        }
        s->pos += take + (nl ? 1 : 0);
        if (nl) {
            if (*too_long)
                *too_long = seen; /* the whole line's length, for the message */
            return 1;
        }
    }
    if (*too_long)
        *too_long = seen;
    return any;
}

typedef struct reader {
    const char *name;
    const radar_read_options *opts;
    radar_read_fn fn;
    void *user;
    radar_buf scratch; /* decoded JSON strings, reused line after line */
} reader;

static int report(reader *r, radar_read_event ev, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int report(reader *r, radar_read_event ev, uint64_t line, const char *fmt, ...)
{
    char msg[1200], detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(msg, sizeof msg, "%s:%llu: %s", r->name, (unsigned long long)line, detail);
    else
        snprintf(msg, sizeof msg, "%s: %s", r->name, detail);
    return r->fn(r->user, ev, NULL, msg);
}

/* What a date must be, for messages. */
#define DATE_EXPECTED                                                                                                  \
    "expected a real date YYYY-MM-DD with a year from " RADAR_STR(RADAR_MIN_YEAR) " to " RADAR_STR(RADAR_MAX_YEAR)

static void hash_id(char out[17], const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t h = radar_hash_bytes(s, len);
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

/* The file's base name without its extension, for article ids. */
static void base_id(char *out, size_t cap, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

static int warn_utf8(reader *r, uint64_t line, const char *text, size_t len)
{
    size_t bad = radar_utf8_check(text, len);
    if (bad < len)
        return report(r, RADAR_READ_WARNING, line,
                      "invalid UTF-8 at byte %zu of the text; invalid bytes are read as U+FFFD", bad);
    return 0;
}

/* One whole-file article: dated text or plain text. */
static int read_text_article(reader *r, const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    if (i == len)
        return report(r, RADAR_READ_FAILURE, 0, "empty file: no article text");

    char date[11] = {0};
    const char *datep = r->opts && r->opts->default_date ? r->opts->default_date : NULL;
    if (len - i >= 5 && memcmp(data + i, "date", 4) == 0 && (data[i + 4] == ' ' || data[i + 4] == '\t')) {
        size_t j = i + 4;
        while (j < len && (data[j] == ' ' || data[j] == '\t'))
            j++;
        size_t k = j;
        while (k < len && data[k] != ' ' && data[k] != '\t' && data[k] != '\n' && data[k] != '\r')
            k++;
        if (radar_date_valid(data + j, k - j)) {
            memcpy(date, data + j, 10);
            datep = date;
        } else {
            int rc = report(r, RADAR_READ_WARNING, 1, "malformed date '%.*s' (%s); date left unknown",
                            (int)(k - j > 40 ? 40 : k - j), data + j, DATE_EXPECTED);
            if (rc)
                return rc;
            datep = NULL;
        }
        i = k;
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
            i++;
        if (i == len)
            return report(r, RADAR_READ_FAILURE, 1, "date line but no article text");
    }
    int rc = warn_utf8(r, 0, data + i, len - i);
    if (rc)
        return rc;
    char id[256];
    if (strcmp(r->name, "-") == 0)
        hash_id(id, data + i, len - i);
    else
        base_id(id, sizeof id, r->name);
    radar_article a = {0};
    a.id = id;
    a.date = datep;
    a.body = data + i;
    a.body_len = len - i;
    a.path = r->name;
    a.line = 1;
    return r->fn(r->user, RADAR_READ_ARTICLE, &a, NULL);
}

/* Say where the markup went wrong, once: the reader keeps what the parser
 * recovered. `where` names the item, or is "". */
static int warn_markup(reader *r, const web_problem *p, const char *what, const char *where)
{
    if (!p->count)
        return 0;
    return report(r, RADAR_READ_WARNING, (uint64_t)(p->line > 0 ? p->line : 0),
                  "malformed %s%s: %s%s; read what could be recovered", what, where, p->message,
                  p->count > 1 ? " (and more problems after it)" : "");
}

/* An HTML page: one article. */
static int read_html(reader *r, const char *data, size_t len)
{
    html_page p = {0};
    int rc = radar_html_page_parse(&p, data, len, r->opts ? r->opts->charset : NULL);
    if (rc == RADAR_ETOOLARGE) {
        rc = report(r, RADAR_READ_FAILURE, 0, "HTML page: %s; skipped", radar_last_error());
        goto done;
    }
    if (rc)
        goto done;
    if ((rc = warn_markup(r, &p.problem, "HTML", "")))
        goto done;
    if (p.cut.field && (rc = report(r, RADAR_READ_WARNING, 0,
                                    "the page's %s of %zu bytes is over the %u-byte field limit; cut to it",
                                    p.cut.field, p.cut.len, RADAR_MAX_FIELD_BYTES)))
        goto done;
    if (p.body.len == 0) {
        rc = report(r, RADAR_READ_FAILURE, 0, "HTML page with no article text; skipped");
        goto done;
    }
    if ((rc = warn_utf8(r, 0, p.body.data, p.body.len)))
        goto done;
    char id[256];
    if (strcmp(r->name, "-") == 0)
        hash_id(id, p.body.data, p.body.len);
    else
        base_id(id, sizeof id, r->name);
    radar_article a = {0};
    a.id = id;
    a.date = p.date[0] ? p.date : r->opts ? r->opts->default_date : NULL;
    a.source = p.source;
    a.title = p.title;
    a.url = p.url;
    a.author = p.author;
    a.body = p.body.data;
    a.body_len = p.body.len;
    a.path = r->name;
    a.line = 1;
    rc = r->fn(r->user, RADAR_READ_ARTICLE, &a, NULL);
done:
    radar_html_page_free(&p);
    return rc;
}

/* A feed: one article per item; a bad item is reported and the rest read. */
static int read_feed(reader *r, const char *data, size_t len)
{
    feed f = {0};
    int rc = radar_feed_parse(&f, data, len);
    if (rc == RADAR_ETOOLARGE) {
        /* an entity bomb, or an item over the article limit: the item being
         * read is the last one started */
        if (f.n_items) {
            const feed_item *it = &f.items[f.n_items - 1];
            rc = report(r, RADAR_READ_FAILURE, (uint64_t)(it->line > 0 ? it->line : 0),
                        "item %zu (%.100s): %s; feed skipped", f.n_items, it->title ? it->title : "untitled",
                        radar_last_error());
        } else {
            rc = report(r, RADAR_READ_FAILURE, 0, "feed: %s; skipped", radar_last_error());
        }
        goto done;
    }
    if (rc)
        goto done;
    if (!f.format_ok) {
        if (f.problem.count)
            rc = report(r, RADAR_READ_FAILURE, (uint64_t)f.problem.line,
                        "malformed XML: %s; not a readable RSS or Atom feed; skipped", f.problem.message);
        else
            rc = report(r, RADAR_READ_FAILURE, 0, "XML, but not an RSS or Atom feed; skipped");
        goto done;
    }
    if (f.problem.count) {
        /* name the item the problem is in: the last one starting before it */
        char where[160] = "";
        for (size_t i = 0; i < f.n_items; i++)
            if (f.items[i].line <= f.problem.line)
                snprintf(where, sizeof where, " in item %zu (%.100s)", i + 1,
                         f.items[i].title ? f.items[i].title : "untitled");
        if ((rc = warn_markup(r, &f.problem, "XML", where)))
            goto done;
    }
    if (f.n_items == 0) {
        rc = report(r, RADAR_READ_FAILURE, 0, "feed with no items");
        goto done;
    }
    if (f.cut.field && (rc = report(r, RADAR_READ_WARNING, 0, "the feed's title of %zu bytes is over the %u-byte "
                                    "field limit; cut to it", f.cut.len, RADAR_MAX_FIELD_BYTES)))
        goto done;
    for (size_t i = 0; i < f.n_items && !rc; i++) {
        feed_item *it = &f.items[i];
        uint64_t line = (uint64_t)(it->line > 0 ? it->line : 1);
        if (it->body.len == 0) {
            rc = report(r, RADAR_READ_FAILURE, line, "item %zu (%.100s) has no text; skipped", i + 1,
                        it->title ? it->title : "untitled");
            continue;
        }
        if ((rc = warn_utf8(r, line, it->body.data, it->body.len)))
            break;
        if (it->cut.field &&
            (rc = report(r, RADAR_READ_WARNING, line, "item %zu (%.100s): its %s of %zu bytes is over the %u-byte field "
                         "limit; cut to it", i + 1, it->title ? it->title : "untitled", it->cut.field, it->cut.len,
                         RADAR_MAX_FIELD_BYTES)))
            break;
        char hashbuf[17];
        radar_article a = {0};
        a.id = it->id;
        if (!a.id) {
            hash_id(hashbuf, it->body.data, it->body.len);
            a.id = hashbuf;
        }
        a.date = it->date ? it->date : r->opts ? r->opts->default_date : NULL;
        a.source = f.title;
        a.title = it->title;
        a.url = it->url;
        a.author = it->author;
        a.partial = it->partial;
        a.body = it->body.data;
        a.body_len = it->body.len;
        a.path = r->name;
        a.line = line;
        rc = r->fn(r->user, RADAR_READ_ARTICLE, &a, NULL);
    }
done:
    radar_feed_free(&f);
    return rc;
}

/* The article fields a JSON line may carry, in the order they are checked. */
static const char *const JSON_FIELDS[] = {"id", "date", "source", "title", "url", "text"};

/* The first article field that holds U+0000, or NULL. A string is cut at its
 * first NUL wherever it is used as a C string (two ids "b\u0000one" and
 * "b\u0000two" would both be "b"), and evidence spans would point past the
 * cut, so such a line is refused as a raw NUL byte is. */
static const char *json_nul_field(json_t *obj)
{
    for (size_t i = 0; i < sizeof JSON_FIELDS / sizeof *JSON_FIELDS; i++) {
        json_t *v = json_object_get(obj, JSON_FIELDS[i]);
        if (json_is_string(v) && memchr(json_string_value(v), '\0', json_string_length(v)))
            return JSON_FIELDS[i];
    }
    return NULL;
}

/* The string or integer field `key` of obj, or NULL. One over the field
 * limit is left out with a warning (*rc: what the callback returned). */
static const char *json_field(reader *r, uint64_t lineno, json_t *obj, const char *key, const char *instead,
                              char *scratch, size_t cap, int *rc)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) {
        size_t len = json_string_length(v);
        if (len <= RADAR_MAX_FIELD_BYTES)
            return json_string_value(v);
        *rc = report(r, RADAR_READ_WARNING, lineno, "\"%s\" of %zu bytes is over the %u-byte field limit; %s", key,
                     len, RADAR_MAX_FIELD_BYTES, instead);
        return NULL;
    }
    if (json_is_integer(v)) {
        snprintf(scratch, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return scratch;
    }
    return NULL;
}

/* json_date: the "date" string D of a JSON line into A->date (DATEBUF, 11
 * bytes, holds it). Full timestamps ("2021-03-18T10:00:00Z") count by their
 * date part; anything else is a warning and leaves the date unknown. */
static int json_date(reader *r, uint64_t lineno, const char *d, size_t dl, char *datebuf, radar_article *a)
{
    if (dl >= 10 && radar_date_valid(d, 10) && (dl == 10 || d[10] == 'T' || d[10] == ' ')) {
        memcpy(datebuf, d, 10);
        datebuf[10] = '\0';
        a->date = datebuf;
        return 0;
    }
    return report(r, RADAR_READ_WARNING, lineno, "malformed date '%.*s' (%s); date left unknown",
                  (int)(dl > 40 ? 40 : dl), d, DATE_EXPECTED);
}

/* read_json_fast's answer when the line must go to the strict parser: a
 * value no callback returns (callbacks return 0 or a small stop code). */
#define JSON_FALLBACK (-0x52414452)

/* The fast path: radar_jsonl_scan, no allocation. Returns JSON_FALLBACK when the
 * line must go to the strict parser instead. */
static int read_json_fast(reader *r, const char *line, size_t len, uint64_t lineno)
{
    jsonl_fields f;
    if (radar_jsonl_scan(line, len, &f, &r->scratch))
        return JSON_FALLBACK;
    if (!f.is_string[JSONL_TEXT] || f.len[JSONL_TEXT] == 0 ||
        f.len[JSONL_ID] > RADAR_MAX_FIELD_BYTES || f.len[JSONL_SOURCE] > RADAR_MAX_FIELD_BYTES ||
        f.len[JSONL_TITLE] > RADAR_MAX_FIELD_BYTES || f.len[JSONL_URL] > RADAR_MAX_FIELD_BYTES)
        return JSON_FALLBACK; /* let the strict path word the failure */
    radar_article a = {0};
    char hashbuf[17], datebuf[11];
    a.body = f.value[JSONL_TEXT];
    a.body_len = f.len[JSONL_TEXT];
    a.id = f.is_string[JSONL_ID] || f.is_int[JSONL_ID] ? f.value[JSONL_ID] : NULL;
    if (!a.id) {
        hash_id(hashbuf, a.body, a.body_len);
        a.id = hashbuf;
    }
    a.source = f.is_string[JSONL_SOURCE] ? f.value[JSONL_SOURCE] : NULL;
    a.title = f.is_string[JSONL_TITLE] ? f.value[JSONL_TITLE] : NULL;
    a.url = f.is_string[JSONL_URL] ? f.value[JSONL_URL] : NULL;
    int rc;
    if (f.is_string[JSONL_DATE]) {
        if ((rc = json_date(r, lineno, f.value[JSONL_DATE], f.len[JSONL_DATE], datebuf, &a)))
            return rc;
    } else if (r->opts && r->opts->default_date) { /* absent, null or not a string: none carried */
        a.date = r->opts->default_date;
    }
    a.path = r->name;
    a.line = lineno;
    /* no UTF-8 check: radar_jsonl_scan accepts only valid UTF-8 */
    return r->fn(r->user, RADAR_READ_ARTICLE, &a, NULL);
}

static int read_json_line(reader *r, const char *line, size_t len, uint64_t lineno)
{
    int fast = read_json_fast(r, line, len, lineno);
    if (fast != JSON_FALLBACK)
        return fast;
    json_error_t err;
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!obj)
        return report(r, RADAR_READ_FAILURE, lineno, "malformed JSON at column %d: %s", err.column, err.text);
    int rc = 0;
    if (!json_is_object(obj)) {
        rc = report(r, RADAR_READ_FAILURE, lineno, "a JSON line must be an object with a \"text\" field");
        goto done;
    }
    json_t *text = json_object_get(obj, "text");
    if (!json_is_string(text)) {
        rc = report(r, RADAR_READ_FAILURE, lineno, "no \"text\" string in this object");
        goto done;
    }
    const char *nul = json_nul_field(obj);
    if (nul) {
        rc = report(r, RADAR_READ_FAILURE, lineno, "\"%s\" holds U+0000 (\\u0000, a NUL character); skipped", nul);
        goto done;
    }
    radar_article a = {0};
    char idbuf[32], hashbuf[17];
    a.body = json_string_value(text);
    a.body_len = json_string_length(text);
    if (a.body_len == 0) {
        rc = report(r, RADAR_READ_FAILURE, lineno, "empty \"text\"");
        goto done;
    }
    a.id = json_field(r, lineno, obj, "id", "the article's id is made from its text instead", idbuf, sizeof idbuf,
                      &rc);
    if (!a.id) {
        hash_id(hashbuf, a.body, a.body_len);
        a.id = hashbuf;
    }
    if (!rc)
        a.source = json_field(r, lineno, obj, "source", "source left out", NULL, 0, &rc);
    if (!rc)
        a.title = json_field(r, lineno, obj, "title", "title left out", NULL, 0, &rc);
    if (!rc)
        a.url = json_field(r, lineno, obj, "url", "url left out", NULL, 0, &rc);
    if (rc)
        goto done;
    json_t *date = json_object_get(obj, "date");
    char datebuf[11];
    if (json_is_string(date)) {
        if ((rc = json_date(r, lineno, json_string_value(date), json_string_length(date), datebuf, &a)))
            goto done;
    } else if (r->opts && r->opts->default_date) {
        a.date = r->opts->default_date;
    }
    a.path = r->name;
    a.line = lineno;
    if ((rc = warn_utf8(r, lineno, a.body, a.body_len)))
        goto done;
    rc = r->fn(r->user, RADAR_READ_ARTICLE, &a, NULL);
done:
    json_decref(obj);
    return rc;
}

static int has_nul(const char *s, size_t len) { return memchr(s, '\0', len) != NULL; }

static int read_stream(reader *r, stream *s)
{
    if (!stream_fill(s)) {
        if (s->error)
            return radar_error_set(RADAR_EIO, "%s: read failed: %s", r->name, strerror(s->error));
        return report(r, RADAR_READ_FAILURE, 0, "empty file: no article text");
    }
    /* Recognise the format from the first bytes. */
    size_t i = s->pos;
    if (s->len - i >= 3 && memcmp(s->chunk + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    while (i < s->len && (s->chunk[i] == ' ' || s->chunk[i] == '\t' || s->chunk[i] == '\r' || s->chunk[i] == '\n'))
        i++;
    size_t probe = s->len - s->pos > 8192 ? 8192 : s->len - s->pos;
    if (has_nul(s->chunk + s->pos, probe))
        return report(r, RADAR_READ_FAILURE, 0, "binary data (NUL byte), not a text article; skipped");
    int rc = 0;
    radar_buf line = RADAR_BUF_INIT;
    line.max = RADAR_MAX_ARTICLE_BYTES;
    if (i < s->len && s->chunk[i] == '{') {
        uint64_t lineno = 0;
        size_t too_long;
        while (!rc && stream_line(s, &line, RADAR_MAX_ARTICLE_BYTES, &too_long)) {
            lineno++;
            if (too_long) {
                rc = report(r, RADAR_READ_FAILURE, lineno, "line of %zu bytes is over the %u MiB article limit; skipped",
                            too_long, RADAR_MAX_ARTICLE_BYTES >> 20);
                continue;
            }
            size_t a = 0, b = line.len;
            if (lineno == 1 && b >= 3 && memcmp(line.data, "\xEF\xBB\xBF", 3) == 0)
                a = 3; /* a byte order mark, as editors on Windows write */
            while (a < b && (line.data[a] == ' ' || line.data[a] == '\t' || line.data[a] == '\r'))
                a++;
            while (b > a && (line.data[b - 1] == ' ' || line.data[b - 1] == '\t' || line.data[b - 1] == '\r'))
                b--;
            if (a == b)
                continue;
            if (has_nul(line.data + a, b - a))
                rc = report(r, RADAR_READ_FAILURE, lineno, "binary data (NUL byte) in this line; skipped");
            else
                rc = read_json_line(r, line.data + a, b - a, lineno);
        }
    } else {
        /* Whole-file article: keep it all, up to the limit. */
        size_t total = 0;
        int over = 0;
        while (stream_fill(s)) {
            size_t n = s->len - s->pos;
            total += n;
            if (!over && radar_buf_append(&line, s->chunk + s->pos, n))
                over = 1;
            s->pos = s->len;
        }
        if (over)
            rc = report(r, RADAR_READ_FAILURE, 0, "file of %zu bytes is over the %u MiB article limit; skipped", total,
                        RADAR_MAX_ARTICLE_BYTES >> 20);
        else if (has_nul(line.data, line.len))
            rc = report(r, RADAR_READ_FAILURE, 0, "binary data (NUL byte), not a text article; skipped");
        else {
            const char *d = line.data ? line.data : "";
            web_kind kind = radar_web_sniff(d, line.len);
            rc = kind == WEB_HTML   ? read_html(r, d, line.len)
                 : kind == WEB_FEED ? read_feed(r, d, line.len)
                                    : read_text_article(r, d, line.len);
        }
    }
    if (!rc && s->error)
        rc = radar_error_set(RADAR_EIO, "%s: read failed: %s", r->name, strerror(s->error));
    radar_buf_free(&line);
    return rc;
}

int radar_read_buffer(const char *name, const char *data, size_t len, const radar_read_options *opts,
                      radar_read_fn fn, void *user)
{
    reader r = {name, opts, fn, user, RADAR_BUF_INIT};
    stream *s = calloc(1, sizeof *s);
    if (!s)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    s->mem = data ? data : "";
    s->mem_len = len;
    int rc = read_stream(&r, s);
    free(s);
    radar_buf_free(&r.scratch);
    return rc;
}

static int read_file(const char *path, const radar_read_options *opts, radar_read_fn fn, void *user)
{
    reader r = {path, opts, fn, user, RADAR_BUF_INIT};
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        int e = errno;
        return radar_error_set(e == ENOENT ? RADAR_ENOTFOUND : RADAR_EIO, "%s: cannot open: %s", path, strerror(e));
    }
    stream *s = calloc(1, sizeof *s);
    if (!s) {
        if (f != stdin)
            fclose(f);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    s->f = f;
    int rc = read_stream(&r, s);
    free(s);
    radar_buf_free(&r.scratch);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int is_hidden(const struct dirent *d) { return d->d_name[0] != '.'; }

static int read_dir(const char *path, const radar_read_options *opts, radar_read_fn fn, void *user, int depth)
{
    if (depth > 64)
        return radar_error_set(RADAR_ETOOLARGE, "%s: directories nested too deep", path);
    struct dirent **names;
    int n = scandir(path, &names, is_hidden, alphasort);
    if (n < 0)
        return radar_error_set(RADAR_EIO, "%s: cannot read directory: %s", path, strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (!rc) {
            size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
            char *child = malloc(len);
            if (!child) {
                rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            } else {
                snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]->d_name);
                struct stat st;
                if (stat(child, &st) != 0) {
                    char msg[1200];
                    snprintf(msg, sizeof msg, "%s: cannot read: %s", child, strerror(errno));
                    rc = fn(user, RADAR_READ_FAILURE, NULL, msg);
                } else if (S_ISDIR(st.st_mode)) {
                    if (!opts || opts->recursive) {
                        rc = read_dir(child, opts, fn, user, depth + 1);
                        if (rc < 0) { /* an unreadable subdirectory is one failure, not the end */
                            rc = fn(user, RADAR_READ_FAILURE, NULL, radar_last_error());
                        }
                    }
                } else if (S_ISREG(st.st_mode)) {
                    rc = read_file(child, opts, fn, user);
                    if (rc < 0)
                        rc = fn(user, RADAR_READ_FAILURE, NULL, radar_last_error());
                }
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int radar_read_path(const char *path, const radar_read_options *opts, radar_read_fn fn, void *user)
{
    if (strcmp(path, "-") == 0)
        return read_file(path, opts, fn, user);
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        return radar_error_set(e == ENOENT ? RADAR_ENOTFOUND : RADAR_EIO, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode))
        return read_dir(path, opts, fn, user, 0);
    return read_file(path, opts, fn, user);
}

/* ---- articles kept past the callback ---- */

static const char *copy_field(char **cursor, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *d = *cursor;
    memcpy(d, s, len);
    d[len] = '\0';
    *cursor += len + 1;
    return d;
}

int radar_article_hold(radar_article_held *o, const radar_article *a)
{
    size_t lens[8] = {a->id ? strlen(a->id) : 0,         a->date ? strlen(a->date) : 0,
                      a->source ? strlen(a->source) : 0, a->title ? strlen(a->title) : 0,
                      a->url ? strlen(a->url) : 0,       a->body_len,
                      a->path ? strlen(a->path) : 0,     a->author ? strlen(a->author) : 0};
    size_t total = 8;
    for (int i = 0; i < 8; i++)
        total += lens[i];
    if (total > o->cap) {
        char *p = realloc(o->mem, total);
        if (!p)
            return radar_error_set(RADAR_ENOMEM, "out of memory");
        o->mem = p;
        o->cap = total;
    }
    char *c = o->mem;
    o->a = *a;
    o->a.id = copy_field(&c, a->id, lens[0]);
    o->a.date = copy_field(&c, a->date, lens[1]);
    o->a.source = copy_field(&c, a->source, lens[2]);
    o->a.title = copy_field(&c, a->title, lens[3]);
    o->a.url = copy_field(&c, a->url, lens[4]);
    o->a.body = copy_field(&c, a->body, lens[5]);
    o->a.path = copy_field(&c, a->path, lens[6]);
    o->a.author = copy_field(&c, a->author, lens[7]);
    return 0;
}

void radar_article_held_free(radar_article_held *o)
{
    free(o->mem);
    o->mem = NULL;
    o->cap = 0;
}
