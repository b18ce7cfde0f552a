/*
 * api.c - the JSON API: each endpoint checks its parameters, asks the store
 * one question and sends the JSON it returns as it is.
 *
 * The store builds every answer (the same JSON `radar ... --json` prints), so
 * fields the store gains later (a story's likelihood, a source's reliability)
 * reach the API with no change here. Values from the request reach SQLite
 * only as bound parameters, inside the store. Unknown parameters are refused
 * rather than ignored, so that a typo ("sotr=recent") is not silently a
 * different question.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/radar.h"
#include "http.h"

/* A store failure as an HTTP status: what the client asked wrong is 4xx,
 * the rest is ours. */
static void store_error(http_response *res, int rc)
{
    switch (rc) {
    case RADAR_EINVALID: radar_http_error(res, 400, "%s", radar_last_error()); break;
    case RADAR_ENOTFOUND: radar_http_error(res, 404, "%s", radar_last_error()); break;
    case RADAR_ETOOLARGE: radar_http_error(res, 413, "%s", radar_last_error()); break;
    default: radar_http_error(res, 500, "the store failed: %s", radar_last_error()); break;
    }
}

/* Refuse parameters outside `allowed` (NULL-terminated). */
static int only_params(const http_request *req, const char *const *allowed, http_response *res)
{
    for (int k = 0; k < req->n_params; k++) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, req->param[k].name))
            a++;
        if (!*a) {
            char list[256] = "";
            for (a = allowed; *a; a++) {
                strcat(list, a == allowed ? "" : ", ");
                strcat(list, *a);
            }
            radar_http_error(res, 400, "unknown parameter '%s' (this endpoint takes %s)", req->param[k].name,
                             *list ? list : "none");
            return -1;
        }
    }
    return 0;
}

/* An integer parameter in [lo, hi], or `dflt` when absent. */
static int int_param(const http_request *req, const char *name, long lo, long hi, int dflt, int *out,
                     http_response *res)
{
    const char *v = radar_http_param(req, name);
    *out = dflt;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || n < lo || n > hi) {
        radar_http_error(res, 400, "%s must be a whole number from %ld to %ld", name, lo, hi);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* The stages a story can be at: "none" (no report had a stage), interest
 * .. signed, or an ending (rejected, collapsed, denied). */
static int known_stage(const char *s)
{
    if (!strcmp(s, "none"))
        return 1;
    for (int i = RADAR_STAGE_INTEREST; i < RADAR_STAGE_COUNT; i++)
        if (!strcmp(s, radar_stage_name((radar_stage)i)))
            return 1;
    return 0;
}

static const char *stage_list(char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = RADAR_STAGE_INTEREST; i < RADAR_STAGE_COUNT; i++)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s, ", radar_stage_name((radar_stage)i));
    if (n < cap)
        snprintf(out + n, cap - n, "or none");
    return out;
}

static void stories(const http_request *req, radar_store *st, http_response *res)
{
    static const char *const allowed[] = {"club", "player", "since", "stage", "source", "sort", "limit", "offset",
                                          "status", NULL};
    if (only_params(req, allowed, res))
        return;
    radar_story_filter f = RADAR_STORY_FILTER_INIT;
    f.club = radar_http_param(req, "club");
    f.player = radar_http_param(req, "player");
    f.since = radar_http_param(req, "since");
    f.stage = radar_http_param(req, "stage");
    f.source = radar_http_param(req, "source");
    f.outcome = radar_http_param(req, "status"); /* open, done, failed, quiet: the store refuses others */
    f.sort = radar_http_param(req, "sort"); /* the store knows the sorts, and refuses others */
    if (f.stage && !known_stage(f.stage)) {
        char list[200];
        radar_http_error(res, 400, "unknown stage '%s' (%s)", f.stage, stage_list(list, sizeof list));
        return;
    }
    if (f.since && !radar_date_valid(f.since, strlen(f.since))) {
        radar_http_error(res, 400, "since must be a date written YYYY-MM-DD");
        return;
    }
    if (int_param(req, "limit", 1, RADAR_MAX_PAGE_LIMIT, 50, &f.limit, res) ||
        int_param(req, "offset", 0, RADAR_MAX_PAGE_OFFSET, 0, &f.offset, res))
        return;
    json_t *j = NULL;
    int rc = radar_store_stories(st, &f, &j);
    if (rc)
        store_error(res, rc);
    else
        radar_http_json(res, j);
}

