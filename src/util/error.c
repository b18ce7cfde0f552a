/*
 * error.c - error codes and the per-thread last-error message.
 */
#include <stdarg.h>
#include <stdio.h>

#include "radar/error.h"

static _Thread_local char last_error[1024];

const char *radar_strerror(int code)
{
    switch (code) {
    case RADAR_OK: return "success";
    case RADAR_ENOMEM: return "out of memory";
    case RADAR_EINVALID: return "invalid input";
    case RADAR_ENOTFOUND: return "not found";
    case RADAR_ETOOLARGE: return "too large";
    case RADAR_EIO: return "input/output error";
    case RADAR_EENCODING: return "not UTF-8 text";
    case RADAR_EFORMAT: return "unrecognised format";
    default: return "unknown error";
    }
}

const char *radar_last_error(void) { return last_error; }

void radar_error_clear(void) { last_error[0] = '\0'; }

int radar_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}
