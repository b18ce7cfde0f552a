/*
 * lexicon.c - loading lexicon files and matching their aliases in text.
 *
 * Aliases are tokenized with the same tokenizer as articles, so "St-Germain",
 * "St Germain" and "st. germain" all give one key. Matching is a longest-match
 * search from each token, bounded by the longest alias that starts with that
 * token (one probe in a small table decides most tokens).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/limits.h"
#include "lexicon_internal.h"
#include "../util/grow.h"
#include "../util/utf8.h"

#include "../util/embedded.h"

int radar_lex_table_grow(uint64_t **keys, void **vals, size_t vsize, size_t *slots, size_t used)
{
    /* at most half full: most look-ups are misses, and with linear probing a
     * miss costs about 1/(1-load)^2 probes */
    if ((used + 1) * 2 < *slots)
        return 0;
    size_t ns = *slots ? *slots * 2 : 1024;
    uint64_t *nk = calloc(ns, sizeof *nk);
    unsigned char *nv = calloc(ns, vsize);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return radar_error_set(RADAR_ENOMEM, "out of memory building the lexicon");
    }
    for (size_t i = 0; i < *slots; i++) {
        if (!(*keys)[i])
            continue;
        size_t j = lex_slot_of((*keys)[i], ns);
        while (nk[j])
            j = (j + 1) & (ns - 1);
        nk[j] = (*keys)[i];
        memcpy(nv + j * vsize, (unsigned char *)*vals + i * vsize, vsize);
    }
    free(*keys);
    free(*vals);
    *keys = nk;
    *vals = nv;
    *slots = ns;
    return 0;
}

int radar_lexicon_new(radar_lexicon **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : radar_error_set(RADAR_ENOMEM, "out of memory");
}

void radar_lexicon_free(radar_lexicon *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->n_strings; i++)
        free(lex->strings[i]);
    free(lex->strings);
    free(lex->entries);
    free(lex->aliases);
    free(lex->keys);
    free(lex->vals);
    free(lex->word_keys);
    free(lex->word_vals);
    free(lex);
}

size_t radar_lexicon_count(const radar_lexicon *lex, radar_entity_kind kind)
{
    return kind < RADAR_KIND_COUNT ? lex->counts[kind] : 0;
}

static const char *intern(radar_lexicon *lex, const char *s, size_t len)
{
    if (radar_grow((void **)&lex->strings, &lex->cap_strings, lex->n_strings + 1, sizeof *lex->strings, 256))
        return NULL;
    char *c = malloc(len + 1);
    if (!c)
        return NULL;
    memcpy(c, s, len);
    c[len] = '\0';
    lex->strings[lex->n_strings++] = c;
    return c;
}

/* Key of a folded alias: the combined hash of its tokens, joiners skipped.
 * prefixes[k] gets the key of its first k+1 tokens. */
static int alias_key(radar_tokens *t, const char *s, size_t len, uint64_t *prefixes, uint8_t *ntok)
{
    int rc = radar_tokenize(t, s, len);
    if (rc)
        return rc;
    uint64_t h = 0;
    int n = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->tok[i].flags & TOK_JOIN)
            continue;
        if (n == RADAR_MAX_ALIAS_TOKENS)
            return RADAR_EINVALID;
        h = radar_hash_combine(h, t->tok[i].hash);
        prefixes[n++] = lex_key(h);
    }
    if (n == 0)
        return RADAR_EINVALID;
    *ntok = (uint8_t)n;
    return 0;
}

_Static_assert(RADAR_KIND_COUNT <= 16, "a slot's kinds are a 16-bit mask");

/* The slot for `key`, created empty if absent. */
static int slot_for(radar_lexicon *lex, uint64_t key, size_t *out)
{
    if (radar_lex_table_grow(&lex->keys, (void **)&lex->vals, sizeof *lex->vals, &lex->slots, lex->used))
        return RADAR_ENOMEM;
    size_t j = lex_probe(lex->keys, lex->slots, key);
    if (!lex->keys[j]) {
        lex->keys[j] = key;
        lex->vals[j].head = LEX_NONE;
        lex->vals[j].kinds = lex->vals[j].kinds_lower = 0;
        lex->vals[j].more = 0;
        lex->used++;
    }
    *out = j;
    return 0;
}

