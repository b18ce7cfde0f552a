/*
 * frames.c - rumour frames: a trigger phrase and the roles around it.
 *
 * Each trigger ("are keeping tabs on", "could join", "rejected a bid from")
 * says where its roles stand: for a buyer trigger the buying clubs are the
 * subject before it and the player the object after; for a player trigger the
 * player comes first and the clubs after. Clubs tied to the player as his
 * current club ("Inter Milan defender", "from Celta Vigo", "leave Arsenal")
 * are sellers, never buyers. One frame per (player, buying club); a list of
 * clubs ("Bayern and Barcelona are also interested") gives one each.
 */
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/limits.h"
#include "extract_internal.h"

/* How far a frame looks from its trigger, in tokens. */
#define CLAUSE_MAX 60

static int is_punct(const extract_state *st, size_t i, char c)
{
    const radar_token *k = &st->tok->tok[i];
    return (k->flags & TOK_PUNCT) && k->len == 1 && st->body[k->off] == c;
}

static int is_dash(const extract_state *st, size_t i)
{
    const radar_token *k = &st->tok->tok[i];
    if (!(k->flags & TOK_PUNCT))
        return 0;
    const char *b = st->body + k->off;
    return (k->len == 3 && (memcmp(b, "\xE2\x80\x94", 3) == 0 || memcmp(b, "\xE2\x80\x93", 3) == 0)) ||
           (k->len == 1 && b[0] == '-' && (k->flags & TOK_SPACE));
}

/* ", who", ", which": a relative clause starts at token k */
static int relative_at(const extract_state *st, size_t k)
{
    return word_in(st, k, WC_RELATIVE) && k > 0 && is_punct(st, k - 1, ',');
}

/* Does a new clause start at token k? ";", a dash, a clause_break word
 * ("but", "while", "despite"), or ", who/which/whom". This runs for every
 * token near every trigger: words cost a bit test. */
static inline int clause_break(const extract_state *st, size_t k)
{
    const radar_token *tk = &st->tok->tok[k];
    if (tk->flags & TOK_PUNCT)
        return is_punct(st, k, ';') || is_dash(st, k);
    if (!(tk->flags & TOK_WORD))
        return 0;
    return word_in(st, k, WC_CLAUSE_BREAK) || relative_at(st, k);
}

static void clause_of(const extract_state *st, uint32_t sent, uint32_t t, uint32_t *cs, uint32_t *ce)
{
    uint32_t first = st->tok->sent[sent].first, end = st->tok->sent[sent].end;
    uint32_t sent_first = first;
    /* a clause is at most CLAUSE_MAX tokens each way: run-on text costs linear time */
    if (t > first + CLAUSE_MAX)
        first = t - CLAUSE_MAX;
    if (end > t + CLAUSE_MAX)
        end = t + CLAUSE_MAX;
    uint32_t a = t, b = t;
    while (a > first) {
        size_t k = a - 1;
        if (clause_break(st, k) || (is_punct(st, k, ':') && k > sent_first + 1))
            break;
        a--;
    }
    while (b < end && !clause_break(st, b))
        b++;
    *cs = a;
    *ce = b;
}

/* ---- club attachments -------------------------------------------------- */

/* "leave", "quit", "swap": the club right after is the one he is at */
static int leave_trigger(const extract_state *st, const item *tr) { return word_in(st, tr->t1 - 1, WC_LEAVE); }

static int32_t person_before(const extract_state *st, size_t idx, uint32_t sent)
{
    for (size_t j = idx; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != sent)
            break;
        if ((o->type == IT_NAME || o->type == IT_DESCR || o->type == IT_PRONOUN) && o->person >= 0)
            return o->person;
    }
    return -1;
}

static int32_t person_after(const extract_state *st, size_t idx, uint32_t sent, uint32_t limit)
{
    for (size_t j = idx + 1; j < st->n_items; j++) {
        const item *o = &st->items[j];
        if (o->sent != sent || o->t0 >= limit)
            break;
        if ((o->type == IT_NAME || o->type == IT_DESCR || o->type == IT_PRONOUN) && o->person >= 0)
            return o->person;
    }
    return -1;
}

static void attach(extract_state *st, item *club, int32_t p)
{
    if (club->owner != p) /* what made it surely someone's was said of another */
        club->flags &= (uint16_t)~IF_OWN;
    club->flags |= IF_CURRENT;
    club->owner = p;
    if (p >= 0 && st->persons[p].club == LEX_NONE)
        st->persons[p].club = club->entry;
}

/* The selling club is the club of every player it sells ("City could sell
 * X, Y and Z"), not only of the first. */
static void attach_all(extract_state *st, item *club, const int32_t *players, size_t np)
{
    attach(st, club, np ? players[0] : -1);
    club->flags |= IF_SELLS;
    for (size_t k = 1; k < np; k++)
        if (players[k] >= 0 && st->persons[players[k]].club == LEX_NONE)
            st->persons[players[k]].club = club->entry;
}

/* An interest or bid phrase a few words before club item i, with no name
 * between: "from" then introduces the bidder, not the seller. */
static int interest_nearby(const extract_state *st, size_t i)
{
    const item *c = &st->items[i];
    for (size_t j = i; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != c->sent || c->t0 - o->t1 > 6 || o->type == IT_NAME || o->type == IT_CLUB)
            return 0;
        if (o->type == IT_MONEY && o->t1 + 1 == c->t0) {
            /* "will receive £12m from Liverpool": the club that pays */
            for (uint32_t k = o->t0 > 3 ? o->t0 - 3 : 0; k < o->t0; k++)
                if (word_in(st, k, WC_RECEIVE))
                    return 1;
            return 0;
        }
        if (o->type == IT_TRIGGER && (word_in(st, o->t1 - 1, WC_BID_TRIGGER_END) ||
                                      (o->t1 >= 2 && word_in(st, o->t1 - 2, WC_BID_TRIGGER_INTEREST))))
            return 1;
    }
    return 0;
}

/* A club inside a descriptor ("the Inter Milan defender") is the described
 * person's. */
