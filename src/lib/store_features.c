/*
 * store_features.c - what a story's context adds to the evidence its
 * mentions give: the buying club's record of turning rumours into signings
 * and the most it has paid, the player's contract, the other clubs named as
 * after him, and how fast the story went from its first report to a bid.
 *
 * Everything is read as of the scoring date: a club's record counts the
 * stories settled by then, a contract is the one the articles published by
 * then describe. The evidence of a day never holds what was learnt after it.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/limits.h"
#include "radar/store.h"
#include "../util/date.h"
#include "../util/grow.h"
#include "lexicon_internal.h"
#include "store_internal.h"

void radar_story_extra_start(story_extra *x, const char *club)
{
    memset(x, 0, sizeof *x);
    snprintf(x->club, sizeof x->club, "%s", club ? club : "");
    x->first_day = x->bid_day = -1;
}

void radar_story_extra_mention(story_extra *x, long day, int rank, double fee_eur, const char *suitors)
{
    if (day >= 0 && (x->first_day < 0 || day < x->first_day))
        x->first_day = day;
    if (day >= 0 && rank >= RADAR_STAGE_BID && rank <= RADAR_STAGE_SIGNED && (x->bid_day < 0 || day < x->bid_day))
        x->bid_day = day;
    if (fee_eur > x->fee_eur)
        x->fee_eur = fee_eur;
    if (!suitors || !*suitors)
        return;
    json_t *a = json_loads(suitors, 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        const char *name = json_string_value(v);
        int seen = !name || !strcasecmp(name, x->club);
        for (int k = 0; k < x->n_suitors && !seen; k++)
            seen = !strcasecmp(x->suitors[k], name);
        if (!seen && x->n_suitors < STORY_MAX_SUITORS)
            snprintf(x->suitors[x->n_suitors++], sizeof x->suitors[0], "%s", name);
    }
    json_decref(a);
}

void radar_story_extra_report(story_extra *x, long long id)
{
    x->reports[x->report_next] = id;
    x->report_next = (x->report_next + 1) % RADAR_MAX_WORDING_REPORTS;
    if (x->n_reports < RADAR_MAX_WORDING_REPORTS)
        x->n_reports++;
}

/* ---- the contract ---- */

static const char *const MONTHS[12] = {"january", "february", "march", "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december"};

