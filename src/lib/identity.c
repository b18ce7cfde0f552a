/*
 * identity.c - one player however his name is written.
 *
 * The press writes a man's name many ways: with and without a hyphen
 * (folded away by the key), a short form of the first name ("Mo"), a
 * transliteration ("Kvicha", "Khvicha"), an initial, a slip of one letter
 * ("Bryan Brobbey"), the surname alone ("Kolo Muani"), or a nickname
 * ("Kvara"). Names alone say only whether two forms *can* be one man; the
 * store decides with the ages and clubs the articles give. First names are
 * compared only between names whose surnames agree, so "Reece James" and
 * "Daniel James" stay two however alike the rest.
 *
 * The tables of names.txt are read once, from the compiled-in lexicon, into
 * sorted arrays searched by bisection.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "../util/embedded.h"
#include "../util/utf8.h"

typedef struct name_pair {
    char *name;  /* folded first name, or folded nickname key */
    char *value; /* nicknames: the full name's key */
    int group;   /* first names: the set of names that are one */
} name_pair;

static name_pair *given, *nicks;
static size_t n_given, n_nicks;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const name_pair *)a)->name, ((const name_pair *)b)->name);
}

/* The folded key of s[0..n): lower case, no accents, words single-spaced. */
static char *key_of(const char *s, size_t n)
{
    char f[256], *out = malloc(sizeof f);
    if (!out)
        return NULL;
    size_t m = radar_fold(s, n, f, sizeof f - 1), o = 0;
    int space = 1;
    for (size_t i = 0; i < m && o + 1 < sizeof f; i++) {
        unsigned char c = (unsigned char)f[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            out[o++] = (char)c;
            space = 0;
        } else if (!space) {
            out[o++] = ' ';
            space = 1;
        }
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

static int push(name_pair **v, size_t *n, char *name, char *value, int group)
{
    name_pair *g = realloc(*v, (*n + 1) * sizeof **v);
    if (!g || !name) {
        free(name);
        free(value);
        return -1;
    }
    *v = g;
    g[(*n)++] = (name_pair){name, value, group};
    return 0;
}

static const name_pair *find(const name_pair *v, size_t n, const char *name)
{
    name_pair k = {(char *)name, NULL, 0};
    return n ? bsearch(&k, v, n, sizeof *v, cmp_pair) : NULL;
}

/* A first name in several lines joins their groups: the group of a name is
 * the smallest line number it reaches (a union over a few hundred names). */
static void join_groups(void)
{
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i + 1 < n_given; i++)
            if (!strcmp(given[i].name, given[i + 1].name) && given[i].group != given[i + 1].group) {
                int from = given[i].group > given[i + 1].group ? given[i].group : given[i + 1].group;
                int to = given[i].group < given[i + 1].group ? given[i].group : given[i + 1].group;
                for (size_t j = 0; j < n_given; j++)
                    if (given[j].group == from)
                        given[j].group = to;
                changed = 1;
            }
    }
}

static void load(void)
{
    const radar_embedded_file *f = radar_embedded_find(radar_builtin_lexicon, radar_builtin_lexicon_count, "names.txt");
    if (!f)
        return;
    int line_no = 0;
    for (const char *p = f->data, *end = f->data + f->len; p < end; line_no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end, *line = p;
        p = e + 1;
        int nick = !strncmp(line, "nickname:", 9);
        if (!nick && strncmp(line, "given:", 6))
            continue; /* comments and blank lines */
        line += nick ? 9 : 6;
        char *full = NULL;
        for (const char *a = line; a < e;) {
            const char *bar = memchr(a, '|', (size_t)(e - a));
            const char *b = bar ? bar : e;
            char *k = key_of(a, (size_t)(b - a));
            a = b + 1;
            if (!k || !*k) {
                free(k);
                continue;
            }
            if (!nick)
                push(&given, &n_given, k, NULL, line_no);
            else if (!full)
                full = k;
            else
                push(&nicks, &n_nicks, k, strdup(full), 0);
        }
        free(full);
    }
    if (n_given)
        qsort(given, n_given, sizeof *given, cmp_pair);
    if (n_nicks)
        qsort(nicks, n_nicks, sizeof *nicks, cmp_pair);
    join_groups();
}

