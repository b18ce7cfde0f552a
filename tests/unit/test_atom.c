/*
 * test_atom.c - the Atom feeds of the board (radar/atom.h) and their routes
 * in radar serve (/feeds/...).
 *
 * Each feed is parsed strictly by libxml2 and checked against what RFC 4287
 * requires (the structure its RelaxNG schema describes: the Atom namespace;
 * a feed with one id, title and updated, an author; each entry with one id,
 * title and updated, RFC 3339 times, ids that are absolute IRIs and
 * unique, links with an href); then read back through the project's own feed
 * reader, which must give the same stories. Articles are short texts
 * written for these tests (invented players, real clubs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "radar/atom.h"
#include "radar/radar.h"
#include "radar/store.h"
#include "fixture.h"
#include "http.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

typedef struct fx {
    char dir[256], path[320];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
} fx;

static void put(fx *f, const char *id, const char *date, const char *body)
{
    rt_put(f->ex, f->st, id, date, body);
}

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-atom-test") || radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    if (radar_store_open(&f->st, f->path, RADAR_STORE_CREATE, f->lex))
        return -1;
    put(f, "a1", "2024-02-01", "Aston Villa are interested in Celtic defender Callum Rennie, according to the Daily Record.");
    put(f, "a2", "2024-03-01", "Aston Villa have made a bid for Celtic defender Callum Rennie, the Daily Record reports.");
    put(f, "a3", "2024-02-20", "Liverpool have made a bid for Nantes midfielder Jules Moreau, according to RMC Sport.");
    put(f, "a4", "2024-01-15", "Brentford are interested in Aston Villa winger Theo Garnier, L'Equipe reports.");
    put(f, "a5", "2024-04-02", "Fulham are interested in Lyon winger Hugo Marchal & co, L'Equipe reports.");
    if (radar_store_rescore(f->st))
        return -1;
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    radar_store_close(f->st);
    radar_extractor_free(f->ex);
    radar_lexicon_free(f->lex);
    rt_rmtree(f->dir);
    free(f);
    return 0;
}

/* ---- the structural check ---------------------------------------------- */

static int is_atom(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, ATOM_NS) &&
           !strcmp((const char *)n->name, name);
}

static int count(const xmlNode *parent, const char *name, const xmlNode **first)
{
    int k = 0;
    for (const xmlNode *c = parent->children; c; c = c->next)
        if (is_atom(c, name) && !k++ && first)
            *first = c;
    return k;
}

/* RFC 3339 date-time as Atom writes it: YYYY-MM-DDTHH:MM:SS(Z|+HH:MM). */
static void check_time(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = (const char *)t;
    assert_true(strlen(s) >= 20);
    assert_true(radar_date_valid(s, 10));
    assert_true(s[10] == 'T' && s[13] == ':' && s[16] == ':');
    assert_true(s[19] == 'Z' || s[19] == '+' || s[19] == '-');
    xmlFree(t);
}

/* An absolute IRI: a scheme, then ':'. */
static void check_iri(const char *s)
{
    size_t i = 0;
    while (s[i] && (s[i] == '+' || s[i] == '-' || s[i] == '.' || (s[i] >= 'a' && s[i] <= 'z')))
        i++;
    assert_true(i > 0 && s[i] == ':');
}

/* Text constructs: type text (default), html or xhtml. */
static void check_text(const xmlNode *n)
{
    xmlChar *type = xmlGetProp(n, BAD_CAST "type");
    assert_true(!type || !strcmp((const char *)type, "text") || !strcmp((const char *)type, "html") ||
                !strcmp((const char *)type, "xhtml"));
    xmlFree(type);
}

static void check_links(const xmlNode *parent)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (!is_atom(c, "link"))
            continue;
        xmlChar *href = xmlGetProp(c, BAD_CAST "href");
        assert_non_null(href);
        assert_true(href[0] != '\0');
        xmlFree(href);
    }
}

