/*
 * nc-csv: CSV rows to NDJSON records and back, with the conventions of
 * Brazilian exports (';', decimal comma, Latin-1).  See nc-csv(1).
 *
 * Reading: each physical line goes, decoded to UTF-8, to libcsv, which
 * calls on_field() for each field and on_row() at the end of each row;
 * the first row of each file names the columns, the others become records.
 * Writing (--to-csv): each NDJSON record becomes a row.
 */
#include <csv.h>
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "text.h"

static const char synopsis[] =
    "usage: nc-csv [-v] [-D cols] [-F delim] [-m max] [-n null] [-r rejects]\n"
    "              [--encoding enc] [--strings cols] [--decimal-comma]\n"
    "              [--header names] [--rename old=new,...] [--skip n] [file ...]\n"
    "       nc-csv --to-csv [-v] [-F delim] [-f fields] [-m max] [-r rejects]\n"
    "              [--decimal-comma] [--excel] [file ...]\n"
    "\n"
    "CSV to NDJSON records, or back with --to-csv, as Brazilian exports write it.\n"
    "  -D, --dates cols       these columns are dates (dd/mm/yyyy -> YYYY-MM-DD)\n"
    "  -F, --delimiter c      the delimiter: one character or 'tab' (default:\n"
    "                         guessed from the header; ',' with --to-csv)\n"
    "  -f, --fields list      with --to-csv: the columns written, in this order\n"
    "  -m max                 rejects allowed before exit status 3 (default 0)\n"
    "  -n, --null s           a cell equal to s is null (repeatable)\n"
    "  -r file                write each rejected row there, with its reason\n"
    "  -v                     a summary of rows in, out, rejected on stderr\n"
    "      --encoding enc     auto (default), utf8 (else reject) or latin1\n"
    "      --strings cols     these columns stay strings (codes like 010164)\n"
    "      --decimal-comma    numbers have a decimal comma: 1.234,5\n"
    "      --header names     the column names; the first row is then data\n"
    "      --rename old=new   rename columns, comma-separated pairs\n"
    "      --skip n           skip the first n lines (metadata above a header)\n"
    "      --to-csv           write CSV from NDJSON records\n"
    "      --excel            with --to-csv: ';', decimal comma, for Excel pt-BR\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n"
    "Old spellings, kept for one release: -d (now -F), -e (--encoding),\n"
    "-s (--strings).  See nc-csv(1).\n";

#define UTF8_BOM "\xef\xbb\xbf"

enum enc { ENC_AUTO, ENC_UTF8, ENC_LATIN1 };

/* A list of names from options such as -s a,b,c (repeatable). */
struct names {
	char **v;
	size_t *len;
	size_t n;
};

struct opts {
	int to_csv, excel, decimal_comma;
	enum enc enc;
	char delim;                     /* 0: detect from the header line */
	long skip;                      /* --skip: lines before the header */
	long max_rejects;
	const char *reject_path;
	struct names header;            /* --header */
	struct names strings, dates;    /* -s, -D */
	struct names nulls;             /* -n */
	struct names rename_old, rename_new;
	struct names fields;            /* -f */
	struct rejects rej;
};

/* ---- Lists of names. ---- */

static void
names_add(struct names *l, const char *s, size_t len)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->len = xrealloc(l->len, (l->n + 1) * sizeof(*l->len));
	l->v[l->n] = xstrndup(s, len);
	l->len[l->n++] = len;
}

/* Add each name of the comma-separated list s. */
static void
names_split(struct names *l, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, ",");

		names_add(l, s, n);
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
}

/* Index of name s in l, or -1. */
static long
names_find(const struct names *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && memcmp(l->v[i], s, len) == 0)
			return (long)i;
	return -1;
}

