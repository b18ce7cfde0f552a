/*
 * store_registry.c - the player registry in the store (radar/registry.h).
 *
 * Four tables, made on the first import: registry_clubs (id -> name),
 * registry_players, registry_transfers (club names, resolved at import) and
 * player_links (stored player -> registry player, confidence, auto|manual).
 * A link is weighed from what the two sides say: the names (identity.c),
 * the birth year (the articles' ages against the date of birth) and the club
 * (the stored player's club against the registry's current club and the
 * clubs of his transfers). A link is made only to a best candidate that no
 * other registry player ties.
 */
#include <errno.h>
#include <math.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/csv.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "identity.h"
#include "radar/error.h"
#include "radar/limits.h"
#include "radar/outcomes.h"
#include "radar/people.h"
#include "radar/registry.h"
#include "radar/store.h"
#include "store_internal.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS registry_clubs(id TEXT PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS registry_players(id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, "
    " surname TEXT NOT NULL, birth_date TEXT, position TEXT, nationality TEXT, club TEXT, contract_until TEXT, "
    " market_value REAL);"
    "CREATE INDEX IF NOT EXISTS registry_players_surname ON registry_players(surname);"
    "CREATE TABLE IF NOT EXISTS registry_transfers(player TEXT NOT NULL, date TEXT NOT NULL, from_club TEXT, "
    " to_club TEXT NOT NULL, fee REAL, PRIMARY KEY(player, date, to_club)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS player_links(player INTEGER PRIMARY KEY, registry TEXT NOT NULL, "
    " confidence REAL NOT NULL, how TEXT NOT NULL);";

/* ---- reading the files ---------------------------------------------------------- */