/* The last day of month m (1..12) of year y, as a day number. */
static long month_end(int y, int m)
{
    char d[32];
    snprintf(d, sizeof d, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    return radar_day_number(d) - 1;
}

/* A year the contract runs to, in `s` (lower case): 20YY as a word, with
 * the month named just before it, if any (else June: seasons end then). */
static long expiry_in(const char *s)
{
    for (const char *p = s; p && *p; p++) {
        if (!(p[0] == '2' && p[1] == '0' && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
              !isdigit((unsigned char)p[4]) && (p == s || !isalnum((unsigned char)p[-1]))))
            continue;
        int y = atoi(p), m = 6;
        for (int k = 0; k < 12; k++) {
            size_t n = strlen(MONTHS[k]);
            if ((size_t)(p - s) >= n + 1 && !strncmp(p - n - 1, MONTHS[k], n))
                m = k + 1;
        }
        return month_end(y, m);
    }
    return -1;
}

/* "two years left": the count just before `phrase` in `s`, in months. */
static int count_before(const char *s, const char *phrase)
{
    static const char *const WORDS[] = {"a", "one", "two", "three", "four", "five", "six"};
    const char *at = strstr(s, phrase);
    if (!at || at == s)
        return -1;
    const char *e = at - 1, *b;
    while (e > s && *e == ' ')
        e--;
    for (b = e; b > s && isalnum((unsigned char)b[-1]); b--)
        ;
    char w[16];
    size_t n = (size_t)(e - b + 1);
    if (n >= sizeof w)
        return -1;
    memcpy(w, b, n);
    w[n] = '\0';
    int count = isdigit((unsigned char)w[0]) ? atoi(w) : -1;
    for (int k = 0; k < 7 && count < 0; k++)
        if (!strcmp(w, WORDS[k]))
            count = k ? k : 1;
    if (count < 0)
        return -1;
    return strstr(phrase, "month") ? count : 12 * count;
}

/* Months left on a contract as of `day`, from a contract fact: its cue
 * phrase, the words after it and its sentence; -1 when they do not say. */
static int contract_months(const char *phrase, const char *detail, const char *sentence, long day)
{
    char p[128], d[256], s[1024];
    const char *in[3] = {phrase, detail, sentence};
    char *out[3] = {p, d, s};
    size_t cap[3] = {sizeof p, sizeof d, sizeof s};
    for (int k = 0; k < 3; k++) {
        size_t i = 0;
        for (const char *c = in[k] ? in[k] : ""; *c && i + 1 < cap[k]; c++)
            out[k][i++] = (char)tolower((unsigned char)*c);
        out[k][i] = '\0';
    }
    long end = expiry_in(d);
    if (end < 0 && !strstr(p, "left") && !strstr(p, "remaining"))
        end = expiry_in(s);
    if (end >= 0)
        return end >= day ? (int)lround((end - day) / 30.44) : -1;
    int months = count_before(s, p);
    if (months >= 0)
        return months;
    /* an expiring deal with no year: it ends with the season (30 June);
     * a free agent in the summer window is one already */
    char civil[64];
    radar_civil_date(day, civil);
    int y = atoi(civil), m = atoi(civil + 5);
    int free_now = strstr(p, "free") && m >= 7 && m <= 8;
    if (free_now)
        return 0;
    if (strstr(p, "out of contract") || strstr(p, "expir") || strstr(p, "runs out") || strstr(p, "ends") ||
        strstr(p, "is up") || strstr(p, "free"))
        return (int)lround((month_end(m <= 6 ? y : y + 1, 6) - day) / 30.44);
    return -1;
}

/* ---- the wording ---- */

/* Words a report uses of a move well on its way, and hedges: the first
 * ones a reader looks at to tell "Harbour City have agreed a fee" from
 * "Harbour City could consider a move". The lists are data, in
 * data/lexicon/wording.txt (compiled in), so that a phrase fixed is a data
 * edit; that file says how they are written and matched. */

static radar_wording builtin_wording;
static int builtin_wording_rc;
static char builtin_wording_error[256];
static pthread_once_t builtin_wording_once = PTHREAD_ONCE_INIT;

/* Add one phrase f[0..n) (spaces around it trimmed) to list l. */
static int wording_add(radar_wording_list *l, const char *name, unsigned long line, const char *f, size_t n)
{
    while (n && (*f == ' ' || *f == '\t'))
        f++, n--;
    while (n && (f[n - 1] == ' ' || f[n - 1] == '\t' || f[n - 1] == '\r'))
        n--;
    if (!n || (n == 1 && *f == '*'))
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: an empty phrase", name, line);
    if (n >= RADAR_MAX_WORDING_PHRASE)
        return radar_error_set(RADAR_ETOOLARGE, "%s:%lu: phrase '%.*s' over %d bytes", name, line, (int)n, f,
                               RADAR_MAX_WORDING_PHRASE - 1);
    const char *star = memchr(f, '*', n);
    if (star && star != f + n - 1)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: '*' only ends a phrase, in '%.*s'", name, line, (int)n, f);
    if (l->n == RADAR_MAX_WORDING_PHRASES)
        return radar_error_set(RADAR_ETOOLARGE, "%s:%lu: over %d phrases in a list", name, line,
                               RADAR_MAX_WORDING_PHRASES);
    for (size_t i = 0; i < n; i++) /* matched against lower-cased text */
        l->phrase[l->n][i] = (char)tolower((unsigned char)f[i]);
    l->phrase[l->n][n] = '\0';
    l->len[l->n++] = n;
    return 0;
}

int radar_wording_parse(radar_wording *out, const char *name, const char *data, size_t len)
{
    memset(out, 0, sizeof *out);
    unsigned long line = 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *l = p;
        p = e + 1;
        line++;
        while (l < e && (*l == ' ' || *l == '\t'))
            l++;
        if (l == e || *l == '#' || (e - l == 1 && *l == '\r'))
            continue; /* comments and blank lines */
        const char *bar = NULL;
        for (const char *c = l; c < e; c++)
            if (*c == '|')
                bar = c;
        const char *tag = bar ? bar + 1 : l;
        size_t tn = (size_t)(e - tag);
        while (tn && (tag[tn - 1] == '\r' || tag[tn - 1] == ' '))
            tn--;
        radar_wording_list *list = tn == 12 && !memcmp(tag, "wording=firm", 12)     ? &out->firm
                                   : tn == 14 && !memcmp(tag, "wording=hedged", 14) ? &out->hedged
                                                                                    : NULL;
        if (!bar || !list)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: a line ends with |wording=firm or |wording=hedged",
                                   name, line);
        for (const char *f = l;; f++) { /* each field up to the tag, an empty one too */
            const char *b = memchr(f, '|', (size_t)(bar - f));
            b = b ? b : bar;
            int rc = wording_add(list, name, line, f, (size_t)(b - f));
            if (rc)
                return rc;
            if ((f = b) == bar)
                break;
        }
    }
    return 0;
}

