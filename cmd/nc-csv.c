/*
 * nc-csv: CSV rows to NDJSON records and back, with the conventions of
 * Brazilian exports (';', decimal comma, Latin-1).  See nc-csv(1).
 * The options are here; reading is lib/csv_read.c, writing
 * lib/csv_write.c and lib/csv_excel.c (see lib/csv_tool.h).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_tool.h"
#include "nc.h"
#include "reject.h"

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

/*
 * The option parsing below kept its names through the split into
 * lib/csv_*.c, so that its text stays as it was.
 */
#define names_add csv_names_add
#define names_split csv_names_split
#define names_release csv_names_release

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

static enum csv_enc
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
parse_renames(struct csv_opts *o, const char *s)
{
	struct csv_names l = { 0 };

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
	OPT_TO_CSV = 256, OPT_EXCEL, OPT_DECIMAL_COMMA, OPT_HEADER, OPT_RENAME, OPT_SKIP,
	OPT_ENCODING, OPT_STRINGS
};

static int
parse_options(struct csv_opts *o, int argc, char **argv)
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

int
main(int argc, char *argv[])
{
	struct csv_opts o;
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
	csv_opts_release(&o);
	return rval;
}