static int read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? RADAR_ENOTFOUND : radar_error_set(RADAR_EIO, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf && !rc) {
        if (n == cap) {
            char *p = cap >= RADAR_MAX_REGISTRY_FILE ? NULL : realloc(buf, cap * 2);
            if (!p) {
                rc = cap >= RADAR_MAX_REGISTRY_FILE
                         ? radar_error_set(RADAR_ETOOLARGE, "%s: larger than %u MB", path, RADAR_MAX_REGISTRY_FILE >> 20)
                         : radar_error_set(RADAR_ENOMEM, "out of memory");
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (!got) {
            if (ferror(f))
                rc = radar_error_set(RADAR_EIO, "%s: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (!buf)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}

typedef struct importer {
    radar_store *st;
    radar_registry_report_fn report;
    void *user;
    radar_registry_counts *counts;
    int stopped;
} importer;

static int bad_row(importer *im, const radar_csv *c, const char *why)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s:%lu: %s", c->name, c->rec_line, why);
    im->counts->bad++;
    if (im->report && im->report(im->user, msg))
        im->stopped = 1;
    return 0;
}

/* A date as the files write it ("2001-02-12" or "2001-02-12 00:00:00"):
 * its first ten bytes copied to out when they are a real date. */
static int date_of(const char *s, char out[11])
{
    if (!s || strlen(s) < 10 || !radar_date_valid(s, 10) || (s[10] && s[10] != ' ' && s[10] != 'T'))
        return 0;
    memcpy(out, s, 10);
    out[10] = '\0';
    return 1;
}

/* A number of euros ("45000000", "45000000.0"); -1 when not one. */
static double euros(const char *s)
{
    if (!s)
        return 0;
    char *end;
    double v = strtod(s, &end);
    return *end || !isfinite(v) || v < 0 ? -1 : v;
}

/* The columns of a file: names in order, the first one found of each list. */
static int columns(const radar_csv *c, const char *const *names, int *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cols[i] = -1;
        for (const char *p = names[i]; *p && cols[i] < 0; p += strlen(p) + 1)
            cols[i] = radar_csv_column(c, p);
    }
    return 0;
}

/* The club of registry id `id` (clubs.csv), else `fallback`, copied to
 * name[0, cap) when found. */
static const char *club_id_name(importer *im, const char *id, const char *fallback, char *name, size_t cap, int *rc)
{
    if (!id)
        return fallback;
    radar_sql_stmt *s;
    if ((*rc = radar_store_cached(im->st, "SELECT name FROM registry_clubs WHERE id = ?1", &s)))
        return NULL;
    radar_sql_bind_text(s, 1, id, -1, RADAR_SQL_TRANSIENT);
    const char *out = fallback;
    if (radar_store_row(im->st, s, rc, "looking up a club")) {
        snprintf(name, cap, "%s", (const char *)radar_sql_column_text(s, 0));
        out = name;
    }
    radar_sql_reset(s);
    return out;
}

/* Does the lexicon know club `name`? Its canonical name in out when so. A
 * name is looked up in lower case, so that an unknown one comes back as it
 * went in and a known one (canonical names are capitalised) does not. */
static int known_club(radar_store *st, const char *name, char *out, size_t cap)
{
    char low[256];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof low; i++)
        low[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
    low[i] = '\0';
    return strcmp(radar_store_canonical_club(st, low, out, cap), low) != 0;
}

/* A registry's club name as the lexicon calls the club: "Arsenal Football
 * Club" and "FC Porto" are Arsenal and Porto. The name as written when the
 * lexicon knows it neither whole nor without the words that only say it is
 * a club. */
static const char *canonical_club(radar_store *st, const char *name, char *out, size_t cap)
{
    static const char *const club_words[] = {"football", "club", "fc", "f.c.", "afc", "a.f.c.", "cf", "sc",
                                             "futebol", "clube", "de", "do", "da", "del", "calcio", "spa",
                                             "s.p.a.", "sad", "futbol", "fútbol", "osc", "ac", "as", "ssc", NULL};
    if (known_club(st, name, out, cap))
        return out;
    char bare[256] = "";
    size_t n = 0;
    for (const char *p = name; *p;) {
        size_t l = strcspn(p, " ");
        int drop = 0;
        for (int i = 0; club_words[i] && !drop; i++)
            drop = strlen(club_words[i]) == l && !strncasecmp(p, club_words[i], l);
        if (!drop && l && n + l + 2 < sizeof bare) {
            if (n)
                bare[n++] = ' ';
            memcpy(bare + n, p, l);
            n += l;
            bare[n] = '\0';
        }
        p += l;
        while (*p == ' ')
            p++;
    }
    if (*bare && strcmp(bare, name) && known_club(st, bare, out, cap))
        return out;
    snprintf(out, cap, "%s", name);
    return out;
}

/* A club by its registry id (clubs.csv), else the name the row gives, as the
 * lexicon calls it, in out[256]; NULL when neither is given. */
static const char *club_name(importer *im, const char *id, const char *fallback, char out[256], int *rc)
{
    char name[256];
    const char *found = club_id_name(im, id, fallback, name, sizeof name, rc);
    return found ? canonical_club(im->st, found, out, 256) : NULL;
}


enum { C_CLUB_ID, C_CLUB_NAME, C_CLUB_N };
static int import_clubs(importer *im, radar_csv *c)
{
    static const char *const names[] = {"club_id\0id\0", "name\0club_name\0"};
    int col[C_CLUB_N], rc;
    columns(c, names, col, C_CLUB_N);
    if (col[C_CLUB_ID] < 0 || col[C_CLUB_NAME] < 0)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: the header needs club_id and name", c->name, c->rec_line);
    while (!im->stopped && !(rc = radar_csv_next(c))) {
        const char *id = radar_csv_field(c, col[C_CLUB_ID]), *name = radar_csv_field(c, col[C_CLUB_NAME]);
        if (!id || !name) {
            bad_row(im, c, "a club needs club_id and name");
            continue;
        }
        radar_sql_stmt *s;
        if ((rc = radar_store_cached(im->st, "INSERT OR REPLACE INTO registry_clubs(id, name) VALUES (?1, ?2)", &s)))
            return rc;
        radar_sql_bind_text(s, 1, id, -1, RADAR_SQL_TRANSIENT);
        radar_sql_bind_text(s, 2, name, -1, RADAR_SQL_TRANSIENT);
        if ((rc = radar_store_step_done(im->st, s, "storing a registry club")))
            return rc;
        im->counts->clubs++;
    }
    return rc == 1 ? 0 : rc;
}

static int put_player(importer *im, const char *id, const char *name, const char *birth, const char *position,
                      const char *nationality, const char *club, const char *contract, double value)
{
    char key[256];
    radar_store_name_key(name, key, sizeof key);
    radar_sql_stmt *s;
    int rc = radar_store_cached(im->st,
                                "INSERT OR REPLACE INTO registry_players(id, name, key, surname, birth_date, position, "
                                "nationality, club, contract_until, market_value) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                                &s);
    if (rc)
        return rc;
    const char *text[] = {id, name, key, radar_store_last_word(key), birth, position, nationality, club, contract};
    for (int i = 0; i < 9; i++)
        radar_store_bind_text(s, i + 1, text[i]);
    if (value > 0)
        radar_sql_bind_double(s, 10, value);
    if ((rc = radar_store_step_done(im->st, s, "storing a registry player")))
        return rc;
    im->counts->players++;
    return 0;
}

/* players.csv of transfermarkt-datasets, or our registry.csv (`own`). */
enum { P_ID, P_NAME, P_FIRST, P_LAST, P_BIRTH, P_POSITION, P_SUB, P_NATION, P_CLUB_ID, P_CLUB_NAME, P_CONTRACT,
       P_VALUE, P_N };
static int import_players(importer *im, radar_csv *c, int own)
{
    static const char *const names[] = {"player_id\0id\0",
                                        "name\0",
                                        "first_name\0",
                                        "last_name\0",
                                        "date_of_birth\0",
                                        "position\0",
                                        "sub_position\0",
                                        "country_of_citizenship\0nationality\0",
                                        "current_club_id\0",
                                        "current_club_name\0club\0",
                                        "contract_expiration_date\0contract_until\0",
                                        "market_value_in_eur\0market_value_eur\0"};
    int col[P_N], rc;
    columns(c, names, col, P_N);
    if (col[P_NAME] < 0 || (!own && col[P_ID] < 0))
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: the header needs %s", c->name, c->rec_line,
                               own ? "name" : "player_id and name");
    while (!im->stopped && !(rc = radar_csv_next(c))) {
        const char *id = radar_csv_field(c, col[P_ID]), *name = radar_csv_field(c, col[P_NAME]);
        char birth[11] = "", contract[11] = "", own_id[300];
        const char *b = radar_csv_field(c, col[P_BIRTH]), *k = radar_csv_field(c, col[P_CONTRACT]);
        double value = euros(radar_csv_field(c, col[P_VALUE]));
        if (!name || (!own && !id)) {
            bad_row(im, c, own ? "a player needs a name" : "a player needs player_id and name");
            continue;
        }
        if ((b && !date_of(b, birth)) || (k && !date_of(k, contract))) {
            bad_row(im, c, "a date is not YYYY-MM-DD");
            continue;
        }
        if (value < 0) {
            bad_row(im, c, "the market value is not a number of euros");
            continue;
        }
        if (own && !id) { /* our list may leave ids out: the name and birth date are the id */
            snprintf(own_id, sizeof own_id, "own:%s:%s", name, birth);
            id = own_id;
        }
        const char *pos = radar_csv_field(c, col[P_SUB]);
        if (!pos)
            pos = radar_csv_field(c, col[P_POSITION]);
        char cbuf[256];
        const char *club =
            club_name(im, radar_csv_field(c, col[P_CLUB_ID]), radar_csv_field(c, col[P_CLUB_NAME]), cbuf, &rc);
        if (rc || (rc = put_player(im, id, name, *birth ? birth : NULL, pos, radar_csv_field(c, col[P_NATION]), club,
                                   *contract ? contract : NULL, value)))
            return rc;
    }
    return rc == 1 ? 0 : rc;
}

enum { T_PLAYER, T_DATE, T_FROM_ID, T_TO_ID, T_FROM_NAME, T_TO_NAME, T_FEE, T_N };
static int import_transfers(importer *im, radar_csv *c)
{
    static const char *const names[] = {"player_id\0",    "transfer_date\0date\0", "from_club_id\0", "to_club_id\0",
                                        "from_club_name\0", "to_club_name\0",        "transfer_fee\0fee\0"};
    int col[T_N], rc;
    columns(c, names, col, T_N);
    if (col[T_PLAYER] < 0 || col[T_DATE] < 0 || (col[T_TO_ID] < 0 && col[T_TO_NAME] < 0))
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: the header needs player_id, transfer_date and to_club_id",
                               c->name, c->rec_line);
    while (!im->stopped && !(rc = radar_csv_next(c))) {
        const char *player = radar_csv_field(c, col[T_PLAYER]);
        char date[11];
        double fee = euros(radar_csv_field(c, col[T_FEE]));
        if (!player || !date_of(radar_csv_field(c, col[T_DATE]), date)) {
            bad_row(im, c, "a transfer needs player_id and a transfer_date YYYY-MM-DD");
            continue;
        }
        if (fee < 0) {
            bad_row(im, c, "the transfer fee is not a number of euros");
            continue;
        }
        char from[256] = "", tbuf[256];
        /* the row's own club names are the short ones ("Arsenal"); clubs.csv's the long */
        const char *fn = radar_csv_field(c, col[T_FROM_NAME]), *tn = radar_csv_field(c, col[T_TO_NAME]);
        if (!club_name(im, fn ? NULL : radar_csv_field(c, col[T_FROM_ID]), fn, from, &rc))
            from[0] = '\0';
        const char *to = rc ? NULL : club_name(im, tn ? NULL : radar_csv_field(c, col[T_TO_ID]), tn, tbuf, &rc);
        if (rc)
            return rc;
        if (!to) {
            bad_row(im, c, "a transfer needs the club it went to (to_club_id in clubs.csv, or to_club_name)");
            continue;
        }
        radar_sql_stmt *s;
        if ((rc = radar_store_cached(im->st,
                                     "INSERT OR REPLACE INTO registry_transfers(player, date, from_club, to_club, fee) "
                                     "VALUES (?1,?2,?3,?4,?5)",
                                     &s)))
            return rc;
        radar_store_bind_text(s, 1, player);
        radar_store_bind_text(s, 2, date);
        radar_store_bind_text(s, 3, *from ? from : NULL);
        radar_store_bind_text(s, 4, to);
        if (fee > 0)
            radar_sql_bind_double(s, 5, fee);
        if ((rc = radar_store_step_done(im->st, s, "storing a registry transfer")))
            return rc;
        im->counts->transfers++;
    }
    return rc == 1 ? 0 : rc;
}

/* ---- linking ------------------------------------------------------------------------ */

/* Is `club` (a stored player's, canonical) the registry player's club now or
 * one of his transfers'? */
static int club_fits(radar_store *st, const char *reg_id, const char *reg_club, const char *club, int *rc)
{
    char a[256], b[256];
    if (!club)
        return 0;
    if (reg_club && !strcmp(radar_store_canonical_club(st, reg_club, a, sizeof a), club))
        return 1;
    radar_sql_stmt *s;
    if ((*rc = radar_store_cached(st, "SELECT from_club, to_club FROM registry_transfers WHERE player = ?1", &s)))
        return 0;
    radar_sql_bind_text(s, 1, reg_id, -1, RADAR_SQL_TRANSIENT);
    int fit = 0;
    while (!fit && radar_store_row(st, s, rc, "reading registry transfers"))
        for (int i = 0; i < 2 && !fit; i++) {
            const char *n = (const char *)radar_sql_column_text(s, i);
            fit = n && !strcmp(radar_store_canonical_club(st, n, b, sizeof b), club);
        }
    radar_sql_reset(s);
    return fit;
}

/* How well registry player (id, key, birth date, club) fits a stored player
 * (key, birth year, club): 0 to 1, or -1 for two men. */
static double fit(radar_store *st, const char *key, int birth_year, const char *club, const char *reg_id,
                  const char *reg_key, const char *reg_birth, const char *reg_club, int *rc)
{
    int names = radar_identity_names(reg_key, key);
    if (names < 0)
        return -1;
    double score = names;
    if (birth_year && reg_birth) {
        if (abs(atoi(reg_birth) - birth_year) > 1)
            return -1; /* an age a year off is a birthday not yet had */
        score += 4;
    }
    if (club_fits(st, reg_id, reg_club, club, rc))
        score += 3;
    return score / 17 > 1 ? 1 : score / 17;
}

typedef struct candidate {
    char id[64];
    double confidence;
} candidate;

/* The registry players of a stored player's surname, best first (at most
 * max), in out[0, *n). */
static int candidates_of(radar_store *st, const char *key, int birth_year, const char *club, candidate *out,
                         size_t max, size_t *n)
{
    *n = 0;
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 "SELECT id, key, birth_date, club FROM registry_players WHERE surname = ?1 ORDER BY id "
                                 "LIMIT " RADAR_STR(RADAR_MAX_REGISTRY_CANDIDATES),
                                 &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, radar_store_last_word(key));
    while (radar_store_row(st, s, &rc, "looking up registry players")) {
        const char *id = (const char *)radar_sql_column_text(s, 0);
        double conf = fit(st, key, birth_year, club, id, (const char *)radar_sql_column_text(s, 1),
                          (const char *)radar_sql_column_text(s, 2), (const char *)radar_sql_column_text(s, 3), &rc);
        if (rc)
            break;
        if (conf < 0)
            continue;
        size_t j = *n < max ? (*n)++ : max - 1;
        if (j == max - 1 && *n == max && out[j].confidence >= conf)
            continue;
        while (j > 0 && out[j - 1].confidence < conf) {
            out[j] = out[j - 1];
            j--;
        }
        snprintf(out[j].id, sizeof out[j].id, "%s", id);
        out[j].confidence = conf;
    }
    radar_sql_finalize(s);
    return rc;
}

/* The linked player's registry transfers, from a year before his first story
 * on, as outcomes dated as they are. */
static int transfers_to_outcomes(radar_store *st, long long player, const char *reg_id, long *n)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(
        st,
        "SELECT p.name, t.date, t.from_club, t.to_club, t.fee FROM registry_transfers t, players p WHERE "
        "t.player = ?2 AND p.id = ?1 AND t.date >= coalesce((SELECT date(min(first_seen), '-1 year') FROM stories "
        "WHERE player = ?1), '0000') ORDER BY t.date",
        &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, reg_id, -1, RADAR_SQL_TRANSIENT);
    while (radar_store_row(st, s, &rc, "reading registry transfers")) {
        radar_outcome_row row = {0};
        row.player = (const char *)radar_sql_column_text(s, 0);
        row.date = (const char *)radar_sql_column_text(s, 1);
        row.from_club = (const char *)radar_sql_column_text(s, 2);
        row.to_club = (const char *)radar_sql_column_text(s, 3);
        row.fee = radar_sql_column_double(s, 4);
        row.currency = row.fee > 0 ? "EUR" : NULL;
        row.outcome = RADAR_OUTCOME_DONE;
        int players, stories;
        if ((rc = radar_store_add_outcome(st, &row, "registry", &players, &stories)))
            break;
        (*n)++;
    }
    radar_sql_finalize(s);
    return rc;
}

