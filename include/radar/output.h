/*
 * output.h - writing extraction results for programs (JSON Lines) and people.
 */
#ifndef RADAR_OUTPUT_H
#define RADAR_OUTPUT_H

#include "radar/buf.h"
#include "radar/extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append `doc` as one line of JSON (with the trailing newline) to `out`.
 * The schema is documented in docs/extract.md. */
int radar_doc_write_json(const radar_doc *doc, radar_buf *out);

/* Append a readable report of `doc` to `out`, quoting the evidence. */
int radar_doc_write_text(const radar_doc *doc, radar_buf *out);

#ifdef __cplusplus
}
#endif
#endif