static void
names_release(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

/* ---- Reading CSV. ---- */

enum kind { K_AUTO, K_STRING, K_DATE };

struct column {
	char *name;       /* the header's name, trimmed and made unique */
	char *key;        /* the record key: name, or its --rename */
	enum kind kind;
	json_t *val;      /* the value in the record (borrowed from it) */
};

struct field {
	size_t off, len;  /* text at reader.fbuf.s + off, NUL-terminated */
};

struct reader {
	struct opts *o;
	struct csv_parser p;
	const char *name;             /* input name, for messages */
	unsigned long lineno;         /* the line being read */
	unsigned long row_line;       /* the line where the current row began */
	int in_row;                   /* a row is open (e.g. in a quoted newline) */
	int have_delim;
	enum enc enc;                 /* ENC_AUTO until the input shows which */
	int seen_multibyte;           /* valid multi-byte UTF-8 was read */
	const char *row_error;        /* why the row is bad before typing, or NULL */
	struct strbuf conv;           /* a line decoded to UTF-8 */
	struct strbuf fbuf;           /* the fields of the row */
	struct field *f;
	size_t nf, fcap;
	struct column *cols;
	size_t ncols;
	int have_header;
	json_t *rec;                  /* reused from row to row */
	unsigned long rows_in, recs_out;
};

/* libcsv: no white space is trimmed, and only '\n' ends a row, since each
 * line arrives without its "\r\n" or "\n" and a bare '\r' is data. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
is_newline(unsigned char c)
{
	return c == '\n';
}

/* s without surrounding blanks: *len updated. */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	while (*len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	return s;
}

static const char *
field_text(const struct reader *r, size_t k)
{
	return r->fbuf.s + r->f[k].off;
}

/* libcsv's field callback: keep the text for on_row(). */
static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;

	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? 2 * r->fcap : 32;
		r->f = xrealloc(r->f, r->fcap * sizeof(*r->f));
	}
	r->f[r->nf].off = r->fbuf.len;
	r->f[r->nf].len = len;
	if (len > 0)
		strbuf_add(&r->fbuf, s, len);
	strbuf_addc(&r->fbuf, '\0');
	r->nf++;
}

/* The row's fields as a JSON array of strings, for the reject file. */
static void
row_reject(struct reader *r, const char *reason)
{
	json_t *a = json_array();

	for (size_t k = 0; k < r->nf; k++)
		json_array_append_new(a, json_stringn_nocheck(field_text(r, k), r->f[k].len));
	reject_record(&r->o->rej, a, NULL, r->name, r->row_line, reason);
	json_decref(a);
}

static void
columns_release(struct reader *r)
{
	for (size_t k = 0; k < r->ncols; k++) {
		free(r->cols[k].name);
		free(r->cols[k].key);
	}
	free(r->cols);
	r->cols = NULL;
	r->ncols = 0;
	json_decref(r->rec);
	r->rec = NULL;
}

