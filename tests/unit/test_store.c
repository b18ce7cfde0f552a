/*
 * test_store.c - the rumour store through its public API (radar/store.h).
 *
 * Each test works on a database in its own temporary folder. Documents are
 * made by radar_extract on short articles written for these tests (invented
 * players, real clubs). Checked: opening (create, read-only, missing file,
 * not a database, another program's database, a newer schema or one no radar
 * writes, a lock held by another writer past the wait or within it, handles
 * creating one store at once), what a put reports (new, updated, unchanged), transactions,
 * and the JSON shapes of every question.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "radar/radar.h"
#include "radar/store.h"
#include "store_fts.h"
#include "fixture.h"

/* ---- fixture: a temporary folder, the lexicon and an extractor ------------ */

typedef struct fx {
    char dir[256];
    char path[320];
    radar_lexicon *lex;
    radar_extractor *ex;
    radar_store *st;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (rt_tmpdir(f->dir, sizeof f->dir, "radar-store-test")) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/radar.db", f->dir);
    if (radar_lexicon_new_builtin(&f->lex) || radar_extractor_new(&f->ex, f->lex)) {
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

static void open_rw(fx *f)
{
    radar_store_close(f->st);
    f->st = NULL;
    int rc = radar_store_open(&f->st, f->path, RADAR_STORE_CREATE, f->lex);
    if (rc)
        fail_msg("radar_store_open: %s", radar_last_error());
    assert_non_null(f->st);
}

static void open_ro(fx *f)
{
    radar_store_close(f->st);
    f->st = NULL;
    int rc = radar_store_open(&f->st, f->path, RADAR_STORE_READONLY, f->lex);
    if (rc)
        fail_msg("radar_store_open (read-only): %s", radar_last_error());
}

/* Extract `body` as article `id` of `date` and put it, in its own transaction. */
static radar_put_result put(fx *f, const char *id, const char *date, const char *body)
{
    return rt_put(f->ex, f->st, id, date, body);
}

static radar_put_result check(fx *f, const char *id, const char *body)
{
    radar_article a = {0};
    a.id = id;
    a.body = body;
    a.body_len = strlen(body);
    radar_put_result r = (radar_put_result)-1;
    assert_int_equal(radar_store_check_article(f->st, &a, &r), 0);
    return r;
}

static void counts(fx *f, long long wa, long long wm, long long ws)
{
    long long a = -1, m = -1, s = -1;
    assert_int_equal(radar_store_counts(f->st, &a, &m, &s), 0);
    assert_int_equal(a, wa);
    assert_int_equal(m, wm);
    assert_int_equal(s, ws);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static size_t read_file(const char *path, unsigned char *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(buf, 1, cap, fp);
    fclose(fp);
    return n;
}

/* JSON helpers */
static const char *js(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_string(v))
        fail_msg("\"%s\" should be a string", k);
    return json_string_value(v);
}

static json_int_t ji(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v))
        fail_msg("\"%s\" should be an integer", k);
    return json_integer_value(v);
}

static json_t *ja(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_array(v))
        fail_msg("\"%s\" should be an array", k);
    return v;
}

/* The story of player -> club in a {"stories": [...]} result, or NULL. */
static json_t *find_story(json_t *res, const char *player, const char *club)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(res, "stories"), i, s)
    {
        if (!strcmp(js(s, "player"), player) && !strcmp(js(s, "to_club"), club))
            return s;
    }
    return NULL;
}

/* ---- the small world used by the question tests ----------------------------- */

#define VOS_2019 "Everton have made a £20m bid for Ajax midfielder Pieter Vos, 23, according to The Athletic."
#define VOS_2019_CHANGED "Burnley have made a £15m bid for Ajax midfielder Pieter Vos, 23, according to The Athletic."
#define VOS_2023 "Everton have reopened talks with Ajax over Pieter Vos, reports Sky Sports."
#define MEIRELES                                                                                                  \
    "Inter Milan are keen on Benfica striker Joao Meireles, 24, but Juventus are also interested, says Fabrizio " \
    "Romano."
#define LUCA "Napoli have agreed a €18m fee with Atalanta for winger Luca Ferrante, 19, on Monday."
#define MARCO                                                                                                     \
    "Fulham are in talks with Lazio over goalkeeper Marco Ferrante, 31, this week. He injured his knee in December and his " \
    "contract expires in June."
#define MULLER "Brighton are interested in Freiburg defender Jannik Müller, 23, according to Bild."

static void world(fx *f)
{
    open_rw(f);
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019), RADAR_PUT_NEW);
    assert_int_equal(put(f, "meireles", "2021-02-01", MEIRELES), RADAR_PUT_NEW);
    assert_int_equal(put(f, "luca", "2022-01-10", LUCA), RADAR_PUT_NEW);
    assert_int_equal(put(f, "marco", "2022-01-20", MARCO), RADAR_PUT_NEW);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    assert_int_equal(put(f, "vos-2023", "2023-09-01", VOS_2023), RADAR_PUT_NEW);
    /* Vos -> Everton (2), Meireles -> Inter, Juventus, Luca -> Napoli, Marco -> Fulham, Müller -> Brighton */
    counts(f, 6, 7, 6);
}

/* ---- opening ------------------------------------------------------------------- */

static void test_open_missing_readonly(void **state)
{
    fx *f = *state;
    radar_store *st = (radar_store *)&st; /* must be reset to NULL */
    assert_int_equal(radar_store_open(&st, f->path, RADAR_STORE_READONLY, f->lex), RADAR_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), f->path));
    assert_non_null(strstr(radar_last_error(), "no database here yet"));
    struct stat sb;
    assert_int_not_equal(stat(f->path, &sb), 0); /* nothing created */
}

