/*
 * test_lexicon.c - loading lexicon text and directories, and longest-match
 * lookup of aliases in tokenized text.
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

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/lexicon.h"
#include "lexicon_internal.h"
#include "tokenize.h"
#include "utf8.h"

#define ALL_KINDS ((1u << RADAR_KIND_COUNT) - 1)
#define KIND(k) (1u << (k))

static radar_tokens T;

static int add(radar_lexicon *lex, radar_entity_kind kind, const char *name, const char *text)
{
    return radar_lexicon_add_text(lex, kind, name, text, strlen(text));
}

/* Match at the first token of `text`; returns tokens spanned and sets *entry
 * to the first entry of the matched chain with one of `kinds` (or LEX_NONE). */
static size_t match(const radar_lexicon *lex, const char *text, unsigned kinds, const lex_entry **entry,
                    int *ambiguous)
{
    assert_int_equal(radar_tokenize(&T, text, strlen(text)), 0);
    uint32_t head = LEX_NONE;
    size_t n = lex_match(lex, &T, 0, T.n, kinds, &head);
    *entry = NULL;
    if (n) {
        for (uint32_t a = head; a != LEX_NONE; a = lex->aliases[a].next) {
            const lex_entry *e = &lex->entries[lex->aliases[a].entry];
            if (kinds & KIND(e->kind)) {
                *entry = e;
                if (ambiguous)
                    *ambiguous = lex->aliases[a].ambiguous;
                break;
            }
        }
        assert_non_null(*entry);
    }
    return n;
}

/* Canonical name matched at the start of `text` for clubs, or NULL. */
static const char *club_at(const radar_lexicon *lex, const char *text)
{
    const lex_entry *e;
    return match(lex, text, KIND(RADAR_KIND_CLUB), &e, NULL) ? e->canonical : NULL;
}

static radar_lexicon *small_lexicon(void)
{
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/france.txt",
                         "# comment line\n"
                         "\n"
                         "Paris Saint-Germain|PSG|paris st germain|~Paris|league=Ligue 1\n"
                         "Olympique Lyonnais|Lyon|OL\n"),
                     0);
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/saudi-arabia.txt", "Al-Nassr|Al Nassr\n"), 0);
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/england.txt",
                         "Manchester United|Man Utd|~United\r\n"
                         "Manchester City|Man City|~City\r\n"
                         "Newcastle United|Newcastle\r\n"),
                     0);
    assert_int_equal(add(lex, RADAR_KIND_OUTLET, "outlets.txt", "The Athletic|Athletic|@TheAthleticFC|tier=2\n"), 0);
    assert_int_equal(add(lex, RADAR_KIND_TRIGGER, "triggers.txt",
                         "keen on|stage=interest|dir=buyer\n"
                         "rejected a bid|stage=rejected|dir=seller\n"
                         "could join|stage=interest|dir=player\n"
                         "release clause|cue=fee_release\n"),
                     0);
    assert_int_equal(add(lex, RADAR_KIND_POSITION, "positions.txt", "midfielder|midfielders|group=M\n"), 0);
    assert_int_equal(add(lex, RADAR_KIND_NATIONALITY, "nationalities.txt", "Danish|Dane|Denmark|country=Denmark\n"),
                     0);
    assert_int_equal(add(lex, RADAR_KIND_ROLE, "roles.txt", "manager|boss|role=manager\n"), 0);
    return lex;
}

static void test_add_text_counts(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_CLUB), 6);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_OUTLET), 1);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_TRIGGER), 4);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_POSITION), 1);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_NATIONALITY), 1);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_ROLE), 1);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_JOURNALIST), 0);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_COUNT), 0); /* out of range */
    radar_lexicon_free(lex);
    radar_lexicon_free(NULL); /* a no-op */
}

static void test_match_case_accents_hyphens(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    /* the alias "paris st germain" meets every spelling of it */
    assert_string_equal(club_at(lex, "Paris St-Germain want him"), "Paris Saint-Germain");
    assert_string_equal(club_at(lex, "PARIS ST. GERMAIN"), "Paris Saint-Germain");
    assert_string_equal(club_at(lex, "Paris St Germain"), "Paris Saint-Germain");
    assert_string_equal(club_at(lex, "Paris Saint Germain"), "Paris Saint-Germain");
    assert_string_equal(club_at(lex, "Paris Saint\xE2\x80\x90Germain"), "Paris Saint-Germain"); /* U+2010 */
    assert_string_equal(club_at(lex, "Psg"), "Paris Saint-Germain");
    radar_lexicon_free(lex);
}