static int set_link(radar_store *st, long long player, const char *reg_id, double confidence, const char *how)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(
        st, "INSERT OR REPLACE INTO player_links(player, registry, confidence, how) VALUES (?1,?2,?3,?4)", &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, reg_id, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_double(s, 3, confidence);
    radar_sql_bind_text(s, 4, how, -1, RADAR_SQL_STATIC);
    return radar_store_step_done(st, s, "linking a player");
}

static int drop_registry_own_club(radar_store *st, long *dropped);

/* Below this a best candidate is no link: a surname alone, say. */
#define LINK_MIN_CONFIDENCE 0.5

static int link_all(radar_store *st, radar_registry_counts *counts)
{
    int rc = radar_store_exec(st, "DELETE FROM player_links WHERE how = 'auto'");
    radar_sql_stmt *s = NULL;
    if (!rc)
        rc = radar_store_prepare(st,
                                 "SELECT id, key, birth_year, club FROM players WHERE id NOT IN (SELECT player FROM "
                                 "player_links) ORDER BY id",
                                 &s);
    while (!rc && radar_store_row(st, s, &rc, "reading players")) {
        long long id = radar_sql_column_int64(s, 0);
        char key[256], club[256] = "";
        snprintf(key, sizeof key, "%s", (const char *)radar_sql_column_text(s, 1));
        int by = radar_sql_column_int(s, 2);
        if (radar_sql_column_type(s, 3) != RADAR_SQL_NULL)
            snprintf(club, sizeof club, "%s", (const char *)radar_sql_column_text(s, 3));
        candidate c[2];
        size_t n;
        if ((rc = candidates_of(st, key, by, *club ? club : NULL, c, 2, &n)))
            break;
        /* a best candidate another ties is no link: two registry players fit alike */
        if (!n || c[0].confidence < LINK_MIN_CONFIDENCE || (n > 1 && c[1].confidence >= c[0].confidence))
            continue;
        if ((rc = set_link(st, id, c[0].id, c[0].confidence, "auto")))
            break;
        counts->linked++;
    }
    radar_sql_finalize(s);
    s = NULL;
    if (!rc)
        rc = drop_registry_own_club(st, &counts->own_club);
    /* every link's transfers, the hand-made ones too */
    if (!rc)
        rc = radar_store_prepare(st, "SELECT player, registry FROM player_links ORDER BY player", &s);
    while (!rc && radar_store_row(st, s, &rc, "reading links")) {
        char reg[64];
        snprintf(reg, sizeof reg, "%s", (const char *)radar_sql_column_text(s, 1));
        rc = transfers_to_outcomes(st, radar_sql_column_int64(s, 0), reg, &counts->outcomes);
    }
    radar_sql_finalize(s);
    return rc;
}

