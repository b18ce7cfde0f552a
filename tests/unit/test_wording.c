/*
 * test_wording.c - the wording lists of the likelihood (data/lexicon/
 * wording.txt, compiled in): the file is read, a bad line is refused with
 * its file and line, and a report's sentence is read against the lists as
 * whole words, each phrase once, a negated firm phrase not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "radar/error.h"
#include "store_internal.h"

typedef struct reading {
    const char *text;
    int firm, hedges;
    const char *firm_word, *hedge_word;
} reading;

static void read_with(const radar_wording *w, const reading *r)
{
    radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
    radar_wording_count(w, r->text, strlen(r->text), &e);
    if (e.firm != r->firm || e.hedges != r->hedges || strcmp(e.firm_word, r->firm_word) ||
        strcmp(e.hedge_word, r->hedge_word))
        fail_msg("'%s': firm %d ('%s'), hedges %d ('%s'); expected %d ('%s'), %d ('%s')", r->text, e.firm,
                 e.firm_word, e.hedges, e.hedge_word, r->firm, r->firm_word, r->hedges, r->hedge_word);
}

static void test_builtin(void **state)
{
    (void)state;
    const radar_wording *w;
    assert_int_equal(radar_wording_builtin(&w), 0);
    assert_true(w->firm.n > 10 && w->hedged.n > 10);
    static const reading v[] = {
        {"Harbour City have agreed a fee with Lyon", 1, 0, "agreed", ""},
        /* a phrase is counted once: "advanced talks", not "talks" again */
        {"are in advanced talks and close to a deal", 2, 0, "advanced talks", ""},
        /* an open ending quotes the word as written */
        {"Brentford have COMPLETED the signing", 1, 0, "completed", ""},
        {"are finalising the paperwork", 1, 0, "finalising", ""},
        /* a negated firm phrase does not count; hedges do */
        {"have not agreed a fee, and there is no agreement", 0, 0, "", ""},
        {"could be monitoring the winger", 0, 2, "", "could"},
        /* whole words only: "interesting" is no "interest", "iffy" no "if" */
        {"an interesting and iffy deal", 0, 0, "", ""},
        {"are interested, but a medical is booked", 1, 1, "medical", "interested"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        read_with(w, &v[i]);
}

static void test_parse(void **state)
{
    (void)state;
    radar_wording w;
    const char ok[] = "# a comment\n\nClose To|signed off |wording=firm\nmaybe|wording=hedged\r\nhoped*|wording=hedged\n";
    assert_int_equal(radar_wording_parse(&w, "w.txt", ok, sizeof ok - 1), 0);
    assert_int_equal(w.firm.n, 2);
    assert_string_equal(w.firm.phrase[0], "close to"); /* lower case, as the text it is matched with */
    assert_string_equal(w.firm.phrase[1], "signed off");
    assert_int_equal(w.hedged.n, 2);
    read_with(&w, &(reading){"Maybe they are close to signing him; they hoped so", 1, 2, "close to", "maybe"});

    static const struct {
        const char *text, *where;
    } bad[] = {
        {"close to|agreed\n", "w.txt:1:"},                   /* no list named */
        {"# list\nclose to|wording=sure\n", "w.txt:2:"},     /* no such list */
        {"close to||wording=firm\n", "w.txt:1: an empty"},   /* an empty phrase */
        {"fin*ished|wording=firm\n", "w.txt:1: '*' only"},   /* '*' inside */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = radar_wording_parse(&w, "w.txt", bad[i].text, strlen(bad[i].text));
        assert_int_equal(rc, RADAR_EFORMAT);
        if (!strstr(radar_last_error(), bad[i].where))
            fail_msg("'%s': %s (expected %s)", bad[i].text, radar_last_error(), bad[i].where);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
