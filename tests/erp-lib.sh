# tests/erp-lib.sh: the ERP fixture database for nc-extract-erp's tests.
#
#	. "$TESTS_DIR/pg.sh"
#	. "$TESTS_DIR/erp-lib.sh"
#	pg_start && erp_load
#
# erp_load creates tests/fixtures/erp/schema.sql's tables in the throwaway
# server and loads items.tsv, edge.sql and requisicoes.csv.
ERP=$FIXTURES/erp

erp_load() {
	psql -X -q -v ON_ERROR_STOP=1 -f "$ERP/schema.sql" &&
	psql -X -q -v ON_ERROR_STOP=1 -c "\\copy items FROM '$ERP/items.tsv'" &&
	psql -X -q -v ON_ERROR_STOP=1 -f "$ERP/edge.sql" &&
	psql -X -q -v ON_ERROR_STOP=1 -c "\\copy requisicoes FROM '$ERP/requisicoes.csv' WITH (FORMAT csv, HEADER true)"
}
