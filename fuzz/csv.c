/*
 * fuzz/csv.c: nc-csv's reader (CSV to NDJSON) and writer (NDJSON to CSV),
 * as cmd/nc-csv.c runs them (lib/csv_read.c, lib/csv_write.c).  The first byte picks the options (decimal
 * comma, encoding, direction, --excel); the rest is the file.  Output goes
 * to /dev/null, rejects to /dev/null through -r.  The rest is also
 * taken as one text value for --excel's cell text (check_excel_text).
 */
#include "fuzz.h"

int nc_csv_main(int argc, char *argv[]);
#define main nc_csv_main
#include "../cmd/nc-csv.c"
#undef main
/* The reader and the writer, so that their errx() comes back here (the
 * library's copies of these files are then not linked). */
#include "../lib/csv_read.c"
#include "../lib/csv_write.c"

/*
 * --excel's cell text (lib/csv_excel.c) of the bytes s: a ="..." form
 * reads back as s; an apostrophe is followed by s; otherwise the text is
 * s with some '.' made ','.
 */
static void
check_excel_text(const char *s, size_t len)
{
	static struct strbuf out, back;

	out.len = 0;
	csv_excel_text(&out, s, len);
	if (out.len >= 3 && out.s[0] == '=' && out.s[1] == '"') {
		FUZZ_CHECK(csv_excel_untext(&back, out.s, out.len), "=\"...\" not read back");
		FUZZ_CHECK(back.len == len && memcmp(back.s, s, len) == 0,
		    "=\"...\" read back as other text");
	} else if (out.len == len + 1 && out.s[0] == '\'') {
		FUZZ_CHECK(memcmp(out.s + 1, s, len) == 0, "apostrophe text changed");
	} else {
		FUZZ_CHECK(out.len == len, "plain text changed length");
		for (size_t i = 0; i < len; i++)
			FUZZ_CHECK(out.s[i] == s[i] || (s[i] == '.' && out.s[i] == ','),
			    "plain text changed other than a decimal point");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct csv_opts o;
	char *argv[2];

	if (size == 0)
		return 0;
	if (!ready) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		ready = 1;
	}
	check_excel_text((const char *)data + 1, size - 1);
	memset(&o, 0, sizeof(o));
	o.decimal_comma = data[0] & 1;
	o.enc = (enum csv_enc)((data[0] >> 1) % 3);
	o.to_csv = (data[0] >> 3) & 1;
	o.excel = o.to_csv && (data[0] >> 4 & 1);
	argv[0] = (char *)fuzz_file(data + 1, size - 1);
	argv[1] = NULL;
	rejects_open(&o.rej, "/dev/null", LONG_MAX);
	fuzz_armed = 1;
	if (setjmp(fuzz_jmp) == 0) {
		if (o.to_csv)
			(void)ndjson_to_csv(&o, 1, argv);
		else
			(void)csv_to_ndjson(&o, 1, argv);
	}
	fuzz_armed = 0;
	(void)rejects_close(&o.rej);
	csv_opts_release(&o);
	fflush(stdout);
	clearerr(stdout);
	return 0;
}
