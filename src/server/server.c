/*
 * server.c - radar serve on libmicrohttpd: the socket, the request threads,
 * and the read-only store connections they use.
 *
 * Threads: a fixed pool of libmicrohttpd threads, each polling its share of
 * the connections (epoll), rather than one thread per connection. A pool
 * bounds the threads, and so the SQLite connections, however many clients
 * connect; a thread per connection would let a crowd of idle keep-alive
 * clients cost a thread each. The price: a request blocks its thread, and
 * the other connections that thread polls, for the length of its query --
 * milliseconds for stories, but seconds for a listing of every source on a
 * large store (see bench/README.md).
 *
 * Store connections: SQLite connections are not shared between threads.
 * Each request borrows one from a small pool (opened on first need, at most
 * one per request thread) and gives it back when it ends. Connections are
 * read-only; in WAL mode every query sees the last commit of a concurrent
 * `radar ingest`, which never waits for us nor we for it.
 *
 * Each request's raw target is kept by the URI callback before the library
 * decodes it, so that request.c parses exactly what the client sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/server.h"
#include "http.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 4
#define CONNECTION_TIMEOUT_S 30
#define LISTEN_BACKLOG 512

/* The page may load its own files and call its own API, nothing else. */
#define PAGE_POLICY                                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "           \
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

struct radar_server {
    struct MHD_Daemon *daemon;
    int sock;
    int port;
    char db[4096];
    radar_lexicon *lex;
    radar_server_log_fn log;
    void *log_ctx;
    pthread_mutex_t lock;
    radar_store **idle; /* connections not in use */
    int n_idle, cap_idle;
};

/* One request: its raw target, the body bytes seen, the store it borrowed. */
typedef struct request_ctx {
    radar_server *srv;
    radar_store *st;
    int started;
    size_t body;
    size_t target_len; /* the full length, even when longer than kept */
    struct timespec t0;
    char target[RADAR_MAX_HTTP_TARGET + 1];
} request_ctx;

/* ---- store connections ----------------------------------------------------- */

static int store_borrow(void *ctx, radar_store **out)
{
    request_ctx *r = ctx;
    radar_server *srv = r->srv;
    if (r->st) {
        *out = r->st;
        return 0;
    }
    pthread_mutex_lock(&srv->lock);
    if (srv->n_idle > 0)
        r->st = srv->idle[--srv->n_idle];
    pthread_mutex_unlock(&srv->lock);
    if (!r->st) {
        int rc = radar_store_open(&r->st, srv->db, RADAR_STORE_READONLY, srv->lex);
        if (rc)
            return rc;
    }
    *out = r->st;
    return 0;
}

static void store_return(radar_server *srv, radar_store *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&srv->lock);
    if (srv->n_idle < srv->cap_idle) {
        srv->idle[srv->n_idle++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&srv->lock);
    radar_store_close(st); /* more than one per thread: not kept */
}

/* ---- libmicrohttpd callbacks ------------------------------------------------ */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    request_ctx *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->srv = cls;
    r->st = NULL;
    r->started = 0;
    r->body = 0;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->target_len = strlen(uri);
    size_t keep = r->target_len <= RADAR_MAX_HTTP_TARGET ? r->target_len : 0;
    memcpy(r->target, uri, keep);
    r->target[keep] = '\0';
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
    (void)c;
    (void)why;
    request_ctx *r = *con_cls;
    if (!r)
        return;
    store_return(cls, r->st);
    free(r);
    *con_cls = NULL;
}

/* src as text safe for a terminal (control bytes become '?'), cut to fit cap. */
static void safe_text(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    for (; *src && n + 4 < cap; src++)
        dst[n++] = (unsigned char)*src < 0x20 || *src == 0x7f ? '?' : *src;
    if (*src)
        memcpy(dst + n, "...", 3), n += 3;
    dst[n] = '\0';
}

static void log_request(radar_server *srv, request_ctx *r, const char *method, int status, size_t len)
{
    if (!srv->log)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
    char target[200], verb[16], line[320];
    safe_text(target, sizeof target, r->target_len <= RADAR_MAX_HTTP_TARGET ? r->target : "(too long)");
    safe_text(verb, sizeof verb, method);
    snprintf(line, sizeof line, "%s %s %d %zu %.1fms", verb, target, status, len, ms);
    srv->log(srv->log_ctx, line);
}

static enum MHD_Result send_response(struct MHD_Connection *c, request_ctx *r, const char *method,
                                     http_response *res)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(res->len, res->body, res->borrowed ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!mr) {
        http_response_free(res);
        return MHD_NO;
    }
    res->body = NULL; /* the library frees it now */
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, res->page ? "no-cache" : "no-store");
    if (res->page)
        MHD_add_response_header(mr, "Content-Security-Policy", PAGE_POLICY);
    if (res->allow)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, res->allow);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, mr);
    MHD_destroy_response(mr);
    log_request(r->srv, r, method, res->status, res->len);
    return ok;
}

