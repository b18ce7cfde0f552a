/*
 * search_query.c - a search as the user types it, made an FTS5 query (see
 * search_query.h).
 *
 * FTS5's own syntax (AND, OR, NOT, NEAR(), column filters, '^', '+',
 * parentheses) is an error waiting to happen for someone who types words:
 * "Man City AND Grealish" or "Saint-Maximin" or an odd number of quotes.
 * Here every term is quoted for FTS5, so what the user wrote is looked for
 * as words; only quotes (phrases), a leading '-' (leave out) and a
 * trailing '*' (prefix) mean anything.
 */
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "search_query.h"

static int space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Does s[0..n) hold a letter or a digit (any non-ASCII byte counts: the
 * tokenizer decides)? */
static int has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

/* Append s[0..n) to out as an FTS5 string ("..." with " doubled). */
static char *quoted(char *o, const char *s, size_t n)
{
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *o++ = '"';
        *o++ = s[i];
    }
    *o++ = '"';
    return o;
}

int radar_search_translate(const char *query, char **out)
{
    *out = NULL;
    size_t len = strlen(query);
    /* each byte at most doubled, plus quotes, " NOT " and the parentheses per term */
    char *pos = malloc(2 * len + 8 * (len / 2 + 1) + 4);
    char *neg = malloc(2 * len + 8 * (len / 2 + 1) + 4);
    if (!pos || !neg) {
        free(pos);
        free(neg);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    char *p = pos, *q = neg;
    int positives = 0, negatives = 0;
    const char *s = query;
    while (*s) {
        if (space((unsigned char)*s)) {
            s++;
            continue;
        }
        int minus = 0;
        if (*s == '-' && s[1] && !space((unsigned char)s[1])) {
            minus = 1;
            s++;
        }
        const char *start;
        size_t n;
        int prefix = 0;
        if (*s == '"') { /* a phrase, to the closing quote or the end */
            start = ++s;
            while (*s && *s != '"')
                s++;
            n = (size_t)(s - start);
            if (*s)
                s++;
            if (*s == '*') { /* "a phra"*: its last word a prefix */
                prefix = 1;
                while (*s == '*')
                    s++;
            }
        } else {
            start = s;
            while (*s && !space((unsigned char)*s) && *s != '"')
                s++;
            n = (size_t)(s - start);
            /* word*: a prefix; a '*' elsewhere is no syntax */
            if (n > 1 && start[n - 1] == '*' && has_word(start, n - 1)) {
                prefix = 1;
                n--;
                while (n && start[n - 1] == '*')
                    n--;
            }
        }
        if (!has_word(start, n))
            continue;
        if (minus) {
            q = memcpy(q, " NOT ", 5) + 5;
            q = quoted(q, start, n);
            if (prefix)
                *q++ = '*';
            negatives++;
        } else {
            if (positives)
                *p++ = ' ';
            p = quoted(p, start, n);
            if (prefix)
                *p++ = '*';
            positives++;
        }
    }
    *p = '\0';
    *q = '\0';
    if (!positives) {
        free(pos);
        free(neg);
        if (negatives)
            return radar_error_set(RADAR_EINVALID, "search: '%s' only says what to leave out (-word); give a word "
                                                   "to look for too",
                                   query);
        if (has_word(query, len) || len)
            return radar_error_set(RADAR_EINVALID, "search: '%s' has no word to look for", query);
        return radar_error_set(RADAR_EINVALID, "search: the query is empty; give a word or two to look for");
    }
    /* (a b) NOT c NOT d: the articles with a and b, less those with c or d */
    char *r = malloc(strlen(pos) + strlen(neg) + 3);
    if (r) {
        char *o = r;
        if (negatives)
            *o++ = '(';
        o = stpcpy(o, pos);
        if (negatives)
            *o++ = ')';
        strcpy(o, neg);
    }
    free(pos);
    free(neg);
    if (!r)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    *out = r;
    return 0;
}
