/*
 * test_model.c - the learned decisions' model files and their training.
 *
 * A model file is read back to the same bytes it was written from; a
 * malformed one is refused with the file and line; training on the same
 * articles twice gives the same model byte for byte; and a model fitted on a
 * small annotated world of our own finds that world's rumours again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "radar/radar.h"
#include "radar/model.h"
#include "radar/limits.h"
#include "model_internal.h"
#include "../../src/util/embedded.h"

static radar_lexicon *LEX;

static int setup(void **state)
{
    (void)state;
    return radar_lexicon_new_builtin(&LEX);
}

static int teardown(void **state)
{
    (void)state;
    radar_lexicon_free(LEX);
    return 0;
}

static void parse_fails(const char *text, const char *want)
{
    radar_model *m = NULL;
    int rc = radar_model_parse(&m, "m.model", text, strlen(text));
    assert_int_equal(rc, RADAR_EFORMAT);
    assert_null(m);
    if (!strstr(radar_last_error(), want))
        fail_msg("'%s' should say '%s', said '%s'", text, want, radar_last_error());
}

static void test_malformed(void **state)
{
    (void)state;
    parse_fails("decision nope 3\n", "m.model:1: unknown decision 'nope'");
    parse_fails("# fine\n0123 1 2 3\n", "m.model:2: a weight row before any 'decision' line");
    parse_fails("decision pair 3\nzz 1 2 3 4 5 6 7 8 9\n", "m.model:2: expected a feature key in hex");
    parse_fails("decision pair 3\n0123 1 2 3\n", "m.model:2: expected 9 weights");
    parse_fails("decision pair 3\n0123 1 2 3 4 5 6 7 8 nan\n", "m.model:2: expected 9 weights");
    parse_fails("threshold short 1.5\n", "m.model:1: expected 'threshold short|long P [P_RULE]'");
    parse_fails("threshold medium 0.5\n", "m.model:1: expected 'threshold short|long P [P_RULE]'");
    parse_fails("margin stage -1\n", "m.model:1: expected 'margin stage P'");
    parse_fails("decision pair 1\n", "m.model:1: expected 'decision NAME CLASSES'");
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *text = "# a model\n"
                       "margin stage 0.3\n"
                       "threshold short 0.45 0.3\n"
                       "threshold long 0.25 0.2\n"
                       "decision pair 3\n"
                       "00000000000000a1 0.5 -0.25 0 0 0.125 0 -1 0 1 # between=from\n"
                       "0000000000000b02 1e-05 2 -3 0 0 0 0 0 0\n"
                       "decision stage 10\n"
                       "0000000000000c03 1 2 3 4 5 6 7 8 9 10 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    radar_model *m, *again;
    assert_int_equal(radar_model_parse(&m, "t", text, strlen(text)), 0);
    assert_int_equal(radar_model_rows(m, RADAR_DECIDE_PAIR), 2);
    assert_int_equal(radar_model_rows(m, RADAR_DECIDE_STAGE), 1);
    assert_int_equal(radar_model_rows(m, RADAR_DECIDE_CONTEXT), 0);
    radar_buf one = RADAR_BUF_INIT, two = RADAR_BUF_INIT;
    assert_int_equal(radar_model_write(m, &one), 0);
    assert_int_equal(radar_model_parse(&again, "t2", one.data, one.len), 0);
    assert_int_equal(radar_model_write(again, &two), 0);
    assert_string_equal(one.data, two.data);
    assert_non_null(strstr(one.data, "threshold short 0.45 0.3\n"));
    assert_non_null(strstr(one.data, "margin stage 0.3\n"));
    radar_buf_free(&one);
    radar_buf_free(&two);
    radar_model_free(m);
    radar_model_free(again);
}

/* Keys and weights in forms the writer does not use (a "0x" key, a short
 * one, more digits than a double holds exactly) are read as strtoull and
 * plain decimal arithmetic read them, beside the writer's own form. */
static void test_other_number_forms(void **state)
{
    (void)state;
    const char *text = "decision pair 3\n"
                       "0xa1 0.12345678901234567 1234567890123456.5 -0.0000000000000001 2.5e-3 +7 0 0 0 0\n"
                       "b2 1.5 0 0 0 0 0 0 0 0\n"
                       "00000000000000c3 -0.0625 1e+02 0 0 0 0 0 0 0\n";
    radar_model *m;
    assert_int_equal(radar_model_parse(&m, "t", text, strlen(text)), 0);
    radar_buf out = RADAR_BUF_INIT;
    assert_int_equal(radar_model_write(m, &out), 0);
    assert_non_null(strstr(out.data, "\n00000000000000a1 0.1235 1.235e+15 -1e-16 0.0025 7 0 0 0 0\n"));
    assert_non_null(strstr(out.data, "\n00000000000000b2 1.5 0 0 0 0 0 0 0 0\n"));
    assert_non_null(strstr(out.data, "\n00000000000000c3 -0.0625 100 0 0 0 0 0 0 0\n"));
    radar_buf_free(&out);
    radar_model_free(m);
}