static void test_open_not_a_database(void **state)
{
    fx *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/junk.db", f->dir);
    unsigned char junk[8192], back[8192];
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < sizeof junk; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk[i] = (unsigned char)x;
    }
    write_file(path, junk, sizeof junk);
    radar_store *st = NULL;
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_READONLY, f->lex), RADAR_EFORMAT);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), path));
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_CREATE, f->lex), RADAR_EFORMAT);
    assert_null(st);
    assert_int_equal(read_file(path, back, sizeof back), sizeof junk);
    assert_memory_equal(back, junk, sizeof junk);
}

static void test_open_empty_file_readonly(void **state)
{
    fx *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/empty.db", f->dir);
    write_file(path, "", 0);
    radar_store *st = NULL;
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_READONLY, f->lex), RADAR_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), "no Transfer Radar database here yet"));
}

static void test_open_other_sqlite_database(void **state)
{
    fx *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    radar_store *st = NULL;
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_CREATE, f->lex), RADAR_EFORMAT);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), "not a Transfer Radar one"));
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_READONLY, f->lex), RADAR_EFORMAT);
    assert_null(st);
}

static void test_open_create(void **state)
{
    fx *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/sub/deeper/r.db", f->dir);
    radar_store *st = NULL;
    if (radar_store_open(&st, path, RADAR_STORE_CREATE, f->lex))
        fail_msg("create with missing folders: %s", radar_last_error());
    long long a = -1, m = -1, s = -1;
    assert_int_equal(radar_store_counts(st, &a, &m, &s), 0);
    assert_int_equal(a + m + s, 0);
    radar_store_close(st);
    st = NULL;
    /* read-only reopen of the new, empty store */
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_READONLY, NULL), 0);
    json_t *res = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(st, &flt, &res), 0);
    assert_int_equal(json_array_size(ja(res, "stories")), 0);
    assert_int_equal(ji(res, "total"), 0);
    json_decref(res);
    assert_int_equal(radar_store_export(st, &res), 0);
    assert_int_equal(json_array_size(ja(res, "stories")), 0);
    json_decref(res);
    radar_store_close(st);
    /* and once more read-write: the schema is there already */
    assert_int_equal(radar_store_open(&st, path, RADAR_STORE_CREATE, NULL), 0);
    radar_store_close(st);
}

static void test_open_newer_schema(void **state)
{
    fx *f = *state;
    open_rw(f);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    radar_store_close(f->st);
    f->st = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    radar_store *st = NULL;
    assert_int_equal(radar_store_open(&st, f->path, RADAR_STORE_READONLY, f->lex), RADAR_EFORMAT);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), "newer"));
    assert_int_equal(radar_store_open(&st, f->path, RADAR_STORE_CREATE, f->lex), RADAR_EFORMAT);
    assert_null(st);
    assert_non_null(strstr(radar_last_error(), "newer"));
    /* still version 99 with its data */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 99);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM articles", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static int db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* A schema version no radar writes (negative, or 0 on a database with
 * tables) is refused by writers and readers alike, and left as it is: a
 * negative one once overflowed into a migration read out of bounds. */
static void test_open_unknown_schema(void **state)
{
    fx *f = *state;
    open_rw(f);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    radar_store_close(f->st);
    f->st = NULL;
    static const char *const versions[] = {"-2147483648", "-1", "0"};
    for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
        sqlite3 *db;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %s", versions[i]);
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        int tables = db_int(db, "SELECT count(*) FROM sqlite_master");
        sqlite3_close(db);
        for (int ro = 0; ro < 2; ro++) {
            radar_store *st = NULL;
            int rc = radar_store_open(&st, f->path, ro ? RADAR_STORE_READONLY : RADAR_STORE_CREATE, f->lex);
            if (rc != RADAR_EFORMAT)
                fail_msg("version %s, %s: %d (%s)", versions[i], ro ? "read-only" : "writable", rc,
                         radar_last_error());
            assert_null(st);
            assert_non_null(strstr(radar_last_error(), "not a database this radar knows"));
            assert_non_null(strstr(radar_last_error(), versions[i]));
        }
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(db_int(db, "PRAGMA user_version"), atoi(versions[i]));
        assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_master"), tables);
        assert_int_equal(db_int(db, "SELECT count(*) FROM articles"), 1);
        sqlite3_close(db);
    }
}

/* A store of schema version 2 (no meta table) is read as it is and upgraded to
 * the current version by the next writer, its stories kept and counted. */
static void test_open_older_schema(void **state)
{
    fx *f = *state;
    open_rw(f);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    radar_store_close(f->st);
    f->st = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE meta; DROP TABLE outcomes; DROP TABLE resolutions; DROP TABLE source_stats; "
                                      "DROP TABLE source_stories; "
                                      "DROP INDEX stories_likelihood; DROP INDEX stories_to_likelihood; "
                                      "DROP INDEX stories_from_likelihood; ALTER TABLE stories DROP COLUMN likelihood; "
                                      "ALTER TABLE stories DROP COLUMN outcome; ALTER TABLE stories DROP COLUMN outcome_on; "
                                      "ALTER TABLE stories DROP COLUMN outcome_how; ALTER TABLE stories DROP COLUMN "
                                      "outcome_article; ALTER TABLE stories DROP COLUMN outcome_start; ALTER TABLE "
                                      "stories DROP COLUMN outcome_end; ALTER TABLE mentions DROP COLUMN position; ALTER TABLE mentions "
                                      "DROP COLUMN nationality; PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    radar_store *st = NULL;
    assert_int_equal(radar_store_open(&st, f->path, RADAR_STORE_READONLY, f->lex), 0);
    /* the questions read the older schema as it is: no likelihood yet, every story open */
    json_t *j = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(st, &flt, &j), 0);
    json_t *first = json_array_get(json_object_get(j, "stories"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "outcome")), "open");
    assert_true(json_is_null(json_object_get(first, "likelihood")));
    long long sid = json_integer_value(json_object_get(first, "id"));
    json_decref(j);
    assert_int_equal(radar_store_story(st, sid, &j), 0);
    assert_non_null(json_object_get(j, "likelihood"));
    json_decref(j);
    radar_store_close(st);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(db_int(db, "PRAGMA user_version"), 2); /* reading changes nothing */
    sqlite3_close(db);

    open_rw(f);
    counts(f, 1, 1, 1);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(db_int(db, "PRAGMA user_version"), RADAR_STORE_SCHEMA);
    assert_int_equal(db_int(db, "SELECT value FROM meta WHERE key = 'stories'"), 1);
    sqlite3_close(db);
}

