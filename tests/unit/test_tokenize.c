/*
 * test_tokenize.c - tokens, their offsets, flags and folded forms, and
 * sentence boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "radar/error.h"
#include "tokenize.h"
#include "utf8.h"

/* One tokenizer reused by every test, as the extractor reuses its own. */
static radar_tokens T;
static const char *B; /* body of the last tokenize() */

static void tokenize(const char *body)
{
    B = body;
    assert_int_equal(radar_tokenize(&T, body, strlen(body)), 0);
}

/* Check that the tokens' surface forms are exactly `want` (NULL-terminated). */
static void assert_tokens(const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (T.n != n) {
        for (size_t i = 0; i < T.n; i++)
            fprintf(stderr, "  token %zu: '%.*s'\n", i, (int)T.tok[i].len, B + T.tok[i].off);
    }
    assert_int_equal(T.n, n);
    for (size_t i = 0; i < n; i++) {
        char got[128];
        snprintf(got, sizeof got, "%.*s", (int)T.tok[i].len, B + T.tok[i].off);
        assert_string_equal(got, want[i]);
    }
}

/* Index of the first token whose surface form is `s`. */
static size_t find(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < T.n; i++)
        if (T.tok[i].len == n && memcmp(B + T.tok[i].off, s, n) == 0)
            return i;
    fail_msg("no token '%s'", s);
    return 0;
}

/* The text of sentence k. */
static const char *sentence(size_t k)
{
    static char s[256];
    assert_true(k < T.n_sent);
    const radar_token *a = &T.tok[T.sent[k].first], *z = &T.tok[T.sent[k].end - 1];
    snprintf(s, sizeof s, "%.*s", (int)(z->off + z->len - a->off), B + a->off);
    return s;
}

static void test_offsets(void **state)
{
    (void)state;
    tokenize("  Inter want  Bastoni.");
    assert_tokens((const char *[]){"Inter", "want", "Bastoni", ".", NULL});
    assert_int_equal(T.tok[0].off, 2);
    assert_int_equal(T.tok[1].off, 8);
    assert_int_equal(T.tok[2].off, 14);
    assert_int_equal(T.tok[2].len, 7);
    assert_int_equal(T.tok[3].off, 21);
    assert_true(T.tok[0].flags & TOK_WORD);
    assert_true(T.tok[0].flags & TOK_CAP);
    assert_false(T.tok[1].flags & TOK_CAP);
    assert_true(T.tok[1].flags & TOK_SPACE);
    assert_false(T.tok[3].flags & TOK_SPACE); /* the full stop touches the word */
    assert_true(T.tok[3].flags & TOK_PUNCT);
    assert_true(T.tok[3].flags & TOK_JOIN);
    /* every token lies inside the body */
    for (size_t i = 0; i < T.n; i++)
        assert_true(T.tok[i].off + T.tok[i].len <= strlen(B));
}

static void test_folded_forms(void **state)
{
    (void)state;
    tokenize("BAST\xC3\x93NI of M\xC3\x9CNCHEN & Stra\xC3\x9F" "e");
    assert_tokens((const char *[]){"BAST\xC3\x93NI", "of", "M\xC3\x9CNCHEN", "&", "Stra\xC3\x9F" "e", NULL});
    assert_true(radar_tok_is(&T, 0, "bastoni"));
    assert_true(radar_tok_is(&T, 2, "munchen"));
    assert_true(radar_tok_is(&T, 3, "and")); /* '&' folds to "and" */
    assert_true(radar_tok_is(&T, 4, "strasse"));
    assert_false(radar_tok_is(&T, 0, "bastonix"));
    assert_true(T.tok[0].flags & TOK_ALLCAP);
    assert_true(T.tok[2].flags & TOK_ALLCAP);
    assert_false(T.tok[4].flags & TOK_ALLCAP);
    /* the hash is that of the folded form */
    for (size_t i = 0; i < T.n; i++)
        assert_true(T.tok[i].hash == radar_hash_token(radar_tok_fold(&T, i), T.tok[i].fold_len));
    /* a one-letter capital is not ALLCAP */
    tokenize("A deal");
    assert_false(T.tok[0].flags & TOK_ALLCAP);
}