static int add_alias(radar_lexicon *lex, radar_tokens *t, uint32_t entry, const char *s, size_t len, int ambiguous)
{
    uint64_t prefixes[RADAR_MAX_ALIAS_TOKENS];
    uint64_t key;
    uint8_t ntok;
    const lex_entry *e = &lex->entries[entry];
    if (len && s[0] == '@') { /* a social handle: one key for the whole folded string */
        char f[256];
        size_t fl = radar_fold(s, len, f, sizeof f);
        key = lex_key(radar_hash_bytes(f, fl));
        ntok = 0;
    } else {
        int rc = alias_key(t, s, len, prefixes, &ntok);
        if (rc)
            return rc;
        key = prefixes[ntok - 1];
    }
    size_t j;
    if (ntok) {
        /* people have a filter of their own: their first names ("Carlo",
         * "Jose") would otherwise send every such token of every article
         * through the slow path, and people are looked up by name only */
        lex_filter_add(e->kind == RADAR_KIND_PERSON ? lex->people_bits : lex->first_bits, prefixes[0]);
        for (int k = 1; k < ntok; k++)
            lex_filter_add(lex->more_bits, prefixes[k]);
    }
    for (int k = 0; k + 1 < ntok; k++) {
        if (slot_for(lex, prefixes[k], &j))
            return RADAR_ENOMEM;
        lex->vals[j].more = 1;
    }
    if (slot_for(lex, key, &j))
        return RADAR_ENOMEM;
    /* the same entry twice under one key (an alias repeating the canonical) adds nothing */
    for (uint32_t a = lex->vals[j].head; a != LEX_NONE; a = lex->aliases[a].next)
        if (lex->aliases[a].entry == entry)
            return 0;
    int rc = radar_grow((void **)&lex->aliases, &lex->cap_aliases, lex->n_aliases + 1, sizeof *lex->aliases, 1024);
    if (rc)
        return rc;
    lex_alias *a = &lex->aliases[lex->n_aliases];
    a->entry = entry;
    a->ntok = ntok;
    a->ambiguous = (uint8_t)ambiguous;
    a->lower_ok = e->kind == RADAR_KIND_TRIGGER || e->kind == RADAR_KIND_POSITION || e->kind == RADAR_KIND_ROLE ||
                  e->kind == RADAR_KIND_COMMON;
    /* the chain's kinds, so that a match tests one slot, not each alias and its entry */
    lex->vals[j].kinds |= (uint16_t)(1u << e->kind);
    if (a->lower_ok)
        lex->vals[j].kinds_lower |= (uint16_t)(1u << e->kind);
    /* append at the end of the chain so that file order decides defaults */
    a->next = LEX_NONE;
    if (lex->vals[j].head == LEX_NONE) {
        lex->vals[j].head = (uint32_t)lex->n_aliases;
    } else {
        uint32_t k = lex->vals[j].head;
        while (lex->aliases[k].next != LEX_NONE)
            k = lex->aliases[k].next;
        lex->aliases[k].next = (uint32_t)lex->n_aliases;
    }
    lex->n_aliases++;
    return 0;
}

static int stage_by_name(const char *s)
{
    for (int i = 1; i < RADAR_STAGE_COUNT; i++)
        if (strcmp(s, radar_stage_name((radar_stage)i)) == 0)
            return i;
    return -1;
}

