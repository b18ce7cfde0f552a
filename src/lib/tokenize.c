/*
 * tokenize.c - one pass over the body: tokens, folded forms, sentences.
 *
 * ASCII takes a table-driven fast path; anything else goes through the one
 * UTF-8 decoder in util/utf8.c. Format characters (a soft hyphen, zero-width
 * spaces and joiners, U+FEFF) are invisible: inside a word they stay in its
 * token, whose offsets remain those of the text, and radar_fold leaves them
 * out of its folded form, so "Ale\u00ADssandro" is the one word
 * "alessandro"; elsewhere they are skipped. Sentences end at . ! ? followed by a capital,
 * a digit or a quote (not after initials or common abbreviations), and at
 * every line break: headlines, captions and tweets are lines of their own.
 * A name glued to the next sentence's first word by scraping ("FergusonThe")
 * is split in two when the caller gives the sentence openers (split_glued).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "tokenize.h"
#include "../util/grow.h"
#include "../util/utf8.h"

enum { C_OTHER = 0, C_SPACE, C_NL, C_UPPER, C_LOWER, C_DIGIT, C_PUNCT, C_FORMAT };

static unsigned char ascii_class[128];
/* ASCII letters and digits folded to lower case; 0 for every other byte
 * (including all bytes >= 0x80, which take the slow path). */
static unsigned char ascii_fold[256];

static void init_classes(void)
{
    for (int c = 0; c < 128; c++) {
        unsigned char k = C_PUNCT;
        if (c == '\n')
            k = C_NL;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            k = C_SPACE;
        else if (c >= 'A' && c <= 'Z')
            k = C_UPPER;
        else if (c >= 'a' && c <= 'z')
            k = C_LOWER;
        else if (c >= '0' && c <= '9')
            k = C_DIGIT;
        else if (c < 32 || c == 127)
            k = C_SPACE;
        ascii_class[c] = k;
        if (k == C_UPPER)
            ascii_fold[c] = (unsigned char)(c + 32);
        else if (k == C_LOWER || k == C_DIGIT)
            ascii_fold[c] = (unsigned char)c;
    }
}

/* Class of the code point at s[i]; *n gets its byte length, *cp the value. */
static inline int cls_at(const unsigned char *s, size_t len, size_t i, size_t *n, int32_t *cp)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *n = 1;
        *cp = c;
        return ascii_class[c];
    }
    *n = radar_utf8_decode(s + i, len - i, cp);
    if (radar_cp_is_space(*cp))
        return C_SPACE;
    if (radar_cp_is_letter(*cp))
        return radar_cp_is_upper(*cp) ? C_UPPER : C_LOWER;
    if (radar_cp_is_format(*cp))
        return C_FORMAT;
    return C_PUNCT;
}

static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }

static int is_quote(int32_t cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == '\'' || cp == 0xAB ||
           cp == 0xBB;
}

/* Append a token. The arrays were sized for the whole body up front (at most
 * one token per byte, folded text at most three bytes per byte), so there is
 * no capacity check per token. */
