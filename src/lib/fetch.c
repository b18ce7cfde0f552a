/*
 * fetch.c - HTTP(S) GET with libcurl, bounded in time, size and redirects.
 *
 * The size limit is enforced twice: CURLOPT_MAXFILESIZE refuses a response
 * whose Content-Length is over it before a byte of the body is read, and the
 * write callback refuses one that grows past it without saying (chunked, or
 * compressed: the limit applies to the decoded bytes, so a small gzip bomb is
 * refused too). Validators are taken from the last response of a redirect
 * chain only. The address policy is enforced where each socket is opened
 * (CURLOPT_OPENSOCKETFUNCTION): after name resolution and for every hop of a
 * redirect chain, the address about to be connected to is checked, so a
 * name that resolves to 127.0.0.1 or a redirect to 169.254.169.254 is
 * refused before a byte is sent.
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/error.h"
#include "radar/fetch.h"
#include "radar/version.h"

/* libcurl is opened on first use rather than linked: it brings some thirty
 * libraries (TLS, Kerberos, LDAP, SSH...) whose loading would add about 3 ms
 * to every radar command, and only feeds fetch anything. */
typedef struct curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *c, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
    CURLcode (*easy_perform)(CURL *c);
    void (*easy_cleanup)(CURL *c);
    const char *(*easy_strerror)(CURLcode rc);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} curl_api;
static curl_api lc;
static char lc_error[512]; /* why libcurl cannot be used, or empty */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(lc_error, sizeof lc_error, "cannot load libcurl (install the Debian package libcurl4): %s",
                 dlerror());
        return;
    }
    static const struct {
        const char *name;
        size_t offset;
    } syms[] = {
        {"curl_global_init", offsetof(curl_api, global_init)},
        {"curl_easy_init", offsetof(curl_api, easy_init)},
        {"curl_easy_setopt", offsetof(curl_api, easy_setopt)},
        {"curl_easy_getinfo", offsetof(curl_api, easy_getinfo)},
        {"curl_easy_perform", offsetof(curl_api, easy_perform)},
        {"curl_easy_cleanup", offsetof(curl_api, easy_cleanup)},
        {"curl_easy_strerror", offsetof(curl_api, easy_strerror)},
        {"curl_slist_append", offsetof(curl_api, slist_append)},
        {"curl_slist_free_all", offsetof(curl_api, slist_free_all)},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        void *f = dlsym(h, syms[i].name);
        if (!f) {
            snprintf(lc_error, sizeof lc_error, "libcurl.so.4 lacks %s: too old a libcurl", syms[i].name);
            return;
        }
        /* POSIX: a function's address round-trips through void * */
        memcpy((char *)&lc + syms[i].offset, &f, sizeof f);
    }
    CURLcode rc = lc.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        snprintf(lc_error, sizeof lc_error, "cannot start libcurl: %s", lc.easy_strerror(rc));
}

typedef struct transfer {
    radar_response *r;
    size_t max;
    int too_large;
    size_t decoded; /* bytes decoded when too_large was set */
    volatile sig_atomic_t *stop;
    int allow_private;
    char refused[64]; /* an address not connected to, by policy */
} transfer;

/* Not a public IPv4 address (host byte order). */
static int private_v4(uint32_t a)
{
    static const struct {
        uint32_t net;
        int bits;
    } ranges[] = {
        {0x00000000u, 8},  /* 0.0.0.0/8 "this network" */
        {0x0A000000u, 8},  /* 10/8 private */
        {0x64400000u, 10}, /* 100.64/10 shared (carrier-grade NAT) */
        {0x7F000000u, 8},  /* 127/8 loopback */
        {0xA9FE0000u, 16}, /* 169.254/16 link-local, cloud metadata */
        {0xAC100000u, 12}, /* 172.16/12 private */
        {0xC0000000u, 24}, /* 192.0.0/24 protocol assignments */
        {0xC0A80000u, 16}, /* 192.168/16 private */
        {0xC6120000u, 15}, /* 198.18/15 benchmarking */
        {0xE0000000u, 4},  /* 224/4 multicast */
        {0xF0000000u, 4},  /* 240/4 reserved, broadcast */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        if ((a >> (32 - ranges[i].bits)) == (ranges[i].net >> (32 - ranges[i].bits)))
            return 1;
    return 0;
}

static uint32_t v4_at(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Not a public IPv6 address, nor one that carries a private IPv4 one. */
static int private_v6(const unsigned char *b)
{
    static const unsigned char zero[12] = {0}, mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF},
                               nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!memcmp(b, zero, 12)) /* ::/96: unspecified, loopback, IPv4-compatible */
        return 1;
    if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12)) /* ::ffff:a.b.c.d, 64:ff9b::a.b.c.d */
        return private_v4(v4_at(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) /* 2002::/16 6to4 */
        return private_v4(v4_at(b + 2));
    if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0 && b[5] == 1) /* 64:ff9b:1::/48 */
        return 1;
    if (b[0] == 0x01 && b[1] == 0 && !memcmp(b + 2, zero, 6)) /* 100::/64 discard */
        return 1;
    return (b[0] & 0xFE) == 0xFC          /* fc00::/7 unique local */
           || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 link-local */
           || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) /* fec0::/10 site-local */
           || b[0] == 0xFF;                           /* ff00::/8 multicast */
}

