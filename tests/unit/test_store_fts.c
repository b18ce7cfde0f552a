/*
 * test_store_fts.c - the full-text index's tokenizer (src/lib/store_fts.c)
 * and the store's search through it: words folded as player names are
 * (Ø, Æ, ß, Ł, Đ, ı and every accent), umlauts written out too, highlights
 * on the text as written; a schema-8 store (unicode61) read as it is and
 * migrated to 9, and a store copied with its index declared again.
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

#include <sqlite3.h>

#include "radar/radar.h"
#include "radar/store.h"
#include "fixture.h"
#include "store_fts.h"

/* ---- the tokenizer on a table of its own ---------------------------------- */

static sqlite3 *fts_db(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(radar_store_fts_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='" RADAR_FTS_TOKENIZER "');"
                                  "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    return db;
}

static void insert(sqlite3 *db, const char *body)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (?1)", -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, body, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

/* The indexed words, in order, each followed by a space. */
static void terms(sqlite3 *db, char *out, size_t cap)
{
    sqlite3_stmt *s;
    size_t n = 0;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT term FROM v ORDER BY term", -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s ", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* The highlighted rows matching `query`, one per line. */
static void highlight(sqlite3 *db, const char *query, char *out, size_t cap)
{
    sqlite3_stmt *s;
    size_t n = 0;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 ORDER BY rowid",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s\n", (const char *)sqlite3_column_text(s, 0));
    if (rc != SQLITE_DONE)
        fail_msg("MATCH '%s': %s", query, sqlite3_errmsg(db));
    sqlite3_finalize(s);
}

static void test_words_folded(void **state)
{
    (void)state;
    sqlite3 *db = fts_db();
    insert(db, "Ødegaard HØJLUND Straße Łukasz Đoković Ægir Yıldız Gündoğan Szczęsny Ale\xC2\xADssandro O'Brien "
               "MÜLLER Œuvre Þór Ħal; 3-1 \xC2\xAD \xE2\x80\x8B");
    char got[1024];
    terms(db, got, sizeof got);
    /* every letter plain, a soft hyphen inside a word part of it, an
     * apostrophe or a dash between two, an umlaut written out beside */
    assert_string_equal(got, "1 3 aegir alessandro brien dokovic guendogan gundogan hal hojlund lukasz mueller muller o "
                             "odegaard oeuvre strasse szczesny thor yildiz ");
    sqlite3_close(db);
}

static void test_both_ways_and_highlights(void **state)
{
    (void)state;
    sqlite3 *db = fts_db();
    insert(db, "Arsenal captain Martin \xC3\x98" "degaard, 25."); /* Ødegaard */
    insert(db, "Ça va: Bayern want Odegaard and Łukasz Łęgowski.");
    insert(db, "Thomas Müller, Muller and Mueller.");
    insert(db, "Ale\xC2\xADssandro signs.");
    char got[1024];
    highlight(db, "odegaard", got, sizeof got);
    assert_string_equal(got, "Arsenal captain Martin [Ødegaard], 25.\nÇa va: Bayern want [Odegaard] and Łukasz Łęgowski.\n");
    highlight(db, "\"Ødegaard\"", got, sizeof got);
    assert_string_equal(got, "Arsenal captain Martin [Ødegaard], 25.\nÇa va: Bayern want [Odegaard] and Łukasz Łęgowski.\n");
    highlight(db, "\"ØDE\"*", got, sizeof got);
    assert_string_equal(got, "Arsenal captain Martin [Ødegaard], 25.\nÇa va: Bayern want [Odegaard] and Łukasz Łęgowski.\n");
    highlight(db, "\"lukasz legowski\"", got, sizeof got);
    assert_string_equal(got, "Ça va: Bayern want Odegaard and [Łukasz Łęgowski].\n");
    /* Müller finds all three spellings; Muller the two without "ue" */
    highlight(db, "\"Müller\"", got, sizeof got);
    assert_string_equal(got, "Thomas [Müller], [Muller] and [Mueller].\n");
    highlight(db, "muller", got, sizeof got);
    assert_string_equal(got, "Thomas [Müller], [Muller] and Mueller.\n");
    highlight(db, "mueller", got, sizeof got);
    assert_string_equal(got, "Thomas [Müller], Muller and [Mueller].\n");
    /* the soft hyphen stays inside the word highlighted */
    highlight(db, "alessandro", got, sizeof got);
    assert_string_equal(got, "[Ale\xC2\xADssandro] signs.\n");
    sqlite3_close(db);
}

