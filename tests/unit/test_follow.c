/*
 * test_follow.c - following clubs and players (radar/follow.h): what a
 * follow matches, the changes told (a new story, a stage reached) and told
 * once, the alert payload; and a store handle that rescores a few players,
 * then the whole store, as a long-running watch does.
 *
 * Articles are short texts written for these tests (invented players, real
 * clubs), in a database in a temporary folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "radar/follow.h"
#include "radar/radar.h"
#include "radar/store.h"
#include "fixture.h"

typedef struct fx {
    char dir[256], path[320];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-follow-test") || radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex)) {
        radar_lexicon_free(f->lex);
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    if (radar_store_open(&f->st, f->path, RADAR_STORE_CREATE, f->lex)) {
        radar_extractor_free(f->ex);
        radar_lexicon_free(f->lex);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    radar_store_close(f->st);
    radar_extractor_free(f->ex);
    radar_lexicon_free(f->lex);
    rt_rmtree(f->dir);
    free(f);
    return 0;
}

/* Extract `body` as article `id` of `date` and put it in its own transaction. */
static void put(fx *f, const char *id, const char *date, const char *body)
{
    rt_put(f->ex, f->st, id, date, body);
}

static void rescore(fx *f)
{
    if (radar_store_rescore(f->st))
        fail_msg("radar_store_rescore: %s", radar_last_error());
}

/* The changes told, as "event player stage<-previous [followed...]" lines. */
typedef struct told {
    char text[2048];
    int n;
    int refuse; /* return this from the callback */
} told;

static int on_change(void *user, const radar_change *c)
{
    told *t = user;
    if (t->refuse)
        return t->refuse;
    size_t len = strlen(t->text);
    len += (size_t)snprintf(t->text + len, sizeof t->text - len, "%s %s %s<-%s",
                            c->kind == RADAR_CHANGE_NEW_STORY ? "new" : "stage", c->story->player, c->stage,
                            c->previous_stage ? c->previous_stage : "-");
    for (size_t i = 0; i < c->n_followed; i++)
        len += (size_t)snprintf(t->text + len, sizeof t->text - len, " [%s]", c->followed[i]);
    snprintf(t->text + len, sizeof t->text - len, "\n");
    t->n++;
    return 0;
}

static void changes(fx *f, told *t)
{
    memset(t->text, 0, sizeof t->text);
    t->n = 0;
    radar_change_counts cc = {0, 0};
    if (radar_follow_changes(f->st, on_change, t, &cc))
        fail_msg("radar_follow_changes: %s", radar_last_error());
    assert_int_equal(cc.told, t->n);
}

/* A handle that rescored a few players (which makes temporary tables) can
 * rescore the whole store after: a watch does both, poll after poll. */
static void test_rescore_players_then_all(void **state)
{
    fx *f = *state;
    static const char *const first[] = {
        "Arsenal have made a bid for Ajax defender Tomas Velde, the Daily Record reports.",
        "Everton are interested in Porto winger Rui Catarino, according to Record.",
        "Fulham have made a bid for Lyon midfielder Hugo Marchal, L'Equipe reports.",
        "Brentford are interested in Celtic striker Ewan Dalgleish, according to the Daily Record.",
        "Burnley have made a bid for Lens defender Remy Fourcade, L'Equipe reports.",
        "Chelsea are interested in Benfica midfielder Diogo Sardinha, according to Record.",
    };
    char id[32];
    for (size_t i = 0; i < sizeof first / sizeof *first; i++) {
        snprintf(id, sizeof id, "a%zu", i);
        put(f, id, "2024-01-10", first[i]);
    }
    rescore(f);
    /* one player touched of many: only his stories */
    put(f, "b0", "2024-01-20", "Arsenal have agreed a fee with Ajax for defender Tomas Velde, the Daily Record reports.");
    rescore(f);
    /* most players touched: the whole store, on the same handle */
    put(f, "c0", "2024-01-21", "Everton have made a bid for Porto winger Rui Catarino, Record reports.");
    put(f, "c1", "2024-01-21", "Fulham have agreed a fee with Lyon for Hugo Marchal, L'Equipe reports.");
    put(f, "c2", "2024-01-21", "Brentford have made a bid for Celtic striker Ewan Dalgleish, the Daily Record reports.");
    put(f, "c3", "2024-01-21", "Burnley have agreed a fee with Lens for Remy Fourcade, L'Equipe reports.");
    rescore(f);
}

