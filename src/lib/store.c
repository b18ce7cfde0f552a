/*
 * store.c - the rumour store on SQLite (the only module that includes sqlite3.h).
 *
 * Tables: articles (with an FTS5 index over title and body), players,
 * mentions (one per article rumour), mention_sources, facts, stories (one per
 * player and destination club). Stories are kept up to date as mentions
 * arrive, inside the caller's transaction, so the database is consistent
 * after every commit. Nothing stored depends on the clock: the same articles
 * give the same database.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "radar/error.h"
#include "radar/store.h"
#include "../util/utf8.h"
#include "lexicon_internal.h"
#include "radar/limits.h"
#include "syndication.h"
#include "store_internal.h"
#include "db_pg.h"

#define APPLICATION_ID 0x52414452 /* "RADR" */
/* a wait for another connection's lock is said (once per handle) when it
 * lasts this long: shorter ones are another writer's commit going by */
#define WAIT_NOTICE_MS 1000


static const char *const SQL[Q_COUNT] = {
    [Q_ARTICLE_BY_ID] = "SELECT rowid, hash FROM articles WHERE id = ?1",
    [Q_ARTICLE_BY_HASH] = "SELECT rowid FROM articles WHERE hash = ?1 LIMIT 1",
    [Q_INSERT_ARTICLE] = "INSERT INTO articles(id, date, source, url, title, body, hash) VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [Q_UPDATE_ARTICLE] = "UPDATE articles SET date=?2, source=?3, url=?4, title=?5, body=?6, hash=?7 WHERE rowid=?1",
    [Q_OLD_STORIES] = "SELECT DISTINCT story, player FROM mentions WHERE article = ?1",
    [Q_DELETE_MENTIONS] = "DELETE FROM mentions WHERE article = ?1",
    [Q_DELETE_FACTS] = "DELETE FROM facts WHERE article = ?1",
    [Q_PLAYERS_BY_SURNAME] = "SELECT id, key, birth_year, club FROM players WHERE surname = ?1 ORDER BY id LIMIT 200",
    [Q_INSERT_PLAYER] = "INSERT INTO players(name, key, surname, birth_year, club, position, nationality) "
                        "VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [Q_UPDATE_PLAYER] = "UPDATE players SET name = CASE WHEN length(?2) > length(name) THEN ?2 ELSE name END, "
                        "key = CASE WHEN length(?3) > length(key) THEN ?3 ELSE key END, "
                        "birth_year = coalesce(birth_year, ?4), club = coalesce(?5, club) WHERE id = ?1",
    [Q_INSERT_MENTION] = "INSERT INTO mentions(article, story, player, player_name, to_club, from_club, stage, date, "
                         "fee_amount, fee_max, fee_currency, fee_kind, fee_eur, evidence, suitors, age) "
                         "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
    [Q_INSERT_SOURCE] = "INSERT OR IGNORE INTO mention_sources(mention, name, kind, cited) VALUES (?1,?2,?3,?4)",
    [Q_INSERT_FACT] = "INSERT INTO facts(article, type, subject, value, detail, span_start, span_end, date) "
                      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [Q_INSERT_STORY] = "INSERT INTO stories(player, to_club) VALUES (?1, ?2)",
    [Q_STORY_ID] = "SELECT id FROM stories WHERE player = ?1 AND to_club = ?2",
    /* a story's mentions, one row per source named (or one with none) */
    [Q_STORY_MENTIONS] = "SELECT m.id, m.date, m.stage, m.from_club, m.article, x.name, x.cited FROM mentions m "
                         "LEFT JOIN mention_sources x ON x.mention = m.id WHERE m.story = ?1 ORDER BY m.date IS "
                         "NULL, m.date, m.id",
    /* the full-text index is written here, not by triggers: FTS5 inside a
     * trigger flushes its pending terms at every row, three times slower */
    [Q_PLAYERS_BY_KEY] = "SELECT id, key, birth_year, club FROM players WHERE key = ?1 ORDER BY id LIMIT 50",
    [Q_FTS_INSERT] = "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
    [Q_FTS_DELETE] = "INSERT INTO articles_fts(articles_fts, rowid, title, body) SELECT 'delete', rowid, title, body "
                     "FROM articles WHERE rowid = ?1",
    [Q_UPDATE_STORY] = "UPDATE stories SET first_seen=?2, last_seen=?3, n_mentions=?4, max_stage=?5, stage_rank=?6, "
                       "from_club=?7, silence_days=?8, n_sources=?9, n_independent=?10, heat=?11, last_stage=?12 "
                       "WHERE id=?1",
};

static int web_after_article(radar_store *st, const radar_article *a, const radar_text_print *tp, long long rowid,
                             int updated, char **origin);
static int web_cite_origin(radar_store *st, long long mention, const char *origin);

/* ---- errors ---------------------------------------------------------------- */

/* Turn an SQLite failure into our code and a message a person can act on. */
int store_db_error(radar_store *st, int rc, const char *what)
{
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    const char *path = st ? st->path : "";
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return radar_error_set(RADAR_EIO, "%s: the database is locked by another writer (waited %.3g s): %s", path,
                               st ? st->wait_ms / 1000.0 : 0.0, what);
    case SQLITE_NOTADB:
        return radar_error_set(RADAR_EFORMAT, "%s: not a Transfer Radar database: %s", path, msg);
    case SQLITE_CORRUPT:
        return radar_error_set(RADAR_EFORMAT, "%s: the database is corrupt (%s); restore it from a backup", path,
                               msg);
    case SQLITE_FULL:
        return radar_error_set(RADAR_EIO, "%s: the disk is full; nothing of this batch was stored", path);
    case SQLITE_READONLY:
        return radar_error_set(RADAR_EIO, "%s: the database or its folder is read-only: %s", path, what);
    case SQLITE_CANTOPEN:
        return radar_error_set(RADAR_EIO, "%s: cannot open the database (%s)", path, msg);
    case SQLITE_IOERR:
        return radar_error_set(RADAR_EIO, "%s: input/output error (%s): %s", path, msg, what);
    case SQLITE_NOMEM:
        return radar_error_set(RADAR_ENOMEM, "out of memory in the database");
    default:
        return radar_error_set(RADAR_EIO, "%s: %s: %s", path, what, msg);
    }
}

int store_exec(radar_store *st, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &err);
    sqlite3_free(err);
    return rc == SQLITE_OK ? 0 : store_db_error(st, rc, "running a statement");
}

/* ---- schema ---------------------------------------------------------------- */

/* What schema 4 added: outcomes, story resolutions, source records, likelihoods. */
#define SCHEMA_4 \
    "CREATE TABLE IF NOT EXISTS outcomes(" \
    "  id INTEGER PRIMARY KEY, player_name TEXT NOT NULL, from_club TEXT, to_club TEXT NOT NULL, date TEXT NOT NULL," \
    "  season TEXT, win TEXT, fee REAL, currency TEXT, outcome TEXT NOT NULL, origin TEXT," \
    "  UNIQUE(player_name, to_club, date, outcome));" \
    "CREATE TABLE IF NOT EXISTS resolutions(" \
    "  story INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE, ended TEXT NOT NULL, outcome TEXT NOT NULL," \
    "  how TEXT NOT NULL, origin TEXT NOT NULL, PRIMARY KEY(story, ended)) WITHOUT ROWID;" \
    "CREATE INDEX IF NOT EXISTS resolutions_ended ON resolutions(ended);" \
    "CREATE TABLE IF NOT EXISTS source_stories(" \
    "  name TEXT NOT NULL, story INTEGER NOT NULL, kind TEXT, mentions INTEGER NOT NULL, cited INTEGER NOT NULL," \
    "  originated INTEGER NOT NULL, resolved INTEGER NOT NULL, hits INTEGER NOT NULL," \
    "  PRIMARY KEY(name, story)) WITHOUT ROWID;" \
    "CREATE INDEX IF NOT EXISTS source_stories_story ON source_stories(story);" \
    "CREATE TABLE IF NOT EXISTS source_stats(" \
    "  name TEXT PRIMARY KEY, kind TEXT, tier INTEGER, mentions INTEGER NOT NULL, stories INTEGER NOT NULL," \
    "  cited INTEGER NOT NULL, originated INTEGER NOT NULL, resolved INTEGER NOT NULL, hits INTEGER NOT NULL," \
    "  hit_rate REAL NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL);" \
    "ALTER TABLE stories ADD COLUMN likelihood REAL;" \
    "ALTER TABLE stories ADD COLUMN outcome TEXT NOT NULL DEFAULT 'open';" \
    "CREATE INDEX IF NOT EXISTS stories_likelihood ON stories(likelihood, last_seen);" \
    "CREATE INDEX IF NOT EXISTS stories_to_likelihood ON stories(to_club, likelihood, last_seen);" \
    "CREATE INDEX IF NOT EXISTS stories_from_likelihood ON stories(from_club, likelihood, last_seen);" \
    "INSERT OR REPLACE INTO meta VALUES ('scores_stale', 1);"

/* The current schema (RADAR_STORE_SCHEMA, 4), for new databases. */
static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS articles("
    "  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT, source TEXT, url TEXT, title TEXT,"
    "  body TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS articles_hash ON articles(hash);"
    "CREATE INDEX IF NOT EXISTS articles_date ON articles(date);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, content='articles', content_rowid='rowid',"
    "  tokenize='unicode61 remove_diacritics 2');"

    "CREATE TABLE IF NOT EXISTS players("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, surname TEXT NOT NULL, birth_year INTEGER,"
    "  club TEXT, position TEXT, nationality TEXT);"
    "CREATE INDEX IF NOT EXISTS players_surname ON players(surname);"
    "CREATE INDEX IF NOT EXISTS players_key ON players(key);"
    "CREATE INDEX IF NOT EXISTS players_club ON players(club);"
    "CREATE TABLE IF NOT EXISTS stories("
    "  id INTEGER PRIMARY KEY, player INTEGER NOT NULL REFERENCES players(id), to_club TEXT NOT NULL,"
    "  from_club TEXT, first_seen TEXT, last_seen TEXT, n_mentions INTEGER NOT NULL DEFAULT 0,"
    "  max_stage TEXT, stage_rank INTEGER NOT NULL DEFAULT 0, last_stage TEXT, silence_days INTEGER NOT NULL DEFAULT 0,"
    "  n_sources INTEGER NOT NULL DEFAULT 0, n_independent INTEGER NOT NULL DEFAULT 0,"
    "  heat REAL NOT NULL DEFAULT 0, UNIQUE(player, to_club));"
    "CREATE INDEX IF NOT EXISTS stories_to ON stories(to_club, last_seen);"
    "CREATE INDEX IF NOT EXISTS stories_from ON stories(from_club, last_seen);"
    "CREATE INDEX IF NOT EXISTS stories_last ON stories(last_seen);"
    "CREATE INDEX IF NOT EXISTS stories_heat ON stories(heat, last_seen);"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO meta VALUES ('stories', 0);"
    "CREATE INDEX IF NOT EXISTS stories_to_heat ON stories(to_club, heat, last_seen);"
    "CREATE INDEX IF NOT EXISTS stories_from_heat ON stories(from_club, heat, last_seen);"
    "CREATE TABLE IF NOT EXISTS mentions("
    "  id INTEGER PRIMARY KEY, article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,"
    "  story INTEGER NOT NULL REFERENCES stories(id), player INTEGER NOT NULL REFERENCES players(id),"
    "  player_name TEXT NOT NULL, to_club TEXT NOT NULL, from_club TEXT, stage TEXT, date TEXT,"
    "  fee_amount REAL, fee_max REAL, fee_currency TEXT, fee_kind TEXT, fee_eur REAL,"
    "  evidence TEXT, suitors TEXT, age INTEGER);"
    "CREATE INDEX IF NOT EXISTS mentions_story ON mentions(story, date);"
    "CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article);"
    "CREATE INDEX IF NOT EXISTS mentions_from ON mentions(from_club);"
    "CREATE TABLE IF NOT EXISTS mention_sources("
    "  mention INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE, name TEXT NOT NULL, kind TEXT,"
    "  cited INTEGER NOT NULL, PRIMARY KEY(mention, name));"
    "CREATE INDEX IF NOT EXISTS mention_sources_name ON mention_sources(name);"
    "CREATE TABLE IF NOT EXISTS facts("
    "  id INTEGER PRIMARY KEY, article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,"
    "  type TEXT NOT NULL, subject TEXT, value TEXT, detail TEXT, span_start INTEGER, span_end INTEGER, date TEXT);"
    "CREATE INDEX IF NOT EXISTS facts_article ON facts(article);"
    "CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject);"
    SCHEMA_4
    "PRAGMA application_id = 1380009042; PRAGMA user_version = 4;";

/* MIGRATIONS[v - 1] brings a database of schema version v to v + 1. */
static const char *const MIGRATIONS[] = {
    /* 1 -> 2: the search index is written by the store, not by triggers
     * (which also indexed every article a second time): drop them, rebuild */
    "DROP TRIGGER IF EXISTS articles_ai; DROP TRIGGER IF EXISTS articles_ad;"
    "DROP TRIGGER IF EXISTS articles_au;"
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
    "CREATE INDEX IF NOT EXISTS players_key ON players(key);"
    "CREATE INDEX IF NOT EXISTS players_club ON players(club);"
    "CREATE INDEX IF NOT EXISTS stories_to_heat ON stories(to_club, heat, last_seen);"
    "CREATE INDEX IF NOT EXISTS stories_from_heat ON stories(from_club, heat, last_seen);"
    "PRAGMA user_version = 2",
    /* 2 -> 3: the number of stories kept in a table (the board's total
     * without counting a million rows), and the heat index ordered by
     * last sighting too */
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT OR REPLACE INTO meta VALUES ('stories', (SELECT count(*) FROM stories));"
    "DROP INDEX IF EXISTS stories_heat;"
    "CREATE INDEX stories_heat ON stories(heat, last_seen);"
    "PRAGMA user_version = 3",
    /* 3 -> 4: outcomes, story resolutions, source records, likelihoods */
    SCHEMA_4
    "PRAGMA user_version = 4",
    /* 4 -> 5: feeds to watch with their HTTP state and back-off; sketches
     * of article texts, to find a syndicated copy of a stored story; the
     * author of an article; articles by link (a feed item already stored is
     * not fetched again) */
    "CREATE TABLE IF NOT EXISTS feeds("
    "  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT UNIQUE, title TEXT, etag TEXT,"
    "  last_modified TEXT, failures INTEGER NOT NULL DEFAULT 0, next_poll INTEGER NOT NULL DEFAULT 0,"
    "  last_poll INTEGER, last_error TEXT, articles INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS article_prints("
    "  article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE, print INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS article_prints_print ON article_prints(print, article);"
    "CREATE INDEX IF NOT EXISTS article_prints_article ON article_prints(article);"
    "CREATE TABLE IF NOT EXISTS article_authors("
    "  article INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE, author TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS articles_url ON articles(url);"
    "PRAGMA user_version = 5",
    /* 5 -> 6: feed items whose text is stored under another article's id
     * (the same text from another link): remembered by id and by link, so
     * the next poll does not fetch their pages again */
    "CREATE TABLE IF NOT EXISTS feed_items("
    "  key TEXT PRIMARY KEY, article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS feed_items_article ON feed_items(article);"
    "PRAGMA user_version = 6",
};
_Static_assert(sizeof MIGRATIONS / sizeof *MIGRATIONS == RADAR_STORE_SCHEMA - 1, "one migration per schema step");

/* The schema version, the application id and the number of schema entries. */
static int read_version(radar_store *st, int *version, int *app, int *entries)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT (SELECT user_version FROM pragma_user_version), "
                                "(SELECT application_id FROM pragma_application_id), "
                                "(SELECT count(*) FROM sqlite_master)",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(st, rc, "reading the schema version");
    *version = *app = *entries = 0;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        *app = sqlite3_column_int(s, 1);
        *entries = sqlite3_column_int(s, 2);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "reading the schema version");
}

