/*
 * gen-items: write a synthetic ERP item-day extract for the benchmarks, the
 * same rows as NDJSON and as CSV, sorted by (item_id, date).
 *
 *   gen-items [-n rows] [-s seed] items.ndjson items.csv
 *
 * Deterministic for a given -n and -s.  The rows look like what the ERP
 * gives nc-transform: about 60% of the days have zero demand, 1% of the
 * rows repeat an (item_id, date) with another created_at, 0.5% have a null
 * item_id, a few have a null item_name or a cost <= 0 or null, and every
 * item starts up to 3 days before 2024-01-01 (the staging's date filter).
 * Ids, costs and counts arrive sometimes as numbers, sometimes as numeric
 * strings; names carry leading/trailing spaces, quotes, commas and UTF-8;
 * categories are in upper or mixed case.
 *
 * On stdout, one line of facts for the benchmark script:
 *   rows=N items=N duplicates=N null_item_id=N expected_out=N
 * where expected_out is the number of rows the staging must keep.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAYS_PER_ITEM	730
#define MAX_FIELD	256

static uint64_t rng_state;

/* splitmix64: small, fast, the same on every platform. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static unsigned
rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* True with probability per_10000 / 10000. */
static int
chance(unsigned per_10000)
{
	return rndn(10000) < per_10000;
}

