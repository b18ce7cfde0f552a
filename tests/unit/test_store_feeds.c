/*
 * test_store_feeds.c - the store's feeds (schema 5, 6): subscriptions and
 * their poll state, feed items already stored or remembered as copies of a
 * stored text, the addresses an item's page may not be fetched from, and a
 * story syndicated by a second outlet counted as a citation of the first,
 * not as a new source, whether the first copy's sketch is in the handle's
 * memory or only in the database.
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

#include "radar/radar.h"
#include "radar/fetch.h"
#include "radar/store.h"
#include "fixture.h"
#include "postings.h"
#include "syndication.h"

typedef struct fx {
    char dir[256], path[320];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-feeds-test"))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    if (radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex))
        return -1;
    if (radar_store_open(&f->st, f->path, RADAR_STORE_CREATE, f->lex))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    radar_store_close(f->st);
    radar_extractor_free(f->ex);
    radar_lexicon_free(f->lex);
    rt_rmtree(f->dir);
    free(f);
    return 0;
}

static void put(fx *f, const char *id, const char *source, const char *url, const char *body)
{
    radar_article a = {.id = id, .date = "2024-08-01", .source = source, .url = url, .body = body,
                       .body_len = strlen(body), .path = id, .line = 1};
    rt_put_article(f->ex, f->st, &a);
}

static json_t *feeds(fx *f)
{
    json_t *j = NULL;
    assert_int_equal(radar_store_feeds(f->st, &j), 0);
    return json_object_get(j, "feeds") ? j : NULL;
}

static void test_subscriptions(void **state)
{
    fx *f = *state;
    assert_int_equal(radar_store_feed_add(f->st, "http://127.0.0.1:1/rss.xml", "one"), 0);
    assert_int_equal(radar_store_feed_add(f->st, "https://example.org/atom", NULL), 0);
    assert_int_equal(radar_store_feed_add(f->st, "http://127.0.0.1:1/rss.xml", NULL), RADAR_EINVALID);
    assert_int_equal(radar_store_feed_add(f->st, "http://other/", "one"), RADAR_EINVALID);
    assert_int_equal(radar_store_feed_add(f->st, "ftp://example.org/feed", NULL), RADAR_EINVALID);
    assert_int_equal(radar_store_feed_add(f->st, "/etc/passwd", NULL), RADAR_EINVALID);
    json_t *j = feeds(f);
    json_t *list = json_object_get(j, "feeds");
    assert_int_equal(json_array_size(list), 2);
    json_t *one = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(one, "name")), "one");
    assert_true(json_is_null(json_object_get(one, "etag")));
    assert_int_equal(json_integer_value(json_object_get(one, "failures")), 0);

    radar_feed_state s = {0};
    s.id = json_integer_value(json_object_get(one, "id"));
    s.title = "Harbour City Sport";
    s.etag = "\"v1\"";
    s.last_modified = "Sun, 11 Aug 2024 07:30:00 GMT";
    s.error = "timed out";
    s.failures = 2;
    s.last_poll = 1000;
    s.next_poll = 1240;
    s.new_articles = 3;
    json_decref(j);
    assert_int_equal(radar_store_feed_update(f->st, &s), 0);
    s.title = NULL; /* a poll that learnt no title keeps the old one */
    s.new_articles = 1;
    assert_int_equal(radar_store_feed_update(f->st, &s), 0);
    j = feeds(f);
    one = json_array_get(json_object_get(j, "feeds"), 0);
    assert_string_equal(json_string_value(json_object_get(one, "title")), "Harbour City Sport");
    assert_string_equal(json_string_value(json_object_get(one, "etag")), "\"v1\"");
    assert_string_equal(json_string_value(json_object_get(one, "last_error")), "timed out");
    assert_int_equal(json_integer_value(json_object_get(one, "failures")), 2);
    assert_int_equal(json_integer_value(json_object_get(one, "next_poll")), 1240);
    assert_int_equal(json_integer_value(json_object_get(one, "articles")), 4);
    json_decref(j);

    assert_int_equal(radar_store_feed_remove(f->st, "one"), 0);
    assert_int_equal(radar_store_feed_remove(f->st, "one"), RADAR_ENOTFOUND);
    assert_int_equal(radar_store_feed_remove(f->st, "https://example.org/atom"), 0);
    j = feeds(f);
    assert_int_equal(json_array_size(json_object_get(j, "feeds")), 0);
    json_decref(j);
}