/* A database this radar can read and bring up to date: versions 1 to
 * RADAR_STORE_SCHEMA with our application id, or 0 when it is empty. Any
 * other version (negative, or 0 with tables) was not written by any radar. */
static int known_version(radar_store *st, int version, int app, int entries)
{
    if (version > RADAR_STORE_SCHEMA)
        return radar_error_set(RADAR_EFORMAT,
                               "%s: the database has schema version %d, newer than this radar understands (%d); "
                               "use a newer radar (nothing was changed)",
                               st->path, version, RADAR_STORE_SCHEMA);
    if ((version > 0 || entries > 0) && app != APPLICATION_ID)
        return radar_error_set(RADAR_EFORMAT, "%s: an SQLite database, but not a Transfer Radar one", st->path);
    if (version < 0 || (version == 0 && entries > 0))
        return radar_error_set(RADAR_EFORMAT,
                               "%s: schema version %d is not one any Transfer Radar writes (1 to %d): not a database "
                               "this radar knows (nothing was changed)",
                               st->path, version, RADAR_STORE_SCHEMA);
    return 0;
}

/* Bring the schema to RADAR_STORE_SCHEMA. Each step runs in its own
 * transaction, so an interrupted migration leaves the previous version. */
static int migrate(radar_store *st)
{
    int version, app, entries, rc;
    if ((rc = read_version(st, &version, &app, &entries)) || (rc = known_version(st, version, app, entries)))
        return rc;
    if (version == RADAR_STORE_SCHEMA)
        return 0;
    if (st->readonly) {
        if (version == 0)
            return radar_error_set(RADAR_ENOTFOUND, "%s: no Transfer Radar database here yet (run radar ingest)",
                                   st->path);
        /* older schemas read like this one (the next ingest upgrades them);
         * what version 4 added is shadowed by empty temporary stand-ins */
        if (version < 4)
            return store_exec(st, "CREATE TEMP VIEW stories AS SELECT *, NULL AS likelihood, 'open' AS outcome FROM "
                                  "main.stories;"
                                  "CREATE TEMP TABLE resolutions(story, ended, outcome, how, origin);"
                                  "CREATE TEMP TABLE outcomes(player_name, from_club, to_club, date, season, win, fee,"
                                  " currency, outcome, origin);"
                                  "CREATE TEMP TABLE source_stats(name, kind, tier, mentions, stories, cited, "
                                  "originated, resolved, hits, hit_rate, lo, hi);"
                                  "CREATE TEMP TABLE source_stories(name, story, kind, mentions, cited, originated, "
                                  "resolved, hits)");
        return 0;
    }
    /* each step under the write lock, the version read again there: another
     * writer (two ingests creating the same new store) may have taken it */
    for (int was = -1;;) {
        if ((rc = store_exec(st, "BEGIN IMMEDIATE")))
            return rc;
        if ((rc = read_version(st, &version, &app, &entries)) || (rc = known_version(st, version, app, entries)))
            goto fail;
        if (version == RADAR_STORE_SCHEMA)
            return store_exec(st, "COMMIT");
        if (version <= was) { /* a step that did not move the version on: never loop */
            rc = radar_error_set(RADAR_EFORMAT, "%s: migrating from schema version %d failed", st->path, was);
            goto fail;
        }
        was = version;
        /* SCHEMA may be older than this build: the later steps follow */
        if ((rc = store_exec(st, version == 0 ? SCHEMA : MIGRATIONS[version - 1])) ||
            (rc = store_exec(st, "COMMIT")))
            goto fail;
    }
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ---- bulk loads -------------------------------------------------------------- */

/* Indexes that only the questions (and feed polls) read; ingest and rescoring never do, but for one
 * (looked_up). A bulk
 * load drops them and builds them again at its end, which costs a fraction of
 * keeping nine story indexes current row by row. A writable open builds any
 * that a killed load left missing. Each is written as the schema writes it. */
static const struct {
    const char *name, *sql;
    int looked_up; /* ingest reads it too: dropped only when its table is empty */
} QUESTION_INDEXES[] = {
    {"stories_to", "CREATE INDEX IF NOT EXISTS stories_to ON stories(to_club, last_seen)", 0},
    {"stories_from", "CREATE INDEX IF NOT EXISTS stories_from ON stories(from_club, last_seen)", 0},
    {"stories_last", "CREATE INDEX IF NOT EXISTS stories_last ON stories(last_seen)", 0},
    {"stories_heat", "CREATE INDEX IF NOT EXISTS stories_heat ON stories(heat, last_seen)", 0},
    {"stories_to_heat", "CREATE INDEX IF NOT EXISTS stories_to_heat ON stories(to_club, heat, last_seen)", 0},
    {"stories_from_heat", "CREATE INDEX IF NOT EXISTS stories_from_heat ON stories(from_club, heat, last_seen)", 0},
    {"stories_likelihood", "CREATE INDEX IF NOT EXISTS stories_likelihood ON stories(likelihood, last_seen)", 0},
    {"stories_to_likelihood",
     "CREATE INDEX IF NOT EXISTS stories_to_likelihood ON stories(to_club, likelihood, last_seen)", 0},
    {"stories_from_likelihood",
     "CREATE INDEX IF NOT EXISTS stories_from_likelihood ON stories(from_club, likelihood, last_seen)", 0},
    {"mentions_from", "CREATE INDEX IF NOT EXISTS mentions_from ON mentions(from_club)", 0},
    {"mention_sources_name", "CREATE INDEX IF NOT EXISTS mention_sources_name ON mention_sources(name)", 0},
    {"facts_subject", "CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject)", 0},
    {"players_club", "CREATE INDEX IF NOT EXISTS players_club ON players(club)", 0},
    {"resolutions_ended", "CREATE INDEX IF NOT EXISTS resolutions_ended ON resolutions(ended)", 0},
    {"articles_url", "CREATE INDEX IF NOT EXISTS articles_url ON articles(url)", 0},
    /* read only to find a syndicated copy among older articles: a load into
     * a store with no sketch yet keeps its own in memory (web_find_copy),
     * and a look-up that needs the database builds it first */
    {"article_prints_print", "CREATE INDEX IF NOT EXISTS article_prints_print ON article_prints(print, article)", 1},
};
#define N_QUESTION_INDEXES (sizeof QUESTION_INDEXES / sizeof *QUESTION_INDEXES)

/* Which of the question indexes exist: bit i for QUESTION_INDEXES[i]. */
static int question_indexes(radar_store *st, unsigned *have)
{
    sqlite3_stmt *s;
    *have = 0;
    int rc = sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_master WHERE type = 'index'", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(st, rc, "reading the schema");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        for (size_t i = 0; name && i < N_QUESTION_INDEXES; i++)
            if (!strcmp(name, QUESTION_INDEXES[i].name))
                *have |= 1u << i;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "reading the schema");
}

/* Build the question indexes that are missing, in one transaction (none
 * when all are there: no write lock taken). */
static int restore_indexes(radar_store *st)
{
    unsigned have;
    int rc = question_indexes(st, &have);
    if (rc || have == (1u << N_QUESTION_INDEXES) - 1)
        return rc;
    /* under the write lock, what another writer built meanwhile is there */
    if ((rc = store_exec(st, "BEGIN IMMEDIATE")))
        return rc;
    rc = question_indexes(st, &have);
    for (size_t i = 0; i < N_QUESTION_INDEXES && !rc; i++)
        if (!(have & 1u << i))
            rc = store_exec(st, QUESTION_INDEXES[i].sql);
    if (rc || (rc = store_exec(st, "COMMIT")))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int radar_store_bulk_begin(radar_store *st, unsigned long long expected_bytes, int *bulk)
{
    *bulk = 0;
    if (st->readonly || !sqlite3_get_autocommit(st->db))
        return radar_error_set(RADAR_EINVALID, "a bulk load starts on a writable store, outside a transaction");
    /* worth it when the load is about as large as what is stored: the
     * rebuild reads the whole tables, the saving grows with the new rows
     * (a store takes about four bytes per byte of article text) */
    sqlite3_stmt *s;
    long long pages = 0, page_size = 0, stories = 0;
    int rc = store_prepare(st, "SELECT (SELECT page_count FROM pragma_page_count), "
                               "(SELECT page_size FROM pragma_page_size), (SELECT value FROM meta WHERE key = 'stories')",
                           &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW) {
        pages = sqlite3_column_int64(s, 0);
        page_size = sqlite3_column_int64(s, 1);
        stories = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    if (stories > 0 && expected_bytes * 4 < (unsigned long long)(pages * page_size))
        return 0;
    if ((rc = store_exec(st, "BEGIN IMMEDIATE")))
        return rc;
    int prints = 1;
    if (!(rc = store_prepare(st, "SELECT EXISTS (SELECT 1 FROM article_prints)", &s))) {
        prints = sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    char sql[128];
    for (size_t i = 0; i < N_QUESTION_INDEXES && !rc; i++) {
        if (prints && QUESTION_INDEXES[i].looked_up)
            continue;
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", QUESTION_INDEXES[i].name);
        rc = store_exec(st, sql);
    }
    if (rc || (rc = store_exec(st, "COMMIT"))) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    st->print_index_dropped = st->print_index_missing = !prints;
    *bulk = 1;
    return 0;
}

int radar_store_bulk_end(radar_store *st)
{
    st->print_index_dropped = st->print_index_missing = 0;
    return st->readonly ? 0 : restore_indexes(st);
}

/* ---- open / close ---------------------------------------------------------- */

int radar_store_default_path(char *out, size_t cap)
{
    const char *env = getenv("RADAR_DB");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, cap, "%s/transfer-radar/radar.db", xdg);
    else if (home && *home)
        snprintf(out, cap, "%s/.local/share/transfer-radar/radar.db", home);
    else
        return radar_error_set(RADAR_ENOTFOUND, "no database path: set RADAR_DB or HOME, or pass --db");
    return 0;
}

/* mkdir -p for the folder holding `path`. */
static int make_parent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return radar_error_set(RADAR_EIO, "cannot create folder %s: %s", dir, strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return radar_error_set(RADAR_EIO, "cannot create folder %s: %s", dir, strerror(errno));
    return 0;
}

static int profile_cb(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)ctx;
    fprintf(stderr, "%lld ns\t%.100s\n", (long long)*(sqlite3_int64 *)x, sqlite3_sql((sqlite3_stmt *)p));
    return 0;
}

/* SQLite's allocation statistics take a global mutex on every malloc; no
 * one reads them here. Set once, before SQLite initializes itself (a later
 * call is refused by SQLite and changes nothing). */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static double monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* SQLite calls this while another connection holds a lock this one needs
 * (`count` calls so far in this wait): wait in growing steps, up to the
 * handle's wait, and tell the front end once. Returns 0 to give up. */
static int on_busy(void *user, int count)
{
    static const int steps_ms[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    radar_store *st = user;
    double now = monotonic_ms();
    if (count == 0)
        st->busy_since = now;
    double waited = now - st->busy_since;
    if (waited >= (double)st->wait_ms)
        return 0;
    if (waited >= WAIT_NOTICE_MS && st->on_wait && !st->said_waiting) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s: waiting for the other writer to finish (at most %.3g s)", st->path,
                 st->wait_ms / 1000.0);
        st->said_waiting = 1;
        st->on_wait(st->wait_user, msg);
    }
    double step = steps_ms[count < 12 ? count : 11];
    if (step > st->wait_ms - waited)
        step = st->wait_ms - waited;
    struct timespec ts = {(time_t)(step / 1000), (long)((step - 1000.0 * (long)(step / 1000)) * 1e6)};
    nanosleep(&ts, NULL);
    return 1;
}

