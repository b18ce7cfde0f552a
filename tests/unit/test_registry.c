/*
 * test_registry.c - the player registry through the public API
 * (radar/registry.h): a store of three articles written for the test, and
 * the registry fixture of tests/fixtures/registry (transfermarkt-datasets
 * columns, rows written for the test). Checked: bad rows by file and line,
 * the links (two namesakes told apart by age), the registry's transfer
 * resolving the story as of its date and not before, a second import
 * changing nothing, and a link set by hand kept by later imports.
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

#include <jansson.h>

#include "radar/radar.h"
#include "radar/registry.h"
#include "radar/store.h"
#include "fixture.h"

typedef struct fx {
    char dir[256], path[320], registry[512];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
    char bad[8][256];
    int n_bad;
} fx;

static int report(void *user, const char *message)
{
    fx *f = user;
    if (f->n_bad < 8)
        snprintf(f->bad[f->n_bad++], sizeof f->bad[0], "%s", message);
    return 0;
}

static void put(fx *f, const char *id, const char *date, const char *body)
{
    rt_put(f->ex, f->st, id, date, body);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    const char *fixtures = getenv("RADAR_FIXTURES");
    if (!f || !fixtures)
        return -1;
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-registry-test"))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    snprintf(f->registry, sizeof f->registry, "%s/registry", fixtures);
    if (radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex) ||
        radar_store_open(&f->st, f->path, RADAR_STORE_CREATE, f->lex))
        return -1;
    *state = f;
    put(f, "r-1", "2024-06-01", "Arsenal have made a bid for Porto striker Marco Rinaldi, 24.");
    put(f, "r-2", "2024-06-05", "Chelsea have made a bid for Porto striker Marco Rinaldi, 24.");
    put(f, "r-3", "2024-06-07", "Everton have made a bid for Lille midfielder Bernardo Silva, 23.");
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    radar_store_close(f->st);
    radar_extractor_free(f->ex);
    radar_lexicon_free(f->lex);
    rt_rmtree(f->dir);
    free(f);
    return 0;
}

static void import(fx *f, radar_registry_counts *n)
{
    f->n_bad = 0;
    assert_int_equal(radar_store_begin(f->st), 0);
    if (radar_registry_import(f->st, f->registry, report, f, n))
        fail_msg("import: %s", radar_last_error());
    assert_int_equal(radar_store_rescore(f->st), 0);
    assert_int_equal(radar_store_commit(f->st), 0);
}

static long long player_id(fx *f, const char *name)
{
    radar_player_list *l;
    assert_int_equal(radar_store_player_read(f->st, name, &l), 0);
    assert_true(l->n >= 1);
    long long id = l->v[0].id;
    radar_player_list_free(l);
    return id;
}

/* The registry id player `name` is linked to and how ("" when none). */
static void link_of(fx *f, const char *name, char id[64], char how[16])
{
    radar_registry_players *r;
    assert_int_equal(radar_registry_player_links(f->st, player_id(f, name), &r), 0);
    snprintf(id, 64, "%s", r->linked ? r->v[0].id : "");
    snprintf(how, 16, "%s", r->linked ? r->v[0].how : "");
    radar_registry_players_free(r);
}

