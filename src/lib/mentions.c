/*
 * mentions.c - entity spans and who is who within one article.
 *
 * radar_mentions_scan walks the tokens once and records items: lexicon matches
 * (clubs, outlets, positions, triggers, ...), capitalised names nobody
 * listed, money, ages, @handles and pronouns. radar_mentions_resolve then decides
 * what each name is (a player, or a manager, pundit, official) from the words
 * around it, joins "Bastoni" to "Alessandro Bastoni", and resolves later
 * references ("the 26-year-old", "the Italian", "the defender", "he") to the
 * player they most plausibly mean.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "extract_internal.h"
#include "../util/utf8.h"

/* How far (in items or persons) the resolution passes look: an article of a
 * few thousand words is covered whole; a huge one still costs linear time. */
#define WINDOW 400

static item *push_item(extract_state *st, int type, size_t t0, size_t t1, uint32_t sent)
{
    if (radar_grow((void **)&st->items, &st->cap_items, st->n_items + 1, sizeof *st->items, 64))
        return NULL;
    item *it = &st->items[st->n_items++];
    memset(it, 0, sizeof *it);
    it->type = (uint8_t)type;
    it->t0 = (uint32_t)t0;
    it->t1 = (uint32_t)t1;
    it->sent = sent;
    it->entry = LEX_NONE;
    it->person = -1;
    it->owner = -1;
    it->money = -1;
    return it;
}

int radar_item_is_cue(const extract_state *st, const item *it, int cue)
{
    if (it->type != IT_CUE && it->type != IT_TRIGGER)
        return 0;
    const lex_entry *e = item_entry(st, it);
    if (e && e->cue == cue)
        return 1;
    return it->cue2 && st->lex->entries[it->cue2 - 1].cue == cue;
}

