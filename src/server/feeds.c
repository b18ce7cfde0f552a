/*
 * feeds.c - the Atom feeds of the board: /feeds/board.atom,
 * /feeds/club/NAME.atom and /feeds/player/NAME.atom (radar/atom.h writes
 * them). Links in a feed are relative to the server's root, which a feed
 * reader resolves against the feed's own address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/atom.h"
#include "radar/radar.h"
#include "http.h"

#define ATOM_SUFFIX ".atom"

/* "NAME.atom" -> NAME in buf; NULL when the segment does not end so. */
static const char *strip_suffix(const char *seg, char *buf, size_t cap)
{
    size_t n = strlen(seg), s = strlen(ATOM_SUFFIX);
    if (n <= s || strcmp(seg + n - s, ATOM_SUFFIX) || n - s >= cap)
        return NULL;
    memcpy(buf, seg, n - s);
    buf[n - s] = '\0';
    return buf;
}

void radar_feeds_handle(const http_request *req, http_store_fn store, void *ctx, http_response *res)
{
    int n = req->n_segments;
    char name[RADAR_MAX_HTTP_TARGET + 2];
    radar_atom_kind kind;
    const char *what = NULL;
    if (n == 2 && !strcmp(req->segment[1], "board.atom")) {
        kind = RADAR_ATOM_BOARD;
    } else if (n == 3 && (!strcmp(req->segment[1], "club") || !strcmp(req->segment[1], "player")) &&
               (what = strip_suffix(req->segment[2], name, sizeof name))) {
        kind = strcmp(req->segment[1], "club") ? RADAR_ATOM_PLAYER : RADAR_ATOM_CLUB;
    } else {
        radar_http_error(res, 404,
                         "no such feed (/feeds/board.atom, /feeds/club/NAME.atom, /feeds/player/NAME.atom)");
        return;
    }
    if (req->n_params) {
        radar_http_error(res, 400, "unknown parameter '%s' (a feed takes none)", req->param[0].name);
        return;
    }
    radar_store *st = NULL;
    if (store(ctx, &st)) {
        radar_http_error(res, 500, "cannot open the database: %s", radar_last_error());
        return;
    }
    char *body = NULL;
    size_t len = 0;
    int rc = radar_atom_feed(st, kind, what, NULL, &body, &len);
    if (rc) {
        radar_http_error(res, rc == RADAR_ENOTFOUND ? 404 : rc == RADAR_EINVALID ? 400 : 500, "%s",
                         radar_last_error());
        return;
    }
    radar_http_response_free(res);
    res->status = 200;
    res->content_type = "application/atom+xml; charset=utf-8";
    res->body = body;
    res->len = len;
}