/* Open the connection of `st` to `name` (a path, or a URI with
 * SQLITE_OPEN_URI) and read it once: the first read tells a database from a
 * corrupt file or another format. Returns SQLite's code. */
static int connect(radar_store *st, const char *name, int oflags)
{
    int rc = sqlite3_open_v2(name, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_busy_handler(st->db, on_busy, st);
    if (getenv("RADAR_SQL_PROFILE")) /* a tool for finding slow statements */
        sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, profile_cb, NULL);
    sqlite3_extended_result_codes(st->db, 1);
    return sqlite3_exec(st->db, "PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

/* May this process write the database at `path` and make files beside it
 * (its -wal and -shm)? errno says why not. */
static int writable_here(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        slash[slash == dir] = '\0';
    return access(dir, W_OK) == 0 && (access(path, W_OK) == 0 || errno == ENOENT);
}

/* The file: URI of `path` read as immutable ('%', '?' and '#' escaped). */
static void immutable_uri(const char *path, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "file:");
    for (const char *p = path; *p && n + 4 < cap; p++)
        n += *p == '%' || *p == '?' || *p == '#' ? (size_t)snprintf(out + n, cap - n, "%%%02X", (unsigned char)*p)
                                                 : (size_t)snprintf(out + n, cap - n, "%c", *p);
    snprintf(out + n, cap - n, "?immutable=1");
}

int radar_store_open(radar_store **out, const char *path, int flags, const radar_lexicon *lex)
{
    radar_store_options o = RADAR_STORE_OPTIONS_INIT;
    o.flags = flags;
    o.lex = lex;
    return radar_store_open_with(out, path, &o);
}

static int store_open_once(radar_store **out, const char *path, const radar_store_options *opts);

/* The full-text index's constructor reads its own tables as a statement is
 * prepared; with another writer creating or migrating the store beside us it
 * can fail where a plain read would wait, and the connection keeps the
 * failure. Such an open is tried again on a new connection, for as long as a
 * writer would wait. */
int radar_store_open_with(radar_store **out, const char *path, const radar_store_options *opts)
{
    if (radar_pg_is_uri(path)) { /* not a file path: see db_pg.h */
        *out = NULL;
        return radar_pg_store_not_yet(path);
    }
    int rc = store_open_once(out, path, opts);
    for (int tries = 0; rc == RADAR_EIO && strstr(radar_last_error(), "vtable constructor failed") && tries < 500;
         tries++) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
        rc = store_open_once(out, path, opts);
    }
    return rc;
}

