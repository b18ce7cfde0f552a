/*
 * outcomes.c - the outcomes CSV (RFC 4180: quoted fields, "" inside quotes,
 * CRLF or LF, newlines inside quotes) and the transfer-window calendar.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/outcomes.h"
#include "radar/buf.h"
#include "../util/utf8.h"

enum { COL_PLAYER, COL_FROM, COL_TO, COL_DATE, COL_SEASON, COL_WINDOW, COL_FEE, COL_CURRENCY, COL_OUTCOME, COL_COUNT };

static const struct {
    const char *name;
    int col;
} HEADERS[] = {
    {"player", COL_PLAYER},   {"name", COL_PLAYER},         {"from_club", COL_FROM},     {"from", COL_FROM},
    {"to_club", COL_TO},      {"to", COL_TO},               {"date", COL_DATE},          {"season", COL_SEASON},
    {"window", COL_WINDOW},   {"fee", COL_FEE},             {"currency", COL_CURRENCY},  {"outcome", COL_OUTCOME},
    {"status", COL_OUTCOME},
};

#define MAX_FIELDS 32

/* One parsed record: fields are NUL-terminated copies in `buf`. */
typedef struct record {
    radar_buf buf;
    size_t off[MAX_FIELDS];
    size_t n;
    unsigned long line; /* line the record starts on */
} record;

/* Read the record starting at *pos; advance *pos and *line. Returns 0, 1 at
 * the end of the data, or RADAR_EFORMAT (with a message) for an unclosed
 * quote or too many fields. */
