/*
 * clause.c - what a trigger's clause says of its step.
 *
 * A trigger phrase carries its stage ("have made a bid": bid); the words
 * around it can take the step back: a supposition or a question ("Could X
 * join Y?"), a condition before or after it ("if the fee is right"), a
 * negation ("no talks", "are not interested in") or a denial ("have denied
 * reports"). The frame builder asks here before it keeps the trigger's stage.
 */
#include "extract_internal.h"

/* Is the sentence opened as a supposition or a question about the move
 * ("Suppose the unthinkable happens and X joins Y", "Could X join Y?")? */
static int sentence_supposed(const extract_state *st, uint32_t sent)
{
    const radar_sentence *s = &st->tok->sent[sent];
    for (uint32_t k = s->first; k < s->end && k < s->first + 3; k++)
        if (st->tok->tok[k].flags & TOK_WORD)
            return word_in(st, k, WC_SUPPOSITION);
    return 0;
}

/* The stage a trigger's clause [cs, tr) gives, from the trigger's own. */
int radar_clause_stage(const extract_state *st, size_t ti, uint32_t cs, uint32_t ce, int stage)
{
    const item *tr = &st->items[ti];
    if (stage > RADAR_STAGE_INTEREST && stage < RADAR_STAGE_REJECTED && sentence_supposed(st, tr->sent))
        return RADAR_STAGE_INTEREST;
    /* "if Liverpool follow up with an offer": a possibility, not a bid */
    if (stage > RADAR_STAGE_INTEREST && stage < RADAR_STAGE_REJECTED) {
        for (uint32_t k = cs; k < tr->t0; k++)
            if (word_in(st, k, WC_CONDITIONAL))
                stage = RADAR_STAGE_INTEREST;
    }
    /* "X will sign for Y if the fee is right", "X could join Y should Lyon
     * accept": a step made to depend on a condition after it, whose subject
     * follows ("the player should sign on Monday" is no condition) */
    if (stage > RADAR_STAGE_INTEREST && stage < RADAR_STAGE_REJECTED) {
        for (uint32_t k = tr->t1; k + 1 < ce; k++)
            if (word_in(st, k, WC_CONDITION_AFTER) &&
                ((st->tok->tok[k + 1].flags & TOK_CAP) || word_in(st, k + 1, WC_CONDITION_SUBJECT))) {
                stage = RADAR_STAGE_INTEREST;
                break;
            }
    }
    /* "no negotiations", "not even discussions started", "are not interested
     * in", "do not want": a step or a wish negated is denied; "no agreement
     * yet" is a step not reached so far (interest) */
    if (stage >= RADAR_STAGE_INTEREST && stage <= RADAR_STAGE_AGREEMENT && tr->t0 > cs) {
        uint32_t k = tr->t0 - 1;
        while (k > cs && word_in(st, k, WC_NEGATION_FILLER))
            k--;
        size_t j = radar_item_at_token(st, k);
        if (j < ti && st->items[j].t0 == k && st->items[j].t1 == k + 1 &&
            radar_item_is_cue(st, &st->items[j], CUE_NEGATION)) {
            stage = RADAR_STAGE_DENIED;
            for (uint32_t y = tr->t1; y < tr->t1 + 3 && y < st->tok->sent[tr->sent].end; y++)
                if (word_in(st, y, WC_YET))
                    stage = RADAR_STAGE_INTEREST;
        }
    }
    /* "have denied reports they are interested in X" */
    for (size_t j = radar_item_at_token(st, cs); j < ti; j++)
        if (radar_item_is_cue(st, &st->items[j], CUE_DENIAL))
            stage = RADAR_STAGE_DENIED;
    return stage;
}