static void story(const http_request *req, const char *idtext, radar_store *st, http_response *res)
{
    static const char *const none[] = {NULL};
    if (only_params(req, none, res))
        return;
    char *end;
    errno = 0;
    long long id = strtoll(idtext, &end, 10);
    if (*idtext >= '0' && *idtext <= '9' && !*end && errno == ERANGE) {
        radar_http_error(res, 400, "story id %.40s is out of range: ids go up to %lld", idtext, LLONG_MAX);
        return;
    }
    if (*idtext < '0' || *idtext > '9' || *end || errno || id <= 0) {
        radar_http_error(res, 400, "a story id is a positive whole number");
        return;
    }
    json_t *j = NULL;
    int rc = radar_store_story(st, id, &j);
    if (rc)
        store_error(res, rc);
    else
        radar_http_json(res, j);
}

static void search(const http_request *req, radar_store *st, http_response *res)
{
    static const char *const allowed[] = {"q", "limit", NULL};
    if (only_params(req, allowed, res))
        return;
    const char *q = radar_http_param(req, "q");
    if (!q) {
        radar_http_error(res, 400, "search needs a query: /api/search?q=WORDS");
        return;
    }
    int limit;
    if (int_param(req, "limit", 1, RADAR_MAX_SEARCH_LIMIT, 20, &limit, res))
        return;
    json_t *j = NULL;
    int ms = req->search_ms > 0 ? req->search_ms : RADAR_MAX_SEARCH_MS;
    int rc = radar_store_search_within(st, q, limit, ms, &j);
    if (rc == RADAR_ETOOLARGE) /* the time ran out: the query may do on a quieter server */
        radar_http_error(res, 503,
                         "search: stopped after %d ms, the time a search may take (waiting for a thread "
                         "included); ask for fewer words, or longer ones",
                         ms + req->search_waited);
    else if (rc)
        store_error(res, rc);
    else
        radar_http_json(res, j);
}

static void health(radar_store *st, http_response *res)
{
    radar_story_filter f = RADAR_STORY_FILTER_INIT;
    f.limit = 1;
    json_t *j = NULL;
    int rc = radar_store_stories(st, &f, &j); /* one cheap read: the database answers */
    if (rc) {
        store_error(res, rc);
        return;
    }
    json_t *h = json_pack("{s:s, s:s, s:O}", "status", "ok", "version", RADAR_VERSION, "stories",
                          json_object_get(j, "total"));
    json_decref(j);
    radar_http_json(res, h);
}

/* A name from the path (players, clubs, articles) and its question. */
typedef int (*named_fn)(radar_store *st, const char *name, json_t **out);

static void named(const http_request *req, const char *name, named_fn fn, radar_store *st, http_response *res)
{
    static const char *const none[] = {NULL};
    if (only_params(req, none, res))
        return;
    json_t *j = NULL;
    int rc = fn(st, name, &j);
    if (rc)
        store_error(res, rc);
    else
        radar_http_json(res, j);
}

/* A club no story and no fact names is not found (the store answers with
 * empty lists, which a client would take for a quiet club). */
