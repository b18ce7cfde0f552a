/*
 * server.c - radar serve on libmicrohttpd: the socket, the threads, and the
 * read-only store connections they use.
 *
 * Threads, in two kinds:
 *  - a small fixed pool of libmicrohttpd threads (epoll), each polling its
 *    share of the connections. They read requests, refuse the bad ones, send
 *    the page's files and answer /api/health, and never wait on a question
 *    of the store: a thread that did would hold up every connection it polls.
 *  - query threads (--threads, default 4), each with its own read-only
 *    connection, answer the rest of the API but searches, and half as many
 *    search threads (at least one) the searches. A request for them is
 *    handed over and its connection suspended until the answer is ready.
 *    Searches have threads of their own, so that costly ones never take the
 *    board's; a search stops at its deadline (RADAR_MAX_SEARCH_MS,
 *    --search-timeout, waiting for a thread included).
 * Priorities (Linux, where each thread has its nice value): the polling
 * threads keep the process's, query threads run at nice QUERY_NICE and
 * search threads at nice SEARCH_NICE. A polling thread's work per request is
 * short, and with the CPUs busy it would otherwise wait its turn behind
 * every question in progress: health checks and refusals come first, then
 * questions, and the CPU a search burns until its deadline goes last. The
 * price: under load, questions also yield to other programs of normal
 * priority, such as an ingest (`nice radar ingest` keeps the board ahead).
 * The pools are fixed, so a crowd of clients costs no more threads nor
 * SQLite connections, and /api/health answers while every query and search
 * thread is busy.
 *
 * Store connections: SQLite connections are not shared between threads. The
 * polling threads borrow one from a small pool (opened on first need) for
 * /api/health and give it back; a query thread opens its own. Connections are
 * read-only; in WAL mode every query sees the last commit of a concurrent
 * `radar ingest`, which never waits for us nor we for it. The pool's lock is
 * held only to take or give back a connection, never during a query.
 *
 * Each request's raw target is kept by the URI callback before the library
 * decodes it, so that request.c parses exactly what the client sent.
 */
#define _DEFAULT_SOURCE /* syscall(SYS_gettid): a thread's own nice value */
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
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "radar/radar.h"
#include "radar/server.h"
#include "http.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 4
#define POLL_THREADS 2
#define QUERY_NICE 5
#define SEARCH_NICE 10
#define CONNECTION_TIMEOUT_S 30
#define LISTEN_BACKLOG 512

/* The page may load its own files and call its own API, nothing else. */
#define PAGE_POLICY                                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "           \
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

typedef struct request_ctx request_ctx;

struct radar_server {
    struct MHD_Daemon *daemon;
    int sock;
    int port;
    char db[4096];
    radar_lexicon *lex;
    radar_server_log_fn log;
    void *log_ctx;
    http_hosts hosts;
    char **allow; /* copies of the --allow-host names */
    int search_ms;
    pthread_mutex_t lock;
    radar_store **idle; /* the polling threads' connections not in use */
    int n_idle, cap_idle;
    /* the query threads and the requests waiting for them */
    pthread_mutex_t qlock;
    pthread_cond_t qcond[2]; /* [1]: work for the search threads */
    pthread_t *workers;
    int n_workers;
    request_ctx *qhead, *qtail;
    int stopping;
};

/* One request: its raw target, the body bytes seen, the store it borrowed,
 * and, while a query thread answers it, the parsed request and the answer. */
struct request_ctx {
    radar_server *srv;
    struct MHD_Connection *conn;
    radar_store *st;
    int started;
    size_t body;
    size_t target_len; /* the full length, even when longer than kept */
    struct timespec t0;
    request_ctx *pending_next; /* in this thread's pending list, until the first call */
    int pending;
    request_ctx *next; /* in the queue */
    struct timespec queued; /* when it was handed over */
    http_request *req; /* owned while queued */
    int search;
    int answered; /* res holds the query thread's answer */
    http_response res;
    char target[RADAR_MAX_HTTP_TARGET + 1];
};

/* The requests of this polling thread whose request line the library has
 * read and whose headers it has not yet handed to on_request (see
 * refuse_content_length). Only the thread that polls a connection touches it. */
static _Thread_local request_ctx *pending;