/* Parse `xml` strictly and check it; returns the document (xmlFreeDoc). */
static xmlDocPtr check_atom(const char *xml, size_t len, int *entries)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "feed.atom", NULL, XML_PARSE_NONET);
    assert_non_null(doc); /* well-formed: no recovery */
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_true(is_atom(root, "feed"));
    const xmlNode *n = NULL;
    assert_int_equal(count(root, "id", &n), 1);
    xmlChar *id = xmlNodeGetContent(n);
    check_iri((const char *)id);
    xmlFree(id);
    assert_int_equal(count(root, "title", &n), 1);
    check_text(n);
    assert_int_equal(count(root, "updated", &n), 1);
    check_time(n);
    /* a feed without an author needs one in every entry: ours has one */
    assert_true(count(root, "author", &n) >= 1);
    assert_int_equal(count(n, "name", NULL), 1);
    check_links(root);
    char *ids[RADAR_MAX_FEED_ENTRIES + 1];
    int k = 0;
    for (const xmlNode *e = root->children; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE)
            continue;
        assert_non_null(e->ns); /* every element in the Atom namespace */
        if (!is_atom(e, "entry"))
            continue;
        assert_true(k < RADAR_MAX_FEED_ENTRIES);
        assert_int_equal(count(e, "id", &n), 1);
        ids[k] = (char *)xmlNodeGetContent(n);
        check_iri(ids[k]);
        for (int j = 0; j < k; j++)
            assert_string_not_equal(ids[j], ids[k]);
        k++;
        assert_int_equal(count(e, "title", &n), 1);
        check_text(n);
        assert_int_equal(count(e, "updated", &n), 1);
        check_time(n);
        assert_true(count(e, "published", &n) <= 1);
        if (count(e, "published", &n))
            check_time(n);
        assert_true(count(e, "summary", &n) <= 1);
        /* no content: then an alternate link is required */
        assert_int_equal(count(e, "content", NULL), 0);
        int alternate = 0;
        for (const xmlNode *c = e->children; c; c = c->next)
            if (is_atom(c, "link")) {
                xmlChar *rel = xmlGetProp(c, BAD_CAST "rel");
                alternate += rel && !strcmp((const char *)rel, "alternate");
                xmlFree(rel);
            }
        assert_int_equal(alternate, 1);
        check_links(e);
    }
    for (int j = 0; j < k; j++)
        xmlFree(ids[j]);
    *entries = k;
    return doc;
}

/* ---- read back through the project's feed reader ------------------------ */

typedef struct back {
    char titles[16][256];
    char dates[16][11];
    char urls[16][64];
    int n;
} back;

static int on_item(void *user, radar_read_event ev, const radar_article *a, const char *message)
{
    back *b = user;
    if (ev != RADAR_READ_ARTICLE)
        fail_msg("the feed reader: %s", message ? message : "?");
    assert_true(b->n < 16);
    snprintf(b->titles[b->n], sizeof b->titles[0], "%s", a->title ? a->title : "");
    snprintf(b->dates[b->n], sizeof b->dates[0], "%s", a->date ? a->date : "");
    snprintf(b->urls[b->n], sizeof b->urls[0], "%s", a->url ? a->url : "");
    b->n++;
    return 0;
}

/* The feed, through radar_read_buffer, gives the stories `want` (the
 * board's rows, newest first) with their titles, first days and links. */
static void read_back(const char *xml, size_t len, const radar_story_row *want, size_t n)
{
    back b = {0};
    assert_int_equal(radar_read_buffer("feed.atom", xml, len, NULL, on_item, &b), 0);
    assert_int_equal(b.n, (int)n);
    for (size_t i = 0; i < n; i++) {
        char url[64];
        snprintf(url, sizeof url, "/#/story/%lld", want[i].id);
        assert_string_equal(b.urls[i], url);
        assert_string_equal(b.dates[i], want[i].first_seen); /* the reader dates an item by its published */
        assert_non_null(strstr(b.titles[i], want[i].player));
        assert_non_null(strstr(b.titles[i], want[i].to_club));
    }
}

static void feed(fx *f, radar_atom_kind kind, const char *name, char **xml, size_t *len)
{
    if (radar_atom_feed(f->st, kind, name, NULL, xml, len))
        fail_msg("radar_atom_feed: %s", radar_last_error());
}