/* ---- the public calls ------------------------------------------------------------------ */

int radar_registry_import(radar_store *st, const char *dir, radar_registry_report_fn report, void *user,
                          radar_registry_counts *out)
{
    memset(out, 0, sizeof *out);
    int rc = radar_store_exec(st, SCHEMA);
    if (rc)
        return rc;
    importer im = {st, report, user, out, 0};
    /* clubs first: players and transfers name their clubs by id */
    static const char *const files[] = {"clubs.csv", "players.csv", "transfers.csv", "registry.csv"};
    int found = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files && !rc && !im.stopped; i++) {
        char path[4096], *data = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        rc = read_file(path, &data, &len);
        if (rc == RADAR_ENOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc)
            break;
        found++;
        radar_csv c;
        radar_csv_init(&c, path, data, len);
        rc = radar_csv_next(&c);
        if (rc == 1)
            rc = 0; /* an empty file */
        else if (!rc)
            rc = i == 0 ? import_clubs(&im, &c) : i == 3 ? import_players(&im, &c, 1)
                 : i == 1 ? import_players(&im, &c, 0) : import_transfers(&im, &c);
        radar_csv_free(&c);
        free(data);
    }
    if (!rc && !found)
        return radar_error_set(RADAR_ENOTFOUND, "%s: no players.csv, clubs.csv, transfers.csv or registry.csv", dir);
    if (!rc)
        rc = link_all(st, out);
    return rc;
}

