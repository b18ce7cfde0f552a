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

#define HTTP_MAX_SEGMENTS 8

/* A request target split and percent-decoded. Every string points into buf. */
typedef struct http_request {
    const char *method; /* borrowed from the caller */
    char buf[RADAR_MAX_HTTP_TARGET + 2];
    const char *segment[HTTP_MAX_SEGMENTS]; /* "/api/stories/7" -> "api", "stories", "7" */
    int n_segments;
    struct {
        const char *name, *value;
    } param[RADAR_MAX_HTTP_PARAMS];
    int n_params;
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
} http_response;

/* Parse an origin-form target ("/api/stories?club=Inter&limit=5") of `len`
 * bytes into req. Path segments and parameters are percent-decoded ('+' is a
 * space in the query); each must be UTF-8 without control characters.
 * Returns 0, or the HTTP status of the refusal with res filled: 400 for a
 * malformed target (no leading '/', bad %-escape, %00 or another control
 * character, invalid UTF-8, a "." or ".." segment, a repeated parameter),
 * 413 for one over the limits of limits.h. */
int http_parse_target(http_request *req, const char *target, size_t len, http_response *res);

/* The value of parameter `name`, or NULL. An empty value counts as absent. */
const char *http_param(const http_request *req, const char *name);

/* Fill res with {"error": message} and `status`. */
void http_error(http_response *res, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Fill res with the JSON value j (a new reference: taken), status 200. */
void http_json(http_response *res, json_t *j);

/* Free what res owns; res can be filled again. */
void http_response_free(http_response *res);

/* The read-only store of this request, opened on first need; borrowed until
 * the request ends. Returns 0 or a radar error code. */
typedef int (*http_store_fn)(void *ctx, radar_store **out);

/* Answer a request: the method check, then /api/... through the store, else
 * the built-in page. */
void http_route(const http_request *req, http_store_fn store, void *ctx, http_response *res);

/* /api/...: req->segment[0] is "api". */
void api_handle(const http_request *req, http_store_fn store, void *ctx, http_response *res);

/* The built-in page file at `path` ("index.html", "app.js"): 0 and its bytes
 * (borrowed, static) and content type, or -1. */
int assets_find(const char *path, const char **data, size_t *len, const char **content_type);

#endif
