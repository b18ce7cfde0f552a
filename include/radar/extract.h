/*
 * extract.h - one article in, its transfer rumours and facts out, with evidence.
 *
 * Extraction is a pure function of the article and the lexicon: the same bytes
 * give the same result. An extractor holds the scratch memory of one thread;
 * make one per thread and reuse it, so that steady-state extraction allocates
 * nothing. Every span is a byte range [start, end) into the article body.
 */
#ifndef RADAR_EXTRACT_H
#define RADAR_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "radar/article.h"
#include "radar/lexicon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_span {
    uint32_t start, end;
} radar_span;

/* Rumour stages, in the order a transfer moves through them; the last three
 * are ways it can end without a move. */
typedef enum radar_stage {
    RADAR_STAGE_NONE = 0,
    RADAR_STAGE_INTEREST,
    RADAR_STAGE_CONTACT,
    RADAR_STAGE_TALKS,
    RADAR_STAGE_BID,
    RADAR_STAGE_AGREEMENT,
    RADAR_STAGE_MEDICAL,
    RADAR_STAGE_SIGNED,
    RADAR_STAGE_REJECTED,
    RADAR_STAGE_COLLAPSED,
    RADAR_STAGE_DENIED,
    RADAR_STAGE_COUNT
} radar_stage;

typedef enum radar_fee_kind {
    RADAR_FEE_FEE = 0,     /* a fee or price with no more specific role */
    RADAR_FEE_BID,         /* an offer made */
    RADAR_FEE_ASKING,      /* what the seller wants / the buyer would have to pay */
    RADAR_FEE_VALUATION,   /* "valued at", "£100m-rated" */
    RADAR_FEE_RELEASE,     /* release or buy-out clause */
    RADAR_FEE_WAGES,       /* salary figures: never a transfer fee */
    RADAR_FEE_KIND_COUNT
} radar_fee_kind;

typedef struct radar_money {
    double amount;       /* in units of the currency; 0 when absent */
    double amount_max;   /* upper end of a range, else equal to amount */
    char currency[4];    /* "EUR", "GBP", "USD", ... ; "" when absent */
    radar_fee_kind kind;
    int add_ons;         /* "plus add-ons" */
    radar_span span;
} radar_money;

typedef enum radar_mention_type {
    RADAR_MENTION_PLAYER = 0,
    RADAR_MENTION_CLUB,
    RADAR_MENTION_PERSON,      /* manager, pundit, official, agent */
    RADAR_MENTION_OUTLET,
    RADAR_MENTION_JOURNALIST,
    RADAR_MENTION_HANDLE,      /* @account */
    RADAR_MENTION_MONEY,
    RADAR_MENTION_AGE,
    RADAR_MENTION_POSITION,
    RADAR_MENTION_NATIONALITY,
    RADAR_MENTION_TYPE_COUNT
} radar_mention_type;

/* One entity mention. `canonical` is the resolved name: the club's canonical
 * name, the player's fullest name in the article (for "the 26-year-old" too,
 * when resolved), the outlet's name. `referent` is 1 for mentions that are
 * later references ("he", "the Italian") resolved to an earlier one. */
typedef struct radar_mention {
    radar_mention_type type;
    radar_span span;
    const char *canonical;
    int referent;
    int age;              /* for RADAR_MENTION_AGE, else 0 */
} radar_mention;

typedef struct radar_rumour {
    const char *player;        /* fullest name as written */
    const char *to_club;       /* canonical club name */
    const char *from_club;     /* canonical, or NULL when the article does not say */
    radar_stage stage;         /* furthest stage reached in this article */
    int has_fee;
    radar_money fee;           /* first figure tied to this move */
    const char **suitors_also; /* other clubs after the same player here */
    size_t n_suitors_also;
    const char **sources;      /* outlets, journalists, @handles cited */
    size_t n_sources;
    radar_span *evidence;      /* sentences supporting the rumour, in order */
    size_t n_evidence;
    /* what this article calls the player ("Norway midfielder"), or NULL:
     * the canonical position ("midfielder") and his country ("Norway") */
    const char *position;
    const char *nationality;
} radar_rumour;

typedef enum radar_fact_type {
    RADAR_FACT_CONTRACT = 0, /* contract length or expiry */
    RADAR_FACT_INJURY,
    RADAR_FACT_QUOTE,        /* quoted words, with speaker when known */
    RADAR_FACT_AGE,
    RADAR_FACT_STANCE,       /* the selling club's position */
    RADAR_FACT_SOURCE,       /* a source cited in the article */
    RADAR_FACT_DENIAL,
    RADAR_FACT_TYPE_COUNT
} radar_fact_type;

typedef struct radar_fact {
    radar_fact_type type;
    const char *subject;  /* player or club it is about, or NULL */
    const char *value;    /* e.g. "expiring", "26", "not for sale", speaker name */
    const char *detail;   /* e.g. "end of the season", "hamstring", the cited name */
    radar_span span;
} radar_fact;

/* The result of extracting one article. Every pointer is borrowed from the
 * extractor that made it and valid until its next radar_extract call or
 * radar_extractor_free. */
typedef struct radar_doc {
    const radar_article *article;
    radar_rumour *rumours;
    size_t n_rumours;
    radar_mention *mentions;
    size_t n_mentions;
    radar_fact *facts;
    size_t n_facts;
    const char **sources; /* every source cited in the article, in order */
    size_t n_sources;
} radar_doc;

typedef struct radar_extractor radar_extractor;

/* A new extractor over `lex` (borrowed: it must outlive the extractor).
 * Caller frees with radar_extractor_free. */
int radar_extractor_new(radar_extractor **out, const radar_lexicon *lex);
void radar_extractor_free(radar_extractor *ex);

/* Extract one article. On success *out points at a document owned by `ex`
 * (see radar_doc). The article must stay alive while the document is used. */
int radar_extract(radar_extractor *ex, const radar_article *article, const radar_doc **out);

/* Names for enums, as written in JSON ("interest", "asking", "player", ...). */
const char *radar_stage_name(radar_stage s);
const char *radar_fee_kind_name(radar_fee_kind k);
const char *radar_mention_type_name(radar_mention_type t);
const char *radar_fact_type_name(radar_fact_type t);

#ifdef __cplusplus
}
#endif
#endif
