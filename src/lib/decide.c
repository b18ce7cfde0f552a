/*
 * decide.c - the model's choice among the candidates (features.c).
 *
 * The pair model says buyer, seller or neither for every candidate; a second
 * pass sees what the first said of the candidates related to each (the same
 * person, the same club, a list they stand in) and gives the final
 * probabilities. A candidate kept as a buyer becomes a rumour frame, or keeps
 * the rule's; the stage model then gives its stage, and the seller is the
 * club the model is surest sells him. Without a model the rule frames stand
 * as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "extract_internal.h"
#include "features_internal.h"
#include "model_internal.h"

/* ---- the second pass: what the others were given ------------------------- */

/* Do items a < b (same sentence) stand in one list: only ",", "and", "or",
 * "&", "plus" or "as well as" between them? */
static int in_list(const extract_state *st, const item *a, const item *b)
{
    if (b->t0 < a->t1 || b->t0 - a->t1 > 3 || b->t0 == a->t1)
        return 0;
    for (uint32_t k = a->t1; k < b->t0; k++)
        if (!(radar_tok_is(st->tok, k, ",") || word_in(st, k, WC_LIST_SEPARATOR) || word_in(st, k, WC_LIST_FILLER)))
            return 0;
    return 1;
}

/* Each club or name item's list: the index of the list's first item. */
int radar_decide_mark_lists(extract_state *st)
{
    if (grow_array((void **)&st->list_id, &st->cap_list_id, st->n_items + 1, sizeof *st->list_id))
        return RADAR_ENOMEM;
    for (size_t i = 0; i < st->n_items; i++) {
        st->list_id[i] = (uint32_t)i;
        const item *it = &st->items[i];
        int name = it->type == IT_NAME || it->type == IT_DESCR;
        if (it->type != IT_CLUB && !name)
            continue;
        /* the previous item of the same kind, unless something else stands between */
        for (size_t j = i; j-- > 0;) {
            const item *o = &st->items[j];
            if (o->sent != it->sent)
                break;
            int oname = o->type == IT_NAME || o->type == IT_DESCR;
            if ((it->type == IT_CLUB && o->type == IT_CLUB) || (name && oname)) {
                if (in_list(st, o, it))
                    st->list_id[i] = st->list_id[j];
                break;
            }
            /* ages, nationalities and positions describe a name in a list: "X, 22, and Y" */
            if (!(o->type == IT_AGE || o->type == IT_NATIONALITY || o->type == IT_POSITION))
                break;
        }
    }
    return 0;
}

static int cands_listed(const extract_state *st, const cand *a, const cand *b, int clubs)
{
    for (uint32_t i = a->c0; i < a->c1; i++)
        for (uint32_t j = b->c0; j < b->c1; j++) {
            uint32_t x = clubs ? st->cooc[i].citem : st->cooc[i].pitem;
            uint32_t y = clubs ? st->cooc[j].citem : st->cooc[j].pitem;
            if (x != y && st->list_id[x] == st->list_id[y])
                return 1;
        }
    return 0;
}

int radar_decide_relations(extract_state *st)
{
    st->n_rels = 0; /* the lists were marked with the features */
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        c->r0 = (uint32_t)st->n_rels;
        /* room for every other candidate at once, not a check per relation */
        if (grow_array((void **)&st->rels, &st->cap_rels, st->n_rels + st->n_cands, sizeof *st->rels))
            return RADAR_ENOMEM;
        for (size_t j = 0; j < st->n_cands; j++) {
            const cand *d = &st->cands[j];
            if (i == j)
                continue;
            uint8_t kinds = 0;
            if (d->person == c->person) {
                kinds |= REL_SAME_PERSON;
                if (cands_listed(st, c, d, 1))
                    kinds |= REL_CLUB_LISTED;
            }
            if (d->club == c->club) {
                kinds |= REL_SAME_CLUB;
                if (cands_listed(st, c, d, 0))
                    kinds |= REL_PERSON_LISTED;
            }
            if (!kinds)
                continue;
            st->rels[st->n_rels].other = (uint32_t)j;
            st->rels[st->n_rels].kinds = kinds;
            st->n_rels++;
        }
        c->r1 = (uint32_t)st->n_rels;
    }
    return 0;
}

static int p_bucket(float p)
{
    int b = (int)(p * 5.0f);
    return b < 0 ? 0 : b > 4 ? 4 : b;
}

/* A context feature's readable name is formatted only when the trainer asks. */
#define NAMEF(...) (namer ? snprintf(nm, sizeof nm, __VA_ARGS__) : 0)