size_t radar_item_at_token(const extract_state *st, uint32_t t)
{
    size_t lo = 0, hi = st->n_items;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->items[mid].t0 < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int has_digit(const extract_state *st, size_t i)
{
    const radar_token *k = &st->tok->tok[i];
    for (uint32_t j = 0; j < k->len; j++)
        if (st->body[k->off + j] >= '0' && st->body[k->off + j] <= '9')
            return 1;
    return 0;
}

static int is_punct_char(const extract_state *st, size_t i, char c)
{
    const radar_token *k = &st->tok->tok[i];
    return (k->flags & TOK_PUNCT) && k->len == 1 && st->body[k->off] == c;
}

/* Single-word lexicon check for one token: is it a common capitalised word? */
static int is_common(const extract_state *st, size_t i)
{
    uint32_t head;
    size_t n = lex_match(st->lex, st->tok, i, i + 1, 1u << RADAR_KIND_COMMON, &head);
    return n == 1;
}

/* Does a lexicon entity (other than common words and triggers) start at token
 * i? Ambiguous aliases do not count: inside a name they are part of it
 * ("Bruno Guimaraes"). */
static size_t entity_at(const extract_state *st, size_t i, size_t end)
{
    uint32_t head;
    size_t n = lex_match(st->lex, st->tok, i, end,
                         (1u << RADAR_KIND_CLUB) | (1u << RADAR_KIND_OUTLET) | (1u << RADAR_KIND_JOURNALIST) |
                             (1u << RADAR_KIND_POSITION) | (1u << RADAR_KIND_ROLE) | (1u << RADAR_KIND_NATIONALITY),
                         &head);
    if (!n)
        return 0;
    for (uint32_t a = head; a != LEX_NONE; a = st->lex->aliases[a].next)
        if (!st->lex->aliases[a].ambiguous)
            return n;
    return 0;
}

/* Choose which of the entries under one alias key this span is, by kind:
 * club, outlet, journalist, nationality, position, role, trigger, common
 * word, in that order of preference, and a non-ambiguous alias over an
 * ambiguous one. A cue sharing a trigger's phrase rides along in *cue. */
static int pick_kind(const extract_state *st, uint32_t head, uint32_t *entry, int *ambiguous, uint32_t *cue)
{
    static const uint8_t rank[RADAR_KIND_COUNT] = {
        [RADAR_KIND_CLUB] = 0,     [RADAR_KIND_OUTLET] = 1, [RADAR_KIND_JOURNALIST] = 2, [RADAR_KIND_NATIONALITY] = 3,
        [RADAR_KIND_POSITION] = 4, [RADAR_KIND_ROLE] = 5,   [RADAR_KIND_TRIGGER] = 6,    [RADAR_KIND_COMMON] = 7,
        [RADAR_KIND_PERSON] = 99};
    const radar_lexicon *lex = st->lex;
    uint32_t found = LEX_NONE, cue_entry = LEX_NONE;
    int best_rank = 99, best_amb = 1, count = 0;
    for (uint32_t a = head; a != LEX_NONE; a = lex->aliases[a].next) {
        const lex_alias *al = &lex->aliases[a];
        const lex_entry *e = &lex->entries[al->entry];
        if (e->kind == RADAR_KIND_PERSON)
            continue; /* people are looked up by name once persons are known */
        if (e->kind == RADAR_KIND_TRIGGER && e->cue) {
            if (cue_entry == LEX_NONE)
                cue_entry = al->entry;
            continue;
        }
        int r = rank[e->kind];
        if (r < best_rank) {
            best_rank = r;
            found = al->entry;
            best_amb = al->ambiguous;
            count = 1;
        } else if (r == best_rank) {
            count++;
            if (best_amb && !al->ambiguous) {
                found = al->entry;
                best_amb = 0;
            }
        }
    }
    *cue = 0;
    if (found == LEX_NONE) {
        if (cue_entry == LEX_NONE)
            return -1;
        *entry = cue_entry; /* a phrase that is only a cue */
        *ambiguous = 0;
        return RADAR_KIND_TRIGGER;
    }
    /* a stage phrase ranks above cues; cues below it are kept alongside */
    if (cue_entry != LEX_NONE && lex->entries[found].kind == RADAR_KIND_TRIGGER)
        *cue = cue_entry + 1;
    else if (cue_entry != LEX_NONE && best_rank > rank[RADAR_KIND_TRIGGER]) {
        *entry = cue_entry;
        *ambiguous = 0;
        return RADAR_KIND_TRIGGER;
    }
    *entry = found;
    *ambiguous = best_amb || count > 1 ? best_amb : 0;
    return lex->entries[found].kind;
}

static int parse_age_at(const extract_state *st, size_t i, size_t end, int *age)
{
    /* NN-year-old, NN year old */
    const radar_tokens *t = st->tok;
    if (!(t->tok[i].flags & TOK_NUM) || t->tok[i].len > 2)
        return 0;
    size_t k = i + 1;
    if (k < end && (t->tok[k].flags & TOK_JOIN))
        k++;
    if (k >= end || !word_in(st, k, WC_AGE_YEAR))
        return 0;
    k++;
    if (k < end && (t->tok[k].flags & TOK_JOIN))
        k++;
    if (k >= end || !word_in(st, k, WC_AGE_OLD))
        return 0;
    *age = atoi(st->body + t->tok[i].off);
    return *age >= 14 && *age <= 45 ? (int)(k + 1 - i) : 0;
}

/* The scanners below each try one kind of mention at token i of sentence s
 * (tokens [first, end)): on a match they push the item and return the token
 * after it (> i); 0 when the kind does not apply; SCAN_NOMEM when out of
 * memory. */
#define SCAN_NOMEM SIZE_MAX

/* "@handle" */
static size_t scan_handle(extract_state *st, uint32_t s, size_t i, size_t end)
{
    const radar_tokens *t = st->tok;
    const radar_token *tk = &t->tok[i];
    item *it;
    if (!((tk->flags & TOK_PUNCT) && st->body[tk->off] == '@' && i + 1 < end &&
          (t->tok[i + 1].flags & (TOK_WORD | TOK_NUM)) && !(t->tok[i + 1].flags & TOK_SPACE)))
        return 0;
    size_t k = i + 1;
    while (k < end && !(t->tok[k].flags & TOK_SPACE) &&
           ((t->tok[k].flags & (TOK_WORD | TOK_NUM)) ||
            (t->tok[k].len == 1 && st->body[t->tok[k].off] == '_')))
        k++;
    if (!(it = push_item(st, IT_HANDLE, i, k, s)))
        return SCAN_NOMEM;
    char f[128];
    size_t len = t->tok[k - 1].off + t->tok[k - 1].len - tk->off;
    size_t fl = radar_fold(st->body + tk->off, len, f, sizeof f);
    uint32_t a = radar_lex_lookup_word(st->lex, f, fl);
    if (a != LEX_NONE)
        it->entry = st->lex->aliases[a].entry;
    return k;
}

/* Money, then ages; any other number is passed over. */
static size_t scan_number(extract_state *st, uint32_t s, size_t i, size_t end)
{
    const radar_tokens *t = st->tok;
    const radar_token *tk = &t->tok[i];
    item *it;
    /* money starts with a digit, a currency sign, "US$", "R$" or an ISO code ("EUR 12m") */
    if ((tk->flags & (TOK_NUM | TOK_PUNCT)) || word_in(st, i, WC_USD_PREFIX) || word_in(st, i, WC_BRL_PREFIX) ||
        (tk->len == 3 && i + 1 < end && (t->tok[i + 1].flags & TOK_NUM) &&
         (word_in(st, i, WC_CURRENCY_EUR) || word_in(st, i, WC_CURRENCY_GBP) || word_in(st, i, WC_CURRENCY_USD)))) {
        radar_money m;
        size_t used = radar_money_parse(st, i, end, &m);
        if (used) {
            if (radar_grow((void **)&st->moneys, &st->cap_moneys, st->n_moneys + 1, sizeof *st->moneys, 64))
                return SCAN_NOMEM;
            st->moneys[st->n_moneys].m = m;
            if (!(it = push_item(st, IT_MONEY, i, i + used, s)))
                return SCAN_NOMEM;
            it->money = (int32_t)st->n_moneys++;
            return i + used;
        }
    }
    if (!(tk->flags & TOK_NUM))
        return 0;
    int age;
    int used = parse_age_at(st, i, end, &age);
    if (used) {
        if (!(it = push_item(st, IT_AGE, i, i + (size_t)used, s)))
            return SCAN_NOMEM;
        it->age = age;
        return i + (size_t)used;
    }
    return i + 1;
}

/* Should the lexicon match of n tokens at i, of this kind, be left alone? */
static int lexicon_skip(const extract_state *st, size_t first, size_t i, size_t end, size_t n, int kind, int amb)
{
    const radar_tokens *t = st->tok;
    const radar_token *tk = &t->tok[i];
    int skip = 0;
    int capital_mid = (tk->flags & TOK_CAP) && !(tk->flags & TOK_SENT);
    if ((kind == RADAR_KIND_TRIGGER || kind == RADAR_KIND_ROLE || kind == RADAR_KIND_POSITION) &&
        capital_mid && !(tk->flags & TOK_ALLCAP) && n == 1)
        skip = 1; /* "Mason Mount", "Will Hughes": a name, not a phrase */
    if (kind == RADAR_KIND_COMMON && n == 1 && i + 1 < end &&
        (t->tok[i + 1].flags & TOK_CAP) && !(t->tok[i + 1].flags & TOK_ALLCAP) &&
        !(t->tok[i + 1].flags & TOK_SENT) && !entity_at(st, i + 1, end) && !is_common(st, i + 1) &&
        !(kind == RADAR_KIND_COMMON && (tk->flags & TOK_SENT)))
        skip = 1; /* "Jordan Henderson": a first name */
    if ((kind == RADAR_KIND_OUTLET || kind == RADAR_KIND_JOURNALIST) && amb) {
        /* "~i", "~Sun": only where the words around make it a source */
        int cited = i > first && word_in(st, i - 1, WC_CITED_BEFORE);
        if (i + n < end && word_in(st, i + n, WC_CITED_AFTER))
            cited = 1;
        if (!cited)
            skip = 1;
    }
    return skip;
}

/* Is the club alias of n tokens at i part of a longer name? A capitalised
 * place word right before it inside a sentence ("in New York"; at the start
 * of one, "New Roma coach X" is the adjective), "The" inside a sentence
 * before an alias other names share ("The Standard", a newspaper; not "The
 * Chelsea captain"), or a hyphen and a place suffix right after it ("the
 * Birmingham-based side"). */
static int club_in_longer_name(const extract_state *st, size_t first, size_t i, size_t end, size_t n, int amb)
{
    const radar_tokens *t = st->tok;
    if (i > first) {
        const radar_token *p = &t->tok[i - 1];
        if ((p->flags & (TOK_WORD | TOK_CAP)) == (TOK_WORD | TOK_CAP) &&
            !(p->flags & (TOK_ALLCAP | TOK_SENT | TOK_QUOTE)) && (t->tok[i].flags & TOK_SPACE) &&
            !(t->tok[i].flags & TOK_LINE) && i - 1 > first && !(t->tok[i - 2].flags & TOK_PUNCT) &&
            (word_in(st, i - 1, WC_NAME_PREFIX) || (amb && word_in(st, i - 1, WC_THE))))
            return 1;
    }
    return i + n + 1 < end && (t->tok[i + n].flags & TOK_JOIN) && !(t->tok[i + n].flags & TOK_SPACE) &&
           st->body[t->tok[i + n].off] == '-' && !(t->tok[i + n + 1].flags & TOK_SPACE) &&
           word_in(st, i + n + 1, WC_PLACE_SUFFIX);
}

/* A lexicon phrase: club, outlet, journalist, position, nationality, stage
 * phrase or cue, role; a common word is passed over. */
static size_t scan_lexicon(extract_state *st, uint32_t s, size_t first, size_t i, size_t end)
{
    const radar_tokens *t = st->tok;
    item *it;
    uint32_t head;
    uint16_t slack = 0;
    size_t n = lex_match_slack(st->lex, t, i, end, ~(1u << RADAR_KIND_PERSON), &head, &slack);
    if (!n)
        return 0;
    uint32_t entry = LEX_NONE, cue = 0;
    int amb = 0;
    int kind = pick_kind(st, head, &entry, &amb, &cue);
    int skip = lexicon_skip(st, first, i, end, n, kind, amb);
    if (kind == RADAR_KIND_COMMON) {
        return i + n;
    }
    /* "City Group", "United Nations", "Villa Park": a one-word club alias that
     * others share, run on by a capitalised word, is part of another name */
    if (kind == RADAR_KIND_CLUB && amb && n == 1 && i + 1 < end && (t->tok[i + 1].flags & TOK_CAP) &&
        (t->tok[i + 1].flags & TOK_WORD) && !(t->tok[i + 1].flags & TOK_ALLCAP) &&
        !(t->tok[i + 1].flags & (TOK_SENT | TOK_LINE)) && !entity_at(st, i + 1, end) &&
        (!is_common(st, i + 1) || word_in(st, i + 1, WC_NAME_CONTINUATION))) {
        size_t k = i + 1;
        while (k < end && (t->tok[k].flags & TOK_CAP) && (t->tok[k].flags & TOK_WORD) &&
               !(t->tok[k].flags & (TOK_SENT | TOK_LINE)) && !entity_at(st, k, end))
            k++;
        return k;
    }
    /* "New York", "The Standard" (a title), "the Birmingham-based side": a club
     * alias inside a longer name or a place word is not the club (where the
     * whole is a club, its own longer alias matched from the first word) */
    if (kind == RADAR_KIND_CLUB && club_in_longer_name(st, first, i, end, n, amb))
        return i + n;
    if (kind >= 0 && !skip) {
        static const uint8_t type_of[RADAR_KIND_COUNT] = {
            IT_CLUB, IT_OUTLET, IT_JOURNALIST, IT_POSITION, IT_NATIONALITY, IT_TRIGGER, IT_ROLE, 0};
        int type = type_of[kind];
        if (kind == RADAR_KIND_TRIGGER && st->lex->entries[entry].cue)
            type = IT_CUE;
        if (!(it = push_item(st, type, i, i + n, s)))
            return SCAN_NOMEM;
        it->entry = entry;
        it->ambiguous = (uint8_t)amb;
        it->cue2 = (int32_t)cue;
        it->slack = kind == RADAR_KIND_TRIGGER ? slack : 0;
        if (kind == RADAR_KIND_CLUB && amb)
            it->entry = head; /* resolved against the whole article later */
        /* "made a 20m bid": a figure inside a stage phrase is still a figure */
        for (size_t k = i + 1, past = 0; kind == RADAR_KIND_TRIGGER && slack && k < i + n; k++) {
            if (k < past || !((slack >> (k - i)) & 1u))
                continue;
            size_t next = scan_number(st, s, k, i + n);
            if (next == SCAN_NOMEM)
                return SCAN_NOMEM;
            past = next;
        }
        return i + n;
    }
    return 0;
}

/* The end of a capitalised name starting at i: its last token, the number of
 * capitalised words and how many of them are common words. */
static size_t name_extent(const extract_state *st, size_t i, size_t end, int *n_words, int *n_commons)
{
    const radar_tokens *t = st->tok;
    size_t k = i, last = i;
    int words = 0, commons = 0;
    while (k < end && words < 6) {
        const radar_token *c = &t->tok[k];
        if (k > i && (c->flags & TOK_LINE))
            break;
        if ((c->flags & TOK_WORD) && (c->flags & TOK_CAP)) {
            if (k > i && entity_at(st, k, end))
                break;
            /* "U16", "GK", "CB": labels, not names */
            if (has_digit(st, k) || ((c->flags & TOK_ALLCAP) && c->len <= 3 && k == i))
                break;
            commons += is_common(st, k);
            words++;
            last = k;
            k++;
            continue;
        }
        if ((c->flags & TOK_WORD) && word_in(st, k, WC_NAME_PARTICLE)) {
            /* "van der Sar", "de la Fuente": particles then a capitalised word */
            size_t m = k;
            while (m < end && m < k + 3 && word_in(st, m, WC_NAME_PARTICLE))
                m++;
            if (m < end && (t->tok[m].flags & TOK_CAP) && (t->tok[m].flags & TOK_WORD)) {
                k = m;
                continue;
            }
        }
        if ((c->flags & TOK_JOIN) && !(c->flags & TOK_SPACE) && st->body[c->off] == '-' && k + 1 < end &&
            k > i && !(t->tok[k + 1].flags & TOK_SPACE) && (t->tok[k + 1].flags & TOK_WORD) &&
            ((t->tok[k + 1].flags & TOK_CAP) || ((t->tok[k - 1].flags & TOK_CAP) && t->tok[k + 1].len <= 4 &&
                                                  !is_common(st, k + 1)))) {
            /* "Maitland-Niles", and "Hee-chan", "Kang-in" */
            if (!(t->tok[k + 1].flags & TOK_CAP)) {
                last = k + 1;
                k += 2;
            } else {
                k++;
            }
            continue;
        }
        break;
    }
    *n_words = words;
    *n_commons = commons;
    return last;
}

/* Capitalised names nobody listed ("KIERAN TRIPPIER" too, as two upper-case words). */
static size_t scan_name(extract_state *st, uint32_t s, size_t i, size_t end)
{
    const radar_tokens *t = st->tok;
    const radar_token *tk = &t->tok[i];
    int caps_name = (tk->flags & TOK_ALLCAP) && tk->fold_len > 3 && i + 1 < end &&
                    (t->tok[i + 1].flags & TOK_ALLCAP) && (t->tok[i + 1].flags & TOK_WORD) &&
                    !is_common(st, i) && !is_common(st, i + 1) && !entity_at(st, i + 1, end);
    if (!((tk->flags & TOK_CAP) && (!(tk->flags & TOK_ALLCAP && tk->fold_len > 3) || caps_name)))
        return 0;
    int words, commons;
    size_t last = name_extent(st, i, end, &words, &commons);
    size_t a = i;
    /* a capitalised common word opening a sentence is not part of the name */
    while (a <= last && is_common(st, a) && (a == i))
        a++;
    if (a <= last && !(words == commons)) {
        /* skip all-caps single words ("BREAKING") */
        if (!(a == last && (t->tok[a].flags & TOK_ALLCAP))) {
            if (!push_item(st, IT_NAME, a, last + 1, s))
                return SCAN_NOMEM;
        }
    }
    return last + 1;
}

/* One token's mention, tried kind by kind: the token after it (always past
 * i), or SCAN_NOMEM. */
static size_t scan_token(extract_state *st, uint32_t s, size_t first, size_t i, size_t end)
{
    const radar_tokens *t = st->tok;
    const radar_token *tk = &t->tok[i];
    size_t next;
    if ((next = scan_handle(st, s, i, end)) || (next = scan_number(st, s, i, end)))
        return next;
    /* pronouns */
    if ((tk->flags & TOK_WORD) && word_in(st, i, WC_PRONOUN))
        return push_item(st, IT_PRONOUN, i, i + 1, s) ? i + 1 : SCAN_NOMEM;
    if ((next = scan_lexicon(st, s, first, i, end)))
        return next;
    /* "I", "I've": the first person, never a name */
    if ((tk->flags & TOK_WORD) && (word_in(st, i, WC_FIRST_PERSON) ||
                                   (tk->fold_len > 2 && radar_tok_fold(t, i)[0] == 'i' &&
                                    radar_tok_fold(t, i)[1] == '\'')))
        return i + 1;
    if ((next = scan_name(st, s, i, end)))
        return next;
    return i + 1;
}

int radar_mentions_scan(extract_state *st)
{
    const radar_tokens *t = st->tok;
    for (size_t s = 0; s < t->n_sent; s++) {
        size_t first = t->sent[s].first, end = t->sent[s].end;
        st->sent_item[s] = (uint32_t)st->n_items;
        size_t i = first;
        while (i < end)
            if ((i = scan_token(st, (uint32_t)s, first, i, end)) == SCAN_NOMEM)
                return RADAR_ENOMEM;
    }
    return 0;
}

/* ---- resolution ---------------------------------------------------- */

/* Resolve ambiguous club aliases ("United", "the Blues"): the nearest club
 * among those the alias can mean that the article names unambiguously,
 * earlier mentions first; else the lexicon's default (first listed). Two
 * passes keep, for each direction, the last few distinct clubs seen. */
#define RECENT_CLUBS 32

typedef struct recent_clubs {
    uint32_t entry[RECENT_CLUBS];
    size_t n;
} recent_clubs;

static void recent_add(recent_clubs *r, uint32_t e)
{
    size_t k = 0;
    while (k < r->n && r->entry[k] != e)
        k++;
    if (k == r->n) {
        if (r->n < RECENT_CLUBS)
            r->n++;
        k = r->n - 1;
    }
    memmove(r->entry + 1, r->entry, k * sizeof *r->entry); /* most recent first */
    r->entry[0] = e;
}

/* The position in `r` (0 = most recent) of any club the alias can mean, or -1. */
static int recent_pick(const extract_state *st, const recent_clubs *r, uint32_t head, uint32_t *out)
{
    for (size_t k = 0; k < r->n; k++)
        for (uint32_t a = head; a != LEX_NONE; a = st->lex->aliases[a].next)
            if (st->lex->aliases[a].entry == r->entry[k]) {
                *out = r->entry[k];
                return (int)k;
            }
    return -1;
}

static void resolve_clubs(extract_state *st)
{
    const radar_lexicon *lex = st->lex;
    recent_clubs back = {{0}, 0}, ahead = {{0}, 0};
    /* forward: the clubs named before each ambiguous alias */
    for (size_t i = 0; i < st->n_items; i++) {
        item *it = &st->items[i];
        if (it->type != IT_CLUB)
            continue;
        if (!it->ambiguous) {
            recent_add(&back, it->entry);
            continue;
        }
        uint32_t choice;
        if (recent_pick(st, &back, it->entry, &choice) >= 0) {
            it->ambiguous = 2; /* resolved by context; `entry` still holds the alias head */
            it->money = (int32_t)choice;
        }
    }
    /* backward: the clubs named after, for aliases nothing before explained */
    for (size_t i = st->n_items; i-- > 0;) {
        item *it = &st->items[i];
        if (it->type != IT_CLUB)
            continue;
        if (!it->ambiguous) {
            recent_add(&ahead, it->entry);
            continue;
        }
        uint32_t head = it->entry, choice = LEX_NONE;
        if (it->ambiguous == 2) {
            choice = (uint32_t)it->money;
        } else if (recent_pick(st, &ahead, head, &choice) < 0) {
            choice = LEX_NONE;
        }
        it->money = -1;
        it->ambiguous = 1;
        /* with no support in the article, a one-word alias that is also an
         * ordinary capitalised word ("Wednesday", "Reading") is that word */
        if (choice == LEX_NONE && it->t1 - it->t0 == 1 && is_common(st, it->t0)) {
            it->type = IT_COUNT;
            continue;
        }
        if (choice == LEX_NONE) {
            for (uint32_t a = head; a != LEX_NONE; a = lex->aliases[a].next)
                if (lex->entries[lex->aliases[a].entry].kind == RADAR_KIND_CLUB) {
                    choice = lex->aliases[a].entry;
                    break;
                }
        }
        it->entry = choice;
    }
}

static int32_t find_or_add_person(extract_state *st, const item *it)
{
    const radar_tokens *t = st->tok;
    uint64_t sur = t->tok[it->t1 - 1].hash;
    uint64_t first = it->t1 - it->t0 > 1 && !word_in(st, it->t0, WC_NAME_PARTICLE) ? t->tok[it->t0].hash : 0;
    /* a name whose last word is some earlier person's surname, or whose
     * whole form is an earlier person's first+last, is that person */
    /* "Facundo" after "Facundo Torres": a first name alone, when no one has it as a surname */
    if (!first) {
        int32_t by_first = -1, by_sur = -1;
        for (size_t p = st->n_persons > WINDOW ? st->n_persons - WINDOW : 0; p < st->n_persons; p++) {
            if (st->persons[p].surname == sur)
                by_sur = (int32_t)p;
            else if (st->persons[p].first == sur)
                by_first = by_first == -1 ? (int32_t)p : -2;
        }
        if (by_sur < 0 && by_first >= 0)
            return by_first;
    }
    size_t stop = st->n_persons > WINDOW ? st->n_persons - WINDOW : 0;
    for (size_t p = st->n_persons; p-- > stop;) {
        person *q = &st->persons[p];
        if (q->surname == sur && (!first || !q->first || q->first == first)) {
            if (first && !q->first) {
                q->first = first;
                q->t0 = it->t0;
                q->t1 = it->t1;
            } else if (it->t1 - it->t0 > q->t1 - q->t0 && (!first || q->first == first)) {
                q->t0 = it->t0;
                q->t1 = it->t1;
            }
            return (int32_t)p;
        }
        /* "Erling Braut Haaland" then "Haaland": surnames match; "Braut Haaland" too */
    }
    if (radar_grow((void **)&st->persons, &st->cap_persons, st->n_persons + 1, sizeof *st->persons, 64))
        return -1;
    person *q = &st->persons[st->n_persons];
    memset(q, 0, sizeof *q);
    q->t0 = it->t0;
    q->t1 = it->t1;
    q->surname = sur;
    q->first = first;
    q->nationality = q->position = q->club = LEX_NONE;
    q->first_item = (uint32_t)(it - st->items);
    return (int32_t)st->n_persons++;
}

static int role_of_entry(const lex_entry *e)
{
    if (!e || !e->role)
        return ROLE_OFFICIAL;
    if (!strcmp(e->role, "manager"))
        return ROLE_MANAGER;
    if (!strcmp(e->role, "agent"))
        return ROLE_AGENT;
    if (!strcmp(e->role, "media") || !strcmp(e->role, "legend"))
        return ROLE_MEDIA;
    return ROLE_OFFICIAL;
}

int radar_person_is_player(const extract_state *st, int32_t p)
{
    if (p < 0)
        return 0;
    const person *q = &st->persons[p];
    if (q->role && q->role != ROLE_PLAYER)
        return 0;
    return q->player_score >= q->other_score;
}

/* A one-word name opening a sentence counts only when the article uses the
 * word as a name elsewhere: as another name's last word, or capitalised in
 * mid-sentence, or with player words (position, age) right after it. */
static int supported_single(const extract_state *st, size_t idx)
{
    const radar_tokens *t = st->tok;
    const item *it = &st->items[idx];
    uint64_t h = t->tok[it->t0].hash;
    size_t lo = idx > WINDOW ? idx - WINDOW : 0, hi = idx + WINDOW < st->n_items ? idx + WINDOW : st->n_items;
    for (size_t j = lo; j < hi; j++) {
        const item *o = &st->items[j];
        if (j == idx || o->type != IT_NAME)
            continue;
        for (uint32_t k = o->t0; k < o->t1; k++)
            if (t->tok[k].hash == h && (k == o->t1 - 1 || !(t->tok[o->t0].flags & TOK_SENT)))
                return 1;
    }
    uint32_t k = it->t1;
    if (k + 1 < t->n && (t->tok[k].flags & TOK_PUNCT) && st->body[t->tok[k].off] == ',' && (t->tok[k + 1].flags & TOK_NUM))
        return 1;
    /* "Ramos rejected ...": a capitalised word that is no common word, followed
     * by a lower-case word (a verb), is a surname opening the sentence */
    if (k < t->n && (t->tok[k].flags & TOK_WORD) && !(t->tok[k].flags & TOK_CAP) && !(t->tok[k].flags & TOK_LINE) &&
        it->t1 - it->t0 == 1 && t->tok[it->t0].len >= 3 && !(t->tok[it->t0].flags & TOK_ALLCAP))
        return 1;
    return 0;
}

/* What modifier item j, left of name item i (person p), says about the
 * person; 0 when it ends the chain of modifiers. */
static int modifier_says(extract_state *st, size_t i, size_t j, int32_t p, uint32_t expect)
{
    const item *it = &st->items[i];
    item *o = &st->items[j];
    person *q = &st->persons[p];
    size_t sfirst = st->tok->sent[it->sent].first;
    switch (o->type) {
    case IT_POSITION:
        q->player_score += 3;
        q->position = o->entry;
        break;
    case IT_NATIONALITY:
        q->player_score += 1;
        q->nationality = o->entry;
        break;
    case IT_AGE:
        q->player_score += 3;
        q->age = o->age;
        break;
    case IT_CLUB:
        /* "former Arsenal forward X": a club he has left */
        if (o->t0 > sfirst && (word_in(st, o->t0 - 1, WC_FORMER) ||
                               (o->t0 > sfirst + 1 && is_punct_char(st, o->t0 - 1, '-') &&
                                word_in(st, o->t0 - 2, WC_HYPHEN_FORMER)))) {
            o->flags |= IF_PAST;
            /* "former Liverpool and Chelsea forward X": the clubs listed after
             * it share the "former"; the one read as his club is not */
            for (size_t k = j + 1; k < i; k++) {
                item *c = &st->items[k];
                if (c->type != IT_CLUB || !(c->flags & IF_CURRENT) || c->owner != p)
                    break;
                if (c->t0 != st->items[k - 1].t1 + 1 ||
                    !(word_in(st, c->t0 - 1, WC_AND) || is_punct_char(st, c->t0 - 1, ',')))
                    break;
                c->flags = (uint16_t)((c->flags & ~(IF_CURRENT | IF_OWN)) | IF_PAST);
                c->owner = -1;
                if (q->club == c->entry)
                    q->club = LEX_NONE;
            }
            break;
        }
        /* "Inter Milan defender X", "Toulouse's X": the player's current club.
         * Not "... from Celta Vigo and English right-back X": that club is
         * the previous player's. */
        if (o->t0 > sfirst && word_in(st, o->t0 - 1, WC_PREVIOUS_LINK) && expect < it->t0 &&
            word_in(st, o->t1, WC_AND)) {
            return 0;
        }
        o->flags |= IF_CURRENT | IF_OWN; /* decide.c: own_club reads how sure */
        o->owner = p;
        if (q->club == LEX_NONE)
            q->club = o->entry;
        q->player_score += 1;
        break;
    case IT_CUE:
        /* "Ajax's former Netherlands youth keeper X"; other cues end the chain (above) */
        break;
    case IT_ROLE: {
        int r = role_of_entry(item_entry(st, o));
        q->other_score += 5;
        if (!q->role)
            q->role = r;
        /* "Newcastle manager X", "Inter Miami's managing owner X": whose side he speaks for */
        for (size_t c = j; c-- > 0 && st->items[c].sent == it->sent;) {
            const item *ci = &st->items[c];
            if (o->t0 - ci->t1 > 3)
                break;
            if (ci->type == IT_CLUB && ci->entry != LEX_NONE) {
                /* "former Tottenham manager X" speaks for another club now */
                int former = ci->t0 > sfirst && word_in(st, ci->t0 - 1, WC_FORMER);
                if (q->club == LEX_NONE && !former)
                    q->club = ci->entry;
                break;
            }
        }
        return 0;
    }
    default:
        return 0;
    }
    return 1;
}

/* Look left over the items that modify name item i: "Turkey defender",
 * "Inter Milan's 21-year-old". Returns the first token of the chain. */
static uint32_t left_modifiers(extract_state *st, size_t i, int32_t p)
{
    const radar_tokens *t = st->tok;
    const item *it = &st->items[i];
    size_t j = i;
    int contiguous = 1;
    uint32_t expect = it->t0;
    while (j-- > 0 && contiguous) {
        item *o = &st->items[j];
        if (o->sent != it->sent)
            break;
        size_t gap = expect - o->t1;
        /* allow "the", "'s", ",", "and", "former", "new" between modifiers */
        int ok = 1;
        for (size_t k = o->t1; k < expect; k++) {
            const radar_token *g = &t->tok[k];
            if (!((g->flags & (TOK_POSS | TOK_JOIN)) || word_in(st, k, WC_NAME_MODIFIER) ||
                  (g->len == 1 && st->body[g->off] == ',' && o->type == IT_POSITION)))
                ok = 0;
        }
        if (!ok || gap > 3)
            break;
        if (o->type == IT_CUE && (o->t1 - o->t0 != 1 || !word_in(st, o->t0, WC_FORMER)))
            break; /* a cue that is no modifier: the chain ends before it */
        contiguous = modifier_says(st, i, j, p, expect);
        expect = o->t0;
    }
    return expect;
}

/* Right of name item i: ", 26," "(26)", an age, kept as an item of its own
 * (appended: the caller merges). */
static void age_after_name(extract_state *st, size_t i, int32_t p)
{
    const radar_tokens *t = st->tok;
    const item *it = &st->items[i];
    person *q = &st->persons[p];
    size_t send = t->sent[it->sent].end;
    size_t k = it->t1;
    if (k + 1 < send && (t->tok[k].flags & TOK_PUNCT) &&
        (st->body[t->tok[k].off] == ',' || st->body[t->tok[k].off] == '(') && (t->tok[k + 1].flags & TOK_NUM) &&
        t->tok[k + 1].len == 2) {
        int age = atoi(st->body + t->tok[k + 1].off);
        /* ", 26," or ", 26." but not ", 26-year-old" */
        if (age >= 15 && age <= 45 && (k + 2 >= send || !is_punct_char(st, k + 2, '-'))) {
            q->age = age;
            q->player_score += 3;
            item *a = push_item(st, IT_AGE, k + 1, k + 2, it->sent);
            if (a)
                a->age = age;
        }
    }
}

/* The words before name item i (its modifiers from `expect`) and right
 * after it: a source, a speaker, a photographer, a relative, the one a
 * move replaces. */
static void name_context_before(extract_state *st, size_t i, int32_t p, uint32_t expect)
{
    const radar_tokens *t = st->tok;
    item *it = &st->items[i];
    person *q = &st->persons[p];
    size_t sfirst = t->sent[it->sent].first, send = t->sent[it->sent].end;
    /* "according to X", "says X", "told X": a source or a speaker, not a player */
    int possessed = it->t1 < send && (t->tok[it->t1].flags & TOK_POSS); /* "Bellamy's agent" */
    if (!possessed && it->t0 >= sfirst + 2 && word_in(st, it->t0 - 2, WC_ACCORDING) &&
        word_in(st, it->t0 - 1, WC_TO)) {
        q->other_score += 5;
        if (!q->role)
            q->role = ROLE_MEDIA;
    }
    /* "..., says former England striker X." names the speaker; "said X has"
     * reports what X did, so the name must end the clause */
    int clause_end = it->t1 >= send || is_punct_char(st, it->t1, ',') || is_punct_char(st, it->t1, '.') ||
                     is_punct_char(st, it->t1, ';') || is_punct_char(st, it->t1, ')') ||
                     (t->tok[it->t1].flags & TOK_LINE);
    if (!possessed && clause_end && expect > sfirst && word_in(st, expect - 1, WC_SPEAKER_BEFORE)) {
        q->other_score += 3;
        for (uint32_t f = expect; f < it->t0; f++)
            if (word_in(st, f, WC_FORMER))
                q->other_score += 3;
    }
    /* "(Photo by X/Getty Images)": a photographer; "Some Fan Account (@handle)": an account */
    if (expect >= sfirst + 2 && word_in(st, expect - 1, WC_BY) && word_in(st, expect - 2, WC_PHOTO_CREDIT))
        q->other_score += 5;
    if (it->t1 + 1 < send && is_punct_char(st, it->t1, '(') && is_punct_char(st, it->t1 + 1, '@'))
        q->other_score += 5;
    /* "the son of X": X is not who the sentence is about */
    if (expect >= sfirst + 2 && word_in(st, expect - 1, WC_OF) && word_in(st, expect - 2, WC_RELATIVE_OF))
        q->other_score += 5;
    /* "to replace X", "succeed X", "as cover for X": named as the one leaving or staying */
    if (expect > sfirst && word_in(st, expect - 1, WC_REPLACE))
        it->flags |= IF_CONTEXT;
    /* "following the departure of X", "after the sacking of X" */
    if (expect >= sfirst + 2 && word_in(st, expect - 1, WC_OF) && word_in(st, expect - 2, WC_DEPARTURE_OF))
        it->flags |= IF_CONTEXT;
}

/* The words after name item i: a role he is given, what happens to
 * managers, speech, "X's side". */
static void name_context_after(extract_state *st, size_t i, int32_t p)
{
    const radar_tokens *t = st->tok;
    const item *it = &st->items[i];
    person *q = &st->persons[p];
    size_t send = t->sent[it->sent].end;
    size_t k = it->t1;
    /* "X has been unveiled as the new Wolves manager" */
    for (size_t j2 = i + 1; j2 < st->n_items && st->items[j2].sent == it->sent; j2++) {
        const item *o = &st->items[j2];
        if (o->type == IT_NAME || o->type == IT_TRIGGER || o->t0 > it->t1 + 12)
            break;
        if (o->type == IT_ROLE && o->t0 >= 2) {
            int as = 0;
            for (uint32_t f = o->t0 > 5 ? o->t0 - 5 : 0; f < o->t0; f++)
                as |= word_in(st, f, WC_ROLE_AS);
            if (as) {
                q->other_score += 5;
                if (!q->role)
                    q->role = role_of_entry(item_entry(st, o));
            }
            break;
        }
    }
    /* "Dave Jones, who was sacked", "X was appointed": what happens to managers */
    for (uint32_t f = it->t1; f < send && f < it->t1 + 5; f++)
        if (word_in(st, f, WC_MANAGER_EVENT)) {
            q->other_score += 3;
            break;
        }
    /* "Parry explained:", "Wenger said": speaking is weak evidence of not being the subject of a move */
    if (k < send && word_in(st, k, WC_SPEECH_AFTER))
        q->other_score += 1;
    /* "X's side", "X's men": a manager */
    if (k + 1 < send && (t->tok[k].flags & TOK_POSS) && word_in(st, k + 1, WC_MANAGER_POSSESSION))
        q->other_score += 3;
    /* ", the Liverpool boss," after the name */
    for (size_t j2 = i + 1; j2 < st->n_items && j2 < i + 4; j2++) {
        const item *o = &st->items[j2];
        if (o->sent != it->sent || o->t0 > it->t1 + 4)
            break;
        if (o->type == IT_ROLE && it->t1 + 1 < send && t->tok[it->t1].len == 1 &&
            st->body[t->tok[it->t1].off] == ',' && !(t->tok[it->t1 + 1].flags & TOK_QUOTE)) {
            q->other_score += 5;
            if (!q->role)
                q->role = role_of_entry(item_entry(st, o));
            break;
        }
        if (o->type != IT_CLUB)
            break;
    }
}

/* radar_item_at_token needs the items in token order: merge the items
 * appended after the first n_before (themselves in order) back into place,
 * in linear time. */
static int merge_appended(extract_state *st, size_t n_before)
{
    if (st->n_items > n_before) {
        size_t n_new = st->n_items - n_before;
        if (radar_grow((void **)&st->merge, &st->cap_merge, n_new, sizeof *st->merge, 64))
            return RADAR_ENOMEM;
        memcpy(st->merge, st->items + n_before, n_new * sizeof *st->merge);
        size_t a = n_before, b = n_new, w = st->n_items;
        while (b > 0) {
            if (a > 0 && st->items[a - 1].t0 > st->merge[b - 1].t0)
                st->items[--w] = st->items[--a];
            else
                st->items[--w] = st->merge[--b];
        }
    }
    return 0;
}

/* Gather what the words around each name say about the person. */
static int score_names(extract_state *st)
{
    size_t n_before = st->n_items; /* ages found here are appended after these */
    const radar_tokens *t = st->tok;
    for (size_t i = 0; i < st->n_items; i++) {
        item *it = &st->items[i];
        if (it->type != IT_NAME)
            continue;
        if (it->t1 - it->t0 == 1 && (t->tok[it->t0].flags & TOK_SENT) && !supported_single(st, i))
        {
            it->type = IT_COUNT; /* "Apart", "Meanwhile": a capitalised word, not a name */
            continue;
        }
        int32_t p = find_or_add_person(st, it);
        if (p < 0)
            continue;
        it->person = p;
        uint32_t expect = left_modifiers(st, i, p);
        age_after_name(st, i, p); /* may move the items */
        name_context_before(st, i, p, expect);
        name_context_after(st, i, p);
    }
    return merge_appended(st, n_before);
}

/* "the 26-year-old", "the Italian", "the defender", "the Inter Milan defender"
 * (no name after it) become descriptors; "the Italian club" a club reference. */
static void find_descriptors(extract_state *st)
{
    const radar_tokens *t = st->tok;
    for (size_t i = 0; i < st->n_items; i++) {
        item *head = &st->items[i];
        if (head->type != IT_POSITION && head->type != IT_NATIONALITY && head->type != IT_AGE)
            continue;
        /* walk left to "the" over modifiers */
        size_t j = i;
        uint32_t start = head->t0;
        int age = head->type == IT_AGE ? head->age : 0;
        uint32_t nat = head->type == IT_NATIONALITY ? head->entry : LEX_NONE;
        uint32_t pos = head->type == IT_POSITION ? head->entry : LEX_NONE;
        uint32_t club = LEX_NONE;
        while (j > 0) {
            const item *o = &st->items[j - 1];
            if (o->sent != head->sent || o->t1 != start)
                break;
            if (o->type == IT_AGE)
                age = o->age;
            else if (o->type == IT_NATIONALITY)
                nat = o->entry;
            else if (o->type == IT_CLUB)
                club = o->entry;
            else
                break;
            start = o->t0;
            j--;
        }
        size_t det = start;
        /* adjectives between the determiner and the phrase: "the highly-rated", "the talented" */
        int skipped = 0;
        while (det > t->sent[head->sent].first && skipped < 3 && !word_in(st, det - 1, WC_THE) &&
               (t->tok[det - 1].flags & TOK_WORD) && !(t->tok[det - 1].flags & TOK_CAP) &&
               radar_item_at_token(st, det - 1) < st->n_items && st->items[radar_item_at_token(st, det - 1)].t0 != det - 1) {
            det--;
            skipped++;
        }
        while (det > t->sent[head->sent].first && (t->tok[det - 1].flags & TOK_JOIN))
            det--;
        if (det == t->sent[head->sent].first || !word_in(st, det - 1, WC_DESCRIPTOR_DET))
            continue;
        /* what follows the phrase */
        size_t k = head->t1;
        size_t send = t->sent[head->sent].end;
        if (k < send && (t->tok[k].flags & TOK_WORD)) {
            size_t n = radar_item_at_token(st, (uint32_t)k);
            if (n < st->n_items && st->items[n].t0 == k) {
                const item *nx = &st->items[n];
                if (nx->type == IT_NAME || nx->type == IT_POSITION || nx->type == IT_NATIONALITY)
                    continue; /* "the Italian defender", "the defender Bastoni" */
                if (nx->type == IT_CUE && radar_item_is_cue(st, nx, CUE_CLUB_NOUN)) {
                    /* "the Italian club": a club of that country named in the article */
                    if (head->type == IT_NATIONALITY) {
                        const char *country = st->lex->entries[head->entry].country;
                        for (size_t c = 0; c < st->n_items && country; c++) {
                            const item *ci = &st->items[c];
                            if (ci->type == IT_CLUB && ci->entry != LEX_NONE && st->lex->entries[ci->entry].country &&
                                !strcmp(st->lex->entries[ci->entry].country, country)) {
                                head->type = IT_CLUB;
                                head->entry = ci->entry;
                                head->flags |= IF_CLUBREF;
                                head->t1 = nx->t1;
                                break;
                            }
                        }
                    }
                    continue;
                }
            }
        }
        if (k < send && (t->tok[k].flags & TOK_CAP) && (t->tok[k].flags & TOK_WORD))
            continue; /* followed by a name we did not catch */
        /* an appositive name after a comma: "the Inter Milan defender, Alessandro Bastoni" */
        if (k + 1 < send && t->tok[k].len == 1 && st->body[t->tok[k].off] == ',') {
            size_t n = radar_item_at_token(st, (uint32_t)(k + 1));
            if (n < st->n_items && st->items[n].t0 == k + 1 && st->items[n].type == IT_NAME) {
                person *q = st->items[n].person >= 0 ? &st->persons[st->items[n].person] : NULL;
                if (q) {
                    q->player_score += 3;
                    if (pos != LEX_NONE)
                        q->position = pos;
                    if (age)
                        q->age = age;
                }
                continue;
            }
        }
        head->type = IT_DESCR;
        head->age = age;
        head->t0 = (uint32_t)(det - 1);
        /* keep the constituent facts on the descriptor */
        head->entry = pos != LEX_NONE ? pos : nat;
        head->owner = (int32_t)club; /* club named inside: "the Inter Milan defender" */
        head->cue2 = (int32_t)(nat == LEX_NONE ? 0 : nat + 1);
        /* drop the modifiers folded into the descriptor */
        for (size_t d = j; d < i; d++)
            st->items[d].type = st->items[d].type == IT_CLUB ? IT_CLUB : IT_COUNT;
    }
}

/* Resolve pronouns and descriptors to the player they most plausibly mean. */
static int resolve_references(extract_state *st)
{
    int32_t last_player = -1, last_person = -1;
    uint32_t last_person_sent = 0;
    /* mentions of each person so far (names and descriptors), for salience */
    if (radar_grow((void **)&st->counts, &st->cap_counts, st->n_persons + 1, sizeof *st->counts, 64))
        return RADAR_ENOMEM;
    memset(st->counts, 0, (st->n_persons + 1) * sizeof *st->counts);
    for (size_t i = 0; i < st->n_items; i++) {
        item *it = &st->items[i];
        if (i > 0) { /* count the previous item now that its person is known */
            const item *pv = &st->items[i - 1];
            if ((pv->type == IT_NAME || pv->type == IT_DESCR) && pv->person >= 0)
                st->counts[pv->person]++;
        }
        if (it->type == IT_NAME && it->person >= 0) {
            last_person = it->person;
            last_person_sent = it->sent;
            if (radar_person_is_player(st, it->person))
                last_player = it->person;
            continue;
        }
        if (it->type == IT_PRONOUN) {
            /* "he" follows the last person named in this or the previous sentence */
            if (last_person >= 0 && !radar_person_is_player(st, last_person) && last_person_sent + 2 >= it->sent)
                it->person = last_person;
            else
                it->person = last_player;
            if (it->person >= 0 && last_person >= 0 && it->person != last_person)
                it->fit = REF_SEVERAL; /* another was named since */
            continue;
        }
        if (it->type == IT_DESCR) {
            /* the player the descriptor fits best: matching age, nationality and
             * position count most, then how often he was named, then recency */
            int32_t best = -1;
            int best_score = -1;
            uint32_t nat = it->cue2 ? (uint32_t)(it->cue2 - 1) : LEX_NONE;
            uint32_t pos = it->entry != nat ? it->entry : LEX_NONE;
            size_t floor = i > WINDOW ? i - WINDOW : 0;
            int looked = 0, several = 0;
            int32_t seen = -1; /* the first player met; `several` once another is */
            for (size_t j = i; j-- > floor && looked < 24;) {
                const item *o = &st->items[j];
                if ((o->type != IT_NAME && o->type != IT_DESCR) || o->person < 0 || !radar_person_is_player(st, o->person))
                    continue;
                looked++;
                if (seen == -1)
                    seen = o->person;
                else if (o->person != seen)
                    several = 1;
                const person *q = &st->persons[o->person];
                if (it->age && q->age && q->age != it->age)
                    continue;
                if (nat != LEX_NONE && q->nationality != LEX_NONE && q->nationality != nat)
                    continue;
                int score = 0;
                if (it->age && q->age == it->age)
                    score += 6;
                if (nat != LEX_NONE && q->nationality == nat)
                    score += 4;
                if (pos != LEX_NONE && q->position != LEX_NONE &&
                    (q->position == pos || st->lex->entries[q->position].group == st->lex->entries[pos].group))
                    score += 4;
                score += st->counts[o->person] < 4 ? (int)st->counts[o->person] : 4;
                if (score > best_score) {
                    best_score = score;
                    best = o->person;
                }
            }
            if (best < 0 && last_player >= 0) {
                /* nothing in view fits: the last player named, unless what the
                 * descriptor says of him is not so ("the 19-year-old" after
                 * "Bellini, 31"): then it is someone the article does not name */
                const person *q = &st->persons[last_player];
                if (!(it->age && q->age && q->age != it->age) &&
                    !(nat != LEX_NONE && q->nationality != LEX_NONE && q->nationality != nat))
                    best = last_player;
                it->fit = REF_FALLBACK;
            }
            it->person = best;
            if (best >= 0) {
                person *q = &st->persons[best];
                it->fit |= (uint8_t)(several ? REF_SEVERAL : 0);
                if (it->age)
                    it->fit |= (uint8_t)(q->age == it->age ? REF_AGE : !q->age ? REF_UNKNOWN : 0);
                if (nat != LEX_NONE)
                    it->fit |= (uint8_t)(q->nationality == nat ? REF_NAT : q->nationality == LEX_NONE ? REF_UNKNOWN : 0);
                if (pos != LEX_NONE && q->position != LEX_NONE &&
                    (q->position == pos || st->lex->entries[q->position].group == st->lex->entries[pos].group))
                    it->fit |= REF_POS;
                else if (pos != LEX_NONE && q->position == LEX_NONE)
                    it->fit |= REF_UNKNOWN;
                /* "the 21-year-old" gives the player an age only when he is the
                 * one player in view: a wrong resolution must not pass for a fact */
                if (it->age && !q->age && !several)
                    q->age = it->age;
                if (it->cue2 && q->nationality == LEX_NONE)
                    q->nationality = (uint32_t)(it->cue2 - 1);
                last_player = best;
            }
        }
    }
    return 0;
}

/* First item of each sentence, after items were added out of order. */
static void reindex_sentences(extract_state *st)
{
    size_t j = 0;
    for (size_t s = 0; s < st->n_sent; s++) {
        while (j < st->n_items && st->items[j].sent < s)
            j++;
        st->sent_item[s] = (uint32_t)j;
    }
}

int radar_mentions_resolve(extract_state *st)
{
    resolve_clubs(st);
    if (score_names(st))
        return RADAR_ENOMEM;
    reindex_sentences(st);
    find_descriptors(st);
    if (resolve_references(st))
        return RADAR_ENOMEM;
    /* names: arena copies of the fullest forms */
    for (size_t p = 0; p < st->n_persons; p++) {
        person *q = &st->persons[p];
        uint32_t a = st->tok->tok[q->t0].off;
        uint32_t b = st->tok->tok[q->t1 - 1].off + st->tok->tok[q->t1 - 1].len;
        char *name = radar_arena_strndup(st->arena, st->body + a, b - a);
        if (!name)
            return radar_error_set(RADAR_ENOMEM, "out of memory");
        name[radar_drop_format(name, b - a)] = '\0'; /* a soft hyphen is not part of the name */
        q->name = name;
    }
    return 0;
}
