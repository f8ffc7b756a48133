/*
 * csv_names.c: lists of column names given to nc-csv's options
 * (-s a,b -D c ...).  See csv_tool.h.
 */
#include <stdlib.h>
#include <string.h>

#include "csv_tool.h"
#include "nc.h"

void
csv_names_add(struct csv_names *l, const char *s, size_t len)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->len = xrealloc(l->len, (l->n + 1) * sizeof(*l->len));
	l->v[l->n] = xstrndup(s, len);
	l->len[l->n++] = len;
}

void
csv_names_split(struct csv_names *l, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, ",");

		csv_names_add(l, s, n);
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
}

long
csv_names_find(const struct csv_names *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && memcmp(l->v[i], s, len) == 0)
			return (long)i;
	return -1;
}

void
csv_names_release(struct csv_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

void
csv_opts_release(struct csv_opts *o)
{
	struct csv_names *lists[] = { &o->header, &o->strings, &o->dates, &o->nulls,
	    &o->rename_old, &o->rename_new, &o->fields };

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		csv_names_release(lists[i]);
}
