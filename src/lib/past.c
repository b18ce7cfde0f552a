/*
 * past.c - moves the text places in the past: context, not news.
 *
 * "since joining", "who joined from", "was signed from AC Milan in 1998",
 * "joined Barcelona in March 2023", "signed him last summer", "three years
 * after he joined Leeds" and "a January signing" tell where a player has been;
 * the frame builder makes no rumour of them, and the model reads the flag.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

static int is_punct(const extract_state *st, size_t i, char c)
{
    const radar_token *k = &st->tok->tok[i];
    return (k->flags & TOK_PUNCT) && k->len == 1 && st->body[k->off] == c;
}

/* Does token k end in "ed" ("joined", "signed")? */
static int ends_in_ed(const extract_state *st, uint32_t k)
{
    const radar_token *t = &st->tok->tok[k];
    return t->fold_len > 2 && memcmp(radar_tok_fold(st->tok, k) + t->fold_len - 2, "ed", 2) == 0;
}

/* Is the trigger a past move mentioned for context ("since joining from")? */
static int past_context(const extract_state *st, size_t ti)
{
    const item *tr = &st->items[ti];
    const lex_entry *e = &st->lex->entries[tr->entry];
    for (size_t j = ti; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != tr->sent || tr->t0 - o->t1 > 2)
            break;
        if (radar_item_is_cue(st, o, CUE_PAST) && !word_in(st, o->t0, WC_FORMER))
            return 1;
    }
    /* the trigger phrase itself may be a past cue ("since joining" shares "joining") */
    if (radar_item_is_cue(st, tr, CUE_PAST))
        return 1;
    /* "was signed from AC Milan in 1998", "joined Barcelona in March 2023",
     * "signed him last summer", "joined three years ago": a dated past move */
    uint32_t tl = tr->t1 - 1;
    if (ends_in_ed(st, tl)) {
        int article_year = st->article->date ? atoi(st->article->date) : 0;
        uint32_t send = st->tok->sent[tr->sent].end;
        /* the date may come first, before a move made: "Last summer Barcelona
         * signed X" (not "Arsenal, where he spent last season, remain interested") */
        uint32_t from = tr->t0 > st->tok->sent[tr->sent].first + 8 ? tr->t0 - 8 : st->tok->sent[tr->sent].first;
        for (uint32_t k = from; k < tr->t0; k++)
            if (word_in(st, k, WC_CLAUSE_BREAK) || is_punct(st, k, ';') || is_punct(st, k, ','))
                from = k + 1;
        if (e->stage != RADAR_STAGE_SIGNED)
            from = tr->t0;
        for (uint32_t k = from; k + 1 < tr->t0; k++) {
            if (word_in(st, k, WC_LAST) && word_in(st, k + 1, WC_PAST_PERIOD))
                return 1;
            uint32_t y0 = k + 1;
            if (!word_in(st, k, WC_IN))
                continue;
            if (word_in(st, y0, WC_MONTH) && y0 + 1 < tr->t0)
                y0++;
            if (!(st->tok->tok[y0].flags & TOK_NUM) || st->tok->tok[y0].len != 4)
                continue;
            int y = atoi(st->body + st->tok->tok[y0].off);
            if (y > 1900 && y < 2100 && article_year && y < article_year)
                return 1;
        }
        for (uint32_t k = tr->t1; k + 1 < send && k < tr->t1 + 12; k++) {
            if (word_in(st, k, WC_LAST) && word_in(st, k + 1, WC_PAST_PERIOD))
                return 1;
            if (word_in(st, k + 1, WC_AGO) && (st->tok->tok[k].flags & TOK_NUM || word_in(st, k, WC_PAST_PERIOD) ||
                                                 word_in(st, k, WC_MONTH)))
                return 1;
            if (!word_in(st, k, WC_IN))
                continue;
            uint32_t y0 = k + 1;
            if (word_in(st, y0, WC_MONTH) && y0 + 1 < send) /* "in March 2023" */
                y0++;
            if (!(st->tok->tok[y0].flags & TOK_NUM) || st->tok->tok[y0].len != 4)
                continue;
            int y = atoi(st->body + st->tok->tok[y0].off);
            if (y > 1900 && y < 2100 && (!article_year || y < article_year))
                return 1;
        }
    }
    uint32_t k = tr->t0;
    if (k > 0 && word_in(st, k - 1, WC_PAST_BEFORE))
        return 1;
    /* "three years after he joined Leeds", "since Chelsea signed him": a
     * move made, told after "after" or "since" and its subject */
    if (e->stage == RADAR_STAGE_SIGNED && ends_in_ed(st, tr->t0)) {
        uint32_t first = st->tok->sent[tr->sent].first;
        for (uint32_t n = 0; k > first && n < 4; n++) {
            const radar_token *p = &st->tok->tok[k - 1];
            if (!word_in(st, k - 1, WC_PRONOUN) && !((p->flags & TOK_CAP) && (p->flags & TOK_WORD)) &&
                !word_in(st, k - 1, WC_AUXILIARY))
                break;
            k--;
        }
        if (k < tr->t0 && k > first && word_in(st, k - 1, WC_PAST_AFTER))
            return 1;
    }
    return 0;
}

/* "a January signing", "his £20m signing from Parma": "signing" as a noun
 * names a move already made, not a rumour. */
static int noun_signing(const extract_state *st, const item *tr)
{
    if (tr->t1 - tr->t0 != 1 || !word_in(st, tr->t0, WC_SIGNING) || tr->t0 == 0)
        return 0;
    uint32_t k = tr->t0 - 1;
    return word_in(st, k, WC_SIGNING_MODIFIER) || (st->tok->tok[k].flags & (TOK_NUM | TOK_CAP));
}

int radar_past_move(const extract_state *st, size_t ti)
{
    return past_context(st, ti) || noun_signing(st, &st->items[ti]);
}