static void pending_remove(request_ctx *r)
{
    if (!r->pending)
        return;
    for (request_ctx **p = &pending; *p; p = &(*p)->pending_next)
        if (*p == r) {
            *p = r->pending_next;
            break;
        }
    r->pending = 0;
}

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

/* ---- responses ----------------------------------------------------------------- */

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
        radar_http_response_free(res);
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
    if (res->close)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, mr);
    MHD_destroy_response(mr);
    log_request(r->srv, r, method, res->status, res->len);
    return ok;
}

/* ---- the query threads ------------------------------------------------------------ */

typedef struct worker {
    radar_server *srv;
    radar_store *st;
    int search; /* a search thread: takes searches only */
} worker;

static int worker_store(void *ctx, radar_store **out)
{
    worker *w = ctx;
    if (!w->st) {
        int rc = radar_store_open(&w->st, w->srv->db, RADAR_STORE_READONLY, w->srv->lex);
        if (rc)
            return rc;
    }
    *out = w->st;
    return 0;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The first queued request of the kind w takes (under qlock). */
static request_ctx *take_job(radar_server *srv, const worker *w)
{
    for (request_ctx **p = &srv->qhead, *prev = NULL; *p; prev = *p, p = &(*p)->next) {
        request_ctx *r = *p;
        if (r->search != w->search)
            continue;
        *p = r->next;
        if (srv->qtail == r)
            srv->qtail = prev;
        r->next = NULL;
        return r;
    }
    return NULL;
}

/* Answer r and hand its connection back to the library; r may be freed as
 * soon as it is resumed. */
static void run_job(worker *w, request_ctx *r, int stopping)
{
    radar_server *srv = w->srv;
    http_response res = {0};
    long waited = ms_since(&r->queued); /* not since the request line: a slow sender waits for no thread */
    if (stopping) {
        radar_http_error(&res, 503, "the server is stopping");
    } else if (r->search && waited >= srv->search_ms) {
        radar_http_error(&res, 503,
                         "search: too many searches at once; this one waited %ld ms, longer than a search may "
                         "take (%d ms)",
                         waited, srv->search_ms);
    } else {
        r->req->search_ms = r->search ? (int)(srv->search_ms - waited) : 0;
        r->req->search_waited = (int)waited;
        radar_http_route(r->req, worker_store, w, &res);
    }
    free(r->req);
    r->req = NULL;
    r->res = res;
    r->answered = 1;
    MHD_resume_connection(r->conn);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    radar_server *srv = w->srv;
#ifdef __linux__
    /* on Linux a thread has a nice value of its own (a raise needs no privilege) */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), w->search ? SEARCH_NICE : QUERY_NICE);
#endif
    pthread_mutex_lock(&srv->qlock);
    for (;;) {
        request_ctx *r = take_job(srv, w);
        if (!r) {
            if (srv->stopping)
                break;
            pthread_cond_wait(&srv->qcond[w->search], &srv->qlock);
            continue;
        }
        int stopping = srv->stopping;
        pthread_mutex_unlock(&srv->qlock);
        run_job(w, r, stopping);
        pthread_mutex_lock(&srv->qlock);
    }
    pthread_mutex_unlock(&srv->qlock);
    radar_store_close(w->st);
    free(w);
    return NULL;
}

/* Hand r (with req, taken) to the query threads and suspend its connection.
 * Returns 0, or -1 when the server is stopping (req is not taken). */
static int enqueue(radar_server *srv, struct MHD_Connection *c, request_ctx *r, http_request *req)
{
    pthread_mutex_lock(&srv->qlock);
    if (srv->stopping) {
        pthread_mutex_unlock(&srv->qlock);
        return -1;
    }
    r->req = req;
    r->search = req->n_segments == 2 && !strcmp(req->segment[1], "search");
    r->conn = c;
    clock_gettime(CLOCK_MONOTONIC, &r->queued);
    /* suspended before a query thread can see it, and so resume it */
    MHD_suspend_connection(c);
    if (srv->qtail)
        srv->qtail->next = r;
    else
        srv->qhead = r;
    srv->qtail = r;
    pthread_cond_signal(&srv->qcond[r->search]);
    pthread_mutex_unlock(&srv->qlock);
    return 0;
}