int radar_fetch_address_private(const char *ip)
{
    unsigned char b[16];
    if (inet_pton(AF_INET, ip, b) == 1)
        return private_v4(v4_at(b));
    if (inet_pton(AF_INET6, ip, b) == 1)
        return private_v6(b);
    return -1;
}

/* Every connection's socket: refused (with the address kept for the
 * message) when it would reach a private address that is not allowed. */
static curl_socket_t open_socket(void *user, curlsocktype purpose, struct curl_sockaddr *a)
{
    transfer *t = user;
    const struct sockaddr *sa = &a->addr;
    int private = 0;
    char text[INET6_ADDRSTRLEN] = "?";
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        private = private_v4(ntohl(in->sin_addr.s_addr));
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        private = private_v6(in6->sin6_addr.s6_addr);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    } else {
        private = 1; /* no other family is an internet address */
    }
    if (purpose == CURLSOCKTYPE_IPCXN && private && !t->allow_private) {
        snprintf(t->refused, sizeof t->refused, "%s", text);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    transfer *t = user;
    size_t len = size * n;
    if (t->r->body.len + len > t->max) {
        t->too_large = 1;
        t->decoded = t->r->body.len + len;
        return 0; /* abandons the transfer */
    }
    return radar_buf_append(&t->r->body, data, len) ? 0 : len;
}

/* A header value, trimmed, as a new string. */
static char *header_value(const char *v, size_t len)
{
    while (len && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
        len--;
    if (len == 0 || len > 1024)
        return NULL;
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, v, len);
        c[len] = '\0';
    }
    return c;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
    transfer *t = user;
    size_t len = size * n;
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) { /* a new response of a redirect chain */
        free(t->r->etag);
        free(t->r->last_modified);
        t->r->etag = t->r->last_modified = NULL;
    } else if (len > 5 && strncasecmp(data, "etag:", 5) == 0) {
        free(t->r->etag);
        t->r->etag = header_value(data + 5, len - 5);
    } else if (len > 14 && strncasecmp(data, "last-modified:", 14) == 0) {
        free(t->r->last_modified);
        t->r->last_modified = header_value(data + 14, len - 14);
    }
    return len;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    transfer *t = user;
    return t->stop && *t->stop ? 1 : 0;
}

/* A request's body (a POST), or NULL for a GET. */
typedef struct post_body {
    const char *content_type, *data;
    size_t len;
} post_body;

