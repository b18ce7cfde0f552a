/*
 * registry.h - a player registry, optional, imported from CSV files: who the
 * players are (date of birth, position, nationality, club, contract, value)
 * and the transfers they made, linked to the players the articles name.
 *
 * A registry directory holds the transfermarkt-datasets files (players.csv,
 * clubs.csv, transfers.csv, with that project's columns) and/or registry.csv,
 * our own list (docs/registry.md). Import is idempotent: a row read again
 * replaces itself. Each stored player is linked to the registry player his
 * names, age and clubs fit best, with a confidence; a link set by hand stays.
 * The registry's transfers are outcomes (radar/store.h) dated as they are,
 * so scoring as of an earlier date never sees a later transfer.
 */
#ifndef RADAR_REGISTRY_H
#define RADAR_REGISTRY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_store radar_store;

/* Called for each bad row, with "file:line: why". Return non-zero to stop. */
typedef int (*radar_registry_report_fn)(void *user, const char *message);

typedef struct radar_registry_counts {
    long clubs, players, transfers; /* good rows read */
    long bad;                       /* rows reported and skipped */
    long linked;                    /* stored players linked to a registry player */
    long outcomes;                  /* registry transfers of linked players recorded as outcomes */
    long own_club;                  /* stored moves dropped: to the club the registry has him at then */
} radar_registry_counts;

/* Read the registry files of `dir` into the store (in the caller's
 * transaction: radar_store_begin, then radar_store_rescore and commit), link
 * the stored players and record the linked players' transfers as outcomes.
 * RADAR_ENOTFOUND when dir holds none of the files; RADAR_EFORMAT for a file
 * whose header lacks a required column; RADAR_EIO, RADAR_ETOOLARGE. */
int radar_registry_import(radar_store *st, const char *dir, radar_registry_report_fn report, void *user,
                          radar_registry_counts *out);

/* Link stored player `player` to registry player `registry_id` by hand
 * (confidence 1, kept by later imports), and record his transfers as
 * outcomes. RADAR_ENOTFOUND when either is unknown. In the caller's
 * transaction. */
int radar_registry_link(radar_store *st, long long player, const char *registry_id);

/* A registry player as the store knows him. */
typedef struct radar_registry_transfer {
    const char *date, *from_club, *to_club;
    double fee; /* EUR, 0 when not given */
} radar_registry_transfer;

typedef struct radar_registry_player {
    const char *id, *name, *birth_date, *position, *nationality, *club, *contract_until;
    double market_value; /* EUR, 0 when not given */
    double confidence;   /* of the link (or of the candidate) */
    const char *how;     /* "auto", "manual"; for candidates "candidate" */
    radar_registry_transfer *transfers;
    size_t n_transfers;
} radar_registry_player;

/* The registry players a stored player is linked to (first, when linked)
 * and the other candidates his names fit, best first. Caller frees with
 * radar_registry_players_free. An empty list when there is no registry. */
typedef struct radar_registry_players {
    radar_registry_player *v;
    size_t n;
    int linked; /* v[0] is the link */
    struct radar_registry_mem *mem_;
} radar_registry_players;
int radar_registry_player_links(radar_store *st, long long player, radar_registry_players **out);
void radar_registry_players_free(radar_registry_players *p);

#ifdef __cplusplus
}
#endif
#endif