static int store_open_once(radar_store **out, const char *path, const radar_store_options *opts)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    radar_store_options def = RADAR_STORE_OPTIONS_INIT;
    const radar_store_options *o = opts ? opts : &def;
    int flags = o->flags;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    radar_store *st = calloc(1, sizeof *st);
    if (!st)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    snprintf(st->path, sizeof st->path, "%s", path);
    st->lex = o->lex;
    st->readonly = (flags & RADAR_STORE_READONLY) != 0;
    st->wait_ms = o->wait_ms > 0 ? o->wait_ms : st->readonly ? RADAR_STORE_READ_WAIT_MS : RADAR_STORE_WRITE_WAIT_MS;
    st->on_wait = o->on_wait;
    st->wait_user = o->user;
    int rc;
    struct stat sb;
    if (st->readonly && stat(path, &sb) != 0) {
        rc = radar_error_set(RADAR_ENOTFOUND, "%s: no database here yet (run radar ingest first)", path);
        goto fail;
    }
    if (!st->readonly && (flags & RADAR_STORE_CREATE) && (rc = make_parent(path)))
        goto fail;
    rc = connect(st, path, st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (st->readonly && ((rc & 0xFF) == SQLITE_READONLY || (rc & 0xFF) == SQLITE_CANTOPEN)) {
        /* a store in a folder this process may not write (another user's, a
         * read-only volume): the -wal and -shm files that reading a WAL
         * database needs cannot be made, so it is read as a file that does
         * not change (immutable: no locks, no -wal or -shm) */
        char uri[3 * sizeof st->path + 32];
        immutable_uri(path, uri, sizeof uri);
        sqlite3_close_v2(st->db);
        st->db = NULL;
        rc = connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    }
    if (rc && !st->readonly && ((rc & 0xFF) == SQLITE_CANTOPEN || (rc & 0xFF) == SQLITE_READONLY) &&
        !writable_here(path) && (errno == EROFS || errno == EACCES || errno == EPERM)) {
        rc = radar_error_set(RADAR_EIO, "%s: the database or its folder is read-only (%s); queries can read it, "
                                        "writing needs a folder this user may write",
                             path, strerror(errno));
        goto fail;
    }
    if (rc) {
        rc = store_db_error(st, rc, "opening");
        goto fail;
    }
    /* a 64 MB page cache: index inserts on a large store stay in memory */
    if ((rc = store_exec(st, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")))
        goto fail;
    /* migrate first: a database we refuse is left exactly as it was */
    if ((rc = migrate(st)))
        goto fail;
    if (!st->readonly && (rc = store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")))
        goto fail;
    if (!st->readonly && (rc = radar_store_scores_stale(st, &st->stale_at_open)))
        goto fail;
    /* a bulk load killed before its end left indexes to build */
    if (!st->readonly && (rc = restore_indexes(st)))
        goto fail;
    for (int i = 0; i < Q_COUNT; i++) {
        if (st->readonly && i != Q_ARTICLE_BY_ID)
            continue;
        int prc = sqlite3_prepare_v3(st->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
        if (prc != SQLITE_OK) {
            rc = store_db_error(st, prc, "preparing statements");
            goto fail;
        }
    }
    *out = st;
    return 0;
fail:
    radar_store_close(st);
    return rc;
}

void radar_store_close(radar_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (size_t i = 0; i < sizeof st->cache / sizeof *st->cache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    for (int i = 0; i < W_COUNT; i++)
        sqlite3_finalize(st->web[i]);
    postings_free(st->prints);
    if (st->db)
        sqlite3_close_v2(st->db);
    free(st->dirty);
    free(st->touched);
    free(st->story_strings.arena.data);
    free(st->story_strings.names);
    free(st->story_strings.origins);
    free(st->story_strings.sorted);
    free(st);
}

static void forget_prints(radar_store *st)
{
    if (st->prints)
        postings_clear(st->prints);
    st->prints_from = 0;
    /* an index built on demand in a transaction that rolled back is gone */
    st->print_index_missing = st->print_index_dropped;
}

int radar_store_begin(radar_store *st)
{
    st->n_dirty = 0;
    st->new_stories = 0;
    int rc = store_exec(st, "BEGIN IMMEDIATE");
    if (rc || !st->prints_from)
        return rc;
    /* the sketches kept in memory hold only while no one else writes */
    sqlite3_stmt *s;
    if ((rc = store_cached(st, "PRAGMA data_version", &s))) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    long long v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    if (v != st->data_version || v < 0)
        forget_prints(st);
    return 0;
}

static int update_story(radar_store *st, long long story);

int store_cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Recompute every story touched in this transaction, once each. */
static int flush_dirty(radar_store *st)
{
    if (st->n_dirty)
        qsort(st->dirty, st->n_dirty, sizeof *st->dirty, store_cmp_ll);
    for (size_t i = 0; i < st->n_dirty; i++) {
        if (i && st->dirty[i] == st->dirty[i - 1])
            continue;
        int rc = update_story(st, st->dirty[i]);
        if (rc)
            return rc;
    }
    st->n_dirty = 0;
    /* stories left with no mention (an article updated away from them) go;
     * that scan is needed only after an update */
    long long gone = 0;
    if (st->updated) {
        int rc = store_exec(st, "DELETE FROM stories WHERE n_mentions = 0 AND id NOT IN (SELECT story FROM mentions)");
        if (rc)
            return rc;
        gone = sqlite3_changes(st->db);
        st->updated = 0;
        if (gone)
            st->stale_at_open = 1; /* the shares of vanished stories: the next rescore is a full one */
    }
    if (st->changed) { /* outcomes and likelihoods are now behind the articles */
        int rc = store_exec(st, "UPDATE meta SET value = 1 WHERE key = 'scores_stale' AND value = 0");
        if (rc)
            return rc;
        st->changed = 0;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = value + %lld WHERE key = 'stories'", st->new_stories - gone);
    st->new_stories = 0;
    return store_exec(st, sql);
}

int radar_store_commit(radar_store *st)
{
    int rc = flush_dirty(st);
    if (!rc)
        rc = store_exec(st, "COMMIT");
    if (rc) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        forget_prints(st);
    }
    st->n_dirty = 0;
    return rc;
}

void radar_store_rollback(radar_store *st)
{
    st->n_dirty = 0;
    st->new_stories = 0;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    forget_prints(st);
}

void *store_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : first;
    while (nc <= n)
        nc *= 2;
    void *p = realloc(v, nc * size);
    if (!p) {
        radar_error_set(RADAR_ENOMEM, "out of memory");
        return NULL;
    }
    *cap = nc;
    return p;
}

static int mark_dirty(radar_store *st, long long story)
{
    long long *p = store_grow(st->dirty, &st->cap_dirty, st->n_dirty, sizeof *p, 1024);
    if (!p)
        return RADAR_ENOMEM;
    st->dirty = p;
    st->dirty[st->n_dirty++] = story;
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Run a statement that returns no rows, then reset it. */
int store_step_done(radar_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_db_error(st, rc, what);
}

_Static_assert(RADAR_TEXT_SKETCH == SYNDICATION_SKETCH, "the public sketch is the syndication sketch");
_Static_assert(SYNDICATION_SKETCH == 8, "the posting statement binds eight hashes");

static void content_hash(const radar_article *a, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t h = radar_hash_bytes(a->body, a->body_len);
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

void radar_text_print_compute(const radar_article *a, radar_text_print *out)
{
    content_hash(a, out->hash);
    out->has_sketch = syndication_sketch(a->body, a->body_len, out->sketch);
}

/* Folded name key: lower case, no accents, punctuation as single spaces. */
void store_name_key(const char *name, char *out, size_t cap)
{
    char f[512];
    size_t n = radar_fold(name, strlen(name), f, sizeof f - 1);
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)f[i];
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 ||
                   (c == '-' && o > 0 && out[o - 1] != ' ' && i + 1 < n); /* "hudson-odoi" is one word */
        if (word) {
            out[o++] = (char)c;
            space = 0;
        } else if (!space) {
            out[o++] = ' ';
            space = 1;
        }
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

const char *store_last_word(const char *key)
{
    const char *sp = strrchr(key, ' ');
    return sp ? sp + 1 : key;
}

/* A surname alone: one word, or particles then one word ("de gea", "van dijk"). */
int store_surname_only(const char *key)
{
    static const char *const particles[] = {"de", "van", "der", "den", "da", "di", "dos", "das", "do", "del",
                                            "della", "le", "la", "von", "ten", "ter", "el", "al", NULL};
    const char *p = key;
    for (;;) {
        const char *sp = strchr(p, ' ');
        if (!sp)
            return 1;
        size_t n = (size_t)(sp - p);
        int particle = 0;
        for (int i = 0; particles[i]; i++)
            particle |= strlen(particles[i]) == n && !memcmp(p, particles[i], n);
        if (!particle)
            return 0;
        p = sp + 1;
    }
}

static int stage_rank(const char *stage)
{
    for (int i = 0; i < RADAR_STAGE_COUNT; i++)
        if (!strcmp(stage, radar_stage_name((radar_stage)i)))
            return i;
    return 0;
}

/* Days since 1970 for YYYY-MM-DD (civil calendar), or -1. */
long store_day_number(const char *d)
{
    if (!d || !radar_date_valid(d, strlen(d) >= 10 ? 10 : strlen(d)))
        return -1;
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Yearly average rates to euros (ECB reference rates, annual means, rounded):
 * a fee reported in pounds or dollars gets a EUR figure at its article's year. */
static double to_eur(double amount, const char *currency, const char *date)
{
    static const struct { int year; double gbp, usd; } rates[] = {
        {2000, 1.642, 1.085}, {2001, 1.609, 1.117}, {2002, 1.591, 1.057}, {2003, 1.446, 0.885},
        {2004, 1.474, 0.805}, {2005, 1.463, 0.804}, {2006, 1.467, 0.797}, {2007, 1.462, 0.731},
        {2008, 1.258, 0.683}, {2009, 1.123, 0.719}, {2010, 1.166, 0.755}, {2011, 1.152, 0.719},
        {2012, 1.233, 0.778}, {2013, 1.178, 0.753}, {2014, 1.241, 0.754}, {2015, 1.378, 0.902},
        {2016, 1.224, 0.904}, {2017, 1.141, 0.887}, {2018, 1.130, 0.847}, {2019, 1.140, 0.893},
        {2020, 1.125, 0.877}, {2021, 1.163, 0.846}, {2022, 1.173, 0.951}, {2023, 1.150, 0.925},
        {2024, 1.181, 0.924}, {2025, 1.170, 0.885}, {2026, 1.160, 0.870}};
    if (!strcmp(currency, "EUR"))
        return amount;
    int year = date ? atoi(date) : 0;
    size_t n = sizeof rates / sizeof *rates, k = n - 1;
    for (size_t i = 0; i < n; i++)
        if (rates[i].year == year)
            k = i;
    if (year && year < rates[0].year)
        k = 0;
    if (!strcmp(currency, "GBP"))
        return amount * rates[k].gbp;
    if (!strcmp(currency, "USD"))
        return amount * rates[k].usd;
    return NAN;
}

/* ---- articles ----------------------------------------------------------------- */

int radar_store_check_article(radar_store *st, const radar_article *a, radar_put_result *result)
{
    radar_text_print tp = {.has_sketch = 0}; /* the check reads the hash only */
    content_hash(a, tp.hash);
    return radar_store_check_printed(st, a, &tp, result);
}

int radar_store_check_printed(radar_store *st, const radar_article *a, const radar_text_print *tp,
                              radar_put_result *result)
{
    const char *hash = tp->hash;
    sqlite3_stmt *s = st->stmt[Q_ARTICLE_BY_ID];
    store_bind_text(s, 1, a->id);
    int rc = sqlite3_step(s);
    *result = RADAR_PUT_NEW;
    if (rc == SQLITE_ROW)
        *result = strcmp((const char *)sqlite3_column_text(s, 1), hash) == 0 ? RADAR_PUT_UNCHANGED : RADAR_PUT_UPDATED;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, rc, "looking up an article");
    if (*result == RADAR_PUT_NEW && !st->readonly) {
        /* the same text under another id is the same article */
        s = st->stmt[Q_ARTICLE_BY_HASH];
        store_bind_text(s, 1, hash);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *result = RADAR_PUT_UNCHANGED;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_db_error(st, rc, "looking up an article");
    }
    return 0;
}

/* The player a rumour is about: an existing player with this surname whose
 * first name and birth year do not contradict, or a new one. */
static int link_player(radar_store *st, const char *name, int birth_year, const char *club, long long *out)
{
    char key[256];
    store_name_key(name, key, sizeof key);
    if (!*key)
        snprintf(key, sizeof key, "%s", "unknown");
    const char *sur = store_last_word(key);
    int single = store_surname_only(key);
    long long best = 0;
    int best_score = -1, rc, best_needs_update = 0;
    /* the same full name first, through the key index: it outranks any other
     * form of the surname, so the wider scan is needed only when it misses */
    sqlite3_stmt *s = st->stmt[Q_PLAYERS_BY_KEY];
    store_bind_text(s, 1, key);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (best)
                break;
            s = st->stmt[Q_PLAYERS_BY_SURNAME];
            store_bind_text(s, 1, sur);
        }
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            long long id = sqlite3_column_int64(s, 0);
            const char *k = (const char *)sqlite3_column_text(s, 1);
            int by = sqlite3_column_type(s, 2) == SQLITE_NULL ? 0 : sqlite3_column_int(s, 2);
            const char *c = (const char *)sqlite3_column_text(s, 3);
            /* would this mention add anything to the stored player? */
            int needs_update = strlen(key) > strlen(k) || (birth_year && !by) || (club && (!c || strcmp(club, c)));
            /* two players sharing a name: their ages say so (a year or two of
             * slack: an age is given without a birthday) */
            if (birth_year && by && abs(birth_year - by) > (strcmp(k, key) ? 1 : 2))
                continue;
            int k_single = store_surname_only(k);
            int score;
            size_t fk = strcspn(k, " "), fn = strcspn(key, " ");
            if (!strcmp(k, key))
                score = 10;
            else if (single || k_single)
                score = 3; /* "Bastoni" and "Alessandro Bastoni" */
            else if (fk == fn && !memcmp(k, key, fk))
                score = 8; /* "Erling Haaland" and "Erling Braut Haaland" */
            else if (fk >= 3 && fn >= 3 && !memcmp(k, key, fk < fn ? fk : fn))
                score = 6; /* "Josh King" and "Joshua King", "Emi" and "Emiliano Buendia" */
            else
                continue; /* different first names: different players */
            if (club && c && !strcmp(club, c))
                score += 2;
            if (birth_year && by)
                score += 2;
            if (score > best_score) {
                best_score = score;
                best = id;
                best_needs_update = needs_update;
            }
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_DONE)
            return store_db_error(st, rc, "looking up players");
    }
    if (best && !best_needs_update) {
        *out = best;
        return 0;
    }
    if (best) {
        s = st->stmt[Q_UPDATE_PLAYER];
        sqlite3_bind_int64(s, 1, best);
        store_bind_text(s, 2, name);
        store_bind_text(s, 3, key);
        if (birth_year)
            sqlite3_bind_int(s, 4, birth_year);
        store_bind_text(s, 5, club);
        if ((rc = store_step_done(st, s, "updating a player")))
            return rc;
        *out = best;
        return 0;
    }
    s = st->stmt[Q_INSERT_PLAYER];
    store_bind_text(s, 1, name);
    store_bind_text(s, 2, key);
    store_bind_text(s, 3, sur);
    if (birth_year)
        sqlite3_bind_int(s, 4, birth_year);
    store_bind_text(s, 5, club);
    if ((rc = store_step_done(st, s, "adding a player")))
        return rc;
    *out = sqlite3_last_insert_rowid(st->db);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many distinct strings there are among the n at the offsets `off` into
 * `arena` (the offsets are turned into pointers and sorted, in place). */
static int count_distinct(const char *arena, const char **v, const size_t *off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = arena + off[i];
    qsort(v, n, sizeof *v, cmp_str);
    int d = 0;
    for (size_t i = 0; i < n; i++)
        d += !i || strcmp(v[i], v[i - 1]);
    return d;
}

/* Note a string of the story at offset `at` of its arena among the names
 * (kind 0) or the origins (kind 1). */
static int story_note(radar_store *st, int kind, size_t at)
{
    struct story_strings *ss = &st->story_strings;
    size_t *n = kind ? &ss->n_origins : &ss->n_names;
    size_t *cap = kind ? &ss->cap_origins : &ss->cap_names;
    size_t **off = kind ? &ss->origins : &ss->names;
    size_t *grown = store_grow(*off, cap, *n, sizeof *grown, 64);
    if (!grown)
        return RADAR_ENOMEM;
    *off = grown;
    grown[(*n)++] = at;
    return 0;
}

/* Copy `text` into the story's arena; its offset in *at. */
static int story_copy(radar_store *st, const char *text, size_t *at)
{
    *at = st->story_strings.arena.len;
    return radar_buf_append(&st->story_strings.arena, text, strlen(text) + 1);
}

#define NO_NAME ((size_t)-1)

/* The origin of a mention once its sources are read: the smallest cited
 * name, else the smallest name (offsets into the arena), else the article. */
static int story_origin(radar_store *st, size_t cited, size_t any, long long article)
{
    size_t at = cited != NO_NAME ? cited : any;
    if (at == NO_NAME) {
        char own[32];
        snprintf(own, sizeof own, "article:%lld", article);
        int rc = story_copy(st, own, &at);
        if (rc)
            return rc;
    }
    return story_note(st, 1, at);
}

/* Recompute a story's summary from its mentions: dates, stages, the
 * selling club, and its sources: every name cited or publishing, and one
 * origin per mention (a cited source is the origin of what the outlet
 * citing it reports), counted distinct. */
static int update_story(radar_store *st, long long story)
{
    sqlite3_stmt *s = st->stmt[Q_STORY_MENTIONS];
    sqlite3_bind_int64(s, 1, story);
    const char *first = NULL, *last = NULL;
    char first_buf[11] = "", last_buf[11] = "", from_buf[256] = "", max_stage[16] = "none", last_stage[16] = "none";
    size_t cited = NO_NAME, any = NO_NAME;
    int n = 0, best_rank = -1, silence = 0, rc, err = 0;
    long prev_day = -1;
    long long mention = 0, article = 0;
    struct story_strings *ss = &st->story_strings;
    ss->arena.len = ss->n_names = ss->n_origins = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(s, 0);
        const char *name = (const char *)sqlite3_column_text(s, 5);
        if (n && id != mention && (err = story_origin(st, cited, any, article)))
            break;
        if (id != mention) { /* a mention's first row */
            mention = id;
            article = sqlite3_column_int64(s, 4);
            cited = any = NO_NAME;
            const char *date = (const char *)sqlite3_column_text(s, 1);
            const char *stage = (const char *)sqlite3_column_text(s, 2);
            const char *from = (const char *)sqlite3_column_text(s, 3);
            n++;
            if (date) {
                if (!first_buf[0])
                    snprintf(first_buf, sizeof first_buf, "%s", date);
                long day = store_day_number(date);
                if (prev_day >= 0 && day > prev_day)
                    silence = (int)(day - prev_day); /* the gap before the latest mention */
                if (day >= 0 && day != prev_day)
                    prev_day = day;
                snprintf(last_buf, sizeof last_buf, "%s", date);
            }
            if (stage) {
                /* the furthest step reached (interest .. signed); endings are
                 * told by the latest mention's stage */
                int r = stage_rank(stage);
                if (r <= RADAR_STAGE_SIGNED && r > best_rank) {
                    best_rank = r;
                    snprintf(max_stage, sizeof max_stage, "%s", stage);
                }
                snprintf(last_stage, sizeof last_stage, "%s", stage);
            }
            if (from)
                snprintf(from_buf, sizeof from_buf, "%s", from);
        }
        if (name) {
            size_t at;
            if ((err = story_copy(st, name, &at)) || (err = story_note(st, 0, at)))
                break;
            /* the smallest name, and the smallest cited one */
            const char *arena = ss->arena.data;
            if (any == NO_NAME || strcmp(name, arena + any) < 0)
                any = at;
            if (sqlite3_column_int(s, 6) && (cited == NO_NAME || strcmp(name, arena + cited) < 0))
                cited = at;
        }
    }
    if (!err && rc == SQLITE_DONE && n)
        err = story_origin(st, cited, any, article);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (err)
        return err;
    if (rc != SQLITE_DONE)
        return store_db_error(st, rc, "reading a story");
    first = first_buf[0] ? first_buf : NULL;
    last = last_buf[0] ? last_buf : NULL;
    size_t most = ss->n_names > ss->n_origins ? ss->n_names : ss->n_origins;
    const char **v = store_grow(ss->sorted, &ss->cap_sorted, most ? most - 1 : 0, sizeof *v, 64);
    if (!v)
        return RADAR_ENOMEM;
    ss->sorted = v;
    int n_sources = count_distinct(ss->arena.data, v, ss->names, ss->n_names);
    int n_independent = count_distinct(ss->arena.data, v, ss->origins, ss->n_origins);
    /* heat: mentions, independent sources and stage, for sorting the board */
    double heat = n + 2.0 * n_independent + (best_rank > 0 ? best_rank : 0);
    s = st->stmt[Q_UPDATE_STORY];
    sqlite3_bind_int64(s, 1, story);
    store_bind_text(s, 2, first);
    store_bind_text(s, 3, last);
    sqlite3_bind_int(s, 4, n);
    store_bind_text(s, 5, max_stage);
    sqlite3_bind_int(s, 6, best_rank < 0 ? 0 : best_rank);
    store_bind_text(s, 7, from_buf[0] ? from_buf : NULL);
    sqlite3_bind_int(s, 8, silence);
    sqlite3_bind_int(s, 9, n_sources);
    sqlite3_bind_int(s, 10, n_independent);
    sqlite3_bind_double(s, 11, heat);
    store_bind_text(s, 12, last_stage);
    return store_step_done(st, s, "updating a story");
}

/* Is `name` a source the article cites (an outlet, journalist, handle), as
 * opposed to the outlet that published it? */
static int is_cited(const radar_article *a, const char *name)
{
    return !(a->source && !strcmp(a->source, name));
}

static int span_json(radar_buf *b, const radar_span *sp, size_t n)
{
    int rc = radar_buf_putc(b, '[');
    for (size_t i = 0; i < n && !rc; i++)
        rc = radar_buf_printf(b, "%s[%u,%u]", i ? "," : "", sp[i].start, sp[i].end);
    return rc ? rc : radar_buf_putc(b, ']');
}

static int strings_json(radar_buf *b, const char *const *v, size_t n)
{
    int rc = radar_buf_putc(b, '[');
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = radar_buf_putc(b, ',');
        rc = rc ? rc : radar_json_string(b, v[i], strlen(v[i]));
    }
    return rc ? rc : radar_buf_putc(b, ']');
}

/* The age the article gives a player, from its age facts. */
static int age_of(const radar_doc *doc, const char *player)
{
    for (size_t i = 0; i < doc->n_facts; i++)
        if (doc->facts[i].type == RADAR_FACT_AGE && doc->facts[i].subject && !strcmp(doc->facts[i].subject, player))
            return atoi(doc->facts[i].value);
    return 0;
}

int radar_store_put(radar_store *st, const radar_article *a, const radar_doc *doc, radar_put_result *result)
{
    radar_text_print tp;
    radar_text_print_compute(a, &tp);
    return radar_store_put_printed(st, a, doc, &tp, result);
}

int radar_store_put_printed(radar_store *st, const radar_article *a, const radar_doc *doc, const radar_text_print *tp,
                            radar_put_result *result)
{
    if (sqlite3_get_autocommit(st->db))
        return radar_error_set(RADAR_EINVALID, "radar_store_put outside a transaction (call radar_store_begin)");
    int rc = radar_store_check_printed(st, a, tp, result);
    if (rc || *result == RADAR_PUT_UNCHANGED)
        return rc;
    st->changed = 1;
    const char *hash = tp->hash;
    long long rowid = 0;
    long long *touched = NULL;
    size_t n_touched = 0, cap_touched = 0;
    radar_buf js = RADAR_BUF_INIT, js2 = RADAR_BUF_INIT;
    char *origin = NULL; /* the story's origin when this text is a syndicated copy */
    sqlite3_stmt *s;
    if (*result == RADAR_PUT_UPDATED) {
        st->updated = 1;
        /* replace: forget the old extraction, remember which stories it touched */
        s = st->stmt[Q_ARTICLE_BY_ID];
        store_bind_text(s, 1, a->id);
        if (sqlite3_step(s) == SQLITE_ROW)
            rowid = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        s = st->stmt[Q_OLD_STORIES];
        sqlite3_bind_int64(s, 1, rowid);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (n_touched == cap_touched) {
                size_t nc = cap_touched ? cap_touched * 2 : 16;
                long long *p = realloc(touched, nc * sizeof *p);
                if (!p) {
                    sqlite3_reset(s);
                    rc = radar_error_set(RADAR_ENOMEM, "out of memory");
                    goto done;
                }
                touched = p;
                cap_touched = nc;
            }
            touched[n_touched++] = sqlite3_column_int64(s, 0);
            /* the players an update takes mentions from: their scores change too */
            if ((rc = store_touch_player(st, sqlite3_column_int64(s, 1)))) {
                sqlite3_reset(s);
                goto done;
            }
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        for (int q = Q_DELETE_MENTIONS; q <= Q_DELETE_FACTS; q++) {
            sqlite3_bind_int64(st->stmt[q], 1, rowid);
            if ((rc = store_step_done(st, st->stmt[q], "removing an old extraction")))
                goto done;
        }
        sqlite3_bind_int64(st->stmt[Q_FTS_DELETE], 1, rowid);
        if ((rc = store_step_done(st, st->stmt[Q_FTS_DELETE], "updating the search index")))
            goto done;
        s = st->stmt[Q_UPDATE_ARTICLE];
        sqlite3_bind_int64(s, 1, rowid);
    } else {
        s = st->stmt[Q_INSERT_ARTICLE];
        store_bind_text(s, 1, a->id);
    }
    store_bind_text(s, 2, a->date);
    store_bind_text(s, 3, a->source);
    store_bind_text(s, 4, a->url);
    store_bind_text(s, 5, a->title);
    sqlite3_bind_text(s, 6, a->body, (int)a->body_len, SQLITE_TRANSIENT);
    store_bind_text(s, 7, hash);
    if ((rc = store_step_done(st, s, "storing an article")))
        goto done;
    if (*result == RADAR_PUT_NEW)
        rowid = sqlite3_last_insert_rowid(st->db);
    s = st->stmt[Q_FTS_INSERT];
    sqlite3_bind_int64(s, 1, rowid);
    store_bind_text(s, 2, a->title);
    sqlite3_bind_text(s, 3, a->body, (int)a->body_len, SQLITE_TRANSIENT);
    if ((rc = store_step_done(st, s, "indexing an article")))
        goto done;
    if ((rc = web_after_article(st, a, tp, rowid, *result == RADAR_PUT_UPDATED, &origin)))
        goto done;

    /* rumours -> mentions, linked to players and stories */
    for (size_t i = 0; i < doc->n_rumours; i++) {
        const radar_rumour *r = &doc->rumours[i];
        int age = age_of(doc, r->player);
        int birth_year = age && a->date ? atoi(a->date) - age : 0;
        long long player = 0, story = 0;
        if ((rc = link_player(st, r->player, birth_year, r->from_club, &player)) ||
            (rc = store_touch_player(st, player)))
            goto done;
        s = st->stmt[Q_STORY_ID];
        sqlite3_bind_int64(s, 1, player);
        store_bind_text(s, 2, r->to_club);
        if (sqlite3_step(s) == SQLITE_ROW)
            story = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (!story) { /* a new story */
            s = st->stmt[Q_INSERT_STORY];
            sqlite3_bind_int64(s, 1, player);
            store_bind_text(s, 2, r->to_club);
            if ((rc = store_step_done(st, s, "adding a story")))
                goto done;
            story = sqlite3_last_insert_rowid(st->db);
            st->new_stories++;
        }
        radar_buf_reset(&js);
        radar_buf_reset(&js2);
        if ((rc = span_json(&js, r->evidence, r->n_evidence)) ||
            (rc = strings_json(&js2, r->suitors_also, r->n_suitors_also)))
            goto done;
        s = st->stmt[Q_INSERT_MENTION];
        sqlite3_bind_int64(s, 1, rowid);
        sqlite3_bind_int64(s, 2, story);
        sqlite3_bind_int64(s, 3, player);
        store_bind_text(s, 4, r->player);
        store_bind_text(s, 5, r->to_club);
        store_bind_text(s, 6, r->from_club);
        store_bind_text(s, 7, radar_stage_name(r->stage));
        store_bind_text(s, 8, a->date);
        if (r->has_fee) {
            sqlite3_bind_double(s, 9, r->fee.amount);
            sqlite3_bind_double(s, 10, r->fee.amount_max);
            store_bind_text(s, 11, r->fee.currency);
            store_bind_text(s, 12, radar_fee_kind_name(r->fee.kind));
            double eur = to_eur(r->fee.amount, r->fee.currency, a->date);
            if (!isnan(eur))
                sqlite3_bind_double(s, 13, round(eur));
        }
        store_bind_text(s, 14, js.data);
        store_bind_text(s, 15, js2.data);
        if (age)
            sqlite3_bind_int(s, 16, age);
        if ((rc = store_step_done(st, s, "storing a mention")))
            goto done;
        long long mention = sqlite3_last_insert_rowid(st->db);
        if (a->source) { /* the outlet that published the article */
            s = st->stmt[Q_INSERT_SOURCE];
            sqlite3_bind_int64(s, 1, mention);
            store_bind_text(s, 2, a->source);
            store_bind_text(s, 3, "publisher");
            sqlite3_bind_int(s, 4, 0);
            if ((rc = store_step_done(st, s, "storing a source")))
                goto done;
        }
        for (size_t k = 0; k < r->n_sources; k++) {
            s = st->stmt[Q_INSERT_SOURCE];
            sqlite3_bind_int64(s, 1, mention);
            store_bind_text(s, 2, r->sources[k]);
            const char *kind = "outlet";
            for (size_t f = 0; f < doc->n_facts; f++)
                if (doc->facts[f].type == RADAR_FACT_SOURCE && !strcmp(doc->facts[f].value, r->sources[k]))
                    kind = doc->facts[f].detail;
            store_bind_text(s, 3, kind);
            sqlite3_bind_int(s, 4, is_cited(a, r->sources[k]));
            if ((rc = store_step_done(st, s, "storing a source")))
                goto done;
        }
        if (origin && (rc = web_cite_origin(st, mention, origin)))
            goto done;
        if (n_touched == cap_touched) {
            size_t nc = cap_touched ? cap_touched * 2 : 16;
            long long *p = realloc(touched, nc * sizeof *p);
            if (!p) {
                rc = radar_error_set(RADAR_ENOMEM, "out of memory");
                goto done;
            }
            touched = p;
            cap_touched = nc;
        }
        touched[n_touched++] = story;
    }
    /* facts */
    for (size_t i = 0; i < doc->n_facts; i++) {
        const radar_fact *f = &doc->facts[i];
        if (f->type == RADAR_FACT_QUOTE || f->type == RADAR_FACT_SOURCE)
            continue; /* quotes live in the article text; sources in mention_sources */
        s = st->stmt[Q_INSERT_FACT];
        sqlite3_bind_int64(s, 1, rowid);
        store_bind_text(s, 2, radar_fact_type_name(f->type));
        store_bind_text(s, 3, f->subject);
        store_bind_text(s, 4, f->value);
        store_bind_text(s, 5, f->detail);
        sqlite3_bind_int(s, 6, (int)f->span.start);
        sqlite3_bind_int(s, 7, (int)f->span.end);
        store_bind_text(s, 8, a->date);
        if ((rc = store_step_done(st, s, "storing a fact")))
            goto done;
    }
    for (size_t i = 0; i < n_touched && !rc; i++)
        rc = mark_dirty(st, touched[i]);
done:
    free(touched);
    free(origin);
    radar_buf_free(&js);
    radar_buf_free(&js2);
    return rc;
}

int radar_store_counts(radar_store *st, long long *articles, long long *mentions, long long *stories)
{
    static const char *const sql[3] = {"SELECT count(*) FROM articles", "SELECT count(*) FROM mentions",
                                       "SELECT count(*) FROM stories"};
    long long *out[3] = {articles, mentions, stories};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *s;
        int rc = sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL);
        if (rc != SQLITE_OK)
            return store_db_error(st, rc, "counting");
        *out[i] = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_finalize(s);
    }
    return 0;
}

/* ---- questions ---------------------------------------------------------------- */

/* The first lexicon alias of one of `kinds` that a typed name matches whole,
 * or LEX_NONE. Aliases need a capital to match, as in text; a typed name
 * need not have one ("internazionale", "dailymail.co.uk"). */
static uint32_t lookup_typed(const radar_store *st, const char *name, unsigned kinds)
{
    uint32_t head = LEX_NONE;
    if (!st->lex || !name)
        return head;
    char upper[256];
    snprintf(upper, sizeof upper, "%s", name);
    for (size_t i = 0; upper[i]; i++)
        if ((i == 0 || upper[i - 1] == ' ' || upper[i - 1] == '-') && upper[i] >= 'a' && upper[i] <= 'z')
            upper[i] = (char)(upper[i] - 32);
    radar_tokens t = {0};
    if (radar_tokenize(&t, upper, strlen(upper)) == 0 && t.n && lex_match(st->lex, &t, 0, t.n, kinds, &head) != t.n)
        head = LEX_NONE;
    radar_tokens_free(&t);
    return head;
}

/* The club name a user typed, as the lexicon's canonical name when it knows
 * it ("Inter", "internazionale" -> "Inter Milan"); else as typed. */
const char *store_canonical_club(const radar_store *st, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", name);
    /* prefer an unambiguous alias; else the first club listed */
    for (uint32_t a = lookup_typed(st, name, 1u << RADAR_KIND_CLUB); a != LEX_NONE; a = st->lex->aliases[a].next) {
        const lex_entry *e = &st->lex->entries[st->lex->aliases[a].entry];
        if (e->kind == RADAR_KIND_CLUB) {
            snprintf(buf, cap, "%s", e->canonical);
            if (!st->lex->aliases[a].ambiguous)
                break;
        }
    }
    return buf;
}

/* Status of a story as of the newest article in the store. */
static const char *story_status(long last_day, long newest_day, int silence_days)
{
    if (silence_days >= RESURFACE_DAYS)
        return "resurfaced";
    if (last_day >= 0 && newest_day >= 0 && newest_day - last_day > DORMANT_DAYS)
        return "dormant";
    return "active";
}

/* YYYY-MM-DD for a day number (days since 1970-01-01). */
void store_civil_date(long day, char out[64])
{
    long z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 64, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

long store_newest_day(radar_store *st)
{
    sqlite3_stmt *s;
    long d = -1;
    if (sqlite3_prepare_v2(st->db, "SELECT max(date) FROM articles", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
            d = store_day_number((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    return d;
}

/* A JSON string from bytes that may hold invalid UTF-8 (bodies are stored as
 * read, with a warning): invalid bytes become U+FFFD. */
static json_t *text_json(const char *p, size_t n)
{
    json_t *j = json_stringn(p, n);
    if (j)
        return j;
    radar_buf b = RADAR_BUF_INIT;
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t m = radar_utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && m == 1)
            radar_buf_append(&b, "\xEF\xBF\xBD", 3);
        else if (cp == 0)
            radar_buf_putc(&b, ' ');
        else
            radar_buf_append(&b, p + i, m);
        i += m;
    }
    j = json_stringn(b.data ? b.data : "", b.len);
    radar_buf_free(&b);
    return j ? j : json_string("");
}

json_t *store_col_json(sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(s, i));
    case SQLITE_TEXT:
        return text_json((const char *)sqlite3_column_text(s, i), (size_t)sqlite3_column_bytes(s, i));
    default:
        return json_null();
    }
}

/* "4 years 9 months" for a silence of `days`. */
static json_t *silence_text(int days)
{
    char buf[64];
    int years = days / 365, months = (days % 365) / 30;
    if (years && months)
        snprintf(buf, sizeof buf, "%d year%s %d month%s", years, years == 1 ? "" : "s", months, months == 1 ? "" : "s");
    else if (years)
        snprintf(buf, sizeof buf, "%d year%s", years, years == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "%d month%s", months, months == 1 ? "" : "s");
    return json_string(buf);
}

#define STORY_COLUMNS                                                                                             \
    "s.id, p.name, s.to_club, s.from_club, s.first_seen, s.last_seen, s.n_mentions, s.max_stage, s.silence_days, " \
    "s.n_sources, s.n_independent, s.heat, s.player, s.last_stage, s.likelihood, s.outcome"

static json_t *story_row(sqlite3_stmt *s, long newest)
{
    json_t *o = json_object();
    static const char *const names[] = {"id",        "player",     "to_club", "from_club", "first_seen",
                                        "last_seen", "mentions",   "stage",   "silence_days", "sources",
                                        "independent_sources", "heat", "player_id", "latest_stage",
                                        "likelihood", "outcome"};
    for (int i = 0; i < 16; i++)
        json_object_set_new(o, names[i], store_col_json(s, i));
    const char *last = (const char *)sqlite3_column_text(s, 5);
    int silence = sqlite3_column_int(s, 8);
    json_object_set_new(o, "status", json_string(story_status(store_day_number(last), newest, silence)));
    if (silence >= RESURFACE_DAYS)
        json_object_set_new(o, "resurfaced_after", silence_text(silence));
    return o;
}

static int prepare_ok(radar_store *st, const char *sql, sqlite3_stmt **s)
{
    return sqlite3_prepare_v2(st->db, sql, -1, s, NULL) == SQLITE_OK;
}

int store_cached(radar_store *st, const char *sql, sqlite3_stmt **s)
{
    size_t n = sizeof st->cache / sizeof *st->cache, i;
    for (i = 0; i < n && st->cache[i].sql; i++)
        if (st->cache[i].sql == sql) {
            *s = st->cache[i].stmt;
            sqlite3_reset(*s);
            sqlite3_clear_bindings(*s);
            return 0;
        }
    if (i == n)
        return radar_error_set(RADAR_EINVALID, "store statement cache full");
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
    if (rc != SQLITE_OK)
        return store_db_error(st, rc, "preparing a query");
    st->cache[i].sql = sql;
    st->cache[i].stmt = *s;
    return 0;
}

int store_prepare(radar_store *st, const char *sql, sqlite3_stmt **s)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? 0 : store_db_error(st, rc, "preparing a query");
}

/* Does the database keep its counts in `meta` (schema 3 and later)? */
static int has_meta(radar_store *st)
{
    sqlite3_stmt *s;
    int yes = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", -1, &s,
                           NULL) == SQLITE_OK) {
        yes = sqlite3_step(s) == SQLITE_ROW;
        sqlite3_finalize(s);
    }
    return yes;
}

int radar_store_stories(radar_store *st, const radar_story_filter *f, json_t **out)
{
    char club[256], sql[4096], where[1024] = "1";
    const char *clubname = f->club ? store_canonical_club(st, f->club, club, sizeof club) : NULL;
    /* each filter is an index look-up: the club through the to/from indexes,
     * the player through the surname index (?5: the typed name's last word) */
    char club_clause[160] = "";
    if (clubname)
        snprintf(club_clause, sizeof club_clause,
                 " AND s.id IN (SELECT id FROM stories WHERE to_club = ?1 UNION ALL "
                 "SELECT id FROM stories WHERE from_club = ?1)");
    if (f->player)
        strcat(where, " AND s.player IN (SELECT id FROM players WHERE surname = ?5 AND (key = ?2 OR surname = ?2 OR "
                      "instr(' ' || key, ' ' || ?2) > 0))");
    if (f->since)
        strcat(where, " AND s.last_seen >= ?3");
    if (f->stage)
        strcat(where, " AND s.max_stage = ?4");
    if (f->source) /* through the index on source names */
        strcat(where, " AND s.id IN (SELECT m.story FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                      "WHERE x.name = ?6)");
    const char *order = "s.heat DESC, s.last_seen DESC, s.id DESC";
    if (f->sort && !strcmp(f->sort, "recent"))
        order = "s.last_seen DESC, s.id DESC";
    else if (f->sort && !strcmp(f->sort, "first"))
        order = "s.first_seen IS NULL, s.first_seen, s.id";
    else if (f->sort && !strcmp(f->sort, "likelihood"))
        order = "s.likelihood DESC, s.last_seen DESC, s.id DESC"; /* the index, backwards; NULLs last */
    else if (f->sort && strcmp(f->sort, "hot"))
        return radar_error_set(RADAR_EINVALID, "unknown sort '%s' (hot, recent, first or likelihood)", f->sort);
    int limit = f->limit > 0 ? f->limit : 50;
    int offset = f->offset > 0 ? f->offset : 0;
    if (clubname && (!f->sort || strcmp(f->sort, "first"))) {
        /* a club's board: walk the (club, heat) or (club, last_seen) indexes of
         * buyers and sellers in order and stop after limit + offset rows each,
         * instead of sorting every story the club was ever named in */
        const char *ord = f->sort && !strcmp(f->sort, "recent")       ? "last_seen DESC"
                          : f->sort && !strcmp(f->sort, "likelihood") ? "likelihood DESC, last_seen DESC"
                                                                      : "heat DESC, last_seen DESC";
        char inner[1024];
        snprintf(inner, sizeof inner, "%s", where);
        snprintf(sql, sizeof sql,
                 "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.id IN ("
                 "SELECT id FROM (SELECT s.id FROM stories s WHERE s.to_club = ?1 AND %s ORDER BY %s LIMIT %d) "
                 "UNION SELECT id FROM (SELECT s.id FROM stories s WHERE s.from_club = ?1 AND %s ORDER BY %s LIMIT %d)) "
                 "ORDER BY %s LIMIT %d OFFSET %d",
                 inner, ord, limit + offset, inner, ord, limit + offset, order, limit, offset);
    } else {
        snprintf(sql, sizeof sql,
                 "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE %s%s ORDER BY %s "
                 "LIMIT %d OFFSET %d",
                 where, club_clause, order, limit, offset);
    }
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql, &s);
    if (rc)
        return rc;
    char pkey[256] = "";
    if (f->player)
        store_name_key(f->player, pkey, sizeof pkey);
    if (clubname)
        store_bind_text(s, 1, clubname);
    if (f->player) {
        store_bind_text(s, 2, pkey);
        store_bind_text(s, 5, store_last_word(pkey));
    }
    store_bind_text(s, 3, f->since);
    store_bind_text(s, 4, f->stage);
    store_bind_text(s, 6, f->source);
    long newest = store_newest_day(st);
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, story_row(s, newest));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return store_db_error(st, rc, "listing stories");
    }
    /* total matching, for pagination (index counts when a club is given) */
    if (clubname)
        snprintf(sql, sizeof sql,
                 /* no story goes to the club it comes from: the two counts are disjoint */
                 "SELECT (SELECT count(*) FROM stories s WHERE s.to_club = ?1 AND %s) + (SELECT count(*) FROM "
                 "stories s WHERE s.from_club = ?1 AND %s)",
                 where, where);
    else if (!strcmp(where, "1") && has_meta(st))
        snprintf(sql, sizeof sql, "SELECT value FROM meta WHERE key = 'stories'");
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM stories s WHERE %s", where);
    long long total = 0;
    if (store_prepare(st, sql, &s) == 0) {
        if (clubname)
            store_bind_text(s, 1, clubname);
        if (f->player) {
            store_bind_text(s, 2, pkey);
            store_bind_text(s, 5, store_last_word(pkey));
        }
        store_bind_text(s, 3, f->since);
        store_bind_text(s, 4, f->stage);
        store_bind_text(s, 6, f->source);
        if (sqlite3_step(s) == SQLITE_ROW)
            total = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    *out = json_pack("{s:o, s:I, s:i, s:i}", "stories", list, "total", (json_int_t)total, "limit", limit, "offset",
                     f->offset > 0 ? f->offset : 0);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* The mentions of a story, each with its article's evidence sentences quoted. */
static json_t *story_timeline(radar_store *st, long long story, int *rc_out)
{
    sqlite3_stmt *s;
    *rc_out = store_prepare(st,
                      "SELECT m.id, m.date, a.id, a.source, a.title, a.url, m.stage, m.from_club, m.fee_amount, "
                      "m.fee_max, m.fee_currency, m.fee_kind, m.fee_eur, m.evidence, m.suitors, m.age, a.body, "
                      "m.player_name FROM mentions m JOIN articles a ON a.rowid = m.article WHERE m.story = ?1 "
                      "ORDER BY m.date IS NULL, m.date, m.id",
                      &s);
    if (*rc_out)
        return NULL;
    sqlite3_bind_int64(s, 1, story);
    json_t *list = json_array();
    sqlite3_stmt *src = NULL;
    store_prepare(st, "SELECT name, kind, cited FROM mention_sources WHERE mention = ?1 ORDER BY name", &src);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *m = json_object();
        json_object_set_new(m, "date", store_col_json(s, 1));
        json_object_set_new(m, "article", store_col_json(s, 2));
        json_object_set_new(m, "published_by", store_col_json(s, 3));
        json_object_set_new(m, "title", store_col_json(s, 4));
        json_object_set_new(m, "url", store_col_json(s, 5));
        json_object_set_new(m, "stage", store_col_json(s, 6));
        json_object_set_new(m, "from_club", store_col_json(s, 7));
        json_object_set_new(m, "player_as_written", store_col_json(s, 17));
        if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
            json_t *fee = json_object();
            json_object_set_new(fee, "amount", store_col_json(s, 8));
            if (sqlite3_column_double(s, 9) > sqlite3_column_double(s, 8))
                json_object_set_new(fee, "amount_max", store_col_json(s, 9));
            json_object_set_new(fee, "currency", store_col_json(s, 10));
            json_object_set_new(fee, "kind", store_col_json(s, 11));
            json_object_set_new(fee, "eur", store_col_json(s, 12));
            json_object_set_new(m, "fee", fee);
        } else {
            json_object_set_new(m, "fee", json_null());
        }
        json_object_set_new(m, "age", store_col_json(s, 15));
        json_t *sugg = json_loads((const char *)sqlite3_column_text(s, 14), 0, NULL);
        json_object_set_new(m, "suitors_also", sugg ? sugg : json_array());
        /* evidence: the spans and the sentences they cover */
        json_t *spans = json_loads((const char *)sqlite3_column_text(s, 13), 0, NULL);
        const char *body = (const char *)sqlite3_column_text(s, 16);
        size_t body_len = (size_t)sqlite3_column_bytes(s, 16);
        json_t *ev = json_array();
        size_t k;
        json_t *sp;
        json_array_foreach(spans, k, sp)
        {
            json_int_t a = json_integer_value(json_array_get(sp, 0)), b = json_integer_value(json_array_get(sp, 1));
            if (a < 0 || b < a || (size_t)b > body_len)
                continue;
            json_array_append_new(ev, json_pack("{s:[I,I], s:o}", "span", a, b, "text", text_json(body + a, (size_t)(b - a))));
        }
        json_decref(spans);
        json_object_set_new(m, "evidence", ev);
        json_t *sources = json_array();
        if (src) {
            sqlite3_bind_int64(src, 1, sqlite3_column_int64(s, 0));
            while (sqlite3_step(src) == SQLITE_ROW)
                json_array_append_new(sources, json_pack("{s:o, s:o, s:b}", "name", store_col_json(src, 0), "kind",
                                                         store_col_json(src, 1), "cited", sqlite3_column_int(src, 2)));
            sqlite3_reset(src);
        }
        json_object_set_new(m, "sources", sources);
        json_array_append_new(list, m);
    }
    sqlite3_finalize(src);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        *rc_out = store_db_error(st, rc, "reading a story");
        return NULL;
    }
    return list;
}

int radar_store_story(radar_store *st, long long id, json_t **out)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.id = ?1",
                     &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? radar_error_set(RADAR_ENOTFOUND, "no story %lld", id)
                                 : store_db_error(st, rc, "reading a story");
    }
    long newest = store_newest_day(st);
    json_t *story = story_row(s, newest);
    sqlite3_finalize(s);
    json_t *timeline = story_timeline(st, id, &rc);
    if (!timeline) {
        json_decref(story);
        return rc;
    }
    json_object_set_new(story, "timeline", timeline);
    /* the other clubs after the same player */
    if (store_prepare(st, "SELECT to_club FROM stories WHERE player = ?1 AND id != ?2 ORDER BY last_seen DESC", &s) == 0) {
        sqlite3_bind_int64(s, 1, json_integer_value(json_object_get(story, "player_id")));
        sqlite3_bind_int64(s, 2, id);
        json_t *rivals = json_array();
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(rivals, store_col_json(s, 0));
        sqlite3_finalize(s);
        json_object_set_new(story, "rival_suitors", rivals);
    }
    /* the likelihood with each factor, and how earlier episodes ended */
    radar_likelihood l;
    char as_of[64] = "";
    if (newest >= 0)
        store_civil_date(newest, as_of);
    if ((rc = radar_store_story_likelihood(st, id, as_of[0] ? as_of : NULL, &l, NULL))) {
        json_decref(story);
        return rc;
    }
    json_object_set_new(story, "likelihood", store_likelihood_json(&l, as_of[0] ? as_of : NULL));
    json_t *res = json_array();
    if (prepare_ok(st, "SELECT outcome, ended, how FROM resolutions WHERE story = ?1 ORDER BY ended", &s)) {
        sqlite3_bind_int64(s, 1, id);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(res, json_pack("{s:o, s:o, s:o}", "outcome", store_col_json(s, 0), "on",
                                                 store_col_json(s, 1), "how", store_col_json(s, 2)));
        sqlite3_finalize(s);
    }
    json_object_set_new(story, "resolutions", res);
    *out = story;
    return 0;
}

int radar_store_player(radar_store *st, const char *name, json_t **out)
{
    char key[256];
    store_name_key(name, key, sizeof key);
    sqlite3_stmt *s;
    int rc = store_prepare(st,
                     "SELECT id, name, birth_year, club FROM players WHERE key = ?1 OR surname = ?1 OR key LIKE "
                     "'% ' || ?1 ORDER BY (key = ?1) DESC, id LIMIT 20",
                     &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, key);
    json_t *players = json_array();
    long newest = store_newest_day(st);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long pid = sqlite3_column_int64(s, 0);
        json_t *p = json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)pid, "name", store_col_json(s, 1), "birth_year",
                              store_col_json(s, 2), "club", store_col_json(s, 3));
        sqlite3_stmt *q;
        json_t *stories = json_array();
        if (store_prepare(st,
                    "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.player = ?1 "
                    "ORDER BY s.last_seen DESC",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(stories, story_row(q, newest));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "stories", stories);
        json_t *ages = json_array();
        if (store_prepare(st, "SELECT DISTINCT date, age FROM mentions WHERE player = ?1 AND age IS NOT NULL ORDER BY date",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(ages, json_pack("{s:o, s:o}", "date", store_col_json(q, 0), "age", store_col_json(q, 1)));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "ages", ages);
        json_t *facts = json_array();
        if (store_prepare(st,
                    "SELECT f.type, f.value, f.detail, f.date, a.id FROM facts f JOIN articles a ON a.rowid = "
                    "f.article WHERE f.type != 'age' AND f.subject IN (SELECT DISTINCT player_name FROM mentions "
                    "WHERE player = ?1 UNION SELECT name FROM players WHERE id = ?1) ORDER BY f.date, f.id",
                    &q) == 0) {
            sqlite3_bind_int64(q, 1, pid);
            while (sqlite3_step(q) == SQLITE_ROW)
                json_array_append_new(facts, json_pack("{s:o, s:o, s:o, s:o, s:o}", "type", store_col_json(q, 0), "value",
                                                       store_col_json(q, 1), "detail", store_col_json(q, 2), "date",
                                                       store_col_json(q, 3), "article", store_col_json(q, 4)));
            sqlite3_finalize(q);
        }
        json_object_set_new(p, "facts", facts);
        json_array_append_new(players, p);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(players);
        return store_db_error(st, rc, "looking up players");
    }
    if (json_array_size(players) == 0) {
        json_decref(players);
        return radar_error_set(RADAR_ENOTFOUND, "no player called '%s' in the store", name);
    }
    *out = json_pack("{s:s, s:o}", "query", name, "players", players);
    return 0;
}

