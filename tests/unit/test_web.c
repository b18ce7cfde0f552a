/*
 * test_web.c - HTML pages and RSS/Atom feeds through the article reader.
 *
 * Golden: the text of every page and feed item in tests/fixtures/web is
 * compared with tests/fixtures/web/expected/<file>[.<item>].txt byte for byte
 * (RADAR_REGEN=1 rewrites them; review the diff). Then the metadata each
 * format gives, the messages for malformed markup, sniffing by content, and
 * the date parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "web.h"

typedef struct item {
    radar_read_event type;
    char *id, *date, *source, *title, *url, *author, *body, *message;
    int partial;
    uint64_t line;
} item;

typedef struct log {
    item it[16];
    size_t n;
} log_t;

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static int collect(void *user, radar_read_event type, const radar_article *a, const char *message)
{
    log_t *lg = user;
    assert_true(lg->n < 16);
    item *e = &lg->it[lg->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->message = dup0(message);
    if (a) {
        e->id = dup0(a->id);
        e->date = dup0(a->date);
        e->source = dup0(a->source);
        e->title = dup0(a->title);
        e->url = dup0(a->url);
        e->author = dup0(a->author);
        e->body = strndup(a->body, a->body_len);
        e->partial = a->partial;
        e->line = a->line;
    }
    return 0;
}

static void log_free(log_t *lg)
{
    for (size_t i = 0; i < lg->n; i++) {
        item *e = &lg->it[i];
        free(e->id);
        free(e->date);
        free(e->source);
        free(e->title);
        free(e->url);
        free(e->author);
        free(e->body);
        free(e->message);
    }
    lg->n = 0;
}

static const char *fixtures(void)
{
    const char *f = getenv("RADAR_FIXTURES");
    return f ? f : "tests/fixtures";
}

static void read_fixture(const char *name, log_t *lg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/web/%s", fixtures(), name);
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    assert_int_equal(radar_read_path(path, &ro, collect, lg), 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* Compare each article's text with expected/<name>[.<k>].txt. */
static void golden(const char *name)
{
    log_t lg = {0};
    read_fixture(name, &lg);
    int k = 0;
    for (size_t i = 0; i < lg.n; i++) {
        if (lg.it[i].type != RADAR_READ_ARTICLE)
            continue;
        k++;
        char path[1024];
        snprintf(path, sizeof path, "%s/web/expected/%s.%d.txt", fixtures(), name, k);
        if (getenv("RADAR_REGEN")) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            fprintf(f, "%s\n", lg.it[i].body);
            fclose(f);
            continue;
        }
        char *want = slurp(path);
        if (!want)
            fail_msg("no expected text %s (RADAR_REGEN=1 writes it)", path);
        size_t wl = strlen(want);
        if (wl && want[wl - 1] == '\n')
            want[--wl] = '\0';
        if (strcmp(want, lg.it[i].body) != 0)
            fail_msg("%s item %d: text differs from %s:\n--- got\n%s\n---", name, k, path, lg.it[i].body);
        free(want);
    }
    assert_true(k > 0);
    log_free(&lg);
}

static void test_golden_pages(void **state)
{
    (void)state;
    golden("jsonld-page.html");
    golden("meta-page.html");
    golden("malformed-page.html");
}

static void test_golden_feeds(void **state)
{
    (void)state;
    golden("rss-feed.xml");
    golden("atom-feed.xml");
    golden("malformed-feed.xml");
}

static void test_boilerplate_left_out(void **state)
{
    (void)state;
    static const char *const pages[] = {"jsonld-page.html", "meta-page.html"};
    static const char *const never[] = {"cookie", "Accept all", "Advertisement", "Read more", "Share", "Related",
                                        "inbox", "rights reserved", "celebrates a goal", "Transfers", "Topics", "tickets",
                                        "our competition", "action at the", "Most read", "pre-season", NULL};
    for (int p = 0; p < 2; p++) {
        log_t lg = {0};
        read_fixture(pages[p], &lg);
        assert_int_equal(lg.n, 1);
        for (int i = 0; never[i]; i++)
            if (strstr(lg.it[0].body, never[i]))
                fail_msg("%s: '%s' should not be in the text", pages[p], never[i]);
        log_free(&lg);
    }
}

