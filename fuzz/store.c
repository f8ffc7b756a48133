/*
 * fuzz/store.c: nc-store's load path (lib/store_load.c) into a SQLite
 * store (lib/store_sqlite.c), as nc-store load runs it, then dumped back.
 * The first byte picks the options: bits 0-1 the keys (none, "k",
 * "k,date", "item_id,site_id"), bit 2 -m (0, or no limit), bit 3 a
 * partition (-p 2026-11-26); the rest is the input.  Each input gets a
 * new database file (in TMPDIR), so runs do not depend on each other.
 *
 * Properties, besides no crash, leak or sanitizer report, and no exit
 * (a database error would be one):
 *   - a stored line is a JSON object to jansson; a rejected line is not,
 *     or lacks a key field, or has one that is not a string, number or
 *     null;
 *   - a load stopped by too many rejects leaves nothing: no dataset, no
 *     load, no row, once the store is opened again;
 *   - what is loaded dumps back byte for byte: without keys, the stored
 *     lines exactly (as a multiset); with keys, a subset of them, at least
 *     one when any was stored, and no key twice;
 *   - loading the same input into the same partition again dumps the
 *     same records in the same order (a rerun of a day is idempotent).
 */
#include "fuzz.h"

#include <fcntl.h>
#include <limits.h>

#include "nc.h"
#include "ndjson.h"
#include "store.h"
#include "store_tool.h"
#include "text.h"

static const char *const key_sets[4] = { NULL, "k", "k,date", "item_id,site_id" };

struct lines {
	char **v;
	size_t *len;
	size_t n;
};

static void
lines_add(struct lines *l, const char *s, size_t len)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->len = xrealloc(l->len, (l->n + 1) * sizeof(*l->len));
	l->v[l->n] = xmalloc(len + 1);
	memcpy(l->v[l->n], s, len);
	l->v[l->n][len] = '\0';
	l->len[l->n++] = len;
}

static void
lines_release(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

/* Index of an unused line of l equal to s, marking it used; or -1. */
static long
lines_take(const struct lines *l, char *used, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (!used[i] && l->len[i] == len && memcmp(l->v[i], s, len) == 0) {
			used[i] = 1;
			return (long)i;
		}
	return -1;
}

struct dumped {
	struct lines rec, key;     /* the records, and their key values */
	int nkeys;
};

/* The key values as one text: each as its length and bytes, "N" for null. */
static int
collect(void *ctx, const struct store_row *r)
{
	struct dumped *d = ctx;
	struct strbuf k = { 0 };

	lines_add(&d->rec, r->record, r->len);
	for (int i = 0; i < d->nkeys; i++) {
		char n[32];

		if (r->key[i] == NULL) {
			strbuf_add(&k, "N;", 2);
			continue;
		}
		snprintf(n, sizeof(n), "%zu:", r->keylen[i]);
		strbuf_add(&k, n, strlen(n));
		strbuf_add(&k, r->key[i], r->keylen[i]);
	}
	lines_add(&d->key, k.s != NULL ? k.s : "", k.len);
	strbuf_release(&k);
	return 0;
}

static char db[96];

static void
db_remove(void)
{
	char p[128];

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
}

/* A rejected line, as jansson sees it: not an object, or a bad key. */
static int
rightly_rejected(const char *line, size_t len, const struct store_dataset *ds)
{
	json_t *o = ndjson_parse(line, len, NULL, 0);
	int bad = o == NULL || !json_is_object(o);

	for (int i = 0; !bad && i < ds->nkeys; i++) {
		json_t *v = json_object_get(o, ds->keys[i]);

		bad = v == NULL || !(json_is_string(v) || json_is_number(v) || json_is_null(v));
	}
	json_decref(o);
	return bad;
}

/*
 * Load the input file into dataset "fz": the lines stored and rejected
 * go to *stored and *rejected; returns 0 after the commit, -1 when the
 * rejects stopped the load (nothing committed).
 */
static int
load(struct store *s, struct store_load *spec, const char *path, long max,
    struct lines *stored, struct lines *rejected)
{
	struct store_input in;
	struct store_loader ld;
	struct rejects rej;
	char *line;
	size_t len;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY)) < 0)
		abort();
	rejects_open(&rej, "/dev/null", max);
	store_input_open(&in, fd);
	store_loader_begin(&ld, s, spec, &rej, max);
	while (rc == 0 && store_input_line(&in, &line, &len)) {
		unsigned long long before = ld.rows;

		switch (store_loader_line(&ld, line, len, "fuzz", in.lineno)) {
		case 0:
			if (ld.rows > before)
				lines_add(stored, line, len);
			else
				FUZZ_CHECK(text_blank(line, len), "a line neither stored nor rejected");
			break;
		case 1:
			lines_add(rejected, line, len);
			break;
		default:
			lines_add(rejected, line, len);
			rc = -1;
		}
	}
	(void)rejects_close(&rej);
	if (rc == 0)
		(void)store_loader_commit(&ld, &in);
	store_loader_release(&ld);
	store_input_release(&in);
	close(fd);
	return rc;
}

