/*
 * words.c - word classes: loading words files and classifying tokens.
 *
 * A words file names classes of single words ("leave: leave|leaving|quit").
 * A word is keyed as the tokenizer keys a token: by the hash of its folded
 * form, so a token is in a class exactly when its folded text is one of the
 * class's words. One table maps that hash to the set of classes the word is
 * in; radar_words_classify probes it once per token of an article, and the passes
 * then test bits.
 */
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "lexicon_internal.h"
#include "../util/utf8.h"

#define RADAR_WORD_CLASS_NAME(id, name) name,
static const char *const class_names[WC_COUNT] = {RADAR_WORD_CLASSES(RADAR_WORD_CLASS_NAME)};
#undef RADAR_WORD_CLASS_NAME

const char *radar_words_class_name(word_class c) { return (unsigned)c < WC_COUNT ? class_names[c] : NULL; }

static int class_by_name(const char *s, size_t len)
{
    for (int c = 0; c < WC_COUNT; c++)
        if (strlen(class_names[c]) == len && memcmp(class_names[c], s, len) == 0)
            return c;
    return -1;
}

static inline void set_add(word_set *w, word_class c) { w->bits[c >> 6] |= 1ull << (c & 63); }
static inline int set_has(const word_set *w, word_class c) { return (int)(w->bits[c >> 6] >> (c & 63)) & 1; }

/* Put the word with token hash `hash` into class c. */
static int add_word(radar_lexicon *lex, uint64_t hash, word_class c)
{
    if (radar_lex_table_grow(&lex->word_keys, (void **)&lex->word_vals, sizeof *lex->word_vals, &lex->word_slots,
                       lex->word_used))
        return RADAR_ENOMEM;
    uint64_t key = lex_key(hash);
    size_t j = lex_probe(lex->word_keys, lex->word_slots, key);
    if (!lex->word_keys[j]) { /* a new word: its set starts empty (the table is calloc'd) */
        lex->word_keys[j] = key;
        lex->word_used++;
    }
    set_add(&lex->word_vals[j], c);
    return 0;
}

/* Can w[0..len) be the text of one token? A word (a letter, then letters,
 * digits, and apostrophes each before a letter), a number (digits) or one
 * punctuation mark: the tokenizer splits anything else ("team-mate", "here we
 * go"), which could then never match. */
static int one_token(const char *w, size_t len)
{
    const unsigned char *u = (const unsigned char *)w;
    int32_t cp;
    size_t i = radar_utf8_decode(u, len, &cp);
    if (radar_cp_is_digit(cp)) {
        while (i < len && radar_cp_is_digit(u[i]))
            i++;
        return i == len;
    }
    if (!radar_cp_is_letter(cp))
        return i == len && !radar_cp_is_space(cp) && cp != '\'' && cp != 0x2019;
    int apostrophe = 0; /* the last code point was one */
    while (i < len) {
        i += radar_utf8_decode(u + i, len - i, &cp);
        if (cp == '\'' || cp == 0x2019) {
            if (apostrophe)
                return 0;
            apostrophe = 1;
        } else if (radar_cp_is_letter(cp) || (radar_cp_is_digit(cp) && !apostrophe)) {
            apostrophe = 0;
        } else {
            return 0;
        }
    }
    return !apostrophe;
}

