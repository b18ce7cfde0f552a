/*
 * atom.h - the story board as Atom feeds (RFC 4287): the whole board, one
 * club's stories, one player's, so that a feed reader can follow them.
 *
 * An entry is a story: its id stays the same while the story goes on, its
 * `updated` is the story's last sighting, its title says the player, the
 * club and the stage reached, and it links to the story on the board (and
 * to its JSON). Entries are the most recently seen stories first, at most
 * RADAR_MAX_FEED_ENTRIES. The library writes the document; radar serve
 * publishes it under /feeds/ (docs/api.md).
 */
#ifndef RADAR_ATOM_H
#define RADAR_ATOM_H

#include <stddef.h>

#include "radar/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum radar_atom_kind {
    RADAR_ATOM_BOARD = 0,  /* every story */
    RADAR_ATOM_CLUB = 1,   /* the stories a club buys or sells in (its name matched as radar club does) */
    RADAR_ATOM_PLAYER = 2  /* the stories of the players radar player finds by the name */
} radar_atom_kind;

/* Write the feed of `kind` (`name`: the club or player; NULL for the board)
 * into *out (NUL-terminated, *len bytes without it; the caller frees it).
 * `base` is the board's address ("http://localhost:8080", no trailing
 * slash), which links are made absolute against; NULL or "" leaves them
 * relative to the server's root. RADAR_ENOTFOUND for a club or player the
 * store does not know. */
int radar_atom_feed(radar_store *st, radar_atom_kind kind, const char *name, const char *base, char **out,
                    size_t *len);

#ifdef __cplusplus
}
#endif
#endif