static void test_match_needs_capital_for_names(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    const lex_entry *e;
    /* names need at least one capital (or digit) in the text, so the word
     * "city" in running text is not Manchester City */
    assert_int_equal(match(lex, "city life", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
    assert_int_equal(match(lex, "paris st germain", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
    assert_string_equal(club_at(lex, "City"), "Manchester City");
    /* triggers, positions and roles match lower-case text */
    assert_int_equal(match(lex, "keen on", KIND(RADAR_KIND_TRIGGER), &e, NULL), 2);
    assert_int_equal(match(lex, "midfielders", KIND(RADAR_KIND_POSITION), &e, NULL), 1);
    assert_string_equal(e->canonical, "midfielder");
    assert_int_equal(match(lex, "boss", KIND(RADAR_KIND_ROLE), &e, NULL), 1);
    assert_string_equal(e->canonical, "manager");
    radar_lexicon_free(lex);
}

static void test_longest_match(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    const lex_entry *e;
    int amb = -1;
    /* "Paris" alone is an ambiguous alias; "Paris St-Germain" is longer and wins */
    assert_int_equal(match(lex, "Paris St-Germain are keen", KIND(RADAR_KIND_CLUB), &e, &amb), 4);
    assert_int_equal(amb, 0);
    assert_int_equal(match(lex, "Paris Saint-Germain", KIND(RADAR_KIND_CLUB), &e, &amb), 4);
    assert_int_equal(match(lex, "Paris are keen", KIND(RADAR_KIND_CLUB), &e, &amb), 1);
    assert_string_equal(e->canonical, "Paris Saint-Germain");
    assert_int_equal(amb, 1);
    /* "United" alone is ambiguous; "Manchester United" is not */
    assert_int_equal(match(lex, "United want", KIND(RADAR_KIND_CLUB), &e, &amb), 1);
    assert_string_equal(e->canonical, "Manchester United");
    assert_int_equal(amb, 1);
    assert_int_equal(match(lex, "Man Utd want", KIND(RADAR_KIND_CLUB), &e, &amb), 2);
    assert_string_equal(e->canonical, "Manchester United");
    assert_int_equal(amb, 0);
    /* a prefix of a longer alias that is not itself an alias matches nothing */
    assert_int_equal(match(lex, "Paris Saint", KIND(RADAR_KIND_CLUB), &e, NULL), 1); /* only "Paris" */
    assert_int_equal(match(lex, "Man", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
    /* a spaced dash is not a joiner: "Al - Nassr" is not "Al-Nassr" */
    assert_int_equal(match(lex, "Al-Nassr", KIND(RADAR_KIND_CLUB), &e, NULL), 3);
    assert_int_equal(match(lex, "Al - Nassr", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
    /* matches do not run across a line break */
    assert_int_equal(match(lex, "Man\nUtd", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
    /* the kind mask filters */
    assert_int_equal(match(lex, "Lyon", KIND(RADAR_KIND_OUTLET), &e, NULL), 0);
    assert_int_equal(match(lex, "Lyon", ALL_KINDS, &e, NULL), 1);
    assert_string_equal(e->canonical, "Olympique Lyonnais");
    /* match at a later token */
    assert_int_equal(radar_tokenize(&T, "Bid from Newcastle", 18), 0);
    uint32_t head;
    assert_int_equal(lex_match(lex, &T, 2, T.n, KIND(RADAR_KIND_CLUB), &head), 1);
    assert_int_equal(lex_match(lex, &T, 0, T.n, KIND(RADAR_KIND_CLUB), &head), 0);
    /* a match never extends past `end` */
    assert_int_equal(radar_tokenize(&T, "Man Utd", 7), 0);
    assert_int_equal(lex_match(lex, &T, 0, 1, KIND(RADAR_KIND_CLUB), &head), 0);
    radar_lexicon_free(lex);
}

static void test_attributes(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    const lex_entry *e;
    assert_int_equal(match(lex, "PSG", KIND(RADAR_KIND_CLUB), &e, NULL), 1);
    assert_string_equal(e->country, "France"); /* from the file name */
    assert_string_equal(e->league, "Ligue 1");
    assert_int_equal(match(lex, "Al Nassr", KIND(RADAR_KIND_CLUB), &e, NULL), 2);
    assert_string_equal(e->country, "Saudi Arabia");
    assert_null(e->league);
    assert_int_equal(match(lex, "The Athletic", KIND(RADAR_KIND_OUTLET), &e, NULL), 2);
    assert_int_equal(e->tier, 2);
    assert_int_equal(e->kind, RADAR_KIND_OUTLET);
    assert_int_equal(match(lex, "rejected a bid", KIND(RADAR_KIND_TRIGGER), &e, NULL), 3);
    assert_int_equal(e->stage, RADAR_STAGE_REJECTED);
    assert_int_equal(e->dir, DIR_SELLER);
    assert_int_equal(match(lex, "could join", KIND(RADAR_KIND_TRIGGER), &e, NULL), 2);
    assert_int_equal(e->stage, RADAR_STAGE_INTEREST);
    assert_int_equal(e->dir, DIR_PLAYER);
    assert_int_equal(match(lex, "release clause", KIND(RADAR_KIND_TRIGGER), &e, NULL), 2);
    assert_int_equal(e->cue, CUE_FEE_RELEASE);
    assert_int_equal(e->stage, RADAR_STAGE_NONE);
    assert_int_equal(match(lex, "midfielder", KIND(RADAR_KIND_POSITION), &e, NULL), 1);
    assert_int_equal(e->group, 'M');
    assert_int_equal(match(lex, "Dane", KIND(RADAR_KIND_NATIONALITY), &e, NULL), 1);
    assert_string_equal(e->country, "Denmark");
    assert_string_equal(e->canonical, "Danish");
    radar_lexicon_free(lex);
}

static void test_handles_and_words(void **state)
{
    (void)state;
    radar_lexicon *lex = small_lexicon();
    /* a @handle is keyed on its whole folded string */
    char f[64];
    size_t n = radar_fold("@TheAthleticFC", 14, f, sizeof f);
    uint32_t a = radar_lex_lookup_word(lex, f, n);
    assert_true(a != LEX_NONE);
    assert_string_equal(lex->entries[lex->aliases[a].entry].canonical, "The Athletic");
    assert_true(radar_lex_lookup_word(lex, "@nowhere", 8) == LEX_NONE);
    /* Ordinary aliases are keyed on their token sequence, so the lookup only
     * finds whole-string keys (@handles): "lyon" is not found this way even
     * though lexicon_internal.h says it is for single words. */
    /* an empty lexicon finds nothing */
    radar_lexicon *empty;
    assert_int_equal(radar_lexicon_new(&empty), 0);
    assert_true(radar_lex_lookup_word(empty, "lyon", 4) == LEX_NONE);
    const lex_entry *e;
    assert_int_equal(match(empty, "Lyon", ALL_KINDS, &e, NULL), 0);
    radar_lexicon_free(empty);
    radar_lexicon_free(lex);
}

static void test_shared_alias(void **state)
{
    (void)state;
    /* one alias for two clubs: both stay on the chain, file order first */
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/england.txt", "Everton|~the Blues\nChelsea|~the Blues\n"), 0);
    assert_int_equal(radar_tokenize(&T, "The Blues", 9), 0);
    uint32_t head;
    assert_int_equal(lex_match(lex, &T, 0, T.n, KIND(RADAR_KIND_CLUB), &head), 2);
    assert_string_equal(lex->entries[lex->aliases[head].entry].canonical, "Everton");
    uint32_t next = lex->aliases[head].next;
    assert_true(next != LEX_NONE);
    assert_string_equal(lex->entries[lex->aliases[next].entry].canonical, "Chelsea");
    assert_true(lex->aliases[next].next == LEX_NONE);
    radar_lexicon_free(lex);
}

/* One key for a club (which needs a capital in the text) and a role (which
 * does not): a match asks for the kinds wanted, and lower-case text finds
 * only the role, whichever of the two the file names first. */
static void test_shared_key_of_two_kinds(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        radar_lexicon *lex;
        assert_int_equal(radar_lexicon_new(&lex), 0);
        if (order)
            assert_int_equal(add(lex, RADAR_KIND_ROLE, "roles.txt", "manager|gaffer|role=manager\n"), 0);
        assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/england.txt", "Gaffer Town|Gaffer\n"), 0);
        if (!order)
            assert_int_equal(add(lex, RADAR_KIND_ROLE, "roles.txt", "manager|gaffer|role=manager\n"), 0);
        const lex_entry *e;
        assert_int_equal(match(lex, "gaffer said", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
        assert_int_equal(match(lex, "gaffer said", KIND(RADAR_KIND_ROLE), &e, NULL), 1);
        assert_string_equal(e->canonical, "manager");
        assert_int_equal(match(lex, "Gaffer said", KIND(RADAR_KIND_CLUB), &e, NULL), 1);
        assert_string_equal(e->canonical, "Gaffer Town");
        assert_int_equal(match(lex, "Gaffer said", KIND(RADAR_KIND_OUTLET), &e, NULL), 0);
        assert_int_equal(match(lex, "gaffer said", KIND(RADAR_KIND_ROLE) | KIND(RADAR_KIND_CLUB), &e, NULL), 1);
        /* a longer club alias through the shared key still needs its capital */
        assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/wales.txt", "Gaffer Rovers\n"), 0);
        assert_int_equal(match(lex, "gaffer rovers", KIND(RADAR_KIND_CLUB), &e, NULL), 0);
        assert_int_equal(match(lex, "gaffer Rovers", KIND(RADAR_KIND_CLUB), &e, NULL), 2);
        assert_string_equal(e->canonical, "Gaffer Rovers");
        radar_lexicon_free(lex);
    }
}

/* Add `text` to a fresh lexicon; expect RADAR_EFORMAT naming `where`. */
static void assert_malformed(radar_entity_kind kind, const char *text, const char *where, const char *why)
{
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    radar_error_clear();
    assert_int_equal(add(lex, kind, "extra/test.txt", text), RADAR_EFORMAT);
    const char *msg = radar_last_error();
    if (!strstr(msg, where) || !strstr(msg, why))
        fail_msg("message '%s' should name '%s' and say '%s'", msg, where, why);
    radar_lexicon_free(lex);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    assert_malformed(RADAR_KIND_OUTLET, "Good Paper|tier=2\nBad Paper|tier=9\n", "extra/test.txt:2:", "tier");
    assert_malformed(RADAR_KIND_OUTLET, "Bad Paper|tier=0\n", "extra/test.txt:1:", "tier");
    assert_malformed(RADAR_KIND_TRIGGER, "# header\n\nwhisper|stage=rumbling|dir=buyer\n", "extra/test.txt:3:",
                     "rumbling");
    assert_malformed(RADAR_KIND_TRIGGER, "nudge|stage=interest|dir=sideways\n", "extra/test.txt:1:", "sideways");
    assert_malformed(RADAR_KIND_TRIGGER, "hush|cue=murmur\n", "extra/test.txt:1:", "murmur");
    assert_malformed(RADAR_KIND_CLUB, "Fine FC\n|league=Nowhere\n", "extra/test.txt:2:", "no name");
    assert_malformed(RADAR_KIND_CLUB, "Long FC|one two three four five six seven eight nine\n", "extra/test.txt:1:",
                     "longer than");
    assert_malformed(RADAR_KIND_CLUB, "A\nB\nBad \xFF" "FC\n", "extra/test.txt:3:", "UTF-8");
    char longval[300] = "Club|league=";
    memset(longval + strlen(longval), 'x', 200);
    longval[212] = '\0';
    assert_malformed(RADAR_KIND_CLUB, longval, "extra/test.txt:1:", "too long");
}

static void test_tolerated_lines(void **state)
{
    (void)state;
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    /* blank fields, surrounding spaces, unknown attributes and a final line
     * without a newline are all fine */
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/x.txt",
                         "   \n  Fine FC | Fine |  | domain=fine.example \n#x\nLast FC|Last"),
                     0);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_CLUB), 2);
    assert_string_equal(club_at(lex, "Fine"), "Fine FC");
    assert_string_equal(club_at(lex, "Last"), "Last FC");
    /* a canonical name written with '~' loses the '~' */
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/x.txt", "~Tilde Town\n"), 0);
    assert_string_equal(club_at(lex, "Tilde Town"), "Tilde Town");
    /* an empty text adds nothing */
    assert_int_equal(radar_lexicon_add_text(lex, RADAR_KIND_CLUB, "clubs/x.txt", "", 0), 0);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_CLUB), 3);
    radar_lexicon_free(lex);
}

static void test_builtin(void **state)
{
    (void)state;
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new_builtin(&lex), 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_CLUB) > 400);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_OUTLET) > 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_TRIGGER) > 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_POSITION) > 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_NATIONALITY) > 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_ROLE) > 0);
    assert_true(radar_lexicon_count(lex, RADAR_KIND_COMMON) > 0);
    assert_string_equal(club_at(lex, "Paris Saint-Germain"), "Paris St-Germain");
    assert_string_equal(club_at(lex, "Bayern M\xC3\xBCnchen"), "Bayern Munich");
    assert_string_equal(club_at(lex, "Inter Milan"), "Inter Milan");
    const lex_entry *e;
    assert_true(match(lex, "Man Utd", KIND(RADAR_KIND_CLUB), &e, NULL) == 2);
    assert_string_equal(e->canonical, "Manchester United");
    assert_string_equal(e->country, "England");
    assert_true(match(lex, "keeping tabs on", KIND(RADAR_KIND_TRIGGER), &e, NULL) == 3);
    assert_int_equal(e->stage, RADAR_STAGE_INTEREST);
    radar_lexicon_free(lex);
}

