/*
 * money.c - money as the press writes it, and what role each figure plays.
 *
 * Forms: "€50 million", "£43M", "£20m", "$60m", "US$10m", "R$ 30m" (BRL), "EUR 12m", "50m euros",
 * "12m-euro", "£500,000", ranges ("£40m-£50m", "£40-50m"), "plus add-ons".
 * A cursor moves over the tokens with an explicit end; nothing is copied.
 * The role (bid, asking price, valuation, release clause, wages) comes from
 * the cue words around the figure.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

static const char *currency_word(const extract_state *st, size_t i);

/* Currency of a symbol token or word before a figure, or NULL. */
static const char *currency_at(const extract_state *st, size_t i, size_t end, size_t *used)
{
    const radar_token *k = &st->tok->tok[i];
    const char *b = st->body + k->off;
    *used = 1;
    if (k->flags & TOK_PUNCT) {
        if (k->len == 2 && memcmp(b, "\xC2\xA3", 2) == 0)
            return "GBP";
        if (k->len == 3 && memcmp(b, "\xE2\x82\xAC", 3) == 0)
            return "EUR";
        /* "R$", "C$", "HK$": a "$" glued to a word is that country's money */
        if (k->len == 1 && b[0] == '$')
            return i > 0 && !(k->flags & TOK_SPACE) && (st->tok->tok[i - 1].flags & TOK_WORD) ? NULL : "USD";
        return NULL;
    }
    if (!(k->flags & TOK_WORD))
        return NULL;
    int glued_dollar = i + 1 < end && st->tok->tok[i + 1].len == 1 && st->body[st->tok->tok[i + 1].off] == '$' &&
                       !(st->tok->tok[i + 1].flags & TOK_SPACE);
    if (glued_dollar && word_in(st, i, WC_USD_PREFIX)) {
        *used = 2;
        return "USD";
    }
    if (glued_dollar && word_in(st, i, WC_BRL_PREFIX)) {
        *used = 2;
        return "BRL";
    }
    /* an ISO code written before the figure, as agencies do: "EUR 12m", "GBP 40m" */
    if (k->len == 3 && b[0] >= 'A' && b[0] <= 'Z' && b[1] >= 'A' && b[1] <= 'Z' && b[2] >= 'A' && b[2] <= 'Z' &&
        i + 1 < end && (st->tok->tok[i + 1].flags & TOK_NUM))
        return currency_word(st, i);
    return NULL;
}

static const char *currency_word(const extract_state *st, size_t i)
{
    if (word_in(st, i, WC_CURRENCY_EUR))
        return "EUR";
    if (word_in(st, i, WC_CURRENCY_GBP))
        return "GBP";
    if (word_in(st, i, WC_CURRENCY_USD))
        return "USD";
    return NULL;
}

static double multiplier(const extract_state *st, size_t i)
{
    if (word_in(st, i, WC_MILLION))
        return 1e6;
    if (word_in(st, i, WC_BILLION))
        return 1e9;
    if (word_in(st, i, WC_THOUSAND))
        return 1e3;
    return 0;
}

/* The value of a number token: digits with ',' thousands and an optional '.'
 * decimal part ("1,500,000", "43", "1.5"). */
static double number_at(const extract_state *st, size_t i)
{
    const radar_token *k = &st->tok->tok[i];
    const char *p = st->body + k->off;
    /* digits as one integer, then one division: the double strtod would give */
    double mant = 0, div = 1;
    int frac = 0;
    for (uint32_t j = 0; j < k->len; j++) {
        char c = p[j];
        if (c >= '0' && c <= '9') {
            mant = mant * 10 + (c - '0');
            if (frac)
                div *= 10;
        } else if (c == '.' && !frac) {
            frac = 1;
        }
    }
    return mant / div;
}

/* NUM [MULT]: returns tokens used, amount in *v. */
static size_t amount_at(const extract_state *st, size_t i, size_t end, double *v, int *has_mult)
{
    if (i >= end || !(st->tok->tok[i].flags & TOK_NUM))
        return 0;
    double x = number_at(st, i);
    size_t used = 1;
    *has_mult = 0;
    if (i + 1 < end) {
        double m = multiplier(st, i + 1);
        if (m) {
            x *= m;
            used = 2;
            *has_mult = 1;
        }
    }
    *v = x;
    return used;
}

