/*
 * csv.h - a reader of CSV text held in memory (RFC 4180: a header row, fields
 * separated by commas, quoted fields that may hold commas, newlines and ""
 * for a quote, CRLF or LF line ends). It tracks the line each record starts
 * on, so that a bad row can be named by file and line.
 */
#ifndef RADAR_CSV_H
#define RADAR_CSV_H

#include <stddef.h>

#include "radar/buf.h"
#include "radar/limits.h"

typedef struct radar_csv {
    const char *name; /* for messages */
    const char *data;
    size_t len, pos;
    unsigned long line;     /* line the cursor is on */
    unsigned long rec_line; /* line the current record starts on */
    radar_buf buf;          /* the current record's fields, NUL-terminated */
    size_t off[RADAR_MAX_CSV_FIELDS];
    size_t n; /* fields in the current record */
} radar_csv;

/* Start reading data[0..len), called `name` in messages. A leading UTF-8
 * byte order mark is skipped. The text is borrowed; free with radar_csv_free. */
void radar_csv_init(radar_csv *c, const char *name, const char *data, size_t len);

/* The next record: 0, 1 at the end of the text, or RADAR_EFORMAT with
 * "name:line: ..." in the last error for a quoted field never closed or a
 * record of more than RADAR_MAX_CSV_FIELDS fields (the reader then stops),
 * RADAR_ENOMEM. Blank lines are skipped. */
int radar_csv_next(radar_csv *c);

/* Field i of the current record without the blanks around it, or NULL when
 * it is missing or empty. Borrowed until the next radar_csv_next. */
const char *radar_csv_field(const radar_csv *c, int i);

/* The index of the column called `name` (case-insensitive) in the current
 * record, read as a header, or -1. */
int radar_csv_column(const radar_csv *c, const char *name);

void radar_csv_free(radar_csv *c);

#endif
