#!/usr/bin/env python3
"""compare.py: do the staging outputs of bench/transform agree?

    compare.py [-i ID,ID,...] NAME=OUT.ndjson ...

Reads each output (all of it, or only the rows of the sampled item_ids given
with -i, which is fast on big files), keys the rows by (item_id, date) and
compares every tool with the first one: same keys, same fields in the same
order, same values (numbers within 1e-9 relative, so 37.05 and
37.050000000000004 agree; 0 and 0.0 agree; "140" and 140 do not).  Prints one
line per tool and a few differences; exits 1 if any tool disagrees.
"""
import json
import sys

MAX_SHOWN = 3


def load(path, ids):
    rows, dups = {}, 0
    needles = [('"%s"' % i) for i in ids]
    with open(path, encoding="utf-8") as f:
        for line in f:
            if needles and not any(n in line for n in needles):
                continue
            r = json.loads(line)
            if ids and r.get("item_id") not in ids:
                continue
            key = (r.get("item_id"), r.get("date"))
            dups += key in rows
            rows[key] = r
    return rows, dups


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return type(a) is type(b) and a == b


def diff(ref, row):
    if list(ref) != list(row):
        return "fields %s, not %s" % (",".join(row), ",".join(ref))
    bad = [k for k in ref if not same(ref[k], row[k])]
    return ", ".join("%s: %s, not %s" % (k, json.dumps(row[k]),
                                         json.dumps(ref[k])) for k in bad)


def main(argv):
    ids = set()
    if len(argv) > 1 and argv[0] == "-i":
        ids = set(x for x in argv[1].split(",") if x)
        argv = argv[2:]
    outs = [a.split("=", 1) for a in argv]
    if not outs or any(len(o) != 2 for o in outs):
        sys.exit(__doc__)
    scope = ("rows of item_id %s" % ",".join(sorted(ids))) if ids \
        else "all rows"
    ref_name, ref = outs[0][0], load(outs[0][1], ids)[0]
    print("  comparing %s with %s (%d rows)" % (scope, ref_name, len(ref)))
    ok = True
    for name, path in outs[1:]:
        rows, dups = load(path, ids)
        missing = [k for k in ref if k not in rows]
        extra = [k for k in rows if k not in ref]
        notes = []
        for k in ref:
            if k in rows:
                d = diff(ref[k], rows[k])
                if d:
                    notes.append("%s %s: %s" % (k[0], k[1], d))
        bad = len(missing) + len(extra) + len(notes) + dups
        ok = ok and bad == 0
        print("  %-22s %s" % (name, "agrees" if bad == 0 else
              "%d rows differ, %d missing, %d extra, %d repeated keys" %
              (len(notes), len(missing), len(extra), dups)))
        for k in missing[:MAX_SHOWN]:
            print("      missing %s %s" % k)
        for k in extra[:MAX_SHOWN]:
            print("      extra %s %s" % k)
        for n in notes[:MAX_SHOWN]:
            print("      " + n)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
