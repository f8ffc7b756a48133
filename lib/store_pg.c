/*
 * store_pg.c: the PostgreSQL backend of store.h, through libpq.  Loads
 * hold a transaction-level advisory lock (two loads at once wait for each
 * other), stream records with COPY, and upsert through a temporary table;
 * dumps stream with COPY ... TO STDOUT.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "nc.h"
#include "ndjson.h"
#include "store.h"

/* pg_advisory_xact_lock key of loads: "nc-store" in ASCII. */
#define LOAD_LOCK "7954884652426899045"
#define COPY_CHUNK (256 * 1024)

struct pg {
	struct store base;
	PGconn *conn;
	struct store_load *load;
	char load_id[32];
	struct strbuf copy;     /* COPY rows not yet sent */
	struct strbuf row;      /* a decoded COPY row (dump) */
};

static void
die(struct pg *g, const char *what)
{
	const char *m = PQerrorMessage(g->conn);
	size_t n = strlen(m);

	while (n > 0 && m[n - 1] == '\n')
		n--;
	errx(NC_FAIL, "error: postgresql: %s: %.*s", what, (int)n, m);
}

static void
check(struct pg *g, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN &&
	    st != PGRES_COPY_OUT) {
		const char *m = PQresultErrorMessage(r);
		size_t n = strlen(m);

		while (n > 0 && m[n - 1] == '\n')
			n--;
		errx(NC_FAIL, "error: postgresql: %s: %.*s", what, (int)n, m);
	}
	(void)g;
}

static void
exec(struct pg *g, const char *sql)
{
	PGresult *r = PQexec(g->conn, sql);

	check(g, r, "query");
	PQclear(r);
}

static PGresult *
execp(struct pg *g, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(g->conn, sql, n, NULL, params, NULL, NULL, 0);

	check(g, r, "query");
	return r;
}

