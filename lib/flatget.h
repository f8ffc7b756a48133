/*
 * flatget.h: look up a field of a flat record (flat.h) by name, and read
 * a field as a number.  Ownership: both only read the record.
 *
 *	const struct flat_field *f = flat_get(&fl, "quantity", 8);
 *	if (flat_get_number(f, &d) < 0) ... // not a number
 */
#ifndef NC_FLATGET_H
#define NC_FLATGET_H

#include <stddef.h>

#include "flat.h"

/* The first field named name (len bytes), or NULL. */
const struct flat_field *flat_get(const struct flat *fl, const char *name, size_t len);

/*
 * A number or a numeric string: 1 and *d; absent (f NULL) or null: 0;
 * anything else (text, true, an array, a non-finite number): -1.
 */
int flat_get_number(const struct flat_field *f, double *d);

#endif
