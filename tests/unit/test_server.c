/*
 * test_server.c - the server's request parsing and routing, without a socket
 * (src/server/http.h): how targets are split and decoded, which are refused
 * and with which status, the routes that need no store, which Host headers
 * and which requests from other sites' pages are refused, and which routes go
 * to the query threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/radar.h"
#include "http.h"

static http_request *req_new(void)
{
    http_request *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->method = "GET";
    return r;
}

/* parse TARGET: the status (0 = accepted) */
static int parse(http_request *r, const char *target, http_response *res)
{
    radar_http_response_free(res);
    return radar_http_parse_target(r, target, strlen(target), res);
}

/* the JSON error message of res */
static const char *error_of(http_response *res, char *buf, size_t cap)
{
    json_t *j = json_loadb(res->body, res->len, 0, NULL);
    assert_non_null(j);
    snprintf(buf, cap, "%s", json_string_value(json_object_get(j, "error")));
    json_decref(j);
    return buf;
}

static void test_split_and_decode(void **state)
{
    (void)state;
    http_request *r = req_new();
    http_response res = {0};
    assert_int_equal(parse(r, "/", &res), 0);
    assert_int_equal(r->n_segments, 0);
    assert_int_equal(parse(r, "/api/stories/12", &res), 0);
    assert_int_equal(r->n_segments, 3);
    assert_string_equal(r->segment[0], "api");
    assert_string_equal(r->segment[2], "12");
    /* percent-decoding per segment: %2F stays inside its name */
    assert_int_equal(parse(r, "/api/players/J%C3%BCrgen%20M%C3%BCller", &res), 0);
    assert_string_equal(r->segment[2], "Jürgen Müller");
    assert_int_equal(parse(r, "/api/clubs/A%2FB", &res), 0);
    assert_int_equal(r->n_segments, 3);
    assert_string_equal(r->segment[2], "A/B");
    /* the query: '+' is a space, empty pairs are nothing, empty values are absent */
    assert_int_equal(parse(r, "/api/stories?club=Real+Madrid&&player=&sort=recent&flag", &res), 0);
    assert_int_equal(r->n_params, 4);
    assert_string_equal(radar_http_param(r, "club"), "Real Madrid");
    assert_null(radar_http_param(r, "player"));
    assert_null(radar_http_param(r, "flag"));
    assert_string_equal(radar_http_param(r, "sort"), "recent");
    assert_null(radar_http_param(r, "none"));
    assert_int_equal(parse(r, "/api/search?q=%22personal+terms%22", &res), 0);
    assert_string_equal(radar_http_param(r, "q"), "\"personal terms\"");
    radar_http_response_free(&res);
    free(r);
}