/* A read that fails is an error, never "no row": with the index of stories by
 * player and club unreadable, looking a story up says the store is corrupt
 * (it said "no story" before). */
static void test_unreadable_row_is_an_error(void **state)
{
    fx *f = *state;
    open_rw(f);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    long long id = 0;
    assert_int_equal(radar_store_find_story(f->st, "Jannik Müller", "Brighton", &id), 0);
    assert_true(id > 0);
    radar_store_close(f->st);
    f->st = NULL;

    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), SQLITE_OK);
    int page = db_int(db, "PRAGMA page_size");
    int root = db_int(db, "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'stories' AND sql IS NULL");
    sqlite3_close(db);
    assert_true(page > 0 && root > 1);
    FILE *fp = fopen(f->path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, (long)(root - 1) * page, SEEK_SET), 0);
    assert_int_equal(fputc(0, fp), 0); /* no b-tree page has type 0 */
    assert_int_equal(fclose(fp), 0);

    open_ro(f);
    id = 0;
    int rc = radar_store_find_story(f->st, "Jannik Müller", "Brighton", &id);
    if (rc != RADAR_EFORMAT)
        fail_msg("a story looked up in a corrupt index: %d (%s)", rc, radar_last_error());
    assert_non_null(strstr(radar_last_error(), "corrupt"));
}

/* Another writer holds the lock: reads go on, a write gives up with RADAR_EIO
 * after the busy timeout, and nothing is lost. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* what a store said while it waited for a lock */
typedef struct waits {
    int n;
    char last[1300];
} waits;

static void on_wait(void *user, const char *message)
{
    waits *w = user;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", message);
}

static void open_waiting(fx *f, long wait_ms, waits *w)
{
    radar_store_close(f->st);
    f->st = NULL;
    radar_store_options o = RADAR_STORE_OPTIONS_INIT;
    o.flags = RADAR_STORE_CREATE;
    o.lex = f->lex;
    o.wait_ms = wait_ms;
    o.on_wait = on_wait;
    o.user = w;
    if (radar_store_open_with(&f->st, f->path, &o))
        fail_msg("radar_store_open_with: %s", radar_last_error());
}

/* A writer that holds the lock past the handle's wait: the handle gives up
 * then, and says so. */
static void test_locked_by_another_writer(void **state)
{
    fx *f = *state;
    waits w = {0};
    open_waiting(f, 300, &w);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    counts(f, 1, 1, 1);
    double t0 = now_ms();
    int rc = radar_store_begin(f->st);
    double waited = now_ms() - t0;
    assert_int_equal(rc, RADAR_EIO);
    assert_non_null(strstr(radar_last_error(), "locked"));
    assert_non_null(strstr(radar_last_error(), "waited 0.3 s"));
    assert_true(waited >= 290 && waited < 3000);
    assert_int_equal(w.n, 0); /* too short a wait to mention */
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(put(f, "luca", "2022-01-10", LUCA), RADAR_PUT_NEW);
    counts(f, 2, 2, 2);
}

typedef struct holder {
    const char *path;
    int ms;
    volatile int held;
} holder;

static void *hold_lock(void *arg)
{
    holder *h = arg;
    sqlite3 *db;
    if (sqlite3_open(h->path, &db) != SQLITE_OK || sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK)
        return NULL;
    h->held = 1;
    struct timespec ts = {h->ms / 1000, (h->ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return NULL;
}

/* A writer that holds the lock for a while is waited for, not failed: the
 * handle says once that it waits, then goes on. */
static void test_waits_for_another_writer(void **state)
{
    fx *f = *state;
    waits w = {0};
    open_waiting(f, 0, &w);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    holder h = {f->path, 1500, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hold_lock, &h), 0);
    while (!h.held)
        sched_yield();
    double t0 = now_ms();
    assert_int_equal(put(f, "luca", "2022-01-10", LUCA), RADAR_PUT_NEW);
    assert_true(now_ms() - t0 >= 1000);
    pthread_join(t, NULL);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.last, f->path));
    assert_non_null(strstr(w.last, "waiting for the other writer"));
    counts(f, 2, 2, 2);
}

typedef struct opener {
    const char *path;
    const radar_lexicon *lex;
    int rc;
    char error[1300];
} opener;

static void *open_and_load(void *arg)
{
    opener *o = arg;
    radar_store *st = NULL;
    int bulk = 0;
    o->rc = radar_store_open(&st, o->path, RADAR_STORE_CREATE, o->lex);
    if (!o->rc)
        o->rc = radar_store_bulk_begin(st, 1 << 20, &bulk);
    if (!o->rc)
        o->rc = radar_store_bulk_end(st);
    if (o->rc)
        snprintf(o->error, sizeof o->error, "%s", radar_last_error());
    radar_store_close(st);
    return NULL;
}

/* Handles that create the same new store at once, and start and end bulk
 * loads (dropping and building the question indexes) at once: each waits
 * for the others' schema work, and none finds a table or index there that
 * it meant to create. */
