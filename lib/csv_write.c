/*
 * csv_write.c: nc-csv --to-csv, NDJSON records to CSV rows (see nc-csv(1)
 * and csv_tool.h); with --excel, the cell text of csv_excel.c.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_tool.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"

struct writer {
	struct csv_opts *o;
	char delim;
	const char *eol;
	const struct csv_names *fields;
	struct csv_names own;               /* the first record's keys */
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

/* A value as cell text: strings as they are (as csv_excel_text() makes
 * them with --excel), null as nothing, the rest as compact JSON (numbers
 * in the fewest digits that read back exactly). */
static void
put_value(struct writer *w, const json_t *v)
{
	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v) && w->o->excel) {
		w->tmp.len = 0;
		csv_excel_text(&w->tmp, json_string_value(v), json_string_length(v));
		put_cell(w, w->tmp.s, w->tmp.len);
		return;
	}
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
			csv_names_add(&w->own, key, strlen(key));
		w->fields = &w->own;
	}
	w->known = json_object();
	w->line.len = 0;
	if (w->o->excel)
		strbuf_add(&w->line, CSV_UTF8_BOM, 3);
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

int
ndjson_to_csv(struct csv_opts *o, int argc, char **argv)
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
	csv_names_release(&w.own);
	strbuf_release(&w.line);
	strbuf_release(&w.tmp);
	return input_release(&in);
}
