/*
 * store.c - the rumour store's core on SQLite: errors, the schema and its
 * migrations, opening and closing a store, the statements every handle
 * prepares, bulk loads (the indexes only the questions read), and name keys.
 *
 * The store is six files by role, all behind include/radar/store.h and
 * sharing store_internal.h: this core; writing (store_write.c: transactions,
 * articles, players, stories); feeds and syndication (store_feeds.c); the
 * outcomes and resolutions (store_outcomes.c); source records and
 * likelihoods (store_scores.c); the questions (store_questions.c). Only these
 * files, and db copy's (db_schema.c, db_copy.c), include sqlite3.h. Nothing stored depends on the clock: the same
 * articles give the same database.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/utf8.h"
#include "lexicon_internal.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "store_internal.h"
#include "store_fts.h"
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
    [Q_PLAYERS_BY_SURNAME] = "SELECT id, key, birth_year, club, name FROM players WHERE surname = ?1 ORDER BY id LIMIT "
                            RADAR_STR(RADAR_MAX_PLAYERS_PER_SURNAME),
    [Q_INSERT_PLAYER] = "INSERT INTO players(name, key, surname, birth_year, club, position, nationality) "
                        "VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [Q_UPDATE_PLAYER] = "UPDATE players SET name = CASE WHEN ?6 THEN ?2 ELSE name END, "
                        "key = CASE WHEN length(?3) > length(key) THEN ?3 ELSE key END, "
                        "birth_year = coalesce(birth_year, ?4), club = coalesce(?5, club) WHERE id = ?1",
    [Q_INSERT_MENTION] = "INSERT INTO mentions(article, story, player, player_name, to_club, from_club, stage, date, "
                         "fee_amount, fee_max, fee_currency, fee_kind, fee_eur, evidence, suitors, age, position, "
                         "nationality) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
    [Q_INSERT_SOURCE] = "INSERT OR IGNORE INTO mention_sources(mention, name, kind, cited) VALUES (?1,?2,?3,?4)",
    [Q_INSERT_FACT] = "INSERT INTO facts(article, type, subject, value, detail, span_start, span_end, date) "
                      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [Q_INSERT_STORY] = "INSERT INTO stories(player, to_club) VALUES (?1, ?2)",
    [Q_STORY_ID] = "SELECT id FROM stories WHERE player = ?1 AND to_club = ?2",
    /* a story's mentions, one row per source named (or one with none) */
    [Q_STORY_MENTIONS] = "SELECT m.id, m.date, m.stage, m.from_club, m.article, x.name, x.cited FROM mentions m "
                         "JOIN articles a ON a.rowid = m.article LEFT JOIN mention_sources x ON x.mention = m.id "
                         "WHERE m.story = ?1 ORDER BY " STORE_MENTION_ORDER,
    /* the full-text index is written here, not by triggers: FTS5 inside a
     * trigger flushes its pending terms at every row, three times slower */
    [Q_PLAYERS_BY_KEY] = "SELECT id, key, birth_year, club, name FROM players WHERE key = ?1 ORDER BY id LIMIT "
                        RADAR_STR(RADAR_MAX_PLAYERS_PER_KEY),
    [Q_FTS_INSERT] = "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
    [Q_FTS_DELETE] = "INSERT INTO articles_fts(articles_fts, rowid, title, body) SELECT 'delete', rowid, title, body "
                     "FROM articles WHERE rowid = ?1",
    [Q_UPDATE_STORY] = "UPDATE stories SET first_seen=?2, last_seen=?3, n_mentions=?4, max_stage=?5, stage_rank=?6, "
                       "from_club=?7, silence_days=?8, n_sources=?9, n_independent=?10, heat=?11, last_stage=?12 "
                       "WHERE id=?1",
};


/* ---- errors ---------------------------------------------------------------- */

