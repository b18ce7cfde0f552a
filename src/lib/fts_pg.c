/*
 * fts_pg.c - PostgreSQL's full-text search, folded as SQLite's is.
 *
 * SQLite's index reads words through the radar_fold tokenizer (store_fts.c):
 * "Ødegaard" is indexed as "odegaard", "Müller" as "muller" and "mueller".
 * PostgreSQL's own parsers cannot call it, so the client does the folding:
 * it writes each article's tsvector itself (the words folded by the same
 * code, at the positions to_tsvector would give them), turns a query into a
 * tsquery of folded words, and cuts the passage shown around the hits from
 * the text as written (ts_headline would parse the body again, unfolded, and
 * mark nothing where the query's "odegaard" meets the text's "Ødegaard").
 */
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "fts_pg.h"
#include "grow.h"
#include "store_fts.h"

#define PG_MAX_POS 16383   /* a tsvector position's largest value (PostgreSQL clamps to it) */
#define PG_MAX_NPOS 256    /* the positions a tsvector keeps per word */
#define PASSAGE_WORDS 16   /* the words of a passage, as FTS5's snippet() is asked for */

typedef struct {
    size_t off;      /* the folded word in words */
    const char *s;   /* the same, once every word is in (for sorting) */
    int len;
    int pos;         /* 1-based, as to_tsvector counts */
    int start, end;  /* in the text as written */
} word;

typedef struct {
    radar_buf words; /* folded words, one after another */
    word *v;
    size_t n, cap;
    int pos;         /* the last position given */
} words;

static int collect(void *ctx, int flags, const char *token, int n, int start, int end)
{
    words *w = ctx;
    if (radar_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v, 256))
        return RADAR_ENOMEM;
    if (!(flags & FTS5_TOKEN_COLOCATED))
        w->pos++;
    w->v[w->n++] = (word){w->words.len, NULL, n, w->pos, start, end};
    return radar_buf_append(&w->words, token, (size_t)n) ? RADAR_ENOMEM : 0;
}

static void words_free(words *w)
{
    radar_buf_free(&w->words);
    free(w->v);
}

static int by_word_then_pos(const void *a, const void *b)
{
    const word *x = a, *y = b;
    int n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, (size_t)n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pos - y->pos;
}

/* A word as a tsvector or tsquery literal: quoted, ' and \ escaped. */
static int put_lexeme(radar_buf *b, const char *s, int n)
{
    int rc = radar_buf_putc(b, '\'');
    for (int i = 0; i < n && !rc; i++)
        rc = s[i] == '\'' || s[i] == '\\' ? radar_buf_putc(b, s[i]) || radar_buf_putc(b, s[i]) : radar_buf_putc(b, s[i]);
    return rc ? rc : radar_buf_putc(b, '\'');
}

int radar_fts_tsvector(radar_buf *out, const char *const *texts, const size_t *lens, int n)
{
    words w = {.words = RADAR_BUF_INIT};
    int rc = 0;
    /* one document, the texts one after another, as to_tsvector reads
     * "title || ' ' || body" */
    for (int i = 0; i < n && !rc; i++)
        if (texts[i])
            rc = radar_fts_words(texts[i], (int)lens[i], collect, &w) ? RADAR_ENOMEM : 0;
    out->len = 0;
    rc = rc ? rc : radar_buf_append(out, "", 0) ? RADAR_ENOMEM : 0;
    if (!rc && w.n) {
        for (size_t i = 0; i < w.n; i++)
            w.v[i].s = w.words.data + w.v[i].off;
        qsort(w.v, w.n, sizeof *w.v, by_word_then_pos);
    }
    for (size_t i = 0; i < w.n && !rc;) {
        const word *first = &w.v[i];
        rc = (out->len && radar_buf_putc(out, ' ')) || put_lexeme(out, w.words.data + first->off, first->len);
        int last = 0, kept = 0;
        for (; i < w.n && !rc && w.v[i].len == first->len &&
               !memcmp(w.words.data + w.v[i].off, w.words.data + first->off, (size_t)first->len);
             i++) {
            int pos = w.v[i].pos < PG_MAX_POS ? w.v[i].pos : PG_MAX_POS;
            if (pos == last || kept == PG_MAX_NPOS)
                continue;
            rc = radar_buf_printf(out, "%c%d", kept ? ',' : ':', pos);
            last = pos;
            kept++;
        }
    }
    words_free(&w);
    return rc ? radar_error_set(RADAR_ENOMEM, "out of memory") : 0;
}

/* ---- queries ------------------------------------------------------------------- */