/* The first pass reads the pair and context weights of a key from one joint
 * table, summed when the model is read: it must score exactly as the two
 * decisions' own tables do, for keys in both, in one only, or in neither. */
static void test_joint_scores_as_its_tables(void **state)
{
    (void)state;
    const char *text = "decision pair 3\n"
                       "00000000000000a1 0.5 -0.25 0.1 0.3 0.125 -0.7 -1 0.2 1\n"
                       "00000000000000b2 1e-05 2 -3 0.4 0 0.9 0.33 -0.01 0\n"
                       "decision context 3\n"
                       "00000000000000a1 0.2 0.1 -0.3 0.05 0.6 0 0.7 -0.9 0.11\n"
                       "00000000000000c3 -0.4 0.8 0.03 1.2 -0.6 0.25 0 0.15 -2\n";
    radar_model *m;
    assert_int_equal(radar_model_parse(&m, "t", text, strlen(text)), 0);
    const uint64_t keys[] = {0xa1, 0xb2, 0xc3, 0xd4};
    for (int domain = 0; domain < 2; domain++) {
        float out[3], want[3], ctx[3];
        radar_model_scores_first(m, keys, 4, domain, ctx, out);
        radar_model_scores(m, RADAR_DECIDE_PAIR, keys, 4, domain, want);
        assert_memory_equal(out, want, sizeof out);
        /* the context sums: each key's weight for all articles plus its kind's, as floats, summed in order */
        const float a1[9] = {0.2f, 0.1f, -0.3f, 0.05f, 0.6f, 0, 0.7f, -0.9f, 0.11f};
        const float c3[9] = {-0.4f, 0.8f, 0.03f, 1.2f, -0.6f, 0.25f, 0, 0.15f, -2};
        for (int c = 0; c < 3; c++) {
            double s = 0;
            s += a1[c] + a1[3 * (1 + domain) + c];
            s += c3[c] + c3[3 * (1 + domain) + c];
            assert_true((float)s == ctx[c]);
        }
    }
    radar_model_free(m);
}

static void test_builtin(void **state)
{
    (void)state;
    const radar_model *m = radar_model_builtin();
    assert_non_null(m);
    assert_true(radar_model_rows(m, RADAR_DECIDE_PAIR) > 1000);
    assert_true(radar_model_rows(m, RADAR_DECIDE_CONTEXT) > 1000);
    assert_true(radar_model_rows(m, RADAR_DECIDE_STAGE) > 100);
}

/* The tables compiled into the binary at build time are the ones the text
 * model parses into, slot for slot and bit for bit: the built-in model
 * decides as `--model data/model/extract.model` does. */
static void test_compiled_is_parsed(void **state)
{
    (void)state;
    const radar_embedded_file *f = radar_embedded_find(radar_builtin_model, radar_builtin_model_count, "extract.model");
    assert_non_null(f);
    radar_model *p = NULL;
    assert_int_equal(radar_model_parse(&p, "extract.model", f->data, f->len), 0);
    const radar_model *c = &radar_compiled_model;
    for (int dec = 0; dec < RADAR_DECIDE_COUNT; dec++) {
        const decision_table *a = &p->d[dec], *b = &c->d[dec];
        assert_int_equal(a->slots, b->slots);
        assert_int_equal(a->rows, b->rows);
        assert_int_equal(a->k, b->k);
        assert_int_equal(a->width, b->width);
        assert_memory_equal(a->keys, b->keys, a->slots * sizeof *a->keys);
        assert_memory_equal(a->w, b->w, a->slots * (size_t)a->width * sizeof *a->w);
    }
    const summed_table *ja = &p->joint, *jb = &c->joint;
    assert_true(ja->slots > 0);
    assert_int_equal(ja->slots, jb->slots);
    assert_int_equal(ja->rows, jb->rows);
    assert_int_equal(ja->stride, jb->stride);
    assert_int_equal(ja->k, jb->k);
    assert_int_equal(ja->kc, jb->kc);
    size_t used = sizeof(uint64_t) + MODEL_DOMAINS * (size_t)(ja->k + ja->kc) * sizeof(float);
    for (size_t s = 0; s < ja->slots; s++)
        assert_memory_equal(ja->mem + s * ja->stride, jb->mem + s * jb->stride, used);
    assert_memory_equal(p->threshold, c->threshold, sizeof p->threshold);
    assert_memory_equal(p->threshold_rule, c->threshold_rule, sizeof p->threshold_rule);
    assert_memory_equal(&p->stage_margin, &c->stage_margin, sizeof p->stage_margin);
    /* without RADAR_DEBUG the built-in model is the compiled one, not parsed again */
    const char *dbg = getenv("RADAR_DEBUG");
    if (!(dbg && *dbg && *dbg != '0'))
        assert_ptr_equal(radar_model_builtin(), c);
    radar_model_free(p);
}

