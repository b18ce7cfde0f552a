/*
 * test_people.c - people who are not players and names that are things
 * never become a rumour's player; the lexicon's people only in the years of
 * their role.
 *
 * Each case is a short dated article and whether a rumour about the named
 * man must come out of it (the same sentence, the year alone differs, shows
 * that the rule and not the sentence decides).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/radar.h"

typedef struct pcase {
    const char *name;
    const char *date;   /* NULL: the article has no date */
    const char *text;
    const char *player; /* a word of the player's name */
    int rumour;         /* 1: a rumour about him must come out; 0: none may */
} pcase;

static const pcase cases[] = {
    /* a manager in his years as a manager is no player; before them he was */
    {"manager_in_role", "2024-01-29",
     "Barcelona want to sign Mikel Arteta from Arsenal this summer, according to reports in Spain.", "Arteta", 0},
    {"manager_before_role", "2011-08-20",
     "Barcelona want to sign Mikel Arteta from Everton this summer, according to reports in Spain.", "Arteta", 1},
    {"manager_no_date", NULL,
     "Barcelona want to sign Mikel Arteta from Everton this summer, according to reports in Spain.", "Arteta", 1},
    /* a director named by the one word he shares with his playing days */
    {"director_one_word", "2024-01-31", "Tottenham are pushing hard to sign Deco from Barcelona.", "Deco", 0},
    {"pundit_in_role", "2023-03-02", "Newcastle United are ready to sign Gary Neville from Manchester United.",
     "Neville", 0},
    /* a place, a company, a word the text runs into a name */
    {"stadium", "2024-05-01", "Napoli want to sign Stadio Rinaldi from Lazio in the summer.", "Stadio", 0},
    {"company", "2024-05-01", "Chelsea are close to signing Blueford Group from Brentford.", "Blueford", 0},
    {"player_is_kept", "2024-05-01", "Napoli want to sign Marco Rinaldi from Lazio in the summer.", "Rinaldi", 1},
};
#define N_CASES (sizeof cases / sizeof *cases)

static radar_lexicon *LEX;
static radar_extractor *EX;

static int setup(void **state)
{
    (void)state;
    if (radar_lexicon_new_builtin(&LEX) || radar_extractor_new(&EX, LEX))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    radar_extractor_free(EX);
    radar_lexicon_free(LEX);
    return 0;
}

static void run_case(void **state)
{
    const pcase *c = *state;
    size_t len = strlen(c->text);
    char *body = malloc(len);
    assert_non_null(body);
    memcpy(body, c->text, len);
    radar_article a = {.id = c->name, .date = c->date, .body = body, .body_len = len, .path = "table", .line = 1};
    const radar_doc *doc;
    assert_int_equal(radar_extract(EX, &a, &doc), 0);
    int found = 0;
    for (size_t i = 0; i < doc->n_rumours; i++)
        found |= strstr(doc->rumours[i].player, c->player) != NULL;
    free(body);
    if (found != c->rumour)
        fail_msg("%s: a rumour about %s %s", c->name, c->player, c->rumour ? "is missing" : "came out");
}

int main(void)
{
    struct CMUnitTest tests[N_CASES];
    for (size_t i = 0; i < N_CASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, (void *)&cases[i]};
    return _cmocka_run_group_tests("people", tests, N_CASES, setup, teardown);
}
