/*
 * alert_rank.c: alerts ranked by value at risk (--top N), and the buyer's
 * one-screen daily summary in Portuguese (--summary FILE).
 *
 * Value at risk = order value (recommended_order_qty x cost) x the chance
 * of a stockout within the lead time plus the review period (see
 * alert_assess.c): what a buyer stands to lose most by not acting, in
 * money, so that a R$ 40,000 order at 60% comes before a R$ 200 one at 99%.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "nc.h"

/* Is x before y?  NAN sorts last in each criterion. */
static int
better(const struct alert_entry *x, const struct alert_entry *y)
{
	const double kx[3] = { x->a.value_at_risk, x->a.p_stockout, -x->a.d2s };
	const double ky[3] = { y->a.value_at_risk, y->a.p_stockout, -y->a.d2s };

	for (int i = 0; i < 3; i++) {
		if (isnan(kx[i]) != isnan(ky[i]))
			return !isnan(kx[i]);
		if (!isnan(kx[i]) && kx[i] != ky[i])
			return kx[i] > ky[i];
	}
	return x->seq < y->seq;
}

void
alert_top_init(struct alert_top *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap;
	if (cap > 0)
		t->e = xcalloc(cap, sizeof(*t->e));
}

static void
entry_release(struct alert_entry *e)
{
	json_decref(e->rec);
	json_decref((json_t *)e->entry);
	free(e->key);
}

int
alert_top_offer(struct alert_top *t, const json_t *rec, const char *key,
    const struct alert *a, const char *input, unsigned long lineno,
    const json_t *entry, const char *why)
{
	struct alert_entry c = { 0 };
	size_t i;

	c.a = *a;
	c.seq = t->seq++;
	if (t->cap == 0 || (t->n == t->cap && !better(&c, &t->e[t->n - 1])))
		return 0;
	if (t->n == t->cap)
		entry_release(&t->e[--t->n]);
	for (i = t->n; i > 0 && better(&c, &t->e[i - 1]); i--)
		;
	memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof(*t->e));
	c.rec = json_incref((json_t *)rec);
	c.key = key != NULL ? xstrdup(key) : NULL;
	snprintf(c.input, sizeof(c.input), "%s", input != NULL ? input : "");
	c.lineno = lineno;
	c.entry = json_incref((json_t *)entry);
	c.why = why;
	t->e[i] = c;
	t->n++;
	return 1;
}

void
alert_top_release(struct alert_top *t)
{
	for (size_t i = 0; i < t->n; i++)
		entry_release(&t->e[i]);
	free(t->e);
	memset(t, 0, sizeof(*t));
}

void
alert_summary_init(struct alert_summary *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	alert_top_init(&s->top, n);
}

void
alert_summary_add(struct alert_summary *s, const json_t *rec, const struct alert *a)
{
	s->count[a->level]++;
	s->one_off += a->one_off;
	if (a->level == AL_VERDE)
		return;
	if (a->qty > 0 && isnan(a->order_value))
		s->no_cost++;
	else if (a->qty > 0)
		s->order_value[a->level] += a->order_value;
	if (a->level == AL_AMARELO || a->level == AL_VERMELHO)
		alert_top_offer(&s->top, rec, NULL, a, NULL, 0, NULL, NULL);
}

void
alert_summary_release(struct alert_summary *s)
{
	alert_top_release(&s->top);
}

/* 1234567.8 as "1.234.568": whole units, '.' between thousands. */
static const char *
br_int(double x, char buf[40])
{
	char t[32];
	size_t n, j = 0;
	int neg = x < 0;

	snprintf(t, sizeof(t), "%.0f", fabs(x) < 1e15 ? fabs(x) : 0);
	n = strlen(t);
	if (neg && strcmp(t, "0") != 0)
		buf[j++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[j++] = '.';
		buf[j++] = t[i];
	}
	buf[j] = '\0';
	return buf;
}

/*
 * s cut to at most w characters (UTF-8 code points, a cut marked by '~')
 * and padded with spaces to w, into sb.
 */
static void
put_col(struct strbuf *sb, const char *s, size_t w)
{
	size_t len = strlen(s), i = 0, cps = 0, cut;

	while (i < len && cps < w) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	if (i < len && w > 0) {
		/* Too long: w - 1 characters and '~'. */
		cut = 0;
		for (size_t c = 0, k = 0; k < len && c < w - 1; c++) {
			k++;
			while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
				k++;
			cut = k;
		}
		strbuf_add(sb, s, cut);
		strbuf_addc(sb, '~');
		return;
	}
	strbuf_add(sb, s, i);
	for (; cps < w; cps++)
		strbuf_addc(sb, ' ');
}

