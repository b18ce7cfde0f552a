/*
 * store_fts.c - the full-text index's tokenizer: words folded as names are.
 *
 * SQLite's unicode61 tokenizer strips only the accents Unicode decomposes:
 * "Müller" meets "Muller", but "Ødegaard", "Højlund", "Szczęsny"'s Polish
 * cousin "Łukasz", "Đoković" and "Straße" keep letters no plain spelling has.
 * This tokenizer splits words as unicode61 does (runs of letters, marks and
 * numbers; a format character such as a soft hyphen inside a word is part of
 * it) and gives FTS5 each word folded by radar_fold, the folding the store's
 * player names are keyed with: lower case, every accent stripped, Ø -> o,
 * Æ -> ae, ß -> ss, Ł -> l, Đ -> d, ı -> i. Queries are tokenized by the same
 * code, so "Odegaard" finds "Ødegaard" and "Ødegaard" finds "Odegaard". The
 * offsets reported are those of the text as written, so snippets and
 * highlights fall on the original letters.
 *
 * A word with a German umlaut (ä, ö, ü) is also indexed, at the same
 * position, in its written-out form ("Müller": "muller" and "mueller"), and a
 * query word with one looks for both: "Mueller" finds "Müller", and "Müller"
 * finds "Mueller".
 *
 * radar_store_pg_migrate (at the end) brings a PostgreSQL store's index
 * of the version before, which the server folded with to_tsvector, to the
 * one written with this folding (fts_pg.c).
 *
 * The hot path allocates nothing: a word is folded into a buffer on the
 * stack (RADAR_MAX_SEARCH_TOKEN bytes; a longer word is indexed and looked
 * for by its first bytes, the same on both sides).
 */
#include <sqlite3.h>
#include <string.h>

#include "../util/utf8.h"
#include "radar/limits.h"
#include "db_pg.h"
#include "store_fts.h"
#include "store_internal.h"

typedef radar_fts_token_fn token_fn;

/* The tokenizer keeps no state: every instance is this one. */
static char the_tokenizer;

static int fold_create(void *user, const char **args, int n_args, Fts5Tokenizer **out)
{
    (void)user;
    (void)args;
    *out = NULL;
    if (n_args > 0) /* it takes no options: a declaration with some is not ours */
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)&the_tokenizer;
    return SQLITE_OK;
}

static void fold_delete(Fts5Tokenizer *t) { (void)t; }

/* ASCII letters and digits: the bytes of a word below 0x80. */
static int ascii_word(unsigned char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Is s[0..2) the UTF-8 of ä, ö, ü or a capital of them? */
static int umlaut_at(const unsigned char *s)
{
    return s[0] == 0xC3 && (s[1] == 0x84 || s[1] == 0x96 || s[1] == 0x9C || s[1] == 0xA4 || s[1] == 0xB6 ||
                            s[1] == 0xBC);
}

/* The written-out form of word w[0..n) (each umlaut as its vowel and 'e'),
 * folded into out[0..cap); returns its length. */
static size_t written_out(const unsigned char *w, size_t n, char *out, size_t cap)
{
    char spelled[RADAR_MAX_SEARCH_TOKEN];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 <= sizeof spelled;) {
        if (i + 1 < n && umlaut_at(w + i)) {
            unsigned char second = w[i + 1];
            spelled[o++] = second == 0x84 || second == 0xA4 ? 'a' : second == 0x96 || second == 0xB6 ? 'o' : 'u';
            spelled[o++] = 'e';
            i += 2;
        } else {
            spelled[o++] = (char)w[i++];
        }
    }
    /* a code point cut at the buffer's end decodes as U+FFFD, folded as such
     * on both sides */
    return radar_fold(spelled, o, out, cap);
}

/* Give FTS5 the word text[start..end): folded, and written out too when it
 * has an umlaut. */