static inline void push_token(radar_tokens *t, const char *body, uint32_t off, uint32_t len, uint16_t flags)
{
    radar_token *k = &t->tok[t->n++];
    k->off = off;
    k->len = len;
    k->flags = flags;
    k->fold_off = (uint32_t)t->fold_len;
    char *dst = t->fold + t->fold_len;
    const unsigned char *src = (const unsigned char *)body + off;
    size_t fl;
    size_t j = 0;
    /* ASCII: fold in one loop */
    for (; j < len && src[j] < 0x80; j++) {
        unsigned char c = src[j];
        dst[j] = (char)((c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c);
    }
    if (j == len) {
        fl = len;
        if (len == 1 && body[off] == '&') {
            memcpy(dst, "and", 3);
            fl = 3;
        }
    } else {
        fl = radar_fold(body + off, len, dst, (size_t)len * 3 + 8);
    }
    if (fl > 0xFFFF)
        fl = 0xFFFF;
    k->fold_len = (uint16_t)fl;
    k->hash = radar_hash_token(dst, fl);
    t->fold_len += fl;
}

static int abbreviation(const radar_tokens *t, size_t i)
{
    static const char *const abbr[] = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "v", "prof", "gen",
                                       "capt", "col", "lt", "sgt", "mt", "ft", "inc", "ltd", "co", "approx", "ca",
                                       "etc", "utd", "fc", NULL};
    const radar_token *k = &t->tok[i];
    if (!(k->flags & TOK_WORD) || k->fold_len > 6)
        return 0;
    if (k->fold_len == 1 && (k->flags & TOK_CAP))
        return 1; /* an initial: "A. Smith" */
    for (int j = 0; abbr[j]; j++)
        if (radar_tok_is(t, i, abbr[j]))
            return 1;
    return 0;
}


static int push_sentence(radar_tokens *t, uint32_t first, uint32_t end)
{
    if (end <= first)
        return 0;
    if (radar_grow((void **)&t->sent, &t->sent_cap, t->n_sent + 1, sizeof *t->sent, 256))
        return RADAR_ENOMEM;
    t->sent[t->n_sent].first = first;
    t->sent[t->n_sent].end = end;
    t->n_sent++;
    /* the first word counts as sentence-initial even after an opening quote or bracket */
    for (uint32_t k = first; k < end; k++) {
        t->tok[k].flags |= TOK_SENT;
        if (!(t->tok[k].flags & TOK_PUNCT))
            break;
    }
    return 0;
}

/* The rest of a word from i, past the ASCII run: letters, digits and marks
 * of any script, format characters inside it, apostrophes that do not make a
 * possessive. Counts letters and clears *upper_all as for the ASCII run. */
static size_t word_rest(const unsigned char *s, size_t len, size_t i, int *upper_all, int *letters,
                        int *inner_cap)
{
    while (i < len) {
        size_t m;
        int32_t q;
        int k = cls_at(s, len, i, &m, &q);
        if (k == C_UPPER || k == C_LOWER || k == C_DIGIT) {
            *inner_cap |= k == C_UPPER && !*upper_all;
            *letters += k != C_DIGIT;
            if (k == C_LOWER)
                *upper_all = 0;
            i += m;
            continue;
        }
        if (k == C_OTHER) { /* combining marks and the like stay in the word */
            i += m;
            continue;
        }
        if (k == C_FORMAT) {
            /* inside the word when a letter or digit follows the
             * run of format characters; else the word ends here */
            size_t j = i + m, m2 = 0;
            int32_t q2;
            int k2 = C_FORMAT;
            while (j < len && (k2 = cls_at(s, len, j, &m2, &q2)) == C_FORMAT)
                j += m2;
            if (j < len && (k2 == C_UPPER || k2 == C_LOWER || k2 == C_DIGIT)) {
                i = j;
                continue;
            }
            break;
        }
        if (k == C_PUNCT && !radar_cp_is_letter(q) && is_apostrophe(q) && i + m < len) {
            size_t m2;
            int32_t q2;
            int k2 = cls_at(s, len, i + m, &m2, &q2);
            if (k2 == C_UPPER || k2 == C_LOWER) {
                /* possessive 's ends the word; O'Leary and didn't do not; nor does
                 * "Lyon'sFrench", words run together in the source */
                int poss = (q2 == 's' || q2 == 'S') &&
                           (i + m + m2 >= len || ascii_class[s[i + m + m2] & 0x7F] == C_SPACE ||
                            ascii_class[s[i + m + m2] & 0x7F] == C_NL ||
                            (s[i + m + m2] < 0x80 && (ascii_class[s[i + m + m2]] == C_PUNCT ||
                                                       ascii_class[s[i + m + m2]] == C_UPPER)));
                if (!poss) {
                    i += m;
                    continue;
                }
            }
        }
        break;
    }
    return i;
}