static int read_record(const char *name, const char *d, size_t len, size_t *pos, unsigned long *line, record *r)
{
    size_t i = *pos;
    if (i >= len)
        return 1;
    radar_buf_reset(&r->buf);
    r->n = 0;
    r->line = *line;
    for (;;) {
        if (r->n == MAX_FIELDS)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: more than %d fields", name, r->line, MAX_FIELDS);
        r->off[r->n++] = r->buf.len;
        if (i < len && d[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return radar_error_set(RADAR_EFORMAT, "%s:%lu: a quoted field is never closed", name, r->line);
                if (d[i] == '"') {
                    if (i + 1 < len && d[i + 1] == '"') {
                        radar_buf_putc(&r->buf, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (d[i] == '\n')
                    (*line)++;
                radar_buf_putc(&r->buf, d[i++]);
            }
            /* anything between the closing quote and the separator is kept */
        }
        while (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r')
            radar_buf_putc(&r->buf, d[i++]);
        if (radar_buf_putc(&r->buf, '\0'))
            return RADAR_ENOMEM;
        if (i < len && d[i] == ',') {
            i++;
            continue;
        }
        if (i < len && d[i] == '\r')
            i++;
        if (i < len && d[i] == '\n')
            i++;
        (*line)++;
        break;
    }
    *pos = i;
    return 0;
}

static char *field(record *r, int col, const int *map)
{
    if (map[col] < 0 || (size_t)map[col] >= r->n)
        return NULL;
    char *s = r->buf.data + r->off[map[col]];
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return n ? s : NULL;
}

int radar_window_end(const char *season, const char *window, char out[11])
{
    if (!season || !window)
        return RADAR_EINVALID;
    char *end;
    long y1 = strtol(season, &end, 10);
    if (end == season || y1 < 1850 || y1 > 2200)
        return RADAR_EINVALID;
    long y2 = 0;
    if (*end == '-' || *end == '/') {
        const char *s2 = end + 1;
        y2 = strtol(s2, &end, 10);
        if (end - s2 == 2)
            y2 += (y1 / 100) * 100 + (y2 < y1 % 100 ? 100 : 0);
        if (y2 != y1 + 1)
            return RADAR_EINVALID;
    }
    if (*end)
        return RADAR_EINVALID;
    /* years are checked above; "% 10000" lets the compiler see they fit */
    if (!strcasecmp(window, "summer"))
        snprintf(out, 11, "%04u-09-01", (unsigned)(y1 % 10000));
    else if (!strcasecmp(window, "winter") || !strcasecmp(window, "january"))
        snprintf(out, 11, "%04u-02-01", (unsigned)((y2 ? y2 : y1) % 10000));
    else
        return RADAR_EINVALID;
    return 0;
}

int radar_outcomes_read(const char *name, const char *data, size_t len, radar_outcome_fn fn, void *user)
{
    record r = {RADAR_BUF_INIT, {0}, 0, 0};
    size_t pos = 0;
    unsigned long line = 1;
    int map[COL_COUNT], rc;
    char msg[512];
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) /* a byte-order mark from spreadsheets */
        pos = 3;
    for (int c = 0; c < COL_COUNT; c++)
        map[c] = -1;
    if (radar_utf8_check(data, len) != len) {
        rc = radar_error_set(RADAR_EENCODING, "%s: not UTF-8 text", name);
        goto out;
    }
    /* the header: column names in any order and case */
    if ((rc = read_record(name, data, len, &pos, &line, &r))) {
        if (rc == 1)
            rc = radar_error_set(RADAR_EFORMAT, "%s: empty file (expected a header row: player,to_club,...)", name);
        goto out;
    }
    for (size_t k = 0; k < r.n; k++) {
        char *h = r.buf.data + r.off[k];
        for (char *p = h; *p; p++)
            *p = *p == ' ' ? '_' : (char)tolower((unsigned char)*p);
        for (size_t j = 0; j < sizeof HEADERS / sizeof *HEADERS; j++)
            if (!strcmp(h, HEADERS[j].name) && map[HEADERS[j].col] < 0)
                map[HEADERS[j].col] = (int)k;
    }
    if (map[COL_PLAYER] < 0 || map[COL_TO] < 0) {
        rc = radar_error_set(RADAR_EFORMAT, "%s:1: the header needs the columns player and to_club", name);
        goto out;
    }
    if (map[COL_DATE] < 0 && (map[COL_SEASON] < 0 || map[COL_WINDOW] < 0)) {
        rc = radar_error_set(RADAR_EFORMAT, "%s:1: the header needs a date column, or season and window", name);
        goto out;
    }
    for (;;) {
        int rr = read_record(name, data, len, &pos, &line, &r);
        if (rr == 1)
            break;
        if (rr) { /* the rest of the file cannot be split into rows: report and stop */
            rc = rr == RADAR_ENOMEM ? rr : fn(user, NULL, radar_last_error());
            goto out;
        }
        if (r.n == 1 && !r.buf.data[r.off[0]])
            continue; /* a blank line */
        radar_outcome_row row = {0};
        row.line = r.line;
        row.player = field(&r, COL_PLAYER, map);
        row.from_club = field(&r, COL_FROM, map);
        row.to_club = field(&r, COL_TO, map);
        row.season = field(&r, COL_SEASON, map);
        row.window = field(&r, COL_WINDOW, map);
        row.currency = field(&r, COL_CURRENCY, map);
        const char *date = field(&r, COL_DATE, map), *fee = field(&r, COL_FEE, map);
        const char *outcome = field(&r, COL_OUTCOME, map);
        char end[11];
        msg[0] = '\0';
        if (!row.player || !row.to_club)
            snprintf(msg, sizeof msg, "%s:%lu: the row has no %s", name, r.line, row.player ? "to_club" : "player");
        else if (date && !radar_date_valid(date, strlen(date)))
            snprintf(msg, sizeof msg, "%s:%lu: '%s' is not a date (YYYY-MM-DD with a year from %d to %d)", name,
                     r.line, date, RADAR_MIN_YEAR, RADAR_MAX_YEAR);
        else if (!date && radar_window_end(row.season, row.window, end))
            snprintf(msg, sizeof msg, "%s:%lu: no date, and no season and window to date it by (season '%s', "
                     "window '%s'; expected e.g. 2021-22 and summer)", name, r.line, row.season ? row.season : "",
                     row.window ? row.window : "");
        else if (outcome && strcasecmp(outcome, "done") && strcasecmp(outcome, "failed"))
            snprintf(msg, sizeof msg, "%s:%lu: outcome '%s' is neither done nor failed", name, r.line, outcome);
        else if (fee) {
            char *e;
            row.fee = strtod(fee, &e);
            if (e == fee || *e || row.fee < 0)
                snprintf(msg, sizeof msg, "%s:%lu: fee '%s' is not a number", name, r.line, fee);
        }
        if (msg[0]) {
            if ((rc = fn(user, NULL, msg)))
                goto out;
            continue;
        }
        row.date = date ? date : end;
        row.outcome = outcome && !strcasecmp(outcome, "failed") ? RADAR_OUTCOME_FAILED : RADAR_OUTCOME_DONE;
        if ((rc = fn(user, &row, NULL)))
            goto out;
    }
    rc = 0;
out:
    radar_buf_free(&r.buf);
    return rc;
}