static int emit_word(void *ctx, token_fn emit, const unsigned char *text, int start, int end, int ascii)
{
    char folded[RADAR_MAX_SEARCH_TOKEN];
    const unsigned char *w = text + start;
    size_t n = (size_t)(end - start), len;
    if (ascii) { /* most words: lower case is the whole folding */
        len = n < sizeof folded ? n : sizeof folded;
        for (size_t i = 0; i < len; i++)
            folded[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    } else {
        len = radar_fold((const char *)w, n, folded, sizeof folded);
    }
    if (len == 0) /* a word of format characters only folds to nothing */
        return SQLITE_OK;
    int rc = emit(ctx, 0, folded, (int)len, start, end);
    if (rc != SQLITE_OK || ascii)
        return rc;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!umlaut_at(w + i))
            continue;
        len = written_out(w, n, folded, sizeof folded);
        return len ? emit(ctx, FTS5_TOKEN_COLOCATED, folded, (int)len, start, end) : SQLITE_OK;
    }
    return SQLITE_OK;
}

/* Split text[0..n) into words and give each to FTS5 folded (see the top). */
static int fold_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n, token_fn emit)
{
    (void)t;
    (void)flags; /* documents and queries are folded alike */
    const unsigned char *u = (const unsigned char *)text;
    int i = 0, rc = SQLITE_OK;
    while (i < n && rc == SQLITE_OK) {
        /* to the next word's first code point */
        int32_t cp;
        int step;
        if (u[i] < 0x80) {
            if (!ascii_word(u[i])) {
                i++;
                continue;
            }
            cp = u[i];
            step = 1;
        } else {
            step = (int)radar_utf8_decode(u + i, (size_t)(n - i), &cp);
            if (!radar_cp_is_word(cp)) {
                i += step;
                continue;
            }
        }
        int start = i, end = i + step, ascii = u[i] < 0x80;
        i = end;
        /* its end: after its last letter, mark or number; format
         * characters between two of them are part of it */
        while (i < n) {
            if (u[i] < 0x80) {
                if (!ascii_word(u[i]))
                    break;
                end = ++i;
                continue;
            }
            step = (int)radar_utf8_decode(u + i, (size_t)(n - i), &cp);
            if (radar_cp_is_word(cp)) {
                ascii = 0;
                end = i += step;
            } else if (radar_cp_is_format(cp)) {
                ascii = 0;
                i += step;
            } else {
                break;
            }
        }
        i = end;
        rc = emit_word(ctx, emit, u, start, end, ascii);
    }
    return rc;
}

int radar_fts_words(const char *text, int n, radar_fts_token_fn fn, void *ctx)
{
    return fold_tokenize(NULL, ctx, 0, text, n, fn);
}

/* FTS5's API object of connection `db`, or NULL (SQLite built without FTS5). */
static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return api;
}

int radar_store_fts_register(sqlite3 *db)
{
    static fts5_tokenizer tokenizer = {fold_create, fold_delete, fold_tokenize};
    fts5_api *api = fts5_of(db);
    if (!api)
        return SQLITE_ERROR;
    return api->xCreateTokenizer(api, RADAR_FTS_TOKENIZER, NULL, &tokenizer, NULL);
}

int radar_store_pg_migrate(radar_store *st)
{
    int rc = radar_store_exec(st, "BEGIN IMMEDIATE"); /* the writers' lock (sql.c) */
    radar_sql_stmt *s = NULL;
    int version = 0;
    if (!rc && !(rc = radar_store_prepare(st, "SELECT version FROM radar_schema", &s))) {
        if (radar_store_row(st, s, &rc, "reading the schema version"))
            version = radar_sql_column_int(s, 0);
        radar_sql_finalize(s);
    }
    if (!rc && version == RADAR_STORE_PG_MIGRATES_FROM) {
        rc = radar_db_pg_refold(st->conn.pg, st->path);
        if (!rc)
            rc = radar_store_exec(st, "UPDATE radar_schema SET version = " RADAR_STR(RADAR_STORE_SCHEMA));
    }
    if (!rc)
        rc = radar_store_exec(st, "COMMIT");
    if (rc)
        radar_sql_rollback(&st->conn);
    return rc;
}