/* A stage phrase matches with a few modifier words of the trigger_slack class
 * (and figures) between its words, never before its first word, never more
 * than RADAR_MAX_TRIGGER_SLACK of them, and not when a preposition resumes
 * it; a club alias takes none. */
static void test_trigger_slack(void **state)
{
    (void)state;
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    assert_int_equal(add(lex, RADAR_KIND_TRIGGER, "triggers.txt",
                         "completed the signing of|stage=signed|dir=buyer\n"
                         "completed his move to|stage=signed|dir=player\n"
                         "offered|stage=bid|dir=buyer\n"
                         "offered to|stage=interest|dir=player\n"
                         "made a bid|stage=bid|dir=buyer\n"),
                     0);
    assert_int_equal(add(lex, RADAR_KIND_TRIGGER, "cues.txt", "new contract|cue=renewal\n"), 0);
    assert_int_equal(add(lex, RADAR_KIND_CLUB, "clubs/england.txt", "Crystal Palace\n"), 0);
    const char *w = "trigger_slack: the|his|permanent|loan\nmillion: m\npreposition: to|of\n";
    assert_int_equal(radar_lexicon_add_words(lex, "words.txt", w, strlen(w)), 0);
    const lex_entry *e;
    uint32_t head;
    uint16_t slack = 0;
    assert_int_equal(match(lex, "completed the permanent signing of X", ALL_KINDS, &e, NULL), 5);
    assert_int_equal(e->stage, RADAR_STAGE_SIGNED);
    assert_int_equal(lex_match_slack(lex, &T, 0, T.n, ALL_KINDS, &head, &slack), 5);
    assert_int_equal(slack, 1u << 2);
    /* a figure: "20", "m" (the pound sign is no word of this small class) */
    assert_int_equal(match(lex, "completed his loan 20m move to Y", ALL_KINDS, &e, NULL), 7);
    assert_int_equal(lex_match_slack(lex, &T, 0, T.n, ALL_KINDS, &head, &slack), 7);
    assert_int_equal(slack, (1u << 2) | (1u << 3) | (1u << 4));
    /* a figure right before a phrase's last word is that word's ("made a 20m
     * bid" is no "made a bid"), but a cue takes it ("a new 20m contract") */
    assert_int_equal(match(lex, "made a 20m bid", KIND(RADAR_KIND_TRIGGER), &e, NULL), 0);
    assert_int_equal(match(lex, "made a loan bid", KIND(RADAR_KIND_TRIGGER), &e, NULL), 4);
    assert_int_equal(match(lex, "new 20m contract", KIND(RADAR_KIND_TRIGGER), &e, NULL), 4);
    assert_int_equal(e->cue, CUE_RENEWAL);
    /* five modifiers are too many */
    assert_int_equal(match(lex, "completed his loan loan loan loan loan move to Y", ALL_KINDS, &e, NULL), 0);
    /* "offered 20m to Brighton" is no "offered to" */
    assert_int_equal(match(lex, "offered 20m to Z", ALL_KINDS, &e, NULL), 1);
    assert_int_equal(e->stage, RADAR_STAGE_BID);
    /* no modifier before a phrase's first word, none inside a club's name */
    assert_int_equal(match(lex, "the completed the signing of", KIND(RADAR_KIND_TRIGGER), &e, NULL), 0);
    assert_int_equal(match(lex, "Crystal Palace", ALL_KINDS, &e, NULL), 2);
    assert_int_equal(match(lex, "Crystal the Palace", ALL_KINDS, &e, NULL), 0);
    radar_lexicon_free(lex);
}

