/*
 * facts.c - squad context around the rumours: contracts, injuries, the
 * selling club's stance, denials, quotes with their speakers, cited sources
 * and ages. Each fact keeps the span of the words that support it.
 */
#include <string.h>

#include "radar/error.h"
#include "../util/grow.h"
#include "../util/utf8.h"
#include "extract_internal.h"
#include "facts.h"

static int push_fact(extract_state *st, facts_out *out, radar_fact_type type, const char *subject, const char *value,
                     const char *detail, uint32_t a, uint32_t b)
{
    /* one fact of a kind per sentence span is enough */
    if (type != RADAR_FACT_SOURCE && type != RADAR_FACT_AGE)
        for (size_t i = 0; i < out->n; i++)
            if (out->facts[i].type == type && out->facts[i].span.start == a && out->facts[i].span.end == b)
                return 0;
    if (radar_grow((void **)&out->facts, &out->cap, out->n + 1, sizeof *out->facts, 64))
        return RADAR_ENOMEM;
    radar_fact *f = &out->facts[out->n++];
    f->type = type;
    f->subject = subject;
    f->value = value;
    f->detail = detail;
    f->span.start = a;
    f->span.end = b;
    return 0;
}

static const char *span_text(extract_state *st, uint32_t t0, uint32_t t1)
{
    const radar_tokens *t = st->tok;
    uint32_t a = t->tok[t0].off, b = t->tok[t1 - 1].off + t->tok[t1 - 1].len;
    char *s = radar_arena_strndup(st->arena, st->body + a, b - a);
    if (s)
        s[radar_drop_format(s, b - a)] = '\0'; /* shown to people: no soft hyphens */
    return s;
}

/* The player a sentence is about: the first player named or referred to in it,
 * else the latest one before it. */
static int32_t sentence_player(const extract_state *st, uint32_t s, int32_t focus)
{
    /* the first few items are enough: the subject comes early */
    for (size_t j = st->sent_item[s]; j < st->n_items && st->items[j].sent == s && j < st->sent_item[s] + 64; j++) {
        const item *o = &st->items[j];
        if ((o->type == IT_NAME || o->type == IT_DESCR || o->type == IT_PRONOUN) && o->person >= 0 &&
            radar_person_is_player(st, o->person))
            return o->person;
    }
    return focus;
}

static uint32_t sentence_club(const extract_state *st, uint32_t s, uint32_t before_tok)
{
    uint32_t c = LEX_NONE;
    for (size_t j = st->sent_item[s]; j < st->n_items && st->items[j].sent == s && j < st->sent_item[s] + 64; j++) {
        const item *o = &st->items[j];
        if (o->type == IT_CLUB && o->entry != LEX_NONE) {
            if (o->t0 < before_tok || c == LEX_NONE)
                c = o->entry;
            if (o->t0 >= before_tok)
                break;
        }
    }
    return c;
}

/* A fact from a cue or trigger item: contract, injury, the club's stance,
 * a denial; focus is the player the text last named. */
static int cue_fact(extract_state *st, facts_out *out, const item *it, int32_t focus)
{
    const radar_tokens *t = st->tok;
    int rc = 0;
    const lex_entry *e = &st->lex->entries[it->entry];
    int cue = e->cue;
    if (!cue && it->cue2)
        cue = st->lex->entries[it->cue2 - 1].cue;
    if (cue != CUE_CONTRACT && cue != CUE_INJURY && cue != CUE_KEEP && cue != CUE_SELL && cue != CUE_DENIAL)
        return 0;
    /* the clause the cue sits in, for the evidence span */
    uint32_t s = it->sent;
    uint32_t send = t->sent[s].end;
    uint32_t sa = t->tok[t->sent[s].first].off;
    uint32_t sb = t->tok[send - 1].off + t->tok[send - 1].len;
    const char *phrase = span_text(st, it->t0, it->t1);
    if (!phrase)
        return RADAR_ENOMEM;
    switch (cue) {
    case CUE_CONTRACT: {
        int32_t p = sentence_player(st, s, focus);
        /* detail: the words after the phrase ("at the end of the season", "until 2026") */
        uint32_t d0 = it->t1, d1 = it->t1;
        while (d1 < send && d1 < it->t1 + 7 && !(t->tok[d1].flags & TOK_PUNCT && st->body[t->tok[d1].off] != '-'))
            d1++;
        rc = push_fact(st, out, RADAR_FACT_CONTRACT, p >= 0 ? st->persons[p].name : NULL, phrase,
                       d1 > d0 ? span_text(st, d0, d1) : NULL, sa, sb);
        break;
    }
    case CUE_INJURY: {
        int32_t p = sentence_player(st, s, focus);
        rc = push_fact(st, out, RADAR_FACT_INJURY, p >= 0 ? st->persons[p].name : NULL, phrase, NULL, sa, sb);
        break;
    }
    case CUE_KEEP:
    case CUE_SELL: {
        uint32_t c = sentence_club(st, s, it->t0);
        rc = push_fact(st, out, RADAR_FACT_STANCE, entry_name(st, c), cue == CUE_KEEP ? "reluctant to sell" : "open to selling",
                       phrase, sa, sb);
        break;
    }
    case CUE_DENIAL: {
        uint32_t c = sentence_club(st, s, it->t0);
        rc = push_fact(st, out, RADAR_FACT_DENIAL, entry_name(st, c), phrase, NULL, sa, sb);
        break;
    }
    default:
        break;
    }
    return rc;
}