static int
column_named(const struct reader *r, size_t upto, const char *name)
{
	for (size_t j = 0; j < upto; j++)
		if (strcmp(r->cols[j].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Column k's name from header text s: trimmed, "column_N" when empty,
 * with a suffix "_2", "_3", ... when an earlier column has it.
 */
static char *
column_name(struct reader *r, size_t k, const char *s, size_t len)
{
	char *name, *alt;
	size_t altsize;

	s = trim(s, &len);
	if (len == 0) {
		char buf[32];

		snprintf(buf, sizeof(buf), "column_%zu", k + 1);
		name = xstrdup(buf);
	} else
		name = xstrndup(s, len);
	if (!column_named(r, k, name))
		return name;
	altsize = strlen(name) + 24;
	alt = xmalloc(altsize);
	for (unsigned long n = 2; ; n++) {
		snprintf(alt, altsize, "%s_%lu", name, n);
		if (!column_named(r, k, alt))
			break;
	}
	if (r->o->header.n > 0)
		warnx("--header: duplicate column '%s' renamed '%s'", name, alt);
	else
		warnx("%s:%lu: duplicate column '%s' renamed '%s'", r->name,
		    r->row_line, name, alt);
	free(name);
	return alt;
}

/* Warn about each name of l (given as option opt) that is no column. */
static void
check_names(const struct reader *r, const struct names *l, const char *opt)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t k;

		for (k = 0; k < r->ncols; k++)
			if (strcmp(r->cols[k].name, l->v[i]) == 0 ||
			    strcmp(r->cols[k].key, l->v[i]) == 0)
				break;
		if (k == r->ncols)
			warnx("%s: %s: no column '%s'", r->name, opt, l->v[i]);
	}
}

static int
listed(const struct names *l, const struct column *c)
{
	return names_find(l, c->name, strlen(c->name)) >= 0 ||
	    names_find(l, c->key, strlen(c->key)) >= 0;
}

/* The current row names the columns; set up the record they fill. */
static void
header_from_row(struct reader *r)
{
	const struct opts *o = r->o;

	columns_release(r);
	r->cols = xcalloc(r->nf, sizeof(*r->cols));
	r->rec = json_object();
	for (size_t k = 0; k < r->nf; k++) {
		struct column *c = &r->cols[k];
		long i;

		c->name = column_name(r, k, field_text(r, k), r->f[k].len);
		r->ncols = k + 1;
		i = names_find(&o->rename_old, c->name, strlen(c->name));
		c->key = xstrdup(i >= 0 ? o->rename_new.v[i] : c->name);
	}
	for (size_t k = 0; k < r->ncols; k++) {
		struct column *c = &r->cols[k];

		if (json_object_get(r->rec, c->key) != NULL)
			errx(NC_USAGE, "%s: --rename: duplicate key '%s'", r->name, c->key);
		c->kind = listed(&o->dates, c) ? K_DATE : listed(&o->strings, c) ? K_STRING : K_AUTO;
		c->val = json_null();
		json_object_set_new_nocheck(r->rec, c->key, c->val);
	}
	check_names(r, &o->strings, "--strings");
	check_names(r, &o->dates, "-D");
	check_names(r, &o->rename_old, "--rename");
	r->have_header = 1;
}

/* ---- Cell values: the record's values are reused where the type allows. ---- */

static void
set_value(struct reader *r, struct column *c, json_t *v)
{
	json_object_set_new_nocheck(r->rec, c->key, v);
	c->val = v;
}

static void
set_string(struct reader *r, struct column *c, const char *s, size_t len)
{
	if (json_is_string(c->val))
		json_string_setn_nocheck(c->val, s, len);
	else
		set_value(r, c, json_stringn_nocheck(s, len));
}

static void
set_number(struct reader *r, struct column *c, enum text_num t, long long i, double d)
{
	if (t == TEXT_INT && json_is_integer(c->val))
		json_integer_set(c->val, i);
	else if (t == TEXT_INT)
		set_value(r, c, json_integer(i));
	else if (json_is_real(c->val))
		json_real_set(c->val, d);
	else
		set_value(r, c, json_real(d));
}

static int
is_null(const struct opts *o, const char *s, size_t len)
{
	return len == 0 || (o->nulls.n > 0 && names_find(&o->nulls, s, len) >= 0);
}

/* A date "dd/mm/yyyy", "yyyy-mm-dd" or "yyyy/mm/dd" as "yyyy-mm-dd". */
static int
iso_date(const char *s, size_t len, char out[DATE_BUFSZ])
{
	char tmp[DATE_BUFSZ];
	long days;

	if (len == 10 && s[4] == '/' && s[7] == '/') {
		memcpy(tmp, s, 10);
		tmp[4] = tmp[7] = '-';
		s = tmp;
	}
	if (date_parse_n(s, len, &days) != 0)
		return -1;
	date_format(days, out);
	return 0;
}

/*
 * Type field k into its column's value: null, date, string or number.
 * Returns 0, or -1 with a reason in why.
 */
static int
type_cell(struct reader *r, size_t k, char *why, size_t whysize)
{
	struct column *c = &r->cols[k];
	const char *s = field_text(r, k);
	size_t len = r->f[k].len, tlen = len;
	const char *t = trim(s, &tlen);
	char date[DATE_BUFSZ];
	long long i = 0;
	double d = 0;
	enum text_num num;

	if (len == 0 || is_null(r->o, t, tlen)) {
		if (!json_is_null(c->val))
			set_value(r, c, json_null());
	} else if (c->kind == K_DATE) {
		if (iso_date(t, tlen, date) != 0) {
			snprintf(why, whysize, "%s: invalid date '%.*s'", c->name, (int)tlen, t);
			return -1;
		}
		set_string(r, c, date, 10);
	} else if (c->kind == K_STRING)
		set_string(r, c, s, len);
	else if ((num = text_number(t, tlen, r->o->decimal_comma ? TEXT_DECIMAL_COMMA : 0,
	    &i, &d)) != TEXT_NONE)
		set_number(r, c, num, i, d);
	else
		set_string(r, c, s, len);
	return 0;
}

/* A data row: one record out, or one reject. */
static void
data_row(struct reader *r)
{
	char why[256];

	r->rows_in++;
	if (r->row_error != NULL) {
		row_reject(r, r->row_error);
		return;
	}
	if (r->nf != r->ncols) {
		snprintf(why, sizeof(why), "expected %zu fields, got %zu", r->ncols, r->nf);
		row_reject(r, why);
		return;
	}
	for (size_t k = 0; k < r->nf; k++)
		if (type_cell(r, k, why, sizeof(why)) != 0) {
			row_reject(r, why);
			return;
		}
	ndjson_write(stdout, r->rec);
	r->recs_out++;
}

/* libcsv's row callback. */
static void
on_row(int c, void *data)
{
	struct reader *r = data;

	(void)c;
	if (!r->have_header) {
		if (r->row_error != NULL)
			errx(NC_FAIL, "%s:%lu: error: header: %s", r->name,
			    r->row_line, r->row_error);
		header_from_row(r);
	} else
		data_row(r);
	r->in_row = 0;
	r->row_error = NULL;
	r->nf = 0;
	r->fbuf.len = 0;
}

/* The delimiter of a header line: the most frequent of , ; and tab
 * outside quotes (',' when none). */
static char
detect_delim(const char *s, size_t len)
{
	static const char cand[] = ",;\t";
	size_t count[3] = { 0, 0, 0 }, best = 0;
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		const char *p;

		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p = memchr(cand, s[i], 3)) != NULL)
			count[p - cand]++;
	}
	for (size_t j = 1; j < 3; j++)
		if (count[j] > count[best])
			best = j;
	return cand[best];
}