static void test_concurrent_create(void **state)
{
    fx *f = *state;
    enum { N = 6 };
    for (int round = 0; round < 4; round++) {
        unlink(f->path);
        char p[512];
        snprintf(p, sizeof p, "%s-wal", f->path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", f->path);
        unlink(p);
        opener o[N];
        pthread_t t[N];
        for (int i = 0; i < N; i++) {
            o[i] = (opener){f->path, f->lex, -100, ""};
            assert_int_equal(pthread_create(&t[i], NULL, open_and_load, &o[i]), 0);
        }
        for (int i = 0; i < N; i++)
            pthread_join(t[i], NULL);
        for (int i = 0; i < N; i++)
            if (o[i].rc)
                fail_msg("round %d, handle %d: %s", round, i, o[i].error);
    }
    open_rw(f);
    assert_int_equal(put(f, "muller", "2023-03-03", MULLER), RADAR_PUT_NEW);
    counts(f, 1, 1, 1);
}

static void test_default_path(void **state)
{
    (void)state;
    char *old_db = getenv("RADAR_DB") ? strdup(getenv("RADAR_DB")) : NULL;
    char *old_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char out[512];
    setenv("RADAR_DB", "/somewhere/my.db", 1);
    assert_int_equal(radar_store_default_path(out, sizeof out), 0);
    assert_string_equal(out, "/somewhere/my.db");
    unsetenv("RADAR_DB");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    assert_int_equal(radar_store_default_path(out, sizeof out), 0);
    assert_string_equal(out, "/xdg/transfer-radar/radar.db");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/someone", 1);
    assert_int_equal(radar_store_default_path(out, sizeof out), 0);
    assert_string_equal(out, "/home/someone/.local/share/transfer-radar/radar.db");
    unsetenv("HOME");
    assert_int_equal(radar_store_default_path(out, sizeof out), RADAR_ENOTFOUND);
    if (old_db)
        setenv("RADAR_DB", old_db, 1);
    if (old_xdg)
        setenv("XDG_DATA_HOME", old_xdg, 1);
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_db);
    free(old_xdg);
    free(old_home);
}

/* ---- puts ---------------------------------------------------------------------- */

static void test_put_results(void **state)
{
    fx *f = *state;
    open_rw(f);
    assert_int_equal(check(f, "vos-2019", VOS_2019), RADAR_PUT_NEW);
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019), RADAR_PUT_NEW);
    counts(f, 1, 1, 1);
    assert_int_equal(check(f, "vos-2019", VOS_2019), RADAR_PUT_UNCHANGED);
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019), RADAR_PUT_UNCHANGED);
    counts(f, 1, 1, 1);
    /* the same text under another id is the same article */
    assert_int_equal(check(f, "vos-copy", VOS_2019), RADAR_PUT_UNCHANGED);
    assert_int_equal(put(f, "vos-copy", "2019-05-01", VOS_2019), RADAR_PUT_UNCHANGED);
    counts(f, 1, 1, 1);
    /* new text under a known id */
    assert_int_equal(check(f, "vos-2019", VOS_2019_CHANGED), RADAR_PUT_UPDATED);
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019_CHANGED), RADAR_PUT_UPDATED);
    counts(f, 1, 1, 1);
    json_t *res = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(f->st, &flt, &res), 0);
    assert_null(find_story(res, "Pieter Vos", "Everton")); /* the old rumour's story went */
    json_t *s = find_story(res, "Pieter Vos", "Burnley");
    assert_non_null(s);
    assert_string_equal(js(s, "stage"), "bid");
    json_decref(res);
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019_CHANGED), RADAR_PUT_UNCHANGED);
    /* the search index follows the text */
    assert_int_equal(radar_store_search(f->st, "Everton", 10, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 0);
    json_decref(res);
    assert_int_equal(radar_store_search(f->st, "Burnley", 10, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 1);
    json_decref(res);
    /* the database and its full-text index are sound after the update */
    radar_store_close(f->st);
    f->st = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(radar_store_fts_register(db), SQLITE_OK); /* the index's tokenizer */
    char *err = NULL;
    if (sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)", NULL, NULL,
                     &err) != SQLITE_OK)
        fail_msg("full-text index integrity check: %s", err ? err : "?");
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_put_outside_transaction(void **state)
{
    fx *f = *state;
    open_rw(f);
    radar_article a = {0};
    a.id = "luca";
    a.date = "2022-01-10";
    a.body = LUCA;
    a.body_len = strlen(LUCA);
    const radar_doc *doc;
    assert_int_equal(radar_extract(f->ex, &a, &doc), 0);
    radar_put_result r;
    assert_int_equal(radar_store_put(f->st, &a, doc, &r), RADAR_EINVALID);
    counts(f, 0, 0, 0);
}

static void test_rollback(void **state)
{
    fx *f = *state;
    open_rw(f);
    radar_article a = {0};
    a.id = "luca";
    a.date = "2022-01-10";
    a.body = LUCA;
    a.body_len = strlen(LUCA);
    const radar_doc *doc;
    assert_int_equal(radar_extract(f->ex, &a, &doc), 0);
    radar_put_result r;
    assert_int_equal(radar_store_begin(f->st), 0);
    assert_int_equal(radar_store_put(f->st, &a, doc, &r), 0);
    assert_int_equal(r, RADAR_PUT_NEW);
    counts(f, 1, 1, 1); /* visible inside the transaction */
    radar_store_rollback(f->st);
    counts(f, 0, 0, 0);
    assert_int_equal(check(f, "luca", LUCA), RADAR_PUT_NEW);
    /* and a reader on the file sees nothing either */
    radar_store *ro = NULL;
    assert_int_equal(radar_store_open(&ro, f->path, RADAR_STORE_READONLY, NULL), 0);
    long long na, nm, ns;
    assert_int_equal(radar_store_counts(ro, &na, &nm, &ns), 0);
    assert_int_equal(na, 0);
    radar_store_close(ro);
    assert_int_equal(put(f, "luca", "2022-01-10", LUCA), RADAR_PUT_NEW);
    counts(f, 1, 1, 1);
}

/* ---- questions ----------------------------------------------------------------- */

