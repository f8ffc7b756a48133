/* Unit tests of lib/sqlstr.c: TRIM and LOWER. */
#include <string.h>

#include "sqlstr.h"
#include "tap.h"

static const char *
lower(const char *s)
{
	static char buf[256];

	strcpy(buf, s);
	sql_lower(buf);
	return buf;
}

static const char *
trim(const char *s)
{
	static char buf[256];

	strcpy(buf, s);
	sql_trim(buf);
	return buf;
}

int
main(void)
{
	is_str(trim("  a b  "), "a b", "spaces trimmed both sides");
	is_str(trim("\ta\t"), "\ta\t", "tabs kept, as Spark's TRIM does");
	is_str(trim("   "), "", "only spaces");
	is_str(trim(""), "", "empty");
	is_str(lower("MATERIAL CIVIL"), "material civil", "ASCII");
	is_str(lower("ELÉTRICO ÇÃO ÂÊÔÕÚÜÀ"), "elétrico ção âêôõúüà", "Portuguese letters");
	is_str(lower("×÷ß"), "×÷ß", "sign and sharp s unchanged");
	is_str(lower("ĀĄĆŁŃŹŽ"), "āąćłńźž", "Latin Extended-A pairs");
	is_str(lower("ÿ€日本"), "ÿ€日本", "other characters unchanged");
	return tap_done();
}
