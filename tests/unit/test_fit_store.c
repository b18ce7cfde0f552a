/*
 * test_fit_store.c - what fitting reads from a store: a story's evidence on
 * a past day is what was known that day. Articles published later, and
 * outcomes settled later, change the records of its source and its club
 * today; they must not change the evidence of that day. And a world where
 * the wording of the reports tells what happens: fitting finds it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "radar/radar.h"
#include "radar/ingest.h"
#include "radar/outcomes.h"
#include "radar/score.h"
#include "radar/store.h"
#include "fixture.h"
#include "store_internal.h"

typedef struct world {
    char dir[256], path[320];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (rt_tmpdir(w->dir, sizeof w->dir, "radar-fit"))
        return -1;
    snprintf(w->path, sizeof w->path, "%s/radar.db", w->dir);
    if (radar_lexicon_new_builtin(&w->lex) || radar_extractor_new(&w->ex, w->lex) ||
        radar_store_open(&w->st, w->path, RADAR_STORE_CREATE, w->lex))
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    radar_store_close(w->st);
    radar_extractor_free(w->ex);
    radar_lexicon_free(w->lex);
    rt_rmtree(w->dir);
    free(w);
    return 0;
}

typedef struct article_text {
    const char *id, *date, *source, *text;
} article_text;

static void ingest(world *w, const article_text *v, size_t n)
{
    radar_ingest_options o = RADAR_INGEST_OPTIONS_INIT;
    o.ex = w->ex;
    radar_ingest *in;
    assert_int_equal(radar_ingest_new(&in, w->st, &o), 0);
    for (size_t i = 0; i < n; i++) {
        radar_article a = {.id = v[i].id, .date = v[i].date, .source = v[i].source, .body = v[i].text,
                           .body_len = strlen(v[i].text)};
        radar_ingest_result r;
        if (radar_ingest_article(in, &a, &r))
            fail_msg("ingest %s: %s", v[i].id, radar_last_error());
    }
    assert_int_equal(radar_ingest_commit(in), 0);
    radar_ingest_free(in);
    assert_int_equal(radar_store_rescore(w->st), 0);
}

static int add_row(void *user, const radar_outcome_row *row, const char *message)
{
    world *w = user;
    int players, stories;
    if (!row)
        fail_msg("outcome row: %s", message);
    return radar_store_add_outcome(w->st, row, "t.csv", &players, &stories);
}

static long long story_of(world *w, const char *player, const char *club)
{
    long long id = 0;
    if (radar_store_find_story(w->st, player, club, &id))
        fail_msg("no story of %s to %s: %s", player, club, radar_last_error());
    return id;
}

/* The day's feature values and likelihood under the built-in model. */
static void day(world *w, long long story, const char *date, double *x, double *p)
{
    radar_story_evidence e;
    assert_int_equal(radar_store_story_evidence(w->st, story, date, &e), 0);
    radar_features_compute(&e, x);
    radar_likelihood l;
    radar_likelihood_compute(&e, &l);
    *p = l.p;
}

