# nc: spare-parts demand toolkit.  GNU make.
include config.mk

# Every cmd/nc-<name>.c is a program.
PROGS = $(sort $(notdir $(basename $(wildcard cmd/nc-*.c))))
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:%.c=$(B)/%.o)
UNITSRC = $(wildcard tests/unit/*.c)
UNITBIN = $(UNITSRC:%.c=$(B)/%)
MANPAGES = $(wildcard man/*.[157])

# Each program links only what it uses (libnc.a is an archive: only the
# objects a program needs come in).
LIBS_nc-csv = $(CSV_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-transform = $(JANSSON_LIBS) -pthread
LIBS_nc-store = $(SQLITE_LIBS) $(PQ_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS) -pthread
LIBS_nc-extract-erp = $(PQ_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-extract-inmet = $(CURL_LIBS) $(CSV_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-extract-bcb = $(CURL_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-features = $(JANSSON_LIBS) -pthread
LIBS_nc-forecast = $(GSL_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-reorder = $(GSL_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-alert = $(CURL_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-serve = $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) \
	$(SQLITE_LIBS) $(PQ_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS) -pthread

# A unit test tests/unit/<name>.c links libnc.a, jansson, and UNIT_LIBS_<name>.
UNIT_LIBS_http = $(CURL_LIBS)
UNIT_LIBS_forecast = $(GSL_LIBS)
UNIT_LIBS_ltd = $(GSL_LIBS)
UNIT_LIBS_ets = $(GSL_LIBS)
UNIT_LIBS_arima = $(GSL_LIBS)
UNIT_LIBS_intermittent = $(GSL_LIBS)
UNIT_LIBS_regression = $(GSL_LIBS)
UNIT_LIBS_reorder = $(GSL_LIBS)
UNIT_LIBS_store = $(SQLITE_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS)
UNIT_LIBS_serve = $(SQLITE_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) -pthread
UNIT_LIBS_serve_ws = $(SQLITE_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) -pthread

ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -Ilib $(JANSSON_CFLAGS) $(GSL_CFLAGS) \
	$(CURL_CFLAGS) $(PQ_CFLAGS) $(SQLITE_CFLAGS)

all: $(PROGS:%=$(B)/bin/%)

$(B)/%.o: %.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libnc.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/bin/%: $(B)/cmd/%.o $(B)/libnc.a
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $< $(B)/libnc.a $(LIBS_$*) -lm

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/libnc.a
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $< $(B)/libnc.a $(UNIT_LIBS_$*) $(JANSSON_LIBS) -pthread -lm

deps:
	@scripts/install-deps

# The suite: a plain build in the C locale, then the same suite built with
# ASan and UBSan and run under pt_BR.UTF-8 (a decimal-comma locale).
check: deps
	$(MAKE) test
	$(MAKE) test SAN=1 NC_TEST_LOCALE=pt_BR.UTF-8
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

NC_TEST_LOCALE ?= C

test: all $(UNITBIN)
	@chmod +x tests/t*.sh
	NC_BIN=$(CURDIR)/$(B)/bin NC_UNIT=$(CURDIR)/$(B)/tests/unit \
	    NC_TEST_LOCALE=$(NC_TEST_LOCALE) prove -j2 tests/t*.sh $(UNITBIN)

# Fuzzing: libFuzzer harnesses (fuzz/*.c), clang with ASan and UBSan, in
# build-fuzz/.  "make fuzz" runs each for FUZZ_SECONDS from its seed corpus
# (fuzz/seed-corpus, from tests/fixtures) plus what earlier runs found, and
# fails on the first crash, leak or broken property; make check runs each
# for CHECK_FUZZ_SECONDS.  The readers of programs (csv, inmet, bcb) leave
# their buffers behind when they errx() (a fatal input error, made to
# return to the harness), so they run without leak detection.  The input of a finding is left in build-fuzz/.
FUZZERS = flat date ndjson csv inmet bcb store serve
FUZZ_CC = clang
FUZZ_B = build-fuzz
FUZZ_SECONDS = 60
CHECK_FUZZ_SECONDS = 3
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_LIBS_flat = $(JANSSON_LIBS)
FUZZ_LIBS_date =
FUZZ_LIBS_ndjson = $(JANSSON_LIBS)
FUZZ_LIBS_csv = $(CSV_LIBS) $(JANSSON_LIBS)
FUZZ_LIBS_inmet = $(CURL_LIBS) $(CSV_LIBS) $(JANSSON_LIBS)
FUZZ_LIBS_bcb = $(CURL_LIBS) $(JANSSON_LIBS)
FUZZ_LIBS_store = $(SQLITE_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) $(JANSSON_LIBS)
FUZZ_LIBS_serve = $(SQLITE_LIBS) $(PQ_LIBS) $(CRYPTO_LIBS) $(JANSSON_LIBS)

fuzz-build: deps
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
	    SANFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_B)/libnc.a
	$(MAKE) $(FUZZERS:%=$(FUZZ_B)/fuzz/%)

$(FUZZ_B)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(FUZZ_B)/libnc.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -Ilib $(JANSSON_CFLAGS) \
	    $(CURL_CFLAGS) -o $@ $< $(FUZZ_B)/libnc.a $(FUZZ_LIBS_$*) -pthread -lm

fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		rm -rf $(FUZZ_B)/seeds/$$f; \
		fuzz/seed-corpus $$f $(FUZZ_B)/seeds/$$f || exit 1; \
		mkdir -p $(FUZZ_B)/corpus/$$f $(FUZZ_B)/findings/$$f; \
		leaks=1; case $$f in csv|inmet|bcb) leaks=0 ;; esac; \
		if ASAN_OPTIONS=detect_leaks=$$leaks $(FUZZ_B)/fuzz/$$f \
		    -detect_leaks=$$leaks -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		    -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
		    -artifact_prefix=$(FUZZ_B)/findings/$$f/ \
		    $(FUZZ_B)/corpus/$$f $(FUZZ_B)/seeds/$$f >$(FUZZ_B)/$$f.log 2>&1; then \
			echo "fuzz $$f: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_B)/$$f.log) executions in $(FUZZ_SECONDS) s, no finding"; \
		else \
			tail -n 40 $(FUZZ_B)/$$f.log; \
			echo "fuzz $$f: FINDING, see $(FUZZ_B)/$$f.log and $(FUZZ_B)/findings/$$f/"; \
			exit 1; \
		fi; \
	done

lint-man:
	mandoc -Tlint -Wwarning $(MANPAGES)

demo: deps all
	@scripts/demo-daily $(B)/bin

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do install -m 755 $(B)/bin/$$p $(DESTDIR)$(BINDIR)/; done
	for s in scripts/nc-daily scripts/nc-daily-shard scripts/nc-plot scripts/nc-sample-map; do install -m 755 $$s $(DESTDIR)$(BINDIR)/; done
	for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

clean:
	rm -rf build build-san build-fuzz

.PHONY: all deps check test fuzz fuzz-build lint-man demo install clean
.SECONDARY:
