/*
 * extract.c - the extraction pipeline for one article, and its result.
 *
 * The extractor owns every buffer the passes use and reuses them from one
 * article to the next; the document it returns points into them. Passes:
 * tokenize, give each token its word classes, scan mentions, mark captions
 * and tweet furniture, resolve who is who, give money its role, build rumour
 * frames, gather facts, then lay the results out as a radar_doc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/extract.h"
#include "radar/model.h"
#include "extract_internal.h"
#include "facts.h"

struct radar_extractor {
    const radar_lexicon *lex;
    radar_tokens tok;
    radar_arena arena;
    extract_state st;
    facts_out facts;
    size_t cap_sent_flags, cap_sent_item;
    int debug;
    const radar_model *model; /* NULL: the rules alone */
    radar_doc doc;
};

int radar_extractor_new(radar_extractor **out, const radar_lexicon *lex)
{
    radar_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return radar_error_set(RADAR_ENOMEM, "out of memory");
    ex->lex = lex;
    ex->model = radar_model_builtin();
    const char *dbg = getenv("RADAR_DEBUG");
    ex->debug = dbg && *dbg && *dbg != '0';
    radar_arena_init(&ex->arena, 256 * 1024);
    *out = ex;
    return 0;
}

static void free_frames(extract_state *st)
{
    for (size_t i = 0; i < st->n_frames; i++)
        free(st->frames[i].sents);
    st->n_frames = 0;
}

void radar_extractor_free(radar_extractor *ex)
{
    if (!ex)
        return;
    free_frames(&ex->st);
    radar_tokens_free(&ex->tok);
    radar_tokens_free(&ex->st.title_tok);
    radar_arena_free(&ex->arena);
    free(ex->st.wc);
    free(ex->st.items);
    free(ex->st.merge);
    free(ex->st.counts);
    free(ex->st.persons);
    free(ex->st.moneys);
    free(ex->st.frames);
    free(ex->st.sent_flags);
    free(ex->st.sent_item);
    free(ex->st.cooc);
    free(ex->st.cands);
    free(ex->st.fkeys);
    free(ex->st.rels);
    free(ex->st.aclubs);
    free(ex->st.pmentions);
    free(ex->st.pclubs);
    free(ex->st.pkeys);
    free(ex->st.list_id);
    free(ex->st.sent_years);
    free(ex->facts.facts);
    free(ex);
}

void radar_extractor_set_model(radar_extractor *ex, const radar_model *m)
{
    ex->model = m;
}

extract_state *radar_extractor_state(radar_extractor *ex)
{
    return &ex->st;
}

const char *radar_stage_name(radar_stage s)
{
    static const char *const names[RADAR_STAGE_COUNT] = {"none",   "interest",  "contact", "talks",
                                                         "bid",    "agreement", "medical", "signed",
                                                         "rejected", "collapsed", "denied"};
    return (unsigned)s < RADAR_STAGE_COUNT ? names[s] : "none";
}

const char *radar_fee_kind_name(radar_fee_kind k)
{
    static const char *const names[RADAR_FEE_KIND_COUNT] = {"fee", "bid", "asking", "valuation", "release_clause",
                                                            "wages"};
    return (unsigned)k < RADAR_FEE_KIND_COUNT ? names[k] : "fee";
}

const char *radar_mention_type_name(radar_mention_type t)
{
    static const char *const names[RADAR_MENTION_TYPE_COUNT] = {
        "player", "club", "person", "outlet", "journalist", "handle", "money", "age", "position", "nationality"};
    return (unsigned)t < RADAR_MENTION_TYPE_COUNT ? names[t] : "unknown";
}

const char *radar_fact_type_name(radar_fact_type t)
{
    static const char *const names[RADAR_FACT_TYPE_COUNT] = {"contract", "injury", "quote",  "age",
                                                             "stance",   "source", "denial"};
    return (unsigned)t < RADAR_FACT_TYPE_COUNT ? names[t] : "unknown";
}

/* Captions ("(Photo by ...)") and tweet furniture ("pic.twitter.com/... — Name
 * (@handle) March 17, 2021") make every sentence of their line furniture. */