/* A soft hyphen or zero-width character inside a word keeps it one word: the
 * token covers the original bytes, the folded form leaves it out. Between
 * words, or at a word's edge, it is skipped. */
static void test_invisible_characters(void **state)
{
    (void)state;
    tokenize("Ale\xC2\xAD" "ssandro Bastoni");
    assert_tokens((const char *[]){"Ale\xC2\xAD" "ssandro", "Bastoni", NULL});
    assert_int_equal(T.tok[0].off, 0);
    assert_int_equal(T.tok[0].len, 12);
    assert_int_equal(T.tok[1].off, 13);
    assert_true(radar_tok_is(&T, 0, "alessandro"));
    assert_true(T.tok[0].flags & TOK_CAP);
    assert_true(T.tok[0].hash == radar_hash_token("alessandro", 10));

    tokenize("Bas\xE2\x80\x8Bto\xE2\x80\x8D\xE2\x81\xA0ni signs \xEF\xBB\xBFtoday\xE2\x80\x8B.");
    assert_tokens((const char *[]){"Bas\xE2\x80\x8Bto\xE2\x80\x8D\xE2\x81\xA0ni", "signs", "today", ".", NULL});
    assert_true(radar_tok_is(&T, 0, "bastoni"));
    assert_true(radar_tok_is(&T, 2, "today"));
    assert_int_equal(T.tok[0].len, 16);
    assert_int_equal(T.tok[2].off, 26); /* after the U+FEFF */
    assert_int_equal(T.tok[2].len, 5);  /* the zero-width space after it is not in it */

    /* a body that starts with U+FEFF: the first word starts after it */
    tokenize("\xEF\xBB\xBFInter want Bastoni");
    assert_tokens((const char *[]){"Inter", "want", "Bastoni", NULL});
    assert_int_equal(T.tok[0].off, 3);
    assert_true(T.tok[0].flags & TOK_PARA);
}

/* A word mixing Latin letters with Cyrillic or Greek look-alikes folds to its
 * Latin skeleton; its token is the original text. */
static void test_look_alikes(void **state)
{
    (void)state;
    tokenize("\xD0\x86nter want \xD0\xA1\xD0\xBF\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0\xD0\xBA players");
    assert_int_equal(T.n, 4);
    assert_true(radar_tok_is(&T, 0, "inter"));
    assert_int_equal(T.tok[0].len, 6);
    assert_true(T.tok[0].flags & TOK_CAP);
    assert_true(radar_tok_is(&T, 2, "\xD1\x81\xD0\xBF\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0\xD0\xBA")); /* one script: as it is */
}

static void test_possessive(void **state)
{
    (void)state;
    tokenize("Liverpool's defender");
    assert_tokens((const char *[]){"Liverpool", "'s", "defender", NULL});
    assert_true(T.tok[1].flags & TOK_POSS);
    assert_false(T.tok[1].flags & TOK_QUOTE);
    assert_true(radar_tok_is(&T, 0, "liverpool"));

    /* typographic apostrophe */
    tokenize("Inter\xE2\x80\x99s Bastoni");
    assert_tokens((const char *[]){"Inter", "\xE2\x80\x99s", "Bastoni", NULL});
    assert_true(T.tok[1].flags & TOK_POSS);

    /* a bare apostrophe after a word ending in s */
    tokenize("Jones' agent");
    assert_tokens((const char *[]){"Jones", "'", "agent", NULL});
    assert_true(T.tok[1].flags & TOK_POSS);

    /* 's followed by punctuation */
    tokenize("It is Chelsea's.");
    assert_tokens((const char *[]){"It", "is", "Chelsea", "'s", ".", NULL});
    assert_true(T.tok[3].flags & TOK_POSS);
}