size_t radar_money_parse(const extract_state *st, size_t i, size_t end, radar_money *out)
{
    const radar_tokens *t = st->tok;
    size_t cu;
    const char *cur = currency_at(st, i, end, &cu);
    double v, v2;
    int mult;
    memset(out, 0, sizeof *out);
    size_t k;
    if (cur) {
        size_t n = amount_at(st, i + cu, end, &v, &mult);
        if (!n)
            return 0;
        k = i + cu + n;
        if (!mult && v < 1000 && !(k < end && currency_word(st, k)))
            return 0; /* "£5" alone is no transfer figure */
        v2 = v;
        /* ranges: "£40m-£50m", "£40-50m", "£40m to £50m" */
        if (k + 1 < end && ((t->tok[k].flags & TOK_JOIN && st->body[t->tok[k].off] == '-') || word_in(st, k, WC_TO))) {
            size_t j = k + 1, cu2;
            if (currency_at(st, j, end, &cu2))
                j += cu2;
            int mult2;
            size_t n2 = amount_at(st, j, end, &v2, &mult2);
            if (n2) {
                if (!mult && mult2) { /* "£40-50m": the multiplier applies to both */
                    double m = multiplier(st, j + 1);
                    v *= m;
                }
                if (v2 >= v) {
                    k = j + n2;
                } else {
                    v2 = v;
                }
            } else {
                v2 = v;
            }
        }
        if (k < end && currency_word(st, k)) /* "€50m euros" happens */
            k++;
    } else if (t->tok[i].flags & TOK_NUM) {
        size_t n = amount_at(st, i, end, &v, &mult);
        if (!n)
            return 0;
        k = i + n;
        if (k < end && (t->tok[k].flags & TOK_JOIN) && st->body[t->tok[k].off] == '-' && k + 1 < end &&
            currency_word(st, k + 1))
            k++; /* "12m-euro" */
        if (k >= end || !(cur = currency_word(st, k)))
            return 0;
        if (!mult && v < 1000)
            return 0;
        k++;
        v2 = v;
    } else {
        return 0;
    }
    /* no fee, wage or clause is a trillion: longer digit strings are no money */
    if (!(v >= 0 && v <= 1e12) || !(v2 >= 0 && v2 <= 1e12))
        return 0;
    out->amount = v;
    out->amount_max = v2;
    memcpy(out->currency, cur, 4);
    out->span.start = t->tok[i].off;
    out->span.end = t->tok[k - 1].off + t->tok[k - 1].len;
    /* "plus add-ons", also a word later: "a £38m offer plus add-ons" */
    for (size_t j = k; j + 1 < end && j < k + 3; j++)
        if (word_in(st, j, WC_ADD_ON_LINK) && word_in(st, j + 1, WC_ADD_ON))
            out->add_ons = 1;
    return k - i;
}

/* Decide each figure's role from the cues near it in its sentence. */
void radar_money_kinds(extract_state *st)
{
    const radar_tokens *t = st->tok;
    for (size_t i = 0; i < st->n_items; i++) {
        item *it = &st->items[i];
        if (it->type != IT_MONEY)
            continue;
        radar_money *m = &st->moneys[it->money].m;
        int kind = -1;
        /* right after: "-rated", "a week", "release clause" */
        size_t k = it->t1;
        size_t send = t->sent[it->sent].end;
        if (k + 1 < send && (t->tok[k].flags & TOK_JOIN) && word_in(st, k + 1, WC_RATED))
            kind = RADAR_FEE_VALUATION;
        int best_prio = 0;
        for (size_t j = i; j-- > 0 && kind < 0;) {
            const item *o = &st->items[j];
            /* a phrase holding the figure ("completed his 20m move to") is no cue
             * before it; the items before that phrase may be */
            if (o->sent == it->sent && o->t1 > it->t0)
                continue;
            if (o->sent != it->sent || it->t0 - o->t1 > 6)
                break;
            int pr = 0, kd = -1;
            if (radar_item_is_cue(st, o, CUE_FEE_RELEASE)) pr = 5, kd = RADAR_FEE_RELEASE;
            else if (radar_item_is_cue(st, o, CUE_FEE_WAGES)) pr = 4, kd = RADAR_FEE_WAGES;
            else if (radar_item_is_cue(st, o, CUE_FEE_BID)) pr = 3, kd = RADAR_FEE_BID;
            else if (radar_item_is_cue(st, o, CUE_FEE_ASKING)) pr = 2, kd = RADAR_FEE_ASKING;
            else if (radar_item_is_cue(st, o, CUE_FEE_VALUATION)) pr = 2, kd = RADAR_FEE_VALUATION;
            else if (o->type == IT_TRIGGER && st->lex->entries[o->entry].stage == RADAR_STAGE_BID) {
                /* "will have to pay" is the seller's price; "bid", "offer" an offer */
                if (word_in(st, o->t1 - 1, WC_PAY))
                    pr = 2, kd = RADAR_FEE_ASKING;
                else
                    pr = 3, kd = RADAR_FEE_BID;
            }
            if (pr > best_prio) {
                best_prio = pr;
                m->kind = (radar_fee_kind)kd;
            }
        }
        for (size_t j = i + 1; j < st->n_items && kind < 0; j++) {
            const item *o = &st->items[j];
            if (o->sent != it->sent || o->t0 - it->t1 > 3)
                break;
            if (radar_item_is_cue(st, o, CUE_FEE_RELEASE))
                kind = RADAR_FEE_RELEASE;
            else if (radar_item_is_cue(st, o, CUE_FEE_WAGES))
                kind = RADAR_FEE_WAGES;
            else if ((radar_item_is_cue(st, o, CUE_FEE_BID) ||
                      (o->type == IT_TRIGGER && st->lex->entries[o->entry].stage == RADAR_STAGE_BID)) &&
                     o->t0 == it->t1)
                kind = RADAR_FEE_BID; /* "a £20m bid" */
            else if (radar_item_is_cue(st, o, CUE_FEE_VALUATION) && o->t0 == it->t1)
                kind = RADAR_FEE_VALUATION;
        }
        /* "a £20m bid": the noun right after wins over cues before */
        if (kind >= 0)
            m->kind = (radar_fee_kind)kind;
        else if (!best_prio)
            m->kind = RADAR_FEE_FEE;
        /* "a week", "per season" can follow a few tokens on */
        for (size_t q = it->t1; q < send && q < it->t1 + 4; q++)
            if (word_in(st, q, WC_WAGE_PERIOD))
                if (q == it->t1 + 1 || q == it->t1 + 2)
                    if (word_in(st, q - 1, WC_PER) || (t->tok[q - 1].flags & TOK_JOIN))
                        m->kind = RADAR_FEE_WAGES;
    }
}