static void attach_descriptor(extract_state *st, size_t i)
{
    item *it = &st->items[i];
    for (size_t j = i; j-- > 0 && st->items[j].sent == it->sent;) {
        if (st->items[j].type == IT_DESCR && st->items[j].t1 > it->t0 && st->items[j].person >= 0) {
            attach(st, it, st->items[j].person);
            break;
        }
        if (st->items[j].t1 <= it->t0)
            break;
    }
    for (size_t j = i + 1; j < st->n_items && !(it->flags & IF_CURRENT); j++) {
        const item *d = &st->items[j];
        if (d->sent != it->sent || d->t0 > it->t1 + 1)
            break;
        if (d->type == IT_DESCR && d->t0 <= it->t0 && d->person >= 0)
            attach(st, it, d->person);
    }
}

/* From k back, skip what describes the club: "from rivals Manchester City",
 * "leave relegated Italian Serie A side Parma" (at most six words). */
static size_t skip_club_description(const extract_state *st, size_t k, uint32_t first)
{
    const radar_tokens *t = st->tok;
    for (int skipped = 0; k > first && skipped < 6; skipped++) {
        const radar_token *d = &t->tok[k];
        size_t m = radar_item_at_token(st, (uint32_t)k);
        int in_nat = (m < st->n_items && st->items[m].t0 == k && st->items[m].type == IT_NATIONALITY) ||
                     (m > 0 && st->items[m - 1].t1 > k && st->items[m - 1].type == IT_NATIONALITY);
        int in_item = (m < st->n_items && st->items[m].t0 == k) || (m > 0 && st->items[m - 1].t1 > k);
        if (word_in(st, k, WC_CLUB_DESCRIPTOR) || in_nat ||
            ((d->flags & TOK_CAP) && (d->flags & TOK_WORD) && !in_item) || (d->flags & TOK_NUM))
            k--;
        else
            break;
    }
    return k;
}

/* The words before club item i decide its role; 1 when they did. */
static int club_by_words_before(extract_state *st, size_t i)
{
    const radar_tokens *t = st->tok;
    item *it = &st->items[i];
    uint32_t first = t->sent[it->sent].first;
    size_t b = it->t0;
    if (b == first)
        return 0;
    /* a club right after a trigger takes its role from the trigger ("sign for X"),
     * except "leave X", which names his club */
    if (i > 0 && st->items[i - 1].sent == it->sent && st->items[i - 1].t1 == it->t0 &&
        st->items[i - 1].type == IT_TRIGGER && !leave_trigger(st, &st->items[i - 1]))
        return 1;
    /* "former Everton striker", "ex-Chelsea" */
    {
        size_t k = b - 1;
        if (k > first && (t->tok[k].flags & TOK_JOIN))
            k--;
        if (word_in(st, k, WC_PAST_CLUB)) {
            it->flags |= IF_PAST;
            it->flags &= (uint16_t)~(IF_CURRENT | IF_OWN);
            return 1;
        }
        /* "former Liverpool and Chelsea forward": the list shares its "former" */
        if (i > 0 && st->items[i - 1].type == IT_CLUB && (st->items[i - 1].flags & IF_PAST) &&
            st->items[i - 1].sent == it->sent && st->items[i - 1].t1 == b - 1 &&
            (word_in(st, b - 1, WC_AND) || is_punct(st, b - 1, ','))) {
            it->flags |= IF_PAST;
            it->flags &= (uint16_t)~(IF_CURRENT | IF_OWN);
            return 1;
        }
    }
    if (it->flags & IF_CURRENT)
        return 1;
    size_t k = skip_club_description(st, b - 1, first);
    /* an opponent on the pitch, or the other side of a negotiation */
    if (word_in(st, k, WC_OPPONENT) ||
        /* "direct talk with Juventus", "contact with Porto": the other side of a
         * negotiation (a club right after a talks phrase is handled by its trigger) */
        (word_in(st, k, WC_WITH) && k > first && person_before(st, i, it->sent) < 0 &&
         word_in(st, k - 1, WC_NEGOTIATION)) ||
        (word_in(st, k, WC_MATCH_LINK) && k > first && word_in(st, k - 1, WC_MATCH_NOUN))) {
        it->flags |= IF_MATCH;
        return 1;
    }
    if (word_in(st, k, WC_FROM_CLUB)) {
        size_t k2 = k > first ? k - 1 : k;
        if (k2 < k && word_in(st, k2, WC_BID_NOUN)) {
            it->flags |= IF_BUYER_CUE;
        } else if (interest_nearby(st, i)) {
            it->flags |= IF_BUYER_CUE; /* "interest in his native country from Hamburg" */
        } else {
            int32_t p = person_before(st, i, it->sent);
            if (p < 0)
                p = person_after(st, i, it->sent, t->sent[it->sent].end);
            attach(st, it, p);
        }
        return 1;
    }
    if (word_in(st, k, WC_BUYER_BEFORE)) {
        it->flags |= IF_BUYER_CUE;
        return 1;
    }
    /* "leave Manchester United for Paris Saint-Germain": the second club is the buyer */
    if (word_in(st, k, WC_FOR) && i > 0 && st->items[i - 1].type == IT_CLUB && st->items[i - 1].t1 == k &&
        st->items[i - 1].t0 > first && word_in(st, st->items[i - 1].t0 - 1, WC_LEFT_FOR)) {
        it->flags |= IF_BUYER_CUE;
        return 1;
    }
    if (word_in(st, k, WC_DEPARTURE) || word_in(st, k, WC_CLUB_HOLDER)) {
        /* "at Inter", "stay at", "future at"; "contract with"; "plays for" */
        int contract = 0;
        for (size_t q = k; q-- > first && q + 4 > k;)
            if (word_in(st, q, WC_CAREER))
                contract = 1;
        int leave = !word_in(st, k, WC_CLUB_HOLDER);
        /* "brilliant for Inter", "scored for": a player's club */
        int for_club = word_in(st, k, WC_FOR) && k > first && word_in(st, k - 1, WC_PLAYED_FOR);
        if (leave || contract || for_club) {
            int32_t p = person_before(st, i, it->sent);
            if (p >= 0 || leave)
                attach(st, it, p);
            if (for_club && p >= 0 && word_in(st, k - 1, WC_PLAYS_FOR_NOW))
                it->flags |= IF_OWN;
        }
        return 1;
    }
    return 0;
}

