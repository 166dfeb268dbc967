#!/usr/bin/env python3
"""Peer side of `ail-bench numerics`: reads the raw float64 design written by the Swift side,
fits it with statsmodels and scikit-learn, prints one JSON object on stdout.
usage: numerics_peer.py KIND DIR N P REPS   (KIND = logistic | ols)"""
import json, resource, sys, time, warnings
import numpy as np

# scikit-learn 1.8 deprecates penalty=None in favour of C=inf; the fit is the same, the warning is noise.
warnings.filterwarnings("ignore", category=FutureWarning)

kind, d, n, p, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
# Swift writes X column-major (n×p) = row-major (p×n); transpose to (n×p) view, then make C order once.
X = np.fromfile(f"{d}/X.f64", dtype=np.float64).reshape(p, n).T
X = np.ascontiguousarray(np.column_stack([np.ones(n), X]))
y = np.fromfile(f"{d}/y.f64", dtype=np.float64)
out = {}

def timed(name, fn):
    times, res = [], None
    for _ in range(reps):
        t = time.perf_counter(); res = fn(); times.append(time.perf_counter() - t)
    coef, iters = res
    out[name] = {"seconds": float(np.median(times)), "coef": [float(v) for v in coef], "iterations": int(iters),
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

import statsmodels.api as sm
if kind == "logistic":
    def sm_logit():
        r = sm.Logit(y, X).fit(method="newton", tol=1e-10, maxiter=100, disp=0)
        _ = r.bse
        return r.params, r.mle_retvals["iterations"]
    timed("statsmodels Logit newton", sm_logit)
    from sklearn.linear_model import LogisticRegression
    for solver in ["newton-cholesky", "lbfgs"]:
        def sk(solver=solver):
            m = LogisticRegression(penalty=None, solver=solver, tol=1e-10, max_iter=10000, fit_intercept=False).fit(X, y)
            return m.coef_[0], int(m.n_iter_[0])
        timed(f"sklearn {solver}", sk)
else:
    def sm_ols():
        r = sm.OLS(y, X).fit()
        _ = r.bse
        return r.params, 1
    timed("statsmodels OLS", sm_ols)
print(json.dumps(out))
