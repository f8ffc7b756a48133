/*
 * fuzz.h: what the libFuzzer harnesses in fuzz/ share.
 *
 * Each harness defines LLVMFuzzerTestOneInput(data, size): libFuzzer calls
 * it with bytes it makes up, and a crash, a sanitizer report or a failed
 * FUZZ_CHECK is a finding.  Harnesses of a program's own reader include
 * its file in cmd/ with main renamed, so the reader they test is the one
 * the program runs; errx() and err() (a usage or a fatal input error)
 * come back to the harness through fuzz_bail instead of ending the
 * process, which libFuzzer would count as a crash.
 */
#ifndef NC_FUZZ_H
#define NC_FUZZ_H

#include <err.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold: abort (a finding) with the reason. */
#define FUZZ_CHECK(cond, what) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, (what)); \
		abort(); \
	} \
} while (0)

/* Set by a harness around a call that may errx(); 0 outside it. */
static jmp_buf fuzz_jmp;
static int fuzz_armed;

static inline _Noreturn void
fuzz_bail(int code)
{
	(void)code;
	if (!fuzz_armed)
		abort();
	longjmp(fuzz_jmp, 1);
}

#define errx(code, ...) fuzz_bail(code)
#define err(code, ...) fuzz_bail(code)

static char fuzz_path[64];

static inline void
fuzz_unlink(void)
{
	unlink(fuzz_path);
}

/* The input as a file, for readers that take a path: one per process. */
static inline const char *
fuzz_file(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path;
	FILE *fp;

	if (fuzz_path[0] == '\0') {
		const char *dir = getenv("TMPDIR");

		snprintf(fuzz_path, sizeof(fuzz_path), "%s/nc-fuzz.%ld",
		    dir != NULL && strlen(dir) < 40 ? dir : "/tmp", (long)getpid());
		atexit(fuzz_unlink);
	}
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	return path;
}

#endif