static inline size_t stack_emit(uint64_t *out, size_t n, unsigned tmpl, uint64_t v, const char *name, feature_namer namer,
                         void *ctx)
{
    if (n >= STACK_MAX_KEYS)
        return n;
    out[n] = feature_key(tmpl, v);
    if (namer)
        namer(ctx, RADAR_DECIDE_CONTEXT, out[n], name);
    return n + 1;
}

int radar_decide_no_trigger(const extract_state *st, const cand *c)
{
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        for (size_t i = st->sent_item[o->sent]; i < sent_item_end(st, o->sent); i++)
            if (st->items[i].type == IT_TRIGGER && !(st->items[i].flags & IF_PAST_MOVE))
                return 0;
    }
    return 1;
}

size_t radar_decide_stack_keys(const float *self, int no_trigger, const cand_rel *r, size_t nr,
                               const float *probs, uint64_t *out, feature_namer namer, void *ctx)
{
    float best_person = 0, best_club_list = 0, best_person_list = 0, best_club = 0;
    int person_buyers = 0, club_sells = 0;
    for (size_t i = 0; i < nr; i++) {
        const float *q = probs + 3 * (size_t)r[i].other;
        if (r[i].kinds & REL_SAME_PERSON) {
            if (q[PAIR_BUYER] > best_person)
                best_person = q[PAIR_BUYER];
            person_buyers += q[PAIR_BUYER] > 0.5f;
        }
        if ((r[i].kinds & REL_CLUB_LISTED) && q[PAIR_BUYER] > best_club_list)
            best_club_list = q[PAIR_BUYER];
        if ((r[i].kinds & REL_PERSON_LISTED) && q[PAIR_BUYER] > best_person_list)
            best_person_list = q[PAIR_BUYER];
        if (r[i].kinds & REL_SAME_CLUB) {
            if (q[PAIR_BUYER] > best_club)
                best_club = q[PAIR_BUYER];
            club_sells |= q[PAIR_SELLER] > 0.5f;
        }
    }
    size_t n = 0;
    char nm[64] = "";
    int bb = p_bucket(self[PAIR_BUYER]), sb = p_bucket(self[PAIR_SELLER]);
    NAMEF("ctx_self=buyer%d/seller%d", bb, sb);
    n = stack_emit(out, n, T_CTX_SELF, (uint64_t)(bb * 10 + sb), nm, namer, ctx);
    NAMEF("ctx_person_best=%d", p_bucket(best_person));
    n = stack_emit(out, n, T_CTX_PERSON, (uint64_t)p_bucket(best_person), nm, namer, ctx);
    NAMEF("ctx_person_buyers=%d", person_buyers > 3 ? 3 : person_buyers);
    n = stack_emit(out, n, T_CTX_PERSON_N, (uint64_t)(person_buyers > 3 ? 3 : person_buyers), nm, namer, ctx);
    NAMEF("ctx_club_listed_best=%d", p_bucket(best_club_list));
    n = stack_emit(out, n, T_CTX_CLUB_LIST, (uint64_t)p_bucket(best_club_list), nm, namer, ctx);
    NAMEF("ctx_person_listed_best=%d", p_bucket(best_person_list));
    n = stack_emit(out, n, T_CTX_PERSON_LIST, (uint64_t)p_bucket(best_person_list), nm, namer, ctx);
    NAMEF("ctx_club_best=%d", p_bucket(best_club));
    n = stack_emit(out, n, T_CTX_CLUB, (uint64_t)p_bucket(best_club), nm, namer, ctx);
    if (club_sells)
        n = stack_emit(out, n, T_CTX_CLUB_SELLS, 1, "ctx_club_sells_another=yes", namer, ctx);
    /* "Bournemouth are chasing X. They already have Y and Z": the club's target
     * is another man, and nothing moves in the sentence that names this one */
    NAMEF("ctx_club_best_no_trigger=%d/%d", p_bucket(best_club), no_trigger);
    n = stack_emit(out, n, T_CTX_CLUB_NOTRIG, (uint64_t)(p_bucket(best_club) * 2 + no_trigger), nm, namer, ctx);
    /* the strongest signal for "his own club": another club surely buys him */
    NAMEF("ctx_self_vs_person=%d/%d", bb, p_bucket(best_person));
    n = stack_emit(out, n, T_CTX_VS, (uint64_t)(bb * 10 + p_bucket(best_person)), nm, namer, ctx);
    return n;
}
#undef NAMEF

