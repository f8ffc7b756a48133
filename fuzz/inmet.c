/*
 * fuzz/inmet.c: nc-extract-inmet's readers, as cmd/nc-extract-inmet.c runs
 * them: the bulk historical CSV (first byte even) and the daily API's JSON
 * rows (first byte odd), then the daily aggregation of what was read.
 */
#include "fuzz.h"

int nc_inmet_main(int argc, char *argv[]);
#define main nc_inmet_main
#include "../cmd/nc-extract-inmet.c"
#undef main

static void
release(struct opts *o)
{
	for (size_t i = 0; i < o->nst; i++) {
		free(o->st[i].code);
		free(o->st[i].name);
		free(o->st[i].days);
	}
	free(o->st);
	strbuf_release(&o->out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o = { .min_hours = 18, .since = -1, .until = -1, .http = HTTP_OPTS_INIT };
	char *argv[2];

	if (size == 0)
		return 0;
	rejects_open(&o.rej, "/dev/null", LONG_MAX);
	fuzz_armed = 1;
	if (setjmp(fuzz_jmp) == 0) {
		if (data[0] & 1) {
			json_t *j = json_loadb((const char *)data + 1, size - 1, 0, NULL);
			size_t i;
			json_t *row;

			if (json_is_array(j)) {
				json_array_foreach(j, i, row)
					api_record(&o, row, "fuzz", i + 1);
				emit_days(&o);
			}
			json_decref(j);
		} else {
			argv[0] = (char *)fuzz_file(data + 1, size - 1);
			argv[1] = NULL;
			(void)from_csv(&o, 1, argv);
		}
	}
	fuzz_armed = 0;
	(void)rejects_close(&o.rej);
	release(&o);
	return 0;
}