static void check_story_row(json_t *s)
{
    assert_true(json_is_object(s));
    assert_true(ji(s, "id") > 0);
    assert_true(ji(s, "player_id") > 0);
    assert_true(*js(s, "player"));
    assert_true(*js(s, "to_club"));
    assert_true(ji(s, "mentions") >= 1);
    assert_true(*js(s, "stage"));
    assert_true(*js(s, "latest_stage"));
    const char *st = js(s, "status");
    assert_true(!strcmp(st, "active") || !strcmp(st, "dormant") || !strcmp(st, "resurfaced"));
    assert_int_equal(strlen(js(s, "first_seen")), 10);
    assert_int_equal(strlen(js(s, "last_seen")), 10);
    assert_true(strcmp(js(s, "first_seen"), js(s, "last_seen")) <= 0);
    assert_true(json_is_number(json_object_get(s, "heat")));
    assert_true(ji(s, "sources") >= 0);
    assert_true(ji(s, "independent_sources") <= ji(s, "sources") || ji(s, "sources") == 0);
    assert_true(ji(s, "silence_days") >= 0);
}

static void test_stories(void **state)
{
    fx *f = *state;
    world(f);
    open_ro(f);
    json_t *res = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(f->st, &flt, &res), 0);
    assert_true(json_is_object(res));
    assert_int_equal(ji(res, "total"), 6);
    assert_int_equal(json_array_size(ja(res, "stories")), 6);
    size_t i;
    json_t *s;
    json_array_foreach(ja(res, "stories"), i, s) check_story_row(s);

    /* the story that resurfaces after four years */
    s = find_story(res, "Pieter Vos", "Everton");
    assert_non_null(s);
    assert_int_equal(ji(s, "mentions"), 2);
    assert_string_equal(js(s, "status"), "resurfaced");
    assert_string_equal(js(s, "first_seen"), "2019-05-01");
    assert_string_equal(js(s, "last_seen"), "2023-09-01");
    assert_string_equal(js(s, "from_club"), "Ajax");
    assert_string_equal(js(s, "stage"), "bid");
    assert_string_equal(js(s, "latest_stage"), "talks");
    assert_int_equal(strncmp(js(s, "resurfaced_after"), "4 years", 7), 0);
    assert_int_equal(ji(s, "sources"), 2);
    /* rivals: a story each; the one-off stories do not resurface */
    s = find_story(res, "Joao Meireles", "Inter Milan");
    assert_non_null(s);
    assert_null(json_object_get(s, "resurfaced_after"));
    assert_non_null(find_story(res, "Joao Meireles", "Juventus"));
    assert_non_null(find_story(res, "Luca Ferrante", "Napoli"));
    assert_non_null(find_story(res, "Marco Ferrante", "Fulham"));
    assert_non_null(find_story(res, "Jannik Müller", "Brighton & Hove Albion"));
    /* hot first: the two-mention bid story leads */
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "player"), "Pieter Vos");
    json_decref(res);

    /* filters */
    radar_story_filter club = RADAR_STORY_FILTER_INIT;
    club.club = "Inter";
    assert_int_equal(radar_store_stories(f->st, &club, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "to_club"), "Inter Milan");
    json_decref(res);
    club.club = "Benfica"; /* the selling club too */
    assert_int_equal(radar_store_stories(f->st, &club, &res), 0);
    assert_int_equal(ji(res, "total"), 2);
    json_decref(res);

    radar_story_filter pl = RADAR_STORY_FILTER_INIT;
    pl.player = "MULLER";
    assert_int_equal(radar_store_stories(f->st, &pl, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    json_decref(res);
    pl.player = "Ferrante";
    assert_int_equal(radar_store_stories(f->st, &pl, &res), 0);
    assert_int_equal(ji(res, "total"), 2);
    json_decref(res);
    pl.player = "Luca Ferrante";
    assert_int_equal(radar_store_stories(f->st, &pl, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    json_decref(res);

    radar_story_filter since = RADAR_STORY_FILTER_INIT;
    since.since = "2023-01-01";
    assert_int_equal(radar_store_stories(f->st, &since, &res), 0);
    assert_int_equal(ji(res, "total"), 2); /* Vos -> Everton (2023-09-01), Müller (2023-03-03) */
    json_decref(res);

    radar_story_filter stage = RADAR_STORY_FILTER_INIT;
    stage.stage = "agreement";
    assert_int_equal(radar_store_stories(f->st, &stage, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "player"), "Luca Ferrante");
    json_decref(res);

    /* by source: Sky Sports reported the 2023 Vos talks only */
    radar_story_filter src = RADAR_STORY_FILTER_INIT;
    src.source = "Sky Sports";
    assert_int_equal(radar_store_stories(f->st, &src, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "player"), "Pieter Vos");
    json_decref(res);
    src.club = "Everton"; /* with a club too (the club's index walk) */
    assert_int_equal(radar_store_stories(f->st, &src, &res), 0);
    assert_int_equal(ji(res, "total"), 1);
    assert_int_equal(json_array_size(ja(res, "stories")), 1);
    json_decref(res);
    src.club = NULL;
    src.source = "Nobody Weekly";
    assert_int_equal(radar_store_stories(f->st, &src, &res), 0);
    assert_int_equal(ji(res, "total"), 0);
    json_decref(res);

    radar_story_filter sort = RADAR_STORY_FILTER_INIT;
    sort.sort = "recent";
    assert_int_equal(radar_store_stories(f->st, &sort, &res), 0);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "last_seen"), "2023-09-01");
    json_decref(res);
    sort.sort = "first";
    assert_int_equal(radar_store_stories(f->st, &sort, &res), 0);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "first_seen"), "2019-05-01");
    assert_string_equal(js(json_array_get(ja(res, "stories"), 1), "first_seen"), "2021-02-01");
    json_decref(res);
    sort.sort = "bogus";
    res = NULL;
    assert_int_equal(radar_store_stories(f->st, &sort, &res), RADAR_EINVALID);
    assert_null(res);

    radar_story_filter page = RADAR_STORY_FILTER_INIT;
    page.sort = "first";
    page.limit = 2;
    page.offset = 1;
    assert_int_equal(radar_store_stories(f->st, &page, &res), 0);
    assert_int_equal(json_array_size(ja(res, "stories")), 2);
    assert_int_equal(ji(res, "total"), 6);
    assert_int_equal(ji(res, "limit"), 2);
    assert_int_equal(ji(res, "offset"), 1);
    assert_string_equal(js(json_array_get(ja(res, "stories"), 0), "first_seen"), "2021-02-01");
    json_decref(res);
}

