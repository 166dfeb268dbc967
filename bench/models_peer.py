"""Peer of `ail-bench models`: the success model the Python way, end to end.

fit DSN QUERY_FILE   psycopg2 + pandas.read_sql(the same feature query text) → time split
                     (earliest 80% of the window trains) → dummies → statsmodels Logit with
                     cluster-robust SEs by developer → held-out log-loss and AUC.
Prints "# read_sql S s, rows N, train N, log-loss L, AUC A" and then "seconds peak_mb".
"""
import resource
import sys
import time
import warnings

warnings.filterwarnings("ignore")
start = time.perf_counter()
import numpy as np
import pandas as pd
import psycopg2
import statsmodels.api as sm

mode, dsn, query_file = sys.argv[1], sys.argv[2], sys.argv[3]
query = open(query_file).read()
t0 = time.perf_counter()
with psycopg2.connect(dsn) as conn:
    frame = pd.read_sql(query, conn)
read_seconds = time.perf_counter() - t0

categorical = ["action", "model_name", "task_type", "weekday"]
numeric = ["hour_utc", "log_prior_sessions", "session_prior_failures",
           "ctx_open_files", "ctx_git_status", "ctx_recent_changes", "ctx_diagnostics"]
frame = frame.dropna(subset=["succeeded", "occurred_at"] + categorical + numeric)
times = pd.to_datetime(frame["occurred_at"], utc=True)
tmin, tmax = times.min(), times.max()
cutoff = tmin + (tmax - tmin) * 0.8
design = pd.get_dummies(frame[categorical], drop_first=True, dtype=float)
design[numeric] = frame[numeric].astype(float)
design = sm.add_constant(design)
design = design.loc[:, design.std() > 0].assign(const=1.0)
train = (times < cutoff).to_numpy()
y = frame["succeeded"].astype(float).to_numpy()
x = design.to_numpy()
groups = pd.factorize(frame["developer_id"].to_numpy()[train])[0]
fit = sm.Logit(y[train], x[train]).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
_ = (fit.params, fit.bse, fit.pvalues)
p = np.clip(fit.predict(x[~train]), 1e-15, 1 - 1e-15)
ye = y[~train]
log_loss = -np.mean(ye * np.log(p) + (1 - ye) * np.log(1 - p))
ranks = pd.Series(p).rank().to_numpy()
n1 = ye.sum()
auc = (ranks[ye == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * (len(ye) - n1))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"# read_sql {read_seconds:.2f} s, rows {len(frame)}, train {train.sum()}, log-loss {log_loss:.4f}, AUC {auc:.4f}")
print(f"{elapsed:.4f} {peak:.1f}")