static void test_refusals(void **state)
{
    (void)state;
    http_request *r = req_new();
    http_response res = {0};
    char msg[600];
    static const struct {
        const char *target;
        int status;
        const char *says;
    } cases[] = {
        {"", 400, "starting with '/'"},
        {"api/stories", 400, "starting with '/'"},
        {"http://example.org/api/health", 400, "starting with '/'"},
        {"/api/../etc/passwd", 400, "'..'"},
        {"/api/./stories", 400, "'.'"},
        {"/api/players/%2e%2e", 400, "'..'"},
        {"/api/players/%2E%2E/x", 400, "'..'"},
        {"/api/players/x%00y", 400, "%00"},
        {"/api/stories?club=x%00", 400, "%00"},
        {"/api/stories?club%00=x", 400, "%00"},
        {"/api/players/a%0Ab", 400, "control"},
        {"/api/players/a%7fb", 400, "control"},
        {"/api/players/%zz", 400, "percent-encoding"},
        {"/api/players/%4", 400, "percent-encoding"},
        {"/api/players/%", 400, "percent-encoding"},
        {"/api/players/%ff%fe", 400, "UTF-8"},
        {"/api/players/%C3", 400, "UTF-8"},
        {"/api/players/%C2%85", 400, "UTF-8"}, /* a C1 control character */
        {"/api/stories?club=a&club=b", 400, "twice"},
        {"/api/stories#top", 400, "fragment"},
        {"/a/b/c/d/e/f/g/h/i", 404, "no such path"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int st = parse(r, cases[i].target, &res);
        if (st != cases[i].status)
            fail_msg("'%s': status %d, expected %d", cases[i].target, st, cases[i].status);
        assert_int_equal(res.status, cases[i].status);
        assert_string_equal(res.content_type, "application/json; charset=utf-8");
        if (!strstr(error_of(&res, msg, sizeof msg), cases[i].says))
            fail_msg("'%s': message '%s' should say '%s'", cases[i].target, msg, cases[i].says);
    }
    radar_http_response_free(&res);
    free(r);
}

static void test_limits(void **state)
{
    (void)state;
    http_request *r = req_new();
    http_response res = {0};
    char *t = malloc(RADAR_MAX_HTTP_TARGET + 64);
    assert_non_null(t);
    /* a target over the limit */
    memset(t, 'a', RADAR_MAX_HTTP_TARGET + 10);
    t[0] = '/';
    t[RADAR_MAX_HTTP_TARGET + 10] = '\0';
    assert_int_equal(parse(r, t, &res), 413);
    /* one value over its limit, the target within */
    strcpy(t, "/api/search?q=");
    size_t n = strlen(t);
    memset(t + n, 'b', RADAR_MAX_HTTP_VALUE + 1);
    t[n + RADAR_MAX_HTTP_VALUE + 1] = '\0';
    assert_int_equal(parse(r, t, &res), 413);
    t[n + RADAR_MAX_HTTP_VALUE] = '\0'; /* exactly the limit: fine */
    assert_int_equal(parse(r, t, &res), 0);
    /* escapes decode to less than they take: a target of escapes fits buf */
    strcpy(t, "/api/search?q=");
    n = strlen(t);
    for (size_t i = 0; i + 3 <= RADAR_MAX_HTTP_VALUE * 3 && n + 3 < RADAR_MAX_HTTP_TARGET; i += 3, n += 3)
        memcpy(t + n, "%41", 3);
    t[n] = '\0';
    assert_int_equal(parse(r, t, &res), 0);
    assert_int_equal(strlen(radar_http_param(r, "q")), RADAR_MAX_HTTP_VALUE);
    /* a full target of one-byte pairs: every separator becomes a NUL, still in buf */
    strcpy(t, "/?");
    n = 2;
    while (n + 2 <= RADAR_MAX_HTTP_TARGET)
        t[n++] = 'x', t[n++] = '&';
    t[n] = '\0';
    assert_int_equal(parse(r, t, &res), 400); /* x given twice */
    /* too many parameters */
    strcpy(t, "/api/stories?");
    for (int i = 0; i <= RADAR_MAX_HTTP_PARAMS; i++)
        sprintf(t + strlen(t), "p%d=1&", i);
    assert_int_equal(parse(r, t, &res), 413);
    free(t);
    radar_http_response_free(&res);
    free(r);
}

static int no_store(void *ctx, radar_store **out)
{
    (void)out;
    (*(int *)ctx)++;
    return radar_error_set(RADAR_EIO, "the disk went away");
}

static void test_routes(void **state)
{
    (void)state;
    http_request *r = req_new();
    http_response res = {0};
    int opened = 0;
    char msg[600];
    /* the page */
    assert_int_equal(parse(r, "/", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.content_type, "text/html; charset=utf-8");
    assert_true(res.page && res.borrowed);
    assert_non_null(strstr(res.body, "app.js")); /* built-in files end in a NUL */
    assert_int_equal(parse(r, "/app.js", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.content_type, "text/javascript; charset=utf-8");
    assert_int_equal(parse(r, "/style.css?v=2", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_string_equal(res.content_type, "text/css; charset=utf-8");
    assert_int_equal(parse(r, "/nothing.html", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_int_equal(res.status, 404);
    assert_int_equal(parse(r, "/app.js/x", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_int_equal(res.status, 404);
    /* unknown endpoints are 404 without opening the store */
    const char *nowhere[] = {"/api", "/api/", "/api/storie", "/api/stories/1/x", "/api/players", "/api/players/"};
    for (size_t i = 0; i < sizeof nowhere / sizeof *nowhere; i++) {
        assert_int_equal(parse(r, nowhere[i], &res), 0);
        radar_http_route(r, no_store, &opened, &res);
        if (res.status != 404)
            fail_msg("%s: status %d", nowhere[i], res.status);
    }
    assert_int_equal(opened, 0);
    /* the 404 names every endpoint there is */
    assert_int_equal(parse(r, "/api/storie", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    const char *listed[] = {"/api/stories,", "/api/stories/ID", "/api/players/NAME", "/api/clubs/NAME",
                            "/api/sources,", "/api/sources/NAME", "/api/outcomes", "/api/search?q=",
                            "/api/articles/ID", "/api/health"};
    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++)
        if (!strstr(error_of(&res, msg, sizeof msg), listed[i]))
            fail_msg("the 404 omits %s: %s", listed[i], msg);
    /* other methods */
    r->method = "POST";
    assert_int_equal(parse(r, "/api/stories", &res), 0);
    radar_http_route(r, no_store, &opened, &res);
    assert_int_equal(res.status, 405);
    assert_string_equal(res.allow, "GET, HEAD");
    r->method = "HEAD";
    radar_http_route(r, no_store, &opened, &res);
    /* a store that cannot be opened: 500 with the reason */
    assert_int_equal(res.status, 500);
    assert_non_null(strstr(error_of(&res, msg, sizeof msg), "the disk went away"));
    assert_int_equal(opened, 1);
    radar_http_response_free(&res);
    free(r);
}

static void test_host(void **state)
{
    (void)state;
    static const char *const allow[] = {"radar.example", "other.example:81", "[fd00::1]:8080"};
    http_hosts h = {8080, "127.0.0.1", allow, 3};
    http_response res = {0};
    char msg[800];
    static const struct {
        const char *host;
        int status;
    } cases[] = {
        {"127.0.0.1:8080", 0},
        {"localhost:8080", 0},
        {"LOCALHOST:8080", 0},
        {"[::1]:8080", 0},
        {"radar.example", 0},           /* a name alone: any port */
        {"radar.example:9999", 0},
        {"Radar.Example:8080", 0},
        {"other.example:81", 0},
        {"[fd00::1]:8080", 0},
        {"localhost", 421},             /* port 80 is not ours */
        {"localhost:80", 421},
        {"localhost:8081", 421},
        {"127.0.0.2:8080", 421},
        {"rebound.example:8080", 421},  /* DNS rebinding: another name */
        {"www.radar.example", 421},
        {"other.example", 421},         /* a port given: that one only */
        {"other.example:82", 421},
        {"[fd00::1]:8081", 421},
        {"[fd00::1]", 421},
        {"localhost:8080.rebound.example", 421},
        {"localhost:08080x", 421},
        {"localhost:", 421},
        {"localhost:999999", 421},
        {"", 421},
        {":8080", 421},
        {"user@localhost:8080", 421},
        {"[::1:8080", 421},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        radar_http_response_free(&res);
        int st = radar_http_check_host(&h, cases[i].host, 1, &res);
        if (st != cases[i].status)
            fail_msg("Host '%s': %d, expected %d", cases[i].host, st, cases[i].status);
        if (st) {
            assert_int_equal(res.status, st);
            assert_non_null(strstr(error_of(&res, msg, sizeof msg), "--allow-host"));
        }
    }
    /* the listening address counts with its port: a server on all addresses names it too */
    http_hosts any = {8080, "0.0.0.0", NULL, 0};
    radar_http_response_free(&res);
    assert_int_equal(radar_http_check_host(&any, "0.0.0.0:8080", 1, &res), 0);
    /* no Host at all: HTTP/1.0 may, HTTP/1.1 may not */
    assert_int_equal(radar_http_check_host(&h, NULL, 0, &res), 0);
    assert_int_equal(radar_http_check_host(&h, NULL, 1, &res), 400);
    assert_non_null(strstr(error_of(&res, msg, sizeof msg), "Host"));
    /* the names --allow-host takes */
    assert_true(radar_http_host_valid("radar.example"));
    assert_true(radar_http_host_valid("radar.example:8443"));
    assert_true(radar_http_host_valid("[::1]:8080"));
    assert_false(radar_http_host_valid(""));
    assert_false(radar_http_host_valid("a b"));
    assert_false(radar_http_host_valid("radar.example:port"));
    assert_false(radar_http_host_valid("http://radar.example"));
    radar_http_response_free(&res);
}

static void test_site(void **state)
{
    (void)state;
    static const char *const allow[] = {"radar.example"};
    http_hosts h = {8080, "127.0.0.1", allow, 1};
    http_response res = {0};
    static const struct {
        const char *origin, *site, *mode;
        int api, status;
    } cases[] = {
        {NULL, NULL, NULL, 1, 0},                            /* curl, a script on this machine */
        {"http://localhost:8080", "same-origin", "cors", 1, 0}, /* the board itself */
        {"http://127.0.0.1:8080", NULL, NULL, 1, 0},
        {"https://radar.example", "same-origin", NULL, 1, 0},  /* behind a proxy */
        {NULL, "none", "navigate", 1, 0},                     /* typed in the address bar */
        {NULL, "same-site", "cors", 1, 0},
        {NULL, "cross-site", "navigate", 0, 0},               /* a link to the board from elsewhere */
        {"http://rebound.example", NULL, NULL, 1, 403},
        {"http://rebound.example", "cross-site", "cors", 1, 403},
        {"http://localhost:8081", NULL, NULL, 1, 403},         /* another port is another site's page */
        {"null", NULL, NULL, 1, 403},                          /* a sandboxed or local page */
        {"http://localhost:8080/path", NULL, NULL, 1, 403},
        {"ftp://localhost:8080", NULL, NULL, 1, 403},
        {NULL, "cross-site", "cors", 1, 403},
        {NULL, "cross-site", "navigate", 1, 403},              /* a link into the API */
        {NULL, "cross-site", "no-cors", 0, 403},               /* another site's page loading our script */
        {NULL, "cross-site", NULL, 0, 403},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        radar_http_response_free(&res);
        int st = radar_http_check_site(&h, cases[i].origin, cases[i].site, cases[i].mode, cases[i].api, &res);
        if (st != cases[i].status)
            fail_msg("case %zu (Origin %s, Sec-Fetch-Site %s): %d, expected %d", i,
                     cases[i].origin ? cases[i].origin : "-", cases[i].site ? cases[i].site : "-", st,
                     cases[i].status);
        if (st)
            assert_int_equal(res.status, 403);
    }
    radar_http_response_free(&res);
}

static void test_query_routes(void **state)
{
    (void)state;
    http_request *r = req_new();
    http_response res = {0};
    /* what the query threads answer, and what the polling threads answer at once */
    static const struct {
        const char *target;
        int query;
    } cases[] = {{"/api/health", 0}, {"/", 0},        {"/app.js", 0},        {"/api/stories", 1},
                 {"/api/search?q=bid", 1}, {"/api/stories/1", 1}, {"/api/health/x", 1}, {"/api/nothing", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(parse(r, cases[i].target, &res), 0);
        if (radar_http_is_query(r) != cases[i].query)
            fail_msg("%s: query %d, expected %d", cases[i].target, !cases[i].query, cases[i].query);
    }
    radar_http_response_free(&res);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_and_decode),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_site),
        cmocka_unit_test(test_query_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
