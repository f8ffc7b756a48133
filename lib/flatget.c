/* flatget.c: field lookup and numbers in flat records (flatget.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flatget.h"

const struct flat_field *
flat_get(const struct flat *fl, const char *name, size_t len)
{
	for (size_t i = 0; i < fl->n; i++)
		if (fl->f[i].klen == len && memcmp(fl->f[i].key, name, len) == 0)
			return &fl->f[i];
	return NULL;
}

int
flat_get_number(const struct flat_field *f, double *d)
{
	char buf[64], *end;

	if (f == NULL || f->type == FLAT_NULL)
		return 0;
	if ((f->type != FLAT_NUMBER && f->type != FLAT_STRING) || f->vlen == 0 ||
	    f->vlen >= sizeof(buf))
		return -1;
	memcpy(buf, f->val, f->vlen);
	buf[f->vlen] = '\0';
	*d = strtod(buf, &end);
	return *end == '\0' && isfinite(*d) ? 1 : -1;
}
