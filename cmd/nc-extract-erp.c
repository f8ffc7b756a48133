/*
 * nc-extract-erp: rows of the ERP's PostgreSQL database as NDJSON records,
 * streamed through a server-side cursor, optionally incremental on a
 * bookmark column.  See nc-extract-erp(1).
 *
 * The query (the seed's, or -q FILE) runs in a read-only transaction as
 * a cursor, fetched --fetch rows at a time, so memory does not grow with
 * the result; each batch is written and flushed before the next FETCH.
 * Values are turned into JSON by their column type (lib/pgrecord.c).  The
 * new state (-S) is written only once every record is out.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "date.h"
#include "nc.h"
#include "ndjson.h"
#include "pgrecord.h"
#include "state.h"

static const char synopsis[] =
    "usage: nc-extract-erp [-v] [-d conninfo] [-q query] [--date date]\n"
    "                      [--since date] [--until date] [--bookmark column]\n"
    "                      [-s state] [--new-state file] [--stream name]\n"
    "                      [--now timestamp] [--connect-timeout seconds]\n"
    "                      [--statement-timeout ms] [--fetch rows] [--retries n]\n"
    "\n"
    "Rows of the ERP database (PostgreSQL) as item-day records.\n"
    "  -d conninfo              the database: postgresql:// URI or key=value\n"
    "                           (default: PG* variables; never a password)\n"
    "  -q file                  run the SQL in file (default: the item-day query)\n"
    "  -s, --state file         read the saved bookmark state\n"
    "  -v                       the record count on stderr; -vv the statement\n"
    "      --new-state file     write the new state there (atomic rename)\n"
    "      --bookmark column    extract incrementally on column\n"
    "      --stream name        the stream's name in the state file\n"
    "      --date date          extract this day\n"
    "      --since date         the first day of the range\n"
    "      --until date         the last day of the range\n"
    "      --now time           the run's start time (RFC 3339)\n"
    "      --connect-timeout s  give up connecting after s seconds\n"
    "      --statement-timeout ms  cancel a statement running longer\n"
    "      --fetch rows         rows per FETCH (default 5000)\n"
    "      --retries n          connection attempts when the server is not up\n"
    "  -h, --help               this help\n"
    "  -V, --version            the version\n"
    "Old spelling, kept for one release: -S (now --new-state).\n"
    "See nc-extract-erp(1).\n";

/* The seed's query (extract_erp); the date filter is added to it. */
static const char seed_query[] =
    "SELECT item_id, item_name, category, family, supplier_id, cost, quantity,\n"
    "       current_stock, lead_time_days, date, created_at\n"
    "FROM items";
static const char seed_where[] = "\nWHERE date >= $1 AND date <= $2";

#define CURSOR "nc_extract_erp"

struct opts {
	const char *conninfo;       /* -d */
	const char *query_path;     /* -q */
	const char *state_in;       /* -s */
	const char *state_out;      /* -S */
	const char *bookmark;       /* --bookmark */
	const char *stream;         /* --stream */
	const char *connect_timeout;
	long statement_timeout;     /* ms; -1: the server's */
	long fetch;
	long retries;               /* --retries: more attempts to connect */
	char since[DATE_BUFSZ + 8]; /* "$1": a date or "-infinity" */
	char until[DATE_BUFSZ + 8]; /* "$2": a date or "infinity" */
	char now[TS_BUFSZ];         /* the run's start: a timestamp bookmark's cap */
	char yesterday[DATE_BUFSZ]; /* the last whole day: a date bookmark's cap */
};

/* libpq's message on one line, without its final newline. */
static const char *
one_line(const char *msg)
{
	static char buf[1024];
	size_t n = 0;

	for (; *msg != '\0' && n < sizeof(buf) - 1; msg++) {
		char c = *msg;

		if (c == '\n' || c == '\t')
			c = ' ';
		if (c == ' ' && (n == 0 || buf[n - 1] == ' '))
			continue;
		buf[n++] = c;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

static void __attribute__((noreturn))
die_pq(PGconn *conn, const char *what)
{
	char *msg = xstrdup(one_line(PQerrorMessage(conn)));

	PQfinish(conn);
	errx(NC_FAIL, "error: %s: %s", what, msg);
}

/* A result that is not status is fatal, with the server's message. */
static void
check_result(PGconn *conn, PGresult *res, ExecStatusType status, const char *what)
{
	if (res != NULL && PQresultStatus(res) == status)
		return;
	if (res != NULL && PQresultErrorMessage(res)[0] != '\0') {
		char *msg = xstrdup(one_line(PQresultErrorMessage(res)));

		PQclear(res);
		PQfinish(conn);
		errx(NC_FAIL, "error: %s: %s", what, msg);
	}
	PQclear(res);
	die_pq(conn, what);
}

/*
 * Refuse a password in -d (password=... or postgresql://user:pw@...): it
 * would show in ps(1) and in shell histories.
 */
static void
refuse_password(const char *conninfo)
{
	char *emsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &emsg);

	if (opts == NULL) {
		warnx("error: -d: %s", emsg ? one_line(emsg) : "cannot parse the connection string");
		PQfreemem(emsg);
		nc_usage(synopsis, 0);
	}
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL) {
			PQconninfoFree(opts);
			warnx("error: -d: a password on the command line is refused; "
			    "use PGPASSWORD or ~/.pgpass (see libpq's documentation)");
			nc_usage(synopsis, 0);
		}
	}
	PQconninfoFree(opts);
}