/* ---- the choice ----------------------------------------------------------- */

/* A new frame for a pair no rule proposed: its sentences are where the two meet. */
static int frame_from_cand(extract_state *st, const cand *c)
{
    if (st->n_frames >= RADAR_MAX_RUMOURS_PER_ARTICLE)
        return 0;
    if (grow_array((void **)&st->frames, &st->cap_frames, st->n_frames + 1, sizeof *st->frames))
        return RADAR_ENOMEM;
    frame *f = &st->frames[st->n_frames++];
    memset(f, 0, sizeof *f);
    f->person = c->person;
    f->to_club = c->club;
    f->from_club = st->persons[c->person].club;
    if (f->from_club == f->to_club)
        f->from_club = LEX_NONE;
    f->stage = RADAR_STAGE_INTEREST;
    f->money = -1;
    f->first_sent = st->cooc[c->c0].sent;
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        if (grow_array((void **)&f->sents, &f->cap_sents, f->n_sents + 1, sizeof *f->sents))
            return RADAR_ENOMEM;
        f->sents[f->n_sents++] = o->sent;
        if (f->money < 0)
            f->money = radar_frames_money_near(st, o->sent, st->items[o->citem].t0);
    }
    return 0;
}

/* Are the triggers of the sentences the two share all moves placed in the
 * past ("since joining", "signed ... in 2021"), and is there one? */
static int only_past_moves_with(const extract_state *st, const cand *c)
{
    int past = 0;
    for (uint32_t k = c->c0; k < c->c1; k++) {
        const cooc *o = &st->cooc[k];
        for (size_t i = st->sent_item[o->sent]; i < sent_item_end(st, o->sent); i++) {
            const item *it = &st->items[i];
            if (it->type != IT_TRIGGER)
                continue;
            if (!(it->flags & IF_PAST_MOVE))
                return 0;
            past = 1;
        }
    }
    return past;
}

/* Is the club, wherever it meets the person, a former club ("former
 * Liverpool and Chelsea forward")? Then it is not the one he would leave. */
static int past_club_only(const extract_state *st, const cand *c)
{
    if (c->c1 <= c->c0)
        return 0;
    for (uint32_t k = c->c0; k < c->c1; k++)
        if (!(st->items[st->cooc[k].citem].flags & IF_PAST))
            return 0;
    return 1;
}

/* Is the candidate's club the player's club by a seller's phrase in a
 * sentence the two share? */
static int sold_by(const extract_state *st, const cand *c)
{
    if (st->persons[c->person].club != c->club)
        return 0;
    for (uint32_t k = c->c0; k < c->c1; k++)
        if (st->items[st->cooc[k].citem].flags & IF_SELLS)
            return 1;
    return 0;
}

/* Club item i, marked his own: when his name follows it in the sentence
 * ("Lazio's X", "Lazio defender X"), is there nothing but modifiers between?
 * Not in "between Real Madrid and X's demands", "the Real Madrid-X saga". */
static int surely_his(const extract_state *st, size_t i)
{
    const item *club = &st->items[i];
    for (size_t j = i + 1; j < st->n_items && st->items[j].sent == club->sent; j++) {
        const item *o = &st->items[j];
        if (o->type != IT_NAME)
            continue;
        if (o->person != club->owner)
            return 1; /* "X scored for Lazio, and Y ...": his club is read from before it */
        for (uint32_t k = club->t1; k < o->t0; k++) {
            const radar_token *x = &st->tok->tok[k];
            if (word_in(st, k, WC_AND) || ((x->flags & TOK_JOIN) && !(x->flags & TOK_POSS)) ||
                ((x->flags & TOK_PUNCT) && x->len == 1 && st->body[x->off] == ','))
                return 0;
        }
        return 1;
    }
    return 1;
}

/* Is the club the person's own as surely as words say it, anywhere in the
 * article ("Chelsea's X", "Ajax midfielder X", "X scored for Inter")? A
 * match report or a new contract names the club he plays for: no rumour
 * takes him there. */
static int own_club(const extract_state *st, const cand *c)
{
    for (size_t i = 0; i < st->n_items; i++) {
        const item *it = &st->items[i];
        if (it->type == IT_CLUB && (it->flags & IF_OWN) && (it->flags & IF_CURRENT) && it->owner == c->person &&
            it->entry == c->club && surely_his(st, i))
            return 1;
    }
    return 0;
}

