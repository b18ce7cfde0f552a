/*
 * request.c - request targets taken apart, responses put together, and who
 * is asking (Host, Origin, Sec-Fetch-*). The routing is in route.c.
 *
 * The target is parsed from the raw bytes the client sent, not from a copy the
 * HTTP library decoded already: a percent-encoded NUL would otherwise cut a
 * name short without anyone noticing. Decoding happens per path segment, so
 * "%2F" inside a name stays part of the name, and "%2e%2e" is a ".." segment
 * like any other and refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "http.h"

void radar_http_response_free(http_response *res)
{
    if (res->body && !res->borrowed)
        free(res->body);
    memset(res, 0, sizeof *res);
}

void radar_http_error(http_response *res, int status, const char *fmt, ...)
{
    char msg[1200]; /* room for a message quoting a 512-byte name */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    radar_http_response_free(res);
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    json_t *j = json_pack("{s:s}", "error", msg);
    /* a message cut inside a UTF-8 sequence is not a JSON string: say less */
    if (!j)
        j = json_pack("{s:s}", "error", "request refused");
    res->body = j ? json_dumps(j, JSON_COMPACT | HTTP_JSON_REAL) : NULL;
    json_decref(j);
    res->len = res->body ? strlen(res->body) : 0;
}

void radar_http_json(http_response *res, json_t *j)
{
    radar_http_response_free(res);
    char *s = j ? json_dumps(j, JSON_COMPACT | HTTP_JSON_REAL) : NULL;
    json_decref(j);
    if (!s) {
        radar_http_error(res, 500, "out of memory");
        return;
    }
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res->body = s;
    res->len = strlen(s);
}

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode src[0..n) into out (room for n + 1 bytes), NUL-terminated. Returns
 * the decoded length, or -1 with res filled. */
static long decode(const char *src, size_t n, int plus_is_space, char *out, http_response *res)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '%') {
            if (i + 2 >= n || hex(src[i + 1]) < 0 || hex(src[i + 2]) < 0) {
                radar_http_error(res, 400, "malformed percent-encoding in the request");
                return -1;
            }
            c = (unsigned char)(hex(src[i + 1]) * 16 + hex(src[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f) {
            radar_http_error(res, 400, "control characters (such as %%00) are not allowed in the request");
            return -1;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    /* UTF-8 only: names and queries go on to the store as text */
    utf8proc_ssize_t used = 0;
    while ((size_t)used < o) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)out + used, (utf8proc_ssize_t)(o - used), &cp);
        if (k <= 0 || (cp >= 0x80 && cp < 0xA0)) {
            radar_http_error(res, 400, "the request is not valid UTF-8 text");
            return -1;
        }
        used += k;
    }
    if (o > RADAR_MAX_HTTP_VALUE) {
        radar_http_error(res, 413, "a name or parameter in the request is longer than %u bytes",
                         RADAR_MAX_HTTP_VALUE);
        return -1;
    }
    return (long)o;
}

int radar_http_parse_target(http_request *req, const char *target, size_t len, http_response *res)
{
    req->n_segments = 0;
    req->n_params = 0;
    if (len > RADAR_MAX_HTTP_TARGET) {
        radar_http_error(res, 413, "the request target is longer than %u bytes", RADAR_MAX_HTTP_TARGET);
        return 413;
    }
    if (len == 0 || target[0] != '/') {
        radar_http_error(res, 400, "the request target must be a path starting with '/'");
        return 400;
    }
    const char *q = memchr(target, '?', len);
    size_t plen = q ? (size_t)(q - target) : len;
    const char *frag = memchr(target, '#', len);
    if (frag) {
        radar_http_error(res, 400, "a fragment ('#') does not belong in a request");
        return 400;
    }
    /* the decoded strings are never longer than their encoded form, and each
     * takes the place of its separator: buf (len + 2 bytes) always holds them */
    char *w = req->buf;
    size_t i = 1;
    while (i <= plen) {
        size_t j = i;
        while (j < plen && target[j] != '/')
            j++;
        if (j == i && j == plen && req->n_segments == 0)
            break; /* "/" alone */
        if (req->n_segments == RADAR_MAX_HTTP_SEGMENTS) {
            radar_http_error(res, 404, "no such path");
            return 404;
        }
        long n = decode(target + i, j - i, 0, w, res);
        if (n < 0)
            return res->status;
        if (!strcmp(w, ".") || !strcmp(w, "..")) {
            radar_http_error(res, 400, "'.' and '..' are not allowed in a path");
            return 400;
        }
        req->segment[req->n_segments++] = w;
        w += n + 1;
        i = j + 1;
    }
    if (!q)
        return 0;
    const char *p = q + 1, *end = target + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *e = amp ? amp : end;
        if (e > p) { /* "a=1&&b=2": an empty pair is nothing */
            if (req->n_params == RADAR_MAX_HTTP_PARAMS) {
                radar_http_error(res, 413, "more than %d query parameters", RADAR_MAX_HTTP_PARAMS);
                return 413;
            }
            const char *eq = memchr(p, '=', (size_t)(e - p));
            const char *ne = eq ? eq : e;
            long n = decode(p, (size_t)(ne - p), 1, w, res);
            if (n < 0)
                return res->status;
            const char *name = w;
            w += n + 1;
            const char *value = "";
            if (eq) {
                n = decode(eq + 1, (size_t)(e - eq - 1), 1, w, res);
                if (n < 0)
                    return res->status;
                value = w;
                w += n + 1;
            }
            for (int k = 0; k < req->n_params; k++)
                if (!strcmp(req->param[k].name, name)) {
                    radar_http_error(res, 400, "the parameter '%s' is given twice", name);
                    return 400;
                }
            req->param[req->n_params].name = name;
            req->param[req->n_params].value = value;
            req->n_params++;
        }
        p = e + 1;
    }
    return 0;
}

