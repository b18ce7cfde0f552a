/*
 * server.h - radar serve: the rumour store over HTTP, as a JSON API and a web
 * page built into the binary.
 *
 * The server answers GET and HEAD only and never writes to the database: each
 * request thread reads through its own read-only connection, so `radar
 * ingest` can write to the same (WAL) database while it serves. The API is
 * described in docs/api.md.
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
    int threads;        /* request threads, each with its own read-only connection; 0: 4 */
    radar_server_log_fn log; /* NULL: no access log */
    void *log_ctx;
} radar_server_options;
#define RADAR_SERVER_OPTIONS_INIT {NULL, NULL, 0, NULL, NULL}

/* Open the database (read-only, to check it is a Transfer Radar one), bind
 * the address and start answering in background threads. Caller stops and
 * frees with radar_server_stop.
 * Errors: RADAR_EINVALID (a bad listen address or thread count), RADAR_EIO
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