static void builtin_wording_load(void)
{
    const char *data;
    size_t len;
    builtin_wording_rc = radar_lexicon_builtin_file("wording.txt", &data, &len);
    if (!builtin_wording_rc)
        builtin_wording_rc = radar_wording_parse(&builtin_wording, "wording.txt", data, len);
    if (builtin_wording_rc)
        snprintf(builtin_wording_error, sizeof builtin_wording_error, "%s", radar_last_error());
}

int radar_wording_builtin(const radar_wording **out)
{
    pthread_once(&builtin_wording_once, builtin_wording_load);
    *out = &builtin_wording;
    if (builtin_wording_rc) /* said again on each call: the error is per thread */
        return radar_error_set(builtin_wording_rc, "%s", builtin_wording_error);
    return 0;
}

static int word_byte(char c)
{
    return isalnum((unsigned char)c) || c == '\'';
}

/* Does `phrase` (l bytes) start at s[i] (s lower case, n bytes), as whole
 * words? */
static int phrase_at(const char *s, size_t n, size_t i, const char *phrase, size_t l)
{
    int open_end = phrase[l - 1] == '*';
    l -= open_end;
    if (i + l > n || memcmp(s + i, phrase, l) || (i && word_byte(s[i - 1])))
        return 0;
    return open_end || i + l == n || !word_byte(s[i + l]);
}

/* Is the word before s[i] a negation ("not agreed", "no agreement",
 * "haven't agreed")? */
static int negated(const char *s, size_t i)
{
    size_t e = i;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && word_byte(s[b - 1]))
        b--;
    size_t l = e - b;
    return (l == 3 && !memcmp(s + b, "not", 3)) || (l == 2 && !memcmp(s + b, "no", 2)) ||
           (l == 5 && !memcmp(s + b, "never", 5)) || (l >= 3 && !memcmp(s + e - 3, "n't", 3));
}

/* The words a phrase matched at s[i], into out (24 bytes) if still empty:
 * an open ending ("complet*") as written ("completed"). */
static void first_word(char *out, const char *s, size_t n, size_t i, const char *phrase, size_t l)
{
    if (out[0])
        return;
    if (phrase[l - 1] == '*')
        for (l--; i + l < n && word_byte(s[i + l]); l++)
            ;
    snprintf(out, 24, "%.*s", (int)l, s + i);
}

void radar_wording_count(const radar_wording *w, const char *text, size_t len, radar_story_evidence *e)
{
    char s[RADAR_MAX_WORDING_BYTES];
    size_t n = len < sizeof s ? len : sizeof s;
    for (size_t i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)text[i]);
    const radar_wording_list *firm = &w->firm, *hedged = &w->hedged;
    for (size_t i = 0; i < n; i++) {
        if (i && word_byte(s[i - 1]))
            continue; /* phrases start at a word */
        size_t skip = 0;
        /* a phrase's first byte is never '*': compared here, it spares the call */
        for (int k = 0; k < firm->n && !skip; k++)
            if (firm->phrase[k][0] == s[i] && phrase_at(s, n, i, firm->phrase[k], firm->len[k]) && !negated(s, i)) {
                e->firm++;
                first_word(e->firm_word, s, n, i, firm->phrase[k], firm->len[k]);
                skip = firm->len[k];
            }
        for (int k = 0; k < hedged->n && !skip; k++)
            if (hedged->phrase[k][0] == s[i] && phrase_at(s, n, i, hedged->phrase[k], hedged->len[k])) {
                e->hedges++;
                first_word(e->hedge_word, s, n, i, hedged->phrase[k], hedged->len[k]);
                skip = hedged->len[k];
            }
        if (skip) /* a phrase is counted once, not again from its inner words */
            i += skip - 1;
    }
}

/* ---- the story's context ---- */

#define CLUB_RECORD                                                                                                  \
    "SELECT count(*), coalesce(sum(done), 0) FROM (SELECT max(CASE WHEN r.outcome = 'done' THEN 1 ELSE 0 END) AS " \
    "done FROM stories s JOIN resolutions r ON r.story = s.id WHERE s.to_club = ?1 AND s.id != ?2 AND r.origin NOT " \
    "IN ('window', 'own_club') AND r.outcome IN ('done', 'failed') AND (?3 IS NULL OR r.ended <= ?3) GROUP BY s.id) AS settled"
