/*
 * test_fts_pg.c - PostgreSQL's full-text pieces the client makes
 * (src/lib/fts_pg.c): an article's tsvector with its words folded as the
 * FTS5 tokenizer folds them, at to_tsvector's positions; a search's terms
 * as a tsquery of folded words; the passage cut around the words found,
 * marked as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/buf.h"
#include "fts_pg.h"

static char *vector_of(const char *title, const char *body)
{
    const char *texts[2] = {title, body};
    size_t lens[2] = {title ? strlen(title) : 0, body ? strlen(body) : 0};
    radar_buf b = RADAR_BUF_INIT;
    assert_int_equal(radar_fts_tsvector(&b, texts, lens, 2), 0);
    assert_non_null(b.data);
    return b.data;
}

static void test_vector(void **state)
{
    (void)state;
    char *v = vector_of("Martin Ødegaard", "Müller and MÜLLER, Weißmann's; Łukasz.");
    /* sorted by word; the umlaut's written-out form at the same position */
    assert_string_equal(v, "'and':4 'lukasz':8 'martin':1 'mueller':3,5 'muller':3,5 'odegaard':2 's':7 "
                           "'weissmann':6");
    free(v);
    v = vector_of(NULL, "");
    assert_string_equal(v, "");
    free(v);
    /* a quote or backslash in a word (none is: they split words) never leaves the literal */
    v = vector_of("it's", "back\\slash");
    assert_string_equal(v, "'back':3 'it':1 's':2 'slash':4");
    free(v);
}

static void test_vector_positions_bounded(void **state)
{
    (void)state;
    /* 20,000 words: PostgreSQL keeps positions up to 16383, 256 of one word */
    radar_buf body = RADAR_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        assert_int_equal(radar_buf_puts(&body, i == 19999 ? "last " : "word "), 0);
    char *v = vector_of(NULL, body.data);
    assert_non_null(strstr(v, "'last':16383"));
    const char *w = strstr(v, "'word':");
    assert_non_null(w);
    int commas = 0;
    for (const char *p = w; *p && *p != ' '; p++)
        commas += *p == ',';
    assert_int_equal(commas, 255);
    free(v);
    radar_buf_free(&body);
}

static char *query_term(const char *t, int prefix, int want_words)
{
    radar_buf b = RADAR_BUF_INIT;
    assert_int_equal(radar_fts_tsquery_term(&b, t, strlen(t), prefix), want_words);
    assert_int_equal(radar_buf_append(&b, "", 0), 0);
    return b.data;
}

static void test_query(void **state)
{
    (void)state;
    char *q = query_term("Thomas Müller", 0, 2);
    assert_string_equal(q, "('thomas' <-> ('muller' | 'mueller'))");
    free(q);
    q = query_term("Øde", 1, 1);
    assert_string_equal(q, "('ode':*)");
    free(q);
    q = query_term("Jonas Mül", 1, 2); /* the prefix is the last word's, both forms */
    assert_string_equal(q, "('jonas' <-> ('mul':* | 'muel':*))");
    free(q);
    q = query_term("--", 0, 0);
    assert_string_equal(q, "");
    free(q);
}

static void test_next_term(void **state)
{
    (void)state;
    const char *p = "(\"martin\" \"ode\"* \"a \"\"b\"\"\") NOT \"arsenal\"";
    radar_buf t = RADAR_BUF_INIT;
    int negate, prefix;
    assert_int_equal(radar_fts_next_term(&p, &t, &negate, &prefix), 1);
    assert_string_equal(t.data, "martin");
    assert_false(negate || prefix);
    assert_int_equal(radar_fts_next_term(&p, &t, &negate, &prefix), 1);
    assert_string_equal(t.data, "ode");
    assert_true(prefix);
    assert_int_equal(radar_fts_next_term(&p, &t, &negate, &prefix), 1);
    assert_string_equal(t.data, "a \"b\"");
    assert_int_equal(radar_fts_next_term(&p, &t, &negate, &prefix), 1);
    assert_string_equal(t.data, "arsenal");
    assert_true(negate);
    assert_int_equal(radar_fts_next_term(&p, &t, &negate, &prefix), 0);
    radar_buf_free(&t);
}

static char *passage(const char *text, const char *fts5)
{
    char *out = NULL;
    assert_int_equal(radar_fts_passage(text, strlen(text), fts5, &out), 0);
    assert_non_null(out);
    return out;
}

static void test_passage(void **state)
{
    (void)state;
    char *p = passage("Bayern Munich have made a bid for Arsenal midfielder Martin Ødegaard, 25.", "\"Odegaard\"");
    assert_string_equal(p, "Bayern Munich have made a bid for Arsenal midfielder Martin [Ødegaard], 25.");
    free(p);
    /* a phrase is one mark; a word left out is not marked */
    p = passage("Celtic also like Łukasz Łęgowski of Legia.", "\"lukasz legowski\" NOT \"legia\"");
    assert_string_equal(p, "Celtic also like [Łukasz Łęgowski] of Legia.");
    free(p);
    /* a long text: 16 words around the words found ("twenty-one" is two),
     * "..." where it is cut */
    const char *text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                       "sixteen seventeen eighteen Weißmann nineteen twenty twenty-one twenty-two twenty-three "
                       "twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty.";
    p = passage(text, "\"Weissmann\"");
    assert_string_equal(p, "...twelve thirteen fourteen fifteen sixteen seventeen eighteen [Weißmann] nineteen "
                           "twenty twenty-one twenty-two twenty-three...");
    free(p);
    /* the window with the most terms wins over the first hit */
    p = passage("Arsenal said one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen and then Arsenal bid for Saka today in the end.",
                "\"arsenal\" \"saka\"");
    assert_non_null(strstr(p, "[Arsenal] bid for [Saka]"));
    assert_int_equal(strncmp(p, "...", 3), 0);
    free(p);
    /* a prefix, and the text's start kept when the window begins there */
    p = passage("  Højlund scores again.", "\"hoj\"*");
    assert_string_equal(p, "  [Højlund] scores again.");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_vector_positions_bounded),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_next_term),
        cmocka_unit_test(test_passage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
