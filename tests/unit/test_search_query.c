/*
 * test_search_query.c - a search as the user types it, made an FTS5 query
 * (src/lib/search_query.c): every term quoted, phrases kept, -word left out,
 * word* a prefix, nothing else syntax.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/error.h"
#include "search_query.h"

static void expect(const char *query, const char *want)
{
    char *got = NULL;
    if (radar_search_translate(query, &got))
        fail_msg("'%s': %s", query, radar_last_error());
    assert_string_equal(got, want);
    free(got);
}

static void refused(const char *query, const char *said)
{
    char *got = NULL;
    assert_int_equal(radar_search_translate(query, &got), RADAR_EINVALID);
    assert_null(got);
    assert_non_null(strstr(radar_last_error(), said));
}

static void test_translate(void **state)
{
    (void)state;
    expect("Grealish", "\"Grealish\"");
    expect("  Man   City  ", "\"Man\" \"City\"");
    expect("Man City AND Grealish", "\"Man\" \"City\" \"AND\" \"Grealish\"");
    expect("NOT OR NEAR(x, 5)", "\"NOT\" \"OR\" \"NEAR(x,\" \"5)\"");
    expect("title:bid ^first +plus", "\"title:bid\" \"^first\" \"+plus\"");
    expect("\"release clause\" Arsenal", "\"release clause\" \"Arsenal\"");
    expect("\"open quote runs", "\"open quote runs\"");
    expect("a\"b\"c", "\"a\" \"b\" \"c\"");
    expect("Saint-Maximin", "\"Saint-Maximin\"");
    expect("bid -Villa -\"West Ham\"", "(\"bid\") NOT \"Villa\" NOT \"West Ham\"");
    expect("tra* -loa*", "(\"tra\"*) NOT \"loa\"*");
    expect("\"release cl\"*", "\"release cl\"*");
    expect("* bid ** - -", "\"bid\"");
    expect("O'Neil", "\"O'Neil\"");
    expect("Ødegaard", "\"Ødegaard\"");
    refused("", "the query is empty");
    refused("   ", "has no word to look for");
    refused("*", "'*' has no word to look for");
    refused("-Villa", "only says what to leave out");
    refused("\"\"", "has no word");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_translate)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