static int cue_by_name(const char *s)
{
    static const char *const names[CUE_COUNT] = {
        "none", "renewal", "contract", "injury", "keep", "sell", "source_before", "source_after", "past", "caption",
        "negation", "denial", "speech", "fee_bid", "fee_asking", "fee_valuation", "fee_release", "fee_wages",
        "club_noun", "stay", "done"};
    for (int i = 1; i < CUE_COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

void radar_lex_trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
        (*len)--;
}

static int parse_attr(radar_lexicon *lex, lex_entry *e, const char *f, size_t len, const char *name,
                      unsigned long line)
{
    const char *eq = memchr(f, '=', len);
    size_t kl = (size_t)(eq - f);
    const char *v = eq + 1;
    size_t vl = len - kl - 1;
    char val[128];
    if (vl >= sizeof val)
        return radar_error_set(RADAR_EFORMAT, "%s:%lu: attribute value too long", name, line);
    memcpy(val, v, vl);
    val[vl] = '\0';
#define KEY(k) (kl == sizeof(k) - 1 && memcmp(f, k, kl) == 0)
    if (KEY("tier")) {
        e->tier = atoi(val);
        if (e->tier < 1 || e->tier > 5)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: tier must be 1 to 5", name, line);
    } else if (KEY("stage")) {
        if ((e->stage = stage_by_name(val)) < 0)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: unknown stage '%s'", name, line, val);
    } else if (KEY("dir")) {
        if (!strcmp(val, "buyer"))
            e->dir = DIR_BUYER;
        else if (!strcmp(val, "player"))
            e->dir = DIR_PLAYER;
        else if (!strcmp(val, "seller"))
            e->dir = DIR_SELLER;
        else if (!strcmp(val, "noun"))
            e->dir = DIR_NOUN;
        else if (!strcmp(val, "rival"))
            e->dir = DIR_RIVAL;
        else if (!strcmp(val, "refused"))
            e->dir = DIR_REFUSED;
        else
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: unknown dir '%s'", name, line, val);
    } else if (KEY("cue")) {
        if ((e->cue = cue_by_name(val)) < 0)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: unknown cue '%s'", name, line, val);
    } else if (KEY("certain")) {
        if (strcmp(val, "yes") && strcmp(val, "no"))
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: certain must be yes or no", name, line);
        e->certain = !strcmp(val, "yes");
    } else if (KEY("group")) {
        e->group = val[0];
    } else if (KEY("country")) {
        e->country = intern(lex, val, vl);
    } else if (KEY("league")) {
        e->league = intern(lex, val, vl);
    } else if (KEY("role")) {
        e->role = intern(lex, val, vl);
    } else if (KEY("from") || KEY("until")) {
        char *end;
        long y = strtol(val, &end, 10);
        if (*end || y < 1850 || y > 2200)
            return radar_error_set(RADAR_EFORMAT, "%s:%lu: %.*s must be a year", name, line, (int)kl, f);
        if (KEY("from"))
            e->from = (int)y;
        else
            e->until = (int)y;
    } /* other attributes (domain, outlet, kind, ...) are kept by the files for people and later use */
#undef KEY
    return 0;
}

/* Country from a clubs file name: "saudi-arabia.txt" -> "Saudi Arabia". */
static const char *country_from_name(radar_lexicon *lex, const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    char c[64];
    size_t n = 0;
    int up = 1;
    for (; *b && *b != '.' && n < sizeof c - 1; b++) {
        char ch = *b == '-' || *b == '_' ? ' ' : *b;
        c[n++] = up && ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
        up = ch == ' ';
    }
    return intern(lex, c, n);
}

int radar_lexicon_add_text(radar_lexicon *lex, radar_entity_kind kind, const char *name, const char *text,
                           size_t len)
{
    if (len > RADAR_MAX_LEXICON_FILE)
        return radar_error_set(RADAR_ETOOLARGE, "%s: lexicon file over %u bytes", name, RADAR_MAX_LEXICON_FILE);
    radar_tokens t = {0};
    const char *country = kind == RADAR_KIND_CLUB ? country_from_name(lex, name) : NULL;
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
        if (radar_utf8_check(ls, ll) != ll) {
            rc = radar_error_set(RADAR_EFORMAT, "%s:%lu: invalid UTF-8", name, line);
            break;
        }
        if ((rc = radar_grow((void **)&lex->entries, &lex->cap_entries, lex->n_entries + 1, sizeof *lex->entries,
                             512)))
            break;
        uint32_t id = (uint32_t)lex->n_entries;
        lex_entry *e = &lex->entries[id];
        memset(e, 0, sizeof *e);
        e->kind = kind;
        e->country = country;
        /* attributes first, so that aliases see the whole entry */
        const char *f = ls;
        size_t rest = ll;
        int nfield = 0;
        while (!rc) {
            const char *bar = memchr(f, '|', rest);
            size_t fl = bar ? (size_t)(bar - f) : rest;
            const char *fs = f;
            size_t fsl = fl;
            radar_lex_trim(&fs, &fsl);
            if (fsl && memchr(fs, '=', fsl))
                rc = parse_attr(lex, e, fs, fsl, name, line);
            else if (fsl && nfield++ == 0)
                e->canonical = intern(lex, fs[0] == '~' ? fs + 1 : fs, fs[0] == '~' ? fsl - 1 : fsl);
            if (!bar)
                break;
            f = bar + 1;
            rest -= fl + 1;
        }
        if (rc)
            break;
        if (!e->canonical) {
            rc = radar_error_set(RADAR_EFORMAT, "%s:%lu: no name before the attributes", name, line);
            break;
        }
        lex->n_entries++;
        lex->counts[kind]++;
        f = ls;
        rest = ll;
        while (!rc) {
            const char *bar = memchr(f, '|', rest);
            size_t fl = bar ? (size_t)(bar - f) : rest;
            const char *fs = f;
            size_t fsl = fl;
            radar_lex_trim(&fs, &fsl);
            if (fsl > 7 && !memcmp(fs, "domain=", 7)) {
                /* a web domain names its outlet too ("dailymail.co.uk" as a feed's source) */
                rc = add_alias(lex, &t, id, fs + 7, fsl - 7, 0);
                if (rc == RADAR_EINVALID)
                    rc = radar_error_set(RADAR_EFORMAT, "%s:%lu: domain '%.*s' is empty or too long", name, line,
                                         (int)fsl, fs);
            } else if (fsl && !memchr(fs, '=', fsl)) {
                int amb = fs[0] == '~';
                rc = add_alias(lex, &t, id, fs + amb, fsl - amb, amb);
                if (rc == RADAR_EINVALID)
                    rc = radar_error_set(RADAR_EFORMAT, "%s:%lu: alias '%.*s' is empty or longer than %d words",
                                         name, line, (int)fsl, fs, RADAR_MAX_ALIAS_TOKENS);
            }
            if (!bar)
                break;
            f = bar + 1;
            rest -= fl + 1;
        }
    }
    radar_tokens_free(&t);
    return rc;
}

