/*
 * nc-store: the Bronze/Silver/Gold warehouse: named datasets of NDJSON
 * records, loaded by partition and key, dumped in key order, in SQLite
 * (a file) or PostgreSQL (a postgresql:// URI).  See nc-store(1).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "date.h"
#include "flat.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "store.h"
#include "store_tool.h"

static const char synopsis[] =
    "usage: nc-store load [-v] [-d db] [-p partition] [-k keys] [-m max]\n"
    "                     [-r rejects] dataset\n"
    "       nc-store dump [-d db] [-p partition] [--since date] [--until date]\n"
    "                     [-w field=value] ... [--shard k/n] dataset\n"
    "       nc-store ls [-d db] [dataset]\n"
    "       nc-store -h | -V\n"
    "\n"
    "Keyed, partitioned datasets of records in SQLite or PostgreSQL.\n"
    "  load                  read records on stdin into dataset\n"
    "  dump                  write dataset's records on stdout, in key order\n"
    "  ls                    the datasets, or one dataset's partitions and loads\n"
    "  -d db                 the store: a SQLite file or a postgresql:// URL\n"
    "                        (default: NC_DB; never a password)\n"
    "  -k keys               load: the key fields (upsert on them)\n"
    "  -p partition          load: replace this partition; dump: only it\n"
    "  -m max                load: rejects set aside before the load fails\n"
    "  -r file               load: write rejected records there\n"
    "  -v                    load: a summary on stderr\n"
    "  -w field=value        dump: only records with field = value (repeatable)\n"
    "      --since date      dump: records dated from date\n"
    "      --until date      dump: records dated up to date\n"
    "      --shard k/n       dump: the k-th of n shards of the series (by key)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "See nc-store(1).\n";

static void
usage(void)
{
	nc_usage(synopsis, 0);
}

static int
is_pg(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

/*
 * Refuse a password in -d (postgresql://user:pw@... or ?password=...): it
 * would show in ps(1) and in shell histories; libpq reads PGPASSWORD and
 * ~/.pgpass instead.  NC_DB, from the environment, may hold one.
 */
static void
refuse_password(const char *db)
{
	char *emsg = NULL;
	PQconninfoOption *opts;

	if (!is_pg(db))
		return;
	if ((opts = PQconninfoParse(db, &emsg)) == NULL) {
		PQfreemem(emsg);
		warnx("error: -d: not a valid postgresql:// URL");
		usage();
	}
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL) {
			PQconninfoFree(opts);
			warnx("error: -d: a password on the command line is refused; "
			    "use PGPASSWORD or ~/.pgpass (see libpq's documentation)");
			usage();
		}
	}
	PQconninfoFree(opts);
}

/*
 * The database as messages name it: a URL without its password and its
 * parameters ("postgresql://u:***@host/db?..."); a file name as it is.
 */
static const char *
db_shown(const char *db)
{
	static char buf[1024];
	const char *auth, *end, *at = NULL, *colon = NULL;

	if (!is_pg(db))
		return db;
	auth = strstr(db, "://") + 3;
	end = auth + strcspn(auth, "?");
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon != NULL)
		snprintf(buf, sizeof(buf), "%.*s***%.*s", (int)(colon + 1 - db), db,
		    (int)strcspn(at, "?"), at);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(db, "?"), db);
	if (strchr(db, '?') != NULL && strlen(buf) + 4 < sizeof(buf))
		strcat(buf, "?...");
	return buf;
}

/* The database: -d (never with a password), else NC_DB. */
static const char *
database(const char *d)
{
	if (d != NULL)
		refuse_password(d);
	else
		d = getenv("NC_DB");
	if (d == NULL || *d == '\0') {
		warnx("error: no database: give -d or set NC_DB");
		usage();
	}
	return d;
}

/* For dump and ls: a SQLite file must exist (no empty file is made). */
static struct store *
open_existing(const char *db)
{
	if (strstr(db, "://") == NULL && access(db, F_OK) != 0)
		err(NC_FAIL, "error: %s", db);
	return store_open(db);
}

static void
check_dataset(const char *name)
{
	if (!store_valid_dataset(name))
		errx(NC_USAGE, "not a valid dataset name: '%s' "
		    "(lower-case letters, digits and '_', not starting with nc_)", name);
}

/*
 * SQL names ignore case (SQLite's always, PostgreSQL's unquoted): key
 * fields that differ only in case, or from the date and record columns,
 * would be one column.  A usage error, like any other bad -k.
 */