/* A small annotated world: what a club wants, what it does not. */
typedef struct world_item {
    const char *id, *text;
    radar_gold_rumour gold[3];
    size_t n;
} world_item;

static const world_item WORLD[] = {
    {"w1", "Everton are keen on Lyon winger Karim Dassou, 24.",
     {{"Karim Dassou", "Everton", "Lyon", RADAR_STAGE_INTEREST, 0}}, 1},
    {"w2", "Fulham have made a bid for Porto defender Tiago Reis.",
     {{"Tiago Reis", "Fulham", "Porto", RADAR_STAGE_BID, 0}}, 1},
    {"w3", "Lyon midfielder Hugo Pernet scored twice against Lille on Sunday.", {{0}}, 0},
    {"w4", "Brentford are monitoring Ajax striker Sem Dijkstra, 21.",
     {{"Sem Dijkstra", "Brentford", "Ajax", RADAR_STAGE_INTEREST, 0}}, 1},
    {"w5", "Celtic manager Brendan Rodgers praised Rangers before the derby.", {{0}}, 0},
    {"w6", "Sevilla have agreed a fee with Betis for forward Luis Arroyo.",
     {{"Luis Arroyo", "Sevilla", "Real Betis", RADAR_STAGE_AGREEMENT, 0}}, 1},
};
#define N_WORLD (sizeof WORLD / sizeof WORLD[0])

static radar_model *fit_world(void)
{
    radar_trainer *t;
    assert_int_equal(radar_trainer_new(&t, LEX), 0);
    for (int round = 0; round < 8; round++) /* the same small world, weighed as a larger one */
        for (size_t i = 0; i < N_WORLD; i++) {
            radar_article a = {.id = WORLD[i].id, .date = "2024-06-01", .body = WORLD[i].text,
                               .body_len = strlen(WORLD[i].text)};
            assert_int_equal(radar_trainer_add(t, &a, WORLD[i].gold, WORLD[i].n, -1), 0);
        }
    radar_train_stats s;
    radar_trainer_stats(t, &s);
    assert_int_equal(s.articles, 8 * N_WORLD);
    assert_int_equal(s.gold_pairs, 8 * 4);
    assert_int_equal(s.gold_unreachable, 0);
    radar_train_options o = RADAR_TRAIN_OPTIONS_INIT;
    o.min_count = 1;
    o.rate = 0.2;
    radar_model *m;
    assert_int_equal(radar_trainer_fit(t, &o, -1, &m), 0);
    radar_trainer_free(t);
    return m;
}

static void test_training_is_deterministic(void **state)
{
    (void)state;
    radar_model *a = fit_world(), *b = fit_world();
    radar_buf x = RADAR_BUF_INIT, y = RADAR_BUF_INIT;
    assert_int_equal(radar_model_write(a, &x), 0);
    assert_int_equal(radar_model_write(b, &y), 0);
    assert_true(x.len > 100);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    /* the feature names ride along as comments */
    assert_non_null(strstr(x.data, "# "));
    radar_buf_free(&x);
    radar_buf_free(&y);
    radar_model_free(a);
    radar_model_free(b);
}

static void test_fitted_world_found_again(void **state)
{
    (void)state;
    radar_model *m = fit_world();
    radar_extractor *ex;
    assert_int_equal(radar_extractor_new(&ex, LEX), 0);
    radar_extractor_set_model(ex, m);
    for (size_t i = 0; i < N_WORLD; i++) {
        radar_article a = {.id = WORLD[i].id, .date = "2024-06-01", .body = WORLD[i].text,
                           .body_len = strlen(WORLD[i].text)};
        const radar_doc *doc;
        assert_int_equal(radar_extract(ex, &a, &doc), 0);
        if (doc->n_rumours != WORLD[i].n)
            fail_msg("%s: %zu rumours, wanted %zu", WORLD[i].id, doc->n_rumours, WORLD[i].n);
        if (WORLD[i].n)
            assert_string_equal(doc->rumours[0].to_club, WORLD[i].gold[0].to_club);
    }
    radar_extractor_free(ex);
    radar_model_free(m);
}

