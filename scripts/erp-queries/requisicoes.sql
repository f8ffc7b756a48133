-- requisicoes.sql: item-day records (nc-records(5)) for nc-extract-erp -q,
-- from an ERP whose purchase requests look like Nova Corrente's export
-- (data/sample/requisicoes-2024-2025.csv): one row per request line in a
-- table "requisicoes" with the export's columns (see
-- tests/fixtures/erp/schema.sql).  Adapt the table and column names to
-- your ERP.
--
--   nc-extract-erp -q scripts/erp-queries/requisicoes.sql --date 2025-03-24
--   nc-extract-erp -q scripts/erp-queries/requisicoes.sql --bookmark date -s st --new-state st.new
--
-- $1 and $2 are the first and last request dates of the run (--date, or
-- --since/--until; -infinity/infinity when absent).  The mapping is that of
-- scripts/nc-sample-map (data/sample/README): one record per item, site and
-- request date; quantities summed; the longest valid lead time (purchase
-- date minus request date, negative differences left out); the supplier
-- of the line with the largest quantity.  Services (unit SR) are not
-- stocked and are left out; lines without a request date never match.
--
-- cost and current_stock are NULL: the export holds no prices and no
-- stock on hand.  Join your ERP's price list and stock tables here, or
-- nc-transform will reject every record for its missing cost.
SELECT r.produto                                      AS item_id,
       min(r.material)                                AS item_name,
       min(r.familia)                                 AS category,
       min(r.familia)                                 AS family,
       (array_agg(r.fornecedor ORDER BY r.quantidade DESC NULLS LAST,
                  r.solicitacao, r.fornecedor))[1]    AS supplier_id,
       NULL::numeric                                  AS cost,
       sum(r.quantidade)                              AS quantity,
       NULL::integer                                  AS current_stock,
       max(r.data_compra - r.data_solicitado)
           FILTER (WHERE r.data_compra >= r.data_solicitado) AS lead_time_days,
       r.data_solicitado                              AS date,
       r.data_solicitado::timestamp AT TIME ZONE 'UTC' AS created_at,
       r.deposito                                     AS site_id
FROM requisicoes AS r
WHERE r.unidade IS DISTINCT FROM 'SR'
  AND r.data_solicitado BETWEEN $1 AND $2
GROUP BY r.produto, r.deposito, r.data_solicitado
ORDER BY item_id, site_id NULLS FIRST, date;
