/*
 * csv_tool.h: the pieces of nc-csv (cmd/nc-csv.c), split by concern: lists of
 * column names from the options (csv_names.c), CSV to NDJSON
 * (csv_read.c), NDJSON to CSV (csv_write.c) and the cell text that Excel
 * in a Brazilian locale reads as written (csv_excel.c).  Owner: nc-csv.
 *
 * Ownership: a csv_names owns copies of its names; csv_opts_release()
 * frees the lists of a csv_opts.  The converters read and write the
 * standard streams and count rejects in o->rej (opened by the caller).
 *
 *	struct csv_opts o = { 0 };
 *	rejects_open(&o.rej, NULL, 0);
 *	rval = csv_to_ndjson(&o, argc, argv);     // or ndjson_to_csv()
 *	rval = nc_worst(rval, rejects_close(&o.rej));
 *	csv_opts_release(&o);
 */
#ifndef NC_CSV_TOOL_H
#define NC_CSV_TOOL_H

#include <stddef.h>

#include "ndjson.h"
#include "reject.h"

#define CSV_UTF8_BOM "\xef\xbb\xbf"

enum csv_enc { ENC_AUTO, ENC_UTF8, ENC_LATIN1 };

/* A list of names from options such as -s a,b,c (repeatable). */
struct csv_names {
	char **v;
	size_t *len;
	size_t n;
};

struct csv_opts {
	int to_csv, excel, decimal_comma;
	enum csv_enc enc;
	char delim;                     /* 0: detect from the header line */
	long skip;                      /* --skip: lines before the header */
	long max_rejects;
	const char *reject_path;
	struct csv_names header;        /* --header */
	struct csv_names strings, dates;        /* -s, -D */
	struct csv_names nulls;         /* -n */
	struct csv_names rename_old, rename_new;
	struct csv_names fields;        /* -f */
	struct rejects rej;
};

void csv_names_add(struct csv_names *l, const char *s, size_t len);
/* Add each name of the comma-separated list s. */
void csv_names_split(struct csv_names *l, const char *s);
/* Index of name s in l, or -1. */
long csv_names_find(const struct csv_names *l, const char *s, size_t len);
void csv_names_release(struct csv_names *l);
void csv_opts_release(struct csv_opts *o);

/* CSV files (or stdin) to NDJSON on stdout; returns the input status. */
int csv_to_ndjson(struct csv_opts *o, int argc, char **argv);
/* NDJSON files (or stdin) to CSV on stdout; returns the input status. */
int ndjson_to_csv(struct csv_opts *o, int argc, char **argv);

/*
 * --excel (csv_excel.c).  A string value as the cell text that Excel's
 * General format leaves as it is, appended to sb: text that Excel would
 * take for a number, a date or a formula ("00123", "40140-110", "1/2",
 * "=SUM(A1)", "-x") as the formula ="..." (quotes doubled), which Excel
 * shows as the text itself; other text with the decimal point of each
 * number in it made a comma ("cobertura 2.5 dias" -> "cobertura 2,5
 * dias").  ISO dates and timestamps are left as they are.
 */
void csv_excel_text(struct strbuf *sb, const char *s, size_t len);

/*
 * The text of a cell written as ="..." (the whole cell), unquoted into
 * sb; 0 when s is not of that form.
 */
int csv_excel_untext(struct strbuf *sb, const char *s, size_t len);

#endif