/* Write `text` to dir/rel, creating dir/clubs when needed. */
static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/clubs", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_tree(const char *dir)
{
    static const char *const rels[] = {"clubs/testland.txt", "clubs/other-land.txt", "clubs/notes.md",
                                       "outlets.txt",        "triggers.txt",         "README.md",
                                       "clubs",              NULL};
    char path[512];
    for (int i = 0; rels[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rels[i]);
        remove(path); /* files, then the emptied clubs/ directory */
    }
    rmdir(dir);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/radar-lexicon-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "clubs/testland.txt", "Testville Rovers|Rovers FC|Testville\n");
    write_file(dir, "clubs/other-land.txt", "Otherham Athletic|Otherham\n");
    write_file(dir, "clubs/notes.md", "not a lexicon file\n");
    write_file(dir, "outlets.txt", "Test Gazette|Gazette|tier=3\n");
    write_file(dir, "README.md", "ignored\n");

    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new_builtin(&lex), 0);
    size_t clubs = radar_lexicon_count(lex, RADAR_KIND_CLUB);
    size_t outlets = radar_lexicon_count(lex, RADAR_KIND_OUTLET);
    assert_int_equal(radar_lexicon_load_dir(lex, dir), 0);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_CLUB), clubs + 2);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_OUTLET), outlets + 1);
    const lex_entry *e;
    assert_int_equal(match(lex, "Testville", KIND(RADAR_KIND_CLUB), &e, NULL), 1);
    assert_string_equal(e->canonical, "Testville Rovers");
    assert_string_equal(e->country, "Testland");
    assert_int_equal(match(lex, "Otherham", KIND(RADAR_KIND_CLUB), &e, NULL), 1);
    assert_string_equal(e->country, "Other Land");
    assert_int_equal(match(lex, "Test Gazette", KIND(RADAR_KIND_OUTLET), &e, NULL), 2);
    assert_int_equal(e->tier, 3);

    /* a malformed file: the error names the file and line */
    write_file(dir, "triggers.txt", "poke|stage=interest|dir=buyer\nprod|stage=nonsense\n");
    radar_error_clear();
    assert_int_equal(radar_lexicon_load_dir(lex, dir), RADAR_EFORMAT);
    assert_non_null(strstr(radar_last_error(), "triggers.txt:2:"));
    radar_lexicon_free(lex);
    remove_tree(dir);
}