static void test_no_look_ahead(void **state)
{
    world *w = *state;
    /* January: the Gazette links two players with Brentford and one with
     * Fulham; nothing is settled yet */
    static const article_text early[] = {
        {"g1", "2024-01-05", "Harbour Gazette",
         "Brentford are in talks with Lyon over a deal for midfielder Tomas Verhaegen, 23."},
        {"g2", "2024-01-06", "Harbour Gazette", "Brentford are keen on Celtic defender Callum Strachan."},
        {"g3", "2024-01-06", "Harbour Gazette", "Fulham have made an offer for Porto winger Rui Almeida."},
    };
    ingest(w, early, 3);
    long long verhaegen = story_of(w, "Tomas Verhaegen", "Brentford");
    size_t nf = radar_feature_count();
    double before[64], after[64], p_before, p_after;
    day(w, verhaegen, "2024-01-10", before, &p_before);

    /* later: Strachan and Almeida sign (the Gazette and Brentford are right
     * twice), Verhaegen's contract is said to run out, and he signs too */
    static const article_text later[] = {
        {"g4", "2024-01-25", "Harbour Gazette", "Callum Strachan has completed his move to Brentford from Celtic."},
        {"g5", "2024-01-26", "Harbour Gazette", "Fulham have completed the signing of Rui Almeida from Porto for EUR 18m."},
        {"g6", "2024-01-28", "Harbour Gazette",
         "Tomas Verhaegen, whose contract with Lyon expires in June 2024, has agreed personal terms with Brentford."},
        {"g7", "2024-01-30", "Harbour Gazette", "Brentford have completed the signing of Tomas Verhaegen from Lyon."},
    };
    ingest(w, later, 4);
    const char csv[] = "player,to_club,date,outcome\n"
                       "Callum Strachan,Brentford,2024-01-25,done\n"
                       "Rui Almeida,Fulham,2024-01-26,done\n"
                       "Tomas Verhaegen,Brentford,2024-01-30,done\n";
    assert_int_equal(radar_outcomes_read("t.csv", csv, sizeof csv - 1, add_row, w), 0);
    assert_int_equal(radar_store_rescore(w->st), 0);

    /* today the club and the source have a record; on 10 January they had none */
    double today[64], p_today;
    day(w, verhaegen, NULL, today, &p_today);
    radar_story_evidence e;
    assert_int_equal(radar_store_story_evidence(w->st, verhaegen, NULL, &e), 0);
    assert_true(e.club_settled >= 1);
    day(w, verhaegen, "2024-01-10", after, &p_after);
    for (size_t i = 0; i < nf; i++)
        if (before[i] != after[i])
            fail_msg("%s on 2024-01-10: %g before the later articles, %g after", radar_feature_get(i)->name,
                     before[i], after[i]);
    assert_true(p_before == p_after);
    /* the wording is the latest report's as of the day: firm today, and
     * "in talks" was not on 10 January */
    assert_true(e.firm >= 1);
    assert_string_equal(e.firm_word, "completed"); /* "has completed the signing" (30 January) */
    assert_true(after[radar_feature_find("firm")] == 0);

    /* and fitting's examples stop the day before the story was settled */
    radar_outcome_example *ex;
    size_t n;
    assert_int_equal(radar_store_outcome_examples(w->st, &ex, &n), 0);
    size_t mine = 0;
    for (size_t i = 0; i < n; i++)
        if (ex[i].story == verhaegen) {
            mine++;
            assert_true(strcmp(ex[i].day, "2024-01-30") < 0);
            assert_int_equal(ex[i].done, 1);
        }
    assert_true(mine >= 2); /* 5 and 28 January */
    free(ex);
}

/* The day `days` after 1 January 2024, as YYYY-MM-DD. */
static void civil(int days, char out[11])
{
    struct tm t = {.tm_year = 124, .tm_mon = 0, .tm_mday = 1 + days, .tm_hour = 12, .tm_isdst = -1};
    time_t when = mktime(&t); /* local time both ways, at noon: the day is the day */
    localtime_r(&when, &t);
    strftime(out, 11, "%Y-%m-%d", &t);
}

/* Thirty-six stories, all at the stage "talks" from one outlet, a week
 * apart and each settled three weeks after its report: a third worded as a
 * move well on its way ("advanced talks", "close to a deal"), of which ten
 * in twelve happen; a third hedged ("monitoring", "could"), of which two
 * happen; a third plain, of which six happen. Fitting from nothing finds
 * the firm wording for the move and the hedges against it. */