int radar_registry_link(radar_store *st, long long player, const char *registry_id)
{
    int rc = radar_store_exec(st, SCHEMA);
    radar_sql_stmt *s;
    if (rc || (rc = radar_store_prepare(st, "SELECT (SELECT count(*) FROM players WHERE id = ?1), (SELECT count(*) "
                                            "FROM registry_players WHERE id = ?2)", &s)))
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, registry_id, -1, RADAR_SQL_TRANSIENT);
    int have_player = 0, have_reg = 0;
    if (radar_store_row(st, s, &rc, "looking up a link")) {
        have_player = radar_sql_column_int(s, 0);
        have_reg = radar_sql_column_int(s, 1);
    }
    radar_sql_finalize(s);
    if (rc)
        return rc;
    if (!have_player)
        return radar_error_set(RADAR_ENOTFOUND, "no stored player %lld", player);
    if (!have_reg)
        return radar_error_set(RADAR_ENOTFOUND, "no registry player '%s' (import a registry first)", registry_id);
    long n = 0;
    if ((rc = set_link(st, player, registry_id, 1.0, "manual")) || (rc = drop_registry_own_club(st, &n)))
        return rc;
    return transfers_to_outcomes(st, player, registry_id, &n);
}

/* ---- reading a player's links ----------------------------------------------------------- */

