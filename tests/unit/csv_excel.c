/* Unit tests of lib/csv_excel.c: the cell text of nc-csv --excel. */
#include <string.h>

#include "csv_tool.h"
#include "tap.h"

/* csv_excel_text() of s, as a C string. */
static const char *
xl(const char *s)
{
	static struct strbuf sb;

	sb.len = 0;
	strbuf_add(&sb, "", 0);
	csv_excel_text(&sb, s, strlen(s));
	return sb.s;
}

/* csv_excel_untext() of s, or "(not)" when s is no ="..." cell. */
static const char *
unxl(const char *s)
{
	static struct strbuf sb;

	if (!csv_excel_untext(&sb, s, strlen(s)))
		return "(not)";
	strbuf_add(&sb, "", 0);
	return sb.s;
}

int
main(void)
{
	static const char *const round[] = { "000123", "0042", "40140-110", "3/8",
		"=1+1", "=\"x\"", "-", "+55 71 3333-0000", "@A1", "1e5", "10%", "" };
	char longf[300];

	/* What Excel's General format would turn into a number or a date. */
	is_str(xl("000123"), "=\"000123\"", "a code with a leading zero");
	is_str(xl("94657"), "=\"94657\"", "a code of digits");
	is_str(xl("40140-110"), "=\"40140-110\"", "a CEP");
	is_str(xl("3/8"), "=\"3/8\"", "a fraction");
	is_str(xl("1 1/2"), "=\"1 1/2\"", "a mixed fraction");
	is_str(xl("10%"), "=\"10%\"", "a percentage");
	is_str(xl("1e5"), "=\"1e5\"", "an exponent");
	is_str(xl("(12)"), "=\"(12)\"", "an accounting negative");
	is_str(xl("06:30"), "=\"06:30\"", "a time");
	/* Formulas, inert. */
	is_str(xl("=SUM(A1:A9)"), "=\"=SUM(A1:A9)\"", "a formula");
	is_str(xl("=HYPERLINK(\"http://x\")"), "=\"=HYPERLINK(\"\"http://x\"\")\"",
	    "a formula with quotes");
	is_str(xl("+x"), "=\"+x\"", "a leading +");
	is_str(xl("-x"), "=\"-x\"", "a leading -");
	is_str(xl("@x"), "=\"@x\"", "a leading @");
	is_str(xl("\t=1"), "=\"\t=1\"", "a leading tab");
	memset(longf, 'x', sizeof(longf) - 1);
	longf[0] = '=';
	longf[sizeof(longf) - 1] = '\0';
	ok(xl(longf)[0] == '\'' && strcmp(xl(longf) + 1, longf) == 0,
	    "a formula past 255 characters: an apostrophe");
	longf[255] = '\0';
	ok(strncmp(xl(longf), "=\"=", 3) == 0, "a formula of 255 characters: =\"...\"");
	/* Text that stays text, its decimal points made commas. */
	is_str(xl("CLIPS CROSBY 3/8"), "CLIPS CROSBY 3/8", "a name with a fraction");
	is_str(xl("cobertura 2.5 dias"), "cobertura 2,5 dias", "a number in a reason");
	is_str(xl("estoque 17 <= 0.8 x ponto de pedido 32.03 (25.63): compre já"),
	    "estoque 17 <= 0,8 x ponto de pedido 32,03 (25,63): compre já",
	    "the numbers of an alert reason");
	is_str(xl("PRETO 3.6L"), "PRETO 3,6L", "a size glued to its unit");
	is_str(xl("TRINCHA 1.1/2''"), "TRINCHA 1.1/2''", "an inch and a half");
	is_str(xl("v1.2 1.2.3 10.0.0.1 A1.5"), "v1.2 1.2.3 10.0.0.1 A1.5",
	    "versions, addresses, glued codes");
	is_str(xl("ARAME GALV.FIO 14 2,10MM"), "ARAME GALV.FIO 14 2,10MM",
	    "a point between letters, a comma already");
	is_str(xl("fim. 2.5"), "fim. 2,5", "a full stop, then a number");
	is_str(xl("custa 2.5."), "custa 2,5.", "a number, then a full stop");
	is_str(xl("BAJSS002-3"), "BAJSS002-3", "a site code with letters");
	is_str(xl("010000|VERMELHO|2025-10-25"), "010000|VERMELHO|2025-10-25", "an alert id");
	/* Dates stay dates. */
	is_str(xl("2025-10-20"), "2025-10-20", "an ISO date");
	is_str(xl("2025-10-25T06:00:00.5Z"), "2025-10-25T06:00:00.5Z", "a timestamp");
	is_str(xl(""), "", "empty text");
	/* Reading back. */
	is_str(unxl("=\"000123\""), "000123", "=\"...\" read back");
	is_str(unxl("=\"a\"\"b\""), "a\"b", "a doubled quote read back");
	is_str(unxl("=\"\""), "", "=\"\" is empty text");
	is_str(unxl("=\"a\"b\""), "(not)", "a single quote inside: not the form");
	is_str(unxl("=\"abc"), "(not)", "no closing quote: not the form");
	is_str(unxl("=A1"), "(not)", "another formula: not the form");
	is_str(unxl("=\""), "(not)", "=\" alone: not the form");
	for (size_t i = 0; i < sizeof(round) / sizeof(*round); i++) {
		const char *w = xl(round[i]);
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", w);
		if (buf[0] == '=')
			is_str(unxl(buf), round[i], "round trip through =\"...\"");
		else
			is_str(buf, round[i], "round trip of plain text");
	}
	return tap_done();
}
