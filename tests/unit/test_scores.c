/*
 * test_scores.c - the Beta posterior, the likelihood model and the outcomes
 * CSV reader, on numbers and rows written here.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/outcomes.h"
#include "radar/score.h"

static void test_beta_quantile(void **state)
{
    (void)state;
    /* Beta(1,1) is uniform; Beta(2,2) is symmetric */
    assert_true(fabs(radar_beta_quantile(1, 1, 0.25) - 0.25) < 1e-9);
    assert_true(fabs(radar_beta_quantile(2, 2, 0.5) - 0.5) < 1e-9);
    /* Beta(6.1, 3.9): checked by numerical integration */
    assert_true(fabs(radar_beta_quantile(6.1, 3.9, 0.05) - 0.3549) < 1e-3);
    assert_true(fabs(radar_beta_quantile(6.1, 3.9, 0.95) - 0.8389) < 1e-3);
}

static void test_reliability(void **state)
{
    (void)state;
    radar_reliability agency, tabloid, unknown, proven;
    radar_reliability_compute(1, 0, 0, &agency);
    radar_reliability_compute(4, 0, 0, &tabloid);
    radar_reliability_compute(0, 0, 0, &unknown);
    assert_true(agency.mean > unknown.mean && unknown.mean > tabloid.mean);
    assert_true(fabs(agency.mean - 0.70) < 1e-9);
    /* three hits of three do not make a source perfect */
    radar_reliability_compute(0, 3, 3, &proven);
    assert_true(proven.mean < 0.7 && proven.mean > unknown.mean);
    assert_true(proven.lo < proven.mean && proven.mean < proven.hi);
    /* many resolved rumours outweigh the prior */
    radar_reliability r;
    radar_reliability_compute(1, 200, 40, &r);
    assert_true(fabs(r.mean - (4.2 + 40) / 206.0) < 1e-9);
    assert_true(r.hi - r.lo < 0.1);
}

static double contribution(const radar_likelihood *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->factors[i].name, name))
            return l->factors[i].contribution;
    return NAN;
}

static void test_likelihood(void **state)
{
    (void)state;
    radar_story_evidence e = RADAR_STORY_EVIDENCE_INIT;
    radar_likelihood base, l;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &base);
    assert_true(fabs(base.p - 0.30) < 1e-9);
    assert_string_equal(base.factors[0].name, "base");

    /* each kind of evidence moves the probability the way it should */
    e.stage = RADAR_STAGE_MEDICAL;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &l);
    assert_true(l.p > 0.85);
    assert_true(fabs(contribution(&l, "stage") - 3.0) < 1e-9);
    e = (radar_story_evidence)RADAR_STORY_EVIDENCE_INIT;
    e.days_since_last = 400;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &l);
    assert_true(l.p < base.p);
    e = (radar_story_evidence)RADAR_STORY_EVIDENCE_INIT;
    e.source_rel = 0.7;
    e.independent = 4;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &l);
    assert_true(l.p > base.p);
    assert_true(fabs(contribution(&l, "independent") - 0.8) < 1e-9);
    e = (radar_story_evidence)RADAR_STORY_EVIDENCE_INIT;
    e.denials = 5; /* capped at two */
    e.latest_stage = RADAR_STAGE_COLLAPSED;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &l);
    assert_true(fabs(contribution(&l, "denials") + 1.4) < 1e-9);
    assert_true(l.p < 0.05);

    /* the factors add up to the log-odds */
    e = (radar_story_evidence)RADAR_STORY_EVIDENCE_INIT;
    e.stage = RADAR_STAGE_BID;
    e.mentions = 8;
    e.rivals = 2;
    e.stance = -1;
    e.resurfaced_stale = 1;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &l);
    double sum = 0;
    for (size_t i = 0; i < l.n; i++)
        sum += l.factors[i].contribution;
    assert_true(fabs(sum - l.logit) < 1e-12);
    assert_true(fabs(l.p - 1 / (1 + exp(-sum))) < 1e-12);
    /* and the same evidence always gives the same score */
    radar_likelihood again;
    radar_likelihood_compute_with(radar_likelihood_model_handset(), &e, &again);
    assert_true(again.p == l.p && again.n == l.n);
}

