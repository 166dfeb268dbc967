#!/usr/bin/env python3
"""Regenerates the reference JSON files in this folder. Run once from the package root:

    python3 -m venv .venv-ref && .venv-ref/bin/pip install statsmodels scikit-learn scipy mpmath
    .venv-ref/bin/python Tests/StatisticsTests/Fixtures/generate_refs.py

- nist/*.json: NIST StRD linear datasets. Every certified statistic is recomputed here in exact
  rational arithmetic (fractions.Fraction; square roots with mpmath at 50 digits) and checked
  against the certified values transcribed from NIST (nist_source.py) before it is written.
- logistic/*.json: statsmodels Logit (Newton) fits of UCLA admissions and Spector.
- linear_robust.json: statsmodels OLS/WLS with HC0-HC3 and cluster-robust covariances (Longley).
- distributions.json: Normal, Student t, chi-squared and F values from mpmath at 80 digits
  (about 6.5 minutes; the quantile bisections dominate).
Large shape parameters (t with ν up to 1e8, χ² with k up to 1e6, F with 1e7 df) are in
distributions_large.json, written by generate_large_distributions.py (60 digits, checked at 90).
"""
import json, os, sys
from fractions import Fraction
import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nist_source as src

mp.mp.dps = 80

def fstr(x):
    """A decimal string with 20 significant digits."""
    return mp.nstr(mp.mpf(x), 20, strip_zeros=False) if x != 0 else "0"

def exact_ols(X, y):
    """Exact least squares by the normal equations in rationals (exact, so conditioning is moot)."""
    n, p = len(X), len(X[0])
    A = [[sum(X[i][a] * X[i][b] for i in range(n)) for b in range(p)] + [sum(X[i][a] * y[i] for i in range(n))] + [Fraction(int(a == c)) for c in range(p)] for a in range(p)]
    for c in range(p):
        piv = next(r for r in range(c, p) if A[r][c] != 0)
        A[c], A[piv] = A[piv], A[c]
        inv = 1 / A[c][c]
        A[c] = [v * inv for v in A[c]]
        for r in range(p):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [vr - f * vc for vr, vc in zip(A[r], A[c])]
    beta = [A[r][p] for r in range(p)]
    inv_diag = [A[r][p + 1 + r] for r in range(p)]
    return beta, inv_diag

def nist():
    os.makedirs(os.path.join(HERE, "nist"), exist_ok=True)
    for name, (text, degree, intercept, cert, difficulty) in src.DATASETS.items():
        if name == "Longley":
            import statsmodels.datasets.longley as L
            path = os.path.join(os.path.dirname(L.__file__), "longley.csv")
            rows = [line.strip().split(",")[1:] for line in open(path).read().strip().splitlines()[1:]]
            ys = [r[0] for r in rows]; xs = [r[1:] for r in rows]
        else:
            rows = [line.split() for line in text.strip().splitlines()]
            ys = [r[0] for r in rows]; xs = [[r[1]] for r in rows]
        yq = [Fraction(v) for v in ys]
        X = []
        for r in xs:
            vals = [Fraction(v) for v in r]
            row = [Fraction(1)] if intercept else []
            row += [vals[0] ** k for k in range(1, degree + 1)] if degree else vals
            X.append(row)
        n, p = len(X), len(X[0])
        beta, inv_diag = exact_ols(X, yq)
        res = [yq[i] - sum(X[i][j] * beta[j] for j in range(p)) for i in range(n)]
        rss = sum(r * r for r in res)
        if intercept:
            ybar = sum(yq) / n
            tss = sum((v - ybar) ** 2 for v in yq)
        else:
            tss = sum(v * v for v in yq)
        s2 = rss / (n - p)
        se = [mp.sqrt(mp.mpf(s2.numerator) / s2.denominator * mp.mpf(d.numerator) / d.denominator) for d in inv_diag]
        resid_sd = mp.sqrt(mp.mpf(s2.numerator) / s2.denominator)
        r2 = 1 - rss / tss
        # check against NIST's transcribed certified values (15 significant digits)
        for j, (b, s) in enumerate(cert):
            bc, sc = mp.mpf(b), mp.mpf(s)
            bx = mp.mpf(beta[j].numerator) / beta[j].denominator
            assert abs(bx - bc) <= 1e-13 * max(abs(bc), mp.mpf(1e-300)) or (bc == 0 and abs(bx) < 1e-13), (name, j, bx, bc)
            assert abs(se[j] - sc) <= 1e-13 * abs(sc) or (sc == 0 and se[j] < 1e-13), (name, j, se[j], sc)
        stats = getattr(src, name.upper() + "_STATS", None)
        if stats:
            assert abs(resid_sd - mp.mpf(stats[0])) < 1e-13 * mp.mpf(stats[0]), (name, resid_sd)
            assert abs(mp.mpf(r2.numerator) / r2.denominator - mp.mpf(stats[1])) < 1e-14, (name, r2)
        out = {
            "name": name, "difficulty": difficulty, "intercept": intercept,
            "polynomial_degree": degree, "observations": n, "parameters": p,
            "y": ys, "x": xs,
            "certified": {
                "estimates": [fstr(mp.mpf(b.numerator) / b.denominator) for b in beta],
                "std_errors": [fstr(s) for s in se],
                "residual_sd": fstr(resid_sd),
                "r_squared": fstr(mp.mpf(r2.numerator) / r2.denominator),
            },
            "source": "NIST/ITL StRD " + name + ".dat; values recomputed exactly and checked against the certified ones",
        }
        json.dump(out, open(os.path.join(HERE, "nist", name + ".json"), "w"), indent=1)
        print("nist", name, "ok")