static void test_load_dir_errors(void **state)
{
    (void)state;
    char dir[] = "/tmp/radar-lexicon-XXXXXX";
    assert_non_null(mkdtemp(dir));
    radar_lexicon *lex;
    assert_int_equal(radar_lexicon_new(&lex), 0);
    /* an empty directory holds no lexicon files */
    radar_error_clear();
    assert_int_equal(radar_lexicon_load_dir(lex, dir), RADAR_ENOTFOUND);
    assert_non_null(strstr(radar_last_error(), dir));
    assert_non_null(strstr(radar_last_error(), "no lexicon files"));
    /* only files of unknown names: still none */
    write_file(dir, "README.md", "nothing here\n");
    assert_int_equal(radar_lexicon_load_dir(lex, dir), RADAR_ENOTFOUND);
    /* a directory that does not exist */
    assert_int_equal(radar_lexicon_load_dir(lex, "/nonexistent/radar/lexicon"), RADAR_ENOTFOUND);
    assert_int_equal(radar_lexicon_count(lex, RADAR_KIND_CLUB), 0);
    radar_lexicon_free(lex);
    remove_tree(dir);
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
        cmocka_unit_test(test_add_text_counts),
        cmocka_unit_test(test_match_case_accents_hyphens),
        cmocka_unit_test(test_match_needs_capital_for_names),
        cmocka_unit_test(test_longest_match),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_handles_and_words),
        cmocka_unit_test(test_shared_alias),
        cmocka_unit_test(test_shared_key_of_two_kinds),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_tolerated_lines),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_trigger_slack),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_load_dir_errors),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
