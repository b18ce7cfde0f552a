/*
 * fetch.h - one HTTP(S) GET (or a POST, for alerts) with the limits a watcher needs (libcurl).
 *
 * A response is refused when it is larger than the limit (before it is read
 * when the server says its size, else as soon as it passes it), when it takes
 * longer than the timeout, or after too many redirects. Conditional requests
 * (ETag, Last-Modified) let an unchanged feed cost a 304 and no body. Unless
 * allowed, no connection is made to a private address: the check is on the
 * address each socket is opened to, so neither a name that resolves inside
 * nor a redirect gets round it.
 */
#ifndef RADAR_FETCH_H
#define RADAR_FETCH_H

#include <signal.h>
#include <stddef.h>

#include "radar/buf.h"
#include "radar/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_fetch_options {
    long timeout_ms;              /* the whole request, connection included */
    size_t max_bytes;             /* largest body accepted */
    int max_redirects;            /* redirects followed */
    const char *etag;             /* If-None-Match, or NULL */
    const char *last_modified;    /* If-Modified-Since, or NULL */
    volatile sig_atomic_t *stop;  /* when set (by a signal handler), the transfer is abandoned */
    int allow_private;            /* 0: connect to no loopback, private or link-local address (see
                                   * radar_fetch_address_private), whatever the name resolves to and
                                   * after every redirect */
} radar_fetch_options;
#define RADAR_FETCH_OPTIONS_INIT {30000, RADAR_MAX_FETCH_BYTES, 5, NULL, NULL, NULL, 0}

typedef struct radar_response {
    long status;         /* 200 (body read) or 304 (not modified, no body) */
    radar_buf body;
    char *etag;          /* validators of the response, or NULL */
    char *last_modified;
    char *charset;       /* the charset of the Content-Type header, or NULL */
    char *url;           /* the address answered, after redirects */
    char address[64];    /* the numeric IP address that answered (or, refused, was not connected to), or "" */
    int private_address; /* it is a loopback, private or link-local one */
} radar_response;

/* GET `url` (http or https only) into *out, which the caller frees with
 * radar_response_free (also after a failure). Returns 0 for 200 and 304;
 * RADAR_ETOOLARGE over max_bytes; RADAR_EINVALID when the only addresses
 * to connect to are private ones and allow_private is 0 (nothing is sent);
 * RADAR_EIO for a timeout, a refused connection, too many redirects, any
 * other HTTP status, or a stop; the last-error message names the address
 * and says which. */
int radar_fetch(radar_response *out, const char *url, const radar_fetch_options *opts);
/* POST `body` (len bytes, of `content_type`) to `url`, with the limits of
 * opts (no redirect is followed: the answer is the first server's). Returns
 * 0 for any 2xx answer (its body in *out), else as radar_fetch. The caller
 * frees *out with radar_response_free. */
int radar_fetch_post(radar_response *out, const char *url, const char *content_type, const char *body, size_t len,
                     const radar_fetch_options *opts);
void radar_response_free(radar_response *r);

/* 1 when the numeric address `ip` (IPv4 or IPv6) is not a public one: the
 * loopback, private, shared (CGNAT), link-local (cloud metadata included),
 * unique-local, unspecified, multicast or reserved ranges, and IPv6 forms
 * that carry such an IPv4 address (mapped, compatible, NAT64, 6to4); 0 for a
 * public address; -1 when `ip` is not an address. */
int radar_fetch_address_private(const char *ip);

#ifdef __cplusplus
}
#endif
#endif