/*
 * The line as UTF-8.  Auto mode: valid UTF-8 is kept; the first line that
 * is not, before any multi-byte UTF-8 was seen, switches the file to
 * Latin-1.  Invalid UTF-8 otherwise marks the row bad (its text repaired
 * with U+FFFD so that the reject is valid JSON).
 */
static const char *
decode(struct reader *r, const char *line, size_t *len)
{
	if (text_ascii_span(line, *len) == *len)
		return line;
	if (r->enc != ENC_LATIN1) {
		if (text_utf8_valid(line, *len)) {
			r->seen_multibyte = 1;
			return line;
		}
		if (r->enc == ENC_UTF8 || r->seen_multibyte) {
			r->row_error = "invalid UTF-8";
			r->conv.len = 0;
			text_utf8_repair_append(&r->conv, line, *len);
			*len = r->conv.len;
			return r->conv.s;
		}
		r->enc = ENC_LATIN1;
		if (nc_verbose)
			warnx("%s:%lu: not UTF-8, reading as Latin-1", r->name, r->lineno);
	}
	r->conv.len = 0;
	text_latin1_append(&r->conv, line, *len);
	*len = r->conv.len;
	return r->conv.s;
}

static void
parse(struct reader *r, const char *s, size_t len)
{
	if (csv_parse(&r->p, s, len, on_field, on_row, r) != len)
		errx(NC_FAIL, "%s:%lu: error: %s", r->name, r->lineno,
		    csv_strerror(csv_error(&r->p)));
}

/* One physical line (without its newline) of the current file. */
static void
reader_line(struct reader *r, const char *line, size_t len, unsigned long lineno)
{
	r->lineno = lineno;
	if (lineno == 1 && r->o->enc != ENC_LATIN1 && len >= 3 &&
	    memcmp(line, UTF8_BOM, 3) == 0) {
		line += 3;
		len -= 3;
		r->enc = ENC_UTF8;
	}
	if (lineno <= (unsigned long)r->o->skip)
		return;
	if (!r->in_row) {
		if (text_blank(line, len))
			return;
		if (!r->have_delim) {
			csv_set_delim(&r->p, (unsigned char)detect_delim(line, len));
			r->have_delim = 1;
		}
		r->row_line = lineno;
		r->in_row = 1;
	}
	line = decode(r, line, &len);
	/* A NUL would become "\u0000", which no later stage takes. */
	if (r->row_error == NULL && memchr(line, '\0', len) != NULL)
		r->row_error = "a NUL byte in the row";
	parse(r, line, len);
	parse(r, "\n", 1);
}