static void
check_key_case(const struct store_dataset *ds)
{
	static const char *const cols[] = { "date", "record" };

	for (int i = 0; i < ds->nkeys; i++) {
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
			if (strcasecmp(ds->keys[i], cols[c]) == 0 &&
			    strcmp(ds->keys[i], cols[c]) != 0)
				errx(NC_USAGE, "-k: key field '%s' differs from the "
				    "column '%s' only in case", ds->keys[i], cols[c]);
		for (int j = 0; j < i; j++)
			if (strcasecmp(ds->keys[i], ds->keys[j]) == 0)
				errx(NC_USAGE, "-k: key fields '%s' and '%s' differ only "
				    "in case", ds->keys[j], ds->keys[i]);
	}
}

static int
cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *keys = NULL, *reject_path = NULL;
	struct store_load spec = { .partition = NULL };
	struct store_dataset given = { .nkeys = 0 };
	struct store_input in;
	struct store_loader ld;
	struct rejects rej;
	struct store *s;
	long max_rejects = 0;
	int ch, max_given = 0;
	char why[256];
	long long load_id;

	while ((ch = getopt_long(argc, argv, "+d:hk:m:p:r:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			nc_usage(synopsis, 1);
		case 'k':
			keys = optarg;
			break;
		case 'm':
			max_rejects = nc_parse_long(optarg, 0, LONG_MAX, "-m");
			max_given = 1;
			break;
		case 'p':
			spec.partition = optarg;
			if (*optarg == '\0')
				errx(NC_USAGE, "-p: empty partition");
			break;
		case 'r':
			reject_path = optarg;
			break;
		case 'v':
			nc_verbose++;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		nc_usage_error(synopsis, "give one dataset");
	spec.dataset = argv[optind];
	check_dataset(spec.dataset);
	if (keys != NULL) {
		if (store_keys_split(&given, keys, why, sizeof(why)) != 0)
			errx(NC_USAGE, "-k: %s", why);
		if (given.nkeys == 0)
			errx(NC_USAGE, "-k: no key fields");
		check_key_case(&given);
		spec.keys = given.keys;
		spec.nkeys = given.nkeys;
		spec.keys_given = 1;
	}
	db = database(db);
	(void)max_given;
	rejects_open(&rej, reject_path, max_rejects);

	s = store_open(db);
	store_input_open(&in, STDIN_FILENO);
	store_loader_begin(&ld, s, &spec, &rej, max_rejects);
	if (store_loader_input(&ld, &in, "stdin") != 0) {
		rejects_close(&rej);
		/* Exit without COMMIT: the database rolls back. */
		errx(NC_FAIL, "error: %s: nothing loaded", spec.dataset);
	}
	(void)rejects_close(&rej);
	load_id = store_loader_commit(&ld, &in);
	if (nc_verbose)
		fprintf(stderr, "%s: %s: load %lld: %llu loaded, %lu rejected\n",
		    nc_progname, spec.dataset, load_id, ld.rows, rej.count);
	store_close(s);
	store_dataset_release(&spec.ds);
	store_dataset_release(&given);
	store_loader_release(&ld);
	store_input_release(&in);
	return NC_OK;
}

static int
is_key(const struct store_dataset *ds, const char *name)
{
	if (strcmp(name, "date") == 0)
		return 1;
	for (int i = 0; i < ds->nkeys; i++)
		if (strcmp(ds->keys[i], name) == 0)
			return 1;
	return 0;
}

static int
cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "shard", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_dataset ds = { .nkeys = 0 };
	struct store_dump spec = { .ds = &ds };
	struct store_dumper d = { .ds = &ds };
	const char *db = NULL, *wkey[32], *wval[32], *name;
	char *wbuf[32];
	int ch, nw = 0;
	long day;
	struct store *s;

	while ((ch = getopt_long(argc, argv, "+d:hp:w:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			nc_usage(synopsis, 1);
		case 'p':
			spec.partition = optarg;
			break;
		case 'w': {
			char *eq = strchr(optarg, '=');

			if (eq == NULL || eq == optarg)
				errx(NC_USAGE, "-w: not field=value: '%s'", optarg);
			if (nw == 32)
				errx(NC_USAGE, "-w: more than 32");
			wbuf[nw] = xstrdup(optarg);
			wbuf[nw][eq - optarg] = '\0';
			wkey[nw] = wbuf[nw];
			wval[nw] = wbuf[nw] + (eq - optarg) + 1;
			nw++;
			break;
		}
		case 'S':
		case 'U':
			if (date_parse(optarg, &day) != 0 || strlen(optarg) != 10 || optarg[4] != '-')
				errx(NC_USAGE, "--%s: not a date (YYYY-MM-DD): '%s'",
				    ch == 'S' ? "since" : "until", optarg);
			if (ch == 'S')
				spec.since = optarg;
			else
				spec.until = optarg;
			break;
		case 'H': {
			char *end;

			errno = 0;
			d.shard_k = strtoul(optarg, &end, 10);
			if (end == optarg || *end != '/' || optarg[0] == '-')
				errx(NC_USAGE, "--shard: not k/n: '%s'", optarg);
			d.shard_n = strtoul(end + 1, &end, 10);
			if (*end != '\0' || errno != 0 || d.shard_n == 0 ||
			    d.shard_k < 1 || d.shard_k > d.shard_n)
				errx(NC_USAGE, "--shard: not k/n with 1 <= k <= n: '%s'", optarg);
			break;
		}
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		nc_usage_error(synopsis, "give one dataset");
	name = argv[optind];
	check_dataset(name);
	db = database(db);
	s = open_existing(db);
	if (!s->ops->dataset(s, name, &ds))
		errx(NC_FAIL, "error: %s: no dataset '%s'", db_shown(db), name);
	if (d.shard_n > 0) {
		int series = 0;

		for (int i = 0; i < ds.nkeys; i++)
			series += strcmp(ds.keys[i], "date") != 0;
		if (series == 0)
			errx(NC_USAGE, "--shard: dataset '%s' has no key fields "
			    "other than date", name);
	}
	for (int i = 0; i < nw; i++) {
		if (is_key(&ds, wkey[i])) {
			spec.wcol[spec.nw] = wkey[i];
			spec.wval[spec.nw++] = wval[i];
		} else {
			d.wkey[d.nw] = wkey[i];
			d.wval[d.nw++] = wval[i];
		}
	}
	flat_init(&d.fl, d.fbuf, 64);
	json_object_seed(0);
	spec.want_keys = d.shard_n > 0;
	spec.shard_k = d.shard_k;
	spec.shard_n = d.shard_n;
	s->ops->dump(s, &spec, store_dump_row, &d);
	store_dump_flush(&d);
	strbuf_release(&d.buf);
	nc_close_stdout();
	if (nc_verbose)
		fprintf(stderr, "%s: %s: %llu records\n", nc_progname, name, d.out);
	store_close(s);
	flat_release(&d.fl);
	store_dataset_release(&ds);
	for (int i = 0; i < nw; i++)
		free(wbuf[i]);
	return NC_OK;
}

/* ls: the result of a query as records, with the named fields. */
struct lister {
	const char *kind;
	const char *const *names;   /* a leading '#' marks a number */
	const char *dataset;
	struct strbuf sb;
	char **rows;                /* the first column, when collecting */
	size_t nrows;
	int collect;
};

static void
ls_row(void *ctx, int ncols, const char *const *val)
{
	struct lister *l = ctx;

	if (l->collect) {
		l->rows = xrealloc(l->rows, (l->nrows + 1) * sizeof(*l->rows));
		l->rows[l->nrows++] = xstrdup(val[0]);
		return;
	}
	l->sb.len = 0;
	strbuf_add(&l->sb, "{\"kind\":", 8);
	ndjson_dump_string(&l->sb, l->kind, strlen(l->kind));
	for (int i = 0; i < ncols && l->names[i] != NULL; i++) {
		const char *n = l->names[i];
		int num = n[0] == '#', list = n[0] == '@';

		n += num || list;
		strbuf_addc(&l->sb, ',');
		ndjson_dump_string(&l->sb, n, strlen(n));
		strbuf_addc(&l->sb, ':');
		if (val[i] == NULL)
			strbuf_add(&l->sb, "null", 4);
		else if (num)
			strbuf_add(&l->sb, val[i], strlen(val[i]));
		else if (list) {
			/* "a,b" as ["a","b"] */
			const char *p = val[i];

			strbuf_addc(&l->sb, '[');
			while (*p) {
				size_t k = strcspn(p, ",");
				ndjson_dump_string(&l->sb, p, k);
				p += k;
				if (*p == ',') {
					strbuf_addc(&l->sb, ',');
					p++;
				}
			}
			strbuf_addc(&l->sb, ']');
		} else
			ndjson_dump_string(&l->sb, val[i], strlen(val[i]));
	}
	strbuf_add(&l->sb, "}\n", 2);
	nc_write(stdout, l->sb.s, l->sb.len);
}

static void
ls_dataset(struct store *s, const char *name)
{
	static const char *const dnames[] = { "dataset", "@keys", "#rows", "#partitions",
		"#loads", "last_loaded_at", NULL };
	static const char a[] = "SELECT d.dataset, d.keys, (SELECT count(*) FROM \"";
	static const char b[] = "\"), (SELECT count(DISTINCT _partition) FROM \"";
	static const char c[] = "\"), (SELECT count(*) FROM nc_loads WHERE dataset = $1),"
	    " (SELECT max(loaded_at) FROM nc_loads WHERE dataset = $1)"
	    " FROM nc_datasets d WHERE d.dataset = $1";
	struct lister l = { .kind = "dataset", .names = dnames };
	struct strbuf sql = { 0 };
	const char *p[1] = { name };

	strbuf_add(&sql, a, sizeof(a) - 1);
	strbuf_add(&sql, name, strlen(name));
	strbuf_add(&sql, b, sizeof(b) - 1);
	strbuf_add(&sql, name, strlen(name));
	strbuf_add(&sql, c, sizeof(c));
	s->ops->query(s, sql.s, 1, p, ls_row, &l);
	strbuf_release(&l.sb);
	strbuf_release(&sql);
}

static void
ls_detail(struct store *s, const char *name)
{
	static const char *const pnames[] = { "dataset", "partition", "#rows",
		"min_date", "max_date", NULL };
	static const char *const lnames[] = { "dataset", "#load_id", "partition",
		"#rows", "#rejected", "sha256", "source", "extracted_at", "loaded_at",
		"schema_version", "program_version", NULL };
	struct lister l = { .kind = "partition", .names = pnames };
	struct strbuf sql = { 0 };
	const char *p[1] = { name };
	static const char head[] = "SELECT $1, _partition, count(*), min(date), max(date) FROM \"";
	static const char tail[] = "\" GROUP BY _partition ORDER BY _partition IS NOT NULL, _partition";

	strbuf_add(&sql, head, sizeof(head) - 1);
	strbuf_add(&sql, name, strlen(name));
	strbuf_add(&sql, tail, sizeof(tail));
	s->ops->query(s, sql.s, 1, p, ls_row, &l);
	l.kind = "load";
	l.names = lnames;
	s->ops->query(s, "SELECT dataset, load_id, partition, rows, rejected, sha256,"
	    " source, extracted_at, loaded_at, schema_version, program_version"
	    " FROM nc_loads WHERE dataset = $1 ORDER BY load_id", 1, p, ls_row, &l);
	strbuf_release(&l.sb);
	strbuf_release(&sql);
}

static int
cmd_ls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	struct store *s;
	int ch;

	while ((ch = getopt_long(argc, argv, "+d:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			nc_usage(synopsis, 1);
		default:
			usage();
		}
	}
	if (argc - optind > 1)
		nc_usage_error(synopsis, "unexpected argument '%s'", argv[optind + 1]);
	if (argc - optind == 1)
		check_dataset(argv[optind]);
	db = database(db);
	s = open_existing(db);
	if (argc - optind == 1) {
		struct store_dataset ds = { .nkeys = 0 };

		if (!s->ops->dataset(s, argv[optind], &ds))
			errx(NC_FAIL, "error: %s: no dataset '%s'", db_shown(db), argv[optind]);
		store_dataset_release(&ds);
		ls_dataset(s, argv[optind]);
		ls_detail(s, argv[optind]);
	} else if (s->ops->has_tables(s)) {
		struct lister l = { .collect = 1 };

		s->ops->query(s, "SELECT dataset FROM nc_datasets ORDER BY dataset",
		    0, NULL, ls_row, &l);
		for (size_t i = 0; i < l.nrows; i++) {
			ls_dataset(s, l.rows[i]);
			free(l.rows[i]);
		}
		free(l.rows);
	}
	nc_close_stdout();
	store_close(s);
	return NC_OK;
}

int
main(int argc, char *argv[])
{
	const char *cmd;

	nc_init(argv[0]);
	if (argc < 2)
		nc_usage_error(synopsis, "give a command: load, dump or ls");
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		nc_usage(synopsis, 1);
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
		nc_print_version();
	optind = 1;
	/* getopt(3) names argv[0] in its messages: "nc-store: error". */
	argv[1] = argv[0];
	if (strcmp(cmd, "load") == 0)
		return cmd_load(argc - 1, argv + 1);
	if (strcmp(cmd, "dump") == 0)
		return cmd_dump(argc - 1, argv + 1);
	if (strcmp(cmd, "ls") == 0)
		return cmd_ls(argc - 1, argv + 1);
	warnx("error: unknown command: '%s'", cmd);
	usage();
}