static char *export_text(fx *f)
{
    json_t *j;
    assert_int_equal(radar_store_export(f->st, &j), 0);
    char *s = json_dumps(j, JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

static void outcome_as_of(fx *f, const char *club, const char *as_of, const char *want)
{
    long long story;
    assert_int_equal(radar_store_find_story(f->st, "Marco Rinaldi", club, &story), 0);
    radar_likelihood l;
    char outcome[8];
    assert_int_equal(radar_store_story_likelihood(f->st, story, as_of, &l, outcome), 0);
    if (strcmp(outcome, want))
        fail_msg("Rinaldi -> %s as of %s: %s, want %s", club, as_of, outcome, want);
}

static void test_import(void **state)
{
    fx *f = *state;
    radar_registry_counts n;
    import(f, &n);
    assert_int_equal(n.clubs, 6);
    assert_int_equal(n.players, 4);
    assert_int_equal(n.transfers, 4);
    assert_int_equal(n.bad, 4);
    /* bad rows by file and line (a quoted field over two lines counts both) */
    static const char *const want[] = {"players.csv:7: a date", "players.csv:8: a player needs",
                                       "players.csv:9: the market value", "transfers.csv:6: a transfer needs"};
    assert_int_equal(f->n_bad, 4);
    for (int i = 0; i < 4; i++)
        if (!strstr(f->bad[i], want[i]))
            fail_msg("bad row %d: '%s', want '%s'", i, f->bad[i], want[i]);
    char id[64], how[16];
    link_of(f, "Marco Rinaldi", id, how);
    assert_string_equal(id, "900001");
    assert_string_equal(how, "auto");
    /* two Bernardo Silvas in the registry: the age the article gives picks one */
    link_of(f, "Bernardo Silva", id, how);
    assert_string_equal(id, "900003");

    /* the transfer of 15 July resolves the story then, not before */
    outcome_as_of(f, "Arsenal", "2024-07-01", "open");
    outcome_as_of(f, "Arsenal", "2024-07-20", "done");
    outcome_as_of(f, "Chelsea", "2024-07-01", "open");
    outcome_as_of(f, "Chelsea", "2024-07-20", "failed");

    /* a second import changes nothing */
    char *before = export_text(f);
    radar_registry_counts n2;
    import(f, &n2);
    char *after = export_text(f);
    assert_string_equal(before, after);
    assert_int_equal(n2.linked, n.linked);
    assert_int_equal(n2.outcomes, n.outcomes);
    free(before);
    free(after);
}

static void test_link_by_hand(void **state)
{
    fx *f = *state;
    radar_registry_counts n;
    import(f, &n);
    long long silva = player_id(f, "Bernardo Silva");
    assert_int_equal(radar_store_begin(f->st), 0);
    assert_int_equal(radar_registry_link(f->st, silva, "900002"), 0);
    assert_int_equal(radar_registry_link(f->st, silva, "no-such-id"), RADAR_ENOTFOUND);
    assert_int_equal(radar_registry_link(f->st, 999999, "900002"), RADAR_ENOTFOUND);
    assert_int_equal(radar_store_commit(f->st), 0);
    import(f, &n);
    char id[64], how[16];
    link_of(f, "Bernardo Silva", id, how);
    assert_string_equal(id, "900002");
    assert_string_equal(how, "manual");
}

static size_t mentions_of(fx *f, const char *club)
{
    long long story;
    assert_int_equal(radar_store_find_story(f->st, "Marco Rinaldi", club, &story), 0);
    radar_story_detail *d;
    assert_int_equal(radar_store_story_read(f->st, story, &d), 0);
    size_t n = d->n_timeline;
    radar_story_detail_free(d);
    return n;
}

/* The registry has Rinaldi at Arsenal from 15 July: a move there reported in
 * September is no move, whether stored before the import or after it. */
static void test_registry_club_is_no_destination(void **state)
{
    fx *f = *state;
    put(f, "r-4", "2024-09-01", "Arsenal have made a bid for striker Marco Rinaldi, 24.");
    assert_int_equal(mentions_of(f, "Arsenal"), 2);
    radar_registry_counts n;
    import(f, &n);
    assert_int_equal(n.own_club, 1);
    assert_int_equal(mentions_of(f, "Arsenal"), 1);
    put(f, "r-5", "2024-09-05", "Arsenal are keen on striker Marco Rinaldi, 24, according to reports.");
    assert_int_equal(mentions_of(f, "Arsenal"), 1);
    /* the reports of the move in the weeks after it stay */
    put(f, "r-6", "2024-07-20", "Arsenal have signed striker Marco Rinaldi, 24, in a deal worth 30m euros.");
    assert_int_equal(mentions_of(f, "Arsenal"), 2);
}

static void test_no_registry(void **state)
{
    fx *f = *state;
    radar_registry_players *r;
    assert_int_equal(radar_registry_player_links(f->st, player_id(f, "Marco Rinaldi"), &r), 0);
    assert_int_equal(r->n, 0);
    assert_false(r->linked);
    radar_registry_players_free(r);
    radar_registry_counts n;
    assert_int_equal(radar_store_begin(f->st), 0);
    assert_int_equal(radar_registry_import(f->st, f->dir, report, f, &n), RADAR_ENOTFOUND);
    radar_store_rollback(f->st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_registry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_club_is_no_destination, setup, teardown),
    };
    return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
