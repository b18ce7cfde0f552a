/*
 * facts.h - the facts pass (facts.c) and the array it fills.
 */
#ifndef RADAR_FACTS_H
#define RADAR_FACTS_H

#include "radar/extract.h"

struct extract_state;

typedef struct facts_out {
    radar_fact *facts;
    size_t n, cap;
} facts_out;

/* Append the article's facts to `out` (reset by the caller). */
int radar_facts_build(struct extract_state *st, facts_out *out);

#endif