static int club_fn(radar_store *st, const char *name, json_t **out)
{
    int rc = radar_store_club(st, name, out);
    if (rc)
        return rc;
    if (!json_array_size(json_object_get(*out, "linked_in")) && !json_array_size(json_object_get(*out, "linked_out")) &&
        !json_array_size(json_object_get(*out, "facts"))) {
        json_decref(*out);
        *out = NULL;
        return radar_error_set(RADAR_ENOTFOUND, "no story or fact names a club called '%s'", name);
    }
    return 0;
}

static int sources_fn(radar_store *st, const char *unused, json_t **out)
{
    (void)unused;
    return radar_store_sources(st, out);
}

static int outcomes_fn(radar_store *st, const char *unused, json_t **out)
{
    (void)unused;
    return radar_store_outcomes(st, 200, 0, out);
}

void radar_api_handle(const http_request *req, http_store_fn store, void *ctx, http_response *res)
{
    int n = req->n_segments;
    const char *what = n > 1 ? req->segment[1] : "";
    const char *arg = n > 2 ? req->segment[2] : NULL;
    /* which endpoint, before the store is opened: a 404 costs nothing */
    enum { NONE, HEALTH, STORIES, STORY, PLAYER, CLUB, SOURCES, SOURCE, OUTCOMES, SEARCH, ARTICLE } ep = NONE;
    static const struct endpoint {
        const char *name;
        int segments; /* 2: /api/NAME, 3: /api/NAME/ARG */
        int ep;
        const char *shown; /* as the 404 lists it */
    } ENDPOINTS[] = {
        {"stories", 2, STORIES, "/api/stories"},   {"stories", 3, STORY, "/api/stories/ID"},
        {"players", 3, PLAYER, "/api/players/NAME"}, {"clubs", 3, CLUB, "/api/clubs/NAME"},
        {"sources", 2, SOURCES, "/api/sources"},   {"sources", 3, SOURCE, "/api/sources/NAME"},
        {"outcomes", 2, OUTCOMES, "/api/outcomes"}, {"search", 2, SEARCH, "/api/search?q="},
        {"articles", 3, ARTICLE, "/api/articles/ID"}, {"health", 2, HEALTH, "/api/health"},
    };
    enum { N_ENDPOINTS = sizeof ENDPOINTS / sizeof *ENDPOINTS };
    for (size_t i = 0; i < N_ENDPOINTS && ep == NONE; i++)
        if (n == ENDPOINTS[i].segments && !strcmp(what, ENDPOINTS[i].name))
            ep = ENDPOINTS[i].ep;
    if (ep == NONE) {
        char list[400];
        size_t len = 0;
        list[0] = '\0';
        for (size_t i = 0; i < N_ENDPOINTS; i++)
            len += (size_t)snprintf(list + len, len < sizeof list ? sizeof list - len : 0, "%s%s", i ? ", " : "",
                                    ENDPOINTS[i].shown);
        radar_http_error(res, 404, "no such API endpoint (see docs/api.md: %s)", list);
        return;
    }
    if (arg && !*arg) {
        radar_http_error(res, 404, "no such API endpoint: the name after /api/%s/ is empty", what);
        return;
    }
    radar_store *st = NULL;
    int rc = store(ctx, &st);
    if (rc) {
        radar_http_error(res, 500, "cannot open the database: %s", radar_last_error());
        return;
    }
    switch (ep) {
    case HEALTH:
        if (!only_params(req, (const char *const[]){NULL}, res))
            health(st, res);
        break;
    case STORIES: stories(req, st, res); break;
    case STORY: story(req, arg, st, res); break;
    case PLAYER: named(req, arg, radar_store_player, st, res); break;
    case CLUB: named(req, arg, club_fn, st, res); break;
    case SOURCES: named(req, NULL, sources_fn, st, res); break;
    case SOURCE: named(req, arg, radar_store_source, st, res); break;
    case OUTCOMES: named(req, NULL, outcomes_fn, st, res); break;
    case SEARCH: search(req, st, res); break;
    case ARTICLE: named(req, arg, radar_store_article, st, res); break;
    case NONE: break;
    }
}