int radar_identity_given_variants(const char *a, size_t na, const char *b, size_t nb)
{
    pthread_once(&once, load);
    char x[64], y[64];
    if (na >= sizeof x || nb >= sizeof y)
        return 0;
    memcpy(x, a, na);
    x[na] = '\0';
    memcpy(y, b, nb);
    y[nb] = '\0';
    /* a name in several lines has several entries, all of one group */
    const name_pair *p = find(given, n_given, x), *q = find(given, n_given, y);
    return p && q && p->group == q->group;
}

void radar_identity_canonical(const char *key, char *out, size_t cap)
{
    pthread_once(&once, load);
    const name_pair *p = find(nicks, n_nicks, key);
    size_t n = strlen(p ? p->value : key);
    if (n >= cap)
        n = cap ? cap - 1 : 0;
    if (cap) {
        memcpy(out, p ? p->value : key, n);
        out[n] = '\0';
    }
}

/* At most one edit apart: a letter more, less, changed, or two swapped. */
static int one_slip(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > nb)
        return one_slip(b, nb, a, na);
    if (nb - na > 1)
        return 0;
    size_t i = 0;
    while (i < na && a[i] == b[i])
        i++;
    if (i == na)
        return 1; /* equal, or one letter more at the end */
    if (na == nb) {
        if (!memcmp(a + i + 1, b + i + 1, na - i - 1))
            return 1; /* one changed */
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] && !memcmp(a + i + 2, b + i + 2, na - i - 2);
    }
    return !memcmp(a + i, b + i + 1, na - i); /* one inserted */
}

/* Words of a key: up to 8 (start, length) pairs. */
static size_t words_of(const char *k, const char **w, size_t *len, size_t max)
{
    size_t n = 0;
    for (const char *p = k; *p && n < max;) {
        size_t l = strcspn(p, " ");
        w[n] = p;
        len[n++] = l;
        p += l;
        while (*p == ' ')
            p++;
    }
    return n;
}

static int word_eq(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && !memcmp(a, b, na);
}

int radar_identity_names(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return ID_SAME;
    const char *wa[8], *wb[8];
    size_t la[8], lb[8];
    size_t na = words_of(a, wa, la, 8), nb = words_of(b, wb, lb, 8);
    if (!na || !nb)
        return ID_APART;
    /* one is the other's last words: the surname alone */
    size_t shorter = na < nb ? na : nb;
    int suffix = na != nb;
    for (size_t i = 1; i <= shorter && suffix; i++)
        suffix = word_eq(wa[na - i], la[na - i], wb[nb - i], lb[nb - i]);
    if (suffix)
        return ID_SURNAME;
    if (na < 2 || nb < 2)
        return ID_APART;
    /* surnames: the same, or a slip of one letter in a long one */
    const char *sa = wa[na - 1], *sb = wb[nb - 1];
    size_t ls = la[na - 1], lt = lb[nb - 1];
    int same_surname = word_eq(sa, ls, sb, lt);
    if (!same_surname && !(ls >= 5 && lt >= 5 && one_slip(sa, ls, sb, lt)))
        return ID_APART;
    const char *fa = wa[0], *fb = wb[0];
    size_t lf = la[0], lg = lb[0];
    if (word_eq(fa, lf, fb, lg))
        return same_surname ? ID_MIDDLE : ID_SLIP;
    if (!same_surname)
        return ID_APART; /* one slip at a time */
    if (radar_identity_given_variants(fa, lf, fb, lg))
        return ID_VARIANT;
    if (lf >= 3 && lg >= 3 && !memcmp(fa, fb, lf < lg ? lf : lg))
        return ID_PREFIX;
    if ((lf == 1 && fb[0] == fa[0]) || (lg == 1 && fa[0] == fb[0]))
        return ID_SLIP; /* an initial */
    if (lf >= 4 && lg >= 4 && one_slip(fa, lf, fb, lg))
        return ID_SLIP;
    return ID_APART;
}