/* The words after club item i: a seller's stance or a player's contract. */
static void club_by_words_after(extract_state *st, size_t i)
{
    const radar_tokens *t = st->tok;
    item *it = &st->items[i];
    /* "test Leeds United's resolve", "Inter's valuation": the club that sells */
    if (it->t1 + 1 < t->sent[it->sent].end && (t->tok[it->t1].flags & TOK_POSS) &&
        word_in(st, it->t1 + 1, WC_SELLER_STANCE)) {
        int32_t p = person_before(st, i, it->sent);
        if (p < 0)
            p = person_after(st, i, it->sent, t->sent[it->sent].end);
        attach(st, it, p);
        return;
    }
    /* "The Cherries already have X and Y in that position": the players a
     * club already has are its own */
    uint32_t k = it->t1;
    if (k + 1 < t->sent[it->sent].end && word_in(st, k, WC_ALREADY) && word_in(st, k + 1, WC_SQUAD_HAVE)) {
        int32_t players[16];
        size_t np = 0;
        k += 2;
        for (size_t j = i + 1; j < st->n_items && np < 16; j++) {
            const item *o = &st->items[j];
            if (o->sent != it->sent || o->t0 != k || o->type != IT_NAME || o->person < 0)
                break;
            players[np++] = o->person;
            k = o->t1;
            /* the list goes on after a comma or "and" */
            if (k < t->sent[it->sent].end && (is_punct(st, k, ',') || word_in(st, k, WC_LIST_SEPARATOR)))
                k++;
        }
        if (np) {
            attach_all(st, it, players, np);
            return;
        }
    }
    /* "his Marseille contract", "the Real Madrid loanee" */
    if (it->t1 < t->sent[it->sent].end && word_in(st, it->t1, WC_CLUB_CONTRACT)) {
        if (!(it->flags & IF_CURRENT)) {
            int32_t p = person_before(st, i, it->sent);
            if (p < 0)
                p = person_after(st, i, it->sent, t->sent[it->sent].end);
            attach(st, it, p);
        }
    }
}

/* Mark clubs that are someone's current or former club, or that the words
 * before them make a buyer ("interest from", "wanted by"). */
static void attachments(extract_state *st)
{
    for (size_t i = 0; i < st->n_items; i++) {
        item *it = &st->items[i];
        if (it->type != IT_CLUB || it->entry == LEX_NONE)
            continue;
        attach_descriptor(st, i);
        if (!club_by_words_before(st, i))
            club_by_words_after(st, i);
    }
}

/* ---- frames ------------------------------------------------------------ */

static int buyer_ok(const item *c);
static int is_person_item(const item *o);

/* Is the nearest party before trigger ti in its clause a club that is the
 * trigger's subject? Not when a preposition or a conjunction stands between
 * them ("... after talks with the Red Devils and now looks set to join"). */
static int club_is_subject(const extract_state *st, size_t ti, uint32_t cs)
{
    for (size_t j = ti; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t1 <= cs)
            return 0;
        if (is_person_item(o))
            return 0;
        if (!buyer_ok(o))
            continue;
        if (st->items[ti].t0 - o->t1 > 14)
            return 0;
        for (uint32_t k = o->t1; k < st->items[ti].t0; k++)
            if (is_punct(st, k, ',') || word_in(st, k, WC_SUBJECT_BREAK))
                return 0;
        return 1;
    }
    return 0;
}

/* Between two clubs of one list: a separator (",", "and", "or", "plus") and
 * at most a few words that describe the next club ("newly promoted",
 * "Italian club", "Scottish Premiership champions"). */
static int is_list_gap(const extract_state *st, uint32_t a, uint32_t b)
{
    if (b <= a)
        return 1;
    if (b - a > 6)
        return 0;
    int sep = 0;
    for (uint32_t k = a; k < b; k++) {
        const radar_token *tk = &st->tok->tok[k];
        if (is_punct(st, k, ',') || word_in(st, k, WC_LIST_SEPARATOR)) {
            sep = 1;
            continue;
        }
        if (word_in(st, k, WC_LIST_FILLER))
            continue;
        size_t m = radar_item_at_token(st, k);
        int in_item = 0;
        if (m < st->n_items && st->items[m].t0 == k)
            in_item = st->items[m].type == IT_NATIONALITY || (st->items[m].type == IT_CUE);
        if (m > 0 && st->items[m - 1].t1 > k)
            in_item = st->items[m - 1].type == IT_NATIONALITY || st->items[m - 1].type == IT_CUE;
        if (in_item)
            continue;
        if ((tk->flags & TOK_WORD) && !(tk->flags & TOK_CAP))
            continue; /* "newly promoted", "fellow" */
        if ((tk->flags & TOK_WORD) && (tk->flags & TOK_CAP) && k + 1 < b)
            continue; /* a capitalised descriptor such as a league name */
        if (tk->flags & TOK_JOIN)
            continue;
        return 0;
    }
    return sep;
}

static int buyer_ok(const item *c)
{
    return c->type == IT_CLUB && c->entry != LEX_NONE && !(c->flags & (IF_CURRENT | IF_PAST | IF_MATCH));
}

/* Is club item j written in brackets right after a name ("X (Fulham), Y
 * (Burnley) were loaned out")? The club is then what the list says of that
 * player, not a subject of the trigger after the list. */
static int bracketed_after_name(const extract_state *st, size_t j)
{
    const item *c = &st->items[j];
    uint32_t first = st->tok->sent[c->sent].first;
    if (j == 0 || c->t0 < first + 2 || c->t1 >= st->tok->sent[c->sent].end || !is_punct(st, c->t0 - 1, '(') ||
        !is_punct(st, c->t1, ')'))
        return 0;
    const item *n = &st->items[j - 1];
    return n->sent == c->sent && n->type == IT_NAME && n->t1 + 1 == c->t0;
}

