/*
 * people.h - who a stored player is: every form of his name the articles
 * wrote (the store makes one player of them; docs/store.md says how).
 */
#ifndef RADAR_PEOPLE_H
#define RADAR_PEOPLE_H

#include <stddef.h>

#include <jansson.h>

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

/* To each player of a player answer ({"players": [...]}, as
 * radar_player_list_json makes it) adds "names" (the forms written, most
 * written first), "born" ({"from", "to", "ages"}: the birth years the ages
 * reported imply, or null), "registry" (the registry player he is linked
 * to, with his facts and transfers, or null) and "registry_candidates". */
int radar_store_players_identity_json(radar_store *st, json_t *answer);

#ifdef __cplusplus
}
#endif
#endif
