// extsort-duckdb.mjs: DuckDB's bare read-and-write of an NDJSON file, the
// floor bench/extsort holds nc-transform --sorted against.
//
//   node bench/extsort-duckdb.mjs IN.ndjson OUT.ndjson
//       COPY (SELECT * FROM read_json(IN)) TO OUT (FORMAT JSON): every
//       record parsed and written again, nothing computed.
//
// Needs @duckdb/node-api in bench/node_modules (bench/extsort installs it).
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
	console.error('usage: extsort-duckdb.mjs IN OUT');
	process.exit(2);
}
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (SELECT * FROM read_json(${lit(input)},
	format = 'newline_delimited')) TO ${lit(output)} (FORMAT JSON)`);
