/*
 * jsonl.h - the allocation-free scanner for one JSON Lines article (jsonl.c).
 */
#ifndef RADAR_JSONL_H
#define RADAR_JSONL_H

#include <stddef.h>

#include "radar/buf.h"

enum { JSONL_ID, JSONL_DATE, JSONL_SOURCE, JSONL_TITLE, JSONL_URL, JSONL_TEXT, JSONL_FIELD_COUNT };

typedef struct jsonl_fields {
    const char *value[JSONL_FIELD_COUNT]; /* decoded, NUL-terminated; NULL when absent or not a string/integer */
    size_t len[JSONL_FIELD_COUNT];
    int present[JSONL_FIELD_COUNT];
    int is_string[JSONL_FIELD_COUNT];
    int is_int[JSONL_FIELD_COUNT];
} jsonl_fields;

/* Scan `line` as one JSON object and pick out the article fields. Values
 * point into `scratch`, valid until its next use. Returns 0, or -1 when the
 * line is not one the fast path accepts (malformed, escaped keys, duplicate
 * article fields, a string holding \u0000): the caller then parses it with
 * jansson for the message. */
int radar_jsonl_scan(const char *line, size_t len, jsonl_fields *out, radar_buf *scratch);

#endif