static void test_apostrophe_inside_words(void **state)
{
    (void)state;
    tokenize("O'Leary didn't sign for N'Golo's club");
    assert_tokens((const char *[]){"O'Leary", "didn't", "sign", "for", "N'Golo", "'s", "club", NULL});
    assert_true(T.tok[0].flags & TOK_CAP);
    assert_true(radar_tok_is(&T, 0, "o'leary"));
    assert_true(T.tok[5].flags & TOK_POSS);

    tokenize("O\xE2\x80\x99Leary");
    assert_tokens((const char *[]){"O\xE2\x80\x99Leary", NULL});
    assert_true(radar_tok_is(&T, 0, "o'leary")); /* curly apostrophe folds to ' */

    /* a word starting with s after the apostrophe is not a possessive */
    tokenize("D'Souza");
    assert_tokens((const char *[]){"D'Souza", NULL});
    /* words run together in the source: the possessive still ends the first */
    tokenize("Lyon'sFrench midfielder O'Sullivan");
    assert_tokens((const char *[]){"Lyon", "'s", "French", "midfielder", "O'Sullivan", NULL});
}

static void test_hyphens_and_numbers(void **state)
{
    (void)state;
    tokenize("the 21-year-old");
    assert_tokens((const char *[]){"the", "21", "-", "year", "-", "old", NULL});
    assert_true(T.tok[1].flags & TOK_NUM);
    assert_true(T.tok[2].flags & TOK_JOIN);
    assert_false(T.tok[2].flags & TOK_SPACE);

    tokenize("a \xC2\xA3" "43M bid");
    assert_tokens((const char *[]){"a", "\xC2\xA3", "43", "M", "bid", NULL});
    assert_true(T.tok[1].flags & TOK_PUNCT);
    assert_true(T.tok[2].flags & TOK_NUM);
    assert_true(T.tok[3].flags & TOK_WORD);

    tokenize("\xE2\x82\xAC" "1,500.75 or 2.5bn");
    assert_tokens((const char *[]){"\xE2\x82\xAC", "1,500.75", "or", "2.5", "bn", NULL});

    /* a figure's "m" glued by scraping to the next word: "m", then the word;
     * a unit after a number that stays lower case is one word */
    tokenize("\xC2\xA3" "25mClaudio Ranieri, at 3pm");
    assert_tokens((const char *[]){"\xC2\xA3", "25", "m", "Claudio", "Ranieri", ",", "at", "3", "pm", NULL});
    assert_true(T.tok[3].flags & TOK_CAP);

    /* a trailing full stop or comma is not part of the number */
    tokenize("aged 23. Then 4,");
    assert_tokens((const char *[]){"aged", "23", ".", "Then", "4", ",", NULL});

    /* a spaced dash is still one token, but lexicon keys treat it as a dash */
    tokenize("Lyon - Nice");
    assert_tokens((const char *[]){"Lyon", "-", "Nice", NULL});
    assert_true(T.tok[1].flags & TOK_SPACE);
}

static void test_quotes(void **state)
{
    (void)state;
    tokenize("He said: \"We want him.\"");
    size_t q = find("\"");
    assert_true(T.tok[q].flags & TOK_QUOTE);
    assert_true(T.tok[T.n - 1].flags & TOK_QUOTE);
    tokenize("\xE2\x80\x9CYes\xE2\x80\x9D");
    assert_tokens((const char *[]){"\xE2\x80\x9C", "Yes", "\xE2\x80\x9D", NULL});
    assert_true(T.tok[0].flags & TOK_QUOTE);
    assert_true(T.tok[2].flags & TOK_QUOTE);
}

static void test_sentences(void **state)
{
    (void)state;
    tokenize("Lazio want Rocca. The deal is close! Will he go? 50 clubs asked.");
    assert_int_equal(T.n_sent, 4);
    assert_string_equal(sentence(0), "Lazio want Rocca.");
    assert_string_equal(sentence(1), "The deal is close!");
    assert_string_equal(sentence(2), "Will he go?");
    assert_string_equal(sentence(3), "50 clubs asked.");
    for (size_t k = 0; k < T.n_sent; k++)
        assert_true(T.tok[T.sent[k].first].flags & TOK_SENT);
    /* sentences cover the tokens in order, without gaps */
    assert_int_equal(T.sent[0].first, 0);
    for (size_t k = 1; k < T.n_sent; k++)
        assert_int_equal(T.sent[k].first, T.sent[k - 1].end);
    assert_int_equal(T.sent[T.n_sent - 1].end, T.n);

    /* a full stop followed by a lower-case word does not end a sentence */
    tokenize("He cost approx. ten million. Then he left.");
    assert_int_equal(T.n_sent, 2);

    /* scraped text that lost the space after a full stop still splits... */
    tokenize("Lazio want Rocca.Then nothing.");
    assert_int_equal(T.n_sent, 2);
    assert_string_equal(sentence(1), "Then nothing.");
    /* ...but not after an abbreviation, a short word or before lower case */
    tokenize("He joined St.Pauli in May.");
    assert_int_equal(T.n_sent, 1);
    tokenize("See example.com or AB.Cd for more.");
    assert_int_equal(T.n_sent, 1);
}