/* A word longer than the fold buffer is indexed by its first bytes, and
 * found by itself written either way; the highlight covers the whole word. */
static void test_long_word(void **state)
{
    (void)state;
    sqlite3 *db = fts_db();
    char word[3 * RADAR_MAX_SEARCH_TOKEN], plain[3 * RADAR_MAX_SEARCH_TOKEN], text[4 * RADAR_MAX_SEARCH_TOKEN];
    size_t n = 0, p = 0;
    while (n + 2 < sizeof word) { /* folds to more bytes than the buffer holds */
        memcpy(word + n, "\xC3\x98", 2); /* Ø */
        n += 2;
        plain[p++] = 'o';
    }
    word[n] = plain[p] = '\0';
    snprintf(text, sizeof text, "x %s y", word);
    insert(db, text);
    char q[4 * RADAR_MAX_SEARCH_TOKEN], got[8 * RADAR_MAX_SEARCH_TOKEN];
    snprintf(q, sizeof q, "\"%s\"", plain);
    assert_true(p > RADAR_MAX_SEARCH_TOKEN);
    highlight(db, q, got, sizeof got);
    char want[4 * RADAR_MAX_SEARCH_TOKEN];
    snprintf(want, sizeof want, "x [%s] y\n", word);
    assert_string_equal(got, want);
    /* the index holds its first RADAR_MAX_SEARCH_TOKEN bytes */
    char indexed[1024];
    terms(db, indexed, sizeof indexed);
    assert_int_equal(strlen(indexed), 2 + RADAR_MAX_SEARCH_TOKEN + 1 + 2);
    sqlite3_close(db);
}

/* ---- the store --------------------------------------------------------------- */

typedef struct fx {
    char dir[256], path[320], copy[320];
    radar_lexicon *lex;
    radar_extractor *ex;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-fts-test") || radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex)) {
        radar_lexicon_free(f->lex);
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    snprintf(f->copy, sizeof f->copy, "%s/copy.db", f->dir);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    radar_extractor_free(f->ex);
    radar_lexicon_free(f->lex);
    rt_rmtree(f->dir);
    free(f);
    return 0;
}

static void put(fx *f, radar_store *st, const char *id, const char *date, const char *body)
{
    rt_put(f->ex, st, id, date, body);
}

static radar_store *open_store(fx *f, const char *path, int flags)
{
    radar_store *st = NULL;
    if (radar_store_open(&st, path, flags, f->lex))
        fail_msg("radar_store_open %s: %s", path, radar_last_error());
    return st;
}

/* The articles radar_store_search finds for `query`, "id: snippet" a line. */
static void search(radar_store *st, const char *query, char *out, size_t cap)
{
    radar_search_answer *a = NULL;
    if (radar_store_search_read(st, query, 20, RADAR_MAX_SEARCH_MS, &a))
        fail_msg("search '%s': %s", query, radar_last_error());
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < a->n; i++)
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s: %s\n", a->v[i].article, a->v[i].snippet);
    radar_search_answer_free(a);
}

static int db_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void world(fx *f)
{
    radar_store *st = open_store(f, f->path, RADAR_STORE_CREATE);
    put(f, st, "o-slash", "2024-03-01", "Bayern Munich have made a bid for Arsenal midfielder Martin Ødegaard, 25.");
    put(f, st, "o-plain", "2024-03-02", "Bayern Munich are ready to go again for Odegaard, the Arsenal captain.");
    put(f, st, "d-stroke", "2024-03-03", "Lazio have made a bid for Red Star Belgrade striker Nikola Đurđević, 22.");
    radar_store_close(st);
}

#define BOTH_ODEGAARD                                                                                                   \
    "o-plain: Bayern Munich are ready to go again for [Odegaard], the Arsenal captain.\n"                             \
    "o-slash: Bayern Munich have made a bid for Arsenal midfielder Martin [Ødegaard], 25.\n"

