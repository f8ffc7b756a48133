/*
 * psort.h: qsort(3) on two threads: each half sorted by qsort on its own
 * thread, then the halves merged.  The order is qsort's for a comparison
 * that is total (ties broken, as nc-transform's are by line number).
 * Ownership: sorts base in place; allocates a temporary copy.
 */
#ifndef NC_PSORT_H
#define NC_PSORT_H

#include <stddef.h>

void psort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
