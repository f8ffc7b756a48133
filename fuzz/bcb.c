/*
 * fuzz/bcb.c: nc-extract-bcb's reader of an SGS answer (a saved response,
 * -f), as cmd/nc-extract-bcb.c runs it.  The first byte picks the window:
 * none, or --since/--until around the dates the rows are likely to hold.
 */
#include "fuzz.h"

int nc_bcb_main(int argc, char *argv[]);
#define main nc_bcb_main
#include "../cmd/nc-extract-bcb.c"
#undef main

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o = { .since = -1, .until = LONG_MAX, .http = HTTP_OPTS_INIT };
	struct series s = { "ipca", 433 };

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		o.since = date_from_ymd(2024, 1 + data[0] % 12, 1);
		o.until = o.since + 40 * (data[0] >> 4);
	}
	o.file = fuzz_file(data + 1, size - 1);
	rejects_open(&o.rej, "/dev/null", LONG_MAX);
	fuzz_armed = 1;
	if (setjmp(fuzz_jmp) == 0)
		(void)from_file(&o, &s);
	fuzz_armed = 0;
	FUZZ_CHECK(o.out.len == 0 || o.out.s[o.out.len - 1] == '\n',
	    "a record without its newline");
	(void)rejects_close(&o.rej);
	strbuf_release(&o.out);
	return 0;
}