static void test_abbreviations(void **state)
{
    (void)state;
    tokenize("He left St. Pauli for Mr. Grant's side. Now what?");
    assert_int_equal(T.n_sent, 2);
    assert_string_equal(sentence(0), "He left St. Pauli for Mr. Grant's side.");
    assert_false(T.tok[find("Pauli")].flags & TOK_SENT);

    /* initials */
    tokenize("Coach J. R. Smith agreed. Fine.");
    assert_int_equal(T.n_sent, 2);
    assert_string_equal(sentence(0), "Coach J. R. Smith agreed.");

    /* Utd. and FC. are abbreviations too */
    tokenize("Man Utd. Boss Ten Hag spoke.");
    assert_int_equal(T.n_sent, 1);
}

static void test_lines_and_paragraphs(void **state)
{
    (void)state;
    tokenize("Headline without stop\nFirst line of body\n\nSecond paragraph starts\nthen a wrapped line");
    assert_int_equal(T.n_sent, 4);
    assert_string_equal(sentence(0), "Headline without stop");
    assert_string_equal(sentence(1), "First line of body");
    assert_string_equal(sentence(2), "Second paragraph starts");
    assert_string_equal(sentence(3), "then a wrapped line");
    assert_true(T.tok[0].flags & TOK_PARA); /* the very first token opens a paragraph */
    assert_true(T.tok[0].flags & TOK_LINE);
    size_t first = find("First"), second = find("Second"), then = find("then");
    assert_true(T.tok[first].flags & TOK_LINE);
    assert_false(T.tok[first].flags & TOK_PARA);
    assert_true(T.tok[second].flags & TOK_PARA);
    assert_true(T.tok[second].flags & TOK_LINE);
    assert_false(T.tok[then].flags & TOK_PARA);
    assert_true(T.tok[then].flags & TOK_SENT); /* a line break always starts a sentence */
    assert_false(T.tok[find("stop")].flags & TOK_LINE);

    /* CRLF line endings and blank lines holding spaces */
    tokenize("One\r\n  \r\nTwo");
    assert_int_equal(T.n_sent, 2);
    assert_true(T.tok[1].flags & TOK_PARA);
}

static void test_sentence_after_quote(void **state)
{
    (void)state;
    tokenize("Fine. \"Rocca is going,\" he said. (Photo by A. N. Other)");
    assert_int_equal(T.n_sent, 3);
    assert_string_equal(sentence(1), "\"Rocca is going,\" he said.");
    /* the opening quote and the first word both carry TOK_SENT */
    size_t q = find("\"");
    assert_true(T.tok[q].flags & TOK_SENT);
    assert_true(T.tok[q + 1].flags & TOK_SENT);
    assert_false(T.tok[q + 2].flags & TOK_SENT);
    size_t paren = find("(");
    assert_true(T.tok[paren].flags & TOK_SENT);
    assert_true(T.tok[paren + 1].flags & TOK_SENT);

    /* a closing quote stays with the sentence it ends */
    tokenize("He said \"I am staying.\" Then he left.");
    assert_int_equal(T.n_sent, 2);
    assert_string_equal(sentence(0), "He said \"I am staying.\"");
    assert_string_equal(sentence(1), "Then he left.");
}

/* The test's sentence openers: "the", "however" and "it". */
static int test_opener(const void *ctx, uint64_t hash)
{
    (void)ctx;
    return hash == radar_hash_token("the", 3) || hash == radar_hash_token("however", 7) ||
           hash == radar_hash_token("it", 2);
}