/* Clubs before trigger item `ti` in [cs, ...): the subject list. */
static size_t clubs_before(const extract_state *st, size_t ti, uint32_t cs, size_t *out, size_t max)
{
    size_t n = 0;
    uint32_t last_t0 = 0;
    for (size_t j = ti; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t1 <= cs)
            break;
        if (o->type == IT_TRIGGER && n == 0 && st->lex->entries[o->entry].dir == DIR_PLAYER)
            break;
        if (n == 0 && o->type == IT_CLUB && bracketed_after_name(st, j))
            break;
        if (!buyer_ok(o)) {
            if (n && o->type != IT_COUNT && o->type != IT_CUE && o->type != IT_NATIONALITY)
                break;
            continue;
        }
        if (n && !is_list_gap(st, o->t1, last_t0))
            break;
        /* "X leaves A to join Everton, and Brentford sign Y": a club right
         * after another trigger is that trigger's, not one of this list */
        if (n && j > 0 && st->items[j - 1].type == IT_TRIGGER && st->items[j - 1].t1 == o->t0 &&
            st->items[j - 1].sent == o->sent)
            break;
        if (n < max)
            out[n++] = j;
        last_t0 = o->t0;
    }
    return n;
}

static size_t clubs_after(const extract_state *st, size_t ti, uint32_t ce, size_t *out, size_t max, int cue_only)
{
    size_t n = 0;
    uint32_t last_t1 = 0;
    for (size_t j = ti + 1; j < st->n_items; j++) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t0 >= ce)
            break;
        if (!buyer_ok(o) || (cue_only && !(o->flags & IF_BUYER_CUE) && !n)) {
            if (n && o->type != IT_COUNT && o->type != IT_CUE && o->type != IT_NATIONALITY)
                break;
            continue;
        }
        if (n && !is_list_gap(st, last_t1, o->t0))
            break;
        if (n < max)
            out[n++] = j;
        last_t1 = o->t1;
    }
    return n;
}

static int is_person_item(const item *o) { return (o->type == IT_NAME || o->type == IT_DESCR || o->type == IT_PRONOUN) && o->person >= 0; }

/* Only modifiers (money, age, position, "the", "'s") between tokens a and b. */
static int near_after(const extract_state *st, uint32_t a, uint32_t b)
{
    if (b <= a + 1)
        return 1;
    for (uint32_t k = a; k < b; k++) {
        if (word_in(st, k, WC_OBJECT_GLUE) || (st->tok->tok[k].flags & (TOK_POSS | TOK_JOIN)))
            continue;
        size_t m = radar_item_at_token(st, k);
        const item *o = NULL;
        if (m < st->n_items && st->items[m].t0 == k)
            o = &st->items[m];
        else if (m > 0 && st->items[m - 1].t1 > k)
            o = &st->items[m - 1];
        if (o && (o->type == IT_MONEY || o->type == IT_AGE || o->type == IT_NATIONALITY || o->type == IT_POSITION ||
                  o->type == IT_CLUB))
            continue;
        return 0;
    }
    return 1;
}

/* Words between tokens a and b that belong to no item and are not glue. */
static int plain_words(const extract_state *st, uint32_t a, uint32_t b)
{
    int n = 0;
    for (uint32_t k = a; k < b; k++) {
        const radar_token *tk = &st->tok->tok[k];
        if (!(tk->flags & TOK_WORD) || word_in(st, k, WC_GLUE))
            continue;
        size_t m = radar_item_at_token(st, k);
        if ((m < st->n_items && st->items[m].t0 == k) || (m > 0 && st->items[m - 1].t1 > k))
            continue;
        n++;
    }
    return n;
}

/* A one-word name with nothing around it saying "player" ("in Lisbon") is
 * taken as the player only right next to the trigger. */
static int weak_name(const extract_state *st, const item *o)
{
    const person *q = &st->persons[o->person];
    return o->type == IT_NAME && o->t1 - o->t0 == 1 && q->player_score == 0 && q->other_score == 0 &&
           q->t1 - q->t0 == 1;
}

/* "talks with X", "terms with X": the person after "with" is the party */
static int talks_with(const extract_state *st, uint32_t with)
{
    if (with == 0)
        return 0;
    return word_in(st, with - 1, WC_TALKS_NOUN);
}

/* Players that are the object of a buyer trigger: the first person after it
 * and those coordinated with it ("A from X and B from Y"). */
static size_t objects_after(const extract_state *st, size_t ti, uint32_t ce, int32_t *out, size_t max)
{
    size_t n = 0;
    uint32_t last_t1 = 0;
    for (size_t j = ti + 1; j < st->n_items; j++) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t0 >= ce)
            break;
        if (o->type == IT_TRIGGER && n)
            break;
        if (!is_person_item(o))
            continue;
        /* "with X out", "alongside X": named beside the object, not as it */
        if (o->t0 > st->items[ti].t1 &&
            ((word_in(st, o->t0 - 1, WC_WITH) && !talks_with(st, o->t0 - 1)) || word_in(st, o->t0 - 1, WC_BESIDE)))
            continue;
        if (n) {
            /* coordinated only through "and" / "," and modifiers */
            int ok = 0;
            for (uint32_t k = last_t1; k < o->t0; k++)
                if (word_in(st, k, WC_AND) || is_punct(st, k, ','))
                    ok = 1;
            for (uint32_t k = last_t1; k < o->t0 && ok; k++) {
                size_t m = radar_item_at_token(st, k);
                int in_item = m < st->n_items && st->items[m].t0 <= k && st->items[m].t1 > k;
                if (!in_item && m > 0 && st->items[m - 1].t1 > k)
                    in_item = 1;
                if (!in_item && !(word_in(st, k, WC_COORDINATION) || is_punct(st, k, ',') ||
                                  (st->tok->tok[k].flags & (TOK_POSS | TOK_NUM | TOK_JOIN))))
                    ok = 0;
            }
            if (!ok)
                break;
        }
        if (n == 0 && weak_name(st, o) && !near_after(st, st->items[ti].t1, o->t0))
            continue;
        /* the object stands close to its trigger: "bring in some versatile
         * reinforcements ... and forward X set to join Y" has none */
        if (n == 0 && plain_words(st, st->items[ti].t1, o->t0) > 5)
            break;
        if (!radar_person_is_player(st, o->person) || (o->flags & IF_CONTEXT)) {
            /* "made contact with Bilbao's manager X as they ... succeed Y": the
             * object is taken by someone who is not a transfer target */
            if (n == 0 && o->type == IT_NAME && !(st->tok->tok[o->t1].flags & TOK_POSS))
                break;
            continue;
        }
        int dup = 0;
        for (size_t q = 0; q < n; q++)
            dup |= out[q] == o->person;
        if (!dup && n < max)
            out[n++] = o->person;
        last_t1 = o->t1;
    }
    return n;
}

