# nc: spare-parts demand toolkit.  GNU make.
include config.mk

PROGS = nc-csv nc-transform
SCRIPTS = scripts/nc-sample-map
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:%.c=$(B)/%.o)
UNITSRC = $(wildcard tests/unit/*.c)
UNITBIN = $(UNITSRC:%.c=$(B)/%)
MANPAGES = $(wildcard man/*.[157])

# Each program links only what it uses.
LIBS_nc-csv = $(CSV_LIBS) $(JANSSON_LIBS) -pthread
LIBS_nc-transform = $(JANSSON_LIBS) -pthread

ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -Ilib $(JANSSON_CFLAGS)

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
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $< $(B)/libnc.a $(JANSSON_LIBS) -pthread -lm

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
	@scripts/demo $(B)/bin

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do install -m 755 $(B)/bin/$$p $(DESTDIR)$(BINDIR)/; done
	for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

clean:
	rm -rf build build-san

.PHONY: all deps check test lint-man demo install clean
.SECONDARY:
