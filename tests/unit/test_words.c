/*
 * test_words.c - word classes: loading words files (good, unknown class,
 * missing class, entries that are no word), classifying tokens, and a
 * user's words file changing what extraction finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "radar/radar.h"
#include "lexicon_internal.h"
#include "tokenize.h"

static radar_tokens T;
static word_set *SETS;

static int add(radar_lexicon *lex, const char *text)
{
    return radar_lexicon_add_words(lex, "extra/words.txt", text, strlen(text));
}

/* Tokenize `text` and classify its tokens with `lex`; returns the token count. */
static size_t classify(const radar_lexicon *lex, const char *text)
{
    assert_int_equal(radar_tokenize(&T, text, strlen(text)), 0);
    free(SETS);
    SETS = malloc((T.n + WORD_PAD) * sizeof *SETS);
    assert_non_null(SETS);
    radar_words_classify(lex, &T, SETS);
    return T.n;
}

static int in(size_t k, word_class c) { return (int)(SETS[k].bits[c >> 6] >> (c & 63)) & 1; }

/* Is there any class for token k? */
static int any(size_t k)
{
    for (int w = 0; w < WC_WORDS; w++)
        if (SETS[k].bits[w])
            return 1;
    return 0;
}

static void test_class_names(void **state)
{
    (void)state;
    assert_string_equal(radar_words_class_name(WC_CLAUSE_BREAK), "clause_break");
    assert_string_equal(radar_words_class_name(WC_LEAVE), "leave");
    assert_null(radar_words_class_name(WC_COUNT));
    for (int a = 0; a < WC_COUNT; a++)
        for (int b = a + 1; b < WC_COUNT; b++)
            assert_true(strcmp(radar_words_class_name((word_class)a), radar_words_class_name((word_class)b)) != 0);
}

static void test_good_file(void **state)
{
    (void)state;
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    assert_int_equal(add(lex, "# a comment\n"
                              "\n"
                              "leave: leave | Leaving|QUIT|  |exit\r\n"
                              "   departure: leave|exit\n"
                              "pronoun: he's|him\n"
                              "list_separator: and|&\n"
                              "currency_eur: euro|c\xC3\xA9nt\n"
                              "# the last line has no newline\n"
                              "leave: ditch"),
                     0);
    size_t n = classify(lex, "We LEAVE, leaving: Quit ditch exit the club.");
    assert_int_equal(n, 11);
    assert_true(in(1, WC_LEAVE) && in(1, WC_DEPARTURE)); /* a word in two classes */
    assert_true(in(3, WC_LEAVE) && !in(3, WC_DEPARTURE));
    assert_true(in(5, WC_LEAVE) && in(6, WC_LEAVE)); /* a second line for a class adds to it */
    assert_true(in(7, WC_LEAVE) && in(7, WC_DEPARTURE));
    assert_false(any(0) || any(2) || any(4) || any(8) || any(9) || any(10));
    /* the WORD_PAD sets after the last token are empty */
    assert_false(any(n) || any(n + 1));
    /* folded forms meet: case, accents, typographic apostrophes */
    classify(lex, "CENT euro Cent");
    assert_true(in(0, WC_CURRENCY_EUR) && in(1, WC_CURRENCY_EUR) && in(2, WC_CURRENCY_EUR));
    /* "he's" is one token before a dash; "he's" before a space is "he" and "'s" */
    classify(lex, "He\xE2\x80\x99s\xE2\x80\x94him he's");
    assert_true(in(0, WC_PRONOUN) && in(2, WC_PRONOUN));
    assert_false(in(3, WC_PRONOUN));
    /* "&" folds to "and" in text; a fullwidth ampersand folds to "&" */
    classify(lex, "A & B \xEF\xBC\x86 C");
    assert_true(in(1, WC_LIST_SEPARATOR) && in(3, WC_LIST_SEPARATOR));
    /* classes this file does not name are missing */
    radar_error_clear();
    assert_int_equal(radar_words_check(lex, "extra/words.txt"), RADAR_EFORMAT);
    assert_non_null(strstr(radar_last_error(), "extra/words.txt: word class 'clause_break' is missing"));
    radar_lexicon_free(lex);
}

/* Add `text` to a fresh lexicon; expect RADAR_EFORMAT naming `where` and saying `why`. */
static void assert_malformed(const char *text, const char *where, const char *why)
{
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    radar_error_clear();
    assert_int_equal(add(lex, text), RADAR_EFORMAT);
    const char *msg = radar_last_error();
    if (!strstr(msg, where) || !strstr(msg, why))
        fail_msg("message '%s' should name '%s' and say '%s'", msg, where, why);
    radar_lexicon_free(lex);
}

static void test_unknown_class(void **state)
{
    (void)state;
    assert_malformed("leave: leave\n# next\nleaving_soon: go\n", "extra/words.txt:3:",
                     "unknown word class 'leaving_soon'");
    assert_malformed("Leave: leave\n", "extra/words.txt:1:", "unknown word class 'Leave'");
    assert_malformed(": leave\n", "extra/words.txt:1:", "unknown word class ''");
}

static void test_missing_class(void **state)
{
    (void)state;
    /* every class but the last: the check names the one left out */
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    for (int c = 0; c + 1 < WC_COUNT; c++) {
        char line[128];
        snprintf(line, sizeof line, "%s: zz%d\n", radar_words_class_name((word_class)c), c);
        assert_int_equal(add(lex, line), 0);
    }
    radar_error_clear();
    assert_int_equal(radar_words_check(lex, "words.txt"), RADAR_EFORMAT);
    char want[128];
    snprintf(want, sizeof want, "words.txt: word class '%s' is missing", radar_words_class_name((word_class)(WC_COUNT - 1)));
    assert_string_equal(radar_last_error(), want);
    char last[128];
    snprintf(last, sizeof last, "%s: zz\n", radar_words_class_name((word_class)(WC_COUNT - 1)));
    assert_int_equal(add(lex, last), 0);
    assert_int_equal(radar_words_check(lex, "words.txt"), 0);
    radar_lexicon_free(lex);
    /* the built-in words name every class */
    assert_int_equal(radar_lexicon_new_builtin(&lex), 0);
    assert_int_equal(radar_words_check(lex, "words.txt"), 0);
    classify(lex, "Bastoni could leave Inter, but Liverpool want him.");
    assert_true(in(2, WC_LEAVE) && in(5, WC_CLAUSE_BREAK) && in(7, WC_WANT) && in(8, WC_PRONOUN));
    radar_lexicon_free(lex);
}

static void test_not_one_word(void **state)
{
    (void)state;
    assert_malformed("club_contract: contract|team-mate\n", "extra/words.txt:1:", "'team-mate' is not one word");
    assert_malformed("here: here we go\n", "extra/words.txt:1:", "'here we go' is not one word");
    assert_malformed("pronoun: 's\n", "extra/words.txt:1:", "is not one word");
    assert_malformed("pronoun: players'\n", "extra/words.txt:1:", "is not one word");
    assert_malformed("pronoun: o''neill\n", "extra/words.txt:1:", "is not one word");
    assert_malformed("million: 1.5\n", "extra/words.txt:1:", "'1.5' is not one word");
    assert_malformed("million: 16m\n", "extra/words.txt:1:", "'16m' is not one word");
    assert_malformed("million: &&\n", "extra/words.txt:1:", "'&&' is not one word");
    char longword[128] = "leave: ";
    memset(longword + 7, 'x', 65);
    longword[72] = '\0';
    assert_malformed(longword, "extra/words.txt:1:", "at most 64 bytes");
    assert_malformed("leave:\n", "extra/words.txt:1:", "word class 'leave' has no words");
    assert_malformed("leave: | |\n", "extra/words.txt:1:", "has no words");
    assert_malformed("leave leave|quit\n", "extra/words.txt:1:", "expected 'class: word|word|...'");
    assert_malformed("leave: qu\xFFit\n", "extra/words.txt:1:", "invalid UTF-8");
    /* letters with digits, inner apostrophes and a number are one word each */
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    assert_int_equal(add(lex, "thousand: 000|k\nname_particle: o'|d'\n"), RADAR_EFORMAT);
    assert_int_equal(add(lex, "thousand: 000|u21|o'neill|x\xCC\x81y\n"), 0);
    classify(lex, "500 000 U21 O'Neill");
    assert_true(in(1, WC_THOUSAND) && in(2, WC_THOUSAND) && in(3, WC_THOUSAND));
    radar_lexicon_free(lex);
}

/* Write `text` to dir/rel. */
static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Does the extraction of `body` with `lex` give a rumour with a fee? Its currency into `currency`. */
static int money_currency(const radar_lexicon *lex, const char *body, char currency[4])
{
    radar_extractor *ex;
    assert_int_equal(radar_extractor_new(&ex, lex), 0);
    radar_article a = {.id = "t", .body = body, .body_len = strlen(body)};
    const radar_doc *doc;
    assert_int_equal(radar_extract(ex, &a, &doc), 0);
    int found = 0;
    for (size_t i = 0; i < doc->n_rumours && !found; i++)
        if (doc->rumours[i].has_fee) {
            memcpy(currency, doc->rumours[i].fee.currency, 4);
            found = 1;
        }
    radar_extractor_free(ex);
    return found;
}

/* A vocabulary fix is a data edit: a user's words.txt adds to a class. */
static void test_user_words(void **state)
{
    (void)state;
    char dir[] = "/tmp/radar-words-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *body = "Roma have made a 50m euri bid for Marco Rossi.";
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new_builtin(&lex), 0);
    char cur[4] = "";
    assert_false(money_currency(lex, body, cur));
    write_file(dir, "words.txt", "# Italian spelling\ncurrency_eur: euri\n");
    assert_int_equal(radar_lexicon_load_dir(lex, dir), 0);
    assert_true(money_currency(lex, body, cur));
    assert_string_equal(cur, "EUR");
    /* a malformed words.txt in a directory: the error names the file and line */
    write_file(dir, "words.txt", "currency_eur: euri\ncurrency_lira: lire\n");
    radar_error_clear();
    assert_int_equal(radar_lexicon_load_dir(lex, dir), RADAR_EFORMAT);
    assert_non_null(strstr(radar_last_error(), "words.txt:2: unknown word class 'currency_lira'"));
    radar_lexicon_free(lex);
    char path[512];
    snprintf(path, sizeof path, "%s/words.txt", dir);
    remove(path);
    rmdir(dir);
}

static int teardown(void **state)
{
    (void)state;
    radar_tokens_free(&T);
    free(SETS);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_names),   cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_unknown_class), cmocka_unit_test(test_missing_class),
        cmocka_unit_test(test_not_one_word),  cmocka_unit_test(test_user_words),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
