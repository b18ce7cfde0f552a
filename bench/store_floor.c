/*
 * store_floor.c - how fast SQLite alone stores a gen_corpus file's articles
 * and their full-text index on this machine: the floor under `radar ingest`.
 *
 *   store_floor [--fts] [--batch N] CORPUS.jsonl DB
 *
 * Writes the articles into a fresh database with the store's own articles
 * table, its indexes and its FTS5 index (same tokenizer), in WAL mode with
 * synchronous=NORMAL and a 64 MB page cache, one transaction per N articles
 * (default 2048, as radar ingest), reading the ids and hashes the way
 * ingest does (one look-up by hash before each insert). Without --fts, the
 * table only. Nothing is extracted, linked or scored: what `radar ingest`
 * does beyond this costs the difference.
 *
 * Prints one line: articles, bytes of article text, seconds spent reading
 * and parsing the JSON (not part of the floor: ingest does it on another
 * thread), and seconds in SQLite.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "store_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

/* FNV-1a, printed as 16 hex digits: a content hash of the same shape as the store's */
static void hash_hex(const char *s, size_t n, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = "0123456789abcdef"[h & 15];
    out[16] = '\0';
}

int main(int argc, char **argv)
{
    int fts = 0, batch = 2048, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--fts"))
            fts = 1;
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc && atoi(argv[i + 1]) > 0)
            batch = atoi(argv[++i]);
        else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: store_floor [--fts] [--batch N] CORPUS.jsonl DB\n");
        return 2;
    }
    FILE *in = fopen(argv[i], "r");
    if (!in) {
        perror(argv[i]);
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open(argv[i + 1], &db) != SQLITE_OK)
        die(db, argv[i + 1]);
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
              "CREATE TABLE articles(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date TEXT, source TEXT,"
              " url TEXT, title TEXT, body TEXT NOT NULL, hash TEXT NOT NULL);"
              "CREATE INDEX articles_hash ON articles(hash); CREATE INDEX articles_date ON articles(date);"
              "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='rowid',"
              " tokenize='unicode61 remove_diacritics 2');");
    sqlite3_stmt *by_hash, *ins, *ftsins;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM articles WHERE hash = ?1 LIMIT 1", -1, &by_hash, NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO articles(id, date, source, url, title, body, hash) VALUES (?1,?2,?3,NULL,"
                               "NULL,?4,?5)", -1, &ins, NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, NULL, ?2)", -1, &ftsins,
                           NULL))
        die(db, "preparing");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long articles = 0, n = 0;
    double text = 0, parse = 0, store = 0;
    exec(db, "BEGIN");
    while ((len = getline(&line, &cap, in)) > 0) {
        double t0 = now();
        json_t *j = json_loadb(line, (size_t)len, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "id"));
        json_t *body = json_object_get(j, "text");
        double t1 = now();
        parse += t1 - t0;
        if (!id || !json_is_string(body)) {
            json_decref(j);
            continue;
        }
        const char *b = json_string_value(body);
        size_t blen = json_string_length(body);
        char hash[17];
        hash_hex(b, blen, hash);
        sqlite3_bind_text(by_hash, 1, hash, 16, SQLITE_STATIC);
        int seen = sqlite3_step(by_hash) == SQLITE_ROW;
        sqlite3_reset(by_hash);
        if (!seen) {
            sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 2, json_string_value(json_object_get(j, "date")), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, json_string_value(json_object_get(j, "source")), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, b, (int)blen, SQLITE_STATIC);
            sqlite3_bind_text(ins, 5, hash, 16, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE)
                die(db, "inserting an article");
            sqlite3_reset(ins);
            if (fts) {
                sqlite3_bind_int64(ftsins, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_text(ftsins, 2, b, (int)blen, SQLITE_STATIC);
                if (sqlite3_step(ftsins) != SQLITE_DONE)
                    die(db, "indexing an article");
                sqlite3_reset(ftsins);
            }
            articles++;
            text += (double)blen;
        }
        if (++n % batch == 0)
            exec(db, "COMMIT; BEGIN");
        store += now() - t1;
        json_decref(j);
    }
    double t2 = now();
    exec(db, "COMMIT");
    sqlite3_finalize(by_hash);
    sqlite3_finalize(ins);
    sqlite3_finalize(ftsins);
    if (sqlite3_close(db) != SQLITE_OK)
        die(db, "closing");
    store += now() - t2;
    free(line);
    fclose(in);
    printf("%ld %.0f %.3f %.3f\n", articles, text, parse, store);
    return 0;
}
