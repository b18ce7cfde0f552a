/*
 * extract_internal.h - the extractor's working state for one article.
 *
 * The pipeline (extract.c) runs these passes over one article:
 *   tokenize -> word classes of each token (words.c, tested with word_in)
 *   -> items (mentions.c: lexicon spans, names, money, ages, pronouns)
 *   -> persons and coreference (mentions.c) -> club attachments and rumour
 *   frames (frames.c) -> facts (facts.c) -> the public radar_doc.
 * Items are kept in token order; every pass reads and annotates that array.
 */
#ifndef RADAR_EXTRACT_INTERNAL_H
#define RADAR_EXTRACT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "radar/extract.h"
#include "radar/limits.h"
#include "arena.h"
#include "grow.h"
#include "lexicon_internal.h"
#include "tokenize.h"

typedef enum item_type {
    IT_CLUB = 0,
    IT_NAME,        /* a capitalised name: player or other person */
    IT_PRONOUN,     /* he, him, his */
    IT_DESCR,       /* "the 26-year-old", "the Italian", "the defender" */
    IT_OUTLET,
    IT_JOURNALIST,
    IT_HANDLE,
    IT_MONEY,
    IT_AGE,
    IT_POSITION,
    IT_NATIONALITY,
    IT_ROLE,
    IT_TRIGGER,     /* rumour stage phrase (entry gives stage and dir) */
    IT_CUE,         /* context phrase (entry gives the cue) */
    IT_COUNT
} item_type;

/* Item flags. */
enum {
    IF_CURRENT = 1 << 0,   /* club: the player's current club (seller) */
    IF_PAST = 1 << 1,      /* club: a former club ("former Everton striker") */
    IF_BUYER_CUE = 1 << 2, /* club: after "interest from", "bid from", "by" */
    IF_CLUBREF = 1 << 3,   /* club reached through "the Italian club" */
    IF_FAMILY = 1 << 4,    /* club: "Rangers and Celtic are..." no role yet */
    IF_SPEAKER = 1 << 5,   /* name: says / told / said */
    IF_TWEET = 1 << 6,     /* inside embedded-tweet furniture */
    IF_CONTEXT = 1 << 7,   /* name: mentioned for context ("to replace X") */
    IF_MATCH = 1 << 8,     /* club: an opponent on the pitch ("meeting with", "against") */
    IF_PAST_MOVE = 1 << 9, /* trigger: a move the text places in the past ("since joining", "signed in 2021") */
    IF_SELLS = 1 << 10,    /* club: a seller's phrase or a buyer's talks make it the one that sells */
    IF_OWN = 1 << 11       /* club: his club now, as surely as words say it ("Chelsea's X", "Ajax
                              midfielder X", "scored for Inter"): never his destination */
};

typedef struct item {
    uint8_t type;
    uint8_t ambiguous;
    uint16_t flags;
    uint32_t t0, t1;   /* token range [t0, t1) */
    uint32_t sent;     /* sentence index */
    uint32_t entry;    /* lexicon entry (clubs, outlets, triggers, ...) */
    int32_t person;    /* names, pronouns, descriptors: index in persons, -1 if none */
    int32_t owner;     /* clubs: the person whose club this is (IF_CURRENT), -1 */
    int32_t money;     /* IT_MONEY: index in moneys */
    int32_t age;       /* IT_AGE, IT_DESCR by age */
    int32_t cue2;      /* IT_TRIGGER: a cue sharing the phrase, or 0 */
    uint8_t fit;       /* IT_DESCR, IT_PRONOUN: how the reference was resolved (REF_*) */
    uint16_t slack;    /* IT_TRIGGER, IT_CUE: bit k set when token t0 + k is a modifier inside the phrase
                          ("the permanent signing of"), not one of its listed words */
} item;

/* How a descriptor or pronoun was tied to its person (item.fit): what of it
 * agrees with what the article says of him, and whether he was the only
 * player in view. Features of the model: a wrong tie must not pass for sure. */
enum {
    REF_AGE = 1 << 0,      /* "the 23-year-old": his age */
    REF_NAT = 1 << 1,      /* "the Brazilian": his nationality */
    REF_POS = 1 << 2,      /* "the midfielder": his position (or its group) */
    REF_SEVERAL = 1 << 3,  /* other players were in view ("he": another person was named since) */
    REF_FALLBACK = 1 << 4, /* nothing fitted: the last player named */
    REF_UNKNOWN = 1 << 5   /* the descriptor says what the article never says of him */
};

/* Roles a person can be given by what the article says around the name. */
enum { ROLE_UNKNOWN = 0, ROLE_PLAYER, ROLE_MANAGER, ROLE_OFFICIAL, ROLE_AGENT, ROLE_MEDIA };

typedef struct person {
    uint32_t t0, t1;      /* fullest name form seen: token range */
    const char *name;     /* that form, in the arena */
    uint64_t surname;     /* folded hash of the last name token */
    uint64_t first;       /* folded hash of the first token when more than one */
    int player_score;     /* evidence for being a player */
    int other_score;      /* evidence for being manager, pundit, official ... */
    int role;             /* ROLE_* when decided by a role word */
    int age;
    uint32_t nationality; /* lexicon entry or LEX_NONE */
    uint32_t position;    /* lexicon entry or LEX_NONE */
    uint32_t club;        /* current club entry or LEX_NONE */
    uint32_t first_item;
} person;

typedef struct money_item {
    radar_money m;
} money_item;

/* A rumour being assembled: (person, buying club). */
typedef struct frame {
    int32_t person;
    uint32_t to_club;
    uint32_t from_club; /* LEX_NONE when unknown */
    int stage;
    int32_t money;      /* first money index, -1 */
    uint32_t first_sent;
    uint32_t *sents;    /* evidence sentences */
    size_t n_sents, cap_sents;
    int denied;
    int stage_certain;  /* the rules' stage is certain: an ending, or a trigger marked certain=yes */
} frame;

/* A (person, club) pair meeting in one sentence: the nearest two mentions. */
typedef struct cooc {
    int32_t person;
    uint32_t club;
    uint32_t sent;
    uint32_t pitem, citem; /* item indices */
    uint32_t dist;         /* tokens between them */
} cooc;

/* A candidate rumour for the model: its co-occurrences [c0, c1) in the sorted
 * cooc array, the rule frame proposing it (-1), and its feature keys. */
typedef struct cand {
    int32_t person;
    uint32_t club;
    int32_t frame;
    uint32_t c0, c1;
    uint32_t f0, f1; /* pair features in fkeys */
    uint32_t s0, s1; /* stage features in fkeys */
    float p[3];      /* none, buyer, seller */
    float ctx[3];    /* the second pass's sums over the same keys */
    uint32_t r0, r1; /* relations to other candidates in rels */
    uint32_t aclub;  /* the club in aclubs, UINT32_MAX */
    int label, stage_label; /* training: the gold answer, -1 when unlabelled */
} cand;

/* How another candidate of the article stands to this one. */
enum { REL_SAME_PERSON = 1, REL_CLUB_LISTED = 2, REL_PERSON_LISTED = 4, REL_SAME_CLUB = 8 };
typedef struct cand_rel {
    uint32_t other; /* candidate index */
    uint8_t kinds;  /* REL_* */
} cand_rel;

/* A club of the article, counted once (decide.c). */
typedef struct art_club {
    uint32_t entry;
    uint32_t mentions;
    uint32_t first_sent;
    int32_t owners[4]; /* persons whose current club it is */
    int n_owners;
    uint32_t persons;  /* persons sharing a sentence with it (candidates) */
} art_club;

/* A key seen in the current candidate's list (decide.c: each key once). */
typedef struct seen_slot {
    uint64_t key;
    uint32_t gen;
} seen_slot;
#define RADAR_SEEN_SLOTS 2048

/* Training: told each feature key's readable name. */
typedef void (*feature_namer)(void *ctx, int decision, uint64_t key, const char *name);

typedef struct extract_state {
    const radar_lexicon *lex;
    const radar_article *article;
    const char *body;
    radar_tokens *tok;
    word_set *wc; /* per token (and WORD_PAD more): its word classes */
    size_t cap_wc;
    radar_arena *arena;
    item *items;
    size_t n_items, cap_items;
    item *merge; /* scratch for putting appended items back in order */
    size_t cap_merge;
    person *persons;
    size_t n_persons, cap_persons;
    uint32_t *counts; /* per person, mentions so far (resolve_references) */
    size_t cap_counts;
    money_item *moneys;
    size_t n_moneys, cap_moneys;
    frame *frames;
    size_t n_frames, cap_frames;
    cooc *cooc;
    size_t n_cooc, cap_cooc;
    cand *cands;
    size_t n_cands, cap_cands;
    uint64_t *fkeys;
    size_t n_fkeys, cap_fkeys;
    cand_rel *rels;
    size_t n_rels, cap_rels;
    int domain;        /* 0: a short item, 1: a full article (decide.c) */
    art_club *aclubs;
    size_t n_aclubs, cap_aclubs;
    uint32_t *pmentions; /* per person: mentions */
    size_t cap_pmentions;
    uint32_t *pclubs;    /* per person: clubs he shares a sentence with (candidates) */
    size_t cap_pclubs;
    uint32_t most_mentions;
    uint32_t *pkeys;     /* per person: [first, end) of its features in fkeys */
    size_t cap_pkeys;
    uint32_t akeys0, akeys1; /* the article's features in fkeys */
    uint32_t seen_gen; /* the current candidate's stamp in seen */
    seen_slot seen[RADAR_SEEN_SLOTS];
    uint32_t *list_id; /* per item: the first item of the list of names it stands in */
    size_t cap_list_id;
    int article_year;      /* the article date's year, 0 if none (features.c) */
    uint32_t *sent_years;  /* per sentence: its years as year_features reads them (features.c) */
    size_t cap_sent_years;
    feature_namer namer; /* NULL except when training */
    void *namer_ctx;
    const char *(*name_of)(void *ctx, uint64_t key); /* training: a key's name, or NULL */
    uint8_t *sent_flags; /* per sentence: SF_* */
    uint32_t *sent_item; /* per sentence: first item index */
    size_t n_sent;
    radar_tokens title_tok; /* the article's title, read for features only (features.c) */
    int has_title;
    uint32_t title_clubs[RADAR_MAX_TITLE_CLUBS]; /* club entries the title names */
    size_t n_title_clubs;
    uint32_t title_stages; /* bit per radar_stage of the triggers the title holds */
} extract_state;

/* Sentence flags. */
enum { SF_CAPTION = 1, SF_TWEET = 2, SF_QUOTE = 4, SF_HEADLINE = 8 };

/* Grow an array kept in a plain malloc'd buffer (reused across articles):
 * radar_grow from 64 elements. */
#define grow_array(p, cap, need, elem) radar_grow((p), (cap), (need), (elem), 64)

/* mentions.c */
int radar_mentions_scan(extract_state *st);
int radar_mentions_resolve(extract_state *st);
int radar_person_is_player(const extract_state *st, int32_t p);

/* money.c: parse money at token i; returns tokens used (0 if none). */
size_t radar_money_parse(const extract_state *st, size_t i, size_t end, radar_money *out);
void radar_money_kinds(extract_state *st);

/* frames.c */
int radar_frames_build(extract_state *st);
/* The first figure (not wages) in sentence `sent` within reach of token `near`, or -1. */
int32_t radar_frames_money_near(const extract_state *st, uint32_t sent, uint32_t near);
/* Is trigger item ti a move the text places in the past ("since joining",
 * "signed from X in 1998", "three years after he joined", "a January
 * signing")? (past.c) */
int radar_past_move(const extract_state *st, size_t ti);
/* The stage trigger item ti's clause [cs, ce) gives, from the trigger's own
 * `stage`: interest when supposed or conditional, denied when negated or
 * denied (clause.c). */
int radar_clause_stage(const extract_state *st, size_t ti, uint32_t cs, uint32_t ce, int stage);

/* decide.c: candidates and their features (stage features too when
 * `stages`); then the model's choice, which rewrites st->frames. */
struct radar_model;
int radar_decide_features(extract_state *st, int stages);
int radar_decide_apply(extract_state *st, const struct radar_model *m);
/* people.c: 1 when person p may be a rumour's player: not one of the
 * lexicon's people in his role at the article's date, not a place or thing. */
int radar_people_is_player(const extract_state *st, int32_t p);
/* people.c: drop the frames whose person is no player (after radar_decide_apply). */
void radar_people_filter(extract_state *st);
/* Relations between the candidates (after radar_decide_features). */
int radar_decide_relations(extract_state *st);
/* The second pass's extra features for a candidate: from its own first-pass
 * probabilities `self` and those of the candidates it relates to (`probs`,
 * three per candidate, indexed by cand_rel.other). Writes at most
 * STACK_MAX_KEYS keys to out and returns how many. */
#define STACK_MAX_KEYS 16
size_t radar_decide_stack_keys(const float *self, int no_trigger, const cand_rel *r, size_t n,
                               const float *probs, uint64_t *out, feature_namer namer, void *ctx);
/* 1 when no sentence the candidate's two share holds a trigger of a move not in the past. */
int radar_decide_no_trigger(const extract_state *st, const cand *c);

/* The working state of an extractor, for the trainer (train.c). */
extract_state *radar_extractor_state(radar_extractor *ex);

/* Helpers shared by the passes. */

/* Is token k in word class c (data/lexicon/words.txt)? k may be up to
 * WORD_PAD past the last token, where no word is. */
/* Is token k a modifier inside the phrase of item it, not one of its words? */
static inline int slack_at(const item *it, uint32_t k)
{
    return k >= it->t0 && k - it->t0 < 16 && ((it->slack >> (k - it->t0)) & 1u);
}

static inline int word_in(const extract_state *st, size_t k, word_class c)
{
    return (int)(st->wc[k].bits[c >> 6] >> (c & 63)) & 1;
}
static inline const lex_entry *item_entry(const extract_state *st, const item *it)
{
    return it->entry == LEX_NONE ? NULL : &st->lex->entries[it->entry];
}
int radar_item_is_cue(const extract_state *st, const item *it, int cue);
/* Index of the first item at or after token t, within [from, n_items). */
size_t radar_item_at_token(const extract_state *st, uint32_t t);
/* The end of sentence s's items: the next sentence's first item. */
static inline size_t sent_item_end(const extract_state *st, size_t s)
{
    return s + 1 < st->n_sent ? st->sent_item[s + 1] : st->n_items;
}
/* Club entry's canonical name. */
static inline const char *entry_name(const extract_state *st, uint32_t e)
{
    return e == LEX_NONE ? NULL : st->lex->entries[e].canonical;
}

#endif