/* words.txt holds word classes, not entities of a kind */
#define KIND_WORDS RADAR_KIND_COUNT

/* Which kind a lexicon file holds, from its path relative to the lexicon root
 * (KIND_WORDS for words.txt, -1 for files that are not lexicon files). */
static int kind_of_path(const char *rel)
{
    const char *b = strrchr(rel, '/');
    const char *base = b ? b + 1 : rel;
    if (strncmp(rel, "clubs/", 6) == 0)
        return RADAR_KIND_CLUB;
    if (!strcmp(rel, "words.txt"))
        return KIND_WORDS;
    if (!strcmp(base, "outlets.txt"))
        return RADAR_KIND_OUTLET;
    if (!strcmp(base, "journalists.txt"))
        return RADAR_KIND_JOURNALIST;
    if (!strcmp(base, "positions.txt"))
        return RADAR_KIND_POSITION;
    if (!strcmp(base, "nationalities.txt"))
        return RADAR_KIND_NATIONALITY;
    if (!strcmp(base, "triggers.txt") || !strcmp(base, "cues.txt"))
        return RADAR_KIND_TRIGGER;
    if (!strcmp(base, "roles.txt"))
        return RADAR_KIND_ROLE;
    if (!strcmp(base, "common_words.txt") || !strcmp(base, "competitions.txt"))
        return RADAR_KIND_COMMON;
    if (!strcmp(base, "people.txt"))
        return RADAR_KIND_PERSON;
    return -1;
}

int radar_lexicon_builtin_file(const char *name, const char **data, size_t *len)
{
    const radar_embedded_file *f = radar_embedded_find(radar_builtin_lexicon, radar_builtin_lexicon_count, name);
    if (f) {
        *data = f->data;
        *len = f->len;
        return 0;
    }
    return radar_error_set(RADAR_ENOTFOUND, "%s: not in the built-in lexicon", name);
}

int radar_lexicon_new_builtin(radar_lexicon **out)
{
    int rc = radar_lexicon_new(out);
    if (rc)
        return rc;
    for (size_t i = 0; i < radar_builtin_lexicon_count; i++) {
        const radar_embedded_file *f = &radar_builtin_lexicon[i];
        int kind = kind_of_path(f->path);
        if (kind < 0)
            continue;
        rc = kind == KIND_WORDS ? radar_lexicon_add_words(*out, f->path, f->data, f->len)
                                : radar_lexicon_add_text(*out, (radar_entity_kind)kind, f->path, f->data, f->len);
        if (rc)
            break;
    }
    /* the built-in words must name every class the extractor tests */
    if (rc || (rc = radar_words_check(*out, "words.txt"))) {
        radar_lexicon_free(*out);
        *out = NULL;
    }
    return rc;
}