static void test_follow_add_list_remove(void **state)
{
    fx *f = *state;
    put(f, "a", "2024-02-01", "Aston Villa are interested in Celtic defender Callum Rennie, according to the Daily Record.");
    rescore(f);
    radar_follow fo;
    /* a club by any name the lexicon knows, shown by its canonical name */
    assert_int_equal(radar_follow_add(f->st, "villa", RADAR_FOLLOW_GUESS, &fo), 0);
    assert_int_equal(fo.kind, RADAR_FOLLOW_CLUB);
    assert_string_equal(fo.name, "Aston Villa");
    assert_int_equal(fo.stories, 1);
    /* a stored player by surname */
    assert_int_equal(radar_follow_add(f->st, "Rennie", RADAR_FOLLOW_GUESS, &fo), 0);
    assert_int_equal(fo.kind, RADAR_FOLLOW_PLAYER);
    assert_int_equal(fo.stories, 1);
    /* twice is once */
    assert_int_equal(radar_follow_add(f->st, "Aston Villa", RADAR_FOLLOW_GUESS, NULL), 0);
    /* unknown unless said */
    assert_int_equal(radar_follow_add(f->st, "Nowhere Rovers", RADAR_FOLLOW_GUESS, NULL), RADAR_ENOTFOUND);
    assert_non_null(strstr(radar_last_error(), "--club or --player"));
    assert_int_equal(radar_follow_add(f->st, "Yanis Perrin", RADAR_FOLLOW_PLAYER, &fo), 0);
    assert_int_equal(fo.stories, 0);
    assert_int_equal(radar_follow_add(f->st, "", RADAR_FOLLOW_CLUB, NULL), RADAR_EINVALID);
    assert_int_equal(radar_follow_add(f->st, " x", RADAR_FOLLOW_CLUB, NULL), RADAR_EINVALID);

    radar_follow *v = NULL;
    size_t n = 0;
    assert_int_equal(radar_follow_list(f->st, &v, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].kind, RADAR_FOLLOW_CLUB);
    assert_string_equal(v[0].name, "Aston Villa");
    assert_string_equal(v[1].name, "Rennie");
    assert_string_equal(v[2].name, "Yanis Perrin");
    free(v);

    assert_int_equal(radar_follow_remove(f->st, "yanis perrin", &fo), 0);
    assert_string_equal(fo.name, "Yanis Perrin");
    assert_int_equal(radar_follow_remove(f->st, "Yanis Perrin", NULL), RADAR_ENOTFOUND);
    assert_int_equal(radar_follow_list(f->st, &v, &n), 0);
    assert_int_equal(n, 2);
    free(v);
}

static void test_changes(void **state)
{
    fx *f = *state;
    told t = {0};
    put(f, "a", "2024-02-01", "Aston Villa are interested in Celtic defender Callum Rennie, according to the Daily Record.");
    rescore(f);
    /* nothing followed: nothing told */
    changes(f, &t);
    assert_int_equal(t.n, 0);
    assert_int_equal(radar_follow_add(f->st, "Aston Villa", RADAR_FOLLOW_GUESS, NULL), 0);
    /* what was there when followed is no news */
    changes(f, &t);
    assert_int_equal(t.n, 0);

    put(f, "b", "2024-02-05", "Aston Villa are interested in Nantes midfielder Jules Moreau, according to RMC Sport.");
    put(f, "c", "2024-02-05", "Brentford have made a bid for Lyon winger Theo Garnier, L'Equipe reports.");
    rescore(f);
    changes(f, &t);
    assert_string_equal(t.text, "new Jules Moreau interest<-- [Aston Villa]\n");
    /* told once */
    changes(f, &t);
    assert_int_equal(t.n, 0);

    /* a callback that refuses: the change stays to be told */
    put(f, "d", "2024-03-01", "Aston Villa have made a bid for Celtic defender Callum Rennie, the Daily Record reports.");
    rescore(f);
    t.refuse = RADAR_EIO;
    assert_int_equal(radar_follow_changes(f->st, on_change, &t, NULL), RADAR_EIO);
    t.refuse = 0;
    /* matched by the club and, now, by the player too */
    assert_int_equal(radar_follow_add(f->st, "Callum Rennie", RADAR_FOLLOW_PLAYER, NULL), 0);
    changes(f, &t);
    assert_string_equal(t.text, "stage Callum Rennie bid<-interest [Aston Villa] [Callum Rennie]\n");
    changes(f, &t);
    assert_int_equal(t.n, 0);
}

static int keep_json(void *user, const radar_change *c)
{
    json_t **out = user;
    *out = radar_change_json(c);
    return 0;
}

static void test_payload(void **state)
{
    fx *f = *state;
    assert_int_equal(radar_follow_add(f->st, "Everton", RADAR_FOLLOW_CLUB, NULL), 0);
    put(f, "a", "2024-05-02", "Everton have made a bid for Porto winger Rui Catarino, Record reports.");
    rescore(f);
    json_t *j = NULL;
    assert_int_equal(radar_follow_changes(f->st, keep_json, &j, NULL), 0);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "event")), "new_story");
    assert_string_equal(json_string_value(json_object_get(j, "stage")), "bid");
    assert_true(json_is_null(json_object_get(j, "previous_stage")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "followed"), 0)), "Everton");
    json_t *story = json_object_get(j, "story");
    assert_string_equal(json_string_value(json_object_get(story, "player")), "Rui Catarino");
    assert_string_equal(json_string_value(json_object_get(story, "to_club")), "Everton");
    json_t *latest = json_object_get(j, "latest_report");
    assert_string_equal(json_string_value(json_object_get(latest, "article")), "a");
    assert_string_equal(json_string_value(json_object_get(latest, "date")), "2024-05-02");
    assert_string_equal(json_string_value(json_object_get(j, "radar")), RADAR_VERSION);
    json_decref(j);
}

/* An --exec command gets the payload on its standard input; its exit
 * status and a hang are failures. */
static void test_exec(void **state)
{
    fx *f = *state;
    char cmd[512], out[400];
    snprintf(out, sizeof out, "%s/exec.json", f->dir);
    snprintf(cmd, sizeof cmd, "cat > '%s'", out);
    const char *payload = "{\"event\":\"new_story\"}";
    assert_int_equal(radar_alert_exec(cmd, payload, strlen(payload), NULL), 0);
    FILE *fp = fopen(out, "r");
    assert_non_null(fp);
    char buf[64] = "";
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    unlink(out);
    assert_string_equal(buf, payload);
    assert_int_equal(radar_alert_exec("exit 4", payload, strlen(payload), NULL), RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "exited 4"));
    radar_alert_options o = RADAR_ALERT_OPTIONS_INIT;
    o.timeout_ms = 200;
    assert_int_equal(radar_alert_exec("sleep 5", payload, strlen(payload), &o), RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "killed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rescore_players_then_all, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_follow_add_list_remove, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_changes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_payload, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_exec, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