/* Days since 1970-01-01 to y-m-d (H. Hinnant's civil_from_days). */
static void
civil(long z, int *y, int *m, int *d)
{
	long era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

#define DAY_2024_01_01	19723L

static const char *stems[] = {
	"PREGO 2.1/2\"X10MM", "BARROTE DE MADEIRA PINHO 5x5",
	"SARRAFO DE MADEIRA - PINHO 10CM x 2,5CM", "CABO COAXIAL 1/2\"",
	"CONECTOR N MACHO", "DISJUNTOR BIPOLAR 40A", "LUVA DE VAQUETA",
	"CAPACETE DE SEGURANÇA", "PARAFUSO SEXTAVADO 3/8\" x 2\"",
	"ABRAÇADEIRA NYLON 200MM", "TINTA ESMALTE CINZA 3,6L",
	"ELETRODUTO GALVANIZADO 1\"", "CANTONEIRA AÇO 2\" x 3/16\"",
	"FITA ISOLANTE 19MM", "BATERIA 12V 100AH", "RETIFICADOR 48V",
	"DISCO DE CORTE 7\"", "ÓLEO LUBRIFICANTE 1L", "CIMENTO CP II 50KG",
	"CABO FLEXÍVEL 16MM² PRETO", "TERMINAL OLHAL 25MM", "LÂMPADA LED 9W",
};
#define NSTEMS	(sizeof(stems) / sizeof(stems[0]))

/* The ERP's families, without accents (LOWER() differs on them by tool). */
static const char *categories[] = {
	"MATERIAL ELETRICO", "EPI", "FERRO E ACO", "MATERIAL CIVIL",
	"FERRAMENTAS E EQUIPAMENTOS", "SUPRIMENTOS ADMINISTRATIVO", "PINTURA",
	"MATERIAL DE LIMPEZA", "INFORMATICA", "ABRASIVOS", "SINALIZADORES",
	"OLEOS E LUBRIFICANTES",
};
#define NCATEGORIES	(sizeof(categories) / sizeof(categories[0]))

struct item {
	char id[24];
	char name[MAX_FIELD];
	char category[MAX_FIELD];
	int family;
	int family_is_string;
	int supplier;
	long cost_milli;	/* cost in thousandths */
	int lead_time;
	long first_day;
};

static void
new_item(struct item *it, long n)
{
	const char *stem = stems[rndn(NSTEMS)];
	unsigned c = rndn(NCATEGORIES), style = rndn(10);
	char *p;

	snprintf(it->id, sizeof it->id, "%06ld", 10000 + n * 3);
	snprintf(it->name, sizeof it->name, "%s%s %03u%s",
	    rndn(4) == 0 ? "  " : "", stem, rndn(1000),
	    rndn(3) == 0 ? " " : "");
	snprintf(it->category, sizeof it->category, "%s", categories[c]);
	if (style >= 7) {	/* "Material Eletrico" */
		for (p = it->category + 1; *p != '\0'; p++)
			if (p[-1] != ' ' && *p >= 'A' && *p <= 'Z')
				*p += 'a' - 'A';
	}
	it->family = 100 + (int)c * 10;
	it->family_is_string = rndn(2);
	it->supplier = 4000 + (int)rndn(300);
	it->cost_milli = 1000 + (long)rndn(1999000);
	if (rndn(3) == 0)	/* a tie for half-up rounding: x.xx5 */
		it->cost_milli = it->cost_milli / 10 * 10 + 5;
	it->lead_time = 3 + (int)rndn(43);
	it->first_day = DAY_2024_01_01 - (long)(n % 4);
}

/* One row's own values. */
struct row {
	int null_id, null_name;
	long cost_milli;	/* <= 0 for a rejected cost */
	int null_cost;
	int cost_is_string;
	long quantity_tenths;	/* quantity * 10, some fractional */
	int quantity_is_string;
	long stock_tenths;
	int stock_is_string;
	int supplier_is_string;
	int lead_is_string;
	long day;
	long created_secs;	/* seconds into the row's day */
};

static void
new_row(struct row *r, const struct item *it, long day)
{
	unsigned q;

	memset(r, 0, sizeof *r);
	r->null_id = chance(50);
	r->null_name = chance(10);
	r->null_cost = chance(5);
	r->cost_milli = it->cost_milli;
	if (chance(20))
		r->cost_milli = 0;
	else if (chance(5))
		r->cost_milli = -it->cost_milli;
	r->cost_is_string = chance(1000);
	q = 0;
	if (!chance(6000)) {	/* lumpy demand: mostly small, now and then big */
		q = 1 + rndn(5);
		if (chance(2000))
			q += rndn(60);
	}
	r->quantity_tenths = (long)q * 10;
	if (q > 0 && chance(50))
		r->quantity_tenths += 1 + rndn(9);
	r->quantity_is_string = chance(300);
	r->stock_tenths = ((long)rndn(260) - 20) * 10;
	if (chance(50))
		r->stock_tenths += r->stock_tenths < 0 ? -5 : 7;
	r->stock_is_string = chance(200);
	r->supplier_is_string = chance(1000);
	r->lead_is_string = chance(500);
	r->day = day;
	r->created_secs = 6 * 3600 + (long)rndn(12 * 3600);
}

/* A number with one decimal if it has a fraction: 7, 2.5, -3.5, 7.0 never. */
static void
tenths(char *buf, size_t sz, long t)
{
	long a = t < 0 ? -t : t;

	if (a % 10 == 0)
		snprintf(buf, sz, "%ld", t / 10);
	else
		snprintf(buf, sz, "%s%ld.%ld", t < 0 ? "-" : "", a / 10, a % 10);
}

static void
milli(char *buf, size_t sz, long m)
{
	long a = m < 0 ? -m : m;

	snprintf(buf, sz, "%s%ld.%03ld", m < 0 ? "-" : "", a / 1000, a % 1000);
}

/* A JSON string body: escape '"' and '\\' (the names have no control chars). */
static void
json_str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

/* A CSV field, always quoted: keeps the spaces at the edges of names. */
static void
csv_str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

static void
write_row(FILE *js, FILE *csv, const struct item *it, const struct row *r)
{
	char cost[32], qty[32], stock[32], date[48], created[96];
	int y, m, d;
	long s = r->created_secs;

	milli(cost, sizeof cost, r->cost_milli);
	tenths(qty, sizeof qty, r->quantity_tenths);
	tenths(stock, sizeof stock, r->stock_tenths);
	civil(r->day, &y, &m, &d);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	snprintf(created, sizeof created, "%sT%02ld:%02ld:%02ldZ", date,
	    s / 3600, s / 60 % 60, s % 60);

	fputs("{\"item_id\":", js);
	if (r->null_id)
		fputs("null", js);
	else
		json_str(js, it->id);
	fputs(",\"item_name\":", js);
	if (r->null_name)
		fputs("null", js);
	else
		json_str(js, it->name);
	fputs(",\"category\":", js);
	json_str(js, it->category);
	fprintf(js, it->family_is_string ? ",\"family\":\"%d\"" :
	    ",\"family\":%d", it->family);
	fprintf(js, r->supplier_is_string ? ",\"supplier_id\":\"%d\"" :
	    ",\"supplier_id\":%d", it->supplier);
	if (r->null_cost)
		fputs(",\"cost\":null", js);
	else
		fprintf(js, r->cost_is_string ? ",\"cost\":\"%s\"" :
		    ",\"cost\":%s", cost);
	fprintf(js, r->quantity_is_string ? ",\"quantity\":\"%s\"" :
	    ",\"quantity\":%s", qty);
	fprintf(js, r->stock_is_string ? ",\"current_stock\":\"%s\"" :
	    ",\"current_stock\":%s", stock);
	fprintf(js, r->lead_is_string ? ",\"lead_time_days\":\"%d\"" :
	    ",\"lead_time_days\":%d", it->lead_time);
	fprintf(js, ",\"date\":\"%s\",\"created_at\":\"%s\"}\n", date,
	    created);

	fputs(r->null_id ? "" : it->id, csv);
	putc(',', csv);
	if (!r->null_name)
		csv_str(csv, it->name);
	putc(',', csv);
	csv_str(csv, it->category);
	fprintf(csv, ",%d,%d,%s,%s,%s,%d,%s,%s\n", it->family, it->supplier,
	    r->null_cost ? "" : cost, qty, stock, it->lead_time, date,
	    created);
}

static int
kept(const struct row *r)
{
	return !r->null_id && !r->null_name && !r->null_cost &&
	    r->cost_milli > 0 && r->day >= DAY_2024_01_01;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: gen-items [-n rows] [-s seed] items.ndjson items.csv\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct item it;
	struct row r, dup;
	FILE *js, *csv;
	long rows = 1000000, n = 0, items = 0, day = 0, dups = 0, nulls = 0;
	long expected = 0;
	int ch, item_kept = 0;
	char *end;

	rng_state = 20261127;
	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			rows = strtol(optarg, &end, 10);
			if (*end != '\0' || rows < 1)
				usage();
			break;
		case 's':
			rng_state = strtoull(optarg, &end, 10);
			if (*end != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();
	if ((js = fopen(argv[0], "w")) == NULL)
		err(1, "%s", argv[0]);
	if ((csv = fopen(argv[1], "w")) == NULL)
		err(1, "%s", argv[1]);
	fputs("item_id,item_name,category,family,supplier_id,cost,quantity,"
	    "current_stock,lead_time_days,date,created_at\n", csv);

	while (n < rows) {
		if (items == 0 || day == it.first_day + DAYS_PER_ITEM) {
			new_item(&it, items++);
			day = it.first_day;
		}
		new_row(&r, &it, day);
		item_kept = kept(&r);
		write_row(js, csv, &it, &r);
		nulls += r.null_id;
		n++;
		/* A second version of the same (item_id, date), now and then. */
		if (n < rows && chance(100)) {
			new_row(&dup, &it, day);
			dup.created_secs = r.created_secs +
			    (rndn(2) ? 1 : -1) * (1 + (long)rndn(6 * 3600 - 1));
			write_row(js, csv, &it, &dup);
			nulls += dup.null_id;
			item_kept |= kept(&dup);
			dups++;
			n++;
		}
		expected += item_kept;
		day++;
	}
	if (fclose(js) == EOF || fclose(csv) == EOF)
		err(1, "write");
	printf("rows=%ld items=%ld duplicates=%ld null_item_id=%ld "
	    "expected_out=%ld\n", n, items, dups, nulls, expected);
	return 0;
}