/* Turn an SQLite failure into our code and a message a person can act on. */
int radar_store_db_error(radar_store *st, int rc, const char *what)
{
    const char *msg = st && (st->db || st->conn.pg) ? radar_sql_errmsg(&st->conn) : sqlite3_errstr(rc);
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

int radar_store_exec(radar_store *st, const char *sql)
{
    int rc = radar_sql_exec(&st->conn, sql);
    return rc == RADAR_SQL_OK ? 0 : radar_store_db_error(st, rc, "running a statement");
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
    /* 6 -> 7: a resolution names the article and words it rests on, and a
     * story the resolution its status rests on; a window that closed with
     * nothing more reported is "quiet" (unknown), not a failure. What fails
     * a story changed too: the next writable open's rescore redoes them */
    "ALTER TABLE resolutions ADD COLUMN article TEXT;"
    "ALTER TABLE resolutions ADD COLUMN span_start INTEGER;"
    "ALTER TABLE resolutions ADD COLUMN span_end INTEGER;"
    "ALTER TABLE stories ADD COLUMN outcome_on TEXT;"
    "ALTER TABLE stories ADD COLUMN outcome_how TEXT;"
    "ALTER TABLE stories ADD COLUMN outcome_article TEXT;"
    "ALTER TABLE stories ADD COLUMN outcome_start INTEGER;"
    "ALTER TABLE stories ADD COLUMN outcome_end INTEGER;"
    "UPDATE resolutions SET outcome = 'quiet' WHERE origin = 'window';"
    "UPDATE stories SET outcome = 'quiet' WHERE outcome = 'failed' AND (SELECT r.origin FROM resolutions r "
    "WHERE r.story = stories.id ORDER BY r.outcome = 'done' DESC, r.ended DESC LIMIT 1) = 'window';"
    "INSERT OR REPLACE INTO meta VALUES ('scores_stale', 1);"
    "PRAGMA user_version = 7",
    /* 7 -> 8: the clubs and players followed, and the stage last told for
     * each of their stories (a change is told once) */
    "CREATE TABLE IF NOT EXISTS follows("
    "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, UNIQUE(kind, key));"
    "CREATE TABLE IF NOT EXISTS follow_told("
    "  story INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE, stage TEXT NOT NULL);"
    "PRAGMA user_version = 8",
    /* 8 -> 9: the search index folds words as player names are (Ø, Æ, ß,
     * Ł, Đ and every accent: store_fts.c), where unicode61 left the letters
     * Unicode does not decompose: declared again, rebuilt from the articles.
     * A mention keeps the position and nationality its article gives the
     * player (the player page shows the ones said most) */
    "ALTER TABLE mentions ADD COLUMN position TEXT;"
    "ALTER TABLE mentions ADD COLUMN nationality TEXT;"
    "DROP TABLE IF EXISTS articles_fts;"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='rowid',"
    "  tokenize='" RADAR_FTS_TOKENIZER "');"
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
    "PRAGMA user_version = 9",
    /* 9 -> 10: in PostgreSQL, the search index's tsvector is written by
     * the client, each word folded as here (it was to_tsvector's, which
     * folds no accent): migrate_pg. Nothing changes in SQLite */
    "PRAGMA user_version = 10",
};
_Static_assert(sizeof MIGRATIONS / sizeof *MIGRATIONS == RADAR_STORE_SCHEMA - 1, "one migration per schema step");

/* The schema version, the application id and the number of schema entries. */
static int read_version(radar_store *st, int *version, int *app, int *entries)
{
    radar_sql_stmt *s;
    int rc = radar_sql_prepare(&st->conn,
                                "SELECT (SELECT user_version FROM pragma_user_version), "
                                "(SELECT application_id FROM pragma_application_id), "
                                "(SELECT count(*) FROM sqlite_master)",
                                0, &s);
    if (rc != RADAR_SQL_OK)
        return radar_store_db_error(st, rc, "reading the schema version");
    *version = *app = *entries = 0;
    if ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
        *version = radar_sql_column_int(s, 0);
        *app = radar_sql_column_int(s, 1);
        *entries = radar_sql_column_int(s, 2);
    }
    radar_sql_finalize(s);
    return rc == RADAR_SQL_ROW || rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "reading the schema version");
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
        /* older schemas read like this one (the next ingest upgrades them):
         * what later versions added is shadowed by temporary stand-ins */
        int shim = 0;
        if (version < 4)
            shim = radar_store_exec(st, "CREATE TEMP VIEW stories AS SELECT *, NULL AS likelihood, 'open' AS outcome, "
                                  "NULL AS outcome_on, NULL AS outcome_how, NULL AS outcome_article, NULL AS "
                                  "outcome_start, NULL AS outcome_end FROM main.stories;"
                                  "CREATE TEMP TABLE resolutions(story, ended, outcome, how, origin, article, "
                                  "span_start, span_end);"
                                  "CREATE TEMP TABLE outcomes(player_name, from_club, to_club, date, season, win, fee,"
                                  " currency, outcome, origin);"
                                  "CREATE TEMP TABLE source_stats(name, kind, tier, mentions, stories, cited, "
                                  "originated, resolved, hits, hit_rate, lo, hi);"
                                  "CREATE TEMP TABLE source_stories(name, story, kind, mentions, cited, originated, "
                                  "resolved, hits)");
        /* before version 7 a window closed in silence read as a failure,
         * and no status named what it rests on: read them as version 7 does
         * (a failure on evidence before the silence stands) */
        else if (version < 7)
            shim = radar_store_exec(
                st, "CREATE TEMP VIEW resolutions AS SELECT story, ended, CASE WHEN origin = 'window' THEN 'quiet' "
                    "ELSE outcome END AS outcome, how, origin, NULL AS article, NULL AS span_start, NULL AS span_end "
                    "FROM main.resolutions;"
                    "CREATE TEMP VIEW stories AS SELECT s.id, s.player, s.to_club, s.from_club, s.first_seen, "
                    "s.last_seen, s.n_mentions, s.max_stage, s.stage_rank, s.last_stage, s.silence_days, s.n_sources, "
                    "s.n_independent, s.heat, s.likelihood, CASE WHEN s.outcome = 'failed' AND r.origin = 'window' "
                    "THEN 'quiet' ELSE s.outcome END AS outcome, r.ended AS outcome_on, r.how AS outcome_how, NULL AS "
                    "outcome_article, NULL AS outcome_start, NULL AS outcome_end FROM main.stories s LEFT JOIN "
                    "main.resolutions r ON r.story = s.id AND r.ended = (SELECT r2.ended FROM main.resolutions r2 "
                    "WHERE r2.story = s.id ORDER BY r2.outcome = 'done' DESC, r2.origin != 'window' DESC, r2.ended "
                    "DESC LIMIT 1)");
        /* before version 8 nothing was followed */
        if (!shim && version < 8)
            shim = radar_store_exec(st, "CREATE TEMP TABLE follows(id, kind, name, key);"
                                        "CREATE TEMP TABLE follow_told(story, stage)");
        /* before version 9 no mention kept a position or nationality */
        if (!shim && version < 9)
            shim = radar_store_exec(st, "CREATE TEMP VIEW mentions AS SELECT *, NULL AS position, NULL AS nationality "
                                        "FROM main.mentions");
        return shim;
    }
    /* each step under the write lock, the version read again there: another
     * writer (two ingests creating the same new store) may have taken it */
    for (int was = -1;;) {
        if ((rc = radar_store_exec(st, "BEGIN IMMEDIATE")))
            return rc;
        if ((rc = read_version(st, &version, &app, &entries)) || (rc = known_version(st, version, app, entries)))
            goto fail;
        if (version == RADAR_STORE_SCHEMA)
            return radar_store_exec(st, "COMMIT");
        if (version <= was) { /* a step that did not move the version on: never loop */
            rc = radar_error_set(RADAR_EFORMAT, "%s: migrating from schema version %d failed", st->path, was);
            goto fail;
        }
        was = version;
        /* SCHEMA may be older than this build: the later steps follow */
        if ((rc = radar_store_exec(st, version == 0 ? SCHEMA : MIGRATIONS[version - 1])) ||
            (rc = radar_store_exec(st, "COMMIT")))
            goto fail;
    }
fail:
    radar_sql_rollback(&st->conn);
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
    radar_sql_stmt *s;
    *have = 0;
    int rc = radar_sql_prepare(&st->conn, "SELECT name FROM sqlite_master WHERE type = 'index'", 0, &s);
    if (rc != RADAR_SQL_OK)
        return radar_store_db_error(st, rc, "reading the schema");
    while ((rc = radar_sql_step(s)) == RADAR_SQL_ROW) {
        const char *name = (const char *)radar_sql_column_text(s, 0);
        for (size_t i = 0; name && i < N_QUESTION_INDEXES; i++)
            if (!strcmp(name, QUESTION_INDEXES[i].name))
                *have |= 1u << i;
    }
    radar_sql_finalize(s);
    return rc == RADAR_SQL_DONE ? 0 : radar_store_db_error(st, rc, "reading the schema");
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
    if ((rc = radar_store_exec(st, "BEGIN IMMEDIATE")))
        return rc;
    rc = question_indexes(st, &have);
    for (size_t i = 0; i < N_QUESTION_INDEXES && !rc; i++)
        if (!(have & 1u << i))
            rc = radar_store_exec(st, QUESTION_INDEXES[i].sql);
    if (rc || (rc = radar_store_exec(st, "COMMIT")))
        radar_sql_rollback(&st->conn);
    return rc;
}

int radar_store_bulk_begin(radar_store *st, unsigned long long expected_bytes, int *bulk)
{
    *bulk = 0;
    /* PostgreSQL: writers on other machines may be writing at once, and
     * would wait on (or miss) the indexes one of them dropped */
    if (radar_sql_is_pg(&st->conn))
        return 0;
    if (st->readonly || radar_sql_in_transaction(&st->conn))
        return radar_error_set(RADAR_EINVALID, "a bulk load starts on a writable store, outside a transaction");
    /* worth it when the load is about as large as what is stored: the
     * rebuild reads the whole tables, the saving grows with the new rows
     * (a store takes about four bytes per byte of article text) */
    radar_sql_stmt *s;
    long long pages = 0, page_size = 0, stories = 0;
    int rc = radar_store_prepare(st, "SELECT (SELECT page_count FROM pragma_page_count), "
                               "(SELECT page_size FROM pragma_page_size), (SELECT value FROM meta WHERE key = 'stories')",
                           &s);
    if (rc)
        return rc;
    if (radar_store_row(st, s, &rc, "measuring the store")) {
        pages = radar_sql_column_int64(s, 0);
        page_size = radar_sql_column_int64(s, 1);
        stories = radar_sql_column_int64(s, 2);
    }
    radar_sql_finalize(s);
    if (rc)
        return rc;
    if (stories > 0 && expected_bytes * 4 < (unsigned long long)(pages * page_size))
        return 0;
    if ((rc = radar_store_exec(st, "BEGIN IMMEDIATE")))
        return rc;
    int prints = 1;
    if (!(rc = radar_store_prepare(st, "SELECT EXISTS (SELECT 1 FROM article_prints)", &s))) {
        prints = !radar_store_row(st, s, &rc, "reading the sketches") || radar_sql_column_int(s, 0);
        radar_sql_finalize(s);
    }
    char sql[128];
    for (size_t i = 0; i < N_QUESTION_INDEXES && !rc; i++) {
        if (prints && QUESTION_INDEXES[i].looked_up)
            continue;
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", QUESTION_INDEXES[i].name);
        rc = radar_store_exec(st, sql);
    }
    if (rc || (rc = radar_store_exec(st, "COMMIT"))) {
        radar_sql_rollback(&st->conn);
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
    st->conn.lite = st->db;
    /* before anything reads the search index, whose declaration names it */
    if (rc != SQLITE_OK || (rc = radar_store_fts_register(st->db)) != SQLITE_OK)
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

/* A new store in PostgreSQL: the schema an SQLite store of this version
 * has (made in memory), written as radar db copy writes it, so both
 * backends hold one schema and db copy carries it both ways. Under an
 * advisory lock, in one transaction, the schema read again once the lock
 * is held: two writers opening one empty database make it once. A
 * database holding other tables and no radar_schema is not ours. */
static int create_pg_store(radar_store *st)
{
    int rc = radar_store_exec(st, "BEGIN IMMEDIATE"); /* the writers' lock (sql.c) */
    radar_sql_stmt *s = NULL;
    long long ours = 0, tables = 0;
    if (!rc && !(rc = radar_store_prepare(st, "SELECT to_regclass('radar_schema') IS NOT NULL, (SELECT count(*) FROM "
                                              "information_schema.tables WHERE table_schema = current_schema())",
                                          &s))) {
        if (radar_store_row(st, s, &rc, "reading the schema")) {
            ours = radar_sql_column_int64(s, 0);
            tables = radar_sql_column_int64(s, 1);
        }
        radar_sql_finalize(s);
    }
    if (!rc && !ours && tables)
        rc = radar_error_set(RADAR_EFORMAT, "%s: the database holds tables, but no Transfer Radar store (nothing was "
                                            "changed)", st->path);
    if (!rc && !ours) {
        radar_store_options o = RADAR_STORE_OPTIONS_INIT;
        radar_store *mem;
        if (!(rc = store_open_once(&mem, ":memory:", &o))) {
            rc = radar_db_pg_create(st->conn.pg, mem->db, st->path);
            radar_store_close(mem);
        }
    }
    if (!rc)
        rc = radar_store_exec(st, "COMMIT");
    if (rc)
        radar_sql_rollback(&st->conn);
    return rc;
}

/* A store in PostgreSQL (uri). The questions run there as on SQLite; a
 * writer makes the store in an empty database, and brings one of version
 * RADAR_STORE_PG_MIGRATES_FROM up to date (readers read it as it is). A store of
 * another version than these is refused (the migrations of older versions
 * run on SQLite: migrate the file, then copy it). */
static int store_open_pg(radar_store **out, const char *uri, const radar_store_options *opts)
{
    radar_store_options def = RADAR_STORE_OPTIONS_INIT;
    const radar_store_options *o = opts ? opts : &def;
    *out = NULL;
    radar_store *st = calloc(1, sizeof *st);
    if (!st)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    radar_pg_shown(st->path, sizeof st->path, uri);
    st->lex = o->lex;
    st->readonly = (o->flags & RADAR_STORE_READONLY) != 0;
    st->wait_ms = o->wait_ms > 0 ? o->wait_ms : st->readonly ? RADAR_STORE_READ_WAIT_MS : RADAR_STORE_WRITE_WAIT_MS;
    int rc = radar_pg_connect(&st->conn.pg, uri);
    if (rc) {
        char why[512]; /* the message is the error's own buffer: copied before it is rewritten */
        snprintf(why, sizeof why, "%s", radar_last_error());
        rc = radar_error_set(rc, "%s: %s", st->path, why);
        goto fail;
    }
    /* a hot standby is named as such, rather than by the first statement it refuses */
    if (!st->readonly && (rc = radar_pg_refuse_standby(st->conn.pg, st->path)))
        goto fail;
    char sql[96];
    /* what reads only cannot write, whatever a caller asks of the handle;
     * a writer waits for another's locks as long as on SQLite */
    snprintf(sql, sizeof sql, "SET lock_timeout = %ld", st->wait_ms);
    if ((rc = radar_store_exec(st, st->readonly ? "SET default_transaction_read_only = on" : sql)))
        goto fail;
    if (!st->readonly && (o->flags & RADAR_STORE_CREATE) && (rc = create_pg_store(st)))
        goto fail;
    /* a question reads a few rows through indexes: compiling it (which the
     * planner asks for when it counts a big table) costs more than it saves */
    if ((rc = radar_store_exec(st, "SET jit = off")))
        goto fail;
    radar_sql_stmt *s;
    if ((rc = radar_store_prepare(st, "SELECT version, application_id FROM radar_schema", &s))) {
        rc = radar_error_set(RADAR_ENOTFOUND, "%s: no Transfer Radar store here (%s); put one there with radar db copy",
                             st->path, radar_sql_errmsg(&st->conn));
        goto fail;
    }
    int version = -1, app = 0;
    if (radar_store_row(st, s, &rc, "reading the schema version")) {
        version = radar_sql_column_int(s, 0);
        app = radar_sql_column_int(s, 1);
    }
    radar_sql_finalize(s);
    if (rc) { /* a statement runs when stepped: a missing table shows here */
        rc = radar_error_set(RADAR_ENOTFOUND, "%s: no Transfer Radar store here (%s); put one there with radar db copy",
                             st->path, radar_sql_errmsg(&st->conn));
        goto fail;
    }
    /* version 9's search index is read as it is; a writer brings it up to date */
    if (app == APPLICATION_ID && version == RADAR_STORE_PG_MIGRATES_FROM && !st->readonly) {
        if ((rc = radar_store_pg_migrate(st)))
            goto fail;
        version = RADAR_STORE_SCHEMA;
    }
    if (app != APPLICATION_ID || (version != RADAR_STORE_SCHEMA && version != RADAR_STORE_PG_MIGRATES_FROM)) {
        rc = app != APPLICATION_ID
                 ? radar_error_set(RADAR_EFORMAT, "%s: not a Transfer Radar store", st->path)
                 : radar_error_set(RADAR_EFORMAT,
                                   "%s: a store of schema version %d; this radar reads version %d in PostgreSQL "
                                   "(bring an SQLite copy up to date with this radar, then radar db copy it again)",
                                   st->path, version, RADAR_STORE_SCHEMA);
        goto fail;
    }
    if (!st->readonly && (rc = radar_store_scores_stale(st, &st->stale_at_open)))
        goto fail;
    for (int i = 0; i < Q_COUNT && !st->readonly; i++) {
        int prc = radar_sql_prepare(&st->conn, SQL[i], 1, &st->stmt[i]);
        if (prc != RADAR_SQL_OK) {
            rc = radar_store_db_error(st, prc, "preparing statements");
            goto fail;
        }
    }
    *out = st;
    return 0;
fail:
    radar_store_close(st);
    return rc;
}

/* The full-text index's constructor reads its own tables as a statement is
 * prepared; with another writer creating or migrating the store beside us it
 * can fail where a plain read would wait, and the connection keeps the
 * failure. Such an open is tried again on a new connection, for as long as a
 * writer would wait. */
int radar_store_open_with(radar_store **out, const char *path, const radar_store_options *opts)
{
    if (radar_pg_is_uri(path)) /* never a file path: see db_pg.h */
        return store_open_pg(out, path, opts);
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
        st->db = st->conn.lite = NULL;
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
        rc = radar_store_db_error(st, rc, "opening");
        goto fail;
    }
    /* a 64 MB page cache: index inserts on a large store stay in memory */
    if ((rc = radar_store_exec(st, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")))
        goto fail;
    /* migrate first: a database we refuse is left exactly as it was */
    if ((rc = migrate(st)))
        goto fail;
    if (!st->readonly && (rc = radar_store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")))
        goto fail;
    if (!st->readonly && (rc = radar_store_scores_stale(st, &st->stale_at_open)))
        goto fail;
    /* a bulk load killed before its end left indexes to build */
    if (!st->readonly && (rc = restore_indexes(st)))
        goto fail;
    for (int i = 0; i < Q_COUNT; i++) {
        if (st->readonly && i != Q_ARTICLE_BY_ID)
            continue;
        int prc = radar_sql_prepare(&st->conn, SQL[i], 1, &st->stmt[i]);
        if (prc != RADAR_SQL_OK) {
            rc = radar_store_db_error(st, prc, "preparing statements");
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
        radar_sql_finalize(st->stmt[i]);
    for (size_t i = 0; i < sizeof st->cache / sizeof *st->cache; i++)
        radar_sql_finalize(st->cache[i].stmt);
    for (int i = 0; i < W_COUNT; i++)
        radar_sql_finalize(st->web[i]);
    radar_postings_free(st->prints);
    if (st->db)
        sqlite3_close_v2(st->db);
    radar_pg_close(st->conn.pg);
    free(st->conn.pg_error);
    free(st->dirty);
    free(st->touched);
    free(st->story_strings.arena.data);
    free(st->story_strings.names);
    free(st->story_strings.origins);
    free(st->story_strings.sorted);
    radar_likelihood_model_free(st->lmodel);
    radar_store_club_memo_end(st);
    free(st);
}

int radar_store_cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* ---- helpers ---------------------------------------------------------------- */

void radar_store_bind_text(radar_sql_stmt *s, int i, const char *v)
{
    if (v)
        radar_sql_bind_text(s, i, v, -1, RADAR_SQL_TRANSIENT);
    else
        radar_sql_bind_null(s, i);
}

int radar_store_row(radar_store *st, radar_sql_stmt *s, int *rc, const char *what)
{
    int r = radar_sql_step(s);
    if (r == RADAR_SQL_ROW)
        return 1;
    if (r != RADAR_SQL_DONE && !*rc)
        *rc = radar_store_db_error(st, r, what);
    return 0;
}

/* Run a statement that returns no rows, then reset it. */
int radar_store_step_done(radar_store *st, radar_sql_stmt *s, const char *what)
{
    int rc = radar_sql_step(s);
    radar_sql_reset(s);
    radar_sql_clear_bindings(s);
    return rc == RADAR_SQL_DONE || rc == RADAR_SQL_ROW ? 0 : radar_store_db_error(st, rc, what);
}

/* Folded name key: lower case, no accents, punctuation as single spaces. */
void radar_store_name_key(const char *name, char *out, size_t cap)
{
    char f[512];
    size_t n = radar_fold(name, strlen(name), f, sizeof f - 1);
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)f[i];
        /* a hyphen parts words: "Alexander-Arnold" and "Alexander Arnold" are one name */
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
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

const char *radar_store_last_word(const char *key)
{
    const char *sp = strrchr(key, ' ');
    return sp ? sp + 1 : key;
}

/* A surname alone: one word, or particles then one word ("de gea", "van dijk"). */
int radar_store_surname_only(const char *key)
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

/* ---- names typed by people, read through the lexicon ------------------------- */

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
const char *radar_store_canonical_club(const radar_store *st, const char *name, char *buf, size_t cap)
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

int radar_store_is_club(const radar_store *st, const char *name)
{
    return lookup_typed(st, name, 1u << RADAR_KIND_CLUB) != LEX_NONE;
}

int radar_store_source_tier(const radar_store *st, const char *name)
{
    int tier = 0;
    uint32_t a = lookup_typed(st, name, (1u << RADAR_KIND_OUTLET) | (1u << RADAR_KIND_JOURNALIST));
    for (; a != LEX_NONE && !tier; a = st->lex->aliases[a].next)
        tier = st->lex->entries[st->lex->aliases[a].entry].tier;
    return tier;
}

int radar_store_newest_day(radar_store *st, long *day)
{
    radar_sql_stmt *s;
    *day = -1;
    int rc = radar_store_prepare(st, "SELECT max(date) FROM articles", &s);
    if (rc)
        return rc;
    if (radar_store_row(st, s, &rc, "reading the newest article") && radar_sql_column_type(s, 0) != RADAR_SQL_NULL)
        *day = radar_day_number((const char *)radar_sql_column_text(s, 0));
    radar_sql_finalize(s);
    return rc;
}

int radar_store_cached(radar_store *st, const char *sql, radar_sql_stmt **s)
{
    size_t n = sizeof st->cache / sizeof *st->cache, i;
    for (i = 0; i < n && st->cache[i].sql; i++)
        if (st->cache[i].sql == sql) {
            *s = st->cache[i].stmt;
            radar_sql_reset(*s);
            radar_sql_clear_bindings(*s);
            return 0;
        }
    if (i == n)
        return radar_error_set(RADAR_EINVALID, "store statement cache full");
    int rc = radar_sql_prepare(&st->conn, sql, 1, s);
    if (rc != RADAR_SQL_OK)
        return radar_store_db_error(st, rc, "preparing a query");
    st->cache[i].sql = sql;
    st->cache[i].stmt = *s;
    return 0;
}

int radar_store_statement(radar_store *st, int q, radar_sql_stmt **s)
{
    /* a read-only handle prepares only what queries use: the rest on demand */
    if (st->stmt[q]) {
        *s = st->stmt[q];
        return 0;
    }
    return radar_store_cached(st, SQL[q], s);
}

int radar_store_prepare(radar_store *st, const char *sql, radar_sql_stmt **s)
{
    int rc = radar_sql_prepare(&st->conn, sql, 0, s);
    return rc == RADAR_SQL_OK ? 0 : radar_store_db_error(st, rc, "preparing a query");
}

int radar_store_counts(radar_store *st, long long *articles, long long *mentions, long long *stories)
{
    static const char *const sql[3] = {"SELECT count(*) FROM articles", "SELECT count(*) FROM mentions",
                                       "SELECT count(*) FROM stories"};
    long long *out[3] = {articles, mentions, stories};
    for (int i = 0; i < 3; i++) {
        radar_sql_stmt *s;
        int rc = radar_sql_prepare(&st->conn, sql[i], 0, &s);
        if (rc != RADAR_SQL_OK)
            return radar_store_db_error(st, rc, "counting");
        *out[i] = radar_store_row(st, s, &rc, "counting") ? radar_sql_column_int64(s, 0) : 0;
        radar_sql_finalize(s);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- column values as JSON ---------------------------------------------------- */

/* A JSON string from bytes that may hold invalid UTF-8 (bodies are stored as
 * read, with a warning): invalid bytes become U+FFFD. */
json_t *radar_store_text_json(const char *p, size_t n)
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

json_t *radar_store_col_json(radar_sql_stmt *s, int i)
{
    switch (radar_sql_column_type(s, i)) {
    case RADAR_SQL_INTEGER:
        return json_integer(radar_sql_column_int64(s, i));
    case RADAR_SQL_FLOAT:
        return json_real(radar_sql_column_double(s, i));
    case RADAR_SQL_TEXT:
        return radar_store_text_json((const char *)radar_sql_column_text(s, i), (size_t)radar_sql_column_bytes(s, i));
    default:
        return json_null();
    }
}

/* ---- scores ---------------------------------------------------------------- */

int radar_store_scores_stale(radar_store *st, int *stale)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT value FROM meta WHERE key = 'scores_stale'", &s);
    if (rc) {
        *stale = 0;
        return rc;
    }
    *stale = radar_store_row(st, s, &rc, "reading the scores' state") && radar_sql_column_int(s, 0);
    radar_sql_finalize(s);
    return rc;
}