static void answer(request_ctx *r, const char *method, http_response *res)
{
    http_request *req = malloc(sizeof *req);
    if (!req) {
        http_error(res, 500, "out of memory");
        return;
    }
    req->method = method;
    if (r->target_len > RADAR_MAX_HTTP_TARGET)
        http_error(res, 413, "the request target is longer than %u bytes", RADAR_MAX_HTTP_TARGET);
    else if (http_parse_target(req, r->target, r->target_len, res) == 0)
        http_route(req, store_borrow, r, res);
    free(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)url; /* decoded by the library: we parse the raw target instead */
    (void)version;
    (void)upload_data;
    (void)cls;
    request_ctx *r = *con_cls;
    if (!r)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    http_response res = {0};
    if (!r->started) {
        r->started = 1;
        int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        /* refused before a byte of the body is read */
        if (!get) {
            http_error(&res, 405, "method %.20s not allowed: this server only reads (GET, HEAD)", method);
            res.allow = "GET, HEAD";
            return send_response(c, r, method, &res);
        }
        if (cl && strtoull(cl, NULL, 10) > RADAR_MAX_HTTP_BODY) {
            http_error(&res, 413, "request bodies over %u bytes are refused (and GET needs none)", RADAR_MAX_HTTP_BODY);
            return send_response(c, r, method, &res);
        }
        /* answer on the next call, once the request is complete: an answer
         * queued now would make the library close the connection after it */
        return MHD_YES;
    } else if (*upload_data_size) {
        r->body += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->body > RADAR_MAX_HTTP_BODY)
        http_error(&res, 413, "request bodies over %u bytes are refused (and GET needs none)", RADAR_MAX_HTTP_BODY);
    else
        answer(r, method, &res);
    return send_response(c, r, method, &res);
}

static void on_library_error(void *cls, const char *fmt, va_list ap)
{
    radar_server *srv = cls;
    if (!srv->log)
        return;
    char line[512];
    int n = snprintf(line, sizeof line, "http: ");
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    size_t len = strlen(line);
    while (len && line[len - 1] == '\n')
        line[--len] = '\0';
    srv->log(srv->log_ctx, line);
}

/* ---- the listening socket ---------------------------------------------------- */

/* Bind "HOST:PORT" ("[V6]:PORT"); the host must be a numeric address. */
static int listen_on(const char *spec, int *sock_out, int *port_out)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
            return radar_error_set(RADAR_EINVALID, "listen address '%s': write [IPv6]:PORT", spec);
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            return radar_error_set(RADAR_EINVALID, "listen address '%s': write HOST:PORT, e.g. 127.0.0.1:8080", spec);
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        return radar_error_set(RADAR_EINVALID, "listen address '%s': the port must be a number from 0 to 65535", spec);
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    int grc = getaddrinfo(host, port, &hints, &ai);
    if (grc != 0 || !ai)
        return radar_error_set(RADAR_EINVALID, "listen address '%s': '%s' is not a numeric IP address (%s)", spec, host,
                               gai_strerror(grc));
    int s = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        freeaddrinfo(ai);
        return radar_error_set(RADAR_EIO, "cannot create a socket: %s", strerror(errno));
    }
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ai->ai_family == AF_INET6)
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, LISTEN_BACKLOG) != 0) {
        int e = errno;
        freeaddrinfo(ai);
        close(s);
        return radar_error_set(RADAR_EIO, "cannot listen on %s: %s", spec, strerror(e));
    }
    freeaddrinfo(ai);
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    getsockname(s, (struct sockaddr *)&sa, &sl);
    *port_out = sa.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
                                         : ntohs(((struct sockaddr_in *)&sa)->sin_port);
    *sock_out = s;
    return 0;
}

/* ---- start / stop ----------------------------------------------------------- */

int radar_server_start(radar_server **out, const radar_server_options *o)
{
    *out = NULL;
    int threads = o->threads ? o->threads : DEFAULT_THREADS;
    if (threads < 1 || threads > RADAR_MAX_HTTP_THREADS)
        return radar_error_set(RADAR_EINVALID, "threads must be from 1 to %d", RADAR_MAX_HTTP_THREADS);
    if (!o->db)
        return radar_error_set(RADAR_EINVALID, "no database given");
    radar_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    srv->sock = -1;
    srv->log = o->log;
    srv->log_ctx = o->log_ctx;
    pthread_mutex_init(&srv->lock, NULL);
    int rc;
    if (strlen(o->db) >= sizeof srv->db) {
        rc = radar_error_set(RADAR_ETOOLARGE, "database path too long");
        goto fail;
    }
    strcpy(srv->db, o->db);
    srv->cap_idle = threads;
    srv->idle = calloc((size_t)threads, sizeof *srv->idle);
    if (!srv->idle) {
        rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = radar_lexicon_new_builtin(&srv->lex)))
        goto fail;
    /* open once now: a missing or foreign database is an error at start, not at the first request */
    if ((rc = radar_store_open(&srv->idle[0], srv->db, RADAR_STORE_READONLY, srv->lex)))
        goto fail;
    srv->n_idle = 1;
    if ((rc = listen_on(o->listen ? o->listen : DEFAULT_LISTEN, &srv->sock, &srv->port)))
        goto fail;
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_library_error, srv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->sock,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)RADAR_MAX_HTTP_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RADAR_MAX_HTTP_HEADERS, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        rc = radar_error_set(RADAR_EIO, "the HTTP server did not start (libmicrohttpd refused its options)");
        goto fail;
    }
    *out = srv;
    return 0;
fail:
    radar_server_stop(srv);
    return rc;
}

int radar_server_port(const radar_server *srv) { return srv->port; }

void radar_server_stop(radar_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon); /* waits for its threads; closes the socket */
    else if (srv->sock >= 0)
        close(srv->sock);
    for (int i = 0; i < srv->n_idle; i++)
        radar_store_close(srv->idle[i]);
    free(srv->idle);
    radar_lexicon_free(srv->lex);
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}