static PGconn *
connect_db(const struct opts *o)
{
	const char *kw[6], *val[6];
	int n = 0;
	PGconn *conn;
	PGresult *res;

	if (o->conninfo != NULL) {
		kw[n] = "dbname";
		val[n++] = o->conninfo;
	}
	kw[n] = "fallback_application_name";
	val[n++] = "nc-extract-erp";
	kw[n] = "client_encoding";
	val[n++] = "UTF8";
	if (o->connect_timeout != NULL) {
		kw[n] = "connect_timeout";
		val[n++] = o->connect_timeout;
	}
	kw[n] = NULL;
	val[n] = NULL;
	for (int attempt = 0, again = 0;; attempt++) {
		unsigned wait = attempt < 5 ? 1u << attempt : 30;   /* 1 2 4 8 16 30 s */
		PGPing ping;

		conn = PQconnectdbParams(kw, val, 1);
		if (conn == NULL)
			errx(NC_FAIL, "error: connect: out of memory");
		if (PQstatus(conn) == CONNECTION_OK)
			break;
		if (attempt >= o->retries)
			die_pq(conn, "connect");
		/* Retry only a server that does not answer or does not accept
		 * connections yet, never a refused login. */
		ping = PQpingParams(kw, val, 1);
		if (ping == PQPING_OK && attempt > 0 && !again) {
			/* The server was down and answers now: it came up
			 * between the failed connection and the ping. Once
			 * more at once; failing again with the server up is a
			 * refused login or a missing database. */
			again = 1;
			PQfinish(conn);
			attempt--;
			continue;
		}
		if (ping != PQPING_NO_RESPONSE && ping != PQPING_REJECT)
			die_pq(conn, "connect");
		warnx("connect: %s; retrying in %u s", one_line(PQerrorMessage(conn)), wait);
		PQfinish(conn);
		sleep(wait);
	}
	/* Timestamps in UTC, dates as YYYY-MM-DD, floats in shortest form. */
	res = PQexec(conn, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
	    "SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 1");
	check_result(conn, res, PGRES_COMMAND_OK, "session set-up");
	PQclear(res);
	if (o->statement_timeout >= 0) {
		char ms[32];
		const char *p[1] = { ms };

		snprintf(ms, sizeof(ms), "%ld", o->statement_timeout);
		res = PQexecParams(conn, "SELECT set_config('statement_timeout', $1, false)",
		    1, NULL, p, NULL, NULL, 0);
		check_result(conn, res, PGRES_TUPLES_OK, "statement timeout");
		PQclear(res);
	}
	return conn;
}

/* The text of -q FILE, without trailing white space and semicolons. */
static char *
read_query(const char *path)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		err(NC_FAIL, "error: %s", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(fp))
		err(NC_FAIL, "error: %s", path);
	fclose(fp);
	while (sb.len > 0 && strchr(" \t\r\n;", sb.s[sb.len - 1]) != NULL)
		sb.len--;
	if (sb.len == 0)
		errx(NC_FAIL, "error: %s: empty query", path);
	sb.s[sb.len] = '\0';
	return sb.s;
}

/* The stream name of -q FILE: its base name without ".sql". */
static char *
stream_of(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".sql") == 0)
		n -= 4;
	return xstrndup(b, n);
}

static void
adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

/* The query of the run: -q FILE's, or the seed's with its date filter. */
static char *
query_text(const struct opts *o, int date_filter)
{
	struct strbuf sb = { 0 };

	if (o->query_path != NULL)
		return read_query(o->query_path);
	adds(&sb, seed_query);
	if (date_filter)
		adds(&sb, seed_where);
	return sb.s;
}

