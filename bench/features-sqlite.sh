#!/bin/sh
# features-sqlite.sh: the benchmark's sqlite3 competitor (bench/features).
#   features-sqlite.sh IN.ndjson OUT.ndjson
# Lines imported whole, fields taken out with ->>, the seed's window SQL
# (tests/fixtures/features/int_item_features.sqlite.sql's translation, the
# standard deviation from window sums since SQLite has no STDDEV), rows
# written back as JSON objects.
set -eu
in=$1 out=$2
case $in$out in *"'"*|*'"'*) echo "$0: quotes in arguments" >&2; exit 2 ;; esac
sqlite3 -batch -bail :memory: <<SQL
PRAGMA temp_store = MEMORY;
CREATE TABLE raw(line TEXT);
.mode ascii
.separator "\037" "\n"
.import "$in" raw
.mode list
.headers off
.output "$out"
WITH s AS (
	SELECT line, line ->> 'item_id' AS item_id, line ->> 'date' AS date,
		line ->> 'quantity' AS quantity,
		CAST(strftime('%m', line ->> 'date') AS INTEGER) AS m,
		CAST(strftime('%w', line ->> 'date') AS INTEGER) + 1 AS dow,
		CAST(strftime('%d', line ->> 'date') AS INTEGER) AS d
	FROM raw
), w AS (
	SELECT *,
		LAG(quantity, 1) OVER win AS lag_1, LAG(quantity, 7) OVER win AS lag_7,
		LAG(quantity, 30) OVER win AS lag_30,
		AVG(quantity) OVER (win ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rm7,
		SUM(quantity * quantity) OVER (win ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS ss7,
		SUM(quantity) OVER (win ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s7,
		COUNT(quantity) OVER (win ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS n7,
		AVG(quantity) OVER (win ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS rm30
	FROM s WINDOW win AS (PARTITION BY item_id ORDER BY date)
)
SELECT json_patch(line, json_object(
	'year', CAST(strftime('%Y', date) AS INTEGER), 'month', m, 'quarter', (m + 2) / 3,
	'day', d, 'day_of_week', dow, 'day_of_year', CAST(strftime('%j', date) AS INTEGER),
	'month_sin', sin(2 * pi() * m / 12), 'month_cos', cos(2 * pi() * m / 12),
	'day_of_week_sin', sin(2 * pi() * dow / 7), 'day_of_week_cos', cos(2 * pi() * dow / 7),
	'is_weekend', dow IN (1, 7), 'is_month_start', d <= 7, 'is_month_end', d >= 25,
	'lag_1', lag_1, 'lag_7', lag_7, 'lag_30', lag_30, 'rolling_mean_7', rm7,
	'rolling_std_7', CASE WHEN n7 > 1 THEN sqrt(max(ss7 - 1.0 * s7 * s7 / n7, 0) / (n7 - 1)) END,
	'rolling_mean_30', rm30))
FROM w ORDER BY item_id, date;
SQL
