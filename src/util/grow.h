/*
 * grow.h - room in a growable array kept in one malloc'd block.
 *
 * The arrays of the extractor, the store and the readers are reused from one
 * article (or one batch) to the next: they grow by doubling and never shrink,
 * so that steady-state use allocates nothing.
 */
#ifndef RADAR_GROW_H
#define RADAR_GROW_H

#include <stddef.h>

/* Make room for `need` elements of `elem` bytes in *p, which holds *cap:
 * nothing when it has it, else a larger block (from `first` elements,
 * doubling) with *cap updated. On failure (RADAR_ENOMEM, the error set) *p
 * and *cap are left as they were. */
int radar_grow(void **p, size_t *cap, size_t need, size_t elem, size_t first);

#endif