#define CLUB_PAID                                                                                                    \
    "SELECT max(m.fee_eur) FROM stories s JOIN resolutions r ON r.story = s.id AND r.outcome = 'done' JOIN mentions " \
    "m ON m.story = s.id WHERE s.to_club = ?1 AND s.id != ?2 AND m.fee_eur IS NOT NULL AND (?3 IS NULL OR "        \
    "(r.ended <= ?3 AND m.date <= ?3))"
/* the contract fact the pass over the story's facts picked (store_scores.c):
 * what it says and its sentence */
#define CONTRACT                                                                                                     \
    "SELECT f.value, f.detail, CAST(substr(CAST(a.body AS BLOB), CAST(f.span_start + 1 AS INTEGER), "              \
    "CAST(f.span_end - f.span_start AS INTEGER)) AS TEXT) FROM facts f JOIN articles a ON a.rowid = f.article "     \
    "WHERE f.id = ?1"

/* the sentences about the move of a report: the episode's latest reports
 * (not a name in passing) published by the scoring date, which the pass
 * over its mentions picked (radar_story_extra_report): how things stand now */
#define WORDING "SELECT a.body, m.evidence FROM mentions m JOIN articles a ON a.rowid = m.article WHERE m.id = ?1"

static int story_wording(radar_store *st, const story_extra *x, radar_story_evidence *e)
{
    if (x->first_day < 0 || !x->n_reports)
        return 0;
    const radar_wording *w;
    int rc = radar_wording_builtin(&w);
    if (rc)
        return rc;
    radar_sql_stmt *s;
    if ((rc = radar_store_cached(st, WORDING, &s)))
        return rc;
    /* the latest first: its words are the ones shown */
    for (int k = 1; k <= x->n_reports && !rc; k++) {
        int at = (x->report_next - k + RADAR_MAX_WORDING_REPORTS) % RADAR_MAX_WORDING_REPORTS;
        radar_sql_reset(s);
        radar_sql_bind_int64(s, 1, x->reports[at]);
        if (!radar_store_row(st, s, &rc, "reading a story's reports"))
            continue;
        const char *body = (const char *)radar_sql_column_text(s, 0);
        size_t n = (size_t)radar_sql_column_bytes(s, 0);
        json_t *spans = json_loads((const char *)radar_sql_column_text(s, 1) ? (const char *)radar_sql_column_text(s, 1)
                                                                            : "[]", 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(spans, i, v) {
            json_int_t a = json_integer_value(json_array_get(v, 0)), b = json_integer_value(json_array_get(v, 1));
            if (body && a >= 0 && b > a && (size_t)b <= n)
                radar_wording_count(w, body + a, (size_t)(b - a), e);
        }
        json_decref(spans);
    }
    radar_sql_reset(s);
    return rc;
}

/* ---- the buying club's record, read once per club in a scoring pass ----
 * Scoring a story reads its buying club's record over the club's other
 * stories. Asked story by story, a pass over every story grew with the square
 * of a club's stories (thousands on a big store). Within a pass nothing those
 * figures read changes (resolutions are settled before the stories are
 * scored), so each club's stories are read once and a story's own part is
 * taken out: the same figures, in one read per club. */

/* each settled story of a club, done or not */
#define CLUB_SETTLED                                                                                                 \
    "SELECT s.id, max(CASE WHEN r.outcome = 'done' THEN 1 ELSE 0 END) FROM stories s JOIN resolutions r ON "       \
    "r.story = s.id WHERE s.to_club = ?1 AND r.origin NOT IN ('window', 'own_club') AND r.outcome IN ('done', 'failed') GROUP BY s.id"
/* each done story of a club with the largest fee its reports give */
#define CLUB_FEES                                                                                                    \
    "SELECT s.id, max(m.fee_eur) FROM stories s JOIN resolutions r ON r.story = s.id AND r.outcome = 'done' JOIN "  \
    "mentions m ON m.story = s.id WHERE s.to_club = ?1 AND m.fee_eur IS NOT NULL GROUP BY s.id"

/* a settled story of a club, and whether it was done */
typedef struct club_story {
    long long id;
    int done;
} club_story;

typedef struct club_entry {
    char *club;                  /* NULL: a free slot */
    int settled, signed_;        /* the club's settled stories, and those done */
    club_story *settled_stories; /* ascending by id (the query groups by id) */
    size_t n;
    long long top_story[2];      /* the two done stories of the largest fees */
    double top_fee[2];
    int n_top;
} club_entry;

/* a source's hit rate as its record holds it (-1: no record) */
typedef struct rate_entry {
    char *name; /* NULL: a free slot */
    double rate;
} rate_entry;

struct radar_club_memo {
    club_entry *slot;
    size_t cap, used; /* cap a power of two */
    rate_entry *rates; /* the sources' rates, read once per pass too */
    size_t rate_cap, rate_used;
};

static uint64_t club_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void club_entry_free(club_entry *c)
{
    free(c->club);
    free(c->settled_stories);
}

int radar_store_club_memo_begin(radar_store *st)
{
    radar_store_club_memo_end(st);
    st->club_memo = calloc(1, sizeof *st->club_memo);
    return st->club_memo ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory reading the clubs' records");
}

void radar_store_club_memo_end(radar_store *st)
{
    struct radar_club_memo *m = st->club_memo;
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        club_entry_free(&m->slot[i]);
    for (size_t i = 0; i < m->rate_cap; i++)
        free(m->rates[i].name);
    free(m->slot);
    free(m->rates);
    free(m);
    st->club_memo = NULL;
}

static club_entry *club_slot(struct radar_club_memo *m, const char *club)
{
    size_t i = (size_t)club_hash(club) & (m->cap - 1);
    while (m->slot[i].club && strcmp(m->slot[i].club, club))
        i = (i + 1) & (m->cap - 1);
    return &m->slot[i];
}

static rate_entry *rate_slot(rate_entry *v, size_t cap, const char *name)
{
    size_t i = (size_t)club_hash(name) & (cap - 1);
    while (v[i].name && strcmp(v[i].name, name))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

int radar_store_memo_rate(radar_store *st, const char *name, double *rate)
{
    struct radar_club_memo *m = st->club_memo;
    rate_entry *r = m && m->rate_cap ? rate_slot(m->rates, m->rate_cap, name) : NULL;
    if (!r || !r->name)
        return 0;
    *rate = r->rate;
    return 1;
}

int radar_store_memo_rate_put(radar_store *st, const char *name, double rate)
{
    struct radar_club_memo *m = st->club_memo;
    if (!m)
        return 0;
    if ((m->rate_used + 1) * 2 > m->rate_cap) { /* at most half full */
        size_t cap = m->rate_cap ? m->rate_cap * 2 : 256;
        rate_entry *v = calloc(cap, sizeof *v);
        if (!v)
            return radar_error_set(RADAR_ENOMEM, "out of memory reading the sources' records");
        for (size_t i = 0; i < m->rate_cap; i++)
            if (m->rates[i].name)
                *rate_slot(v, cap, m->rates[i].name) = m->rates[i];
        free(m->rates);
        m->rates = v;
        m->rate_cap = cap;
    }
    rate_entry *r = rate_slot(m->rates, m->rate_cap, name);
    if (r->name)
        return 0;
    if (!(r->name = strdup(name)))
        return radar_error_set(RADAR_ENOMEM, "out of memory reading the sources' records");
    r->rate = rate;
    m->rate_used++;
    return 0;
}

/* Read club's settled stories and fees into a new entry of the memo. */
static int club_read(radar_store *st, const char *club, club_entry **out)
{
    struct radar_club_memo *m = st->club_memo;
    if ((m->used + 1) * 2 > m->cap) { /* keep the table at most half full */
        size_t cap = m->cap ? m->cap * 2 : 64;
        club_entry *old = m->slot, *v = calloc(cap, sizeof *v);
        if (!v)
            return radar_error_set(RADAR_ENOMEM, "out of memory reading the clubs' records");
        size_t old_cap = m->cap;
        m->slot = v;
        m->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].club)
                *club_slot(m, old[i].club) = old[i];
        free(old);
    }
    club_entry *c = club_slot(m, club);
    if (!(c->club = strdup(club)))
        return radar_error_set(RADAR_ENOMEM, "out of memory reading the clubs' records");
    m->used++;
    size_t cap = 0;
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, CLUB_SETTLED, &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, club);
    while (radar_store_row(st, s, &rc, "reading a club's record")) {
        if (radar_grow((void **)&c->settled_stories, &cap, c->n + 1, sizeof *c->settled_stories, 16)) {
            radar_sql_reset(s);
            return RADAR_ENOMEM;
        }
        club_story *cs = &c->settled_stories[c->n++];
        cs->id = radar_sql_column_int64(s, 0);
        cs->done = radar_sql_column_int(s, 1) != 0;
        c->settled++;
        c->signed_ += cs->done;
    }
    radar_sql_reset(s);
    if (rc || (rc = radar_store_cached(st, CLUB_FEES, &s)))
        return rc;
    radar_store_bind_text(s, 1, club);
    while (radar_store_row(st, s, &rc, "reading a club's fees")) {
        long long id = radar_sql_column_int64(s, 0);
        double fee = radar_sql_column_double(s, 1);
        /* the two largest, the first met kept on a tie (which it is does not change a maximum) */
        if (c->n_top < 2 || fee > c->top_fee[1]) {
            int k = c->n_top < 2 ? c->n_top++ : 1;
            c->top_story[k] = id;
            c->top_fee[k] = fee;
            if (k == 1 && c->top_fee[1] > c->top_fee[0]) {
                c->top_story[1] = c->top_story[0];
                c->top_fee[1] = c->top_fee[0];
                c->top_story[0] = id;
                c->top_fee[0] = fee;
            }
        }
    }
    radar_sql_reset(s);
    *out = c;
    return rc;
}