static int request(radar_response *out, const char *url, const radar_fetch_options *opts, const post_body *post)
{
    memset(out, 0, sizeof *out);
    radar_fetch_options def = RADAR_FETCH_OPTIONS_INIT;
    const radar_fetch_options *o = opts ? opts : &def;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return radar_error_set(RADAR_EINVALID, "%s: not an http:// or https:// address", url);
    pthread_once(&curl_once, init_curl);
    if (lc_error[0])
        return radar_error_set(RADAR_EIO, "%s", lc_error);
    CURL *c = lc.easy_init();
    if (!c)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    transfer t = {out, o->max_bytes ? o->max_bytes : RADAR_MAX_FETCH_BYTES, 0, 0, o->stop, o->allow_private, ""};
    out->body.max = t.max;
    struct curl_slist *headers = NULL;
    char h[1200];
    if (o->etag) {
        snprintf(h, sizeof h, "If-None-Match: %s", o->etag);
        headers = lc.slist_append(headers, h);
    }
    if (o->last_modified) {
        snprintf(h, sizeof h, "If-Modified-Since: %s", o->last_modified);
        headers = lc.slist_append(headers, h);
    }
    if (post) {
        snprintf(h, sizeof h, "Content-Type: %s", post->content_type);
        headers = lc.slist_append(headers, h);
        headers = lc.slist_append(headers, "Expect:"); /* no 100-continue round trip */
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    lc.easy_setopt(c, CURLOPT_URL, url);
    lc.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    lc.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    lc.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    lc.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    /* a POST is not repeated elsewhere: a redirect is an answer like another */
    lc.easy_setopt(c, CURLOPT_FOLLOWLOCATION, post ? 0L : 1L);
    if (post) {
        lc.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)post->len);
        lc.easy_setopt(c, CURLOPT_POSTFIELDS, post->data);
    }
    lc.easy_setopt(c, CURLOPT_MAXREDIRS, (long)o->max_redirects);
    lc.easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 30000L);
    lc.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t.max);
    lc.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    lc.easy_setopt(c, CURLOPT_USERAGENT, "transfer-radar/" RADAR_VERSION);
    lc.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    lc.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    lc.easy_setopt(c, CURLOPT_WRITEDATA, &t);
    lc.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    lc.easy_setopt(c, CURLOPT_HEADERDATA, &t);
    lc.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    lc.easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    lc.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    lc.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    lc.easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
    CURLcode cc = lc.easy_perform(c);
    long status = 0;
    lc.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    char *final = NULL;
    lc.easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final);
    out->url = final ? strdup(final) : NULL;
    char *ctype = NULL;
    lc.easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
    const char *cs = ctype ? strcasestr(ctype, "charset=") : NULL;
    if (cs) {
        cs += 8;
        cs += *cs == '"';
        size_t n = strcspn(cs, "\"; ");
        if (n && n < 64)
            out->charset = strndup(cs, n);
    }
    out->status = status;
    char *ip = NULL;
    lc.easy_getinfo(c, CURLINFO_PRIMARY_IP, &ip);
    if (ip && *ip) {
        snprintf(out->address, sizeof out->address, "%s", ip);
        out->private_address = radar_fetch_address_private(ip) != 0;
    }
    int rc = 0;
    double seconds = (o->timeout_ms > 0 ? o->timeout_ms : 30000L) / 1000.0;
    unsigned max_mib = (unsigned)(t.max >> 20);
    if (t.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
        curl_off_t declared = -1;
        lc.easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
        if (t.too_large && declared > 0 && (size_t)declared <= t.max)
            /* compressed (a gzip bomb): the declared length is what was
             * sent, the limit is on what it decodes to */
            rc = radar_error_set(RADAR_ETOOLARGE,
                                 "%s: response over the %u MiB limit once decompressed (%zu bytes decoded when "
                                 "refused, from %lld bytes as sent); refused",
                                 url, max_mib, t.decoded, (long long)declared);
        else if (declared > 0)
            rc = radar_error_set(RADAR_ETOOLARGE, "%s: response of %lld bytes is over the %u MiB limit; refused", url,
                                 (long long)declared, max_mib);
        else
            rc = radar_error_set(RADAR_ETOOLARGE, "%s: response over the %u MiB limit; refused", url, max_mib);
    } else if (cc != CURLE_OK && t.refused[0]) {
        snprintf(out->address, sizeof out->address, "%s", t.refused);
        out->private_address = 1;
        long hops = 0;
        lc.easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &hops);
        const char *at = hops > 0 && final ? final : NULL; /* reached by a redirect */
        rc = radar_error_set(RADAR_EINVALID, "%s: %s is a loopback, private or link-local address%s%s%s; not fetched",
                             url, t.refused, at ? " (where it redirects: " : "", at ? at : "", at ? ")" : "");
    } else if (cc == CURLE_ABORTED_BY_CALLBACK) {
        rc = radar_error_set(RADAR_EIO, "%s: interrupted", url);
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        rc = radar_error_set(RADAR_EIO, "%s: no complete answer within %.3g s (timed out)", url, seconds);
    } else if (cc == CURLE_TOO_MANY_REDIRECTS) {
        rc = radar_error_set(RADAR_EIO, "%s: more than %d redirects; gave up", url, o->max_redirects);
    } else if (cc != CURLE_OK) {
        rc = radar_error_set(RADAR_EIO, "%s: %s", url, errbuf[0] ? errbuf : lc.easy_strerror(cc));
    } else if (post ? (status < 200 || status > 299) : (status != 200 && status != 304)) {
        rc = radar_error_set(RADAR_EIO, "%s: the server answered HTTP %ld", url, status);
    }
    lc.slist_free_all(headers);
    lc.easy_cleanup(c);
    return rc;
}

int radar_fetch(radar_response *out, const char *url, const radar_fetch_options *opts)
{
    return request(out, url, opts, NULL);
}

int radar_fetch_post(radar_response *out, const char *url, const char *content_type, const char *body, size_t len,
                     const radar_fetch_options *opts)
{
    post_body p = {content_type, body, len};
    return request(out, url, opts, &p);
}

void radar_response_free(radar_response *r)
{
    if (!r)
        return;
    radar_buf_free(&r->body);
    free(r->etag);
    free(r->last_modified);
    free(r->charset);
    free(r->url);
    memset(r, 0, sizeof *r);
}