/* Does rule frame fi (of the first n_rule) hold sentence s? */
static int frame_has_sent(const extract_state *st, size_t fi, uint32_t s)
{
    const frame *f = &st->frames[fi];
    for (size_t k = 0; k < f->n_sents; k++)
        if (f->sents[k] == s)
            return 1;
    return 0;
}

/* A chain of moves in one sentence ("X leaves A to join B, and A sign Y from
 * C", "B sign Y after X left"): in every sentence the two share, the rules
 * give the club to another player as his buyer and give this player a buyer
 * of his own. The club is then the other player's, never this one's. */
static int chain_of_moves(const extract_state *st, const cand *c, size_t n_rule)
{
    if (c->c1 <= c->c0)
        return 0;
    for (uint32_t k = c->c0; k < c->c1; k++) {
        uint32_t s = st->cooc[k].sent;
        int other_buys = 0, own_buyer = 0;
        for (size_t fi = 0; fi < n_rule; fi++) {
            const frame *f = &st->frames[fi];
            if (!frame_has_sent(st, fi, s))
                continue;
            if (f->person != c->person && f->to_club == c->club)
                other_buys = 1;
            if (f->person == c->person && f->to_club != c->club)
                own_buyer = 1;
        }
        if (!other_buys || !own_buyer)
            return 0;
    }
    return 1;
}

/* RADAR_DEBUG: each candidate, its probabilities and its strongest features. */
static void debug_cands(const extract_state *st, const radar_model *m)
{
    for (size_t i = 0; i < st->n_cands; i++) {
        const cand *c = &st->cands[i];
        fprintf(stderr, "cand %s -> %s  none %.2f buyer %.2f seller %.2f%s\n", st->persons[c->person].name,
                entry_name(st, c->club), c->p[0], c->p[1], c->p[2], c->frame >= 0 ? "  (rule frame)" : "");
        const decision_table *d = &m->d[RADAR_DECIDE_PAIR];
        for (uint32_t k = c->f0; k < c->f1; k++) {
            const float *w = radar_model_row_get(d, st->fkeys[k]);
            if (!w)
                continue;
            float x = w[PAIR_BUYER] - w[PAIR_NONE];
            if (x > 0.08f || x < -0.08f) {
                const char *nm = radar_model_name(m, RADAR_DECIDE_PAIR, st->fkeys[k]);
                fprintf(stderr, "    %+.2f %s\n", x, nm ? nm : "?");
            }
        }
    }
}

/* The second pass: each candidate's features with what the first pass said of
 * the candidates it relates to; its probabilities replace the first pass's. */
static int decide_context(extract_state *st, const radar_model *m)
{
    int rc;
    if ((rc = radar_decide_relations(st)))
        return rc;
    size_t n = st->n_cands;
    float *first = malloc((3 * n + 1) * sizeof *first);
    if (!first)
        return RADAR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(first + 3 * i, st->cands[i].p, 3 * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        cand *c = &st->cands[i];
        uint64_t extra[STACK_MAX_KEYS];
        size_t ne = radar_decide_stack_keys(first + 3 * i, radar_decide_no_trigger(st, c), st->rels + c->r0,
                                            c->r1 - c->r0, first, extra, NULL, NULL);
        radar_model_scores_second(m, c->ctx, extra, ne, st->domain, c->p);
    }
    free(first);
    return 0;
}

