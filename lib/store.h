/*
 * store.h: named datasets of NDJSON records in SQLite or PostgreSQL
 * (nc-store(1)), behind one small interface with a backend per database.
 *
 * Ownership: a struct store owns its connection and everything it
 * allocates; store_close() frees it.  Rows handed to a callback belong to
 * the backend and are valid only during the call.  Strings passed in are
 * only read (the backend copies what it keeps).  A database failure is
 * fatal: the backend prints "nc-store: error: ..." and exits 1; a load's
 * transaction is then never committed (the database rolls it back when
 * the process ends, whatever the way it ends).
 *
 *	struct store *s = store_open(getenv("NC_DB"));
 *	s->ops->load_begin(s, &spec);        // lock, schema, dataset, partition
 *	s->ops->load_put(s, &row);           // ... one per record
 *	s->ops->load_commit(s, &info);       // or exit without committing
 *	store_close(s);
 */
#ifndef NC_STORE_H
#define NC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "ndjson.h"

#define STORE_MAX_KEYS 16
#define STORE_LAYOUT_VERSION "1"   /* the layout of the tables, nc_meta */

/* A record: its text and its extracted columns (NULL when absent). */
struct store_row {
	const char *record;
	size_t len;
	const char *key[STORE_MAX_KEYS];   /* the key fields' values; NULL: null */
	size_t keylen[STORE_MAX_KEYS];
	const char *date;                  /* the "date" field, or NULL */
	size_t datelen;
};

/* A dataset as the store knows it. */
struct store_dataset {
	char name[64];
	char *keys[STORE_MAX_KEYS];        /* owned by the struct */
	int nkeys;
	int date_is_key;                   /* "date" is one of the keys */
};

struct store_load {
	const char *dataset;
	const char *partition;             /* -p, or NULL */
	char **keys;                       /* -k, when keys_given */
	int nkeys, keys_given;
	struct store_dataset ds;           /* out: the dataset's keys */
};

struct store_load_info {
	unsigned long long rows, rejected;
	char sha256[65];
	const char *source, *extracted_at, *schema_version;   /* or NULL */
	char loaded_at[32];
};

struct store_dump {
	const struct store_dataset *ds;
	const char *since, *until;         /* date bounds, or NULL */
	const char *partition;             /* or NULL */
	int want_keys;                     /* rows need key[]; date is not set */
	/* --shard k/n: a backend may leave out the rows of other shards (the
	 * caller filters the rows it gets all the same); 0/0 without. */
	unsigned long shard_k, shard_n;
	/* Equalities on key columns or "date", done in SQL. */
	const char *wcol[STORE_MAX_KEYS * 2];
	const char *wval[STORE_MAX_KEYS * 2];
	int nw;
};

struct store;

/* Called per row; return 0 to go on. */
typedef int store_row_fn(void *ctx, const struct store_row *row);
/* Called per result row of store_query: column values as text or NULL. */
typedef void store_query_fn(void *ctx, int ncols, const char *const *val);

struct store_ops {
	void (*load_begin)(struct store *, struct store_load *);
	void (*load_put)(struct store *, const struct store_row *);
	/* Returns the load's id. */
	long long (*load_commit)(struct store *, const struct store_load_info *);
	/* 1 and *ds filled when the dataset exists, else 0. */
	int (*dataset)(struct store *, const char *name, struct store_dataset *ds);
	void (*dump)(struct store *, const struct store_dump *, store_row_fn *, void *);
	/* Run a query whose parameters are $1, $2, ... (text). */
	void (*query)(struct store *, const char *sql, int nparams,
	    const char *const *params, store_query_fn *, void *);
	/* 1 if the store's tables exist (nothing was ever loaded otherwise). */
	int (*has_tables)(struct store *);
	void (*close)(struct store *);
};

struct store {
	const struct store_ops *ops;
	const char *kind;                  /* "sqlite" or "postgresql" */
};

/* A "postgresql://" or "postgres://" URI (or "dbname=... "-style
 * conninfo with '=') opens PostgreSQL; anything else is a SQLite file. */
struct store *store_open(const char *where);
void store_close(struct store *s);

struct store *store_sqlite_open(const char *path);
struct store *store_pg_open(const char *conninfo);

/* 1 if name is a valid dataset name: [a-z_][a-z0-9_]*, at most 48
 * bytes, not starting with "nc_". */
int store_valid_dataset(const char *name);
/* 1 if name may be a key field: [A-Za-z_][A-Za-z0-9_]*, at most 48
 * bytes, not starting with '_', not "record". */
int store_valid_key(const char *name);

/* Keys as a comma-separated list ("" for none), into buf. */
void store_keys_join(const struct store_dataset *ds, char *buf, size_t size);
/* Split "a,b" into ds->keys; 0, or -1 with a reason in why. */
int store_keys_split(struct store_dataset *ds, const char *list, char *why, size_t size);
void store_dataset_release(struct store_dataset *ds);

/*
 * Settle the load's dataset: when it exists (exists = 1, l->ds filled by
 * the backend), a -k that differs from its keys is a usage error (exit
 * 2); otherwise l->ds takes the name and the keys of -k.
 */
void store_load_dataset(struct store_load *l, int exists);

/* The column types of a backend, for store_table_ddl(). */
struct store_sql_types {
	const char *seq;        /* "INTEGER PRIMARY KEY" */
	const char *text;       /* "TEXT", or text with a collation */
	const char *load;       /* the _load column's type and constraints */
	const char *record;     /* "TEXT", or "json" */
	const char *unique;     /* after the unique index's columns */
	const char *key_order;  /* after each key column in that index */
};

/* CREATE TABLE and CREATE INDEX statements of ds's table (nc-store(1),
 * TABLES), appended to sb, each ending with ';'. */
void store_table_ddl(struct strbuf *sb, const struct store_dataset *ds,
    const struct store_sql_types *t);

/* Append the key columns as quoted identifiers, each followed by
 * suffix: "a"suffix, "b"suffix. */
void store_add_keys(struct strbuf *sb, const struct store_dataset *ds, const char *suffix);

/*
 * The shard hash: FNV-1a 64 over the values of the series' key fields
 * (the dataset's keys other than "date"), joined by the byte 0x1f.
 * fnv1a64("", 0) == 0xcbf29ce484222325.
 */
uint64_t store_fnv1a64(uint64_t h, const void *p, size_t n);
#define STORE_FNV_OFFSET 0xcbf29ce484222325ULL
/* The series' shard hash of a row (its key[]): see nc-store(1), SHARDS. */
uint64_t store_shard_hash(const struct store_dataset *ds, const struct store_row *r);

#endif