static int32_t subject_before(const extract_state *st, size_t ti, uint32_t first_tok)
{
    if (st->items[ti].t0 > first_tok + CLAUSE_MAX)
        first_tok = st->items[ti].t0 - CLAUSE_MAX;
    for (size_t j = ti; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t1 <= first_tok)
            break;
        if (is_person_item(o)) {
            if (weak_name(st, o) && st->items[ti].t0 > o->t1 + 3)
                return -1;
            return radar_person_is_player(st, o->person) ? o->person : -2;
        }
    }
    return -1;
}

/* "bid from X", "offer from X", "approach from X" right after the trigger. */
static int bid_from(const extract_state *st, size_t ti, uint32_t ce, size_t *buyers, size_t *nb)
{
    const item *tr = &st->items[ti];
    if (ti + 1 >= st->n_items)
        return 0;
    const item *c = &st->items[ti + 1];
    if (c->sent != tr->sent || c->type != IT_CLUB || !(c->flags & IF_BUYER_CUE) || c->t0 != tr->t1 + 1 ||
        !word_in(st, tr->t1, WC_FROM))
        return 0;
    *nb = clubs_after(st, ti, ce, buyers, 16, 1);
    return *nb > 0;
}

static int ends_in_preposition(const extract_state *st, const item *tr)
{
    return word_in(st, tr->t1 - 1, WC_PREPOSITION);
}

/* Does a player reference follow the trigger at once ("for the defender", "on him")? */
static int object_next(const extract_state *st, size_t ti)
{
    if (ti + 1 >= st->n_items)
        return 0;
    const item *o = &st->items[ti + 1];
    return o->sent == st->items[ti].sent && is_person_item(o) && near_after(st, st->items[ti].t1, o->t0);
}

/* The club of a non-player who is the subject before the trigger
 * ("Newcastle manager Graeme Souness has confirmed ..."), or LEX_NONE. */
static uint32_t speaker_club(const extract_state *st, size_t ti, uint32_t cs)
{
    for (size_t j = ti; j-- > 0;) {
        const item *o = &st->items[j];
        if (o->sent != st->items[ti].sent || o->t1 <= cs)
            break;
        if (o->type == IT_ROLE && j > 0 && st->items[j - 1].type == IT_CLUB && st->items[j - 1].t1 + 1 >= o->t0 &&
            st->items[j - 1].entry != LEX_NONE && !(st->items[j - 1].flags & (IF_PAST | IF_MATCH)))
            return st->items[j - 1].entry;
        if (o->type == IT_NAME && o->person >= 0 && !radar_person_is_player(st, o->person))
            return st->persons[o->person].club;
    }
    return LEX_NONE;
}

/* The players of a trigger: the objects after it; else the player subject
 * before it (from token `from`); else, when no one else stands there, the
 * fallback (the latest rumour's player). Returns how many, up to 16. */
static size_t find_players(const extract_state *st, size_t ti, uint32_t from, uint32_t ce, int32_t fallback,
                           int32_t *players)
{
    size_t np = objects_after(st, ti, ce, players, 16);
    if (np)
        return np;
    int32_t p = subject_before(st, ti, from);
    if (p >= 0)
        players[np++] = p;
    else if (p == -1 && fallback >= 0)
        players[np++] = fallback;
    return np;
}

static int add_sentence(frame *f, uint32_t s)
{
    /* sentences arrive in order, except for headline frames added at the end */
    for (size_t i = f->n_sents; i-- > 0 && i + 8 >= f->n_sents;)
        if (f->sents[i] == s)
            return 0;
    if (radar_grow((void **)&f->sents, &f->cap_sents, f->n_sents + 1, sizeof *f->sents, 64))
        return RADAR_ENOMEM;
    f->sents[f->n_sents++] = s;
    return 0;
}

static int add_frame(extract_state *st, int32_t p, uint32_t club, uint32_t seller, int stage, int certain,
                     uint32_t sent, uint32_t near)
{
    const person *q = &st->persons[p];
    if (club == q->club || club == seller)
        return 0; /* his own club: a new contract, not a transfer */
    frame *f = NULL;
    for (size_t i = 0; i < st->n_frames; i++)
        if (st->frames[i].person == p && st->frames[i].to_club == club)
            f = &st->frames[i];
    if (!f) {
        if (st->n_frames >= RADAR_MAX_RUMOURS_PER_ARTICLE)
            return 0;
        if (radar_grow((void **)&st->frames, &st->cap_frames, st->n_frames + 1, sizeof *st->frames, 64))
            return RADAR_ENOMEM;
        f = &st->frames[st->n_frames++];
        memset(f, 0, sizeof *f);
        f->person = p;
        f->to_club = club;
        f->from_club = LEX_NONE;
        f->money = -1;
        f->first_sent = sent;
    }
    if (seller != LEX_NONE && f->from_club == LEX_NONE)
        f->from_club = seller;
    /* stages only move forward, except endings which are recorded as reached */
    if (stage > f->stage) {
        f->stage = stage;
        f->stage_certain = certain;
    } else if (stage == f->stage) {
        f->stage_certain |= certain;
    }
    if (f->money < 0)
        f->money = radar_frames_money_near(st, sent, near);
    return add_sentence(f, sent);
}

int32_t radar_frames_money_near(const extract_state *st, uint32_t sent, uint32_t near)
{
    /* the first figure in the sentence, within reach of the trigger */
    uint32_t from = near > CLAUSE_MAX ? near - CLAUSE_MAX : 0;
    size_t j0 = radar_item_at_token(st, from);
    if (j0 < st->sent_item[sent])
        j0 = st->sent_item[sent];
    for (size_t j = j0; j < st->n_items && st->items[j].sent == sent && st->items[j].t0 < near + CLAUSE_MAX; j++) {
        const item *m = &st->items[j];
        if (m->type == IT_MONEY && st->moneys[m->money].m.kind != RADAR_FEE_WAGES)
            return m->money;
    }
    return -1;
}

/* A new-contract phrase belongs to this trigger when it follows it in the
 * clause with no other person named in between ("open talks with X over a
 * new deal"), or the trigger itself is one. */
