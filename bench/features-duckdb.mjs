// features-duckdb.mjs: the benchmark's DuckDB competitor (bench/features).
//   node bench/features-duckdb.mjs IN.ndjson OUT.ndjson
// The seed's int_item_features window SQL over read_json, written back as
// NDJSON with COPY TO.  Needs @duckdb/node-api in bench/node_modules.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
	console.error('usage: features-duckdb.mjs IN OUT');
	process.exit(2);
}
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const sql = `
COPY (
WITH staging AS (
	SELECT * FROM read_json(${lit(input)}, format = 'newline_delimited')
), temporal_features AS (
	SELECT *,
		year(date) AS year, month(date) AS month, quarter(date) AS quarter,
		day(date) AS day, dayofweek(date) + 1 AS day_of_week,
		dayofyear(date) AS day_of_year,
		sin(2 * pi() * month(date) / 12) AS month_sin,
		cos(2 * pi() * month(date) / 12) AS month_cos,
		sin(2 * pi() * (dayofweek(date) + 1) / 7) AS day_of_week_sin,
		cos(2 * pi() * (dayofweek(date) + 1) / 7) AS day_of_week_cos,
		CASE WHEN dayofweek(date) + 1 IN (1, 7) THEN 1 ELSE 0 END AS is_weekend,
		CASE WHEN day(date) <= 7 THEN 1 ELSE 0 END AS is_month_start,
		CASE WHEN day(date) >= 25 THEN 1 ELSE 0 END AS is_month_end
	FROM staging
)
SELECT *,
	lag(quantity, 1) OVER w AS lag_1,
	lag(quantity, 7) OVER w AS lag_7,
	lag(quantity, 30) OVER w AS lag_30,
	avg(quantity) OVER (w ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rolling_mean_7,
	stddev_samp(quantity) OVER (w ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rolling_std_7,
	avg(quantity) OVER (w ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS rolling_mean_30
FROM temporal_features
WINDOW w AS (PARTITION BY item_id ORDER BY date)
) TO ${lit(output)} (FORMAT JSON)`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(sql);