/* A story reported by many outlets in one batch: its summary counts every
 * name and origin (the arrays it sorts grow past their first size). */
static void test_story_of_many_sources(void **state)
{
    fx *f = *state;
    open_rw(f);
    enum { N = 150 };
    assert_int_equal(radar_store_begin(f->st), 0);
    for (int i = 0; i < N; i++) {
        char id[32], source[32];
        snprintf(id, sizeof id, "vos-%d", i);
        snprintf(source, sizeof source, "Harbour Post %d", i);
        radar_article a = {.id = id, .date = "2024-07-01", .source = source, .body = VOS_2019, .path = id, .line = 1};
        a.body_len = strlen(VOS_2019);
        /* the same text under another id is the same article: vary it */
        char body[sizeof VOS_2019 + 32];
        snprintf(body, sizeof body, "%s (%d)", VOS_2019, i);
        a.body = body;
        a.body_len = strlen(body);
        const radar_doc *doc = NULL;
        radar_put_result r;
        assert_int_equal(radar_extract(f->ex, &a, &doc), 0);
        if (radar_store_put(f->st, &a, doc, &r))
            fail_msg("radar_store_put %s: %s", id, radar_last_error());
    }
    assert_int_equal(radar_store_commit(f->st), 0);
    json_t *res = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(f->st, &flt, &res), 0);
    json_t *s = find_story(res, "Pieter Vos", "Everton");
    assert_non_null(s);
    assert_int_equal(ji(s, "mentions"), N);
    /* each outlet, and the one they all cite */
    assert_int_equal(ji(s, "sources"), N + 1);
    assert_int_equal(ji(s, "independent_sources"), 1);
    json_decref(res);
}

static void test_story(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL, *list = NULL;
    radar_story_filter flt = RADAR_STORY_FILTER_INIT;
    assert_int_equal(radar_store_stories(f->st, &flt, &list), 0);
    json_t *row = find_story(list, "Pieter Vos", "Everton");
    assert_non_null(row);
    json_int_t id = ji(row, "id");
    assert_int_equal(radar_store_story(f->st, id, &res), 0);
    check_story_row(res);
    assert_int_equal(ji(res, "id"), id);
    assert_string_equal(js(res, "status"), "resurfaced");
    json_t *tl = ja(res, "timeline");
    assert_int_equal(json_array_size(tl), 2);
    json_t *m0 = json_array_get(tl, 0), *m1 = json_array_get(tl, 1);
    assert_string_equal(js(m0, "date"), "2019-05-01");
    assert_string_equal(js(m1, "date"), "2023-09-01");
    assert_string_equal(js(m0, "article"), "vos-2019");
    assert_string_equal(js(m0, "stage"), "bid");
    assert_string_equal(js(m1, "stage"), "talks");
    assert_string_equal(js(m0, "from_club"), "Ajax");
    assert_string_equal(js(m0, "player_as_written"), "Pieter Vos");
    assert_int_equal(ji(m0, "age"), 23);
    /* the fee: pounds, with a euro figure at the 2019 rate */
    json_t *fee = json_object_get(m0, "fee");
    assert_true(json_is_object(fee));
    assert_true(json_number_value(json_object_get(fee, "amount")) == 20000000.0);
    assert_string_equal(js(fee, "currency"), "GBP");
    assert_string_equal(js(fee, "kind"), "bid");
    double eur = json_number_value(json_object_get(fee, "eur"));
    assert_true(eur > 20000000.0 && eur < 26000000.0);
    assert_true(json_is_null(json_object_get(m1, "fee")));
    /* evidence: spans with the sentence they cover */
    json_t *ev = ja(m0, "evidence");
    assert_true(json_array_size(ev) >= 1);
    json_t *e0 = json_array_get(ev, 0);
    json_t *span = ja(e0, "span");
    assert_int_equal(json_array_size(span), 2);
    json_int_t a = json_integer_value(json_array_get(span, 0)), b = json_integer_value(json_array_get(span, 1));
    assert_true(a >= 0 && b > a && (size_t)b <= strlen(VOS_2019));
    assert_int_equal(strlen(js(e0, "text")), (size_t)(b - a));
    assert_memory_equal(js(e0, "text"), VOS_2019 + a, (size_t)(b - a));
    /* sources */
    json_t *src = ja(m0, "sources");
    assert_int_equal(json_array_size(src), 1);
    assert_string_equal(js(json_array_get(src, 0), "name"), "The Athletic");
    assert_true(json_is_true(json_object_get(json_array_get(src, 0), "cited")));
    assert_string_equal(js(json_array_get(ja(m1, "sources"), 0), "name"), "Sky Sports");
    assert_true(json_is_array(ja(m0, "suitors_also")));
    assert_int_equal(json_array_size(ja(res, "rival_suitors")), 0);
    json_decref(res);

    /* rivals name each other */
    row = find_story(list, "Joao Meireles", "Inter Milan");
    assert_non_null(row);
    assert_int_equal(radar_store_story(f->st, ji(row, "id"), &res), 0);
    json_t *riv = ja(res, "rival_suitors");
    assert_int_equal(json_array_size(riv), 1);
    assert_string_equal(json_string_value(json_array_get(riv, 0)), "Juventus");
    json_t *sug = ja(json_array_get(ja(res, "timeline"), 0), "suitors_also");
    assert_int_equal(json_array_size(sug), 1);
    assert_string_equal(json_string_value(json_array_get(sug, 0)), "Juventus");
    json_decref(res);

    /* euros stay euros */
    row = find_story(list, "Luca Ferrante", "Napoli");
    assert_int_equal(radar_store_story(f->st, ji(row, "id"), &res), 0);
    fee = json_object_get(json_array_get(ja(res, "timeline"), 0), "fee");
    assert_string_equal(js(fee, "currency"), "EUR");
    assert_true(json_number_value(json_object_get(fee, "eur")) == 18000000.0);
    json_decref(res);
    json_decref(list);

    res = NULL;
    assert_int_equal(radar_store_story(f->st, 999999, &res), RADAR_ENOTFOUND);
    assert_null(res);
    assert_non_null(strstr(radar_last_error(), "no story 999999"));
}