/* The club's record and the largest fee it paid, over its stories but this one. */
static int club_context(radar_store *st, long long story, const char *as_of, const char *club,
                        radar_story_evidence *e)
{
    if (st->club_memo && !as_of) {
        club_entry *c = st->club_memo->cap ? club_slot(st->club_memo, club) : NULL;
        int rc = c && c->club ? 0 : club_read(st, club, &c);
        if (rc)
            return rc;
        e->club_settled = c->settled;
        e->club_signed = c->signed_;
        size_t lo = 0, hi = c->n; /* the story's own part, when it is settled */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->settled_stories[mid].id < story)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < c->n && c->settled_stories[lo].id == story) {
            e->club_settled--;
            e->club_signed -= c->settled_stories[lo].done;
        }
        int k = c->n_top && c->top_story[0] == story ? 1 : 0;
        e->club_paid_eur = k < c->n_top ? c->top_fee[k] : 0; /* as the query's max() of nothing reads */
        return 0;
    }
    radar_sql_stmt *s;
    int rc = radar_store_cached(st, CLUB_RECORD, &s);
    if (rc)
        return rc;
    radar_store_bind_text(s, 1, club);
    radar_sql_bind_int64(s, 2, story);
    radar_store_bind_text(s, 3, as_of);
    if (radar_store_row(st, s, &rc, "reading a club's record")) {
        e->club_settled = radar_sql_column_int(s, 0);
        e->club_signed = radar_sql_column_int(s, 1);
    }
    radar_sql_reset(s);
    if (rc || (rc = radar_store_cached(st, CLUB_PAID, &s)))
        return rc;
    radar_store_bind_text(s, 1, club);
    radar_sql_bind_int64(s, 2, story);
    radar_store_bind_text(s, 3, as_of);
    if (radar_store_row(st, s, &rc, "reading a club's fees"))
        e->club_paid_eur = radar_sql_column_double(s, 0);
    radar_sql_reset(s);
    return rc;
}