static void mark_furniture(extract_state *st)
{
    const radar_tokens *t = st->tok;
    for (size_t i = 0; i < st->n_items; i++) {
        const item *it = &st->items[i];
        if (it->type != IT_CUE || !radar_item_is_cue(st, it, CUE_CAPTION))
            continue;
        int tweet = word_in(st, it->t0, WC_TWEET_LINK);
        uint32_t s = it->sent;
        /* the whole line for captions; the furniture sentence itself for tweets */
        st->sent_flags[s] |= tweet ? SF_TWEET | SF_CAPTION : SF_CAPTION;
        if (tweet)
            continue;
        for (uint32_t p = s; p-- > 0;) {
            if (t->tok[t->sent[p + 1].first].flags & TOK_LINE)
                break;
            st->sent_flags[p] |= SF_CAPTION;
        }
        for (uint32_t n = s + 1; n < t->n_sent && !(t->tok[t->sent[n].first].flags & TOK_LINE); n++)
            st->sent_flags[n] |= SF_CAPTION;
    }
}

static radar_span sent_span(const extract_state *st, uint32_t s)
{
    const radar_tokens *t = st->tok;
    radar_span sp;
    sp.start = t->tok[t->sent[s].first].off;
    const radar_token *last = &t->tok[t->sent[s].end - 1];
    sp.end = last->off + last->len;
    return sp;
}

/* A one-word name with no evidence either way that no rumour is about. */
static int weak_person(const extract_state *st, int32_t p)
{
    const person *q = &st->persons[p];
    if (q->player_score || q->other_score || q->t1 - q->t0 > 1)
        return 0;
    for (size_t i = 0; i < st->n_frames; i++)
        if (st->frames[i].person == p)
            return 0;
    return 1;
}

/* The article's sources: every outlet, journalist, handle or named source
 * cited, once, in order of first citation. */
static int doc_sources(radar_extractor *ex)
{
    radar_doc *doc = &ex->doc;
    size_t nsrc = 0;
    const char **src = radar_arena_alloc(&ex->arena, (ex->facts.n + 1) * sizeof *src);
    if (!src)
        return RADAR_ENOMEM;
    for (size_t i = 0; i < ex->facts.n; i++) {
        const radar_fact *f = &ex->facts.facts[i];
        if (f->type != RADAR_FACT_SOURCE)
            continue;
        int dup = 0;
        for (size_t j = 0; j < nsrc; j++)
            dup |= strcmp(src[j], f->value) == 0;
        if (!dup)
            src[nsrc++] = f->value;
    }
    doc->sources = src;
    doc->n_sources = nsrc;
    return 0;
}

/* A rumour's sources: those cited in its own sentences, else the article's
 * (r->sources has room for every article source). */
static void rumour_sources(const radar_extractor *ex, radar_rumour *r)
{
    for (size_t k = 0; k < ex->facts.n; k++) {
        const radar_fact *fa = &ex->facts.facts[k];
        if (fa->type != RADAR_FACT_SOURCE)
            continue;
        int inside = 0;
        for (size_t j = 0; j < r->n_evidence; j++)
            inside |= fa->span.start >= r->evidence[j].start && fa->span.end <= r->evidence[j].end;
        int dup = 0;
        for (size_t j = 0; j < r->n_sources; j++)
            dup |= strcmp(r->sources[j], fa->value) == 0;
        if (inside && !dup)
            r->sources[r->n_sources++] = fa->value;
    }
    if (!r->n_sources)
        for (size_t j = 0; j < ex->doc.n_sources; j++)
            r->sources[r->n_sources++] = ex->doc.sources[j];
}

/* One rumour per frame: who, where, stage, fee, the other suitors, the
 * evidence sentences and the sources. */
static int doc_rumours(radar_extractor *ex)
{
    extract_state *st = &ex->st;
    radar_doc *doc = &ex->doc;
    radar_arena *ar = &ex->arena;
    doc->rumours = radar_arena_alloc(ar, (st->n_frames + 1) * sizeof *doc->rumours);
    if (!doc->rumours)
        return RADAR_ENOMEM;
    doc->n_rumours = st->n_frames;
    for (size_t i = 0; i < st->n_frames; i++) {
        const frame *f = &st->frames[i];
        radar_rumour *r = &doc->rumours[i];
        const person *who = &st->persons[f->person];
        r->player = who->name;
        r->position = entry_name(st, who->position);
        r->nationality = who->nationality == LEX_NONE ? NULL
                         : st->lex->entries[who->nationality].country ? st->lex->entries[who->nationality].country
                                                                       : entry_name(st, who->nationality);
        r->to_club = entry_name(st, f->to_club);
        r->from_club = entry_name(st, f->from_club);
        r->stage = (radar_stage)f->stage;
        if (f->money >= 0) {
            r->has_fee = 1;
            r->fee = st->moneys[f->money].m;
        }
        r->suitors_also = radar_arena_alloc(ar, (st->n_frames + 1) * sizeof *r->suitors_also);
        r->evidence = radar_arena_alloc(ar, (f->n_sents + 1) * sizeof *r->evidence);
        r->sources = radar_arena_alloc(ar, (doc->n_sources + 1) * sizeof *r->sources);
        if (!r->suitors_also || !r->evidence || !r->sources)
            return RADAR_ENOMEM;
        for (size_t j = 0; j < st->n_frames; j++)
            if (j != i && st->frames[j].person == f->person)
                r->suitors_also[r->n_suitors_also++] = entry_name(st, st->frames[j].to_club);
        for (size_t j = 0; j < f->n_sents; j++)
            r->evidence[r->n_evidence++] = sent_span(st, f->sents[j]);
        rumour_sources(ex, r);
    }
    return 0;
}

/* Fills *m from one item; 0 when the item is not reported as a mention (an
 * unresolved club or person, a pronoun for anyone but a player). */
static int item_mention(const extract_state *st, const item *it, radar_mention *m)
{
    const radar_tokens *t = st->tok;
    memset(m, 0, sizeof *m);
    m->span.start = t->tok[it->t0].off;
    m->span.end = t->tok[it->t1 - 1].off + t->tok[it->t1 - 1].len;
    const lex_entry *e = item_entry(st, it);
    switch (it->type) {
    case IT_CLUB:
        if (!e)
            return 0;
        m->type = RADAR_MENTION_CLUB;
        m->canonical = e->canonical;
        m->referent = (it->flags & IF_CLUBREF) != 0;
        return 1;
    case IT_NAME:
    case IT_DESCR:
    case IT_PRONOUN:
        if (it->person < 0)
            return 0;
        m->type = radar_person_is_player(st, it->person) ? RADAR_MENTION_PLAYER : RADAR_MENTION_PERSON;
        if (m->type == RADAR_MENTION_PLAYER && weak_person(st, it->person))
            m->type = RADAR_MENTION_PERSON; /* "Lisbon", "Rome": a lone capitalised word nobody called a player */
        m->canonical = st->persons[it->person].name;
        m->referent = it->type != IT_NAME;
        return !(it->type == IT_PRONOUN && m->type != RADAR_MENTION_PLAYER);
    case IT_OUTLET:
        m->type = RADAR_MENTION_OUTLET;
        m->canonical = e ? e->canonical : NULL;
        return 1;
    case IT_JOURNALIST:
        m->type = RADAR_MENTION_JOURNALIST;
        m->canonical = e ? e->canonical : NULL;
        return 1;
    case IT_HANDLE:
        m->type = RADAR_MENTION_HANDLE;
        m->canonical = e ? e->canonical : NULL;
        return 1;
    case IT_MONEY:
        m->type = RADAR_MENTION_MONEY;
        return 1;
    case IT_AGE:
        m->type = RADAR_MENTION_AGE;
        m->age = it->age;
        return 1;
    case IT_POSITION:
        m->type = RADAR_MENTION_POSITION;
        m->canonical = e ? e->canonical : NULL;
        return 1;
    case IT_NATIONALITY:
        m->type = RADAR_MENTION_NATIONALITY;
        m->canonical = e ? (e->country ? e->country : e->canonical) : NULL;
        return 1;
    default:
        return 0;
    }
}