static void test_article(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    assert_int_equal(radar_store_article(f->st, "vos-2019", &res), 0);
    assert_string_equal(js(res, "id"), "vos-2019");
    assert_string_equal(js(res, "date"), "2019-05-01");
    assert_string_equal(js(res, "body"), VOS_2019);
    assert_true(json_object_get(res, "title") != NULL && json_object_get(res, "url") != NULL);
    json_decref(res);
    res = NULL;
    assert_int_equal(radar_store_article(f->st, "no-such-article", &res), RADAR_ENOTFOUND);
    assert_null(res);
    assert_non_null(strstr(radar_last_error(), "no-such-article"));
}

static void test_player(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    /* two Ferrantes: two players */
    assert_int_equal(radar_store_player(f->st, "Ferrante", &res), 0);
    assert_string_equal(js(res, "query"), "Ferrante");
    json_t *pl = ja(res, "players");
    assert_int_equal(json_array_size(pl), 2);
    json_t *p0 = json_array_get(pl, 0), *p1 = json_array_get(pl, 1);
    assert_true(ji(p0, "id") != ji(p1, "id"));
    json_t *luca = !strcmp(js(p0, "name"), "Luca Ferrante") ? p0 : p1;
    json_t *marco = luca == p0 ? p1 : p0;
    assert_string_equal(js(luca, "name"), "Luca Ferrante");
    assert_string_equal(js(marco, "name"), "Marco Ferrante");
    assert_int_equal(ji(luca, "birth_year"), 2003);
    assert_int_equal(ji(marco, "birth_year"), 1991);
    assert_string_equal(js(luca, "club"), "Atalanta");
    assert_int_equal(json_array_size(ja(luca, "stories")), 1);
    check_story_row(json_array_get(ja(luca, "stories"), 0));
    json_t *ages = ja(marco, "ages");
    assert_int_equal(json_array_size(ages), 1);
    assert_int_equal(ji(json_array_get(ages, 0), "age"), 31);
    assert_string_equal(js(json_array_get(ages, 0), "date"), "2022-01-20");
    /* Marco's facts: an injury and his contract */
    json_t *facts = ja(marco, "facts");
    int injury = 0, contract = 0;
    size_t i;
    json_t *fct;
    json_array_foreach(facts, i, fct)
    {
        injury += !strcmp(js(fct, "type"), "injury");
        contract += !strcmp(js(fct, "type"), "contract");
        assert_string_equal(js(fct, "article"), "marco");
        assert_string_equal(js(fct, "date"), "2022-01-20");
    }
    assert_int_equal(injury, 1);
    assert_int_equal(contract, 1);
    assert_int_equal(json_array_size(ja(luca, "facts")), 0);
    json_decref(res);

    /* accents and case forgiven */
    static const char *const names[] = {"muller", "MÜLLER", "Jannik Muller", "jannik müller"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        if (radar_store_player(f->st, names[k], &res))
            fail_msg("player '%s': %s", names[k], radar_last_error());
        assert_int_equal(json_array_size(ja(res, "players")), 1);
        assert_string_equal(js(json_array_get(ja(res, "players"), 0), "name"), "Jannik Müller");
        json_decref(res);
    }
    /* Vos: one player, two mentions, ages 23 (2019) and none given in 2023 */
    assert_int_equal(radar_store_player(f->st, "Vos", &res), 0);
    assert_int_equal(json_array_size(ja(res, "players")), 1);
    assert_int_equal(ji(json_array_get(ja(res, "players"), 0), "birth_year"), 1996);
    json_decref(res);

    res = NULL;
    assert_int_equal(radar_store_player(f->st, "Nobody Atall", &res), RADAR_ENOTFOUND);
    assert_null(res);
}

static void test_club(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    assert_int_equal(radar_store_club(f->st, "Inter", &res), 0);
    assert_string_equal(js(res, "club"), "Inter Milan");
    assert_int_equal(json_array_size(ja(res, "linked_in")), 1);
    assert_int_equal(json_array_size(ja(res, "linked_out")), 0);
    assert_true(json_is_array(ja(res, "facts")));
    json_t *s = json_array_get(ja(res, "linked_in"), 0);
    check_story_row(s);
    assert_string_equal(js(s, "player"), "Joao Meireles");
    json_decref(res);

    assert_int_equal(radar_store_club(f->st, "Ajax", &res), 0);
    assert_string_equal(js(res, "club"), "Ajax");
    assert_int_equal(json_array_size(ja(res, "linked_in")), 0);
    assert_int_equal(json_array_size(ja(res, "linked_out")), 1);
    assert_string_equal(js(json_array_get(ja(res, "linked_out"), 0), "to_club"), "Everton");
    json_decref(res);

    /* squad facts of the selling club's players */
    assert_int_equal(radar_store_club(f->st, "Lazio", &res), 0);
    json_t *facts = ja(res, "facts");
    assert_true(json_array_size(facts) >= 2);
    size_t i;
    json_t *fct;
    json_array_foreach(facts, i, fct)
    {
        assert_string_equal(js(fct, "subject"), "Marco Ferrante");
        assert_true(json_is_string(json_object_get(fct, "type")));
    }
    json_decref(res);

    /* a club nobody talks about: empty lists, not an error */
    assert_int_equal(radar_store_club(f->st, "Celtic", &res), 0);
    assert_int_equal(json_array_size(ja(res, "linked_in")) + json_array_size(ja(res, "linked_out")), 0);
    json_decref(res);
}

