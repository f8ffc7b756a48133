/*
 * csv_read.c: nc-csv's reader, CSV rows to NDJSON records (see nc-csv(1)
 * and csv_tool.h).  Each physical line goes, decoded to UTF-8, to libcsv, which
 * calls on_field() for each field and on_row() at the end of each row;
 * the first row of each file names the columns, the others become records.
 */
#include <csv.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_tool.h"
#include "date.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "text.h"

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
	struct csv_opts *o;
	struct csv_parser p;
	const char *name;             /* input name, for messages */
	unsigned long lineno;         /* the line being read */
	unsigned long row_line;       /* the line where the current row began */
	int in_row;                   /* a row is open (e.g. in a quoted newline) */
	int have_delim;
	enum csv_enc enc;                 /* ENC_AUTO until the input shows which */
	int seen_multibyte;           /* valid multi-byte UTF-8 was read */
	const char *row_error;        /* why the row is bad before typing, or NULL */
	struct strbuf conv;           /* a line decoded to UTF-8 */
	struct strbuf fbuf;           /* the fields of the row */
	struct strbuf untext;         /* a ="..." cell's text */
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
check_names(const struct reader *r, const struct csv_names *l, const char *opt)
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
listed(const struct csv_names *l, const struct column *c)
{
	return csv_names_find(l, c->name, strlen(c->name)) >= 0 ||
	    csv_names_find(l, c->key, strlen(c->key)) >= 0;
}

/* The current row names the columns; set up the record they fill. */
static void
header_from_row(struct reader *r)
{
	const struct csv_opts *o = r->o;

	columns_release(r);
	r->cols = xcalloc(r->nf, sizeof(*r->cols));
	r->rec = json_object();
	for (size_t k = 0; k < r->nf; k++) {
		struct column *c = &r->cols[k];
		long i;

		c->name = column_name(r, k, field_text(r, k), r->f[k].len);
		r->ncols = k + 1;
		i = csv_names_find(&o->rename_old, c->name, strlen(c->name));
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
is_null(const struct csv_opts *o, const char *s, size_t len)
{
	return len == 0 || (o->nulls.n > 0 && csv_names_find(&o->nulls, s, len) >= 0);
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
 * Type field k into its column's value: null, date, string or number; a
 * cell ="..." (Excel's text, see csv_excel.c) is the text inside it.
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
	int text = 0;

	/* ="00123", as --to-csv --excel writes text: the text, a string. */
	if (tlen > 0 && csv_excel_untext(&r->untext, t, tlen)) {
		s = t = r->untext.s;
		len = tlen = r->untext.len;
		text = 1;
	}
	if (len == 0 || is_null(r->o, t, tlen)) {
		if (!json_is_null(c->val))
			set_value(r, c, json_null());
	} else if (c->kind == K_DATE) {
		if (iso_date(t, tlen, date) != 0) {
			snprintf(why, whysize, "%s: invalid date '%.*s'", c->name, (int)tlen, t);
			return -1;
		}
		set_string(r, c, date, 10);
	} else if (c->kind == K_STRING || text)
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
	    memcmp(line, CSV_UTF8_BOM, 3) == 0) {
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
	const struct csv_names *h = &r->o->header;

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

int
csv_to_ndjson(struct csv_opts *o, int argc, char **argv)
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
	strbuf_release(&r.untext);
	free(r.f);
	return input_release(&in);
}