static void
addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
addf(struct strbuf *sb, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		strbuf_add(sb, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static const char *
money(double x, char buf[48])
{
	char b[40];

	if (isnan(x))
		return "?";
	snprintf(buf, 48, "R$ %s", br_int(x, b));
	return buf;
}

/*
 * The summary, one screen:
 *
 *	Alertas de estoque em 2025-10-25: 2457 séries lidas, 0 rejeitadas
 *	  VERMELHO   compre já                          12   pedidos R$ 123.456
 *	  ...
 *	As 10 de maior valor em risco (valor do pedido x chance de ruptura):
 *	 # nível    item           material           comprar chance  em risco  ruptura
 *	 1 VERMELHO 010002|1206000 CONECTOR ...           360  98%  R$ 12.345   26/10
 */
int
alert_summary_write(const struct alert_opts *o, struct alert_summary *s, const char *path)
{
	static const char *const what[AL_NLEVELS] = {
		"sem ação", "planeje a compra", "compre já", "sob encomenda: compre a pedido"
	};
	static const enum alert_level order[AL_NLEVELS] = {
		AL_VERMELHO, AL_AMARELO, AL_ENCOMENDA, AL_VERDE
	};
	struct strbuf sb = { 0 };
	char day[DATE_BUFSZ], m1[48], m2[48], m3[48];
	FILE *fp;
	int rc = 0;

	memcpy(day, o->now_s, DATE_BUFSZ - 1);
	day[DATE_BUFSZ - 1] = '\0';
	addf(&sb, "Alertas de estoque em %s: %lu séries lidas, %lu rejeitadas\n", day,
	    s->in, s->rejected);
	for (int i = 0; i < AL_NLEVELS; i++) {
		enum alert_level l = order[i];

		addf(&sb, "  %-10s ", alert_level_name[l]);
		put_col(&sb, what[l], 31);
		addf(&sb, " %6lu", s->count[l]);
		if (l == AL_VERMELHO || l == AL_AMARELO)
			addf(&sb, "   pedidos %s", money(s->order_value[l], m1));
		else if (l == AL_ENCOMENDA && s->order_value[l] > 0)
			addf(&sb, "   encomendas %s", money(s->order_value[l], m1));
		else if (l == AL_VERDE && s->one_off > 0)
			addf(&sb, "   (%lu requisições pontuais)", s->one_off);
		strbuf_addc(&sb, '\n');
	}
	addf(&sb, "  Valor total dos pedidos a fazer (VERMELHO + AMARELO): %s\n",
	    money(s->order_value[AL_VERMELHO] + s->order_value[AL_AMARELO], m2));
	if (s->no_cost > 0)
		addf(&sb, "  (%lu pedidos sem custo unitário ficaram fora do total)\n", s->no_cost);
	if (s->top.n == 0)
		addf(&sb, "Nenhuma série pede compra hoje.\n");
	else {
		addf(&sb, "As %zu de maior valor em risco (valor do pedido x chance de ruptura "
		    "no prazo):\n", s->top.n);
		addf(&sb, " # nível    item            material           comprar chance"
		    "     em risco ruptura\n");
	}
	for (size_t i = 0; i < s->top.n; i++) {
		const struct alert_entry *e = &s->top.e[i];
		const char *name = json_string_value(json_object_get(e->rec, "item_name"));
		struct strbuf key = { 0 };
		char q[32], pc[8], dd[8];

		alert_key_text(o, e->rec, &key);
		addf(&sb, "%2zu %-8s ", i + 1, alert_level_name[e->a.level]);
		put_col(&sb, key.s ? key.s : "", 15);
		strbuf_addc(&sb, ' ');
		put_col(&sb, name ? name : "-", 18);
		snprintf(pc, sizeof(pc), isnan(e->a.p_stockout) ? "?" : "%.0f%%",
		    100 * e->a.p_stockout);
		if (e->a.stock <= 0 && e->a.level == AL_VERMELHO)
			strcpy(dd, "já");     /* out of stock now */
		else if (e->a.has_stockout)
			snprintf(dd, sizeof(dd), "%.2s/%.2s", e->a.stockout + 8, e->a.stockout + 5);
		else
			strcpy(dd, "-");
		addf(&sb, " %7s %6s %12s %7s\n", e->a.qty > 0 ? alert_fmt2(e->a.qty, q) : "0",
		    pc, money(e->a.value_at_risk, m3), dd);
		strbuf_release(&key);
	}
	if (strcmp(path, "-") == 0)
		fp = stderr;
	else if ((fp = fopen(path, "w")) == NULL) {
		warn("error: %s", path);
		strbuf_release(&sb);
		return -1;
	}
	if (fwrite(sb.s, 1, sb.len, fp) != sb.len || fflush(fp) != 0) {
		warnx("error: %s: write error", path);
		rc = -1;
	}
	if (fp != stderr && fclose(fp) != 0 && rc == 0) {
		warn("error: %s", path);
		rc = -1;
	}
	strbuf_release(&sb);
	return rc;
}