static void test_search(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    assert_int_equal(radar_store_search(f->st, "muller", 10, &res), 0);
    assert_string_equal(js(res, "query"), "muller");
    json_t *hits = ja(res, "hits");
    assert_int_equal(json_array_size(hits), 1);
    json_t *h = json_array_get(hits, 0);
    assert_string_equal(js(h, "article"), "muller");
    assert_string_equal(js(h, "date"), "2023-03-03");
    assert_non_null(strstr(js(h, "snippet"), "[Müller]"));
    assert_true(json_object_get(h, "source") != NULL);
    assert_true(json_object_get(h, "title") != NULL);
    json_decref(res);

    assert_int_equal(radar_store_search(f->st, "Everton", 10, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 2);
    json_decref(res);
    assert_int_equal(radar_store_search(f->st, "Everton", 1, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 1);
    json_decref(res);
    assert_int_equal(radar_store_search(f->st, "\"reopened talks\"", 10, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 1);
    json_decref(res);
    assert_int_equal(radar_store_search(f->st, "zzyzzx", 10, &res), 0);
    assert_int_equal(json_array_size(ja(res, "hits")), 0);
    json_decref(res);

    res = NULL;
    assert_int_equal(radar_store_search(f->st, "\"unterminated", 10, &res), 0); /* a phrase to the end */
    json_decref(res);
    res = NULL;
    assert_int_equal(radar_store_search(f->st, "* ^ ()", 10, &res), RADAR_EINVALID);
    assert_null(res);
    assert_non_null(strstr(radar_last_error(), "'* ^ ()' has no word"));
}

static void test_sources(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    assert_int_equal(radar_store_sources(f->st, &res), 0);
    json_t *list = ja(res, "sources");
    assert_int_equal(json_array_size(list), 4); /* The Athletic, Sky Sports, Fabrizio Romano, Bild */
    size_t i;
    json_t *s;
    int romano = 0;
    json_array_foreach(list, i, s)
    {
        assert_true(*js(s, "name"));
        assert_true(json_is_string(json_object_get(s, "kind")));
        assert_true(ji(s, "mentions") >= 1);
        assert_true(ji(s, "stories") >= 1);
        assert_true(json_is_integer(json_object_get(s, "cited")));
        json_t *tier = json_object_get(s, "tier");
        assert_true(json_is_null(tier) || json_is_integer(tier));
        if (!strcmp(js(s, "name"), "Fabrizio Romano")) {
            romano = 1;
            assert_string_equal(js(s, "kind"), "journalist");
            assert_int_equal(ji(s, "mentions"), 2);
            assert_int_equal(ji(s, "stories"), 2);
        }
    }
    assert_true(romano);
    /* most mentioned first */
    assert_string_equal(js(json_array_get(list, 0), "name"), "Fabrizio Romano");
    json_decref(res);
}

static void test_export(void **state)
{
    fx *f = *state;
    world(f);
    json_t *res = NULL;
    assert_int_equal(radar_store_export(f->st, &res), 0);
    json_t *list = ja(res, "stories");
    assert_int_equal(json_array_size(list), 6);
    size_t i, mentions = 0;
    json_t *s;
    json_int_t prev = 0;
    json_array_foreach(list, i, s)
    {
        check_story_row(s);
        assert_true(ji(s, "id") > prev); /* in id order */
        prev = ji(s, "id");
        json_t *tl = ja(s, "timeline");
        assert_int_equal(json_array_size(tl), (size_t)ji(s, "mentions"));
        mentions += json_array_size(tl);
    }
    assert_int_equal(mentions, 7);
    char *one = json_dumps(res, JSON_COMPACT);
    json_decref(res);
    /* the same articles again change nothing */
    assert_int_equal(put(f, "vos-2019", "2019-05-01", VOS_2019), RADAR_PUT_UNCHANGED);
    assert_int_equal(put(f, "marco", "2022-01-20", MARCO), RADAR_PUT_UNCHANGED);
    assert_int_equal(radar_store_export(f->st, &res), 0);
    char *two = json_dumps(res, JSON_COMPACT);
    json_decref(res);
    assert_string_equal(one, two);
    free(one);
    free(two);
}

/* Reading through the store in read-only mode works while a writer has it open. */
static void test_reader_beside_writer(void **state)
{
    fx *f = *state;
    world(f);
    radar_store *ro = NULL;
    assert_int_equal(radar_store_open(&ro, f->path, RADAR_STORE_READONLY, f->lex), 0);
    radar_put_result r;
    radar_article a = {0};
    a.id = "vos-2023";
    a.body = VOS_2023;
    a.body_len = strlen(VOS_2023);
    assert_int_equal(radar_store_check_article(ro, &a, &r), 0);
    assert_int_equal(r, RADAR_PUT_UNCHANGED);
    long long na, nm, ns;
    assert_int_equal(radar_store_counts(ro, &na, &nm, &ns), 0);
    assert_int_equal(ns, 6);
    radar_store_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing_readonly, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_not_a_database, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_empty_file_readonly, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_other_sqlite_database, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_create, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_newer_schema, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_unknown_schema, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_locked_by_another_writer, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_waits_for_another_writer, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_create, fx_setup, fx_teardown),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test_setup_teardown(test_put_results, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_put_outside_transaction, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rollback, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stories, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_story, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_story_of_many_sources, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_player, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_club, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_search, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sources, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_article, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_export, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_reader_beside_writer, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_open_older_schema, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_row_is_an_error, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
