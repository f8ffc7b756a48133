#!/bin/sh
# sqlite-transform.sh: the benchmark's sqlite3 competitor (bench/transform).
#   sqlite-transform.sh IN.ndjson OUT.ndjson [LOADED_AT]
# nc-transform's staging (dbt stg_items) in the sqlite3 shell: each line is
# imported whole into an in-memory table, the fields are taken out with the
# JSON functions (->>), and the rows written back with json_object().
set -eu
in=$1 out=$2 loaded_at=${3:-2026-11-27T05:00:00Z}
case $in$out$loaded_at in *"'"*|*'"'*) echo "$0: quotes in arguments" >&2; exit 2 ;; esac

sqlite3 -batch -bail :memory: <<SQL
PRAGMA temp_store = MEMORY;
CREATE TABLE raw(line TEXT);
.mode ascii
.separator "\037" "\n"
.import "$in" raw
.mode list
.headers off
.output "$out"
WITH src AS (
	SELECT rowid AS n,
		line ->> 'item_id' AS item_id, line ->> 'item_name' AS item_name,
		line ->> 'category' AS category, line ->> 'family' AS family,
		line ->> 'supplier_id' AS supplier_id, line ->> 'cost' AS cost,
		line ->> 'quantity' AS quantity,
		line ->> 'current_stock' AS current_stock,
		line ->> 'lead_time_days' AS lead_time_days,
		line ->> 'date' AS date, line ->> 'created_at' AS created_at
	FROM raw
), cleaned AS (
	SELECT n,
		CAST(item_id AS TEXT) AS item_id,
		trim(item_name) AS item_name,
		lower(category) AS category,
		CAST(family AS TEXT) AS family,
		CAST(supplier_id AS TEXT) AS supplier_id,
		-- DECIMAL(10,2), half-up: costs are > 0 here; 1e-6 undoes the
		-- binary error of x.xx5 (12.345 * 100 = 1234.4999...)
		CAST(CAST(cost AS REAL) * 100 + 0.5 + 1e-6 AS INTEGER) / 100.0 AS cost,
		-- integers truncate toward zero
		CAST(CAST(quantity AS REAL) AS INTEGER) AS quantity,
		CAST(CAST(current_stock AS REAL) AS INTEGER) AS current_stock,
		CAST(CAST(lead_time_days AS REAL) AS INTEGER) AS lead_time_days,
		date, created_at
	FROM src
	WHERE item_id IS NOT NULL AND item_name IS NOT NULL
		AND CAST(cost AS REAL) > 0 AND date >= '2024-01-01'
), deduplicated AS (
	SELECT *, row_number() OVER (PARTITION BY item_id, date
		ORDER BY created_at DESC, n DESC) AS k
	FROM cleaned
)
SELECT json_object('item_id', item_id, 'item_name', item_name,
	'category', category, 'family', family, 'supplier_id', supplier_id,
	'cost', cost, 'quantity', quantity, 'current_stock', current_stock,
	'lead_time_days', lead_time_days, 'date', date,
	'created_at', created_at,
	'stock_status', CASE
		WHEN current_stock <= 0 THEN 'OUT_OF_STOCK'
		WHEN current_stock <= 10 THEN 'LOW_STOCK'
		WHEN current_stock IS NOT NULL THEN 'OK' END,
	'total_value', cost * quantity,
	'unit_cost', cost / NULLIF(quantity, 0),
	'loaded_at', '$loaded_at')
FROM deduplicated WHERE k = 1;
SQL
