"""Peers of `ail-bench data`: prints "seconds peak_mb" for one mode.

csv FILE   pandas.read_csv + statsmodels Logit (fit and summary statistics), end to end
polars FILE  polars.read_csv alone (median of 3 in one process)
pg DSN     psycopg2 + pandas.read_sql("SELECT * FROM bench_fit") + statsmodels Logit
"""
import resource
import sys
import time
import warnings

warnings.filterwarnings("ignore")
start = time.perf_counter()
mode, target = sys.argv[1], sys.argv[2]
if mode == "polars":
    import polars as pl
    # median of 3 in-process reads, as ail's load is timed
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        frame = pl.read_csv(target)
        times.append(time.perf_counter() - t0)
        del frame
    elapsed = sorted(times)[1]
else:
    import pandas as pd
    import statsmodels.api as sm
    if mode == "csv":
        frame = pd.read_csv(target)
    else:
        import psycopg2
        with psycopg2.connect(target) as conn:
            frame = pd.read_sql("SELECT * FROM bench_fit", conn)
    y = frame["y"].to_numpy()
    x = sm.add_constant(frame.drop(columns=["y"]).to_numpy())
    fit = sm.Logit(y, x).fit(disp=0)
    _ = (fit.params, fit.bse, fit.pvalues, fit.llf, fit.aic)
    elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed:.4f} {peak:.1f}")