struct radar_registry_mem {
    char **s;
    size_t n, cap;
};

static const char *keep(struct radar_registry_mem *m, const unsigned char *v, int *bad)
{
    if (!v)
        return NULL;
    char *c = strdup((const char *)v);
    if (!c || radar_grow((void **)&m->s, &m->cap, m->n + 1, sizeof *m->s, 16)) {
        free(c);
        *bad = 1;
        return NULL;
    }
    return m->s[m->n++] = c;
}

void radar_registry_players_free(radar_registry_players *p)
{
    if (!p)
        return;
    if (p->mem_) {
        for (size_t i = 0; i < p->mem_->n; i++)
            free(p->mem_->s[i]);
        free(p->mem_->s);
        free(p->mem_);
    }
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].transfers);
    free(p->v);
    free(p);
}

static int read_one(radar_store *st, radar_registry_players *p, const char *id, double conf, const char *how)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 "SELECT id, name, birth_date, position, nationality, club, contract_until, "
                                 "market_value FROM registry_players WHERE id = ?1",
                                 &s);
    if (rc)
        return rc;
    radar_sql_bind_text(s, 1, id, -1, RADAR_SQL_TRANSIENT);
    int bad = 0;
    if (radar_store_row(st, s, &rc, "reading a registry player")) {
        radar_registry_player *v = realloc(p->v, (p->n + 1) * sizeof *v);
        if (!v) {
            radar_sql_finalize(s);
            return radar_error_set(RADAR_ENOMEM, "out of memory");
        }
        p->v = v;
        radar_registry_player *r = &v[p->n++];
        memset(r, 0, sizeof *r);
        const char **f[] = {&r->id, &r->name, &r->birth_date, &r->position, &r->nationality, &r->club,
                            &r->contract_until};
        for (int i = 0; i < 7; i++)
            *f[i] = keep(p->mem_, radar_sql_column_text(s, i), &bad);
        r->market_value = radar_sql_column_double(s, 7);
        r->confidence = conf;
        r->how = how;
    }
    radar_sql_finalize(s);
    if (rc || bad || !p->n)
        return rc ? rc : bad ? radar_error_set(RADAR_ENOMEM, "out of memory") : 0;
    radar_registry_player *r = &p->v[p->n - 1];
    if ((rc = radar_store_prepare(st,
                                  "SELECT date, from_club, to_club, fee FROM registry_transfers WHERE player = ?1 "
                                  "ORDER BY date",
                                  &s)))
        return rc;
    radar_sql_bind_text(s, 1, id, -1, RADAR_SQL_TRANSIENT);
    while (!bad && radar_store_row(st, s, &rc, "reading registry transfers")) {
        radar_registry_transfer *t = realloc(r->transfers, (r->n_transfers + 1) * sizeof *t);
        if (!t) {
            bad = 1;
            break;
        }
        r->transfers = t;
        t[r->n_transfers].date = keep(p->mem_, radar_sql_column_text(s, 0), &bad);
        t[r->n_transfers].from_club = keep(p->mem_, radar_sql_column_text(s, 1), &bad);
        t[r->n_transfers].to_club = keep(p->mem_, radar_sql_column_text(s, 2), &bad);
        t[r->n_transfers++].fee = radar_sql_column_double(s, 3);
    }
    radar_sql_finalize(s);
    return rc ? rc : bad ? radar_error_set(RADAR_ENOMEM, "out of memory") : 0;
}