/* A name glued to the next sentence's opener is two words, with the offsets
 * of the text; names with inner capitals are not split. */
static void test_glued_words(void **state)
{
    (void)state;
    T.is_opener = test_opener;
    tokenize("Signed: Kieran DaltonThe winger came from Norwich.");
    assert_tokens((const char *[]){"Signed", ":", "Kieran", "Dalton", "The", "winger", "came", "from", "Norwich", ".",
                                   NULL});
    size_t k = find("The");
    assert_int_equal(T.tok[k].off, 21);
    assert_true(T.tok[k].flags & TOK_GLUED);
    assert_true(T.tok[k].flags & TOK_CAP);
    assert_true(radar_tok_is(&T, k, "the"));
    assert_true(radar_tok_is(&T, k - 1, "dalton"));
    assert_int_equal(T.tok[k - 1].hash, radar_hash_token("dalton", 6));
    assert_int_equal(T.n_sent, 2);
    assert_string_equal(sentence(1), "The winger came from Norwich.");
    /* accented head: offsets in bytes of the text, folded forms without accents */
    tokenize("Kylian Mbapp\xC3\xA9However, he stays.");
    assert_tokens((const char *[]){"Kylian", "Mbapp\xC3\xA9", "However", ",", "he", "stays", ".", NULL});
    assert_true(radar_tok_is(&T, 1, "mbappe"));
    assert_true(radar_tok_is(&T, 2, "however"));
    /* never: a short head (McThe), a tail that is no opener, capitals only, a lower-case word */
    tokenize("Ally McThe, Alexis MacAllister, Kevin DeBruyne, DiMaria, LaLiga, TheThe, BBCThe, summerThe, ItIt");
    assert_tokens((const char *[]){"Ally", "McThe", ",", "Alexis", "MacAllister", ",", "Kevin", "DeBruyne", ",",
                                   "DiMaria", ",", "LaLiga", ",", "The", "The", ",", "BBCThe", ",", "summerThe", ",",
                                   "ItIt", NULL});
    T.is_opener = NULL;
    tokenize("Kieran DaltonThe winger");
    assert_tokens((const char *[]){"Kieran", "DaltonThe", "winger", NULL});
}

static void test_edge_inputs(void **state)
{
    (void)state;
    tokenize("");
    assert_int_equal(T.n, 0);
    assert_int_equal(T.n_sent, 0);
    tokenize(" \n\t\n ");
    assert_int_equal(T.n, 0);
    assert_int_equal(T.n_sent, 0);
    /* invalid bytes are single punctuation tokens; every byte is accounted for */
    const char bad[] = "ab\xFF\xFE" "cd";
    assert_int_equal(radar_tokenize(&T, bad, sizeof bad - 1), 0);
    B = bad;
    assert_tokens((const char *[]){"ab", "\xFF", "\xFE", "cd", NULL});
    /* a lone apostrophe and trailing 's at the very end */
    tokenize("'");
    assert_int_equal(T.n, 1);
    tokenize("Spurs'");
    assert_tokens((const char *[]){"Spurs", "'", NULL});
    assert_true(T.tok[1].flags & TOK_POSS);
    /* a long text, then a short one: arrays are reused and reset */
    char big[20000];
    for (size_t i = 0; i + 6 < sizeof big; i += 6)
        memcpy(big + i, "Word. ", 6);
    big[sizeof big - 1] = '\0';
    tokenize(big);
    assert_true(T.n > 6000);
    tokenize("Short one");
    assert_int_equal(T.n, 2);
    assert_int_equal(T.n_sent, 1);
}

static int teardown(void **state)
{
    (void)state;
    radar_tokens_free(&T);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_folded_forms),
        cmocka_unit_test(test_invisible_characters),
        cmocka_unit_test(test_look_alikes),
        cmocka_unit_test(test_possessive),
        cmocka_unit_test(test_apostrophe_inside_words),
        cmocka_unit_test(test_hyphens_and_numbers),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_lines_and_paragraphs),
        cmocka_unit_test(test_sentence_after_quote),
        cmocka_unit_test(test_edge_inputs),
        cmocka_unit_test(test_glued_words),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