static void test_store_search(void **state)
{
    fx *f = *state;
    world(f);
    radar_store *st = open_store(f, f->path, RADAR_STORE_READONLY);
    char got[2048];
    search(st, "Odegaard", got, sizeof got);
    assert_string_equal(got, BOTH_ODEGAARD);
    search(st, "Ødegaard", got, sizeof got);
    assert_string_equal(got, BOTH_ODEGAARD);
    search(st, "Durdevic", got, sizeof got);
    assert_string_equal(got, "d-stroke: Lazio have made a bid for Red Star Belgrade striker Nikola [Đurđević], 22.\n");
    radar_store_close(st);
    assert_int_equal(db_int(f->path, "PRAGMA user_version"), RADAR_STORE_SCHEMA);
}

/* A store of schema 8 (the index tokenized by unicode61): read as it is
 * (a search finds what unicode61 finds), then migrated to 9 by the next
 * writer, its index declared with the folding tokenizer and rebuilt. */
static void test_migrate_from_8(void **state)
{
    fx *f = *state;
    world(f);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(radar_store_fts_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE articles_fts;"
                                  "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', "
                                  "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');"
                                  "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
                                  "ALTER TABLE mentions DROP COLUMN position;"
                                  "ALTER TABLE mentions DROP COLUMN nationality;"
                                  "PRAGMA user_version = 8",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    radar_store *st = open_store(f, f->path, RADAR_STORE_READONLY);
    char got[2048];
    search(st, "Ødegaard", got, sizeof got); /* unicode61 keeps the Ø */
    assert_string_equal(got, "o-slash: Bayern Munich have made a bid for Arsenal midfielder Martin [Ødegaard], 25.\n");
    /* the player page reads mentions with no position kept */
    radar_player_list *l = NULL;
    if (radar_store_player_read(st, "Odegaard", &l))
        fail_msg("player: %s", radar_last_error());
    assert_int_equal(l->n, 1);
    assert_null(l->v[0].position);
    radar_player_list_free(l);
    radar_store_close(st);
    assert_int_equal(db_int(f->path, "PRAGMA user_version"), 8);

    st = open_store(f, f->path, RADAR_STORE_CREATE);
    radar_store_close(st);
    assert_int_equal(db_int(f->path, "PRAGMA user_version"), RADAR_STORE_SCHEMA);
    assert_int_equal(db_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts' AND sql LIKE "
                                     "'%tokenize=''" RADAR_FTS_TOKENIZER "''%'"),
                     1);
    st = open_store(f, f->path, RADAR_STORE_READONLY);
    search(st, "Ødegaard", got, sizeof got);
    assert_string_equal(got, BOTH_ODEGAARD);
    search(st, "Odegaard", got, sizeof got);
    assert_string_equal(got, BOTH_ODEGAARD);
    radar_store_close(st);

    /* what is stored after the migration is indexed folded too, and its
     * mentions keep what the article calls the player */
    st = open_store(f, f->path, RADAR_STORE_CREATE);
    put(f, st, "o-later", "2024-03-04", "Real Madrid have made a bid for Arsenal midfielder Martin Ødegaard, 25.");
    search(st, "odegaard", got, sizeof got);
    assert_non_null(strstr(got, "o-later: Real Madrid have made a bid for Arsenal midfielder Martin [Ødegaard], 25.\n"));
    l = NULL;
    if (radar_store_player_read(st, "Odegaard", &l))
        fail_msg("player: %s", radar_last_error());
    assert_int_equal(l->n, 1);
    assert_non_null(l->v[0].position);
    assert_string_equal(l->v[0].position, "midfielder");
    radar_player_list_free(l);
    radar_store_close(st);
}

/* radar db copy declares the index again on the way (its declaration names
 * the tokenizer) and rebuilds it: the copy finds what the store finds. */
static void test_copy(void **state)
{
    fx *f = *state;
    world(f);
    radar_db_copy_stats stats;
    if (radar_db_copy(f->path, f->copy, NULL, &stats))
        fail_msg("radar_db_copy: %s", radar_last_error());
    radar_store *st = open_store(f, f->copy, RADAR_STORE_READONLY);
    char got[2048];
    search(st, "Odegaard", got, sizeof got);
    assert_string_equal(got, BOTH_ODEGAARD);
    radar_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_folded),
        cmocka_unit_test(test_both_ways_and_highlights),
        cmocka_unit_test(test_long_word),
        cmocka_unit_test_setup_teardown(test_store_search, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_8, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_copy, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