static int renewal_in_clause(const extract_state *st, size_t ti, const int32_t *players, size_t np)
{
    if (radar_item_is_cue(st, &st->items[ti], CUE_RENEWAL))
        return 1;
    uint32_t stop = st->tok->sent[st->items[ti].sent].end;
    if (stop > st->items[ti].t1 + CLAUSE_MAX)
        stop = st->items[ti].t1 + CLAUSE_MAX;
    for (uint32_t k = st->items[ti].t1; k < stop; k++)
        if (is_punct(st, k, ';') || word_in(st, k, WC_CLAUSE_BREAK) || is_dash(st, k)) {
            stop = k;
            break;
        }
    for (size_t j = ti + 1; j < st->n_items && st->items[j].sent == st->items[ti].sent; j++) {
        const item *o = &st->items[j];
        if (o->t1 > stop)
            break;
        if (is_person_item(o)) {
            int ours = 0;
            for (size_t q = 0; q < np; q++)
                ours |= o->person == players[q];
            if (!ours)
                return 0;
        }
        /* "... who is contracted to Spurs and has had a new deal offered to him
         * by the London club": his club's offer, not this trigger's */
        if (o->type == IT_CLUB && (o->flags & IF_CURRENT))
            return 0;
        if (radar_item_is_cue(st, o, CUE_RENEWAL))
            return 1;
        if (radar_item_is_cue(st, o, CUE_STAY))
            return 2;
    }
    return 0;
}

/* Where a trigger sits: sentence s, item ti of the sentence's items [.., b),
 * its clause [cs, ce), and the player it stands for when it names none. */
typedef struct trigger_at {
    size_t s, ti, b;
    uint32_t cs, ce;
    int32_t fallback;
    const item *tr;
} trigger_at;

/* Who a trigger is about: its players, buying clubs (item indexes), the
 * seller and a buyer known from elsewhere than an item of the clause. */
typedef struct parties {
    int32_t players[16];
    size_t np;
    size_t buyers[16], nb;
    uint32_t seller, extra_buyer;
} parties;

/* "Inter Miami's owner Jorge Mas has had talks with X": the buyer is known
 * (extra_buyer); the players follow. */
static void parties_speaker(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t ti = at->ti;
    uint32_t ce = at->ce;
    pt->np = objects_after(st, ti, ce, pt->players, 16);
    /* "Newcastle boss Eddie Howe is in talks with Watford to sign X": the
     * club the buyer talks with sells */
    const item *tr = at->tr;
    if (ti + 1 < at->b && word_in(st, tr->t1 - 1, WC_WITH)) {
        item *c = &st->items[ti + 1];
        if (c->type == IT_CLUB && c->t0 == tr->t1 && buyer_ok(c) && c->entry != pt->extra_buyer && c->t1 < ce) {
            pt->seller = c->entry;
            attach_all(st, c, pt->players, pt->np);
        }
    }
}

/* A refusal: the clubs before refuse, a club after is his own. */
static void parties_refused(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t ti = at->ti;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    pt->np = find_players(st, ti, cs, ce, fallback, pt->players);
    pt->nb = clubs_before(st, ti, cs, pt->buyers, 16);
    size_t after[2];
    if (clubs_after(st, ti, ce, after, 2, 0)) {
        pt->seller = st->items[after[0]].entry;
        attach(st, &st->items[after[0]], pt->np ? pt->players[0] : -1);
    }
}

/* A bid received: the club after "from" bids, the subject sells. */
static void parties_bid(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t ti = at->ti;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    /* "Forest have received an £8m bid from Tottenham for X": the
     * club after "from" bids, the subject sells */
    pt->np = objects_after(st, ti, ce, pt->players, 16);
    if (!pt->np && fallback >= 0)
        pt->players[pt->np++] = fallback;
    size_t sellers[2];
    if (clubs_before(st, ti, cs, sellers, 2)) {
        pt->seller = st->items[sellers[0]].entry;
        attach_all(st, &st->items[sellers[0]], pt->players, pt->np);
    }
}

/* A buyer's phrase: the clubs before it buy, a club after "with" sells. */
static void parties_buyer(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t s = at->s;
    size_t ti = at->ti;
    size_t b = at->b;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    const item *tr = at->tr;
    pt->np = find_players(st, ti, st->tok->sent[s].first, ce, fallback, pt->players);
    /* "Galatasaray have approached PSG for X": a club right after a
     * buyer's phrase is the one he plays for */
    if (ti + 1 < b && st->items[ti + 1].type == IT_CLUB && st->items[ti + 1].t0 == tr->t1 &&
        buyer_ok(&st->items[ti + 1]) && !(st->tok->tok[st->items[ti + 1].t1].flags & TOK_POSS) &&
        club_is_subject(st, ti, cs))
        attach(st, &st->items[ti + 1], pt->np ? pt->players[0] : -1);
    pt->nb = clubs_before(st, ti, cs, pt->buyers, 16);
    if (!pt->nb) /* "was offered a contract by Galatasaray" */
        pt->nb = clubs_after(st, ti, ce, pt->buyers, 16, 1);
    /* "have reached an agreement with Lens for X": the club after "with" sells;
     * so does the club an offer goes to ("have made an offer to Sporting to
     * sign X", "a bid to Lille for X") */
    for (size_t j = ti + 1; pt->nb && j < b; j++) {
        item *c = &st->items[j];
        if (c->type == IT_MONEY || c->type == IT_CUE)
            continue;
        int offer_to = c->type == IT_CLUB && c->t0 >= 2 && word_in(st, c->t0 - 1, WC_TO) &&
                       word_in(st, c->t0 - 2, WC_BID_NOUN) && c->t1 < ce &&
                       (word_in(st, c->t1, WC_TO) || word_in(st, c->t1, WC_FOR));
        if (c->type == IT_CLUB && buyer_ok(c) && c->t0 <= tr->t1 + 14 &&
            (word_in(st, c->t0 - 1, WC_WITH) || offer_to) && c->t1 < ce) {
            pt->seller = c->entry;
            attach(st, c, pt->np ? pt->players[0] : -1);
        }
        break;
    }
    if (!pt->nb) /* the subject is a manager: "Newcastle manager Souness wants ..." */
        pt->extra_buyer = speaker_club(st, ti, cs);
}