static void test_board(void **state)
{
    fx *f = *state;
    char *xml;
    size_t len;
    int entries;
    feed(f, RADAR_ATOM_BOARD, NULL, &xml, &len);
    xmlDocPtr doc = check_atom(xml, len, &entries);
    xmlFreeDoc(doc);
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    flt.sort = "recent";
    radar_story_list *l = NULL;
    assert_int_equal(radar_store_stories_list(f->st, &flt, &l), 0);
    assert_int_equal(entries, (int)l->n);
    assert_int_equal(entries, 4);
    read_back(xml, len, l->v, l->n);
    /* newest first, and the feed's updated is the newest */
    assert_non_null(strstr(xml, "<updated>2024-04-02T00:00:00Z</updated>"));
    assert_non_null(strstr(xml, "Callum Rennie to Aston Villa: bid"));
    assert_non_null(strstr(xml, "Hugo Marchal"));
    radar_story_list_free(l);
    free(xml);
}

static void test_club_and_player(void **state)
{
    fx *f = *state;
    char *xml;
    size_t len;
    int entries;
    /* a club's feed: bought and sold, by any of its names */
    feed(f, RADAR_ATOM_CLUB, "villa", &xml, &len);
    xmlFreeDoc(check_atom(xml, len, &entries));
    assert_int_equal(entries, 2);
    assert_non_null(strstr(xml, "<title>Transfer Radar: Aston Villa</title>"));
    assert_non_null(strstr(xml, "href=\"/feeds/club/Aston%20Villa.atom\""));
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    flt.sort = "recent";
    flt.club = "Aston Villa";
    radar_story_list *l = NULL;
    assert_int_equal(radar_store_stories_list(f->st, &flt, &l), 0);
    read_back(xml, len, l->v, l->n);
    radar_story_list_free(l);
    free(xml);

    feed(f, RADAR_ATOM_PLAYER, "Rennie", &xml, &len);
    xmlFreeDoc(check_atom(xml, len, &entries));
    assert_int_equal(entries, 1);
    assert_non_null(strstr(xml, "<title>Transfer Radar: Callum Rennie</title>"));
    free(xml);

    assert_int_equal(radar_atom_feed(f->st, RADAR_ATOM_CLUB, "Nowhere Rovers", NULL, &xml, &len), RADAR_ENOTFOUND);
    assert_int_equal(radar_atom_feed(f->st, RADAR_ATOM_PLAYER, "Nobody Atall", NULL, &xml, &len), RADAR_ENOTFOUND);
    assert_int_equal(radar_atom_feed(f->st, RADAR_ATOM_CLUB, "", NULL, &xml, &len), RADAR_EINVALID);
    /* an absolute base */
    feed(f, RADAR_ATOM_BOARD, NULL, &xml, &len);
    free(xml);
    assert_int_equal(radar_atom_feed(f->st, RADAR_ATOM_BOARD, NULL, "http://radar.example:8080", &xml, &len), 0);
    assert_non_null(strstr(xml, "href=\"http://radar.example:8080/#/story/"));
    free(xml);
}

/* ---- the routes ---------------------------------------------------------- */

static int give_store(void *ctx, radar_store **out)
{
    *out = ((fx *)ctx)->st;
    return 0;
}

static void get(fx *f, const char *target, http_response *res)
{
    http_request req;
    req.method = "GET";
    req.search_ms = req.search_waited = 0;
    memset(res, 0, sizeof *res);
    assert_int_equal(radar_http_parse_target(&req, target, strlen(target), res), 0);
    assert_true(radar_http_is_query(&req));
    radar_http_route(&req, give_store, f, res);
}

static void test_routes(void **state)
{
    fx *f = *state;
    http_response res;
    get(f, "/feeds/board.atom", &res);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.content_type, "application/atom+xml; charset=utf-8");
    int entries;
    xmlFreeDoc(check_atom(res.body, res.len, &entries));
    assert_int_equal(entries, 4);
    radar_http_response_free(&res);
    get(f, "/feeds/club/Aston%20Villa.atom", &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.body, "Callum Rennie"));
    radar_http_response_free(&res);
    get(f, "/feeds/player/Jules%20Moreau.atom", &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.body, "Jules Moreau to Liverpool"));
    radar_http_response_free(&res);
    get(f, "/feeds/club/Nowhere.atom", &res);
    assert_int_equal(res.status, 404);
    radar_http_response_free(&res);
    get(f, "/feeds/club/Liverpool", &res);
    assert_int_equal(res.status, 404);
    radar_http_response_free(&res);
    get(f, "/feeds/board.atom?x=1", &res);
    assert_int_equal(res.status, 400);
    radar_http_response_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_board, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_club_and_player, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_routes, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