/* How the bookmark is capped at the run's start, by its column's type. */
enum cap { CAP_NONE, CAP_DAY, CAP_TIME };

/*
 * The type of the query's --bookmark column, from the server's description
 * of the query (not run); a query that lacks the column is fatal.
 */
static enum cap
bookmark_cap(PGconn *conn, const char *query, const Oid *types, const char *column)
{
	PGresult *res = PQprepare(conn, "", query, 2, types);
	int n;

	check_result(conn, res, PGRES_COMMAND_OK, "query");
	PQclear(res);
	res = PQdescribePrepared(conn, "");
	check_result(conn, res, PGRES_COMMAND_OK, "query");
	n = PQnfields(res);
	for (int i = 0; i < n; i++) {
		if (strcmp(PQfname(res, i), column) == 0) {
			Oid t = PQftype(res, i);

			PQclear(res);
			if (t == PGOID_DATE)
				return CAP_DAY;
			if (t == PGOID_TIMESTAMP || t == PGOID_TIMESTAMPTZ)
				return CAP_TIME;
			return CAP_NONE;
		}
	}
	PQclear(res);
	PQfinish(conn);
	errx(NC_FAIL, "error: --bookmark: the query has no column '%s'", column);
}

/*
 * The statement: DECLARE a cursor for the query, wrapped in the bookmark
 * filter when there is one.  $1 and $2 are the dates; the cap and the
 * saved bookmark (typed as the column) are $3 and $4, or whichever of
 * them there is is $3.
 */
static char *
build_statement(PGconn *conn, const char *query, const char *bookmark, int cap,
    int has_saved)
{
	struct strbuf sb = { 0 };
	char *col;

	adds(&sb, "DECLARE " CURSOR " NO SCROLL CURSOR FOR ");
	if (bookmark == NULL) {
		adds(&sb, query);
		return sb.s;
	}
	col = PQescapeIdentifier(conn, bookmark, strlen(bookmark));
	if (col == NULL)
		die_pq(conn, "--bookmark");
	adds(&sb, "SELECT * FROM (\n");
	adds(&sb, query);
	adds(&sb, "\n) AS nc_q WHERE nc_q.");
	adds(&sb, col);
	adds(&sb, " IS NOT NULL");
	if (cap) {
		adds(&sb, " AND nc_q.");
		adds(&sb, col);
		adds(&sb, " <= $3");
	}
	if (has_saved) {
		adds(&sb, " AND nc_q.");
		adds(&sb, col);
		adds(&sb, cap ? " > $4" : " > $3");
	}
	adds(&sb, " ORDER BY nc_q.");
	adds(&sb, col);
	PQfreemem(col);
	return sb.s;
}

/* Flush stdout after a batch; a failure is fatal, EPIPE a SIGPIPE. */
static void
flush_out(void)
{
	if (fflush(stdout) != 0) {
		if (errno == EPIPE)
			raise(SIGPIPE);
		err(NC_FAIL, "write error");
	}
}

struct run {
	struct pgrec_cols cols;
	int have_cols;
	long bookmark_col;          /* index of --bookmark in the result, or -1 */
	struct strbuf last;         /* JSON of the last row's bookmark */
	unsigned long long rows;
};

/* Write the rows of one FETCH; returns how many there were. */
static int
write_batch(PGconn *conn, PGresult *res, struct run *r, const struct opts *o,
    struct strbuf *sb)
{
	int nrows = PQntuples(res), ncols = PQnfields(res);
	char why[256];

	if (!r->have_cols) {
		const char **names = xcalloc((size_t)ncols, sizeof(*names));
		unsigned int *oids = xcalloc((size_t)ncols, sizeof(*oids));

		for (int i = 0; i < ncols; i++) {
			names[i] = PQfname(res, i);
			oids[i] = PQftype(res, i);
			if (o->bookmark != NULL && strcmp(names[i], o->bookmark) == 0)
				r->bookmark_col = i;
		}
		if (pgrec_cols_init(&r->cols, (size_t)ncols, names, oids, why, sizeof(why)) != 0) {
			PQclear(res);
			PQfinish(conn);
			errx(NC_FAIL, "error: %s", why);
		}
		free(names);
		free(oids);
		r->have_cols = 1;
	}
	for (int row = 0; row < nrows; row++) {
		sb->len = 0;
		strbuf_addc(sb, '{');
		for (int i = 0; i < ncols; i++) {
			pgrec_append_key(sb, &r->cols, (size_t)i);
			pgrec_append_value(sb, r->cols.kind[i],
			    PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i),
			    (size_t)PQgetlength(res, row, i));
		}
		strbuf_add(sb, "}\n", 2);
		nc_write(stdout, sb->s, sb->len);
	}
	if (nrows > 0 && r->bookmark_col >= 0) {
		int i = (int)r->bookmark_col, row = nrows - 1;

		r->last.len = 0;
		pgrec_append_value(&r->last, r->cols.kind[i],
		    PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i),
		    (size_t)PQgetlength(res, row, i));
	}
	r->rows += (unsigned long long)nrows;
	return nrows;
}

