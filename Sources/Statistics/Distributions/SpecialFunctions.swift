import Foundation

/// Special functions behind the distributions: regularized incomplete gamma and beta functions,
/// evaluated by power series and Lentz's continued fractions, with the Stirling-corrected
/// prefactors of Loader (2000) so that large shape parameters keep full relative accuracy.
enum Special {
    static let ln2pi = 1.8378770664093454835606594728112
    static let sqrt2pi = 2.5066282746310005024157652848110

    /// `log(1+u) − u`, accurate for small `|u|`.
    static func log1pmx(_ u: Double) -> Double {
        if abs(u) < 0.1 {
            // −u²/2 + u³/3 − u⁴/4 + …  (term k is (−1)^{k+1}·u^k)
            var term = u, sum = 0.0, k = 2.0
            while k < 60 {
                term *= -u
                let add = term / k
                sum += add
                if abs(add) < 1e-18 * abs(sum) { break }
                k += 1
            }
            return sum
        }
        return log1p(u) - u
    }

    /// Stirling's error `log Γ(z) − [(z−½)·log z − z + ½·log 2π]`.
    static func stirlingError(_ z: Double) -> Double {
        if z < 12 {
            return lgamma(z) - ((z - 0.5) * log(z) - z + 0.5 * ln2pi)
        }
        let z2 = z * z
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * z2)) / z2) / z2) / z2) / z
    }

    /// `xᵃ·e⁻ˣ / Γ(a)`, accurate also for large `a` and `x` near `a`.
    static func gammaPrefactor(_ a: Double, _ x: Double) -> Double {
        if x == 0 { return 0 }
        if a < 10 {
            return exp(a * log(x) - x - lgamma(a))
        }
        let u = (x - a) / a
        // a·(log(x/a) − (x−a)/a): through log1pmx near the mode; far from it log(x/a) directly,
        // because 1 + u formed from a rounded u loses digits when x ≪ a.
        let e = abs(u) < 0.5 ? a * log1pmx(u) : a * log(x / a) - (x - a)
        return exp(e - stirlingError(a)) * sqrt(a) / sqrt2pi
    }

    /// `log Γ(big) − log Γ(big + small)` without the cancellation of two huge `lgamma` values.
    static func logGammaRatio(_ big: Double, _ small: Double) -> Double {
        if big < 10 { return lgamma(big) - lgamma(big + small) }
        return -(big - 0.5) * log1p(small / big) - small * log(big + small) + small
            + stirlingError(big) - stirlingError(big + small)
    }

    /// Regularized lower and upper incomplete gamma `(P(a,x), Q(a,x))`.
    static func incompleteGamma(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
        if x <= 0 { return (0, 1) }
        if x.isInfinite { return (1, 0) }
        let front = gammaPrefactor(a, x)
        if x < a + 1 {
            // series: P = front/a · Σ xⁿ / ((a+1)…(a+n))
            var sum = 1.0, term = 1.0, ap = a
            for _ in 0..<100_000 {
                ap += 1
                term *= x / ap
                sum += term
                if term < sum * 1e-17 { break }
            }
            let p = front * sum / a
            return (p, 1 - p)
        }
        // continued fraction for Q (modified Lentz)
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        let q = front * h
        return (1 - q, q)
    }

    /// `xᵃ·yᵇ / B(a,b)` with `y = 1 − x` given separately, accurate for large `a`, `b`.
    static func betaPrefactor(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        if x == 0 || y == 0 { return 0 }
        let lx = x < 0.5 ? log(x) : log1p(-y)
        let ly = y < 0.5 ? log(y) : log1p(-x)
        if a < 10 && b < 10 {
            let lbeta = lgamma(a) + lgamma(b) - lgamma(a + b)
            return exp(a * lx + b * ly - lbeta)
        }
        if a < 10 || b < 10 {
            // one large shape: log Γ(big) − log Γ(big+small) without cancellation
            let big = max(a, b), small = min(a, b)
            let diff = -(big - 0.5) * log1p(small / big) - small * log(big + small) + small
                + stirlingError(big) - stirlingError(big + small)
            let lbeta = lgamma(small) + diff
            return exp(a * lx + b * ly - lbeta)
        }
        let s = a + b
        let x0 = a / s, y0 = b / s
        let u = (x - x0) / x0, v = (y - y0) / y0
        // far from the mean log(1+u) comes from x itself: 1 + u rounds to 0 once x ≪ ε·x0
        let lu = abs(u) < 0.5 ? log1pmx(u) : (lx - log(x0)) - u
        let lv = abs(v) < 0.5 ? log1pmx(v) : (ly - log(y0)) - v
        let e = a * lu + b * lv
        let ds = stirlingError(s) - stirlingError(a) - stirlingError(b)
        return exp(e + ds) * sqrt(a * b / s) / sqrt2pi
    }

    /// Regularized incomplete beta `I_x(a,b)` and its complement, with `y = 1 − x` supplied
    /// exactly by the caller (so tails such as `t²/(ν+t²)` lose nothing to cancellation).
    static func incompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (lower: Double, upper: Double) {
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        if x > (a + 1) / (a + b + 2) {
            let r = incompleteBeta(b, a, x: y, y: x)
            return (r.upper, r.lower)
        }
        let front = betaPrefactor(a, b, x, y)
        // continued fraction (modified Lentz), Numerical-Recipes form
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0, d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<200_000 {
            let md = Double(m), m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        let lower = front * h / a
        return (lower, 1 - lower)
    }

    /// Finds `x > 0` with `cdf(x) = p` (or `sf(x) = q`, whichever is smaller) for a distribution
    /// on the positive half-line. Newton's method runs on `log(tail)` as a function of `u = log x`,
    /// where power-law tails (t, F, small-shape χ²) are straight lines and exponential tails gently
    /// convex, so it converges in a few steps from 1e-300 to 1e300; a bracket in `u` (bisection there
    /// is geometric in `x`) keeps it safe. Two Newton steps in `x` then restore the last bits that
    /// rounding `u` costs when `|u|` is large. Returns 0 below the normal doubles and ∞ above them.
    static func invertPositive(p: Double, q: Double, start: Double,
                               cdf: (Double) -> Double, sf: (Double) -> Double, pdf: (Double) -> Double) -> Double {
        let useLower = p <= q
        let target = log(useLower ? p : q)
        // g increasing in u
        func tail(_ x: Double) -> Double { useLower ? cdf(x) : sf(x) }
        func g(_ x: Double) -> Double { useLower ? log(tail(x)) - target : target - log(tail(x)) }
        let uMin = log(Double.leastNormalMagnitude), uMax = log(Double.greatestFiniteMagnitude)
        var u = log(start.isFinite && start > 0 ? start : 1)
        u = min(max(u, uMin), uMax)
        var lo = u, hi = u
        var step = 1.0
        while g(exp(lo)) > 0 {
            if lo <= uMin { return 0 }
            lo = max(lo - step, uMin); step *= 2
        }
        step = 1
        while g(exp(hi)) < 0 {
            if hi >= uMax { return .infinity }
            hi = min(hi + step, uMax); step *= 2
        }
        u = min(max(u, lo), hi)
        for _ in 0..<200 {
            let x = exp(u)
            let gx = g(x)
            if gx == 0 { break }
            if gx < 0 { lo = u } else { hi = u }
            // dg/du = ±pdf(x)·x / tail(x)
            let slope = pdf(x) * x / tail(x)
            var next = u - gx / slope
            if !next.isFinite || next <= lo || next >= hi || !(slope > 0) { next = 0.5 * (lo + hi) }
            let done = abs(next - u) <= 2 * Double.ulpOfOne * max(1, abs(u)) || hi - lo <= 2 * Double.ulpOfOne * max(1, abs(lo), abs(hi))
            u = next
            if done { break }
        }
        var x = exp(u)
        let xLo = exp(lo), xHi = exp(hi)
        for _ in 0..<2 {
            let gx = g(x)
            let dens = pdf(x)
            guard gx != 0, dens > 0 else { break }
            let next = x - gx * tail(x) / dens
            guard next.isFinite, next >= xLo, next <= xHi, abs(g(next)) < abs(gx) else { break }
            x = next
        }
        return x
    }

    /// Finds `x` with `cdf(x) = p` (or `sf(x) = q`, whichever is smaller) by safeguarded Newton
    /// iteration on the logarithm of the tail probability, inside a bracket kept by bisection.
    static func invert(p: Double, q: Double, lower: Double, upper: Double, start: Double,
                       cdf: (Double) -> Double, sf: (Double) -> Double, pdf: (Double) -> Double) -> Double {
        let useLower = p <= q
        let target = log(useLower ? p : q)
        // f increasing in x
        func f(_ x: Double) -> Double {
            useLower ? log(cdf(x)) - target : target - log(sf(x))
        }
        var lo = lower, hi = upper
        var x = min(max(start, lower), upper)
        if !x.isFinite { x = 0 }
        // expand an open bracket
        var step = max(1, abs(x))
        if lo == -.infinity { lo = x - step; while f(lo) > 0 { step *= 2; lo = x - step } }
        step = max(1, abs(x))
        if hi == .infinity { hi = x + step; while f(hi) < 0 { step *= 2; hi = x + step } }
        for _ in 0..<300 {
            let fx = f(x)
            if fx == 0 { return x }
            if fx < 0 { lo = x } else { hi = x }
            let dens = pdf(x)
            let tail = useLower ? cdf(x) : sf(x)
            var next = x - fx * tail / dens
            if !next.isFinite || next <= lo || next >= hi || dens == 0 {
                next = (lo.isFinite && hi.isFinite) ? 0.5 * (lo + hi) : x
            }
            if abs(next - x) <= 4 * Double.ulpOfOne * abs(x) || hi - lo <= 4 * Double.ulpOfOne * max(abs(lo), abs(hi)) {
                return next
            }
            x = next
        }
        return x
    }
}
