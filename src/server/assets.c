/*
 * assets.c - the page's files (web/), compiled into the binary by
 * tools/embed.c, so that `radar serve` needs nothing beside it and fetches
 * nothing from elsewhere.
 */
#include <string.h>

#include "http.h"

typedef struct builtin_file {
    const char *path;
    const char *data;
    size_t len;
} builtin_file;
extern const builtin_file radar_web_files[];
extern const size_t radar_web_files_count;

static const struct {
    const char *ext, *type;
} TYPES[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".json", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
};

int radar_assets_find(const char *path, const char **data, size_t *len, const char **content_type)
{
    for (size_t i = 0; i < radar_web_files_count; i++) {
        const builtin_file *f = &radar_web_files[i];
        if (strcmp(f->path, path))
            continue;
        const char *dot = strrchr(path, '.');
        *content_type = "application/octet-stream";
        for (size_t k = 0; dot && k < sizeof TYPES / sizeof *TYPES; k++)
            if (!strcmp(dot, TYPES[k].ext))
                *content_type = TYPES[k].type;
        *data = f->data;
        *len = f->len;
        return 0;
    }
    return -1;
}
