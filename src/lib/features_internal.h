/*
 * features_internal.h - the feature templates of the learned decisions, and
 * what features.c offers decide.c beyond extract_internal.h.
 *
 * A feature key is feature_key(template, value) (model_internal.h): the
 * template numbers below are part of every model file's keys, so templates
 * are only ever appended, never renumbered.
 */
#ifndef RADAR_FEATURES_INTERNAL_H
#define RADAR_FEATURES_INTERNAL_H

#include "extract_internal.h"

/* Feature templates. The order is part of the model file's keys: append only. */
enum {
    T_BIAS = 0,
    T_RULE,        /* the rule frame's stage, or none */
    T_RULE_NSENT,  /* sentences of the rule frame */
    T_PCLUB,       /* the club is the person's recorded club */
    T_OWNER,       /* a mention of the club is tied to this person as his club */
    T_CFLAG,       /* flags of the club's mentions near the person */
    T_PROLE,       /* role word given to the person */
    T_PSCORE,      /* player / other evidence, bucketed */
    T_PNTOK,       /* tokens in the person's fullest name */
    T_PATTR,       /* age, position, nationality known */
    T_NCOOC,       /* sentences holding both */
    T_NCLUBS_P,    /* clubs sharing a sentence with the person */
    T_NPERS_C,     /* persons sharing a sentence with the club */
    T_CLUBCOUNT,   /* mentions of the club in the article */
    T_PERSCOUNT,   /* mentions of the person */
    T_ARTLEN,      /* sentences in the article */
    T_FIRSTSENT,   /* first sentence holding both */
    T_ORDDIST,     /* order and distance of the nearest two mentions */
    T_BETWEEN,     /* each word between them, with the order */
    T_CB1, T_CB2,  /* words before the club */
    T_CA1,         /* word after the club */
    T_PB1,         /* word before the person */
    T_PA1,         /* word after the person */
    T_TRIG,        /* a trigger of the sentence: stage, direction, sides of club and person */
    T_TRIGW,       /* the trigger phrase, with the club's side */
    T_CUE,         /* a cue of the sentence */
    T_SFLAG,       /* caption, tweet, quote, headline */
    T_PITEM,       /* the person mention: name, descriptor, pronoun */
    T_BETWEEN_IT,  /* items between: club, name, trigger, money */
    T_LISTED,      /* only list separators between the club and another club */
    T_RULE_ANY,    /* the rule gave the person a rumour to another club */
    T_OTHER_CLUB,  /* the club is another person's club */
    T_WEAK,        /* a one-word name with no evidence */
    T_CLUB_FIRST,  /* the club's first mention sentence bucket */
    T_TRIG_NEAR,   /* nearest trigger between/around: stage x which side the club is */
    T_CB1_ORD,     /* word before the club, with the order */
    T_PB1_ORD,     /* word before the person, with the order */
    T_BIGRAM,      /* two words in a row between them */
    T_EDGE,        /* the word after the first of the two and the one before the second */
    T_SUBJECT,     /* which of them opens the sentence (the first party named) */
    T_PB2,         /* two words before the person */
    T_LIST,        /* the club stands in a list of clubs */
    T_ART_NPERS,   /* distinct persons in the article */
    T_ART_NCLUBS,  /* distinct clubs in the article */
    T_ART_TRIG,    /* a trigger anywhere in a short article */
    T_TOP_PERSON,  /* the person the article names most */
    T_PEOPLE,      /* the name is in the lexicon of people who are not players: role and period */
    T_YEAR,        /* a year in the sentence: before the article's, its own, later, or the date unknown */
    T_NO_TRIGGER,  /* the sentence they share has no trigger, or only moves placed in the past */
    T_TITLE,       /* the article has a title: is the person's surname in it, is the club */
    T_TITLE_STAGE, /* both are in the title: the stages of the title's triggers */
    T_PERSON_FIRST, /* the sentence of the person's first mention, bucketed */
    T_REF,         /* the person is a descriptor or pronoun: its kind and what of it agrees with him */
    T_PLIST,       /* the person stands in a list of names: its length, and whether he is its end nearest the club */
    /* the second pass */
    T_CTX_SELF = 128, T_CTX_PERSON, T_CTX_PERSON_N, T_CTX_CLUB_LIST, T_CTX_PERSON_LIST, T_CTX_CLUB,
    T_CTX_CLUB_SELLS, T_CTX_VS, T_CTX_CLUB_NOTRIG,
    /* stage decision */
    S_BIAS = 64,
    S_RULE,        /* the rule's stage */
    S_TRIG,        /* a trigger in a sentence of the rumour: its stage and nearness */
    S_TRIGW,       /* the trigger phrase */
    S_CUE,         /* cues of those sentences */
    S_PREV,        /* words before a trigger */
    S_MONEY,       /* money kinds in those sentences */
    S_ARTLEN,
    S_ITEM_TRIG,   /* a short item's trigger in a sentence without the pair: its stage */
    S_ITEM_TRIGW,  /* that trigger's phrase */
    S_ITEM_CUE     /* a short item's cue in a sentence without the pair */
};

/* Mark each club and name item's list (st->list_id: the index of the list's
 * first item): "Barcelona, Bayern and Tottenham", "X, Y and Z". decide.c. */
int radar_decide_mark_lists(extract_state *st);

/* The stage features of candidate c, as a key list of their own in
 * st->fkeys [c->s0, c->s1): for a pair the model keeps, after the pair
 * features of every candidate were scored. */
int radar_decide_stage_features(extract_state *st, cand *c);

#endif
