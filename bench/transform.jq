# transform.jq: the benchmark's jq competitor (bench/transform):
#   jq -n -c --arg loaded_at ... -f bench/transform.jq IN
# nc-transform's staging (dbt stg_items), record by record.  Like
# nc-transform --sorted, it keeps one record in memory: the input must be
# sorted by (item_id, date), so that the duplicates of a key are adjacent.

# A number from a JSON number or a numeric string; null stays null.
def number: if type == "string" then tonumber else . end;
# Integers truncate toward zero.
def integer: number | if . == null then null
	elif . < 0 then -(-. | floor) else floor end;
def id: if . == null then null else tostring end;
# DECIMAL(10,2), half-up (costs are > 0 here); 1e-6 undoes the binary error
# of x.xx5 (12.345 * 100 = 1234.4999...).
def cost2: (number * 100 + 0.5 + 0.000001 | floor) / 100;
# TRIM(): spaces only, without regular expressions (slow in jq 1.6).
def ltrim: if startswith(" ") then .[1:] | ltrim else . end;
def rtrim: if endswith(" ") then .[:-1] | rtrim else . end;

def stage:
	select(.item_id != null and .item_name != null
		and (.cost | number) != null and (.cost | number) > 0
		and .date >= "2024-01-01")
	| (.cost | cost2) as $cost
	| (.quantity | integer) as $quantity
	| (.current_stock | integer) as $stock
	| {item_id: (.item_id | id), item_name: (.item_name | ltrim | rtrim),
	   category: (.category | ascii_downcase), family: (.family | id),
	   supplier_id: (.supplier_id | id), cost: $cost, quantity: $quantity,
	   current_stock: $stock, lead_time_days: (.lead_time_days | integer),
	   date, created_at,
	   stock_status: (if $stock == null then null
		elif $stock <= 0 then "OUT_OF_STOCK"
		elif $stock <= 10 then "LOW_STOCK" else "OK" end),
	   total_value: (if $quantity == null then null else $cost * $quantity end),
	   unit_cost: (if $quantity == null or $quantity == 0 then null
		else $cost / $quantity end),
	   loaded_at: $loaded_at};

# Deduplicate (item_id, date): the latest created_at wins, ties to the later
# line.  A null after the last record flushes the one kept.
foreach ((inputs | stage), null) as $r ({keep: null, out: null};
	if $r == null then {keep: null, out: .keep}
	elif .keep != null and .keep.item_id == $r.item_id
	    and .keep.date == $r.date then
		{keep: (if $r.created_at >= .keep.created_at then $r else .keep end),
		 out: null}
	else {keep: $r, out: .keep} end;
	.out // empty)