static int doc_mentions(radar_extractor *ex)
{
    extract_state *st = &ex->st;
    radar_doc *doc = &ex->doc;
    doc->mentions = radar_arena_alloc(&ex->arena, (st->n_items + 1) * sizeof *doc->mentions);
    if (!doc->mentions)
        return RADAR_ENOMEM;
    size_t nm = 0;
    for (size_t i = 0; i < st->n_items; i++)
        nm += (size_t)item_mention(st, &st->items[i], &doc->mentions[nm]);
    doc->n_mentions = nm;
    return 0;
}

static int build_doc(radar_extractor *ex)
{
    int rc;
    if ((rc = doc_sources(ex)) || (rc = doc_rumours(ex)) || (rc = doc_mentions(ex)))
        return rc;
    ex->doc.facts = ex->facts.facts;
    ex->doc.n_facts = ex->facts.n;
    return 0;
}

/* RADAR_DEBUG=1 in the environment dumps every item to stderr: a tool for
 * reading why a sentence gave (or did not give) a rumour. */
static void debug_dump(const extract_state *st)
{
    static const char *const names[] = {"club", "name", "pronoun", "descr", "outlet", "journalist", "handle", "money",
                                        "age", "position", "nationality", "role", "trigger", "cue", "-"};
    for (size_t i = 0; i < st->n_items; i++) {
        const item *it = &st->items[i];
        const radar_token *a = &st->tok->tok[it->t0], *b = &st->tok->tok[it->t1 - 1];
        fprintf(stderr, "s%-3u %-11s %-40.*s", it->sent, names[it->type], (int)(b->off + b->len - a->off),
                st->body + a->off);
        if (it->entry != LEX_NONE && it->type != IT_COUNT)
            fprintf(stderr, " =%s", st->lex->entries[it->entry].canonical);
        if (it->person >= 0)
            fprintf(stderr, " p%d(%s %d/%d)", it->person, st->persons[it->person].name ? st->persons[it->person].name : "",
                    st->persons[it->person].player_score, st->persons[it->person].other_score);
        if (it->flags)
            fprintf(stderr, " flags=%x", it->flags);
        if (it->owner >= 0 && it->type == IT_CLUB)
            fprintf(stderr, " owner=p%d", it->owner);
        fputc('\n', stderr);
    }
}

int radar_extract(radar_extractor *ex, const radar_article *article, const radar_doc **out)
{
    extract_state *st = &ex->st;
    free_frames(st);
    radar_arena_reset(&ex->arena);
    memset(&ex->doc, 0, sizeof ex->doc);
    ex->doc.article = article;
    ex->facts.n = 0;
    st->lex = ex->lex;
    st->article = article;
    st->body = article->body ? article->body : "";
    st->tok = &ex->tok;
    st->arena = &ex->arena;
    st->n_items = st->n_persons = st->n_moneys = st->n_frames = 0;
    /* scraped text's glued words ("FergusonThe") are split at a sentence opener */
    ex->tok.is_opener = radar_words_is_opener;
    ex->tok.opener_ctx = ex->lex;
    int rc = radar_tokenize(&ex->tok, st->body, article->body ? article->body_len : 0);
    if (rc)
        return rc;
    st->n_sent = ex->tok.n_sent;
    if (radar_grow((void **)&st->sent_flags, &ex->cap_sent_flags, st->n_sent + 1, 1, 64) ||
        radar_grow((void **)&st->sent_item, &ex->cap_sent_item, st->n_sent + 1, sizeof *st->sent_item, 64) ||
        radar_grow((void **)&st->wc, &st->cap_wc, ex->tok.n + WORD_PAD, sizeof *st->wc, 64))
        return RADAR_ENOMEM;
    radar_words_classify(st->lex, &ex->tok, st->wc);
    memset(st->sent_flags, 0, st->n_sent + 1);
    if ((rc = radar_mentions_scan(st)))
        return rc;
    mark_furniture(st);
    if ((rc = radar_mentions_resolve(st)))
        return rc;
    radar_money_kinds(st);
    if ((rc = radar_frames_build(st)) || (rc = radar_decide_apply(st, ex->model)))
        return rc;
    radar_people_filter(st); /* the lexicon's people and things are no rumour's player */
    if ((rc = radar_facts_build(st, &ex->facts)) || (rc = build_doc(ex)))
        return rc;
    if (ex->debug)
        debug_dump(st);
    *out = &ex->doc;
    return 0;
}
