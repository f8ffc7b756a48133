// duckdb-transform.mjs: the benchmark's DuckDB competitor (bench/transform).
//
//   node bench/duckdb-transform.mjs stage IN.ndjson OUT.ndjson [LOADED_AT]
//       nc-transform's staging (dbt stg_items) in one SQL statement:
//       read_json -> cast, clean, filter, derive, dedup -> COPY TO (FORMAT JSON)
//   node bench/duckdb-transform.mjs csv IN.csv OUT.ndjson
//       nc-csv's job: read_csv -> COPY TO (FORMAT JSON)
//
// Needs @duckdb/node-api in bench/node_modules (bench/transform installs it).
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, input, output, loadedAt = '2026-11-27T05:00:00Z'] =
	process.argv.slice(2);
if (!['stage', 'csv'].includes(mode) || !input || !output) {
	console.error('usage: duckdb-transform.mjs stage|csv IN OUT [LOADED_AT]');
	process.exit(2);
}

// SQL string literal.
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

// Every field arrives as text, whether the JSON has a number or a string,
// so that ids stay as written ("010825") and costs round from their
// decimal text, as nc-transform does.
const raw = `read_json(${lit(input)}, format = 'newline_delimited',
	columns = {item_id: 'VARCHAR', item_name: 'VARCHAR', category: 'VARCHAR',
		family: 'VARCHAR', supplier_id: 'VARCHAR', cost: 'VARCHAR',
		quantity: 'VARCHAR', current_stock: 'VARCHAR',
		lead_time_days: 'VARCHAR', date: 'VARCHAR', created_at: 'VARCHAR'})`;

// Integers truncate toward zero ("2.5" -> 2, "-3.5" -> -3).
const int = (c) => `CAST(trunc(CAST(${c} AS DOUBLE)) AS INTEGER)`;

const stage = `
WITH cleaned AS (
	SELECT
		item_id,
		trim(item_name) AS item_name,
		lower(category) AS category,
		family,
		supplier_id,
		CAST(cost AS DECIMAL(10, 2)) AS cost,
		${int('quantity')} AS quantity,
		${int('current_stock')} AS current_stock,
		${int('lead_time_days')} AS lead_time_days,
		CAST(date AS DATE) AS date,
		CAST(created_at AS TIMESTAMP) AS created_at
	FROM ${raw} AS src
	WHERE src.item_id IS NOT NULL
		AND src.item_name IS NOT NULL
		AND CAST(src.cost AS DOUBLE) > 0
		AND CAST(src.date AS DATE) >= DATE '2024-01-01'
)
SELECT
	item_id, item_name, category, family, supplier_id, cost, quantity,
	current_stock, lead_time_days, date,
	strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
	CASE
		WHEN current_stock <= 0 THEN 'OUT_OF_STOCK'
		WHEN current_stock <= 10 THEN 'LOW_STOCK'
		WHEN current_stock IS NOT NULL THEN 'OK'
	END AS stock_status,
	cost * quantity AS total_value,
	cost / NULLIF(quantity, 0) AS unit_cost,
	${lit(loadedAt)} AS loaded_at
FROM cleaned
QUALIFY row_number() OVER (PARTITION BY item_id, date
	ORDER BY created_at DESC) = 1`;

// As nc-csv --strings item_id,supplier_id: those columns stay text, the rest is
// sniffed (dates and timestamps kept as written).
const csv = `SELECT * FROM read_csv(${lit(input)}, header = true,
	types = {'item_id': 'VARCHAR', 'supplier_id': 'VARCHAR',
		'date': 'VARCHAR', 'created_at': 'VARCHAR'})`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (${mode === 'stage' ? stage : csv})
	TO ${lit(output)} (FORMAT JSON)`);