int radar_fts_next_term(const char **at, radar_buf *term, int *negate, int *prefix)
{
    *negate = *prefix = 0;
    term->len = 0;
    for (const char *p = *at; *p; p++) {
        if (!strncmp(p, " NOT ", 5)) {
            *negate = 1;
            p += 4;
            continue;
        }
        if (*p != '"')
            continue;
        for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
            if (*p == '"')
                p++;
            if (radar_buf_putc(term, *p))
                return -1;
        }
        if (*p)
            p++;
        *prefix = *p == '*';
        *at = p + *prefix;
        return radar_buf_append(term, "", 0) ? -1 : 1;
    }
    return 0;
}

typedef struct {
    radar_buf *b;
    int words, prefix; /* words so far; whether the term is a prefix */
    size_t word_at;    /* where the last word starts in b */
    int term_end;      /* the last word's end: a prefix applies to it */
} phrase;

static int put_query_word(phrase *q, const char *token, int n, int prefix)
{
    int rc = put_lexeme(q->b, token, n);
    return rc ? rc : prefix ? radar_buf_puts(q->b, ":*") : 0;
}

static int phrase_word(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)start;
    phrase *q = ctx;
    radar_buf *b = q->b;
    int prefix = q->prefix && end == q->term_end;
    if (flags & FTS5_TOKEN_COLOCATED) { /* another form of the last word: either one */
        if (radar_buf_putc(b, ' ')) /* room for the '(' */
            return RADAR_ENOMEM;
        memmove(b->data + q->word_at + 1, b->data + q->word_at, b->len - 1 - q->word_at);
        b->data[q->word_at] = '(';
        int rc = radar_buf_puts(b, " | ") || put_query_word(q, token, n, prefix) || radar_buf_putc(b, ')');
        return rc ? RADAR_ENOMEM : 0;
    }
    if (q->words++ && radar_buf_puts(b, " <-> "))
        return RADAR_ENOMEM;
    q->word_at = b->len;
    return put_query_word(q, token, n, prefix) ? RADAR_ENOMEM : 0;
}

/* Where the last word of a text ends. */
static int last_end(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)flags, (void)token, (void)n, (void)start;
    *(int *)ctx = end;
    return 0;
}

int radar_fts_tsquery_term(radar_buf *b, const char *t, size_t n, int prefix)
{
    phrase q = {.b = b, .prefix = prefix};
    radar_fts_words(t, (int)n, last_end, &q.term_end);
    size_t mark = b->len;
    if (radar_buf_putc(b, '(') || radar_fts_words(t, (int)n, phrase_word, &q))
        return -1;
    if (!q.words) { /* no word: as FTS5, the term asks for nothing */
        b->len = mark;
        return 0;
    }
    return radar_buf_putc(b, ')') ? -1 : q.words;
}

/* ---- the passage shown with a hit ----------------------------------------------- */

typedef struct {
    words w;        /* the query's words, position by position */
    int prefix;     /* the last word is a prefix */
} term;

typedef struct {
    int pos, n; /* a term's words met at positions pos .. pos + n - 1 */
    int term;
} match;

/* Does form f (of the text's words in t) meet query word q (of qw), the
 * last word of a prefix term if prefix? */
static int meets(const words *t, const word *f, const words *qw, const word *q, int prefix)
{
    const char *a = t->words.data + f->off, *b = qw->words.data + q->off;
    if (prefix)
        return f->len >= q->len && !memcmp(a, b, (size_t)q->len);
    return f->len == q->len && !memcmp(a, b, (size_t)q->len);
}

/* Does position p of the text (its forms t->v[first[p] .. first[p + 1]))
 * meet position qp of the term (any form of either)? */
static int position_meets(const words *t, const size_t *first, int p, const term *q, int qp, int last)
{
    for (size_t i = first[p]; i < first[p + 1]; i++)
        for (size_t j = 0; j < q->w.n; j++)
            if (q->w.v[j].pos == qp && meets(t, &t->v[i], &q->w, &q->w.v[j], q->prefix && last))
                return 1;
    return 0;
}