/* Two kinds of article whose texts read alike ("X trained with Y"): only the
 * title tells the rumour ("Y want X") from the report. */
typedef struct titled_item {
    const char *title, *text, *player, *club;
    int rumour;
} titled_item;

static const titled_item TITLED[] = {
    {"Everton want Karim Dassou", "Karim Dassou trained with Everton on Monday.", "Karim Dassou", "Everton", 1},
    {"Lille beat Lyon in the rain", "Hugo Pernet trained with Everton on Monday.", "Hugo Pernet", "Everton", 0},
    {"Fulham chase Tiago Reis", "Tiago Reis trained with Fulham on Friday.", "Tiago Reis", "Fulham", 1},
    {"Celtic win the derby", "Sem Dijkstra trained with Fulham on Friday.", "Sem Dijkstra", "Fulham", 0},
    {"Sevilla target Luis Arroyo", "Luis Arroyo trained with Sevilla on Tuesday.", "Luis Arroyo", "Sevilla", 1},
    {"Porto held at home", "Marco Vidal trained with Sevilla on Tuesday.", "Marco Vidal", "Sevilla", 0},
};
#define N_TITLED (sizeof TITLED / sizeof TITLED[0])

static size_t rumours_of(radar_extractor *ex, const char *title, const char *text)
{
    radar_article a = {.id = "t", .date = "2024-06-01", .title = title, .body = text, .body_len = strlen(text)};
    const radar_doc *doc;
    assert_int_equal(radar_extract(ex, &a, &doc), 0);
    return doc->n_rumours;
}

static void test_title_is_read(void **state)
{
    (void)state;
    radar_trainer *t;
    assert_int_equal(radar_trainer_new(&t, LEX), 0);
    for (int round = 0; round < 8; round++)
        for (size_t i = 0; i < N_TITLED; i++) {
            const titled_item *w = &TITLED[i];
            radar_gold_rumour g = {w->player, w->club, NULL, RADAR_STAGE_INTEREST, 0};
            radar_article a = {.id = w->text, .date = "2024-06-01", .title = w->title, .body = w->text,
                               .body_len = strlen(w->text)};
            assert_int_equal(radar_trainer_add(t, &a, &g, w->rumour ? 1 : 0, -1), 0);
        }
    radar_train_options o = RADAR_TRAIN_OPTIONS_INIT;
    o.min_count = 1;
    o.rate = 0.2;
    radar_model *m;
    assert_int_equal(radar_trainer_fit(t, &o, -1, &m), 0);
    radar_trainer_free(t);
    radar_extractor *ex;
    assert_int_equal(radar_extractor_new(&ex, LEX), 0);
    radar_extractor_set_model(ex, m);
    /* new names and a new club: what was learnt is where the pair stands, not who they are */
    const char *text = "Pablo Ruiz trained with Brentford on Sunday.";
    assert_int_equal(rumours_of(ex, "Brentford want Pablo Ruiz", text), 1);
    assert_int_equal(rumours_of(ex, "Ajax lose at home", text), 0);
    /* a title past the bytes read, cut inside a character, is read up to it */
    char longt[RADAR_MAX_TITLE_READ + 64];
    size_t n = 0;
    while (n + 2 < RADAR_MAX_TITLE_READ + 40) {
        memcpy(longt + n, "\xC3\xA9", 2); /* é */
        n += 2;
    }
    longt[n] = 0;
    assert_int_equal(rumours_of(ex, longt, text), 0);
    radar_extractor_free(ex);
    radar_model_free(m);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    radar_model *m = NULL;
    assert_int_equal(radar_model_load(&m, "/nonexistent/extract.model"), RADAR_EIO);
    assert_null(m);
    assert_non_null(strstr(radar_last_error(), "/nonexistent/extract.model"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_other_number_forms),
        cmocka_unit_test(test_joint_scores_as_its_tables),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_compiled_is_parsed),
        cmocka_unit_test(test_training_is_deterministic),
        cmocka_unit_test(test_fitted_world_found_again),
        cmocka_unit_test(test_title_is_read),
        cmocka_unit_test(test_load_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