/* Talks between clubs: the subject club buys, the club right after sells. */
static void parties_talks(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t ti = at->ti;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    const item *tr = at->tr;
    /* "Villa have opened talks with Brentford over X": a club as the
     * subject makes it the buyer; the club after is the seller */
    pt->nb = clubs_before(st, ti, cs, pt->buyers, 16);
    size_t after[2];
    size_t nafter = clubs_after(st, ti, ce, after, 2, 0);
    pt->np = objects_after(st, ti, ce, pt->players, 16);
    if (!pt->np && fallback >= 0)
        pt->players[pt->np++] = fallback;
    /* only a club right after the phrase is its other party: "talks with Brentford" */
    if (nafter && st->items[after[0]].t0 > tr->t1 + 1 &&
        !(st->items[after[0]].t0 == tr->t1 + 1 && word_in(st, tr->t1, WC_THE)))
        nafter = 0;
    if (nafter) {
        pt->seller = st->items[after[0]].entry;
        attach(st, &st->items[after[0]], pt->np ? pt->players[0] : -1);
    }
}

/* A player's phrase ("joins", "a move to"): he is its subject or object, the
 * clubs after it buy. */
static void parties_player(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t s = at->s;
    size_t ti = at->ti;
    size_t b = at->b;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    const item *tr = at->tr;
    int32_t p = subject_before(st, ti, cs);
    if (p == -1)
        p = subject_before(st, ti, st->tok->sent[s].first);
    if (p >= 0)
        pt->players[pt->np++] = p;
    else if (p == -1) {
        pt->np = objects_after(st, ti, ce, pt->players, 16);
        if (!pt->np && fallback >= 0)
            pt->players[pt->np++] = fallback;
    }
    pt->nb = clubs_after(st, ti, ce, pt->buyers, 16, 0);
    /* "has joined the club", "a move to the club": the club the sentence is about */
    if (!pt->nb && tr->t1 + 1 < ce && word_in(st, tr->t1, WC_THE) && !leave_trigger(st, tr) &&
        word_in(st, tr->t1 + 1, WC_CLUB_NOUN)) {
        for (size_t j = radar_item_at_token(st, cs); j < b && st->items[j].t0 < ce; j++)
            if (buyer_ok(&st->items[j])) {
                pt->buyers[pt->nb++] = j;
                break;
            }
    }
    /* "X is on PSG's wish list": the owner of the list */
    if (!pt->nb && ti > 0 && st->items[ti - 1].type == IT_CLUB && buyer_ok(&st->items[ti - 1]) &&
        (st->tok->tok[st->items[ti - 1].t1].flags & TOK_POSS) && st->items[ti - 1].t1 + 1 == tr->t0)
        pt->buyers[pt->nb++] = ti - 1;
}

/* A seller's phrase: the club before sells, the clubs after buy. */
static void parties_seller(extract_state *st, const trigger_at *at, parties *pt)
{
    size_t ti = at->ti;
    uint32_t cs = at->cs;
    uint32_t ce = at->ce;
    int32_t fallback = at->fallback;
    size_t sellers[4];
    size_t ns = clubs_before(st, ti, cs, sellers, 4);
    pt->np = find_players(st, ti, cs, ce, fallback, pt->players);
    if (ns) {
        pt->seller = st->items[sellers[0]].entry;
        attach_all(st, &st->items[sellers[0]], pt->players, pt->np);
    }
    pt->nb = clubs_after(st, ti, ce, pt->buyers, 16, 0);
}

/* The parties of the trigger at `at`, read as its direction says. The
 * order of the tests matters: some fill pt as they test. */
static void find_parties(extract_state *st, const trigger_at *at, int dir, parties *pt)
{
    size_t ti = at->ti;
    uint32_t cs = at->cs, ce = at->ce;
    if (dir == DIR_RIVAL) {
        pt->np = find_players(st, ti, cs, ce, at->fallback, pt->players);
        pt->nb = clubs_before(st, ti, cs, pt->buyers, 16);
        pt->nb += clubs_after(st, ti, ce, pt->buyers + pt->nb, 16 - pt->nb, 0);
    } else if (dir == DIR_PLAYER && subject_before(st, ti, cs) == -2 &&
               (pt->extra_buyer = speaker_club(st, ti, cs)) != LEX_NONE) {
        parties_speaker(st, at, pt);
    } else if (dir == DIR_REFUSED) {
        parties_refused(st, at, pt);
    } else if (dir == DIR_BUYER && bid_from(st, ti, ce, pt->buyers, &pt->nb)) {
        parties_bid(st, at, pt);
    } else if (dir == DIR_BUYER) {
        parties_buyer(st, at, pt);
    } else if (dir == DIR_PLAYER && club_is_subject(st, ti, cs) && clubs_before(st, ti, cs, pt->buyers, 16) > 0) {
        parties_talks(st, at, pt);
    } else if (dir == DIR_PLAYER) {
        parties_player(st, at, pt);
    } else { /* DIR_SELLER */
        parties_seller(st, at, pt);
    }
}

/* "X leaves Atalanta to join Ipswich": a trigger "to ..." of the player's
 * move right after his club, which a present-tense leave word names: the
 * move is made (signed). */
static int leaves_to_join(const extract_state *st, size_t ti)
{
    const item *tr = &st->items[ti];
    if (ti == 0 || tr->t1 - tr->t0 < 2 || !word_in(st, tr->t0, WC_TO))
        return 0;
    const item *c = &st->items[ti - 1];
    if (c->type != IT_CLUB || c->sent != tr->sent || c->t1 != tr->t0 || c->t0 == st->tok->sent[tr->sent].first)
        return 0;
    return word_in(st, c->t0 - 1, WC_LEAVES_TO_JOIN);
}

/* The frames of trigger item ti in sentence s (whose items end at b);
 * *focus is the latest rumour's player, named the latest player named. */