def logistic():
    import numpy as np, pandas as pd, statsmodels.api as sm
    d = pd.read_csv(os.path.join(HERE, "logistic", "binary.csv"))
    X = pd.DataFrame({"(Intercept)": 1.0, "gre": d.gre, "gpa": d.gpa,
                      "rank2": (d["rank"] == 2) * 1.0, "rank3": (d["rank"] == 3) * 1.0, "rank4": (d["rank"] == 4) * 1.0})
    cases = [("ucla", X, d.admit.astype(float), d["rank"].values)]
    import statsmodels.datasets.spector as S
    sp = S.load_pandas().data
    Xs = pd.DataFrame({"(Intercept)": 1.0, "GPA": sp.GPA, "TUCE": sp.TUCE, "PSI": sp.PSI})
    cases.append(("spector", Xs, sp.GRADE.astype(float), None))
    for name, X, y, clusters in cases:
        m = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
        g = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-14)
        out = {"terms": list(X.columns), "estimates": [repr(float(v)) for v in m.params.values],
               "std_errors": [repr(float(v)) for v in m.bse.values],
               "log_likelihood": repr(float(m.llf)), "null_log_likelihood": repr(float(m.llnull)),
               "deviance": repr(float(g.deviance)), "aic": repr(float(m.aic)), "bic": repr(float(m.bic)),
               "pseudo_r_squared": repr(float(m.prsquared)), "nobs": int(m.nobs)}
        if clusters is not None:
            mc = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0,
                                   cov_type="cluster", cov_kwds={"groups": clusters})
            out["cluster_by_rank_std_errors"] = [repr(float(v)) for v in mc.bse.values]
            out["cluster_correction"] = "statsmodels default: G/(G-1) * (n-1)/(n-k)"
        json.dump(out, open(os.path.join(HERE, "logistic", name + ".json"), "w"), indent=1)
        print("logistic", name, m.params.values, g.deviance, m.aic)
    # Spector CSV for the CLI test
    sp.to_csv(os.path.join(HERE, "logistic", "spector.csv"), index=False)