/* Load the --header names as if they were the first row. */
static void
header_from_option(struct reader *r)
{
	const struct names *h = &r->o->header;

	for (size_t k = 0; k < h->n; k++)
		on_field(h->v[k], h->len[k], r);
	r->row_line = 0;
	header_from_row(r);
	r->nf = 0;
	r->fbuf.len = 0;
}

static void
reader_start(struct reader *r, const char *name)
{
	if (csv_init(&r->p, 0) != 0)
		errx(NC_FAIL, "csv_init failed");
	csv_set_space_func(&r->p, no_space);
	csv_set_term_func(&r->p, is_newline);
	r->have_delim = r->o->delim != 0;
	if (r->have_delim)
		csv_set_delim(&r->p, (unsigned char)r->o->delim);
	r->name = name;
	r->enc = r->o->enc;
	r->seen_multibyte = 0;
	r->in_row = 0;
	r->row_error = NULL;
	r->have_header = 0;
	r->nf = 0;
	r->fbuf.len = 0;
	if (r->o->header.n > 0)
		header_from_option(r);
}

static void
reader_finish(struct reader *r)
{
	/* Each line ends in '\n', so a row still open is in an open quote. */
	if (r->in_row && r->row_error == NULL)
		r->row_error = "quoted field not closed at the end of the file";
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		errx(NC_FAIL, "%s:%lu: error: %s", r->name, r->lineno,
		    csv_strerror(csv_error(&r->p)));
	csv_free(&r->p);
	r->name = NULL;
}

/* CSV files (or stdin) to NDJSON on stdout; returns the input status. */
static int
csv_to_ndjson(struct opts *o, int argc, char **argv)
{
	struct input in;
	struct reader r;
	char *line;
	size_t len;

	memset(&r, 0, sizeof(r));
	r.o = o;
	input_init(&in, argc, argv);
	in.skip_blank = 0;
	while (input_next(&in, &line, &len) == 1) {
		if (in.lineno == 1) {
			if (r.name != NULL)
				reader_finish(&r);
			reader_start(&r, in.name);
		}
		reader_line(&r, line, len, in.lineno);
	}
	if (r.name != NULL)
		reader_finish(&r);
	if (nc_verbose)
		warnx("%lu rows in, %lu records out, %lu rejected", r.rows_in,
		    r.recs_out, o->rej.count);
	columns_release(&r);
	strbuf_release(&r.conv);
	strbuf_release(&r.fbuf);
	free(r.f);
	return input_release(&in);
}

/* ---- Writing CSV. ---- */

struct writer {
	struct opts *o;
	char delim;
	const char *eol;
	const struct names *fields;
	struct names own;               /* the first record's keys */
	json_t *known;                  /* the fields, as a set */
	int started;
	struct strbuf line, tmp;
	unsigned long recs_in, rows_out;
};

/* Append cell text s to the line, quoted when a reader could misread it. */
static void
put_cell(struct writer *w, const char *s, size_t len)
{
	int quote = len > 0 && (s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t');

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == w->delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		strbuf_add(&w->line, s, len);
		return;
	}
	strbuf_addc(&w->line, '"');
	for (const char *q; (q = memchr(s, '"', len)) != NULL; ) {
		strbuf_add(&w->line, s, (size_t)(q - s) + 1);
		strbuf_addc(&w->line, '"');
		len -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	strbuf_add(&w->line, s, len);
	strbuf_addc(&w->line, '"');
}

/* A value as cell text: strings as they are, null as nothing, the rest
 * as compact JSON (numbers in the fewest digits that read back exactly). */
static void
put_value(struct writer *w, const json_t *v)
{
	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v)) {
		put_cell(w, json_string_value(v), json_string_length(v));
		return;
	}
	w->tmp.len = 0;
	ndjson_dump(&w->tmp, v);
	if (json_is_real(v) && w->o->decimal_comma) {
		char *dot = memchr(w->tmp.s, '.', w->tmp.len);

		if (dot != NULL)
			*dot = ',';
	}
	put_cell(w, w->tmp.s, w->tmp.len);
}

static void
end_line(struct writer *w)
{
	strbuf_add(&w->line, w->eol, strlen(w->eol));
	nc_write(stdout, w->line.s, w->line.len);
	w->line.len = 0;
}

/* The header line, after a BOM for --excel; fields from the first record
 * unless -f named them. */