static int trigger_frames(extract_state *st, size_t s, size_t ti, size_t b, int32_t *focus, int32_t named)
{
    const item *tr = &st->items[ti];
    const lex_entry *e = &st->lex->entries[tr->entry];
    int rc;
    if (radar_past_move(st, ti)) {
        st->items[ti].flags |= IF_PAST_MOVE;
        return 0;
    }
    trigger_at at = {.s = s, .ti = ti, .b = b, .tr = tr};
    clause_of(st, (uint32_t)s, tr->t0, &at.cs, &at.ce);
    int dir = e->dir;
    at.fallback = *focus >= 0 ? *focus : named;
    /* "a deal for their new stadium": a trigger ending in a preposition
     * has its own object; the latest player is no stand-in for it */
    if (ends_in_preposition(st, tr) && !object_next(st, ti))
        at.fallback = -1;
    /* "want £50m for him": a price, said by the seller */
    if (dir == DIR_BUYER && tr->t1 - tr->t0 == 1 && word_in(st, tr->t0, WC_WANT) && ti + 1 < b &&
        st->items[ti + 1].type == IT_MONEY && st->items[ti + 1].t0 <= tr->t1 + 1)
        dir = DIR_SELLER;
    parties pt = {.np = 0, .nb = 0, .seller = LEX_NONE, .extra_buyer = LEX_NONE};
    find_parties(st, &at, dir, &pt);
    const int32_t *players = pt.players;
    const size_t *buyers = pt.buyers;
    size_t np = pt.np, nb = pt.nb;
    uint32_t seller = pt.seller, extra_buyer = pt.extra_buyer;
    if (!np)
        return 0;
    int stage = radar_clause_stage(st, ti, at.cs, at.ce, e->stage);
    /* certain: an ending the rules read (a collapse, a rejection, a step
     * denied), or the stage of a trigger marked certain that no condition or
     * negation changed ("have made an offer for") */
    int certain = stage >= RADAR_STAGE_REJECTED || (e->certain && stage == e->stage);
    if (dir == DIR_PLAYER && stage == e->stage && stage < RADAR_STAGE_SIGNED && leaves_to_join(st, ti)) {
        stage = RADAR_STAGE_SIGNED;
        certain = 1;
    }
    int renewal = renewal_in_clause(st, ti, players, np);
    if (renewal == 2)
        return 0; /* "would prefer to stay": no move here */
    if (renewal) {
        /* talks over a new deal: the clubs named are his own */
        for (size_t k = 0; k < nb; k++)
            for (size_t q = 0; q < np; q++)
                if (st->persons[players[q]].club == LEX_NONE)
                    st->persons[players[q]].club = st->items[buyers[k]].entry;
        return 0;
    }
    for (size_t q = 0; q < np; q++) {
        if (nb || extra_buyer != LEX_NONE)
            *focus = players[q];
        uint32_t sel = seller != LEX_NONE ? seller : st->persons[players[q]].club;
        for (size_t k = 0; k < nb; k++)
            if ((rc = add_frame(st, players[q], st->items[buyers[k]].entry, sel, stage, certain, (uint32_t)s, tr->t0)))
                return rc;
        if (extra_buyer != LEX_NONE &&
            (rc = add_frame(st, players[q], extra_buyer, sel, stage, certain, (uint32_t)s, tr->t0)))
            return rc;
    }
    return 0;
}

/* Headlines: "Jadon Sancho to Manchester United, here we go!" */
static int headline_frames(extract_state *st)
{
    int rc;
    for (size_t i = 0; i + 1 < st->n_items; i++) {
        const item *p = &st->items[i], *c = &st->items[i + 1];
        if (p->type != IT_NAME || p->person < 0 || !radar_person_is_player(st, p->person) || c->type != IT_CLUB ||
            !buyer_ok(c) || c->sent != p->sent || c->t0 != p->t1 + 1 || !word_in(st, p->t1, WC_TO))
            continue;
        uint32_t first = st->tok->sent[p->sent].first;
        if (p->t0 != first && !is_punct(st, p->t0 - 1, ':') && !is_dash(st, p->t0 - 1) &&
            !(st->tok->tok[p->t0 - 1].flags & TOK_PUNCT))
            continue;
        int stage = RADAR_STAGE_INTEREST;
        for (uint32_t k = first; k < st->tok->sent[p->sent].end; k++)
            if ((word_in(st, k, WC_HERE) && word_in(st, k + 1, WC_WE) && word_in(st, k + 2, WC_GO)) ||
                (word_in(st, k, WC_DONE) && word_in(st, k + 1, WC_DEAL)))
                stage = RADAR_STAGE_AGREEMENT;
        if ((rc = add_frame(st, p->person, c->entry, st->persons[p->person].club, stage, 0, p->sent, p->t0)))
            return rc;
    }
    return 0;
}

/* Each frame's seller, and the frames dropped whose buyer is the player's
 * own club. */
static void settle_clubs(extract_state *st)
{
    /* from_club: the player's current club as the whole article tells it */
    for (size_t i = 0; i < st->n_frames; i++) {
        frame *f = &st->frames[i];
        if (f->from_club == LEX_NONE)
            f->from_club = st->persons[f->person].club;
        if (f->from_club == f->to_club)
            f->from_club = LEX_NONE;
    }
    /* drop frames whose club turned out to be the player's own */
    size_t w = 0;
    for (size_t i = 0; i < st->n_frames; i++) {
        if (st->frames[i].to_club == st->persons[st->frames[i].person].club) {
            free(st->frames[i].sents);
            continue;
        }
        st->frames[w++] = st->frames[i];
    }
    st->n_frames = w;
}

int radar_frames_build(extract_state *st)
{
    attachments(st);
    int32_t focus = -1, named = -1; /* the latest rumour's player; the latest player named */
    int rc;
    for (size_t s = 0; s < st->tok->n_sent; s++) {
        size_t a = st->sent_item[s];
        size_t b = s + 1 < st->tok->n_sent ? st->sent_item[s + 1] : st->n_items;
        if (st->sent_flags[s] & SF_CAPTION)
            continue;
        for (size_t ti = a; ti < b; ti++) {
            const item *tr = &st->items[ti];
            if (is_person_item(tr) && radar_person_is_player(st, tr->person) && tr->type == IT_NAME)
                named = tr->person;
            if (tr->type != IT_TRIGGER)
                continue;
            if ((rc = trigger_frames(st, s, ti, b, &focus, named)))
                return rc;
        }
    }
    if ((rc = headline_frames(st)))
        return rc;
    settle_clubs(st);
    return 0;
}