/* Facts item by item: the sources cited and what the cues say. */
static int item_facts(extract_state *st, facts_out *out)
{
    const radar_tokens *t = st->tok;
    int32_t focus = -1;
    int rc = 0;
    for (size_t i = 0; i < st->n_items && !rc; i++) {
        const item *it = &st->items[i];
        if (st->sent_flags[it->sent] & SF_CAPTION)
            continue;
        if ((it->type == IT_NAME || it->type == IT_DESCR) && it->person >= 0 && radar_person_is_player(st, it->person))
            focus = it->person;
        uint32_t a = t->tok[it->t0].off, b = t->tok[it->t1 - 1].off + t->tok[it->t1 - 1].len;
        if (it->type == IT_OUTLET || it->type == IT_JOURNALIST || it->type == IT_HANDLE) {
            const char *name = it->entry != LEX_NONE ? st->lex->entries[it->entry].canonical : span_text(st, it->t0, it->t1);
            const char *kind = it->type == IT_OUTLET ? "outlet" : it->type == IT_JOURNALIST ? "journalist" : "social";
            rc = push_fact(st, out, RADAR_FACT_SOURCE, NULL, name, kind, a, b);
            continue;
        }
        if (it->type == IT_NAME && it->person >= 0 && st->persons[it->person].role == ROLE_MEDIA) {
            rc = push_fact(st, out, RADAR_FACT_SOURCE, NULL, st->persons[it->person].name, "person", a, b);
            continue;
        }
        if (it->type != IT_CUE && it->type != IT_TRIGGER)
            continue;
        rc = cue_fact(st, out, it, focus);
    }
    return rc;
}

/* The quote's speaker, tokens [k, m]: a person named just after the quote,
 * else just before it; NULL when none is near. */
static const char *quote_speaker(const extract_state *st, size_t k, size_t m)
{
    const char *speaker = NULL;
    size_t near = radar_item_at_token(st, (uint32_t)(m + 1));
    for (size_t j = near; j < st->n_items && j < near + 3 && !speaker; j++) {
        const item *o = &st->items[j];
        if (o->t0 > m + 4 || (st->tok->tok[o->t0].flags & TOK_LINE))
            break;
        if ((o->type == IT_NAME || o->type == IT_PRONOUN) && o->person >= 0)
            speaker = st->persons[o->person].name;
    }
    size_t before = radar_item_at_token(st, (uint32_t)k);
    for (size_t j = before; j-- > 0 && !speaker;) {
        const item *o = &st->items[j];
        if (k - o->t1 > 8)
            break;
        if ((o->type == IT_NAME || o->type == IT_PRONOUN) && o->person >= 0)
            speaker = st->persons[o->person].name;
    }
    return speaker;
}

/* Quotes: text between opening and closing quotation marks. */
static int quote_facts(extract_state *st, facts_out *out)
{
    const radar_tokens *t = st->tok;
    int rc = 0;
    for (size_t k = 0; k < t->n && !rc; k++) {
        const radar_token *q = &t->tok[k];
        if (!(q->flags & TOK_QUOTE))
            continue;
        const char *qb = st->body + q->off;
        int curly = q->len == 3 && memcmp(qb, "\xE2\x80\x9C", 3) == 0;
        int straight = q->len == 1 && qb[0] == '"';
        if (!curly && !straight)
            continue;
        size_t m = k + 1;
        while (m < t->n) {
            const radar_token *c = &t->tok[m];
            if ((c->flags & TOK_QUOTE) && ((curly && c->len == 3 && memcmp(st->body + c->off, "\xE2\x80\x9D", 3) == 0) ||
                                           (straight && c->len == 1 && st->body[c->off] == '"')))
                break;
            if (c->flags & TOK_PARA)
                break;
            m++;
        }
        if (m >= t->n || m == k + 1 || (t->tok[m].flags & TOK_PARA)) {
            continue;
        }
        uint32_t a = q->off, b = t->tok[m].off + t->tok[m].len;
        if (b - a < 24) { /* a quoted word or title, not speech */
            k = m;
            continue;
        }
        const char *speaker = quote_speaker(st, k, m);
        rc = push_fact(st, out, RADAR_FACT_QUOTE, speaker, NULL, NULL, a, b);
        k = m;
    }
    return rc;
}

/* Ages, once per player. */
static int age_facts(extract_state *st, facts_out *out)
{
    const radar_tokens *t = st->tok;
    int rc = 0;
    for (size_t p = 0; p < st->n_persons && !rc; p++) {
        const person *q = &st->persons[p];
        if (!q->age || !radar_person_is_player(st, (int32_t)p))
            continue;
        for (size_t i = 0; i < st->n_items; i++) {
            const item *it = &st->items[i];
            if ((it->type == IT_AGE || (it->type == IT_DESCR && it->age)) && it->age == q->age) {
                uint32_t a = t->tok[it->t0].off, b = t->tok[it->t1 - 1].off + t->tok[it->t1 - 1].len;
                char *v = radar_arena_alloc(st->arena, 8);
                if (!v)
                    return RADAR_ENOMEM;
                v[0] = (char)('0' + q->age / 10);
                v[1] = (char)('0' + q->age % 10);
                rc = push_fact(st, out, RADAR_FACT_AGE, q->name, v, NULL, a, b);
                break;
            }
        }
    }
    return rc;
}

int radar_facts_build(extract_state *st, facts_out *out)
{
    int rc = item_facts(st, out);
    if (!rc)
        rc = quote_facts(st, out);
    if (!rc)
        rc = age_facts(st, out);
    return rc;
}