int radar_store_club(radar_store *st, const char *name, json_t **out)
{
    char club[256];
    const char *c = store_canonical_club(st, name, club, sizeof club);
    long newest = store_newest_day(st);
    json_t *in = json_array(), *outs = json_array(), *facts = json_array();
    const char *sql[2] = {
        "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.to_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC LIMIT 200",
        "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player WHERE s.from_club = ?1 "
        "ORDER BY s.heat DESC, s.last_seen DESC LIMIT 200"};
    json_t *lists[2] = {in, outs};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        sqlite3_stmt *s;
        if ((rc = store_prepare(st, sql[i], &s)))
            break;
        store_bind_text(s, 1, c);
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW)
            json_array_append_new(lists[i], story_row(s, newest));
        sqlite3_finalize(s);
        if (r != SQLITE_DONE)
            rc = store_db_error(st, r, "listing a club's stories");
    }
    sqlite3_stmt *s;
    if (!rc && (rc = store_prepare(st,
                             "SELECT f.type, f.subject, f.value, f.detail, f.date, a.id FROM facts f JOIN articles a "
                             "ON a.rowid = f.article WHERE f.id IN (SELECT id FROM facts WHERE subject = ?1 UNION "
                             "SELECT f2.id FROM players p JOIN facts f2 ON f2.subject = p.name WHERE p.club = ?1 AND "
                             "f2.type IN ('contract','injury')) ORDER BY f.date DESC, f.id LIMIT 200",
                             &s)) == 0) {
        store_bind_text(s, 1, c);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(facts, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "type", store_col_json(s, 0),
                                                   "subject", store_col_json(s, 1), "value", store_col_json(s, 2), "detail",
                                                   store_col_json(s, 3), "date", store_col_json(s, 4), "article", store_col_json(s, 5)));
        sqlite3_finalize(s);
    }
    if (rc) {
        json_decref(in);
        json_decref(outs);
        json_decref(facts);
        return rc;
    }
    *out = json_pack("{s:s, s:o, s:o, s:o}", "club", c, "linked_in", in, "linked_out", outs, "facts", facts);
    return 0;
}

int radar_store_article(radar_store *st, const char *id, json_t **out)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT id, date, source, title, url, body FROM articles WHERE id = ?1", &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? radar_error_set(RADAR_ENOTFOUND, "no article '%.200s'", id)
                                 : store_db_error(st, rc, "reading an article");
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", store_col_json(s, 0), "date", store_col_json(s, 1), "source",
                     store_col_json(s, 2), "title", store_col_json(s, 3), "url", store_col_json(s, 4), "body", store_col_json(s, 5));
    sqlite3_finalize(s);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

/* ---- search: a query's cost is bounded before and while it runs ---- */

/* FTS5's bareword characters: ASCII letters, digits, '_', 0x1A and every
 * byte of a multibyte UTF-8 sequence. */
static int search_bareword(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == 0x1A;
}

/* The words of q[0..len) as the unicode61 tokenizer splits them (runs of
 * letters and digits): adds their number to *words and sets *last to the
 * letters of the last one (left alone when there is none). */
static void search_words(const char *q, size_t len, int *words, size_t *last)
{
    size_t i = 0, run = 0;
    while (i < len) {
        int32_t cp;
        i += radar_utf8_decode((const unsigned char *)q + i, len - i, &cp);
        if (radar_cp_is_letter(cp) || radar_cp_is_digit(cp)) {
            if (run++ == 0)
                (*words)++;
            *last = run;
        } else {
            run = 0;
        }
    }
}

static int search_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Refuse, before it runs, a query over the limits of limits.h: read as FTS5
 * reads it, counting the words of bare terms and "phrases" (keywords, column
 * names and NEAR's distance are no words) and the letters of the word before
 * each '*'. What is not FTS5 syntax is left for FTS5 to refuse. */
static int search_check(const char *q)
{
    int words = 0, braces = 0, comma = 0, phrase = 0; /* phrase: a '*' now ends one */
    size_t last = 0;
    const char *p = q;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (search_space(c)) {
            p++;
            continue;
        }
        if (c == '*') {
            if (phrase && last < RADAR_MIN_SEARCH_PREFIX)
                return radar_error_set(RADAR_EINVALID,
                                       "search: a prefix term needs at least %d letters before its '*' (such as "
                                       "'tra*'): shorter ones match too many words",
                                       RADAR_MIN_SEARCH_PREFIX);
            phrase = 0;
            p++;
        } else if (c == '"') { /* a phrase; "" inside it is a quote */
            const char *start = ++p;
            while (*p && !(p[0] == '"' && p[1] != '"'))
                p += p[0] == '"' ? 2 : 1;
            last = 0;
            search_words(start, (size_t)(p - start), &words, &last);
            phrase = 1;
            comma = 0;
            if (*p)
                p++;
        } else if (search_bareword(c)) {
            const char *start = p;
            while (*p && search_bareword((unsigned char)*p))
                p++;
            size_t n = (size_t)(p - start);
            const char *next = p;
            while (search_space((unsigned char)*next))
                next++;
            int keyword = (n == 3 && (!memcmp(start, "AND", 3) || !memcmp(start, "NOT", 3))) ||
                          (n == 2 && !memcmp(start, "OR", 2)) || (n == 4 && !memcmp(start, "NEAR", 4) && *next == '(');
            phrase = 0;
            if (!keyword && !comma && !braces && *next != ':') { /* not a column name nor NEAR's distance */
                last = 0;
                search_words(start, n, &words, &last);
                phrase = 1;
            }
            comma = 0;
        } else {
            braces = c == '{' ? 1 : c == '}' ? 0 : braces;
            comma = c == ',';
            phrase = 0;
            p++;
        }
        if (words > RADAR_MAX_SEARCH_TERMS)
            return radar_error_set(RADAR_EINVALID, "search: a query may have at most %d words", RADAR_MAX_SEARCH_TERMS);
    }
    return 0;
}

/* The search's deadline, checked by SQLite every SEARCH_PROGRESS_OPS steps
 * of a statement's virtual machine. FTS5 runs small statements of its own
 * while it merges the postings of a prefix term, so the check comes within
 * milliseconds there too; with a larger count those statements never reach
 * it (each counts its own steps), and a merge of many prefixes ran to its
 * end. */
#define SEARCH_PROGRESS_OPS 100
typedef struct search_deadline {
    struct timespec end;
    int hit;
} search_deadline;

static int search_progress(void *ctx)
{
    search_deadline *d = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > d->end.tv_sec || (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec))
        d->hit = 1;
    return d->hit;
}

int radar_store_search_within(radar_store *st, const char *query, int limit, int ms, json_t **out)
{
    *out = NULL;
    int rc = search_check(query);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    rc = store_prepare(st,
                       "SELECT a.id, a.date, a.source, a.title, snippet(articles_fts, 1, '[', ']', '...', 16) FROM "
                       "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?1 ORDER "
                       "BY articles_fts.rowid DESC LIMIT ?2",
                       &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, query);
    sqlite3_bind_int(s, 2, limit > 0 ? limit : 20);
    search_deadline d = {.hit = 0};
    clock_gettime(CLOCK_MONOTONIC, &d.end);
    ms = ms > 0 ? ms : 0;
    d.end.tv_sec += ms / 1000;
    d.end.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d.end.tv_nsec >= 1000000000L)
        d.end.tv_sec++, d.end.tv_nsec -= 1000000000L;
    sqlite3_progress_handler(st->db, SEARCH_PROGRESS_OPS, search_progress, &d);
    json_t *hits = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(hits, json_pack("{s:o, s:o, s:o, s:o, s:o}", "article", store_col_json(s, 0), "date",
                                              store_col_json(s, 1), "source", store_col_json(s, 2), "title", store_col_json(s, 3),
                                              "snippet", store_col_json(s, 4)));
    sqlite3_progress_handler(st->db, 0, NULL, NULL); /* the connection's other questions run unbounded */
    if (rc != SQLITE_DONE) {
        json_decref(hits);
        if (d.hit) {
            sqlite3_finalize(s);
            return radar_error_set(RADAR_ETOOLARGE, "search: stopped after %d ms, the time a search may take; "
                                   "ask for fewer words, or longer ones", ms);
        }
        if ((rc & 0xFF) == SQLITE_ERROR) {
            rc = radar_error_set(RADAR_EINVALID, "search: cannot understand '%s' (%s); put phrases in quotes",
                                 query, sqlite3_errmsg(st->db));
            sqlite3_finalize(s);
            return rc;
        }
        rc = store_db_error(st, rc, "searching");
        sqlite3_finalize(s);
        return rc;
    }
    sqlite3_finalize(s);
    *out = json_pack("{s:s, s:o}", "query", query, "hits", hits);
    return 0;
}

int radar_store_search(radar_store *st, const char *query, int limit, json_t **out)
{
    return radar_store_search_within(st, query, limit, RADAR_MAX_SEARCH_MS, out);
}

int store_source_tier(const radar_store *st, const char *name)
{
    int tier = 0;
    uint32_t a = lookup_typed(st, name, (1u << RADAR_KIND_OUTLET) | (1u << RADAR_KIND_JOURNALIST));
    for (; a != LEX_NONE && !tier; a = st->lex->aliases[a].next)
        tier = st->lex->entries[st->lex->aliases[a].entry].tier;
    return tier;
}

int radar_store_sources(radar_store *st, json_t **out)
{
    /* the records kept by the last rescore; a store never rescored (an
     * older schema read as it is) is counted from its mentions */
    sqlite3_stmt *s;
    int rc, recorded = 0;
    if (prepare_ok(st, "SELECT EXISTS (SELECT 1 FROM source_stats)", &s)) {
        recorded = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    if (recorded) {
        if ((rc = store_prepare(st, "SELECT " STORE_RECORD_COLUMNS " FROM source_stats ORDER BY mentions DESC, name "
                                    "LIMIT 1000", &s)))
            return rc;
    } else if ((rc = store_prepare(st,
                                   "SELECT name, kind, NULL, count(*), count(DISTINCT m.story), sum(cited), 0, 0, 0, "
                                   "NULL, NULL, NULL FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                                   "GROUP BY name ORDER BY count(*) DESC, name LIMIT 1000",
                                   &s))) {
        return rc;
    }
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, store_record_json(st, s));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return store_db_error(st, rc, "listing sources");
    }
    *out = json_pack("{s:o}", "sources", list);
    return 0;
}

int radar_store_export(radar_store *st, json_t **out)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT " STORY_COLUMNS " FROM stories s JOIN players p ON p.id = s.player ORDER BY s.id", &s);
    if (rc)
        return rc;
    long newest = store_newest_day(st);
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *story = story_row(s, newest);
        int trc;
        json_t *timeline = story_timeline(st, sqlite3_column_int64(s, 0), &trc);
        json_object_set_new(story, "timeline", timeline ? timeline : json_array());
        json_array_append_new(list, story);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return store_db_error(st, rc, "exporting");
    }
    *out = json_pack("{s:o}", "stories", list);
    return 0;
}

/* ---- feeds and syndication (schema 5) ---------------------------------------
 *
 * A feed's subscription and HTTP state live in `feeds`. A story syndicated by
 * a second outlet (the same text, give or take a headline or a sentence) is
 * a citation of the first: its mentions cite the first copy's origin, so the
 * story's independent sources do not grow (update_story counts a mention
 * by its cited source). The same text byte for byte is already one article
 * (content hash); near-same texts are found by their sketches (syndication.c):
 * one row per sketch hash, indexed, so candidates are a few index seeks.
 */

/* The newest articles (before ?1) holding the hash bound to ?N, after the
 * hash's index in the sketch. */
#define POSTINGS(N) \
    "SELECT " #N " - 2, * FROM (SELECT article FROM article_prints WHERE print = ?" #N " AND article < ?1 ORDER BY " \
    "article DESC LIMIT 16)"
#define POSTINGS_MAX 16
_Static_assert(POSTINGS_KEEP >= POSTINGS_MAX, "the memory keeps as many postings of a hash as the statement reads");
/* The memory for the sketches: 64 MB, those of some 300,000 articles; past
 * that the database answers */