static void test_page_metadata(void **state)
{
    (void)state;
    log_t lg = {0};
    read_fixture("jsonld-page.html", &lg);
    assert_int_equal(lg.n, 1);
    item *e = &lg.it[0];
    assert_int_equal(e->type, RADAR_READ_ARTICLE);
    assert_string_equal(e->id, "jsonld-page");
    assert_string_equal(e->date, "2024-06-14"); /* datePublished, not dateModified */
    assert_string_equal(e->source, "The Touchline Herald");
    assert_string_equal(e->title, "Napoli table offer for Sporting winger Meireles");
    assert_string_equal(e->author, "Rosa Lindgren");
    assert_string_equal(e->url, "https://touchline.example/news/napoli-meireles");
    assert_int_equal(e->partial, 0);
    log_free(&lg);

    read_fixture("meta-page.html", &lg);
    e = &lg.it[0];
    assert_string_equal(e->date, "2024-07-02");
    assert_string_equal(e->source, "Midlands Football Post");
    assert_string_equal(e->title, "Aston Villa prepare bid for Brentford striker Lindqvist");
    assert_string_equal(e->author, "Theo Marsh");
    assert_string_equal(e->url, "https://mfp.example/villa-lindqvist");
    log_free(&lg);
}

/* The container choice and the rules for what is not text, case by case. */
static void test_body_rules(void **state)
{
    (void)state;
    static const char P1[] = "Lazio have agreed a fee with Genk for winger Jonas Peeters, who will sign a four-year deal.";
    static const char P2[] = "Genk had rejected two earlier offers for the Belgian, who scored twelve goals this season.";
    static const struct {
        const char *what, *html, *body;
    } cases[] = {
        {"itemprop=articleBody beats a larger <article>",
         "<html><body><article><p>%s</p><p>%s</p><p>%s</p></article>"
         "<div itemprop=\"articleBody\"><p>%s</p></div></body></html>",
         "P1"},
        {"the <article> with most text, not the teasers",
         "<html><body><article class=\"card\"><p>Genk confirm the sale of a defender to Bruges for a fee.</p></article>"
         "<article><p>%s</p><p>%s</p></article></body></html>",
         "P1P2"},
        {"no container: the block with most prose",
         "<html><body><div class=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a></div>"
         "<div class=\"c\"><p>%s</p><p>%s</p></div><div><p>Short.</p></div></body></html>",
         "P1P2"},
        {"hidden, aria-hidden, display:none, role=complementary and ad slots left out",
         "<html><body><main><p>%s</p><p hidden>Hidden words that must not be read at all.</p>"
         "<div aria-hidden=\"true\">Screen reader words that must not be read.</div>"
         "<div style=\"display: none\">Invisible words that must not be read.</div>"
         "<div role=\"complementary\">Side words that must not be read here.</div>"
         "<div class=\"top ad\">Buy things now, a message from our sponsor.</div><p>%s</p></main></body></html>",
         "P1P2"},
        {"link lists and read-more lines left out, a link inside prose kept",
         "<html><body><main><p>%s</p><p>READ MORE: <a href=\"/x\">all the Lazio news today</a></p>"
         "<ul><li><a href=\"/a\">Lazio sign a goalkeeper from Parma</a></li></ul>"
         "<p>Genk had rejected two earlier offers for the <a href=\"/b\">Belgian</a>, who scored twelve goals "
         "this season.</p></main></body></html>",
         "P1P2"},
        {"entities decoded, no-break spaces and line breaks as spaces",
         "<html><body><main><p>Lazio have agreed a fee with Genk for winger Jonas&nbsp;Peeters, who will\n"
         "sign a four-year deal.</p></main></body></html>",
         "P1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char html[4096], want[1024] = "";
        const char *args[4] = {P1, P2, P1, P1};
        if (i == 0) {
            args[0] = P2;
            args[1] = P2;
            args[2] = P2;
            args[3] = P1;
        }
        snprintf(html, sizeof html, cases[i].html, args[0], args[1], args[2], args[3]);
        for (const char *k = cases[i].body; *k; k += 2) {
            if (*want)
                strcat(want, "\n\n");
            strcat(want, k[1] == '1' ? P1 : P2);
        }
        log_t lg = {0};
        radar_read_options ro = RADAR_READ_OPTIONS_INIT;
        assert_int_equal(radar_read_buffer("case.html", html, strlen(html), &ro, collect, &lg), 0);
        if (lg.n != 1 || lg.it[0].type != RADAR_READ_ARTICLE)
            fail_msg("%s: no article (%s)", cases[i].what, lg.n ? lg.it[0].message : "nothing");
        if (strcmp(lg.it[0].body, want))
            fail_msg("%s:\n--- got\n%s\n--- want\n%s", cases[i].what, lg.it[0].body, want);
        log_free(&lg);
    }
}

static void test_feed_items(void **state)
{
    (void)state;
    log_t lg = {0};
    read_fixture("rss-feed.xml", &lg);
    assert_int_equal(lg.n, 3);
    item *e = &lg.it[0];
    assert_int_equal(e->type, RADAR_READ_ARTICLE);
    assert_string_equal(e->id, "harbour-2024-0811"); /* the guid */
    assert_string_equal(e->date, "2024-08-11");
    assert_string_equal(e->source, "Harbour City Sport");
    assert_string_equal(e->author, "Pieter Vos");
    assert_string_equal(e->url, "https://harbour.example/feyenoord-holm");
    assert_int_equal(e->partial, 0); /* content:encoded carries the text */
    assert_null(strstr(e->body, "Danish cup final"));
    e = &lg.it[1];
    assert_string_equal(e->id, "https://harbour.example/ajax-strand"); /* no guid: the link */
    assert_int_equal(e->partial, 1);
    assert_string_equal(e->body,
                        "Ajax have sent scouts to watch Rosenborg forward Mikkel Strand, 18, according to De Telegraaf.");
    e = &lg.it[2];
    assert_int_equal(e->type, RADAR_READ_FAILURE);
    assert_non_null(strstr(e->message, "rss-feed.xml:26: item 3 (Empty teaser) has no text"));
    log_free(&lg);

    read_fixture("atom-feed.xml", &lg);
    assert_int_equal(lg.n, 2);
    assert_string_equal(lg.it[0].id, "urn:example:iberian-desk:1001");
    assert_string_equal(lg.it[0].date, "2024-08-20"); /* published before updated */
    assert_string_equal(lg.it[0].author, "Lucía Ferrer");
    assert_string_equal(lg.it[0].url, "https://iberian.example/valencia-olivera");
    assert_string_equal(lg.it[0].source, "Iberian Transfer Desk");
    assert_int_equal(lg.it[0].partial, 0);
    assert_null(strstr(lg.it[0].body, "Nacional in May"));
    assert_string_equal(lg.it[1].date, "2024-08-19");
    assert_int_equal(lg.it[1].partial, 1);
    log_free(&lg);
}

static void test_malformed(void **state)
{
    (void)state;
    log_t lg = {0};
    read_fixture("malformed-feed.xml", &lg);
    assert_int_equal(lg.n, 4); /* a warning naming line and item, then all three items */
    assert_int_equal(lg.it[0].type, RADAR_READ_WARNING);
    assert_non_null(strstr(lg.it[0].message, "malformed-feed.xml:12: malformed XML in item 2"));
    for (int i = 1; i < 4; i++)
        assert_int_equal(lg.it[i].type, RADAR_READ_ARTICLE);
    assert_non_null(strstr(lg.it[3].body, "Caio Tavares"));
    log_free(&lg);

    read_fixture("malformed-page.html", &lg);
    assert_int_equal(lg.n, 2);
    assert_int_equal(lg.it[0].type, RADAR_READ_WARNING);
    assert_non_null(strstr(lg.it[0].message, "malformed-page.html:9: malformed HTML"));
    assert_int_equal(lg.it[1].type, RADAR_READ_ARTICLE);
    assert_non_null(strstr(lg.it[1].body, "Rangers had also shown interest"));
    log_free(&lg);

    /* not a feed at all, and XML of another kind */
    radar_read_options ro = RADAR_READ_OPTIONS_INIT;
    const char *bad = "<?xml version=\"1.0\"?>\n<rss><channel><title>x</title><item><title>a</tit";
    assert_int_equal(radar_read_buffer("cut.xml", bad, strlen(bad), &ro, collect, &lg), 0);
    assert_true(lg.n >= 1);
    assert_int_equal(lg.it[lg.n - 1].type, RADAR_READ_FAILURE);
    log_free(&lg);
    const char *other = "<?xml version=\"1.0\"?>\n<svg><text>hi</text></svg>";
    assert_int_equal(radar_read_buffer("pic.svg", other, strlen(other), &ro, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.it[0].type, RADAR_READ_FAILURE);
    assert_non_null(strstr(lg.it[0].message, "pic.svg: XML, but not an RSS or Atom feed"));
    log_free(&lg);
    const char *empty = "<html><body><nav><a href=/>Home</a></nav></body></html>";
    assert_int_equal(radar_read_buffer("empty.html", empty, strlen(empty), &ro, collect, &lg), 0);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.it[0].type, RADAR_READ_FAILURE);
    assert_non_null(strstr(lg.it[0].message, "empty.html: HTML page with no article text"));
    log_free(&lg);
}

static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        web_kind kind;
    } cases[] = {
        {"<!DOCTYPE html><html>", WEB_HTML},
        {"\xEF\xBB\xBF  <html lang=en>", WEB_HTML},
        {"<!-- a comment -->\n<html>", WEB_HTML},
        {"<?xml version=\"1.0\"?><rss version=\"2.0\">", WEB_FEED},
        {"<?xml version=\"1.0\"?>\n<!-- x -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", WEB_FEED},
        {"<rdf:RDF xmlns:rdf=\"x\">", WEB_FEED},
        {"date 2024-01-01\n<html>", WEB_NONE},
        {"Arsenal want a striker <b>now</b>", WEB_NONE},
        {"<3 this transfer", WEB_NONE},
        {"", WEB_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (radar_web_sniff(cases[i].text, strlen(cases[i].text)) != cases[i].kind)
            fail_msg("radar_web_sniff(\"%s\") should be %d", cases[i].text, cases[i].kind);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"2024-07-02", "2024-07-02"},
        {"2024-07-02T09:30:00+01:00", "2024-07-02"},
        {" 2024-07-02 09:30", "2024-07-02"},
        {"Tue, 02 Jul 2024 09:30:00 +0100", "2024-07-02"},
        {"2 July 2024", "2024-07-02"},
        {"Sun, 29 Feb 2024 00:00:00 GMT", "2024-02-29"},
        {"Thu, 29 Feb 2023 00:00:00 GMT", NULL},
        {"yesterday", NULL},
        {"2024-13-01", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[11] = "";
        int ok = radar_web_date(cases[i].in, out);
        if (cases[i].out) {
            if (!ok || strcmp(out, cases[i].out))
                fail_msg("radar_web_date(\"%s\") gave %s", cases[i].in, ok ? out : "nothing");
        } else if (ok) {
            fail_msg("radar_web_date(\"%s\") should fail, gave %s", cases[i].in, out);
        }
    }
}