def linear_robust():
    import numpy as np, pandas as pd, statsmodels.api as sm
    import statsmodels.datasets.longley as L
    d = L.load_pandas().data
    X = sm.add_constant(d[["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]])
    y = d.TOTEMP
    out = {}
    for hc in ["HC0", "HC1", "HC2", "HC3"]:
        out[hc] = [repr(float(v)) for v in sm.OLS(y, X).fit(cov_type=hc).bse.values]
    groups = np.arange(16) // 4
    out["cluster4"] = [repr(float(v)) for v in sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups}).bse.values]
    w = 1.0 + (np.arange(16) % 3)
    wl = sm.WLS(y, X, weights=w).fit()
    out["wls_weights"] = [repr(float(v)) for v in w]
    out["wls_estimates"] = [repr(float(v)) for v in wl.params.values]
    out["wls_std_errors"] = [repr(float(v)) for v in wl.bse.values]
    out["wls_r_squared"] = repr(float(wl.rsquared))
    out["wls_log_likelihood"] = repr(float(wl.llf))
    ols = sm.OLS(y, X).fit()
    out["ols_fvalue"] = repr(float(ols.fvalue)); out["ols_f_pvalue"] = repr(float(ols.f_pvalue))
    out["ols_log_likelihood"] = repr(float(ols.llf)); out["ols_aic"] = repr(float(ols.aic)); out["ols_bic"] = repr(float(ols.bic))
    out["ols_adj_r_squared"] = repr(float(ols.rsquared_adj))
    out["ols_p_values"] = [repr(float(v)) for v in ols.pvalues.values]
    out["cluster_groups"] = list(map(int, groups))
    json.dump(out, open(os.path.join(HERE, "linear_robust.json"), "w"), indent=1)
    print("linear_robust ok")

def bisect_root(f, guess):
    """Root of the increasing function f near guess (from scipy), by bisection at 50 digits."""
    g = mp.mpf(guess)
    step = abs(g) * mp.mpf("1e-3") + mp.mpf("1e-6")
    lo, hi = g - step, g + step
    while f(lo) > 0: lo -= (hi - lo)
    while f(hi) < 0: hi += (hi - lo)
    for _ in range(220):
        mid = (lo + hi) / 2
        if f(mid) < 0: lo = mid
        else: hi = mid
    return (lo + hi) / 2

def distributions():
    from scipy import stats as st
    rows = []
    def add(dist, fn, params, x, value):
        if value != 0 and abs(value) < mp.mpf("1e-300"):
            return  # below the double range
        rows.append({"dist": dist, "fn": fn, "params": params, "x": fstr(x) if not isinstance(x, str) else x, "value": fstr(value)})
    for x in ["-40", "-37.5", "-20", "-10", "-5", "-1.96", "-1", "-0.5", "0", "0.3", "1", "1.644853626951", "3", "8.5", "10", "20", "37.5"]:
        xv = mp.mpf(x)
        add("normal", "cdf", [], x, mp.erfc(-xv / mp.sqrt(2)) / 2)
        add("normal", "sf", [], x, mp.erfc(xv / mp.sqrt(2)) / 2)
    for p in ["1e-300", "1e-30", "1e-10", "0.001", "0.025", "0.3", "0.5", "0.9", "0.975", "0.999999"]:
        pv = mp.mpf(p)
        add("normal", "quantile", [], p, -mp.sqrt(2) * mp.erfinv(1 - 2 * pv) if pv > 1e-20 else mp.findroot(lambda z: mp.erfc(-z / mp.sqrt(2)) / 2 - pv, -37 if pv < 1e-200 else -11))
    def t_sf(t, nu):
        t, nu = mp.mpf(t), mp.mpf(nu)
        tail = mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2
        return tail if t >= 0 else 1 - tail
    for nu in ["1", "2.5", "5", "30", "394", "1000000"]:
        for t in ["-3", "0.1", "1", "2.5", "10", "40", "200"]:
            try:
                v = t_sf(t, nu)
            except Exception:
                continue
            add("t", "sf", [nu], t, v)
            add("t", "cdf", [nu], t, t_sf(-mp.mpf(t), nu))
        for p in ["1e-20", "0.025", "0.5", "0.975"]:
            q = mp.mpf(0) if p == "0.5" else bisect_root(lambda z: (1 - t_sf(z, nu)) - mp.mpf(p), st.t.ppf(float(p), float(nu)))
            add("t", "quantile", [nu], p, q)
    def chi2_sf(x, k):
        return mp.gammainc(mp.mpf(k) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)
    for k in ["1", "2", "3.5", "10", "100", "1000"]:
        for x in ["0.001", "0.5", "1", "3.84", "10", "50", "200", "1500"]:
            try:
                v = chi2_sf(x, k)
            except Exception:
                continue
            add("chi2", "sf", [k], x, v)
            add("chi2", "cdf", [k], x, mp.gammainc(mp.mpf(k) / 2, 0, mp.mpf(x) / 2, regularized=True))
        for p in ["0.01", "0.5", "0.95"]:
            q = bisect_root(lambda z: (1 - chi2_sf(z, k)) - mp.mpf(p), st.chi2.ppf(float(p), float(k)))
            add("chi2", "quantile", [k], p, q)
    def f_sf(x, d1, d2):
        x, d1, d2 = mp.mpf(x), mp.mpf(d1), mp.mpf(d2)
        return mp.betainc(d2 / 2, d1 / 2, 0, d2 / (d2 + d1 * x), regularized=True)
    for d1, d2 in [("1", "1"), ("2", "10"), ("5", "394"), ("6", "9"), ("20", "999980")]:
        for x in ["0.01", "0.5", "1", "3", "10", "330.28", "5000"]:
            try:
                v = f_sf(x, d1, d2)
            except Exception:
                continue
            add("f", "sf", [d1, d2], x, v)
            add("f", "cdf", [d1, d2], x, mp.betainc(mp.mpf(d1) / 2, mp.mpf(d2) / 2, 0, mp.mpf(d1) * mp.mpf(x) / (mp.mpf(d2) + mp.mpf(d1) * mp.mpf(x)), regularized=True))
        for p in ["0.05", "0.5", "0.95"]:
            q = bisect_root(lambda z: (1 - f_sf(z, d1, d2)) - mp.mpf(p), st.f.ppf(float(p), float(d1), float(d2)))
            add("f", "quantile", [d1, d2], p, q)
    json.dump(rows, open(os.path.join(HERE, "distributions.json"), "w"), indent=0)
    print("distributions", len(rows))

if __name__ == "__main__":
    which = sys.argv[1:] or ["nist", "logistic", "linear_robust", "distributions"]
    for w in which:
        globals()[w]()