int radar_fts_passage(const char *text, size_t len, const char *fts5, char **out)
{
    *out = NULL;
    words t = {.words = RADAR_BUF_INIT};
    term *terms = NULL;
    size_t n_terms = 0, cap_terms = 0, *first = NULL, n_matches = 0, cap_matches = 0;
    match *m = NULL;
    radar_buf text_term = RADAR_BUF_INIT, b = RADAR_BUF_INIT;
    int rc = radar_fts_words(text, (int)len, collect, &t) ? RADAR_ENOMEM : 0;
    /* the terms looked for (a term left out finds nothing to mark) */
    const char *q_at = fts5;
    int got, negate, prefix;
    while (!rc && (got = radar_fts_next_term(&q_at, &text_term, &negate, &prefix)) != 0) {
        if (got < 0)
            rc = RADAR_ENOMEM;
        else if (text_term.len && !negate) {
            if (radar_grow((void **)&terms, &cap_terms, n_terms + 1, sizeof *terms, 4)) {
                rc = RADAR_ENOMEM;
                break;
            }
            term *q = &terms[n_terms++];
            *q = (term){.w = {.words = RADAR_BUF_INIT}, .prefix = prefix};
            rc = radar_fts_words(text_term.data, (int)text_term.len, collect, &q->w) ? RADAR_ENOMEM : 0;
        }
    }
    /* the forms of position p: t.v[first[p] .. first[p + 1]) */
    int P = t.n ? t.v[t.n - 1].pos : 0;
    if (!rc && !(first = calloc((size_t)P + 2, sizeof *first)))
        rc = RADAR_ENOMEM;
    for (size_t i = t.n; !rc && i-- > 0;)
        first[t.v[i].pos] = i;
    if (!rc)
        first[P + 1] = t.n;
    /* every place each term's words are met, in a row */
    for (int p = 1; p <= P && !rc; p++) {
        for (size_t k = 0; k < n_terms && !rc; k++) {
            const term *q = &terms[k];
            int nw = q->w.n ? q->w.v[q->w.n - 1].pos : 0, j = 0;
            while (j < nw && p + j <= P && position_meets(&t, first, p + j, q, j + 1, j + 1 == nw))
                j++;
            if (!nw || j < nw)
                continue;
            if (radar_grow((void **)&m, &cap_matches, n_matches + 1, sizeof *m, 16))
                rc = RADAR_ENOMEM;
            else
                m[n_matches++] = (match){p, nw, (int)k};
        }
    }
    /* the window of PASSAGE_WORDS positions holding the most terms, then
     * the most hits, the first of equals; then centred on its hits */
    int from = 1, to = P;
    if (!rc && P > PASSAGE_WORDS) {
        int best = -1;
        for (int s = 1; s + PASSAGE_WORDS - 1 <= P; s++) {
            int score = 0;
            unsigned long long seen = 0;
            for (size_t i = 0; i < n_matches; i++) {
                if (m[i].pos < s || m[i].pos + m[i].n - 1 > s + PASSAGE_WORDS - 1)
                    continue;
                score++;
                if (m[i].term < 64 && !(seen & (1ull << m[i].term))) {
                    seen |= 1ull << m[i].term;
                    score += 1000;
                }
            }
            if (score > best) {
                best = score;
                from = s;
            }
        }
        int lo = 0, hi = 0;
        for (size_t i = 0; i < n_matches; i++) {
            if (m[i].pos < from || m[i].pos + m[i].n - 1 > from + PASSAGE_WORDS - 1)
                continue;
            lo = lo && lo < m[i].pos ? lo : m[i].pos;
            hi = hi > m[i].pos + m[i].n - 1 ? hi : m[i].pos + m[i].n - 1;
        }
        if (lo) {
            from = lo - (PASSAGE_WORDS - (hi - lo + 1)) / 2;
            from = from < 1 ? 1 : from + PASSAGE_WORDS - 1 > P ? P - PASSAGE_WORDS + 1 : from;
        }
        to = from + PASSAGE_WORDS - 1;
    }
    /* the text as written, each run of hit positions in [ ] */
    size_t at = from > 1 ? (size_t)t.v[first[from]].start : 0;
    if (!rc && from > 1)
        rc = radar_buf_puts(&b, "...") ? RADAR_ENOMEM : 0;
    for (int p = from; p <= to && !rc; p++) {
        int hit = 0, hit_before = 0, hit_after = 0;
        for (size_t i = 0; i < n_matches; i++) {
            hit |= m[i].pos <= p && p <= m[i].pos + m[i].n - 1;
            hit_before |= p > from && m[i].pos <= p - 1 && p - 1 <= m[i].pos + m[i].n - 1;
            hit_after |= p < to && m[i].pos <= p + 1 && p + 1 <= m[i].pos + m[i].n - 1;
        }
        size_t start = (size_t)t.v[first[p]].start, end = (size_t)t.v[first[p]].end;
        rc = radar_buf_append(&b, text + at, start - at) || (hit && !hit_before && radar_buf_putc(&b, '[')) ||
                     radar_buf_append(&b, text + start, end - start) || (hit && !hit_after && radar_buf_putc(&b, ']'))
                 ? RADAR_ENOMEM
                 : 0;
        at = end;
    }
    if (!rc)
        rc = (to == P ? radar_buf_append(&b, text + at, len - at) : radar_buf_puts(&b, "...")) ||
                     radar_buf_append(&b, "", 1)
                 ? RADAR_ENOMEM
                 : 0;
    words_free(&t);
    for (size_t i = 0; i < n_terms; i++)
        words_free(&terms[i].w);
    free(terms);
    free(first);
    free(m);
    radar_buf_free(&text_term);
    if (rc) {
        radar_buf_free(&b);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    *out = b.data;
    return 0;
}
