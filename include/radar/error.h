/*
 * error.h - error codes shared by every Transfer Radar module.
 *
 * Fallible functions return 0 (RADAR_OK) or one of the negative codes below.
 * The detail (which file, which line, which byte) is kept in a per-thread
 * "last error" message set once, where the failure happens; front ends read it
 * with radar_last_error() and decide what to print. The library never prints.
 */
#ifndef RADAR_ERROR_H
#define RADAR_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum radar_error {
    RADAR_OK = 0,
    RADAR_ENOMEM = -1,    /* out of memory */
    RADAR_EINVALID = -2,  /* bad argument or malformed input */
    RADAR_ENOTFOUND = -3, /* no such file, entry or key */
    RADAR_ETOOLARGE = -4, /* input over one of the limits in limits.h */
    RADAR_EIO = -5,       /* read or write failed */
    RADAR_EENCODING = -6, /* not UTF-8 text (binary data) */
    RADAR_EFORMAT = -7    /* not in any format we read (bad JSON, bad date, ...) */
} radar_error;

/* Short constant description of a code ("out of memory"). Never NULL. */
const char *radar_strerror(int code);

/* The detail message of the last failure on this thread, or "" if none.
 * Borrowed: valid until the next library call on this thread. */
const char *radar_last_error(void);

/* Set the last-error message (printf-style) and return `code`, so that a
 * failing function can `return radar_error_set(RADAR_EIO, "...", ...)`. */
int radar_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget the last-error message. */
void radar_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
