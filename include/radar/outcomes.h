/*
 * outcomes.h - lists of what really happened: completed transfers, and moves
 * that did not happen by the end of a window, read from CSV.
 *
 * Format (docs/scoring.md): a header row naming the columns, in any order,
 * then one row per outcome. Columns: player, to_club (required), from_club,
 * date (YYYY-MM-DD), season ("2021", "2021-22" or "2021/22"), window
 * ("summer" or "winter"), fee, currency, outcome ("done", the default, or
 * "failed"). A row needs a date, or a season and a window. Fields may be
 * quoted ("Inter, Milan"), with "" for a quote inside.
 */
#ifndef RADAR_OUTCOMES_H
#define RADAR_OUTCOMES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum radar_outcome_kind {
    RADAR_OUTCOME_DONE = 0,  /* the move happened */
    RADAR_OUTCOME_FAILED = 1 /* it did not happen (by the end of the window) */
} radar_outcome_kind;

/* One row, checked. Strings are borrowed, valid during the callback; absent
 * fields are NULL. `date` is always set: the row's date, or the day the
 * window closed. */
typedef struct radar_outcome_row {
    unsigned long line;
    const char *player, *from_club, *to_club;
    const char *date;   /* YYYY-MM-DD */
    const char *season; /* as written */
    const char *window; /* "summer", "winter" or NULL */
    double fee;         /* 0 when not given */
    const char *currency;
    radar_outcome_kind outcome;
} radar_outcome_row;

/* Called with each good row (message NULL) or, for a bad row, row NULL and a
 * message naming the file and line. Return non-zero to stop. */
typedef int (*radar_outcome_fn)(void *user, const radar_outcome_row *row, const char *message);

/* Read an outcomes CSV held in memory, as the file `name`. Returns 0, the
 * callback's non-zero value, or RADAR_EFORMAT when the header is unusable
 * (a required column missing) — bad rows are reported and skipped. */
int radar_outcomes_read(const char *name, const char *data, size_t len, radar_outcome_fn fn, void *user);

/* The day a transfer window closed: summer -> 1 September of the season's
 * first year, winter -> 1 February of its second. Writes YYYY-MM-DD into
 * out[11]; RADAR_EINVALID for a season or window it cannot read. */
int radar_window_end(const char *season, const char *window, char out[11]);

#ifdef __cplusplus
}
#endif
#endif
