/*
 * store.c: what both store backends share: choosing one, names, keys and
 * the shard hash.  See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <err.h>

#include "nc.h"
#include "store.h"

struct store *
store_open(const char *where)
{
	if (strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0)
		return store_pg_open(where);
	return store_sqlite_open(where);
}

void
store_close(struct store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

static int
ident(const char *s, int upper)
{
	size_t n = strlen(s);

	if (n == 0 || n > 48 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		    (upper && c >= 'A' && c <= 'Z')))
			return 0;
	}
	return 1;
}

int
store_valid_dataset(const char *name)
{
	return ident(name, 0) && strncmp(name, "nc_", 3) != 0;
}

int
store_valid_key(const char *name)
{
	return ident(name, 1) && name[0] != '_' && strcmp(name, "record") != 0;
}

void
store_keys_join(const struct store_dataset *ds, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ds->nkeys && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? "," : "", ds->keys[i]);
}

int
store_keys_split(struct store_dataset *ds, const char *list, char *why, size_t size)
{
	const char *p = list;

	ds->nkeys = 0;
	ds->date_is_key = 0;
	if (*list == '\0')
		return 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		char *k = xstrndup(p, n);

		if (!store_valid_key(k)) {
			snprintf(why, size, "not a valid key field: '%s'", k);
			free(k);
			return -1;
		}
		for (int i = 0; i < ds->nkeys; i++)
			if (strcmp(ds->keys[i], k) == 0) {
				snprintf(why, size, "key field given twice: '%s'", k);
				free(k);
				return -1;
			}
		if (ds->nkeys == STORE_MAX_KEYS) {
			snprintf(why, size, "more than %d key fields", STORE_MAX_KEYS);
			free(k);
			return -1;
		}
		if (strcmp(k, "date") == 0)
			ds->date_is_key = 1;
		ds->keys[ds->nkeys++] = k;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

void
store_dataset_release(struct store_dataset *ds)
{
	for (int i = 0; i < ds->nkeys; i++)
		free(ds->keys[i]);
	ds->nkeys = 0;
}

uint64_t
store_fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
same_keys(const struct store_dataset *ds, const struct store_load *l)
{
	if (ds->nkeys != l->nkeys)
		return 0;
	for (int i = 0; i < l->nkeys; i++)
		if (strcmp(ds->keys[i], l->keys[i]) != 0)
			return 0;
	return 1;
}

void
store_load_dataset(struct store_load *l, int exists)
{
	struct store_dataset *ds = &l->ds;
	char a[512], b[512];

	if (exists) {
		struct store_dataset given = { .nkeys = l->nkeys };

		if (!l->keys_given || same_keys(ds, l))
			return;
		for (int i = 0; i < l->nkeys; i++)
			given.keys[i] = l->keys[i];
		store_keys_join(ds, a, sizeof(a));
		store_keys_join(&given, b, sizeof(b));
		errx(NC_USAGE, "error: dataset '%s' is keyed by '%s', not '%s' "
		    "(keys are fixed by its first load)", l->dataset, a, b);
	}
	snprintf(ds->name, sizeof(ds->name), "%s", l->dataset);
	ds->nkeys = 0;
	ds->date_is_key = 0;
	for (int i = 0; i < l->nkeys; i++) {
		ds->keys[ds->nkeys++] = xstrdup(l->keys[i]);
		if (strcmp(l->keys[i], "date") == 0)
			ds->date_is_key = 1;
	}
}

static void
add(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
store_add_keys(struct strbuf *sb, const struct store_dataset *ds, const char *suffix)
{
	for (int i = 0; i < ds->nkeys; i++) {
		add(sb, i ? ", \"" : "\"");
		add(sb, ds->keys[i]);
		add(sb, "\"");
		add(sb, suffix);
	}
}

/* CREATE [UNIQUE] INDEX IF NOT EXISTS "t_suffix" ON "t" (cols); */
static void
index_ddl(struct strbuf *sb, const char *t, const char *unique, const char *suffix,
    const char *cols, const struct store_dataset *keys, const struct store_sql_types *ty)
{
	add(sb, "CREATE ");
	add(sb, unique);
	add(sb, "INDEX IF NOT EXISTS \"");
	add(sb, t);
	add(sb, suffix);
	add(sb, "\" ON \"");
	add(sb, t);
	add(sb, "\" (");
	if (keys)
		store_add_keys(sb, keys, ty->key_order);
	else
		add(sb, cols);
	add(sb, ")");
	if (keys)
		add(sb, ty->unique);
	add(sb, ";");
}

void
store_table_ddl(struct strbuf *sb, const struct store_dataset *ds,
    const struct store_sql_types *t)
{
	add(sb, "CREATE TABLE IF NOT EXISTS \"");
	add(sb, ds->name);
	add(sb, "\" (_seq ");
	add(sb, t->seq);
	add(sb, ", _partition ");
	add(sb, t->text);
	add(sb, ", _load ");
	add(sb, t->load);
	for (int i = 0; i < ds->nkeys; i++) {
		add(sb, ", \"");
		add(sb, ds->keys[i]);
		add(sb, "\" ");
		add(sb, t->text);
	}
	if (!ds->date_is_key) {
		add(sb, ", date ");
		add(sb, t->text);
	}
	add(sb, ", record ");
	add(sb, t->record);
	add(sb, " NOT NULL);");
	if (ds->nkeys > 0)
		index_ddl(sb, ds->name, "UNIQUE ", "_key", NULL, ds, t);
	index_ddl(sb, ds->name, "", "_partition", "_partition", NULL, t);
	if (!ds->date_is_key)
		index_ddl(sb, ds->name, "", "_date", "date", NULL, t);
}