static int load_file(radar_lexicon *lex, const char *path, const char *rel)
{
    int kind = kind_of_path(rel);
    if (kind < 0)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return radar_error_set(RADAR_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *data = malloc(RADAR_MAX_LEXICON_FILE + 1);
    if (!data) {
        fclose(f);
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    }
    size_t n = fread(data, 1, RADAR_MAX_LEXICON_FILE + 1, f);
    int err = ferror(f);
    fclose(f);
    int rc;
    if (err)
        rc = radar_error_set(RADAR_EIO, "%s: read failed", path);
    else if (n > RADAR_MAX_LEXICON_FILE)
        rc = radar_error_set(RADAR_ETOOLARGE, "%s: lexicon file over %u bytes", path, RADAR_MAX_LEXICON_FILE);
    else if (kind == KIND_WORDS)
        rc = radar_lexicon_add_words(lex, path, data, n);
    else
        rc = radar_lexicon_add_text(lex, (radar_entity_kind)kind, path, data, n);
    free(data);
    return rc;
}

static int txt_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".txt") == 0;
}

int radar_lexicon_load_dir(radar_lexicon *lex, const char *dir)
{
    static const char *const files[] = {"outlets.txt",  "journalists.txt", "positions.txt",    "nationalities.txt",
                                        "triggers.txt", "cues.txt",        "roles.txt",        "common_words.txt",
                                        "competitions.txt", "words.txt", "people.txt", NULL};
    char path[4096], rel[512];
    int found = 0, rc;
    snprintf(path, sizeof path, "%s/clubs", dir);
    struct dirent **names;
    int n = scandir(path, &names, txt_file, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/clubs/%s", dir, names[i]->d_name);
        snprintf(rel, sizeof rel, "clubs/%s", names[i]->d_name);
        rc = load_file(lex, path, rel);
        found++;
        if (rc) {
            while (i < n)
                free(names[i++]);
            free(names);
            return rc;
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    for (int i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fclose(f);
        found++;
        if ((rc = load_file(lex, path, files[i])))
            return rc;
    }
    if (!found)
        return radar_error_set(RADAR_ENOTFOUND, "%s: no lexicon files (clubs/*.txt, outlets.txt, ...)", dir);
    return 0;
}

/* The word classes of token tk (an empty set for a word in none). */
static word_set token_classes(const radar_lexicon *lex, const radar_token *tk)
{
    word_set w = {{0}};
    if (lex->word_slots) {
        size_t j = lex_probe(lex->word_keys, lex->word_slots, lex_key(tk->hash));
        if (lex->word_keys[j])
            w = lex->word_vals[j];
    }
    return w;
}

static int in_class(const word_set *w, word_class c) { return (int)(w->bits[c >> 6] >> (c & 63)) & 1; }

/* May token tk stand inside a stage phrase without being one of its words: a
 * modifier ("the permanent signing of"), a possessive, or a figure ("his £20m
 * move to")? */
static int trigger_slack(const radar_lexicon *lex, const radar_token *tk)
{
    if (tk->flags & TOK_NUM)
        return 1;
    word_set w = token_classes(lex, tk);
    return in_class(&w, WC_TRIGGER_SLACK) || in_class(&w, WC_MILLION) || in_class(&w, WC_BILLION) ||
           in_class(&w, WC_THOUSAND);
}

/* Is token tk a modifier word (not a figure) of the trigger_slack class? */
static int token_is_word_slack(const radar_lexicon *lex, const radar_token *tk)
{
    if (tk->flags & (TOK_NUM | TOK_PUNCT))
        return 0;
    word_set w = token_classes(lex, tk);
    return in_class(&w, WC_TRIGGER_SLACK);
}

/* Does the alias chain at `head` hold a cue? */
static int chain_has_cue(const radar_lexicon *lex, uint32_t head)
{
    for (uint32_t a = head; a != LEX_NONE; a = lex->aliases[a].next) {
        const lex_entry *e = &lex->entries[lex->aliases[a].entry];
        if (e->kind == RADAR_KIND_TRIGGER && e->cue)
            return 1;
    }
    return 0;
}

/* Does the alias chain at `head` hold a stage phrase or cue? */
static int chain_has_trigger(const radar_lexicon *lex, uint32_t head)
{
    for (uint32_t a = head; a != LEX_NONE; a = lex->aliases[a].next)
        if (lex->entries[lex->aliases[a].entry].kind == RADAR_KIND_TRIGGER)
            return 1;
    return 0;
}

size_t radar_lex_match_slow(const radar_lexicon *lex, const radar_tokens *t, size_t i, size_t end, unsigned kinds,
                            uint32_t *head, uint16_t *slack_out)
{
    if (!lex->slots || (t->tok[i].flags & TOK_JOIN))
        return 0;
    uint64_t h = 0;
    size_t best = 0;
    uint32_t best_head = LEX_NONE;
    int n = 0;
    int any_cap = 0;
    /* modifier words passed over inside a stage phrase, and whether the
     * phrase word after the last run of them may end it */
    unsigned slack = 0;
    uint16_t mask = 0, best_mask = 0;
    int resumed = 0, figure = 0;
    int may_slack = (kinds & (1u << RADAR_KIND_TRIGGER)) != 0;
    for (size_t k = i; k < end && n < RADAR_MAX_ALIAS_TOKENS; k++) {
        const radar_token *tk = &t->tok[k];
        if (tk->flags & TOK_JOIN) {
            if (tk->flags & TOK_SPACE) /* " - " is a dash, not a joiner */
                break;
            continue;
        }
        if (k > i && (tk->flags & TOK_QUOTE)) /* shown "serious interest" in */
            continue;
        if (k > i && (tk->flags & TOK_LINE))
            break;
        uint64_t hk = radar_hash_combine(h, tk->hash);
        /* past the first word, the big table is probed only when the filter
         * of longer keys may have this one */
        size_t j = 0;
        int found = n == 0 || lex_filter_has(lex->more_bits, lex_key(hk));
        if (found) {
            j = lex_probe(lex->keys, lex->slots, lex_key(hk));
            found = lex->keys[j] != 0;
        }
        if (!found) {
            /* "completed the permanent signing of", "completed his £20m move
             * to": a few modifiers inside a listed phrase, never before its
             * first word */
            if (may_slack && n > 0 && slack < RADAR_MAX_TRIGGER_SLACK && k - i < 16 && trigger_slack(lex, tk)) {
                slack++;
                mask |= (uint16_t)(1u << (k - i));
                resumed = 1;
                figure |= !token_is_word_slack(lex, tk);
                continue;
            }
            break; /* no alias is or starts with these tokens */
        }
        /* the phrase resumes after modifiers: "offered £20m to Brighton" is
         * no "offered to"; only a phrase word other than a preposition may */
        if (resumed) {
            word_set w = token_classes(lex, tk);
            if (in_class(&w, WC_PREPOSITION))
                break;
            resumed = 0;
        }
        /* a figure right before a stage phrase's last word is that word's
         * ("have had a 22m bid ... rejected", "made a 20m bid"), not the
         * phrase's; a cue takes it ("a new 100,000-a-week contract") */
        int figure_ends = figure && !chain_has_cue(lex, lex->vals[j].head);
        figure = 0;
        h = hk;
        n++;
        any_cap |= (tk->flags & (TOK_CAP | TOK_NUM)) != 0;
        const lex_slot *v = &lex->vals[j];
        /* some alias of the key has a wanted kind (and may match lower-case text
         * when no token is capitalised); past a modifier, only a stage phrase may */
        if ((kinds & (any_cap ? v->kinds : v->kinds_lower)) &&
            !((slack && !chain_has_trigger(lex, v->head)) || figure_ends)) {
            best = k + 1 - i;
            best_head = v->head;
            best_mask = mask;
        }
        if (!v->more)
            break;
    }
    if (best) {
        *head = best_head;
        if (slack_out)
            *slack_out = best_mask;
    }
    return best;
}

uint32_t radar_lex_lookup_word(const radar_lexicon *lex, const char *folded, size_t len)
{
    if (!lex->slots)
        return LEX_NONE;
    uint64_t key = lex_key(radar_hash_bytes(folded, len));
    size_t j = lex_probe(lex->keys, lex->slots, key);
    return lex->keys[j] ? lex->vals[j].head : LEX_NONE;
}