/* The dataset's records, in the dump's order; with keys, each key once. */
static void
dump(struct store *s, struct lines *out)
{
	struct store_dataset ds = { .nkeys = 0 };
	struct store_dump spec = { .ds = &ds, .want_keys = 1 };
	struct dumped d = { .nkeys = 0 };

	FUZZ_CHECK(s->ops->dataset(s, "fz", &ds), "a committed load left no dataset");
	d.nkeys = ds.nkeys;
	s->ops->dump(s, &spec, collect, &d);
	if (ds.nkeys > 0) {
		char *used = xcalloc(d.key.n + 1, 1);

		for (size_t i = 0; i < d.key.n; i++) {
			used[i] = 1;
			FUZZ_CHECK(lines_take(&d.key, used, d.key.v[i], d.key.len[i]) < 0,
			    "two records with the same key in a keyed dataset");
		}
		free(used);
	}
	*out = d.rec;
	lines_release(&d.key);
	store_dataset_release(&ds);
}

/* Nothing of a stopped load is kept. */
static void
check_nothing(void)
{
	struct store *s = store_sqlite_open(db);
	struct store_dataset ds = { .nkeys = 0 };

	if (s->ops->has_tables(s)) {
		FUZZ_CHECK(!s->ops->dataset(s, "fz", &ds), "a stopped load left its dataset");
		store_dataset_release(&ds);
	}
	store_close(s);
}

static void
check_dump(const struct lines *stored, const struct lines *dumped, int keyed)
{
	char *used = xcalloc(stored->n + 1, 1);

	for (size_t i = 0; i < dumped->n; i++)
		FUZZ_CHECK(lines_take(stored, used, dumped->v[i], dumped->len[i]) >= 0,
		    "a dumped record is not one of the stored lines");
	if (!keyed)
		FUZZ_CHECK(dumped->n == stored->n, "stored lines missing from the dump");
	else
		FUZZ_CHECK(stored->n == 0 || dumped->n > 0, "keyed load dumps nothing");
	free(used);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_dataset given = { .nkeys = 0 };
	struct store_load spec = { .dataset = "fz" };
	struct lines stored = { 0 }, rejected = { 0 }, dumped = { 0 };
	struct store *s;
	const char *path, *keys;
	char why[256];
	long max;

	if (size == 0)
		return 0;
	if (db[0] == '\0') {
		const char *dir = getenv("TMPDIR");

		snprintf(db, sizeof(db), "%s/nc-fuzz-store.%ld.db",
		    dir != NULL && strlen(dir) < 40 ? dir : "/tmp", (long)getpid());
		atexit(db_remove);
	}
	keys = key_sets[data[0] & 3];
	max = data[0] & 4 ? LONG_MAX : 0;
	spec.partition = data[0] & 8 ? "2026-11-26" : NULL;
	if (keys != NULL) {
		if (store_keys_split(&given, keys, why, sizeof(why)) != 0)
			abort();
		spec.keys = given.keys;
		spec.nkeys = given.nkeys;
		spec.keys_given = 1;
	}
	path = fuzz_file(data + 1, size - 1);
	db_remove();

	s = store_sqlite_open(db);
	if (load(s, &spec, path, max, &stored, &rejected) != 0) {
		store_close(s);         /* without COMMIT: rolled back */
		check_nothing();
	} else {
		for (size_t i = 0; i < stored.n; i++) {
			json_t *o = ndjson_parse(stored.v[i], stored.len[i], NULL, 0);

			FUZZ_CHECK(o != NULL && json_is_object(o), "stored a line that is no JSON object");
			json_decref(o);
		}
		for (size_t i = 0; i < rejected.n; i++)
			FUZZ_CHECK(rightly_rejected(rejected.v[i], rejected.len[i], &spec.ds),
			    "rejected a JSON object with good keys");
		dump(s, &dumped);
		check_dump(&stored, &dumped, keys != NULL);
		if (spec.partition != NULL) {
			struct lines again = { 0 }, st2 = { 0 }, rj2 = { 0 };

			store_dataset_release(&spec.ds);
			FUZZ_CHECK(load(s, &spec, path, max, &st2, &rj2) == 0,
			    "the same input failed the second time");
			dump(s, &again);
			FUZZ_CHECK(again.n == dumped.n, "reloading the partition changed the count");
			for (size_t i = 0; i < again.n && i < dumped.n; i++)
				FUZZ_CHECK(again.len[i] == dumped.len[i] &&
				    memcmp(again.v[i], dumped.v[i], again.len[i]) == 0,
				    "reloading the partition changed the records");
			lines_release(&again);
			lines_release(&st2);
			lines_release(&rj2);
		}
		store_close(s);
	}
	store_dataset_release(&spec.ds);
	store_dataset_release(&given);
	lines_release(&stored);
	lines_release(&rejected);
	lines_release(&dumped);
	return 0;
}