static void test_window_end(void **state)
{
    (void)state;
    char d[11];
    assert_int_equal(radar_window_end("2021-22", "summer", d), 0);
    assert_string_equal(d, "2021-09-01");
    assert_int_equal(radar_window_end("2021/22", "winter", d), 0);
    assert_string_equal(d, "2022-02-01");
    assert_int_equal(radar_window_end("1999-00", "winter", d), 0);
    assert_string_equal(d, "2000-02-01");
    assert_int_equal(radar_window_end("2021", "Summer", d), 0);
    assert_string_equal(d, "2021-09-01");
    assert_int_equal(radar_window_end("2021-23", "summer", d), RADAR_EINVALID);
    assert_int_equal(radar_window_end("next year", "summer", d), RADAR_EINVALID);
    assert_int_equal(radar_window_end("2021", "spring", d), RADAR_EINVALID);
    assert_int_equal(radar_window_end(NULL, "summer", d), RADAR_EINVALID);
}

typedef struct seen {
    int rows, bad;
    char players[8][64], clubs[8][64], dates[8][11], messages[8][256];
    double fees[8];
    int failed[8];
    unsigned long lines[8];
} seen;

static int collect(void *user, const radar_outcome_row *row, const char *message)
{
    seen *s = user;
    if (!row) {
        if (s->bad < 8)
            snprintf(s->messages[s->bad], sizeof s->messages[0], "%s", message);
        s->bad++;
        return 0;
    }
    if (s->rows < 8) {
        snprintf(s->players[s->rows], 64, "%s", row->player);
        snprintf(s->clubs[s->rows], 64, "%s", row->to_club);
        snprintf(s->dates[s->rows], 11, "%s", row->date);
        s->fees[s->rows] = row->fee;
        s->failed[s->rows] = row->outcome == RADAR_OUTCOME_FAILED;
        s->lines[s->rows] = row->line;
    }
    s->rows++;
    return 0;
}

static void test_csv(void **state)
{
    (void)state;
    /* a spreadsheet's export: BOM, CRLF, columns in another order, quotes */
    const char csv[] = "\xEF\xBB\xBFOutcome,To Club,Player,Season,Window,Fee\r\n"
                       "done,\"Inter, Milan\",\"Lautaro \"\"El Toro\"\" Martinez\",2018-19,summer,22700000\r\n"
                       "\r\n"
                       "failed,Chelsea,\"A\nB\",2020,winter,\r\n"
                       ",Liverpool,Someone,2021-22,summer,\r\n";
    seen s = {0};
    assert_int_equal(radar_outcomes_read("t.csv", csv, sizeof csv - 1, collect, &s), 0);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.rows, 3);
    assert_string_equal(s.players[0], "Lautaro \"El Toro\" Martinez");
    assert_string_equal(s.clubs[0], "Inter, Milan");
    assert_string_equal(s.dates[0], "2018-09-01");
    assert_true(s.fees[0] == 22700000);
    assert_false(s.failed[0]);
    assert_string_equal(s.players[1], "A\nB"); /* a newline inside quotes */
    assert_true(s.failed[1]);
    assert_string_equal(s.dates[1], "2020-02-01");
    assert_int_equal(s.lines[2], 6); /* lines counted through the quoted newline */
    assert_false(s.failed[2]);       /* done is the default */
}

static void test_csv_errors(void **state)
{
    (void)state;
    seen s = {0};
    const char nohead[] = "player,club\nA,B\n";
    assert_int_equal(radar_outcomes_read("h.csv", nohead, sizeof nohead - 1, collect, &s), RADAR_EFORMAT);
    assert_non_null(strstr(radar_last_error(), "h.csv:1: the header needs the columns player and to_club"));
    const char nodate[] = "player,to_club\nA,B\n";
    assert_int_equal(radar_outcomes_read("d.csv", nodate, sizeof nodate - 1, collect, &s), RADAR_EFORMAT);
    assert_int_equal(radar_outcomes_read("e.csv", "", 0, collect, &s), RADAR_EFORMAT);
    assert_int_equal(radar_outcomes_read("b.csv", "\xff\xfe", 2, collect, &s), RADAR_EENCODING);

    const char rows[] = "player,to_club,date,fee\n"
                        "A,B,2021-02-30,\n"
                        "C,D,2021-02-03,lots\n"
                        "E,F,2021-02-03,5\n";
    memset(&s, 0, sizeof s);
    assert_int_equal(radar_outcomes_read("r.csv", rows, sizeof rows - 1, collect, &s), 0);
    assert_int_equal(s.rows, 1);
    assert_int_equal(s.bad, 2);
    assert_string_equal(s.messages[0], "r.csv:2: '2021-02-30' is not a date (YYYY-MM-DD with a year from 1800 to 2200)");
    assert_string_equal(s.messages[1], "r.csv:3: fee 'lots' is not a number");
    assert_int_equal(s.lines[0], 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beta_quantile), cmocka_unit_test(test_reliability),
        cmocka_unit_test(test_likelihood),    cmocka_unit_test(test_window_end),
        cmocka_unit_test(test_csv),           cmocka_unit_test(test_csv_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