/* ---- libmicrohttpd callbacks ------------------------------------------------ */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    request_ctx *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->srv = cls;
    r->conn = c;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->target_len = strlen(uri);
    size_t keep = r->target_len <= RADAR_MAX_HTTP_TARGET ? r->target_len : 0;
    memcpy(r->target, uri, keep);
    r->target[keep] = '\0';
    r->pending = 1;
    r->pending_next = pending;
    pending = r;
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
    (void)c;
    (void)why;
    request_ctx *r = *con_cls;
    if (!r)
        return;
    pending_remove(r);
    store_return(cls, r->st);
    radar_http_response_free(&r->res);
    free(r->req);
    free(r);
    *con_cls = NULL;
}

typedef struct header_count {
    int content_length, conflicting, transfer_encoding, host;
    const char *first;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    header_count *h = cls;
    if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
        if (h->content_length++ && strcmp(h->first, value ? value : ""))
            h->conflicting = 1;
        else
            h->first = value ? value : "";
    } else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        h->transfer_encoding = 1;
    } else if (!strcasecmp(key, MHD_HTTP_HEADER_HOST)) {
        h->host++;
    }
    return MHD_YES;
}

/* The checks made once the headers are in, before a byte of the body is
 * read: who the request is for (Host), its method, a body whose length is
 * told twice or too large, and an Origin of another site. 0, or res filled. */
static int refuse_early(radar_server *srv, struct MHD_Connection *c, const char *method, const char *version,
                        http_response *res)
{
    header_count h = {0, 0, 0, 0, NULL};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &h);
    if (h.host > 1) { /* which one a proxy in front believed is anyone's guess */
        radar_http_error(res, 400, "the request names the server in more than one Host header");
        return -1;
    }
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (radar_http_check_host(&srv->hosts, host, strcmp(version, MHD_HTTP_VERSION_1_0) != 0, res))
        return -1;
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        radar_http_error(res, 405, "method %.20s not allowed: this server only reads (GET, HEAD)", method);
        res->allow = "GET, HEAD";
        return -1;
    }
    /* where such a request ends depends on which header one believes: a
     * second request could hide in its body, so the connection ends too */
    if (h.conflicting || (h.content_length && h.transfer_encoding)) {
        radar_http_error(res, 400, h.conflicting ? "the request gives two different Content-Length headers"
                                           : "the request gives both Content-Length and Transfer-Encoding");
        res->close = 1;
        return -1;
    }
    if (h.first && strtoull(h.first, NULL, 10) > RADAR_MAX_HTTP_BODY) {
        radar_http_error(res, 413, "request bodies over %u bytes are refused (and GET needs none)",
                         RADAR_MAX_HTTP_BODY);
        return -1;
    }
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (radar_http_check_site(&srv->hosts, origin, NULL, NULL, 0, res))
        return -1;
    return 0;
}

/* Answer a complete request: 0 with res filled, or 1 when a query thread
 * will (the connection is suspended meanwhile). */
static int answer(request_ctx *r, struct MHD_Connection *c, const char *method, http_response *res)
{
    radar_server *srv = r->srv;
    http_request *req = malloc(sizeof *req);
    if (!req) {
        radar_http_error(res, 500, "out of memory");
        return 0;
    }
    req->method = method;
    req->search_ms = req->search_waited = 0;
    if (r->target_len > RADAR_MAX_HTTP_TARGET) {
        radar_http_error(res, 413, "the request target is longer than %u bytes", RADAR_MAX_HTTP_TARGET);
    } else if (radar_http_parse_target(req, r->target, r->target_len, res) == 0 &&
               radar_http_check_site(&srv->hosts, NULL,
                                     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site"),
                                     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Mode"),
                                     req->n_segments > 0 && !strcmp(req->segment[0], "api"), res) == 0) {
        if (!radar_http_is_query(req))
            radar_http_route(req, store_borrow, r, res);
        else if (enqueue(srv, c, r, req) == 0)
            return 1;
        else
            radar_http_error(res, 503, "the server is stopping");
    }
    free(req);
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)url; /* decoded by the library: we parse the raw target instead */
    (void)upload_data;
    radar_server *srv = cls;
    request_ctx *r = *con_cls;
    if (!r)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    http_response res = {0};
    if (!r->started) {
        r->started = 1;
        pending_remove(r);
        if (refuse_early(srv, c, method, version, &res))
            return send_response(c, r, method, &res);
        /* answer on the next call, once the request is complete: an answer
         * queued now would make the library close the connection after it */
        return MHD_YES;
    } else if (*upload_data_size) {
        r->body += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->answered) { /* back from a query thread */
        r->answered = 0;
        return send_response(c, r, method, &r->res);
    }
    if (r->body > RADAR_MAX_HTTP_BODY)
        radar_http_error(&res, 413, "request bodies over %u bytes are refused (and GET needs none)",
                         RADAR_MAX_HTTP_BODY);
    else if (answer(r, c, method, &res))
        return MHD_YES;
    return send_response(c, r, method, &res);
}