#define PRINTS_KEPT (64u << 20)
static const char *const WEB_SQL[W_COUNT] = {
    [W_SET_AUTHOR] = "INSERT OR REPLACE INTO article_authors(article, author) VALUES (?1, ?2)",
    [W_DELETE_PRINTS] = "DELETE FROM article_prints WHERE article = ?1",
    /* the newest articles holding one hash: bounded however common the shingle */
    /* the newest articles holding each of the eight hashes: one statement */
    [W_PRINT_POSTINGS] = POSTINGS(2) " UNION ALL " POSTINGS(3) " UNION ALL " POSTINGS(4) " UNION ALL " POSTINGS(5)
                         " UNION ALL " POSTINGS(6) " UNION ALL " POSTINGS(7) " UNION ALL " POSTINGS(8)
                         " UNION ALL " POSTINGS(9),
    [W_PRINTS_OF] = "SELECT print FROM article_prints WHERE article = ?1",
    [W_ARTICLE_DATE] = "SELECT date FROM articles WHERE rowid = ?1",
    /* one row a statement: a multi-row insert opens a statement journal,
     * and each one makes FTS5 write out the terms it holds in memory */
    [W_INSERT_PRINT] = "INSERT INTO article_prints(article, print) VALUES (?1, ?2)",
    [W_ORIGIN_CITED] = "SELECT x.name FROM mention_sources x JOIN mentions m ON m.id = x.mention "
                       "WHERE m.article = ?1 AND x.cited = 1 ORDER BY x.name LIMIT 1",
    [W_ORIGIN_PUBLISHER] = "SELECT source FROM articles WHERE rowid = ?1",
    [W_CITE_ORIGIN] = "INSERT OR IGNORE INTO mention_sources(mention, name, kind, cited) VALUES (?1, ?2, 'outlet', 1)",
    [W_HAS_ITEM] = "SELECT 1 FROM articles WHERE id = ?1 UNION ALL SELECT 1 FROM articles WHERE url = ?2 "
                   "UNION ALL SELECT 1 FROM feed_items WHERE key IN (?1, ?2) LIMIT 1",
    [W_NOTE_ITEM] = "INSERT OR IGNORE INTO feed_items(key, article) SELECT ?1, rowid FROM articles WHERE hash = ?2 "
                    "LIMIT 1",
    [W_PRINTS_START] = "SELECT (SELECT max(rowid) FROM articles), EXISTS (SELECT 1 FROM article_prints WHERE article < "
                       "?1), (SELECT data_version FROM pragma_data_version)",
};

static int web_stmt(radar_store *st, int i, sqlite3_stmt **out)
{
    *out = NULL;
    if (!st->web[i]) {
        int rc = sqlite3_prepare_v3(st->db, WEB_SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &st->web[i], NULL);
        if (rc != SQLITE_OK)
            return store_db_error(st, rc, "preparing statements");
    }
    *out = st->web[i];
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Is stored article `cand` a copy of the text of sketch k dated `date`? */
static int web_is_copy(radar_store *st, const uint64_t k[SYNDICATION_SKETCH], const char *date, long long cand,
                       int *yes)
{
    sqlite3_stmt *s;
    int rc;
    *yes = 0;
    if ((rc = web_stmt(st, W_ARTICLE_DATE, &s)))
        return rc;
    sqlite3_bind_int64(s, 1, cand);
    long days = -1, other = -1;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW && date) {
        days = store_day_number(date);
        other = store_day_number((const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, rc, "looking up similar articles");
    if (days >= 0 && other >= 0 && labs(days - other) > SYNDICATION_MAX_DAYS)
        return 0;
    if ((rc = web_stmt(st, W_PRINTS_OF, &s)))
        return rc;
    uint64_t theirs[SYNDICATION_SKETCH];
    size_t n = 0;
    sqlite3_bind_int64(s, 1, cand);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < SYNDICATION_SKETCH)
        theirs[n++] = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, rc, "looking up similar articles");
    qsort(theirs, n, sizeof *theirs, cmp_u64);
    *yes = syndication_shared(k, SYNDICATION_SKETCH, theirs, n) >= SYNDICATION_MIN_SHARED;
    return 0;
}

/* Start keeping the sketches of the articles from `self` on in memory, when
 * `self` is the newest article (its sketch is not stored yet). A store
 * that cannot get the memory asks the database, as before. */
static int web_keep_prints(radar_store *st, long long self)
{
    sqlite3_stmt *s;
    int rc;
    if (st->prints_from || (!st->prints && !(st->prints = postings_new(PRINTS_KEPT))))
        return 0;
    if ((rc = web_stmt(st, W_PRINTS_START, &s)))
        return rc;
    sqlite3_bind_int64(s, 1, self);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_int64(s, 0) == self) {
        st->prints_from = self;
        st->prints_older = sqlite3_column_int(s, 1);
        st->data_version = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "looking up similar articles");
}

/* The first stored text resembling the one of sketch k, stored before `self`,
 * dated within SYNDICATION_MAX_DAYS of `date` (when both are known): its
 * rowid in *out, or 0. A copy holds at least SYNDICATION_MIN_SHARED of the
 * sketch's hashes, so only articles met that often in the hashes' postings
 * (the POSTINGS_MAX newest of each) are checked. The postings of articles
 * from st->prints_from on are in memory, the older ones in the database. */
static int web_find_copy(radar_store *st, const uint64_t k[SYNDICATION_SKETCH], long long self, const char *date,
                         long long *out)
{
    long long seen[SYNDICATION_SKETCH * POSTINGS_MAX];
    size_t n = 0, per_hash[SYNDICATION_SKETCH] = {0};
    int rc;
    *out = 0;
    if (st->prints_from)
        for (int i = 0; i < SYNDICATION_SKETCH; i++) {
            per_hash[i] = postings_find(st->prints, k[i], self, seen + n, POSTINGS_MAX);
            n += per_hash[i];
        }
    if (!st->prints_from || st->prints_older) {
        sqlite3_stmt *s;
        if (st->print_index_missing) { /* dropped by a bulk load */
            if ((rc = store_exec(st, "CREATE INDEX IF NOT EXISTS article_prints_print ON article_prints(print, article)")))
                return rc;
            st->print_index_missing = 0;
        }
        if ((rc = web_stmt(st, W_PRINT_POSTINGS, &s)))
            return rc;
        sqlite3_bind_int64(s, 1, st->prints_from && st->prints_from < self ? st->prints_from : self);
        for (int i = 0; i < SYNDICATION_SKETCH; i++)
            sqlite3_bind_int64(s, i + 2, (long long)k[i]);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int i = sqlite3_column_int(s, 0);
            if (i >= 0 && i < SYNDICATION_SKETCH && per_hash[i] < POSTINGS_MAX) {
                per_hash[i]++;
                seen[n++] = sqlite3_column_int64(s, 1);
            }
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return store_db_error(st, rc, "looking up similar articles");
    }
    if (n < SYNDICATION_MIN_SHARED)
        return 0;
    qsort(seen, n, sizeof *seen, store_cmp_ll);
    for (size_t i = 0; i < n && !*out;) {
        size_t j = i;
        while (j < n && seen[j] == seen[i])
            j++;
        int yes = 0;
        if (j - i >= SYNDICATION_MIN_SHARED && (rc = web_is_copy(st, k, date, seen[i], &yes)))
            return rc;
        if (yes)
            *out = seen[i];
        i = j;
    }
    return 0;
}

/* The origin of what article `rowid` reports: the source it cites, else its
 * outlet. A copy (new string in *out, or NULL). */
static int web_origin_of(radar_store *st, long long rowid, char **out)
{
    *out = NULL;
    for (int q = W_ORIGIN_CITED; q <= W_ORIGIN_PUBLISHER && !*out; q++) {
        sqlite3_stmt *s;
        int rc = web_stmt(st, q, &s);
        if (rc)
            return rc;
        sqlite3_bind_int64(s, 1, rowid);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW && sqlite3_column_text(s, 0)) {
            *out = strdup((const char *)sqlite3_column_text(s, 0));
            if (!*out)
                rc = SQLITE_NOMEM;
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_db_error(st, rc, "looking up a story's origin");
    }
    return 0;
}

/* After an article row is written (inside radar_store_put): its author, its
 * print, and, when an earlier article has nearly the same text, that text's
 * origin in *origin (caller frees) unless it is this article's own outlet. */
static int web_after_article(radar_store *st, const radar_article *a, const radar_text_print *tp, long long rowid,
                             int updated, char **origin)
{
    sqlite3_stmt *s;
    int rc;
    if (a->author) {
        if ((rc = web_stmt(st, W_SET_AUTHOR, &s)))
            return rc;
        sqlite3_bind_int64(s, 1, rowid);
        store_bind_text(s, 2, a->author);
        if ((rc = store_step_done(st, s, "storing an author")))
            return rc;
    }
    if ((rc = web_stmt(st, W_DELETE_PRINTS, &s)))
        return rc;
    sqlite3_bind_int64(s, 1, rowid);
    if ((rc = store_step_done(st, s, "updating an article's print")))
        return rc;
    /* a rewritten article the memory holds: its postings would be out of
     * order there */
    if (st->prints_from && rowid >= st->prints_from && updated)
        forget_prints(st);
    if (!tp->has_sketch)
        return 0;
    const uint64_t *k = tp->sketch;
    long long copy_of = 0;
    if ((!updated && (rc = web_keep_prints(st, rowid))) || (rc = web_find_copy(st, k, rowid, a->date, &copy_of)))
        return rc;
    for (int i = 0; i < SYNDICATION_SKETCH; i++) {
        if ((rc = web_stmt(st, W_INSERT_PRINT, &s)))
            return rc;
        sqlite3_bind_int64(s, 1, rowid);
        sqlite3_bind_int64(s, 2, (long long)k[i]);
        if ((rc = store_step_done(st, s, "storing an article's sketch")))
            return rc;
        if (st->prints_from && rowid >= st->prints_from) {
            int full = postings_add(st->prints, k[i], rowid);
            if (full) /* the database has them all: ask it from here on */
                forget_prints(st);
        } else if (st->prints_from) {
            st->prints_older = 1; /* an older article rewritten with a sketch */
        }
    }
    if (!copy_of)
        return 0;
    if ((rc = web_origin_of(st, copy_of, origin)))
        return rc;
    if (*origin && a->source && !strcmp(*origin, a->source)) {
        free(*origin); /* the outlet running its own story again */
        *origin = NULL;
    }
    return 0;
}

static int web_cite_origin(radar_store *st, long long mention, const char *origin)
{
    sqlite3_stmt *s;
    int rc = web_stmt(st, W_CITE_ORIGIN, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, mention);
    store_bind_text(s, 2, origin);
    return store_step_done(st, s, "storing a source");
}

int radar_store_has_item(radar_store *st, const char *id, const char *url, int *found)
{
    sqlite3_stmt *s;
    int rc = web_stmt(st, W_HAS_ITEM, &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    store_bind_text(s, 2, url);
    rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "looking up a feed item");
}

int radar_store_note_item(radar_store *st, const radar_article *a)
{
    if (sqlite3_get_autocommit(st->db))
        return radar_error_set(RADAR_EINVALID, "radar_store_note_item outside a transaction (call radar_store_begin)");
    char hash[17];
    content_hash(a, hash);
    const char *keys[2] = {a->id, a->url};
    for (int i = 0; i < 2; i++) {
        if (!keys[i] || (i == 1 && a->id && !strcmp(keys[0], keys[1])))
            continue;
        sqlite3_stmt *s;
        int rc = web_stmt(st, W_NOTE_ITEM, &s);
        if (rc)
            return rc;
        store_bind_text(s, 1, keys[i]);
        store_bind_text(s, 2, hash);
        if ((rc = store_step_done(st, s, "remembering a feed item")))
            return rc;
    }
    return 0;
}

int radar_store_feed_add(radar_store *st, const char *url, const char *name)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return radar_error_set(RADAR_EINVALID, "'%s' is not an http:// or https:// address", url);
    if (strlen(url) > RADAR_MAX_FIELD_BYTES || (name && strlen(name) > 200))
        return radar_error_set(RADAR_EINVALID, "feed address or name too long");
    sqlite3_stmt *s;
    int rc = store_prepare(st, "INSERT INTO feeds(url, name) VALUES (?1, ?2)", &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, url);
    store_bind_text(s, 2, name && *name ? name : NULL);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return radar_error_set(RADAR_EINVALID, "%s is subscribed already%s%s%s", url, name ? " (or the name '" : "",
                               name ? name : "", name ? "' is taken)" : "");
    return rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "adding a feed");
}

int radar_store_feed_remove(radar_store *st, const char *which)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "DELETE FROM feeds WHERE url = ?1 OR name = ?1", &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, which);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_db_error(st, rc, "removing a feed");
    if (sqlite3_changes(st->db) == 0)
        return radar_error_set(RADAR_ENOTFOUND, "no feed with the address or name '%s' (radar feeds list shows them)",
                               which);
    return 0;
}

int radar_store_feeds(radar_store *st, json_t **out)
{
    static const char *const cols[] = {"id", "url", "name", "title", "etag", "last_modified", "failures",
                                       "last_poll", "next_poll", "last_error", "articles"};
    sqlite3_stmt *s;
    *out = NULL;
    int rc = store_prepare(st,
                     "SELECT id, url, name, title, etag, last_modified, failures, last_poll, next_poll, last_error, "
                     "articles FROM feeds ORDER BY id",
                     &s);
    if (rc)
        return rc;
    json_t *list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < (int)(sizeof cols / sizeof *cols); i++)
            json_object_set_new(o, cols[i], store_col_json(s, i));
        json_array_append_new(list, o);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return store_db_error(st, rc, "listing feeds");
    }
    *out = json_pack("{s:o}", "feeds", list);
    return 0;
}

int radar_store_feed_update(radar_store *st, const radar_feed_state *f)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st,
                     "UPDATE feeds SET title = coalesce(?2, title), etag = ?3, last_modified = ?4, last_error = ?5, "
                     "failures = ?6, last_poll = ?7, next_poll = ?8, articles = articles + ?9 WHERE id = ?1",
                     &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, f->id);
    store_bind_text(s, 2, f->title);
    store_bind_text(s, 3, f->etag);
    store_bind_text(s, 4, f->last_modified);
    store_bind_text(s, 5, f->error);
    sqlite3_bind_int(s, 6, f->failures);
    sqlite3_bind_int64(s, 7, f->last_poll);
    sqlite3_bind_int64(s, 8, f->next_poll);
    sqlite3_bind_int64(s, 9, f->new_articles);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_db_error(st, rc, "saving a feed's state");
}
