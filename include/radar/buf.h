/*
 * buf.h - a growable byte buffer with a maximum size.
 *
 * Used for building output (JSON, text) and for reading lines. Every buffer
 * has a ceiling so that untrusted input cannot make it grow without bound.
 */
#ifndef RADAR_BUF_H
#define RADAR_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_buf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    size_t max; /* 0 means no limit beyond memory */
} radar_buf;

#define RADAR_BUF_INIT {NULL, 0, 0, 0}

/* Make room for `extra` more bytes (plus a NUL). RADAR_ETOOLARGE past max. */
int radar_buf_reserve(radar_buf *b, size_t extra);
/* Append bytes; returns 0 or the error of radar_buf_reserve. */
int radar_buf_append_slow(radar_buf *b, const void *data, size_t len);

/* The appends are inline: output is written in many small pieces, and the
 * common case (room already there) is a copy and two stores. */
static inline int radar_buf_append(radar_buf *b, const void *data, size_t len)
{
    if (b->data && len < b->cap - b->len && (!b->max || len <= b->max - b->len)) {
        memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
    }
    return radar_buf_append_slow(b, data, len);
}

static inline int radar_buf_puts(radar_buf *b, const char *s) { return radar_buf_append(b, s, strlen(s)); }

static inline int radar_buf_putc(radar_buf *b, char c)
{
    if (b->data && b->cap - b->len > 1 && (!b->max || b->len < b->max)) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return radar_buf_append_slow(b, &c, 1);
}
int radar_buf_printf(radar_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Empty the buffer, keeping its memory. */
void radar_buf_reset(radar_buf *b);
/* Release the memory; the buffer is then empty and reusable. */
void radar_buf_free(radar_buf *b);
/* Append the whole file at `path`, refusing one of more than `max` bytes
 * (RADAR_ETOOLARGE) or that cannot be read (RADAR_EIO), the message naming
 * the file. */
int radar_buf_read_file(radar_buf *b, const char *path, size_t max);

#ifdef __cplusplus
}
#endif
#endif