/* A Content-Length that is no number (-1, "5, 6") or too large is refused by
 * libmicrohttpd 0.9.75 itself, before on_request, and its state machine then
 * builds its error response twice: the client reads two status lines, the
 * first without its body. The library tells nothing but this log line. The
 * request it is about is the one this thread is parsing: the only one of the
 * thread's pending requests whose headers are all in (a thread parses one
 * connection at a time, and hands each to on_request as soon as its headers
 * are in). We answer it ourselves, with our headers, and shut the sending
 * side, so that the library's two copies go nowhere and it closes the
 * connection. Anything else (no such request, or more than one) leaves the
 * library's answer as it is. */
static void refuse_content_length(radar_server *srv, int status)
{
    request_ctx *hit = NULL;
    int n = 0;
    for (request_ctx *r = pending; r; r = r->pending_next)
        if (MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE))
            hit = r, n++;
    const union MHD_ConnectionInfo *fd = hit && n == 1 ? MHD_get_connection_info(hit->conn, MHD_CONNECTION_INFO_CONNECTION_FD) : NULL;
    if (!fd)
        return;
    http_response res = {0};
    if (status == 413)
        radar_http_error(&res, 413, "the request's Content-Length is too large");
    else
        radar_http_error(&res, 400, "the request's Content-Length is not a number of bytes");
    char head[512];
    int hn = snprintf(head, sizeof head,
                      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nX-Content-Type-Options: nosniff\r\n"
                      "Referrer-Policy: no-referrer\r\nCache-Control: no-store\r\nConnection: close\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      status, status == 413 ? "Content Too Large" : "Bad Request", res.content_type, res.len);
    /* a fresh request on an idle connection: the socket's buffer has room */
    if (send(fd->connect_fd, head, (size_t)hn, MSG_NOSIGNAL) == hn && res.body)
        (void)!send(fd->connect_fd, res.body, res.len, MSG_NOSIGNAL);
    shutdown(fd->connect_fd, SHUT_WR);
    log_request(srv, hit, "-", status, res.len);
    radar_http_response_free(&res);
}