static void test_wording_signs(void **state)
{
    world *w = *state;
    static const char *const first[] = {"Tomas", "Callum", "Rui", "Joris", "Sem", "Hugo"};
    static const char *const last[] = {"Verhaegen", "Strachan", "Almeida", "Bakker", "Dewit", "Lambert"};
    static const char *const buyers[] = {"Brentford", "Fulham", "Everton", "Burnley"};
    static const char *const firm[] = {"are in advanced talks with Lyon over midfielder %s",
                                       "are in talks with Lyon over midfielder %s and are close to a deal"};
    static const char *const hedged[] = {"are in talks with Lyon over midfielder %s, who they have been monitoring",
                                         "are in talks with Lyon over midfielder %s, who they could use next season"};
    enum { N = 36 };
    static char names[N][40], texts[N][200], ids[N][8], dates[N][11];
    article_text arts[N];
    char csv[N * 80 + 64] = "player,to_club,date,outcome\n";
    for (int i = 0; i < N; i++) {
        int kind = i % 3; /* 0 plain, 1 firm, 2 hedged */
        snprintf(names[i], sizeof names[i], "%s %s", first[i % 6], last[i / 6]);
        const char *buyer = buyers[(i / 3) % 4];
        char what[160];
        snprintf(what, sizeof what,
                 kind == 0 ? "are in talks with Lyon over midfielder %s" : kind == 1 ? firm[(i / 3) % 2] : hedged[(i / 3) % 2],
                 names[i]);
        snprintf(texts[i], sizeof texts[i], "%s %s.", buyer, what);
        snprintf(ids[i], sizeof ids[i], "w%d", i);
        civil(7 * i, dates[i]);
        arts[i] = (article_text){ids[i], dates[i], "Harbour Gazette", texts[i]};
        int j = i / 3; /* the story's place in its third: 0 .. 11 */
        int done = kind == 0 ? j % 2 == 0 : kind == 1 ? j != 3 && j != 8 : j == 4 || j == 9;
        char settled[11];
        civil(7 * i + 21, settled); /* settled three weeks later */
        snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "%s,%s,%s,%s\n", names[i], buyer, settled,
                 done ? "done" : "failed");
    }
    ingest(w, arts, N);
    assert_int_equal(radar_outcomes_read("t.csv", csv, strlen(csv), add_row, w), 0);
    assert_int_equal(radar_store_rescore(w->st), 0);

    radar_outcome_example *ex;
    size_t n, nf = radar_feature_count();
    assert_int_equal(radar_store_outcome_examples(w->st, &ex, &n), 0);
    assert_int_equal(n, N); /* one report each, settled later: a window closing between them changes nothing */
    double *x = calloc(n * nf, sizeof *x);
    int *y = calloc(n, sizeof *y);
    long *group = calloc(n, sizeof *group);
    size_t f_firm = (size_t)radar_feature_find("firm"), f_hedged = (size_t)radar_feature_find("hedged");
    int seen_firm = 0, seen_hedged = 0;
    for (size_t i = 0; i < n; i++) {
        radar_story_evidence e;
        assert_int_equal(radar_store_story_evidence(w->st, ex[i].story, ex[i].day, &e), 0);
        assert_int_equal(e.stage, RADAR_STAGE_TALKS); /* the wording, not the stage, tells them apart */
        radar_features_compute(&e, x + i * nf);
        y[i] = ex[i].done;
        group[i] = (long)ex[i].player;
        seen_firm += e.firm > 0;
        seen_hedged += e.hedges > 0;
        assert_false(e.firm > 0 && e.hedges > 0);
    }
    assert_true(seen_firm >= 8 && seen_hedged >= 8);
    radar_likelihood_model *start, *m;
    assert_int_equal(radar_likelihood_model_new(&start), 0);
    radar_fit_options o = RADAR_FIT_OPTIONS_INIT;
    o.l2 = 0.1;
    assert_int_equal(radar_likelihood_fit(&m, start, x, y, NULL, group, n, &o), 0);
    double wf = radar_likelihood_model_weight(m, f_firm, NULL), wh = radar_likelihood_model_weight(m, f_hedged, NULL);
    if (!(wf > 1.0 && wh < -1.0))
        fail_msg("firm wording weighs %+.2f (expected for the move), hedges %+.2f (expected against)", wf, wh);
    radar_likelihood_model_free(m);
    radar_likelihood_model_free(start);
    free(ex), free(x), free(y), free(group);

    /* a negated phrase is no firm wording */
    static const article_text no[] = {
        {"n1", "2024-12-02", "Harbour Gazette", "Burnley have not agreed a fee with Lyon for midfielder Daan Visser."},
    };
    ingest(w, no, 1);
    radar_story_evidence e;
    assert_int_equal(radar_store_story_evidence(w->st, story_of(w, "Daan Visser", "Burnley"), NULL, &e), 0);
    assert_int_equal(e.firm, 0);
}

/* A story reported in July, whose summer window closed in silence on 1
 * September (it went quiet: nothing ended), and which an imported outcome
 * settles on 20 September: its July report is a day fitting learns from,
 * labelled done. A window closing is no episode's end. */
static void test_settled_after_quiet_window(void **state)
{
    world *w = *state;
    static const article_text v[] = {
        {"q1", "2024-07-20", "Harbour Gazette", "Brentford are in talks with Lyon over midfielder Tomas Verhaegen."},
        {"q2", "2024-07-22", "Harbour Gazette", "Fulham have completed the signing of Rui Almeida from Porto."},
        /* a later article closes the summer window */
        {"q3", "2024-10-05", "Harbour Gazette", "Everton are keen on Celtic defender Callum Strachan."},
    };
    ingest(w, v, 3);
    long long verhaegen = story_of(w, "Tomas Verhaegen", "Brentford");
    char outcome[8];
    radar_likelihood l;
    assert_int_equal(radar_store_story_likelihood(w->st, verhaegen, NULL, &l, outcome), 0);
    assert_string_equal(outcome, "quiet");
    const char csv[] = "player,to_club,date,outcome\nTomas Verhaegen,Brentford,2024-09-20,done\n";
    assert_int_equal(radar_outcomes_read("t.csv", csv, sizeof csv - 1, add_row, w), 0);
    assert_int_equal(radar_store_rescore(w->st), 0);

    radar_outcome_example *ex;
    size_t n, mine = 0;
    assert_int_equal(radar_store_outcome_examples(w->st, &ex, &n), 0);
    for (size_t i = 0; i < n; i++)
        if (ex[i].story == verhaegen) {
            mine++;
            assert_string_equal(ex[i].day, "2024-07-20");
            assert_int_equal(ex[i].done, 1);
        }
    free(ex);
    assert_int_equal(mine, 1);
}

/* Scoring every story reads each buying club's record once and takes the
 * story's own part out of it: the same figures as asking story by story. */
