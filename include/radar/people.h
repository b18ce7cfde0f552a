/*
 * people.h - who a stored player is: every form of his name the articles
 * wrote (the store makes one player of them; docs/store.md says how).
 */
#ifndef RADAR_PEOPLE_H
#define RADAR_PEOPLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_store radar_store;

typedef struct radar_names {
    char **v; /* each form once, the most written first */
    size_t n;
} radar_names;

/* The forms of stored player `player`'s name in his mentions. Caller frees
 * with radar_names_free (also after an error). */
int radar_store_player_names(radar_store *st, long long player, radar_names *out);
void radar_names_free(radar_names *n);

#ifdef __cplusplus
}
#endif
#endif
