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
	$(SQLITE_LIBS) $(JANSSON_LIBS) -pthread

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
UNIT_LIBS_serve = $(SQLITE_LIBS) -pthread

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

NC_TEST_LOCALE ?= C

test: all $(UNITBIN)
	@chmod +x tests/t*.sh
	NC_BIN=$(CURDIR)/$(B)/bin NC_UNIT=$(CURDIR)/$(B)/tests/unit \
	    NC_TEST_LOCALE=$(NC_TEST_LOCALE) prove -j2 tests/t*.sh $(UNITBIN)

lint-man:
	mandoc -Tlint -Wwarning $(MANPAGES)

demo: deps all
	@scripts/demo-daily $(B)/bin

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do install -m 755 $(B)/bin/$$p $(DESTDIR)$(BINDIR)/; done
	for s in scripts/nc-daily scripts/nc-plot scripts/nc-sample-map; do install -m 755 $$s $(DESTDIR)$(BINDIR)/; done
	for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

clean:
	rm -rf build build-san

.PHONY: all deps check test lint-man demo install clean
.SECONDARY:
