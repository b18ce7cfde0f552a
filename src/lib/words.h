/*
 * words.h - word classes: the words the extractor's passes test, named.
 *
 * The vocabulary lives in data/lexicon/words.txt, one class a line
 * ("leave: leave|leaving|quit|swap|ditch|exit"); the code only knows the
 * class names below, which are the contract between the two. Every token of
 * an article gets the set of classes its folded form is in once, before the
 * passes run (radar_words_classify), so a test is one bit: word_in(st, k, WC_LEAVE).
 */
#ifndef RADAR_WORDS_H
#define RADAR_WORDS_H

#include <stdint.h>

/* The classes, in the order of words.txt: X(enum id, name in the file). */
#define RADAR_WORD_CLASSES(X) \
    X(WC_CLAUSE_BREAK, "clause_break") \
    X(WC_RELATIVE, "relative") \
    X(WC_SUBJECT_BREAK, "subject_break") \
    X(WC_PREPOSITION, "preposition") \
    X(WC_LEAVE, "leave") \
    X(WC_PAST_CLUB, "past_club") \
    X(WC_CLUB_DESCRIPTOR, "club_descriptor") \
    X(WC_OPPONENT, "opponent") \
    X(WC_NEGOTIATION, "negotiation") \
    X(WC_MATCH_LINK, "match_link") \
    X(WC_MATCH_NOUN, "match_noun") \
    X(WC_FROM_CLUB, "from_club") \
    X(WC_BID_NOUN, "bid_noun") \
    X(WC_BUYER_BEFORE, "buyer_before") \
    X(WC_BID_TRIGGER_END, "bid_trigger_end") \
    X(WC_BID_TRIGGER_INTEREST, "bid_trigger_interest") \
    X(WC_RECEIVE, "receive") \
    X(WC_LEFT_FOR, "left_for") \
    X(WC_DEPARTURE, "departure") \
    X(WC_CLUB_HOLDER, "club_holder") \
    X(WC_CAREER, "career") \
    X(WC_PLAYED_FOR, "played_for") \
    X(WC_PLAYS_FOR_NOW, "plays_for_now") \
    X(WC_SELLER_STANCE, "seller_stance") \
    X(WC_CLUB_CONTRACT, "club_contract") \
    X(WC_LIST_SEPARATOR, "list_separator") \
    X(WC_LIST_FILLER, "list_filler") \
    X(WC_OBJECT_GLUE, "object_glue") \
    X(WC_GLUE, "glue") \
    X(WC_TALKS_NOUN, "talks_noun") \
    X(WC_BESIDE, "beside") \
    X(WC_COORDINATION, "coordination") \
    X(WC_PAST_BEFORE, "past_before") \
    X(WC_SIGNING_MODIFIER, "signing_modifier") \
    X(WC_WANT, "want") \
    X(WC_CLUB_NOUN, "club_noun") \
    X(WC_CONDITIONAL, "conditional") \
    X(WC_CONDITION_AFTER, "condition_after") \
    X(WC_CONDITION_SUBJECT, "condition_subject") \
    X(WC_NEGATION_FILLER, "negation_filler") \
    X(WC_YET, "yet") \
    X(WC_FORMER, "former") \
    X(WC_PRONOUN, "pronoun") \
    X(WC_FIRST_PERSON, "first_person") \
    X(WC_NAME_PARTICLE, "name_particle") \
    X(WC_NAME_MODIFIER, "name_modifier") \
    X(WC_HYPHEN_FORMER, "hyphen_former") \
    X(WC_PREVIOUS_LINK, "previous_link") \
    X(WC_CITED_BEFORE, "cited_before") \
    X(WC_CITED_AFTER, "cited_after") \
    X(WC_ACCORDING, "according") \
    X(WC_SPEAKER_BEFORE, "speaker_before") \
    X(WC_PHOTO_CREDIT, "photo_credit") \
    X(WC_RELATIVE_OF, "relative_of") \
    X(WC_REPLACE, "replace") \
    X(WC_DEPARTURE_OF, "departure_of") \
    X(WC_ROLE_AS, "role_as") \
    X(WC_MANAGER_EVENT, "manager_event") \
    X(WC_SPEECH_AFTER, "speech_after") \
    X(WC_MANAGER_POSSESSION, "manager_possession") \
    X(WC_DESCRIPTOR_DET, "descriptor_det") \
    X(WC_AGE_YEAR, "age_year") \
    X(WC_AGE_OLD, "age_old") \
    X(WC_USD_PREFIX, "usd_prefix") \
    X(WC_BRL_PREFIX, "brl_prefix") \
    X(WC_CURRENCY_EUR, "currency_eur") \
    X(WC_CURRENCY_GBP, "currency_gbp") \
    X(WC_CURRENCY_USD, "currency_usd") \
    X(WC_MILLION, "million") \
    X(WC_BILLION, "billion") \
    X(WC_THOUSAND, "thousand") \
    X(WC_ADD_ON_LINK, "add_on_link") \
    X(WC_ADD_ON, "add_on") \
    X(WC_RATED, "rated") \
    X(WC_PAY, "pay") \
    X(WC_WAGE_PERIOD, "wage_period") \
    X(WC_PER, "per") \
    X(WC_THE, "the") \
    X(WC_TO, "to") \
    X(WC_WITH, "with") \
    X(WC_FROM, "from") \
    X(WC_OF, "of") \
    X(WC_FOR, "for") \
    X(WC_AND, "and") \
    X(WC_IN, "in") \
    X(WC_BY, "by") \
    X(WC_SIGNING, "signing") \
    X(WC_HERE, "here") \
    X(WC_WE, "we") \
    X(WC_GO, "go") \
    X(WC_DONE, "done") \
    X(WC_DEAL, "deal") \
    X(WC_TWEET_LINK, "tweet_link") \
    X(WC_NAME_CONTINUATION, "name_continuation") \
    X(WC_NOT_PERSON, "not_person") \
    X(WC_SENTENCE_OPENER, "sentence_opener") \
    X(WC_NAME_PREFIX, "name_prefix") \
    X(WC_PLACE_SUFFIX, "place_suffix") \
    X(WC_LEAVES_TO_JOIN, "leaves_to_join") \
    X(WC_TRIGGER_SLACK, "trigger_slack") \
    X(WC_MONTH, "month") \
    X(WC_LAST, "last") \
    X(WC_PAST_PERIOD, "past_period") \
    X(WC_AGO, "ago") \
    X(WC_PAST_AFTER, "past_after") \
    X(WC_AUXILIARY, "auxiliary") \
    X(WC_ALREADY, "already") \
    X(WC_SQUAD_HAVE, "squad_have") \
    X(WC_SUPPOSITION, "supposition")

#define RADAR_WORD_CLASS_ENUM(id, name) id,
typedef enum word_class { RADAR_WORD_CLASSES(RADAR_WORD_CLASS_ENUM) WC_COUNT } word_class;
#undef RADAR_WORD_CLASS_ENUM

/* A set of classes: one bit per class. */
#define WC_WORDS ((WC_COUNT + 63) / 64)
typedef struct word_set {
    uint64_t bits[WC_WORDS];
} word_set;

/* Sets past the last token, all empty: tests look at most this far beyond
 * the end ("here we go" read from a sentence's last word). */
#define WORD_PAD 2

/* The class's name in words files ("leave"), or NULL. */
const char *radar_words_class_name(word_class c);

#endif