static void
start_output(struct writer *w, const json_t *first)
{
	const char *key;
	json_t *v;

	if (w->fields->n == 0 && first != NULL) {
		json_object_foreach((json_t *)first, key, v)
			names_add(&w->own, key, strlen(key));
		w->fields = &w->own;
	}
	w->known = json_object();
	w->line.len = 0;
	if (w->o->excel)
		strbuf_add(&w->line, UTF8_BOM, 3);
	for (size_t k = 0; k < w->fields->n; k++) {
		if (k > 0)
			strbuf_addc(&w->line, w->delim);
		put_cell(w, w->fields->v[k], w->fields->len[k]);
		json_object_set_new_nocheck(w->known, w->fields->v[k], json_true());
	}
	end_line(w);
	w->started = 1;
}

/* A key of rec that the header lacks, or NULL. */
static const char *
unknown_key(const struct writer *w, const json_t *rec, size_t present)
{
	const char *key;
	json_t *v;

	if (present == json_object_size(rec))
		return NULL;
	json_object_foreach((json_t *)rec, key, v)
		if (json_object_get(w->known, key) == NULL)
			return key;
	return NULL;
}

static void
write_record(struct writer *w, const json_t *rec, const char *input, unsigned long lineno)
{
	const char *extra;
	size_t present = 0;

	w->line.len = 0;
	for (size_t k = 0; k < w->fields->n; k++) {
		const json_t *v = json_object_get(rec, w->fields->v[k]);

		if (k > 0)
			strbuf_addc(&w->line, w->delim);
		present += v != NULL;
		put_value(w, v);
	}
	if (w->fields == &w->own && (extra = unknown_key(w, rec, present)) != NULL) {
		char why[256];

		snprintf(why, sizeof(why), "%.200s: not in the header", extra);
		reject_record(&w->o->rej, rec, NULL, input, lineno, why);
		return;
	}
	end_line(w);
	w->rows_out++;
}

/* NDJSON files (or stdin) to CSV on stdout; returns the input status. */
static int
ndjson_to_csv(struct opts *o, int argc, char **argv)
{
	struct writer w;
	struct input in;
	char *line, why[256];
	size_t len;
	json_t *rec;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.delim = o->delim ? o->delim : o->excel ? ';' : ',';
	w.eol = o->excel ? "\r\n" : "\n";
	w.fields = &o->fields;
	input_init(&in, argc, argv);
	while (input_next(&in, &line, &len) == 1) {
		if ((rec = ndjson_parse(line, len, why, sizeof(why))) == NULL) {
			reject_record(&o->rej, NULL, line, in.name, in.lineno, why);
			continue;
		}
		w.recs_in++;
		if (!w.started)
			start_output(&w, rec);
		write_record(&w, rec, in.name, in.lineno);
		json_decref(rec);
	}
	if (!w.started && o->fields.n > 0)
		start_output(&w, NULL);
	if (nc_verbose)
		warnx("%lu records in, %lu rows out, %lu rejected", w.recs_in,
		    w.rows_out, o->rej.count);
	json_decref(w.known);
	names_release(&w.own);
	strbuf_release(&w.line);
	strbuf_release(&w.tmp);
	return input_release(&in);
}

/* ---- Options. ---- */

static void
usage_error(const char *fmt, const char *arg)
{
	nc_usage_error(synopsis, fmt, arg);
}

static char
parse_delim(const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	if (strlen(s) != 1 || *s == '"' || *s == '\n' || *s == '\r')
		usage_error("-F: not a delimiter: '%s'", s);
	return *s;
}

static enum enc
parse_enc(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return ENC_AUTO;
	if (strcmp(s, "utf8") == 0 || strcmp(s, "utf-8") == 0)
		return ENC_UTF8;
	if (strcmp(s, "latin1") == 0 || strcmp(s, "iso-8859-1") == 0)
		return ENC_LATIN1;
	usage_error("--encoding: unknown encoding: '%s'", s);
	return ENC_AUTO;  /* not reached */
}