int radar_registry_player_links(radar_store *st, long long player, radar_registry_players **out)
{
    *out = NULL;
    radar_registry_players *p = calloc(1, sizeof *p);
    if (!p || !(p->mem_ = calloc(1, sizeof *p->mem_))) {
        free(p);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st, "SELECT count(*) FROM sqlite_master WHERE name = 'player_links'", &s), have = 0;
    if (!rc && radar_store_row(st, s, &rc, "looking up the registry"))
        have = radar_sql_column_int(s, 0);
    radar_sql_finalize(s);
    char linked[64] = "", key[256] = "", club[256] = "";
    int by = 0;
    if (!rc && have && !(rc = radar_store_prepare(st,
                                                   "SELECT l.registry, l.confidence, l.how, p.key, p.birth_year, p.club "
                                                   "FROM players p LEFT JOIN player_links l ON l.player = p.id WHERE "
                                                   "p.id = ?1",
                                                   &s))) {
        radar_sql_bind_int64(s, 1, player);
        if (radar_store_row(st, s, &rc, "reading a link")) {
            snprintf(key, sizeof key, "%s", (const char *)radar_sql_column_text(s, 3));
            by = radar_sql_column_int(s, 4);
            if (radar_sql_column_type(s, 5) != RADAR_SQL_NULL)
                snprintf(club, sizeof club, "%s", (const char *)radar_sql_column_text(s, 5));
            if (radar_sql_column_type(s, 0) != RADAR_SQL_NULL) {
                snprintf(linked, sizeof linked, "%s", (const char *)radar_sql_column_text(s, 0));
                double conf = radar_sql_column_double(s, 1);
                int manual = !strcmp((const char *)radar_sql_column_text(s, 2), "manual");
                radar_sql_finalize(s);
                s = NULL;
                rc = read_one(st, p, linked, conf, manual ? "manual" : "auto");
                p->linked = p->n == 1;
            }
        }
        radar_sql_finalize(s);
    }
    candidate c[8];
    size_t n = 0;
    if (!rc && have && *key)
        rc = candidates_of(st, key, by, *club ? club : NULL, c, 8, &n);
    for (size_t i = 0; i < n && !rc; i++)
        if (strcmp(c[i].id, linked))
            rc = read_one(st, p, c[i].id, c[i].confidence, "candidate");
    if (rc) {
        radar_registry_players_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int radar_store_resolved_by(radar_store *st, long long story, const char *as_of, int *known)
{
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "SELECT EXISTS(SELECT 1 FROM resolutions WHERE story = ?1 AND ended <= ?2)", &s);
    if (rc)
        return rc;
    radar_sql_bind_int64(s, 1, story);
    radar_sql_bind_text(s, 2, as_of, -1, RADAR_SQL_TRANSIENT);
    *known = 0;
    if (radar_store_row(st, s, &rc, "reading a story's resolutions"))
        *known = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    return rc;
}

/* ---- the registry's club at a date is no destination ------------------------------------ */

/* A move dated `m` to the club a registry transfer took him to: his club then
 * when the transfer was at least a month before (reports of the move itself
 * come in the weeks after it) and none took him elsewhere since. */
#define REGISTRY_CLUB_AT                                                                                              \
    "t.to_club = s.to_club AND t.date <= date(m.date, '-30 days') AND NOT EXISTS (SELECT 1 FROM registry_transfers " \
    "t2 WHERE t2.player = t.player AND t2.date > t.date AND t2.date <= m.date)"

int radar_store_registry_own_club(radar_store *st, long long player, const char *to_club, const char *date, int *own)
{
    *own = 0;
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, "SELECT count(*) FROM sqlite_master WHERE name = 'player_links'", &s), have = 0;
    if (!rc && radar_store_row(st, s, &rc, "looking up the registry"))
        have = radar_sql_column_int(s, 0);
    if (s)
        radar_sql_reset(s);
    if (rc || !have)
        return rc;
    static const char sql[] = "SELECT EXISTS(SELECT 1 FROM (SELECT ?2 AS to_club) s, (SELECT ?3 AS date) m, "
                              "player_links l JOIN registry_transfers t ON t.player = l.registry WHERE l.player = ?1 "
                              "AND " REGISTRY_CLUB_AT ")";
    if ((rc = radar_store_cached(st, sql, &s)))
        return rc;
    radar_sql_bind_int64(s, 1, player);
    radar_sql_bind_text(s, 2, to_club, -1, RADAR_SQL_TRANSIENT);
    radar_sql_bind_text(s, 3, date, -1, RADAR_SQL_TRANSIENT);
    if (radar_store_row(st, s, &rc, "looking up a player's club"))
        *own = radar_sql_column_int(s, 0);
    radar_sql_reset(s);
    return rc;
}

/* The stored mentions of linked players that go to the club the registry
 * has them at then: they go, and their stories are recomputed at commit. */
