/*
 * csv.c - the CSV reader (csv.h). A cursor moves forward over the text; each
 * record's fields are copied, unquoted, into one buffer.
 */
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "radar/error.h"

void radar_csv_init(radar_csv *c, const char *name, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->data = data;
    c->len = len;
    c->line = 1;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        c->pos = 3;
}

static int put(radar_csv *c, char ch)
{
    return radar_buf_putc(&c->buf, ch) ? RADAR_ENOMEM : 0;
}

int radar_csv_next(radar_csv *c)
{
    const char *d = c->data;
    size_t i = c->pos, len = c->len;
    /* blank lines hold no record */
    while (i < len && (d[i] == '\n' || d[i] == '\r')) {
        if (d[i] == '\n')
            c->line++;
        i++;
    }
    c->pos = i;
    if (i >= len)
        return 1;
    radar_buf_reset(&c->buf);
    c->n = 0;
    c->rec_line = c->line;
    for (;;) {
        if (c->n == RADAR_MAX_CSV_FIELDS)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: more than %u fields", c->name, c->rec_line,
                                   (unsigned)RADAR_MAX_CSV_FIELDS);
        c->off[c->n++] = c->buf.len;
        if (i < len && d[i] == '"') {
            for (i++;; i++) {
                if (i >= len)
                    return radar_error_set(RADAR_EFORMAT, "%s:%lu: a quoted field is never closed", c->name,
                                           c->rec_line);
                if (d[i] == '"') {
                    if (i + 1 < len && d[i + 1] == '"') {
                        if (put(c, '"'))
                            return RADAR_ENOMEM;
                        i++;
                        continue;
                    }
                    i++;
                    break;
                }
                if (d[i] == '\n')
                    c->line++;
                if (put(c, d[i]))
                    return RADAR_ENOMEM;
            }
        }
        /* unquoted text, or what follows a closing quote, up to the separator */
        while (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r')
            if (put(c, d[i++]))
                return RADAR_ENOMEM;
        if (put(c, '\0'))
            return RADAR_ENOMEM;
        if (i < len && d[i] == ',') {
            i++;
            continue;
        }
        if (i < len && d[i] == '\r')
            i++;
        if (i < len && d[i] == '\n')
            i++;
        c->line++;
        break;
    }
    c->pos = i;
    return 0;
}

const char *radar_csv_field(const radar_csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->n)
        return NULL;
    char *s = c->buf.data + c->off[i];
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return n ? s : NULL;
}

int radar_csv_column(const radar_csv *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *f = radar_csv_field(c, (int)i);
        if (f && !strcasecmp(f, name))
            return (int)i;
    }
    return -1;
}

void radar_csv_free(radar_csv *c)
{
    radar_buf_free(&c->buf);
}