/* Entities: expanded wherever they are, however deep the elements around
 * them; the budget counts every expansion and refuses the feed past it. */
static void test_feed_entities(void **state)
{
    (void)state;
    char xml[4096];
    char open[50 * 3 + 1] = "", close[50 * 4 + 1] = "";
    for (int i = 0; i < 50; i++) {
        strcat(open, "<b>");
        strcat(close, "</b>");
    }
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY club \"Rosenborg\">]>\n"
             "<rss version=\"2.0\"><channel><title>&club; Daily</title><item><title>%s&club;%s</title>"
             "<description>Ajax want a &club; striker.</description></item></channel></rss>\n",
             open, close);
    feed f = {0};
    assert_int_equal(radar_feed_parse(&f, xml, strlen(xml)), 0);
    assert_string_equal(f.title, "Rosenborg Daily");
    assert_int_equal(f.n_items, 1);
    assert_string_equal(f.items[0].title, "Rosenborg"); /* 50 elements deep */
    assert_string_equal(f.items[0].body.data, "Ajax want a Rosenborg striker.");
    assert_true(f.budget.used > 0 && f.budget.used < 200);
    radar_feed_free(&f);

    /* 2^25 references to an empty entity: each one costs */
    radar_buf bomb = RADAR_BUF_INIT;
    radar_buf_puts(&bomb, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY e0 \"\">");
    for (int i = 1; i <= 25; i++)
        radar_buf_printf(&bomb, "<!ENTITY e%d \"&e%d;&e%d;\">", i, i - 1, i - 1);
    radar_buf_puts(&bomb, "]>\n<rss version=\"2.0\"><channel><title>B</title><item><title>&e25;</title>"
                          "<description>Text.</description></item></channel></rss>\n");
    memset(&f, 0, sizeof f);
    int rc = radar_feed_parse(&f, bomb.data, bomb.len);
    if (rc == 0) /* libxml2 may refuse such nesting itself: then nothing is expanded */
        assert_true(f.budget.used <= RADAR_MAX_DOC_TEXT_BYTES);
    else
        assert_int_equal(rc, RADAR_ETOOLARGE);
    radar_feed_free(&f);
    radar_buf_free(&bomb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_pages),   cmocka_unit_test(test_golden_feeds), cmocka_unit_test(test_boilerplate_left_out),
        cmocka_unit_test(test_page_metadata),  cmocka_unit_test(test_body_rules),  cmocka_unit_test(test_feed_items),   cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_sniff),          cmocka_unit_test(test_dates),        cmocka_unit_test(test_feed_entities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
