/* Data files compiled into the binary (tools/embed.c writes the tables at build time), so that radar
 * works from any folder with no data files beside it. The tables are static data: nothing to free. */
#ifndef RADAR_EMBEDDED_H
#define RADAR_EMBEDDED_H

#include <stddef.h>

typedef struct radar_embedded_file {
    const char *path; /* relative to the folder it was embedded from, e.g. "clubs/england.txt" */
    const char *data; /* the bytes, NUL-terminated for convenience; len excludes the NUL */
    size_t len;
} radar_embedded_file;

/* data/lexicon/, data/model/extract.model, data/model/likelihood.model, web/ (the server's). */
extern const radar_embedded_file radar_builtin_lexicon[];
extern const size_t radar_builtin_lexicon_count;
extern const radar_embedded_file radar_builtin_model[];
extern const size_t radar_builtin_model_count;
extern const radar_embedded_file radar_builtin_likelihood[];
extern const size_t radar_builtin_likelihood_count;
extern const radar_embedded_file radar_web_files[];
extern const size_t radar_web_files_count;

/* The file of `table` (n entries) whose path is `path`, or NULL. */
const radar_embedded_file *radar_embedded_find(const radar_embedded_file *table, size_t n, const char *path);

#endif
