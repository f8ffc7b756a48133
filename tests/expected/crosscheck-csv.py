#!/usr/bin/env python3
# crosscheck-csv.py FIXTURES EXPECTED: the nc-csv goldens for the two real
# files (requisicoes-head, inmet) read again with Python's csv module, a
# reader independent of libcsv and of nc-csv: the same rows, the same keys
# in order, every cell the same (numbers as values, with the decimal comma
# and thousands dot undone by hand, dd/mm/yyyy or yyyy/mm/dd dates as
# yyyy-mm-dd).  Prints each difference; exit 1 if any.
import csv, json, sys, io, re
def cells_equal(cell, val, dc):
    if cell.strip()=='' : return val is None
    if isinstance(val,str): return val==cell or val==cell.strip()
    if val is None: return False
    t=cell.strip()
    if dc: t=t.replace('.','').replace(',','.') if re.fullmatch(r'-?\d{1,3}(\.\d{3})*(,\d*)?|-?\d*,\d+|-?\d+',t) else t
    try: return abs(float(t)-float(val))<1e-9*max(1,abs(float(val)))
    except: return False
def check(path, exp, enc='utf-8', delim=None, skip=0, dc=False, datecol=None):
    raw=open(path,encoding=enc,newline='').read().split('\n')[skip:]
    txt='\n'.join(raw)
    d=delim or csv.Sniffer().sniff(txt[:2000],delimiters=',;\t').delimiter
    rows=list(csv.reader(io.StringIO(txt),delimiter=d))
    hdr=rows[0]; rows=[r for r in rows[1:] if any(c.strip() for c in r)]
    recs=[json.loads(l) for l in open(exp)]
    bad=0
    keys=[h if h.strip() else 'column_%d' % (i+1) for i,h in enumerate(hdr)]
    if len(rows)!=len(recs): bad+=1; print(path,'row count')
    for r,rec in zip(rows,recs):
        if list(rec.keys())!=keys: bad+=1; print(path,'keys',list(rec.keys()),keys)
        vals=list(rec.values())
        for i,c in enumerate(r[:len(hdr)]):
            if hdr[i]==datecol:
                ok = vals[i]==c.replace('/','-')
            else: ok=cells_equal(c,vals[i],dc)
            if not ok: bad+=1; print(path,hdr[i],repr(c),repr(vals[i]))
    print(path, len(rows), 'rows', len(recs), 'records', bad, 'cells differ')
    return bad
F=sys.argv[1]+'/'; X=sys.argv[2]+'/'
n=0
n+=check(F+'requisicoes-head.csv', X+'requisicoes-head.ndjson')
n+=check(F+'INMET_CO_DF_A001_BRASILIA_2026_head57.CSV', X+'inmet.ndjson', enc='latin-1', delim=';', skip=8, dc=True, datecol='Data')
sys.exit(1 if n else 0)
