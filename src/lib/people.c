/*
 * people.c - who a rumour cannot be about, decided after the rumours are.
 *
 * The learned decisions weigh the lexicon of people who are not players as
 * one feature among many; this pass makes it a rule: a rumour whose person
 * is, at the article's date, in the role the lexicon gives him (manager,
 * director, owner, agent, pundit, ...) is dropped, and so is one whose
 * "name" is a place or a thing (it holds a word of class not_person:
 * "Group", "Stadium", "Road", "Thanks").
 * An article without a date says nothing of the period, so the lexicon's
 * people are dropped only when it has one: Gerrard of 2004 was a player.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* The lexicon's person whose alias is the person's whole name, or NULL. An
 * ambiguous alias ("~Arteta": also a player's name, or the person's own
 * playing days) is taken only for a one-word name with no evidence of a
 * player around it. */
static const lex_entry *people_match(const extract_state *st, const person *q)
{
    uint32_t head;
    size_t n = lex_match(st->lex, st->tok, q->t0, q->t1, 1u << RADAR_KIND_PERSON, &head);
    if (!n || q->t0 + n != q->t1)
        return NULL;
    for (uint32_t a = head; a != LEX_NONE; a = st->lex->aliases[a].next) {
        const lex_entry *e = &st->lex->entries[st->lex->aliases[a].entry];
        if (e->kind != RADAR_KIND_PERSON)
            continue;
        if (!st->lex->aliases[a].ambiguous || q->t1 - q->t0 > 1 || q->player_score == 0)
            return e;
    }
    return NULL;
}

/* 1 when the person is, at the article's year, in his non-playing role. */
static int in_role(const extract_state *st, const person *q)
{
    int year = st->article && st->article->date ? atoi(st->article->date) : 0;
    if (year < 1900)
        return 0;
    const lex_entry *e = people_match(st, q);
    return e && e->from && year >= e->from && (!e->until || year <= e->until);
}

/* 1 when the name is a place or a thing: one of its words is no part of a
 * person's name ("Stadio Maradona", "BlueCo Group", "Thanks"). */
static int is_thing(const extract_state *st, const person *q)
{
    for (uint32_t k = q->t0; k < q->t1; k++)
        if (word_in(st, k, WC_NOT_PERSON))
            return 1;
    return 0;
}

int radar_people_is_player(const extract_state *st, int32_t p)
{
    const person *q = &st->persons[p];
    return !in_role(st, q) && !is_thing(st, q);
}

void radar_people_filter(extract_state *st)
{
    size_t w = 0;
    for (size_t i = 0; i < st->n_frames; i++) {
        frame *f = &st->frames[i];
        if (f->person < 0 || radar_people_is_player(st, f->person)) {
            st->frames[w++] = *f;
            continue;
        }
        free(f->sents);
    }
    st->n_frames = w;
}