int radar_store_story_context(radar_store *st, long long story, const char *as_of, const story_extra *x,
                              radar_story_evidence *e)
{
    snprintf(e->club, sizeof e->club, "%s", x->club);
    e->fee_eur = x->fee_eur;
    e->suitors = x->n_suitors;
    e->bid_days = x->bid_day >= 0 && x->first_day >= 0 ? (int)(x->bid_day - x->first_day) : -1;
    radar_sql_stmt *s;
    int rc = club_context(st, story, as_of, x->club, e);
    if (rc || !x->contract_fact)
        return rc ? rc : story_wording(st, x, e);
    if ((rc = radar_store_cached(st, CONTRACT, &s)))
        return rc;
    radar_sql_bind_int64(s, 1, x->contract_fact);
    if (radar_store_row(st, s, &rc, "reading a contract")) {
        /* months left as of the scoring date: the article's count, less the time since */
        long said = x->contract_day;
        long day = as_of ? radar_day_number(as_of) : said;
        int months = contract_months((const char *)radar_sql_column_text(s, 0), (const char *)radar_sql_column_text(s, 1),
                                     (const char *)radar_sql_column_text(s, 2), said);
        if (months >= 0) {
            months -= day > said ? (int)((day - said) / 30.44) : 0;
            e->contract_months = months < 0 ? 0 : months;
        }
    }
    radar_sql_reset(s);
    return rc ? rc : story_wording(st, x, e);
}