static void on_library_error(void *cls, const char *fmt, va_list ap)
{
    radar_server *srv = cls;
    if (!strcmp(fmt, "Failed to parse `Content-Length' header. Closing connection.\n"))
        refuse_content_length(srv, 400);
    else if (!strcmp(fmt, "Too large value of 'Content-Length' header. Closing connection.\n"))
        refuse_content_length(srv, 413);
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

/* Bind "HOST:PORT" ("[V6]:PORT"); the host must be a numeric address.
 * Sets the socket, its port and the host as a Host header writes it. */
static int listen_on(const char *spec, int *sock_out, int *port_out, char *host_out, size_t host_cap)
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
    snprintf(host_out, host_cap, spec[0] == '[' ? "[%s]" : "%s", host);
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
    if (o->search_ms < 0 || o->search_ms > RADAR_MAX_SEARCH_MS)
        return radar_error_set(RADAR_EINVALID, "the search timeout must be from 1 to %d ms", RADAR_MAX_SEARCH_MS);
    if (o->n_allow_hosts < 0 || o->n_allow_hosts > RADAR_MAX_HTTP_ALLOW_HOSTS)
        return radar_error_set(RADAR_EINVALID, "at most %d --allow-host names", RADAR_MAX_HTTP_ALLOW_HOSTS);
    for (int i = 0; i < o->n_allow_hosts; i++)
        if (!radar_http_host_valid(o->allow_hosts[i]))
            return radar_error_set(RADAR_EINVALID,
                                   "allowed host '%.300s': write a name or address as a browser puts it in the "
                                   "address bar, NAME or NAME:PORT ([IPv6]:PORT)",
                                   o->allow_hosts[i]);
    radar_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    srv->sock = -1;
    srv->log = o->log;
    srv->log_ctx = o->log_ctx;
    srv->search_ms = o->search_ms ? o->search_ms : RADAR_MAX_SEARCH_MS;
    pthread_mutex_init(&srv->lock, NULL);
    pthread_mutex_init(&srv->qlock, NULL);
    pthread_cond_init(&srv->qcond[0], NULL);
    pthread_cond_init(&srv->qcond[1], NULL);
    int rc;
    if (strlen(o->db) >= sizeof srv->db) {
        rc = radar_error_set(RADAR_ETOOLARGE, "database path too long");
        goto fail;
    }
    strcpy(srv->db, o->db);
    srv->allow = calloc((size_t)o->n_allow_hosts + 1, sizeof *srv->allow);
    srv->cap_idle = POLL_THREADS;
    srv->idle = calloc(POLL_THREADS, sizeof *srv->idle);
    int searchers = threads / 2 > 0 ? threads / 2 : 1;
    srv->workers = calloc((size_t)(threads + searchers), sizeof *srv->workers);
    if (!srv->allow || !srv->idle || !srv->workers) {
        rc = radar_error_set(RADAR_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < o->n_allow_hosts; i++)
        if (!(srv->allow[i] = strdup(o->allow_hosts[i]))) {
            rc = radar_error_set(RADAR_ENOMEM, "out of memory");
            goto fail;
        }
    srv->hosts.allow = (const char *const *)srv->allow;
    srv->hosts.n_allow = o->n_allow_hosts;
    if ((rc = radar_lexicon_new_builtin(&srv->lex)))
        goto fail;
    /* open once now: a missing or foreign database is an error at start, not at the first request */
    if ((rc = radar_store_open(&srv->idle[0], srv->db, RADAR_STORE_READONLY, srv->lex)))
        goto fail;
    srv->n_idle = 1;
    if ((rc = listen_on(o->listen ? o->listen : DEFAULT_LISTEN, &srv->sock, &srv->port, srv->hosts.listen,
                        sizeof srv->hosts.listen)))
        goto fail;
    srv->hosts.port = srv->port;
    for (; srv->n_workers < threads + searchers; srv->n_workers++) {
        worker *w = calloc(1, sizeof *w);
        if (w)
            w->srv = srv, w->search = srv->n_workers >= threads;
        if (!w || pthread_create(&srv->workers[srv->n_workers], NULL, worker_main, w)) {
            free(w);
            rc = radar_error_set(RADAR_EIO, "cannot start a query thread");
            goto fail;
        }
    }
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_library_error, srv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->sock,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)POLL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
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
    /* the query threads answer what waits for them (503) and end, so that no
     * connection is left suspended: the library cannot stop with one */
    pthread_mutex_lock(&srv->qlock);
    srv->stopping = 1;
    pthread_cond_broadcast(&srv->qcond[0]);
    pthread_cond_broadcast(&srv->qcond[1]);
    pthread_mutex_unlock(&srv->qlock);
    for (int i = 0; i < srv->n_workers; i++)
        pthread_join(srv->workers[i], NULL);
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon); /* waits for its threads; closes the socket */
    else if (srv->sock >= 0)
        close(srv->sock);
    for (int i = 0; i < srv->n_idle; i++)
        radar_store_close(srv->idle[i]);
    free(srv->idle);
    free(srv->workers);
    for (int i = 0; srv->allow && srv->allow[i]; i++)
        free(srv->allow[i]);
    free(srv->allow);
    radar_lexicon_free(srv->lex);
    pthread_mutex_destroy(&srv->lock);
    pthread_mutex_destroy(&srv->qlock);
    pthread_cond_destroy(&srv->qcond[0]);
    pthread_cond_destroy(&srv->qcond[1]);
    free(srv);
}
