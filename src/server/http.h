/*
 * http.h - what the server's modules share: a parsed request, a response to
 * send, and the routes. Nothing here knows libmicrohttpd (server.c does), so
 * routing and parsing are tested without a socket.
 */
#ifndef RADAR_SERVER_HTTP_H
#define RADAR_SERVER_HTTP_H

#include <stddef.h>

#include "radar/limits.h"
#include "radar/store.h"


/* Numbers in JSON at their meaningful precision (0.427, not jansson's
 * default 0.42699999999999999). */
#define HTTP_JSON_REAL JSON_REAL_PRECISION(15)

/* A request target split and percent-decoded. Every string points into buf. */
typedef struct http_request {
    const char *method; /* borrowed from the caller */
    char buf[RADAR_MAX_HTTP_TARGET + 2];
    const char *segment[RADAR_MAX_HTTP_SEGMENTS]; /* "/api/stories/7" -> "api", "stories", "7" */
    int n_segments;
    struct {
        const char *name, *value;
    } param[RADAR_MAX_HTTP_PARAMS];
    int n_params;
    int search_ms;    /* the time a search may still take; 0: RADAR_MAX_SEARCH_MS */
    int search_waited; /* the time the request waited for a thread (ms) */
} http_request;

/* What to send. body is owned (malloc'd) unless `borrowed` says it points to
 * data that lives as long as the program (the built-in page). */
typedef struct http_response {
    int status;
    const char *content_type;
    char *body;
    size_t len;
    int borrowed;
    const char *allow; /* the Allow header of a 405 */
    int page;          /* a page file: sent with the page's security policy */
    int close;         /* close the connection after it (the request's end is unknown) */
} http_response;

/* The names this server answers to: the listening address and loopback
 * names with its port, and the names of --allow-host. */
typedef struct http_hosts {
    int port;                /* the listening port */
    char listen[64];         /* the listening address as a Host header writes it: "127.0.0.1", "[::1]" */
    const char *const *allow; /* --allow-host names, "NAME" (any port) or "NAME:PORT"; borrowed */
    int n_allow;
} http_hosts;

/* Is `host` (the Host header, NULL when absent) one of h's names? 0, or the
 * status of the refusal with res filled: 421 for another name (a page of
 * another site whose name was made to point at this machine, DNS rebinding),
 * 400 for a missing Host where the protocol requires one (`required`:
 * HTTP/1.1; an HTTP/1.0 client may leave it out). */
int radar_http_check_host(const http_hosts *h, const char *host, int required, http_response *res);

/* Does the request come from a page of another site? 0 when not, else 403
 * with res filled. `origin`, `fetch_site` and `fetch_mode` are the Origin,
 * Sec-Fetch-Site and Sec-Fetch-Mode headers (NULL when absent); `api`: the
 * target is under /api. An Origin that is not one of h's names (or "null")
 * is refused; Sec-Fetch-Site: cross-site is refused except for the
 * navigation to a page file (a link to the board from elsewhere). */
int radar_http_check_site(const http_hosts *h, const char *origin, const char *fetch_site, const char *fetch_mode,
                          int api, http_response *res);

/* Is s a name --allow-host takes: "NAME" or "NAME:PORT" ("[V6]:PORT")? */
int radar_http_host_valid(const char *s);

/* Will the answer to req ask the store a question that may take long? The
 * API but /api/health, and the feeds: the server answers those on its query
 * threads. */
int radar_http_is_query(const http_request *req);

/* Parse an origin-form target ("/api/stories?club=Inter&limit=5") of `len`
 * bytes into req. Path segments and parameters are percent-decoded ('+' is a
 * space in the query); each must be UTF-8 without control characters.
 * Returns 0, or the HTTP status of the refusal with res filled: 400 for a
 * malformed target (no leading '/', bad %-escape, %00 or another control
 * character, invalid UTF-8, a "." or ".." segment, a repeated parameter),
 * 413 for one over the limits of limits.h. */
int radar_http_parse_target(http_request *req, const char *target, size_t len, http_response *res);

/* The value of parameter `name`, or NULL. An empty value counts as absent. */
const char *radar_http_param(const http_request *req, const char *name);

/* Fill res with {"error": message} and `status`. */
void radar_http_error(http_response *res, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Fill res with the JSON value j (a new reference: taken), status 200. */
void radar_http_json(http_response *res, json_t *j);

/* Free what res owns; res can be filled again. */
void radar_http_response_free(http_response *res);

/* The read-only store of this request, opened on first need; borrowed until
 * the request ends. Returns 0 or a radar error code. */
typedef int (*http_store_fn)(void *ctx, radar_store **out);

/* Answer a request: the method check, then /api/... through the store, else
 * the built-in page. */
void radar_http_route(const http_request *req, http_store_fn store, void *ctx, http_response *res);

/* /api/...: req->segment[0] is "api". */
void radar_api_handle(const http_request *req, http_store_fn store, void *ctx, http_response *res);

/* /feeds/...: req->segment[0] is "feeds" (feeds.c). */
void radar_feeds_handle(const http_request *req, http_store_fn store, void *ctx, http_response *res);

/* The built-in page file at `path` ("index.html", "app.js"): 0 and its bytes
 * (borrowed, static) and content type, or -1. */
int radar_assets_find(const char *path, const char **data, size_t *len, const char **content_type);

#endif