static int drop_registry_own_club(radar_store *st, long *dropped)
{
    radar_sql_stmt *s;
    int rc = radar_store_prepare(st,
                                 "SELECT DISTINCT m.id, m.story FROM mentions m JOIN stories s ON s.id = m.story JOIN "
                                 "player_links l ON l.player = s.player JOIN registry_transfers t ON t.player = "
                                 "l.registry WHERE m.date IS NOT NULL AND " REGISTRY_CLUB_AT " ORDER BY m.id",
                                 &s);
    long long (*rows)[2] = NULL;
    size_t n = 0, cap = 0;
    while (!rc && radar_store_row(st, s, &rc, "finding moves to a player's own club")) {
        if ((rc = radar_grow((void **)&rows, &cap, n + 1, sizeof *rows, 64)))
            break;
        rows[n][0] = radar_sql_column_int64(s, 0);
        rows[n++][1] = radar_sql_column_int64(s, 1);
    }
    radar_sql_finalize(s);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = radar_store_cached(st, "DELETE FROM mentions WHERE id = ?1", &s)))
            break;
        radar_sql_bind_int64(s, 1, rows[i][0]);
        if ((rc = radar_store_step_done(st, s, "dropping a move to a player's own club")) ||
            (rc = radar_grow((void **)&st->dirty, &st->cap_dirty, st->n_dirty + 1, sizeof *st->dirty, 1024)))
            break;
        st->dirty[st->n_dirty++] = rows[i][1]; /* recomputed, or removed when left empty, at commit */
        st->updated = 1;
        (*dropped)++;
    }
    free(rows);
    return rc;
}

/* ---- who he is, as JSON ------------------------------------------------------------------ */

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *registry_player_json(const radar_registry_player *r)
{
    json_t *transfers = json_array();
    for (size_t i = 0; i < r->n_transfers; i++)
        json_array_append_new(transfers,
                              json_pack("{s:o, s:o, s:o, s:o}", "date", text_or_null(r->transfers[i].date), "from_club",
                                        text_or_null(r->transfers[i].from_club), "to_club",
                                        text_or_null(r->transfers[i].to_club), "fee_eur",
                                        r->transfers[i].fee > 0 ? json_real(r->transfers[i].fee) : json_null()));
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:s, s:o}", "id", text_or_null(r->id), "name",
                     text_or_null(r->name), "date_of_birth", text_or_null(r->birth_date), "position",
                     text_or_null(r->position), "nationality", text_or_null(r->nationality), "club",
                     text_or_null(r->club), "contract_until", text_or_null(r->contract_until), "market_value_eur",
                     r->market_value > 0 ? json_real(r->market_value) : json_null(), "confidence", r->confidence,
                     "link", r->how, "transfers", transfers);
}

int radar_store_players_identity_json(radar_store *st, json_t *answer)
{
    json_t *players = json_object_get(answer, "players"), *p;
    size_t i;
    json_array_foreach(players, i, p)
    {
        long long id = (long long)json_integer_value(json_object_get(p, "id"));
        radar_names names;
        int rc = radar_store_player_names(st, id, &names);
        json_t *forms = json_array();
        for (size_t k = 0; !rc && k < names.n; k++)
            json_array_append_new(forms, json_string(names.v[k]));
        radar_names_free(&names);
        json_object_set_new(p, "names", forms);
        /* the ages reported, as the birth years they imply */
        json_t *ages = json_object_get(p, "ages"), *a;
        size_t k;
        long long lo = 0, hi = 0;
        json_array_foreach(ages, k, a)
        {
            const char *d = json_string_value(json_object_get(a, "date"));
            long long y = (d ? atoll(d) : 0) - (long long)json_integer_value(json_object_get(a, "age"));
            if (!k || y < lo)
                lo = y;
            if (!k || y > hi)
                hi = y;
        }
        json_object_set_new(p, "born", json_array_size(ages) ? json_pack("{s:I, s:I, s:I}", "from", (json_int_t)lo - 1,
                                                                          "to", (json_int_t)hi, "ages",
                                                                          (json_int_t)json_array_size(ages))
                                                             : json_null());
        radar_registry_players *r;
        if (rc || (rc = radar_registry_player_links(st, id, &r)))
            return rc;
        json_t *cands = json_array();
        for (size_t j = r->linked ? 1 : 0; j < r->n; j++)
            json_array_append_new(cands, json_pack("{s:s, s:s, s:f}", "id", r->v[j].id, "name",
                                                   r->v[j].name ? r->v[j].name : "", "confidence", r->v[j].confidence));
        json_object_set_new(p, "registry", r->linked ? registry_player_json(&r->v[0]) : json_null());
        json_object_set_new(p, "registry_candidates", cands);
        radar_registry_players_free(r);
    }
    return 0;
}