static void
parse_renames(struct opts *o, const char *s)
{
	struct names l = { 0 };

	names_split(&l, s);
	for (size_t i = 0; i < l.n; i++) {
		char *eq = strchr(l.v[i], '=');

		if (eq == NULL || eq == l.v[i] || eq[1] == '\0')
			usage_error("--rename: not old=new: '%s'", l.v[i]);
		names_add(&o->rename_old, l.v[i], (size_t)(eq - l.v[i]));
		names_add(&o->rename_new, eq + 1, strlen(eq + 1));
	}
	names_release(&l);
}

enum {
	OPT_TO_CSV = 256, OPT_EXCEL, OPT_DECIMAL_COMMA, OPT_HEADER, OPT_RENAME, OPT_SKIP
};
/* Long-only options of the toolkit's vocabulary (nc(7)). */
enum { OPT_ENCODING = 0x4e00, OPT_STRINGS };

static int
parse_options(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dates", required_argument, NULL, 'D' },
		{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
		{ "delimiter", required_argument, NULL, 'F' },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "fields", required_argument, NULL, 'f' },
		{ "header", required_argument, NULL, OPT_HEADER },
		{ "help", no_argument, NULL, 'h' },
		{ "null", required_argument, NULL, 'n' },
		{ "rename", required_argument, NULL, OPT_RENAME },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "strings", required_argument, NULL, OPT_STRINGS },
		{ "to-csv", no_argument, NULL, OPT_TO_CSV },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *read_only = NULL, *write_only = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "D:d:e:F:f:hm:n:r:s:Vv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D': names_split(&o->dates, optarg); read_only = "-D"; break;
		case 'd': nc_deprecated("-d", "-F"); /* FALLTHROUGH */
		case 'F': o->delim = parse_delim(optarg); break;
		case 'e': nc_deprecated("-e", "--encoding"); /* FALLTHROUGH */
		case OPT_ENCODING: o->enc = parse_enc(optarg); read_only = "--encoding"; break;
		case 'f': names_split(&o->fields, optarg); write_only = "-f"; break;
		case 'h': nc_usage(synopsis, 1);
		case 'm': o->max_rejects = nc_parse_long(optarg, 0, LONG_MAX, "-m"); break;
		case 'n': names_add(&o->nulls, optarg, strlen(optarg)); read_only = "-n"; break;
		case 'r': o->reject_path = optarg; break;
		case 's': nc_deprecated("-s", "--strings"); /* FALLTHROUGH */
		case OPT_STRINGS: names_split(&o->strings, optarg); read_only = "--strings"; break;
		case 'V': nc_print_version();
		case 'v': nc_verbose++; break;
		case OPT_DECIMAL_COMMA: o->decimal_comma = 1; break;
		case OPT_EXCEL: o->excel = o->decimal_comma = 1; write_only = "--excel"; break;
		case OPT_HEADER: names_split(&o->header, optarg); read_only = "--header"; break;
		case OPT_RENAME: parse_renames(o, optarg); read_only = "--rename"; break;
		case OPT_SKIP:
			o->skip = nc_parse_long(optarg, 0, LONG_MAX, "--skip");
			read_only = "--skip";
			break;
		case OPT_TO_CSV: o->to_csv = 1; break;
		default: nc_usage(synopsis, 0);
		}
	}
	if (o->to_csv && read_only != NULL)
		usage_error("%s: not with --to-csv", read_only);
	if (!o->to_csv && write_only != NULL)
		usage_error("%s: only with --to-csv", write_only);
	return optind;
}

static void
opts_release(struct opts *o)
{
	struct names *lists[] = { &o->header, &o->strings, &o->dates, &o->nulls,
	    &o->rename_old, &o->rename_new, &o->fields };

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		names_release(lists[i]);
}

int
main(int argc, char *argv[])
{
	struct opts o;
	int n, rval;

	nc_init(argv[0]);
	/* Fewer system calls on big files: a 240 MB file is common. */
	setvbuf(stdin, NULL, _IOFBF, 1 << 16);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	memset(&o, 0, sizeof(o));
	n = parse_options(&o, argc, argv);
	argc -= n;
	argv += n;
	rejects_open(&o.rej, o.reject_path, o.max_rejects);
	if (o.to_csv)
		rval = ndjson_to_csv(&o, argc, argv);
	else
		rval = csv_to_ndjson(&o, argc, argv);
	nc_close_stdout();
	rval = nc_worst(rval, rejects_close(&o.rej));
	opts_release(&o);
	return rval;
}
