/* The unit tests' shared set-up: a temporary folder and putting an article into a store.
 *
 * Every function fails the running cmocka test (fail_msg) on an error of the library, except
 * rt_tmpdir and rt_rmtree, which are also called from set-up and tear-down functions. */
#ifndef RADAR_TEST_FIXTURE_H
#define RADAR_TEST_FIXTURE_H

#include <stddef.h>

#include "radar/radar.h"
#include "radar/store.h"

/* Make a new folder $TMPDIR/TAG.XXXXXX (/tmp without TMPDIR) and write its path into dir.
 * Returns 0, or -1 when it could not be made (dir too small, mkdtemp failed). */
int rt_tmpdir(char *dir, size_t size, const char *tag);

/* Remove dir and everything under it (a store's -wal and -shm files, copies, subfolders).
 * Symbolic links are removed, never followed. A NULL or empty dir does nothing. */
void rt_rmtree(const char *dir);

/* Extract *a and put it in st in a transaction of its own; returns what the store did. */
radar_put_result rt_put_article(radar_extractor *ex, radar_store *st, const radar_article *a);

/* The same for an article made of id (also its path, line 1), date and body. */
radar_put_result rt_put(radar_extractor *ex, radar_store *st, const char *id, const char *date,
                        const char *body);

#endif
