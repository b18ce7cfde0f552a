/*
 * fuzz_outcomes.c - libFuzzer target for the outcomes CSV reader.
 *
 * Invariants checked on every input: each row handed over has a player, a
 * club and a real date; each bad row's message names the file; the reader
 * returns 0, RADAR_EFORMAT or RADAR_EENCODING and never reads out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radar/article.h"
#include "radar/error.h"
#include "radar/outcomes.h"

static int check_row(void *user, const radar_outcome_row *row, const char *message)
{
    (void)user;
    if (!row) {
        if (!message || strncmp(message, "fuzz.csv", 8))
            abort();
        return 0;
    }
    if (!row->player || !*row->player || !row->to_club || !*row->to_club || !row->date ||
        !radar_date_valid(row->date, strlen(row->date)) || row->fee < 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a private copy, exactly `size` bytes, so that ASan sees any overread */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    int rc = radar_outcomes_read("fuzz.csv", copy, size, check_row, NULL);
    if (rc != 0 && rc != RADAR_EFORMAT && rc != RADAR_EENCODING && rc != RADAR_ENOMEM)
        abort();
    free(copy);
    return 0;
}