static void
add(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

static void
add_ident(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	add(sb, s);
	strbuf_addc(sb, '"');
}

static void
add_literal(struct pg *g, struct strbuf *sb, const char *s)
{
	char *lit = PQescapeLiteral(g->conn, s, strlen(s));

	if (lit == NULL)
		die(g, "escape");
	add(sb, lit);
	PQfreemem(lit);
}

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS nc_meta (key text PRIMARY KEY, value text);"
    "INSERT INTO nc_meta VALUES ('layout', '" STORE_LAYOUT_VERSION "') ON CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS nc_datasets ("
    " dataset text COLLATE \"C\" PRIMARY KEY, keys text NOT NULL, created_at text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS nc_loads ("
    " load_id bigserial PRIMARY KEY,"
    " dataset text COLLATE \"C\" NOT NULL REFERENCES nc_datasets (dataset),"
    " partition text COLLATE \"C\", rows bigint, rejected bigint, sha256 text,"
    " source text, extracted_at text, loaded_at text, schema_version text,"
    " program_version text);"
    "CREATE INDEX IF NOT EXISTS nc_loads_dataset ON nc_loads (dataset, partition);";

static int
pg_has_tables(struct store *s)
{
	struct pg *g = (struct pg *)s;
	PGresult *r = execp(g, "SELECT to_regclass('nc_datasets') IS NOT NULL", 0, NULL);
	int yes = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;

	PQclear(r);
	return yes;
}

static int
pg_dataset(struct store *s, const char *name, struct store_dataset *ds)
{
	struct pg *g = (struct pg *)s;
	const char *p[1] = { name };
	char why[128];
	PGresult *r;
	int found;

	if (!pg_has_tables(s))
		return 0;
	r = execp(g, "SELECT keys FROM nc_datasets WHERE dataset = $1", 1, p);
	found = PQntuples(r) == 1;
	if (found) {
		snprintf(ds->name, sizeof(ds->name), "%s", name);
		if (store_keys_split(ds, PQgetvalue(r, 0, 0), why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: postgresql: dataset '%s': %s", name, why);
	}
	PQclear(r);
	return found;
}

static void
pg_query(struct store *s, const char *sql, int nparams, const char *const *params,
    store_query_fn *fn, void *ctx)
{
	struct pg *g = (struct pg *)s;
	PGresult *r = execp(g, sql, nparams, params);
	const char *val[64];
	int n = PQnfields(r);

	if (n > 64)
		n = 64;
	for (int i = 0; i < PQntuples(r); i++) {
		for (int j = 0; j < n; j++)
			val[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		if (fn)
			fn(ctx, n, val);
	}
	PQclear(r);
}

static const struct store_sql_types pg_types = {
	.seq = "bigserial PRIMARY KEY",
	.text = "text COLLATE \"C\"",
	.load = "bigint NOT NULL",
	.record = "json",
	.unique = " NULLS NOT DISTINCT",
	.key_order = " NULLS FIRST",
};

static void
pg_load_begin(struct store *s, struct store_load *l)
{
	struct pg *g = (struct pg *)s;
	struct store_dataset *ds = &l->ds;
	struct strbuf sb = { 0 };
	const char *p[3];
	char keys[1024];
	PGresult *r;
	int exists;

	g->load = l;
	exec(g, "BEGIN");
	exec(g, "SELECT pg_advisory_xact_lock(" LOAD_LOCK ")");
	exec(g, schema);
	exists = pg_dataset(s, l->dataset, ds);
	store_load_dataset(l, exists);
	if (!exists) {
		store_keys_join(ds, keys, sizeof(keys));
		p[0] = ds->name;
		p[1] = keys;
		PQclear(execp(g, "INSERT INTO nc_datasets VALUES ($1, $2,"
		    " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
		    2, p));
	}
	store_table_ddl(&sb, ds, &pg_types);
	strbuf_addc(&sb, '\0');
	exec(g, sb.s);
	sb.len = 0;

	p[0] = ds->name;
	p[1] = l->partition;
	p[2] = NC_VERSION;
	r = execp(g, "INSERT INTO nc_loads (dataset, partition, program_version)"
	    " VALUES ($1, $2, $3) RETURNING load_id", 3, p);
	snprintf(g->load_id, sizeof(g->load_id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);

	if (l->partition != NULL) {
		add(&sb, "DELETE FROM ");
		add_ident(&sb, ds->name);
		add(&sb, " WHERE _partition = $1");
		strbuf_addc(&sb, '\0');
		PQclear(execp(g, sb.s, 1, &l->partition));
		sb.len = 0;
	}
	if (ds->nkeys > 0) {
		/* Upserts go through a table of the load's rows, in order. */
		add(&sb, "CREATE TEMPORARY TABLE nc_in (ord bigserial");
		for (int i = 0; i < ds->nkeys; i++) {
			add(&sb, ", ");
			add_ident(&sb, ds->keys[i]);
			add(&sb, " text");
		}
		if (!ds->date_is_key)
			add(&sb, ", date text");
		add(&sb, ", record text) ON COMMIT DROP;");
		add(&sb, "COPY nc_in (");
		store_add_keys(&sb, ds, "");
		if (!ds->date_is_key)
			add(&sb, ds->nkeys ? ", date" : "date");
		add(&sb, ", record) FROM STDIN");
	} else {
		add(&sb, "COPY ");
		add_ident(&sb, ds->name);
		add(&sb, " (_partition, _load, date, record) FROM STDIN");
	}
	strbuf_addc(&sb, '\0');
	r = PQexec(g->conn, sb.s);
	if (PQresultStatus(r) != PGRES_COPY_IN)
		check(g, r, "copy");
	PQclear(r);
	strbuf_release(&sb);
}

/* A COPY text field: backslash, tab, newline and CR escaped; NULL as \N. */
static void
copy_field(struct strbuf *sb, const char *s, size_t n)
{
	size_t i, start = 0;

	if (s == NULL) {
		strbuf_add(sb, "\\N", 2);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *esc;

		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		strbuf_add(sb, s + start, i - start);
		strbuf_add(sb, esc, 2);
		start = i + 1;
	}
	strbuf_add(sb, s + start, n - start);
}

static void
flush_copy(struct pg *g)
{
	if (g->copy.len > 0 && PQputCopyData(g->conn, g->copy.s, (int)g->copy.len) != 1)
		die(g, "copy");
	g->copy.len = 0;
}

static void
pg_load_put(struct store *s, const struct store_row *r)
{
	struct pg *g = (struct pg *)s;
	const struct store_dataset *ds = &g->load->ds;
	struct strbuf *sb = &g->copy;

	if (ds->nkeys == 0) {
		copy_field(sb, g->load->partition,
		    g->load->partition ? strlen(g->load->partition) : 0);
		strbuf_addc(sb, '\t');
		add(sb, g->load_id);
		strbuf_addc(sb, '\t');
	}
	for (int i = 0; i < ds->nkeys; i++) {
		copy_field(sb, r->key[i], r->keylen[i]);
		strbuf_addc(sb, '\t');
	}
	if (!ds->date_is_key) {
		copy_field(sb, r->date, r->datelen);
		strbuf_addc(sb, '\t');
	}
	copy_field(sb, r->record, r->len);
	strbuf_addc(sb, '\n');
	if (sb->len >= COPY_CHUNK)
		flush_copy(g);
}

static long long
pg_load_commit(struct store *s, const struct store_load_info *info)
{
	struct pg *g = (struct pg *)s;
	const struct store_dataset *ds = &g->load->ds;
	struct strbuf sb = { 0 };
	char rows[32], rejected[32];
	const char *p[8];
	PGresult *r;

	flush_copy(g);
	if (PQputCopyEnd(g->conn, NULL) != 1)
		die(g, "copy");
	while ((r = PQgetResult(g->conn)) != NULL) {
		check(g, r, "copy");
		PQclear(r);
	}
	if (ds->nkeys > 0) {
		/* The last record of a key wins, as in SQLite. */
		add(&sb, "INSERT INTO ");
		add_ident(&sb, ds->name);
		add(&sb, " (_partition, _load, ");
		store_add_keys(&sb, ds, "");
		if (!ds->date_is_key)
			add(&sb, ", date");
		add(&sb, ", record) SELECT DISTINCT ON (");
		store_add_keys(&sb, ds, "");
		add(&sb, ") $1::text, $2::bigint, ");
		store_add_keys(&sb, ds, "");
		if (!ds->date_is_key)
			add(&sb, ", date");
		add(&sb, ", record::json FROM nc_in ORDER BY ");
		store_add_keys(&sb, ds, "");
		add(&sb, ", ord DESC ON CONFLICT (");
		store_add_keys(&sb, ds, "");
		add(&sb, ") DO UPDATE SET _partition = excluded._partition,"
		    " _load = excluded._load, record = excluded.record");
		if (!ds->date_is_key)
			add(&sb, ", date = excluded.date");
		strbuf_addc(&sb, '\0');
		p[0] = g->load->partition;
		p[1] = g->load_id;
		PQclear(execp(g, sb.s, 2, p));
		strbuf_release(&sb);
	}
	snprintf(rows, sizeof(rows), "%llu", info->rows);
	snprintf(rejected, sizeof(rejected), "%llu", info->rejected);
	p[0] = rows;
	p[1] = rejected;
	p[2] = info->sha256;
	p[3] = info->source;
	p[4] = info->extracted_at;
	p[5] = info->loaded_at;
	p[6] = info->schema_version;
	p[7] = g->load_id;
	PQclear(execp(g, "UPDATE nc_loads SET rows = $1, rejected = $2, sha256 = $3,"
	    " source = $4, extracted_at = $5, loaded_at = $6, schema_version = $7"
	    " WHERE load_id = $8", 8, p));
	/* nc-serve LISTENs: told at the commit, never of a load rolled back. */
	p[0] = g->load_id;
	p[1] = ds->name;
	PQclear(execp(g, "SELECT pg_notify('nc_loads', $1 || ' ' || $2)", 2, p));
	exec(g, "COMMIT");
	return strtoll(g->load_id, NULL, 10);
}

/* Decode one COPY text row in place into g->row; fields point into it. */
static int
split_row(struct pg *g, const char *buf, int n, const char **f, size_t *flen, int nf)
{
	struct strbuf *sb = &g->row;
	size_t start[64];
	int isnull[64], k = 0;

	sb->len = 0;
	start[0] = 0;
	isnull[0] = 0;
	for (int i = 0; i < n; i++) {
		char c = buf[i];
		int j = i;

		/* A run of plain bytes goes in at once. */
		while (j < n && buf[j] != '\t' && buf[j] != '\\' && buf[j] != '\n')
			j++;
		if (j > i) {
			strbuf_add(sb, buf + i, (size_t)(j - i));
			i = j - 1;
			continue;
		}
		if (c == '\n')
			break;
		if (c == '\t') {
			if (++k >= nf)
				return -1;
			start[k] = sb->len;
			isnull[k] = 0;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			c = buf[++i];
			switch (c) {
			case 'N': isnull[k] = 1; continue;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'v': c = '\v'; break;
			default:
				if (c >= '0' && c <= '7') {
					int v = 0, d = 0;
					for (; d < 3 && i < n && buf[i] >= '0' && buf[i] <= '7'; d++)
						v = v * 8 + (buf[i++] - '0');
					i--;
					c = (char)v;
				}
				break;
			}
		}
		strbuf_addc(sb, c);
	}
	if (k != nf - 1)
		return -1;
	strbuf_addc(sb, '\0');
	for (int j = 0; j < nf; j++) {
		size_t end = j + 1 < nf ? start[j + 1] : sb->len - 1;
		f[j] = isnull[j] ? NULL : sb->s + start[j];
		flen[j] = isnull[j] ? 0 : end - start[j];
	}
	return 0;
}

/*
 * The series' key fields (those of ds but date) of table alias t as one
 * text, in SQL: per field "n" when null, else its length, ':' and its
 * value, so that each tuple of values has its own text.
 */
static void
add_series_text(struct strbuf *sb, const struct store_dataset *ds, const char *t)
{
	int n = 0;

	for (int i = 0; i < ds->nkeys; i++) {
		if (strcmp(ds->keys[i], "date") == 0)
			continue;
		add(sb, n++ ? " || CASE WHEN " : "CASE WHEN ");
		add(sb, t);
		add_ident(sb, ds->keys[i]);
		add(sb, " IS NULL THEN 'n' ELSE length(");
		add(sb, t);
		add_ident(sb, ds->keys[i]);
		add(sb, ")::text || ':' || ");
		add(sb, t);
		add_ident(sb, ds->keys[i]);
		add(sb, " END");
	}
}

/*
 * --shard k/n on the server: the dataset's series (their distinct keys)
 * come here, are hashed as store_shard_hash() hashes a row, and those of
 * shard k go back into the temporary table nc_shard (their series text,
 * above), which the dump then joins: the server sends only the shard's
 * rows, not the whole table.
 */
static void
shard_series(struct pg *g, const struct store_dump *d)
{
	const struct store_dataset *ds = d->ds;
	struct strbuf sb = { 0 }, keep = { 0 };
	struct store_row row;
	const char *f[STORE_MAX_KEYS + 1];
	size_t flen[STORE_MAX_KEYS + 1];
	int nf = ds->nkeys + 1, n, first = 1;
	char *buf;
	PGresult *r;

	memset(&row, 0, sizeof(row));
	add(&sb, "COPY (SELECT ");
	for (int i = 0; i < ds->nkeys; i++) {
		if (strcmp(ds->keys[i], "date") == 0) {
			add(&sb, "NULL, ");
			continue;
		}
		add(&sb, "s.");
		add_ident(&sb, ds->keys[i]);
		add(&sb, ", ");
	}
	add_series_text(&sb, ds, "s.");
	add(&sb, " FROM (SELECT DISTINCT ");
	for (int i = 0; i < ds->nkeys; i++) {
		if (strcmp(ds->keys[i], "date") == 0)
			continue;
		if (!first)
			add(&sb, ", ");
		add_ident(&sb, ds->keys[i]);
		first = 0;
	}
	add(&sb, " FROM ");
	add_ident(&sb, ds->name);
	add(&sb, ") s) TO STDOUT");
	strbuf_addc(&sb, '\0');
	r = PQexec(g->conn, sb.s);
	if (PQresultStatus(r) != PGRES_COPY_OUT)
		check(g, r, "dump: shard");
	PQclear(r);
	while ((n = PQgetCopyData(g->conn, &buf, 0)) > 0) {
		if (split_row(g, buf, n, f, flen, nf) != 0)
			errx(NC_FAIL, "error: postgresql: dump: a row not as expected");
		PQfreemem(buf);
		for (int i = 0; i < ds->nkeys; i++) {
			row.key[i] = f[i];
			row.keylen[i] = flen[i];
		}
		if (store_shard_hash(ds, &row) % d->shard_n == d->shard_k - 1) {
			copy_field(&keep, f[ds->nkeys], flen[ds->nkeys]);
			strbuf_addc(&keep, '\n');
		}
	}
	if (n == -2)
		die(g, "dump: shard");
	while ((r = PQgetResult(g->conn)) != NULL) {
		check(g, r, "dump: shard");
		PQclear(r);
	}
	exec(g, "DROP TABLE IF EXISTS nc_shard;"
	    "CREATE TEMPORARY TABLE nc_shard (series text COLLATE \"C\")");
	r = PQexec(g->conn, "COPY nc_shard FROM STDIN");
	if (PQresultStatus(r) != PGRES_COPY_IN)
		check(g, r, "dump: shard");
	PQclear(r);
	if ((keep.len > 0 && PQputCopyData(g->conn, keep.s, (int)keep.len) != 1) ||
	    PQputCopyEnd(g->conn, NULL) != 1)
		die(g, "dump: shard");
	while ((r = PQgetResult(g->conn)) != NULL) {
		check(g, r, "dump: shard");
		PQclear(r);
	}
	exec(g, "ANALYZE nc_shard");
	strbuf_release(&sb);
	strbuf_release(&keep);
}

static void
pg_dump(struct store *s, const struct store_dump *d, store_row_fn *fn, void *ctx)
{
	struct pg *g = (struct pg *)s;
	const struct store_dataset *ds = d->ds;
	struct strbuf sb = { 0 };
	struct store_row row;
	const char *f[STORE_MAX_KEYS + 2];
	size_t flen[STORE_MAX_KEYS + 2];
	int nk = d->want_keys ? ds->nkeys : 0, nf = nk + 1, n;
	char *buf;
	PGresult *r;

	memset(&row, 0, sizeof(row));
	/* Rows: [key columns (--shard),] record. */
	add(&sb, "COPY (SELECT ");
	for (int i = 0; i < nk; i++) {
		add_ident(&sb, ds->keys[i]);
		add(&sb, ", ");
	}
	if (d->shard_n > 1)
		shard_series(g, d);
	add(&sb, "record FROM ");
	add_ident(&sb, ds->name);
	add(&sb, " WHERE true");
	if (d->shard_n > 1) {
		add(&sb, " AND ");
		add_series_text(&sb, ds, "");
		add(&sb, " IN (SELECT series FROM nc_shard)");
	}
	if (d->since) {
		add(&sb, " AND date >= ");
		add_literal(g, &sb, d->since);
	}
	if (d->until) {
		add(&sb, " AND date <= ");
		add_literal(g, &sb, d->until);
	}
	if (d->partition) {
		add(&sb, " AND _partition = ");
		add_literal(g, &sb, d->partition);
	}
	for (int i = 0; i < d->nw; i++) {
		/* -w key=null: a null key too, as on the other fields. */
		add(&sb, " AND (");
		add_ident(&sb, d->wcol[i]);
		add(&sb, " = ");
		add_literal(g, &sb, d->wval[i]);
		if (strcmp(d->wval[i], "null") == 0) {
			add(&sb, " OR ");
			add_ident(&sb, d->wcol[i]);
			add(&sb, " IS NULL");
		}
		add(&sb, ")");
	}
	/* Columns are COLLATE "C": byte by byte, as in SQLite. */
	add(&sb, " ORDER BY ");
	for (int i = 0; i < ds->nkeys; i++) {
		add_ident(&sb, ds->keys[i]);
		add(&sb, " NULLS FIRST, ");
	}
	if (!ds->date_is_key)
		add(&sb, "date NULLS FIRST, ");
	add(&sb, "_seq) TO STDOUT");
	strbuf_addc(&sb, '\0');
	r = PQexec(g->conn, sb.s);
	if (PQresultStatus(r) != PGRES_COPY_OUT)
		check(g, r, "dump");
	PQclear(r);
	strbuf_release(&sb);
	while ((n = PQgetCopyData(g->conn, &buf, 0)) > 0) {
		if (split_row(g, buf, n, f, flen, nf) != 0)
			errx(NC_FAIL, "error: postgresql: dump: a row not as expected");
		PQfreemem(buf);
		for (int i = 0; i < nk; i++) {
			row.key[i] = f[i];
			row.keylen[i] = flen[i];
		}
		row.record = f[nk];
		row.len = flen[nk];
		fn(ctx, &row);
	}
	if (n == -2)
		die(g, "dump");
	while ((r = PQgetResult(g->conn)) != NULL) {
		check(g, r, "dump");
		PQclear(r);
	}
}

static void
pg_close(struct store *s)
{
	struct pg *g = (struct pg *)s;

	PQfinish(g->conn);
	strbuf_release(&g->copy);
	strbuf_release(&g->row);
	free(g);
}

static const struct store_ops pg_ops = {
	.load_begin = pg_load_begin,
	.load_put = pg_load_put,
	.load_commit = pg_load_commit,
	.dataset = pg_dataset,
	.dump = pg_dump,
	.query = pg_query,
	.has_tables = pg_has_tables,
	.close = pg_close,
};

struct store *
store_pg_open(const char *conninfo)
{
	struct pg *g = xcalloc(1, sizeof(*g));

	g->base.ops = &pg_ops;
	g->base.kind = "postgresql";
	/* The URI may hold a password: it is never printed. */
	g->conn = PQconnectdb(conninfo);
	if (g->conn == NULL || PQstatus(g->conn) != CONNECTION_OK)
		die(g, "connect");
	PQclear(execp(g, "SET client_min_messages = warning", 0, NULL));
	return &g->base;
}
