/*
 * route.c - the top of the routing: the method, then the API (api.c), the
 * Atom feeds (feeds.c) or a file of the page (assets.c).
 */
#include <string.h>

#include "http.h"

void radar_http_route(const http_request *req, http_store_fn store, void *ctx, http_response *res)
{
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        radar_http_error(res, 405, "method %.20s not allowed: this server only reads (GET, HEAD)", req->method);
        res->allow = "GET, HEAD";
        return;
    }
    if (req->n_segments > 0 && !strcmp(req->segment[0], "api")) {
        radar_api_handle(req, store, ctx, res);
        return;
    }
    if (req->n_segments > 0 && !strcmp(req->segment[0], "feeds")) {
        radar_feeds_handle(req, store, ctx, res);
        return;
    }
    /* the page: "/" is index.html; other files sit at the top level */
    const char *path = req->n_segments == 0 ? "index.html" : req->segment[0];
    const char *data, *type;
    size_t len;
    if (req->n_segments > 1 || radar_assets_find(path, &data, &len, &type) != 0) {
        radar_http_error(res, 404, "no such page or file");
        return;
    }
    /* a query on a page file is ignored: the page keeps its state after '#' */
    radar_http_response_free(res);
    res->status = 200;
    res->content_type = type;
    res->body = (char *)data;
    res->len = len;
    res->borrowed = 1;
    res->page = 1;
}