static void test_items_seen(void **state)
{
    fx *f = *state;
    put(f, "guid-1", "Harbour City Sport", "https://harbour.example/a", "Ajax want Mikkel Strand.");
    int found = -1;
    assert_int_equal(radar_store_has_item(f->st, "guid-1", NULL, &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(radar_store_has_item(f->st, "guid-2", "https://harbour.example/a", &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(radar_store_has_item(f->st, "guid-2", "https://harbour.example/b", &found), 0);
    assert_int_equal(found, 0);
}

/* An item whose text is stored already under another id (the same page
 * behind another link) is not stored twice, but remembered by its id and
 * its link: the next poll does not fetch its page again. */
static void test_duplicate_items_remembered(void **state)
{
    fx *f = *state;
    static const char text[] = "Ajax have made a bid for Rosenborg forward Mikkel Strand, according to VG.";
    put(f, "guid-1", "Harbour City Sport", "https://harbour.example/a", text);
    radar_article a = {0};
    a.id = "guid-2";
    a.url = "https://harbour.example/b";
    a.body = text;
    a.body_len = strlen(text);
    a.path = "guid-2";
    a.line = 1;
    const radar_doc *doc;
    radar_put_result r;
    assert_int_equal(radar_store_note_item(f->st, &a), RADAR_EINVALID); /* outside a transaction */
    assert_int_equal(radar_extract(f->ex, &a, &doc), 0);
    assert_int_equal(radar_store_begin(f->st), 0);
    assert_int_equal(radar_store_put(f->st, &a, doc, &r), 0);
    assert_int_equal(r, RADAR_PUT_UNCHANGED);
    assert_int_equal(radar_store_note_item(f->st, &a), 0);
    /* a text no article has: nothing to remember it by */
    radar_article other = a;
    other.id = "guid-3";
    other.url = "https://harbour.example/c";
    other.body = "Something else entirely.";
    other.body_len = strlen(other.body);
    assert_int_equal(radar_store_note_item(f->st, &other), 0);
    assert_int_equal(radar_store_commit(f->st), 0);
    int found = -1;
    assert_int_equal(radar_store_has_item(f->st, "guid-2", NULL, &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(radar_store_has_item(f->st, NULL, "https://harbour.example/b", &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(radar_store_has_item(f->st, "guid-3", "https://harbour.example/c", &found), 0);
    assert_int_equal(found, 0);
    long long articles, mentions, stories;
    assert_int_equal(radar_store_counts(f->st, &articles, &mentions, &stories), 0);
    assert_int_equal(articles, 1);
}

static const char STORY[] =
    "Feyenoord are in advanced talks with FC Midtjylland over centre-back Anders Holm, with the two clubs about "
    "two million euros apart on the fee. The Rotterdam club have offered nine million euros for the 24-year-old, "
    "while Midtjylland are holding out for eleven million. Holm has told the Danish champions he would like to "
    "take the next step in his career before the window closes. Feyenoord want a left-footed defender after their "
    "captain left for Saudi Arabia, and Holm has been their first choice since the spring.";

static const char OTHER[] =
    "Feyenoord have opened talks with FC Midtjylland about Anders Holm, the defender who captained the Danish side "
    "to the league title, and a bid is expected before the end of the week. Sporting directors from both clubs met "
    "in Amsterdam on Monday and the gap between the valuations is said to be small. Holm, who has two years left on "
    "his contract, has been watched by Dutch scouts since he broke into the first team at the age of seventeen.";

static json_t *story_of(fx *f, const char *player)
{
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    flt.player = player;
    json_t *j = NULL;
    assert_int_equal(radar_store_stories(f->st, &flt, &j), 0);
    json_t *list = json_object_get(j, "stories");
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *s = json_array_get(list, i);
        if (!strcmp(json_string_value(json_object_get(s, "to_club")), "Feyenoord")) {
            json_incref(s);
            json_decref(j);
            return s;
        }
    }
    fail_msg("no Feyenoord story for %s", player);
    return NULL;
}

/* Anders Holm -> Feyenoord has these mentions, sources and independent
 * sources (a negative figure is not checked). */
static void expect_story(fx *f, int mentions, int sources, int independent)
{
    json_t *s = story_of(f, "Anders Holm");
    if (mentions >= 0)
        assert_int_equal(json_integer_value(json_object_get(s, "mentions")), mentions);
    if (sources >= 0)
        assert_int_equal(json_integer_value(json_object_get(s, "sources")), sources);
    if (independent >= 0)
        assert_int_equal(json_integer_value(json_object_get(s, "independent_sources")), independent);
    json_decref(s);
}

static void test_syndicated_copy_is_a_citation(void **state)
{
    fx *f = *state;
    uint64_t k1[SYNDICATION_SKETCH], k2[SYNDICATION_SKETCH], k3[SYNDICATION_SKETCH];
    char copy[sizeof STORY + 128];
    /* the copy: the other outlet's lead-in and credit line around the same text */
    snprintf(copy, sizeof copy, "Exclusive: %s This story was first published by Harbour City Sport.", STORY);
    assert_true(radar_syndication_sketch(STORY, strlen(STORY), k1));
    assert_true(radar_syndication_sketch(copy, strlen(copy), k2));
    assert_true(radar_syndication_sketch(OTHER, strlen(OTHER), k3));
    assert_true(radar_syndication_shared(k1, SYNDICATION_SKETCH, k2, SYNDICATION_SKETCH) >= SYNDICATION_MIN_SHARED);
    assert_true(radar_syndication_shared(k1, SYNDICATION_SKETCH, k3, SYNDICATION_SKETCH) < 2);
    assert_false(radar_syndication_sketch("Ajax want Strand.", 17, k3));

    put(f, "a", "Harbour City Sport", NULL, STORY);
    put(f, "b", "Lowlands Football Daily", NULL, copy);
    expect_story(f, 2, 2, 1);

    /* a report of its own by a third outlet is a second origin */
    put(f, "c", "Rotterdam Evening", NULL, OTHER);
    expect_story(f, -1, -1, 2);
}

/* The copy is found however the first text's sketch is known: stored by an
 * earlier handle, by another connection while this one keeps sketches in
 * memory, or before a transaction that rolled back. */
static void test_copy_found_from_database(void **state)
{
    fx *f = *state;
    char copy[sizeof STORY + 128];
    snprintf(copy, sizeof copy, "Exclusive: %s This story was first published by Harbour City Sport.", STORY);

    /* another connection stores the original after this handle kept its own */
    put(f, "c", "Rotterdam Evening", NULL, OTHER);
    radar_store *other;
    assert_int_equal(radar_store_open(&other, f->path, 0, f->lex), 0);
    radar_store *mine = f->st;
    f->st = other;
    put(f, "a", "Harbour City Sport", NULL, STORY);
    radar_store_close(other);
    f->st = mine;

    put(f, "b", "Lowlands Football Daily", NULL, copy);
    expect_story(f, 3, 3, 2);

    /* a transaction that rolls back: what it stored is forgotten */
    radar_article a = {.id = "x", .date = "2024-08-02", .source = "Nowhere", .body = OTHER, .path = "x", .line = 1};
    a.body_len = strlen(OTHER);
    const radar_doc *doc;
    radar_put_result r;
    assert_int_equal(radar_extract(f->ex, &a, &doc), 0);
    assert_int_equal(radar_store_begin(f->st), 0);
    assert_int_equal(radar_store_put(f->st, &a, doc, &r), 0);
    radar_store_rollback(f->st);

    /* and by a new handle, which has nothing in memory */
    radar_store_close(f->st);
    assert_int_equal(radar_store_open(&f->st, f->path, 0, f->lex), 0);
    snprintf(copy, sizeof copy, "From our partners: %s", STORY);
    put(f, "d", "Coastline Sports Wire", NULL, copy);
    expect_story(f, 4, -1, 2);
}

/* A bulk load into a store with no sketch drops the index of sketches by
 * hash; a look-up that needs the database (here after a rollback, which
 * empties the memory) builds it again, and the load's end leaves it there. */
static void test_copy_found_in_bulk_load(void **state)
{
    fx *f = *state;
    char copy[sizeof STORY + 128];
    snprintf(copy, sizeof copy, "Exclusive: %s This story was first published by Harbour City Sport.", STORY);
    int bulk = 0;
    assert_int_equal(radar_store_bulk_begin(f->st, 1 << 20, &bulk), 0);
    assert_true(bulk);
    put(f, "a", "Harbour City Sport", NULL, STORY);
    assert_int_equal(radar_store_begin(f->st), 0);
    radar_store_rollback(f->st);
    put(f, "b", "Lowlands Football Daily", NULL, copy);
    assert_int_equal(radar_store_bulk_end(f->st), 0);
    expect_story(f, -1, 2, 1);
}

/* Which addresses an item's page may not be fetched from. */
static void test_private_addresses(void **state)
{
    (void)state;
    static const struct {
        const char *ip;
        int private;
    } cases[] = {
        {"127.0.0.1", 1}, {"127.255.0.9", 1}, {"10.1.2.3", 1}, {"172.16.0.1", 1}, {"172.31.255.255", 1},
        {"172.32.0.1", 0}, {"172.15.255.255", 0}, {"192.168.1.1", 1}, {"192.169.0.1", 0},
        {"169.254.169.254", 1}, {"0.0.0.0", 1}, {"0.1.2.3", 1}, {"100.64.0.1", 1}, {"100.128.0.1", 0},
        {"224.0.0.1", 1}, {"255.255.255.255", 1}, {"8.8.8.8", 0}, {"93.184.216.34", 0}, {"1.1.1.1", 0},
        {"::1", 1}, {"::", 1}, {"::ffff:127.0.0.1", 1}, {"::ffff:10.0.0.1", 1}, {"::ffff:169.254.169.254", 1},
        {"::ffff:8.8.8.8", 0}, {"::127.0.0.1", 1}, {"64:ff9b::7f00:1", 1}, {"64:ff9b::808:808", 0},
        {"2002:7f00:1::", 1}, {"2002:808:808::", 0}, {"fc00::1", 1}, {"fd12:3456::1", 1}, {"fe80::1", 1},
        {"febf::1", 1}, {"fec0::1", 1}, {"ff02::1", 1}, {"2001:4860:4860::8888", 0}, {"2a00:1450::1", 0},
        {"localhost", -1}, {"", -1}, {"1.2.3.4.5", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (radar_fetch_address_private(cases[i].ip) != cases[i].private)
            fail_msg("%s: %d, want %d", cases[i].ip, radar_fetch_address_private(cases[i].ip), cases[i].private);
}

/* A fetch that may not reach a private address connects to none, whether
 * the link names it or a name resolves to it; nothing is sent. */
static void test_fetch_refuses_private(void **state)
{
    (void)state;
    static const char *const urls[] = {"http://127.0.0.1:9/x", "http://localhost:9/x", "http://[::1]:9/x",
                                       "http://[::ffff:127.0.0.1]:9/x", "http://169.254.169.254/latest/meta-data/",
                                       "http://2130706433:9/x"};
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        radar_fetch_options o = RADAR_FETCH_OPTIONS_INIT;
        o.timeout_ms = 5000;
        radar_response r;
        int rc = radar_fetch(&r, urls[i], &o);
        if (rc != RADAR_EINVALID)
            fail_msg("%s: %d (%s)", urls[i], rc, radar_last_error());
        assert_non_null(strstr(radar_last_error(), "is a loopback, private or link-local address; not fetched"));
        assert_true(r.private_address);
        assert_int_equal(radar_fetch_address_private(r.address), 1);
        radar_response_free(&r);
    }
}

static void test_postings(void **state)
{
    (void)state;
    postings *p = radar_postings_new(1 << 20);
    assert_non_null(p);
    long long out[POSTINGS_KEEP];
    assert_int_equal(radar_postings_find(p, 7, 100, out, 16), 0);
    for (long long row = 1; row <= 20; row++)
        assert_int_equal(radar_postings_add(p, 7, row), 0);
    assert_int_equal(radar_postings_add(p, 0, 3), 0); /* any key, zero too */
    /* the newest POSTINGS_KEEP are kept, given newest first */
    assert_int_equal(radar_postings_find(p, 7, 100, out, 16), POSTINGS_KEEP);
    assert_int_equal(out[0], 20);
    assert_int_equal(out[POSTINGS_KEEP - 1], 21 - POSTINGS_KEEP);
    /* those below the bound, at most as many as asked */
    assert_int_equal(radar_postings_find(p, 7, 18, out, 3), 3);
    assert_int_equal(out[0], 17);
    assert_int_equal(out[2], 15);
    assert_int_equal(radar_postings_find(p, 0, 100, out, 16), 1);
    assert_int_equal(out[0], 3);
    assert_int_equal(radar_postings_find(p, 0, 3, out, 16), 0);
    /* many keys: the table grows and every key keeps its rows */
    for (uint64_t k = 1000; k < 4000; k++) {
        assert_int_equal(radar_postings_add(p, k * 0x9e3779b97f4a7c15ULL, (long long)k), 0);
        if (k % 3 == 0)
            assert_int_equal(radar_postings_add(p, k * 0x9e3779b97f4a7c15ULL, (long long)k + 1), 0);
    }
    for (uint64_t k = 1000; k < 4000; k += 7) {
        size_t n = radar_postings_find(p, k * 0x9e3779b97f4a7c15ULL, 1LL << 40, out, 16);
        assert_int_equal(n, k % 3 == 0 ? 2 : 1);
        assert_int_equal(out[n - 1], (long long)k);
    }
    /* full: nothing more is taken, and what is kept stays */
    uint64_t k = 1;
    int rc;
    while ((rc = radar_postings_add(p, k, 1)) == 0 && (rc = radar_postings_add(p, k, 2)) == 0)
        k++;
    assert_int_equal(rc, 1);
    assert_int_equal(radar_postings_find(p, 7, 100, out, 16), POSTINGS_KEEP);
    radar_postings_clear(p);
    assert_int_equal(radar_postings_find(p, 7, 100, out, 16), 0);
    assert_int_equal(radar_postings_add(p, 7, 5), 0);
    assert_int_equal(radar_postings_find(p, 7, 100, out, 16), 1);
    radar_postings_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_subscriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_items_remembered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syndicated_copy_is_a_citation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_found_from_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_found_in_bulk_load, setup, teardown),
        cmocka_unit_test(test_postings),
        cmocka_unit_test(test_private_addresses),
        cmocka_unit_test(test_fetch_refuses_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