/* One line "class: word|word|..." (trimmed, not a comment). */
static int add_line(radar_lexicon *lex, const char *ls, size_t ll, const char *name, unsigned long line)
{
    const char *colon = memchr(ls, ':', ll);
    if (!colon)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: expected 'class: word|word|...'", name, line);
    const char *cn = ls;
    size_t cl = (size_t)(colon - ls);
    radar_lex_trim(&cn, &cl);
    int c = class_by_name(cn, cl);
    if (c < 0)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: unknown word class '%.*s'", name, line, (int)cl, cn);
    const char *f = colon + 1;
    size_t rest = (size_t)(ls + ll - f);
    int words = 0;
    for (;;) {
        const char *bar = memchr(f, '|', rest);
        size_t fl = bar ? (size_t)(bar - f) : rest;
        const char *w = f;
        size_t wl = fl;
        radar_lex_trim(&w, &wl);
        if (wl) {
            if (wl > RADAR_MAX_WORD_BYTES || !one_token(w, wl))
                return radar_error_set(RADAR_EFORMAT,
                                       "%s:%lu: '%.*s' is not one word (letters, digits and inner apostrophes, "
                                       "at most %u bytes)",
                                       name, line, (int)wl, w, RADAR_MAX_WORD_BYTES);
            /* folded as the tokenizer folds a token, within its bound */
            char folded[RADAR_MAX_WORD_BYTES * 3 + 8];
            size_t n = radar_fold(w, wl, folded, wl * 3 + 8);
            int rc = add_word(lex, radar_hash_token(folded, n), (word_class)c);
            if (rc)
                return rc;
            words++;
        }
        if (!bar)
            break;
        f = bar + 1;
        rest -= fl + 1;
    }
    if (!words)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: word class '%s' has no words", name, line, class_names[c]);
    set_add(&lex->word_named, (word_class)c);
    return 0;
}

int radar_lexicon_add_words(radar_lexicon *lex, const char *name, const char *text, size_t len)
{
    if (len > RADAR_MAX_LEXICON_FILE)
        return radar_error_set(RADAR_ETOOLARGE, "%s: lexicon file over %u bytes", name, RADAR_MAX_LEXICON_FILE);
    unsigned long line = 0;
    size_t pos = 0;
    int rc = 0;
    while (pos < len && !rc) {
        const char *ls = text + pos;
        const char *nl = memchr(ls, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ls) : len - pos;
        pos += ll + (nl ? 1 : 0);
        line++;
        radar_lex_trim(&ls, &ll);
        if (ll == 0 || ls[0] == '#')
            continue;
        if (radar_utf8_check(ls, ll) != ll)
            rc = radar_error_set(RADAR_EFORMAT, "%s:%lu: invalid UTF-8", name, line);
        else
            rc = add_line(lex, ls, ll, name, line);
    }
    return rc;
}

int radar_words_check(const radar_lexicon *lex, const char *name)
{
    for (int c = 0; c < WC_COUNT; c++)
        if (!set_has(&lex->word_named, (word_class)c))
            return radar_error_set(RADAR_EFORMAT, "%s: word class '%s' is missing", name, class_names[c]);
    return 0;
}

void radar_words_classify(const radar_lexicon *lex, const radar_tokens *t, word_set *out)
{
    const uint64_t *keys = lex->word_keys;
    size_t slots = lex->word_slots;
    if (!slots) {
        memset(out, 0, (t->n + WORD_PAD) * sizeof *out);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        size_t j = lex_probe(keys, slots, lex_key(t->tok[i].hash));
        if (keys[j])
            out[i] = lex->word_vals[j];
        else
            memset(&out[i], 0, sizeof out[i]);
    }
    memset(out + t->n, 0, WORD_PAD * sizeof *out);
}

/* Is the word with this token hash a club's whole name by itself ("Barcelona",
 * "Chelsea"), one the lexicon does not mark ambiguous? */
static int one_word_club(const radar_lexicon *lex, uint64_t hash)
{
    if (!lex->slots)
        return 0;
    size_t j = lex_probe(lex->keys, lex->slots, lex_key(radar_hash_combine(0, hash)));
    if (!lex->keys[j])
        return 0;
    for (uint32_t a = lex->vals[j].head; a != LEX_NONE; a = lex->aliases[a].next) {
        const lex_alias *al = &lex->aliases[a];
        if (al->ntok == 1 && !al->ambiguous && lex->entries[al->entry].kind == RADAR_KIND_CLUB)
            return 1;
    }
    return 0;
}

int radar_words_is_opener(const void *ctx, uint64_t hash)
{
    const radar_lexicon *lex = ctx;
    if (lex->word_slots) {
        size_t j = lex_probe(lex->word_keys, lex->word_slots, lex_key(hash));
        if (lex->word_keys[j] && set_has(&lex->word_vals[j], WC_SENTENCE_OPENER))
            return 1;
    }
    /* a heading's name glued to the next paragraph's club: "Kalvin
     * PhillipsBarcelona sporting director Deco said" */
    return one_word_club(lex, hash);
}
