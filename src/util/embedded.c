/* Look-ups in the tables of files compiled into the binary (embedded.h). */
#include <string.h>

#include "embedded.h"

const radar_embedded_file *radar_embedded_find(const radar_embedded_file *table, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(table[i].path, path))
            return &table[i];
    return NULL;
}