/* The saved bookmark as a query parameter: a string's text, else JSON. */
static char *
bookmark_param(const json_t *v)
{
	struct strbuf sb = { 0 };

	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	ndjson_dump(&sb, v);
	return sb.s;
}

/*
 * Run the extraction, writing every record; with --bookmark, set the
 * stream's new bookmark in state (the caller writes it out).
 */
static void
extract(const struct opts *o, json_t *state, const char *stream, int date_filter)
{
	const json_t *saved = o->bookmark ? state_bookmark(state, stream, o->bookmark) : NULL;
	const char *params[4];
	Oid types[4] = { PGOID_DATE, PGOID_DATE, 0, 0 };
	char *saved_text = saved ? bookmark_param(saved) : NULL;
	struct run r = { .bookmark_col = -1 };
	struct strbuf sb = { 0 };
	enum cap cap = CAP_NONE;
	char fetch[64];
	PGconn *conn;
	PGresult *res;
	char *query, *stmt;
	int nparams = 2;

	query = query_text(o, date_filter);
	conn = connect_db(o);
	res = PQexec(conn, "BEGIN READ ONLY");
	check_result(conn, res, PGRES_COMMAND_OK, "begin");
	PQclear(res);
	params[0] = o->since;
	params[1] = o->until;
	if (o->bookmark != NULL) {
		cap = bookmark_cap(conn, query, types, o->bookmark);
		if (cap == CAP_DAY) {
			types[nparams] = PGOID_DATE;
			params[nparams++] = o->yesterday;
		} else if (cap == CAP_TIME) {
			types[nparams] = PGOID_TIMESTAMPTZ;
			params[nparams++] = o->now;
		}
		if (saved_text != NULL)
			params[nparams++] = saved_text;
	}
	stmt = build_statement(conn, query, o->bookmark, cap != CAP_NONE, saved != NULL);
	free(query);
	if (nc_verbose > 1)
		fprintf(stderr, "%s: query: %s\n", nc_progname, stmt);
	res = PQexecParams(conn, stmt, nparams, types, params, NULL, NULL, 0);
	check_result(conn, res, PGRES_COMMAND_OK, "query");
	PQclear(res);
	free(stmt);
	snprintf(fetch, sizeof(fetch), "FETCH %ld FROM " CURSOR, o->fetch);
	for (;;) {
		int n;

		res = PQexec(conn, fetch);
		check_result(conn, res, PGRES_TUPLES_OK, "fetch");
		n = write_batch(conn, res, &r, o, &sb);
		PQclear(res);
		flush_out();
		if (n == 0)
			break;
	}
	res = PQexec(conn, "COMMIT");
	check_result(conn, res, PGRES_COMMAND_OK, "commit");
	PQclear(res);
	PQfinish(conn);
	if (nc_verbose)
		fprintf(stderr, "%s: %llu records from %s\n", nc_progname, r.rows, stream);
	if (r.last.len > 0 && o->bookmark != NULL) {
		json_t *v = json_loadb(r.last.s, r.last.len, JSON_DECODE_ANY, NULL);

		if (v == NULL)   /* e.g. an integer past int64 */
			v = json_stringn(r.last.s, r.last.len);
		state_set_bookmark(state, stream, o->bookmark, v);
	}
	if (r.have_cols)
		pgrec_cols_release(&r.cols);
	strbuf_release(&r.last);
	strbuf_release(&sb);
	free(saved_text);
}

/* A date option as a parameter: "YYYY-MM-DD". */
static void
date_opt(char *dst, const char *arg, const char *what)
{
	long d;

	if (date_parse(arg, &d) != 0) {
		warnx("error: %s: not a date: '%s'", what, arg);
		nc_usage(synopsis, 0);
	}
	date_format(d, dst);
}