/* A word starting at `start` (class c, upper or lower case): its end goes to
 * *end. A word of ASCII letters and digits ending at a plain separator is
 * pushed here in one pass (1); otherwise 0, and the caller pushes it; a
 * negative error past the token limit. */
static inline int word_token(radar_tokens *t, const unsigned char *s, size_t len, size_t start, int c,
                             size_t max_tokens, uint16_t *flags, size_t *end)
{
    size_t i = start;
    int upper_all = 1, letters = 0;
    *flags |= TOK_WORD | (c == C_UPPER ? TOK_CAP : 0);
    /* ASCII letters and digits, the common case: fold and hash in one
     * pass (a table gives the folded byte, 0 for anything else), writing
     * the folded form where push_token wants it */
    char *fdst = t->fold + t->fold_len;
    unsigned char f;
    while (i < len && (f = ascii_fold[s[i]]) != 0) {
        fdst[i - start] = (char)f;
        i++;
    }
    if (c == C_UPPER) { /* all capitals? only capitalised words need to know */
        size_t q = start;
        for (; q < i; q++) {
            unsigned char k = ascii_class[s[q]];
            letters += k == C_UPPER || k == C_LOWER;
            if (k == C_LOWER) {
                upper_all = 0;
                break;
            }
        }
        /* a capital after a lower-case letter, past the third byte: maybe a
         * name glued to the next sentence (split_glued looks again) */
        if (t->is_opener && q < i)
            for (size_t r = q + 1 > start + 3 ? q + 1 : start + 3; r + 1 < i; r++)
                if ((unsigned)(s[r] - 'A') < 26u) {
                    *flags |= TOK_GLUED;
                    t->glue_marks++;
                    break;
                }
    } else {
        upper_all = 0;
        /* "£25mClaudio": scraping glued a figure's "m" to the next word; a
         * lower-case word right after a number that turns capital after one or
         * two letters ends there ("25m" then "Claudio"; "3pm" stays whole) */
        if (t->n && (t->tok[t->n - 1].flags & TOK_NUM) && t->tok[t->n - 1].off + t->tok[t->n - 1].len == start)
            for (size_t r = start + 1; r < i && r <= start + 2; r++)
                if ((unsigned)(s[r] - 'A') < 26u) {
                    i = r;
                    break;
                }
    }
    /* a word that ends at a plain separator is done: no second pass */
    if (i >= len || (s[i] < 0x80 && ascii_class[s[i]] != C_PUNCT) ||
        (s[i] < 0x80 && s[i] != '\'')) {
        if (upper_all && letters >= 2)
            *flags |= TOK_ALLCAP;
        if (t->n == max_tokens)
            return radar_error_set(RADAR_ETOOLARGE, "article has more than %u tokens",
                                   RADAR_MAX_TOKENS_PER_ARTICLE);
        radar_token *tk = &t->tok[t->n++];
        tk->off = (uint32_t)start;
        tk->len = (uint32_t)(i - start);
        tk->flags = *flags;
        tk->fold_off = (uint32_t)t->fold_len;
        tk->fold_len = (uint16_t)(i - start > 0xFFFF ? 0xFFFF : i - start);
        tk->hash = radar_hash_token(fdst, tk->fold_len);
        t->fold_len += tk->fold_len;
        *end = i;
        return 1;
    }
    int inner_cap = 0;
    i = word_rest(s, len, i, &upper_all, &letters, &inner_cap);
    if (upper_all && letters >= 2)
        *flags |= TOK_ALLCAP;
    if (inner_cap && c == C_UPPER && t->is_opener && !(*flags & TOK_GLUED)) {
        *flags |= TOK_GLUED;
        t->glue_marks++;
    }
    *end = i;
    return 0;
}