int radar_decide_apply(extract_state *st, const radar_model *m)
{
    if (!radar_model_has(m, RADAR_DECIDE_PAIR))
        return 0;
    int rc, stages = radar_model_has(m, RADAR_DECIDE_STAGE);
    /* stage features only for the pairs kept, below */
    if ((rc = radar_decide_features(st, 0)))
        return rc;
    size_t n_rule = st->n_frames;
    uint8_t *keep = NULL;
    if (n_rule && !(keep = calloc(n_rule, 1)))
        return RADAR_ENOMEM;
    int joint = radar_model_has(m, RADAR_DECIDE_CONTEXT) && m->joint.slots;
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        if (joint)
            radar_model_scores_first(m, st->fkeys + c->f0, c->f1 - c->f0, st->domain, c->ctx, c->p);
        else
            radar_model_scores(m, RADAR_DECIDE_PAIR, st->fkeys + c->f0, c->f1 - c->f0, st->domain, c->p);
    }
    if (joint && (rc = decide_context(st, m))) {
        free(keep);
        return rc;
    }
    int kind = st->n_sent > RADAR_SHORT_ITEM_SENTENCES;
    float thr = m->threshold[kind];
    /* a pair a rule proposed needs less of the model's belief than one no rule saw */
    float rule_thr = m->threshold_rule[kind] > 0 ? m->threshold_rule[kind] : thr;
    /* the seller each person's candidates point to most surely */
    for (size_t i = 0; i < st->n_cands; i++) {
        cand *c = &st->cands[i];
        int buyer = thr > 0 ? c->p[PAIR_BUYER] > (c->frame >= 0 ? rule_thr : thr)
                             : c->p[PAIR_BUYER] > c->p[PAIR_NONE] && c->p[PAIR_BUYER] > c->p[PAIR_SELLER];
        /* a move the text places in the past is context, not news: where the only
         * triggers of the sentences the two share are such moves, no rumour */
        if (buyer && c->frame < 0 && only_past_moves_with(st, c))
            buyer = 0;
        /* a club a seller's phrase or a buyer's talks make his seller ("City
         * could sell X, Y and Z", "Newcastle's boss is in talks with Watford to
         * sign X") is never his destination: the rules drop such frames, and
         * so does the model (other readings of his club, "his Man City
         * contract", "will play for Man City", may be his new club's) */
        if (buyer && sold_by(st, c))
            buyer = 0;
        if (buyer && c->frame < 0 && chain_of_moves(st, c, n_rule))
            buyer = 0;
        /* a club named only as someone's former one ("former Real Madrid and
         * PSG goalkeeper X joins Y", "former Tottenham manager Z wants X") is
         * no destination: it tells where a man was, not where one goes */
        if (buyer && past_club_only(st, c))
            buyer = 0;
        if (buyer && own_club(st, c))
            buyer = 0;
        if (!buyer)
            continue;
        int32_t fi = c->frame;
        if (fi >= 0)
            keep[fi] = 1;
        else if (c->c1 > c->c0) {
            if ((rc = frame_from_cand(st, c)))
                goto done;
            fi = (int32_t)st->n_frames - 1;
            c->frame = fi;
        } else
            continue;
        frame *f = &st->frames[fi];
        if (stages && (rc = radar_decide_stage_features(st, c)))
            goto done;
        if (stages && c->s1 > c->s0) {
            float p[RADAR_MODEL_MAX_CLASSES];
            radar_model_scores(m, RADAR_DECIDE_STAGE, st->fkeys + c->s0, c->s1 - c->s0, st->domain, p);
            int best = 0;
            for (int k = 1; k < STAGE_CLASSES; k++)
                if (p[k] > p[best])
                    best = k;
            /* a rule's stage stands unless the model is surely of another mind */
            int rule = fi < (int32_t)n_rule ? f->stage - 1 : -1;
            /* and where the rules are certain (an ending, a step marked
             * certain in the lexicon), it stands whatever the model says */
            int certain = fi < (int32_t)n_rule && f->stage_certain;
            if (!certain && (rule < 0 || rule >= STAGE_CLASSES || p[best] - p[rule] > m->stage_margin))
                f->stage = best + 1;
        }
        /* the seller: the rules' unless the model takes that club for a buyer
         * ("AC Milan have joined Tottenham in the race for X": Tottenham is a
         * rival, not his club); else the one the model is surest of */
        const cand *best_seller = NULL;
        for (size_t j = 0; j < st->n_cands; j++) {
            const cand *o = &st->cands[j];
            if (o->person != c->person || o->club == c->club)
                continue;
            if (o->club == f->from_club && o->p[PAIR_BUYER] > o->p[PAIR_SELLER])
                f->from_club = LEX_NONE;
            if (o->p[PAIR_SELLER] > 0.5f && !past_club_only(st, o) &&
                (!best_seller || o->p[PAIR_SELLER] > best_seller->p[PAIR_SELLER]))
                best_seller = o;
        }
        if (f->from_club == LEX_NONE && best_seller)
            f->from_club = best_seller->club;
        if (f->from_club == f->to_club)
            f->from_club = LEX_NONE;
    }
    const char *dbg = getenv("RADAR_DEBUG");
    if (dbg && *dbg && *dbg != '0')
        debug_cands(st, m);
    /* drop the rule frames the model did not keep; new frames stay */
    size_t w = 0;
    for (size_t i = 0; i < st->n_frames; i++) {
        if (i < n_rule && !keep[i]) {
            free(st->frames[i].sents);
            continue;
        }
        st->frames[w++] = st->frames[i];
    }
    st->n_frames = w;
    rc = 0;
done:
    free(keep);
    return rc;
}
