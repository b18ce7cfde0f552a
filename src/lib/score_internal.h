/*
 * score_internal.h - what the likelihood's files share: the features'
 * hand-set weights (score.c), read by the model code (likelihood_model.c).
 */
#ifndef RADAR_SCORE_INTERNAL_H
#define RADAR_SCORE_INTERNAL_H

#include <stddef.h>

/* Room for the features in a model (radar_feature_count() is at most this). */
#define SCORE_MAX_FEATURES 64

/* Feature i's hand-set weight, and whether fitting keeps it as given. */
double radar_feature_handset(size_t i, int *fixed);

#endif
