#!/usr/bin/env python3
"""bench/policy-gen.py: series of a known demand process, for bench/policy.

Deterministic (seeded).  Three kinds of series, N of each:
  intermittent  a week has demand with probability p (0.1 .. 0.5), of a
                size ~ 1 + negative binomial (mean m 2 .. 12, CV 0.6),
                on one random day of the week;
  smooth        Poisson daily demand, rate 1 .. 6 a day (p = 1 a week);
  heavy         as intermittent, but sizes ~ max(1, round(lognormal)) of
                mean m 4 .. 40 and CV 1.5 before rounding: a heavier tail
                than the gamma sizes nc-reorder's compound model assumes,
                as the company's requests have (its rows carry the sizes'
                true mean and sd, measured on 200,000 draws).
Writes, into DIR:
  backtest.ndjson  weekly origins over the last WEEKS weeks (+ 1 before the
                   window), horizons 1..5 weeks, each row with the TRUE
                   distribution of that week (forecasted_demand = p x
                   size_mean, forecast_sd, p_demand, size_mean, size_sd) and
                   its actual_demand, lead time 14 days: the model is right,
                   so what is measured is the policy;
  history.ndjson   item-day rows (item_id, date, quantity) from the data's
                   first day (52 weeks before the first origin), zeros left
                   out as in the export.
usage: policy-gen.py DIR [N] [WEEKS] [SEED]
"""
import datetime as dt
import json
import math
import random
import sys

out = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 100
WEEKS = int(sys.argv[3]) if len(sys.argv) > 3 else 26
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 18)
H = 5
start = dt.date(2024, 1, 7)             # a Sunday: the data's first day
pre = 52                                # weeks of history before the origins
nweeks = pre + 1 + WEEKS + H


def negbin(mean, cv):
    """1 + NB with mean `mean` overall (mean >= 1)."""
    mu = mean - 1
    if mu <= 0:
        return 1
    var = (cv * mean) ** 2
    var = max(var, mu * 1.01)
    r = mu * mu / (var - mu)
    lam = rng.gammavariate(r, (var - mu) / mu)
    # Poisson(lam) by inversion, lam is small enough here
    k, p, s, u = 0, math.exp(-lam), math.exp(-lam), rng.random()
    while u > s and k < 10000:
        k += 1
        p *= lam / k
        s += p
    return 1 + k


def poisson(lam):
    k, p, s, u = 0, math.exp(-lam), math.exp(-lam), rng.random()
    while u > s:
        k += 1
        p *= lam / k
        s += p
    return k


bt = open(f"{out}/backtest.ndjson", "w")
hi = open(f"{out}/history.ndjson", "w")
def lognormal_size(r, m, cv):
    s2 = math.log(1 + cv * cv)
    return max(1, round(r.lognormvariate(math.log(m) - s2 / 2, math.sqrt(s2))))


for kind in ("intermittent", "smooth", "heavy"):
    for i in range(N):
        item = f"{kind[0].upper()}{i:04d}"
        days = [0] * (nweeks * 7)
        if kind == "intermittent":
            p = rng.uniform(0.1, 0.5)
            m = rng.uniform(2, 12)
            cv = 0.6
            # the size distribution: 1 + NB; its sd
            sm, ssd = m, cv * m
            if (ssd ** 2) < (m - 1) * 1.01:
                ssd = math.sqrt((m - 1) * 1.01)
            for w in range(nweeks):
                if rng.random() < p:
                    days[w * 7 + rng.randrange(7)] += negbin(m, cv)
            wmean = p * sm
            wsd = math.sqrt(p * (ssd ** 2 + sm ** 2) - wmean ** 2)
            pdem, smean, ssdv = p, sm, ssd
        elif kind == "heavy":
            p = rng.uniform(0.1, 0.5)
            m = rng.uniform(4, 40)
            mc = random.Random(i)
            draws = [lognormal_size(mc, m, 1.5) for _ in range(200000)]
            sm = sum(draws) / len(draws)
            ssd = math.sqrt(sum((x - sm) ** 2 for x in draws) / (len(draws) - 1))
            for w in range(nweeks):
                if rng.random() < p:
                    days[w * 7 + rng.randrange(7)] += lognormal_size(rng, m, 1.5)
            wmean = p * sm
            wsd = math.sqrt(p * (ssd ** 2 + sm ** 2) - wmean ** 2)
            pdem, smean, ssdv = p, sm, ssd
        else:
            lam = rng.uniform(1, 6)
            for d in range(len(days)):
                days[d] = poisson(lam)
            wmean = 7 * lam
            wsd = math.sqrt(7 * lam)
            # a week always has demand: p 1, the size is the week's
            pdem, smean, ssdv = 1 - math.exp(-7 * lam), wmean / (1 - math.exp(-7 * lam)), wsd
        for d, q in enumerate(days):
            if q > 0:
                date = start + dt.timedelta(days=d)
                hi.write(json.dumps({"item_id": item, "date": date.isoformat(),
                                     "quantity": q}) + "\n")
        for o in range(WEEKS + 1):
            w0 = pre + o                # the origin is the last day of week w0 - 1
            as_of = start + dt.timedelta(days=w0 * 7 - 1)
            for h in range(1, H + 1):
                w = w0 + h - 1
                if w >= nweeks:
                    break
                date = start + dt.timedelta(days=w * 7)
                bt.write(json.dumps({
                    "forecast_id": f"{item}|{as_of}|{h}", "item_id": item,
                    "date": date.isoformat(), "horizon": h, "period": "week",
                    "forecasted_demand": round(wmean, 6), "forecast_sd": round(wsd, 6),
                    "p_demand": round(pdem, 6), "size_mean": round(smean, 6),
                    "size_sd": round(ssdv, 6), "demand_class": kind,
                    "as_of": as_of.isoformat(), "actual_demand": sum(days[w * 7:w * 7 + 7]),
                    "supplier_id": "GEN", "family": kind.upper(), "cost": 10.0,
                    "current_stock": 0, "lead_time_days": 14, "lead_time_obs": 50,
                    "lead_time_std": 0}) + "\n")
bt.close()
hi.close()