const char *radar_http_param(const http_request *req, const char *name)
{
    for (int k = 0; k < req->n_params; k++)
        if (!strcmp(req->param[k].name, name))
            return *req->param[k].value ? req->param[k].value : NULL;
    return NULL;
}

/* ---- who is asking: the Host, Origin and Sec-Fetch-* headers ------------------- */

/* A host as the Host header or an Origin writes it: a name (a bracketed
 * IPv6 address included) and a port, `dflt` when none is written. */
typedef struct host_name {
    const char *name;
    size_t len;
    long port;
    int has_port;
} host_name;

/* Split "NAME[:PORT]" or "[V6][:PORT]"; -1 when it is no such thing. */
static int host_split(const char *s, size_t n, long dflt, host_name *out)
{
    const char *colon = NULL;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return -1;
        if ((size_t)(close + 1 - s) < n) {
            if (close[1] != ':')
                return -1;
            colon = close + 1;
        }
    } else {
        colon = memchr(s, ':', n);
    }
    out->name = s;
    out->len = colon ? (size_t)(colon - s) : n;
    out->port = dflt;
    out->has_port = colon != NULL;
    if (out->len == 0 || out->len > RADAR_MAX_HTTP_HOST_NAME)
        return -1;
    for (size_t i = 0; i < out->len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == '/' || s[i] == '@' || (unsigned char)s[i] >= 0x7f)
            return -1;
    if (colon) {
        const char *p = colon + 1, *end = s + n;
        if (p == end || end - p > 5)
            return -1;
        long port = 0;
        for (; p < end; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            port = port * 10 + (*p - '0');
        }
        if (port > 65535)
            return -1;
        out->port = port;
    }
    return 0;
}

static int same_name(const host_name *a, const char *b, size_t blen)
{
    if (a->len != blen)
        return 0;
    for (size_t i = 0; i < blen; i++) {
        char x = a->name[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

/* Is hn one of h's names? */
static int host_known(const http_hosts *h, const host_name *hn)
{
    static const char *const loopback[] = {"localhost", "127.0.0.1", "[::1]"};
    if (hn->port == h->port) {
        for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++)
            if (same_name(hn, loopback[i], strlen(loopback[i])))
                return 1;
        if (*h->listen && same_name(hn, h->listen, strlen(h->listen)))
            return 1;
    }
    for (int i = 0; i < h->n_allow; i++) {
        host_name a;
        /* NAME alone: any port (a proxy in front may use another) */
        if (host_split(h->allow[i], strlen(h->allow[i]), -1, &a) == 0 && same_name(hn, a.name, a.len) &&
            (!a.has_port || a.port == hn->port))
            return 1;
    }
    return 0;
}

/* The names h answers to, for a message: "127.0.0.1:8080, localhost:8080, [::1]:8080". */
static void host_list(const http_hosts *h, char *out, size_t cap)
{
    int n = snprintf(out, cap, "localhost:%d, 127.0.0.1:%d, [::1]:%d", h->port, h->port, h->port);
    if (*h->listen && strcmp(h->listen, "127.0.0.1") && strcmp(h->listen, "[::1]") && n > 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, ", %s:%d", h->listen, h->port);
    for (int i = 0; i < h->n_allow && n > 0 && (size_t)n < cap; i++)
        n += snprintf(out + n, cap - (size_t)n, ", %s", h->allow[i]);
}

int radar_http_check_host(const http_hosts *h, const char *host, int required, http_response *res)
{
    if (!host) {
        if (!required)
            return 0;
        radar_http_error(res, 400, "an HTTP/1.1 request must name the server in a Host header");
        return 400;
    }
    host_name hn;
    if (host_split(host, strlen(host), 80, &hn) == 0 && host_known(h, &hn))
        return 0;
    char names[600];
    host_list(h, names, sizeof names);
    radar_http_error(res, 421,
                     "this server does not answer to the host '%.100s': it answers to %s (radar serve "
                     "--allow-host NAME adds a name)",
                     host, names);
    return 421;
}

int radar_http_check_site(const http_hosts *h, const char *origin, const char *fetch_site, const char *fetch_mode,
                          int api, http_response *res)
{
    if (origin) {
        /* "http://NAME[:PORT]" or "https://...", nothing after: a page's origin */
        host_name hn;
        size_t skip = !strncmp(origin, "http://", 7) ? 7 : !strncmp(origin, "https://", 8) ? 8 : 0;
        if (!skip || host_split(origin + skip, strlen(origin + skip), skip == 7 ? 80 : 443, &hn) ||
            !host_known(h, &hn)) {
            radar_http_error(res, 403,
                             "requests from the pages of another site are refused (Origin: %.100s); open the "
                             "board at http://localhost:%d/ instead",
                             origin, h->port);
            return 403;
        }
    }
    if (fetch_site && !strcmp(fetch_site, "cross-site") && (api || !fetch_mode || strcmp(fetch_mode, "navigate"))) {
        radar_http_error(res, 403,
                         "requests from the pages of another site are refused (Sec-Fetch-Site: cross-site); "
                         "open the board at http://localhost:%d/ instead",
                         h->port);
        return 403;
    }
    return 0;
}

int radar_http_host_valid(const char *s)
{
    host_name hn;
    return host_split(s, strlen(s), -1, &hn) == 0;
}

int radar_http_is_query(const http_request *req)
{
    if (req->n_segments > 0 && !strcmp(req->segment[0], "feeds"))
        return 1;
    return req->n_segments > 0 && !strcmp(req->segment[0], "api") &&
           !(req->n_segments == 2 && !strcmp(req->segment[1], "health"));
}
