/*
 * assets.c - the page's files (web/), compiled into the binary by
 * tools/embed.c, so that `radar serve` needs nothing beside it and fetches
 * nothing from elsewhere.
 */
#include <string.h>

#include "embedded.h"
#include "http.h"

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
    const radar_embedded_file *f = radar_embedded_find(radar_web_files, radar_web_files_count, path);
    if (f) {
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
