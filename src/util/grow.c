/*
 * grow.c - room in a growable array (see grow.h).
 */
#include <stdlib.h>

#include "radar/error.h"
#include "grow.h"

int radar_grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : first ? first : 1;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    *p = q;
    *cap = c;
    return 0;
}