static void test_club_record_read_once(void **state)
{
    world *w = *state;
    static const article_text v[] = {
        {"c1", "2024-07-01", "Harbour Gazette", "Brentford have completed the signing of Lyon striker Anton Belkin for a fee of 30 million euros."},
        {"c2", "2024-07-02", "Harbour Gazette", "Brentford have completed the signing of Porto midfielder Joao Tavares for a fee of 12 million euros."},
        {"c3", "2024-07-03", "Harbour Gazette", "Brentford are in talks with Celtic over defender Ross Mackie."},
        {"c4", "2024-07-04", "Harbour Gazette", "Brentford have made an offer of 20 million euros for Nantes winger Hugo Perrin."},
        {"c5", "2024-07-05", "Harbour Gazette", "Fulham have completed the signing of Ajax defender Sem Bakker for a fee of 40 million euros."},
    };
    ingest(w, v, sizeof v / sizeof *v);
    const char csv[] = "player,to_club,date,outcome\n"
                       "Anton Belkin,Brentford,2024-07-01,done\n"
                       "Joao Tavares,Brentford,2024-07-02,done\n"
                       "Ross Mackie,Brentford,2024-07-20,failed\n"
                       "Sem Bakker,Fulham,2024-07-05,done\n";
    assert_int_equal(radar_outcomes_read("t.csv", csv, sizeof csv - 1, add_row, w), 0);
    assert_int_equal(radar_store_rescore(w->st), 0);
    static const struct {
        const char *player, *club;
        int settled, signed_;
        double paid;
    } want[] = {
        {"Anton Belkin", "Brentford", 2, 1, 12e6}, /* Tavares done, Mackie failed; the dearest other: Tavares */
        {"Joao Tavares", "Brentford", 2, 1, 30e6},
        {"Ross Mackie", "Brentford", 2, 2, 30e6},
        {"Hugo Perrin", "Brentford", 3, 2, 30e6},
        {"Sem Bakker", "Fulham", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        long long id = story_of(w, want[i].player, want[i].club);
        radar_story_evidence one, pass;
        assert_int_equal(radar_store_story_evidence(w->st, id, NULL, &one), 0);
        assert_int_equal(radar_store_club_memo_begin(w->st), 0);
        assert_int_equal(radar_store_story_evidence(w->st, id, NULL, &pass), 0);
        /* again, from what the pass has read */
        assert_int_equal(radar_store_story_evidence(w->st, id, NULL, &pass), 0);
        radar_store_club_memo_end(w->st);
        assert_int_equal(one.club_settled, want[i].settled);
        assert_int_equal(one.club_signed, want[i].signed_);
        if (one.club_paid_eur != want[i].paid)
            fail_msg("%s: paid %g, want %g", want[i].player, one.club_paid_eur, want[i].paid);
        assert_int_equal(pass.club_settled, one.club_settled);
        assert_int_equal(pass.club_signed, one.club_signed);
        assert_true(pass.club_paid_eur == one.club_paid_eur);
    }
}

/* Of two reports of one day, the later by article id is the latest, whichever
 * was stored first: its contract fact is the one read, and its wording. */
static void test_latest_report_of_a_day(void **state)
{
    world *w = *state;
    static const article_text v[] = {
        {"k2", "2024-03-01", "Harbour Gazette",
         "Brentford have agreed a fee with Lyon for Tomas Verhaegen, whose contract expires in June 2026."},
        {"k1", "2024-03-01", "Harbour Gazette",
         "Brentford are monitoring Lyon midfielder Tomas Verhaegen, whose contract expires in June 2025."},
        {"k0", "2024-02-01", "Harbour Gazette", "Brentford are in talks with Lyon over midfielder Tomas Verhaegen."},
    };
    ingest(w, v, sizeof v / sizeof *v);
    long long id = story_of(w, "Tomas Verhaegen", "Brentford");
    radar_story_evidence one, pass;
    assert_int_equal(radar_store_story_evidence(w->st, id, NULL, &one), 0);
    /* June 2026 as of 1 March 2024 (June 2025 would be 16) */
    assert_int_equal(one.contract_months, 28);
    assert_true(one.firm >= 1);
    assert_int_equal(one.hedges, 0);
    assert_string_equal(one.firm_word, "agreed");
    assert_int_equal(radar_store_club_memo_begin(w->st), 0);
    assert_int_equal(radar_store_story_evidence(w->st, id, NULL, &pass), 0);
    radar_store_club_memo_end(w->st);
    assert_int_equal(pass.contract_months, one.contract_months);
    assert_int_equal(pass.firm, one.firm);
    assert_string_equal(pass.firm_word, one.firm_word);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_look_ahead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wording_signs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settled_after_quiet_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_club_record_read_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_latest_report_of_a_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
