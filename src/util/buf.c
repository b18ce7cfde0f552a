/*
 * buf.c - growable bounded byte buffers (see radar/buf.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/buf.h"
#include "radar/error.h"

int radar_buf_reserve(radar_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return radar_error_set(RADAR_ETOOLARGE, "buffer size overflow");
    size_t need = b->len + extra + 1;
    if (b->max && need > b->max + 1)
        return radar_error_set(RADAR_ETOOLARGE, "buffer over its limit of %zu bytes", b->max);
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
    char *p = realloc(b->data, cap);
    if (!p)
        return radar_error_set(RADAR_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
    b->data = p;
    b->cap = cap;
    return 0;
}

int radar_buf_append_slow(radar_buf *b, const void *data, size_t len)
{
    int rc = radar_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}


int radar_buf_printf(radar_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return radar_error_set(RADAR_EINVALID, "bad format string");
    if ((size_t)n < sizeof small)
        return radar_buf_append(b, small, (size_t)n);
    int rc = radar_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void radar_buf_reset(radar_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void radar_buf_free(radar_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int radar_buf_read_file(radar_buf *b, const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return radar_error_set(RADAR_EIO, "%s: %s", path, strerror(errno));
    size_t keep = b->max;
    b->max = max;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = radar_buf_append(b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    b->max = keep;
    if (rc == RADAR_ETOOLARGE)
        return radar_error_set(rc, "%s: larger than %zu bytes", path, max);
    if (!rc && bad)
        return radar_error_set(RADAR_EIO, "%s: read error", path);
    return rc;
}
