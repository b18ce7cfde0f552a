/*
 * server.h - radar serve: the rumour store over HTTP, as a JSON API and a web
 * page built into the binary.
 *
 * The server answers GET and HEAD only and never writes to the database: each
 * thread reads through its own read-only connection, so `radar ingest` can
 * write to the same (WAL) database while it serves. It answers only to its
 * own names (the Host header) and refuses requests from pages of other
 * sites. The API is described in docs/api.md.
 */
#ifndef RADAR_SERVER_H
#define RADAR_SERVER_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_server radar_server;

/* One line per request, for an access log: called from request threads,
 * possibly at the same time; `line` is borrowed for the call. */
typedef void (*radar_server_log_fn)(void *ctx, const char *line);

typedef struct radar_server_options {
    const char *db;     /* the database to serve (required) */
    const char *listen; /* "HOST:PORT" with a numeric address, "[::1]:PORT" for IPv6;
                           NULL: 127.0.0.1:8080. Port 0 takes any free port. */
    int threads;        /* query threads, each with its own read-only connection; 0: 4 (and
                           half as many search threads, at least one) */
    radar_server_log_fn log; /* NULL: no access log */
    void *log_ctx;
    /* Names the Host header may give besides the listening address and
     * localhost, 127.0.0.1, [::1] with its port: "NAME" (any port) or
     * "NAME:PORT"; borrowed for the call. Any other is refused (421), and so
     * is a request from a page of another site (403). */
    const char *const *allow_hosts;
    int n_allow_hosts;
    int search_ms; /* how long a search may take, waiting included; 0: RADAR_MAX_SEARCH_MS */
} radar_server_options;
#define RADAR_SERVER_OPTIONS_INIT {NULL, NULL, 0, NULL, NULL, NULL, 0, 0}

/* Open the database (read-only, to check it is a Transfer Radar one), bind
 * the address and start answering in background threads. Caller stops and
 * frees with radar_server_stop.
 * Errors: RADAR_EINVALID (a bad listen address, thread count, allowed host
 * or search timeout), RADAR_EIO
 * (cannot bind, or the HTTP library failed to start), and those of
 * radar_store_open. */
int radar_server_start(radar_server **out, const radar_server_options *o);

/* The port the server listens on (the one chosen when port 0 was asked). */
int radar_server_port(const radar_server *srv);

/* Stop answering, wait for requests in flight, close everything. NULL: no-op. */
void radar_server_stop(radar_server *srv);

#ifdef __cplusplus
}
#endif
#endif