/* The end of a number starting at i: digits, with '.' or ',' between digits. */
static size_t number_end(const unsigned char *s, size_t len, size_t i)
{
    while (i < len) {
        unsigned char d = s[i];
        if (d >= '0' && d <= '9') {
            i++;
        } else if ((d == '.' || d == ',') && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* A mark of n bytes (code point cp) at i: its flags (a quote, a joiner, a
 * possessive "'s" it may take in) and its end. */
static size_t punct_token(const radar_tokens *t, const char *body, size_t len, size_t i, size_t n, int32_t cp,
                          uint16_t *flags)
{
    const unsigned char *s = (const unsigned char *)body;
    *flags |= TOK_PUNCT;
    i += n;
    if (is_quote(cp))
        *flags |= TOK_QUOTE;
    if (cp == '-' || cp == '.' || cp == '/' || cp == 0x2010 || cp == 0x2011)
        *flags |= TOK_JOIN;
    /* possessive: "'s" after a word, or a bare ' after a word ending in s */
    if (is_apostrophe(cp) && t->n > 0 && !(*flags & TOK_SPACE) && (t->tok[t->n - 1].flags & TOK_WORD)) {
        if (i < len && (s[i] == 's' || s[i] == 'S') &&
            (i + 1 >= len || ascii_class[s[i + 1] & 0x7F] != C_LOWER)) {
            i++;
            *flags |= TOK_POSS;
            *flags &= ~TOK_QUOTE;
        } else if ((i >= len || s[i] == ' ') && t->tok[t->n - 1].len > 1 &&
                   (body[t->tok[t->n - 1].off + t->tok[t->n - 1].len - 1] | 0x20) == 's') {
            *flags |= TOK_POSS;
            *flags &= ~TOK_QUOTE;
        }
    }
    return i;
}

/* Where token k splits into a name and a glued sentence opener
 * ("MbappeHowever"): the byte offset of the tail in the token, its folded
 * offset into *fold_at, or 0 when it does not split. The head keeps at least
 * three letters and ends in a lower-case one, the tail is an ASCII capital
 * then at least one more letter, and the tail's folded form is an opener:
 * "McDonald", "MacAllister", "DeBruyne" and "LaLiga" never split. */
static uint32_t glued_split(const radar_tokens *t, const char *body, size_t k, uint32_t *fold_at)
{
    const radar_token *tk = &t->tok[k];
    if ((tk->flags & (TOK_WORD | TOK_CAP | TOK_ALLCAP)) != (TOK_WORD | TOK_CAP) || tk->len < 5 ||
        tk->len > RADAR_MAX_WORD_BYTES)
        return 0;
    const unsigned char *s = (const unsigned char *)body + tk->off;
    for (uint32_t p = 3; p + 1 < tk->len; p++) {
        /* the common case: no ASCII capital before a lower-case letter inside the word */
        if ((unsigned)(s[p] - 'A') >= 26u || (unsigned)(s[p + 1] - 'a') >= 26u)
            continue;
        int letters = 0, ascii = 1;
        for (uint32_t q = 0; q < p; q++) {
            letters += (s[q] & 0xC0) != 0x80; /* a code point starts here */
            ascii &= s[q] < 0x80;
        }
        if (letters < 3)
            continue;
        /* the code point before the capital: a lower-case letter */
        uint32_t b = p - 1;
        while (b > 0 && (s[b] & 0xC0) == 0x80)
            b--;
        int32_t cp;
        radar_utf8_decode(s + b, p - b, &cp);
        if (!radar_cp_is_letter(cp) || radar_cp_is_upper(cp))
            continue;
        /* the head's folded length: its bytes when ASCII, else fold it */
        size_t fl = p;
        if (!ascii) {
            char tmp[RADAR_MAX_WORD_BYTES * 3 + 8];
            fl = radar_fold((const char *)s, p, tmp, sizeof tmp);
        }
        if (fl == 0 || fl >= tk->fold_len)
            return 0;
        const char *tail = t->fold + tk->fold_off + fl;
        if (!t->is_opener(t->opener_ctx, radar_hash_token(tail, tk->fold_len - fl)))
            continue;
        *fold_at = (uint32_t)fl;
        return p;
    }
    return 0;
}

/* Split every glued word in two (see radar_tokens.is_opener), in place from
 * the end: the token array has room for one token per byte of the body. The
 * scan marked the words with an inner capital (TOK_GLUED); the first pass
 * keeps the mark on those that split, the second splits them and clears it. */
static void split_glued(radar_tokens *t, const char *body, size_t max_tokens)
{
    size_t k = 0;
    uint32_t fa;
    for (size_t i = 0; i < t->n; i++) {
        if (!(t->tok[i].flags & TOK_GLUED))
            continue;
        if (glued_split(t, body, i, &fa))
            k++;
        else
            t->tok[i].flags &= (uint16_t)~TOK_GLUED;
    }
    if (!k)
        return;
    if (t->n + k > max_tokens) {
        for (size_t i = 0; i < t->n; i++)
            t->tok[i].flags &= (uint16_t)~TOK_GLUED;
        return;
    }
    size_t w = t->n + k;
    for (size_t i = t->n; i-- > 0;) {
        radar_token tk = t->tok[i];
        uint32_t at = (tk.flags & TOK_GLUED) ? glued_split(t, body, i, &fa) : 0;
        tk.flags &= (uint16_t)~TOK_GLUED;
        if (!at) {
            t->tok[--w] = tk;
            continue;
        }
        radar_token tail = tk;
        tail.off = tk.off + at;
        tail.len = tk.len - at;
        tail.fold_off = tk.fold_off + fa;
        tail.fold_len = (uint16_t)(tk.fold_len - fa);
        tail.hash = radar_hash_token(t->fold + tail.fold_off, tail.fold_len);
        /* the line break the text lost: the tail opens a sentence */
        tail.flags = TOK_WORD | TOK_CAP | TOK_SPACE | TOK_LINE | TOK_GLUED;
        tk.len = at;
        tk.fold_len = (uint16_t)fa;
        tk.hash = radar_hash_token(t->fold + tk.fold_off, fa);
        t->tok[--w] = tail;
        t->tok[--w] = tk;
    }
    t->n += k;
}

/* Sentences over the tokens: at every line break, and after . ! ? or an
 * ellipsis followed by a capital, a digit, a quote or a mark. */
static int find_sentences(radar_tokens *t, const char *body)
{
    int rc;
    uint32_t first = 0;
    for (size_t k = 0; k < t->n; k++) {
        radar_token *tk = &t->tok[k];
        if (k > first && (tk->flags & TOK_LINE)) {
            if ((rc = push_sentence(t, first, (uint32_t)k)))
                return rc;
            first = (uint32_t)k;
        }
        if (!(tk->flags & TOK_PUNCT))
            continue;
        char ch = body[tk->off];
        int term = tk->len == 1 && (ch == '.' || ch == '!' || ch == '?');
        if (!term && tk->len == 3 && memcmp(body + tk->off, "\xE2\x80\xA6", 3) == 0)
            term = 1;
        if (!term || k + 1 >= t->n)
            continue;
        if (ch == '.' && k > 0 && !(tk->flags & TOK_SPACE) && abbreviation(t, k - 1))
            continue;
        /* closing quotes and brackets stay with the sentence they end */
        size_t j = k + 1;
        while (j < t->n && !(t->tok[j].flags & TOK_SPACE) && (t->tok[j].flags & TOK_PUNCT))
            j++;
        if (j >= t->n)
            break;
        /* a run of marks ("?!?!", "....") is looked at once, not once per mark */
        size_t run_end = j;
        if (!(t->tok[j].flags & TOK_SPACE)) {
            /* "this summer.The player": scraped text loses the space; accept it
             * between a lower-case word and a capitalised one */
            if (!(ch == '.' && j == k + 1 && k > 0 && (t->tok[k - 1].flags & TOK_WORD) &&
                  !(t->tok[k - 1].flags & TOK_ALLCAP) && t->tok[k - 1].len > 2 && !abbreviation(t, k - 1) &&
                  (t->tok[j].flags & TOK_CAP) && (t->tok[j].flags & TOK_WORD) && t->tok[j].len > 1)) {
                k = run_end - 1;
                continue;
            }
        }
        const radar_token *nx = &t->tok[j];
        if ((nx->flags & (TOK_CAP | TOK_NUM | TOK_QUOTE)) || (nx->flags & TOK_PUNCT)) {
            if ((rc = push_sentence(t, first, (uint32_t)j)))
                return rc;
            first = (uint32_t)j;
        }
        k = run_end - 1;
    }
    if (first < t->n && (rc = push_sentence(t, first, (uint32_t)t->n)))
        return rc;
    return 0;
}

int radar_tokenize(radar_tokens *t, const char *body, size_t len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_classes);
    t->n = 0;
    t->fold_len = 0;
    t->n_sent = 0;
    t->glue_marks = 0;
    if (len > UINT32_MAX / 4)
        return radar_error_set(RADAR_ETOOLARGE, "article too large to tokenize");
    /* at most one token per byte, and never more than the token limit */
    size_t max_tokens = len + 1 < RADAR_MAX_TOKENS_PER_ARTICLE ? len + 1 : RADAR_MAX_TOKENS_PER_ARTICLE;
    if (radar_grow((void **)&t->tok, &t->cap, max_tokens, sizeof *t->tok, 256) ||
        radar_grow((void **)&t->fold, &t->fold_cap, len * 3 + 16, 1, 256))
        return RADAR_ENOMEM;
    const unsigned char *s = (const unsigned char *)body;
    size_t i = 0;
    uint16_t pending = TOK_PARA | TOK_LINE; /* flags for the next token */
    int newlines = 0;
    while (i < len) {
        /* the common separator: one plain space before a word */
        if (s[i] == ' ' && i + 1 < len && s[i + 1] < 0x80 && ascii_class[s[i + 1]] >= C_UPPER) {
            pending |= TOK_SPACE;
            newlines = 0;
            i++;
        }
        size_t n;
        int32_t cp;
        int c = cls_at(s, len, i, &n, &cp);
        if (c == C_FORMAT) { /* invisible between tokens */
            i += n;
            continue;
        }
        if (c == C_SPACE || c == C_NL) {
            pending |= TOK_SPACE;
            if (c == C_NL) {
                pending |= TOK_LINE;
                if (++newlines >= 2)
                    pending |= TOK_PARA;
            }
            i += n;
            continue;
        }
        newlines = 0;
        size_t start = i;
        uint16_t flags = pending;
        pending = 0;
        if (c == C_UPPER || c == C_LOWER) {
            int pushed = word_token(t, s, len, start, c, max_tokens, &flags, &i);
            if (pushed < 0)
                return pushed;
            if (pushed)
                continue;
        } else if (c == C_DIGIT) {
            flags |= TOK_NUM;
            i = number_end(s, len, i);
        } else {
            i = punct_token(t, body, len, i, n, cp, &flags);
        }
        if (t->n == max_tokens)
            return radar_error_set(RADAR_ETOOLARGE, "article has more than %u tokens", RADAR_MAX_TOKENS_PER_ARTICLE);
        push_token(t, body, (uint32_t)start, (uint32_t)(i - start), flags);
    }
    if (t->glue_marks)
        split_glued(t, body, max_tokens);
    return find_sentences(t, body);
}

void radar_tokens_free(radar_tokens *t)
{
    free(t->tok);
    free(t->fold);
    free(t->sent);
    memset(t, 0, sizeof *t);
}