/* Long-only options of the toolkit's vocabulary (nc(7)). */
enum { OPT_NEW_STATE = 0x4e00 };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "date", required_argument, NULL, 'D' },
		{ "since", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'U' },
		{ "bookmark", required_argument, NULL, 'B' },
		{ "stream", required_argument, NULL, 'N' },
		{ "now", required_argument, NULL, 'T' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "statement-timeout", required_argument, NULL, 'O' },
		{ "fetch", required_argument, NULL, 'R' },
		{ "retries", required_argument, NULL, 'E' },
		{ "state", required_argument, NULL, 's' },
		{ "new-state", required_argument, NULL, OPT_NEW_STATE },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .statement_timeout = -1, .fetch = 5000 };
	const char *date = NULL, *since = NULL, *until = NULL;
	long long now = (long long)time(NULL);
	char *stream = NULL, why[512];
	json_t *state;
	int ch, date_filter;

	nc_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "d:hq:s:S:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.conninfo = optarg;
			break;
		case 'h':
			nc_usage(synopsis, 1);
		case 'q':
			o.query_path = optarg;
			break;
		case 's':
			o.state_in = optarg;
			break;
		case 'S':
			nc_deprecated("-S", "--new-state");
			/* FALLTHROUGH */
		case OPT_NEW_STATE:
			o.state_out = optarg;
			break;
		case 'v':
			nc_verbose++;
			break;
		case 'V':
			nc_print_version();
		case 'D':
			date = optarg;
			break;
		case 'F':
			since = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		case 'B':
			if (optarg[0] == '\0') {
				warnx("error: --bookmark: empty column name");
				nc_usage(synopsis, 0);
			}
			o.bookmark = optarg;
			break;
		case 'N':
			free(stream);
			stream = xstrdup(optarg);
			break;
		case 'T':
			if (ts_parse(optarg, 0, &now) != 0) {
				warnx("error: --now: not an RFC 3339 timestamp: '%s'", optarg);
				nc_usage(synopsis, 0);
			}
			break;
		case 'C':
			nc_parse_long(optarg, 1, INT_MAX, "--connect-timeout");
			o.connect_timeout = optarg;
			break;
		case 'O':
			o.statement_timeout = nc_parse_long(optarg, 0, INT_MAX, "--statement-timeout");
			break;
		case 'E':
			o.retries = nc_parse_long(optarg, 0, 100, "--retries");
			break;
		case 'R':
			o.fetch = nc_parse_long(optarg, 1, 10000000, "--fetch");
			break;
		default:
			nc_usage(synopsis, 0);
		}
	}
	if (optind != argc) {
		warnx("error: unexpected argument '%s'", argv[optind]);
		nc_usage(synopsis, 0);
	}
	if (date != NULL && (since != NULL || until != NULL)) {
		warnx("error: --date excludes --since and --until");
		nc_usage(synopsis, 0);
	}
	if ((o.state_in != NULL || o.state_out != NULL) && o.bookmark == NULL) {
		warnx("error: -s and --new-state need --bookmark");
		nc_usage(synopsis, 0);
	}
	if (o.conninfo != NULL)
		refuse_password(o.conninfo);

	{
		time_t t = (time_t)now;
		struct tm tm;

		localtime_r(&t, &tm);
		date_format(date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) - 1,
		    o.yesterday);
	}
	/* Dates: --date, or a range with open ends, or yesterday; with
	 * --bookmark and no date option, no date filter. */
	date_filter = 1;
	strcpy(o.since, "-infinity");
	strcpy(o.until, "infinity");
	if (date != NULL) {
		date_opt(o.since, date, "--date");
		strcpy(o.until, o.since);
	} else if (since != NULL || until != NULL) {
		if (since != NULL)
			date_opt(o.since, since, "--since");
		if (until != NULL)
			date_opt(o.until, until, "--until");
	} else if (o.bookmark == NULL) {
		strcpy(o.since, o.yesterday);
		strcpy(o.until, o.yesterday);
	} else {
		date_filter = 0;
	}
	ts_format(now, o.now);
	if (stream == NULL)
		stream = o.query_path ? stream_of(o.query_path) : xstrdup("items");

	if (o.state_in != NULL) {
		if (state_read(o.state_in, &state, why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: -s: %s", why);
	} else {
		state = state_new();
	}

	extract(&o, state, stream, date_filter);

	/* Every record is out and flushed: only now the new state. */
	nc_close_stdout();
	if (o.state_out != NULL && state_write(o.state_out, state, why, sizeof(why)) != 0)
		errx(NC_FAIL, "error: --new-state: %s", why);
	json_decref(state);
	free(stream);
	return NC_OK;
}
