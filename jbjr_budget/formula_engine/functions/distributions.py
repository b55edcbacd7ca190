"""Statistical distributions, first half: normal, lognormal, exponential, Weibull, Poisson and binomial.

Also their inverses, ERF, the normal confidence interval and transformations; Excel 2010 names and the
older ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

from jbjr_budget.formula_engine.functions.coerce import logical, num
from jbjr_budget.formula_engine.functions.probability import gamma_q, incomplete_beta
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import NUM, Scalar

__all__ = ["check", "confidence_width", "normal_inverse", "probability"]


def check(condition: bool) -> None:
    """Fail with #NUM! unless ``condition`` holds (an argument outside the function's domain)."""
    if not condition:
        raise Failure(NUM)


def probability(value: Scalar, *, open_interval: bool = True) -> float:
    """A probability argument: strictly between 0 and 1, or (not open) from 0 to 1; else #NUM!."""
    p = num(value)
    check(0 < p < 1 if open_interval else 0 <= p <= 1)
    return p


def normal_inverse(p: float, mean: float = 0.0, sd: float = 1.0) -> float:
    """The quantile of the normal distribution."""
    return NormalDist(mean, sd).inv_cdf(p)


@register("NORM.DIST", "NORMDIST")
def norm_dist(x: Scalar, mean: Scalar, sd: Scalar, cumulative: Scalar) -> Scalar:
    """NORM.DIST: the normal distribution function or density."""
    sigma = num(sd)
    check(sigma > 0)
    distribution = NormalDist(num(mean), sigma)
    return distribution.cdf(num(x)) if logical(cumulative) else distribution.pdf(num(x))


@register("NORM.S.DIST")
def norm_s_dist(z: Scalar, cumulative: Scalar) -> Scalar:
    """NORM.S.DIST: the standard normal distribution function or density."""
    return NormalDist().cdf(num(z)) if logical(cumulative) else NormalDist().pdf(num(z))


@register("NORMSDIST")
def normsdist(z: Scalar) -> Scalar:
    """NORMSDIST: the standard normal distribution function."""
    return NormalDist().cdf(num(z))


@register("NORM.INV", "NORMINV")
def norm_inv(p: Scalar, mean: Scalar, sd: Scalar) -> Scalar:
    """NORM.INV: the normal quantile."""
    sigma = num(sd)
    check(sigma > 0)
    return normal_inverse(probability(p), num(mean), sigma)


@register("NORM.S.INV", "NORMSINV")
def norm_s_inv(p: Scalar) -> Scalar:
    """NORM.S.INV: the standard normal quantile."""
    return normal_inverse(probability(p))


@register("LOGNORM.DIST")
def lognorm_dist(x: Scalar, mean: Scalar, sd: Scalar, cumulative: Scalar) -> Scalar:
    """LOGNORM.DIST: the lognormal distribution function or density."""
    value, sigma = num(x), num(sd)
    check(value > 0 and sigma > 0)
    distribution = NormalDist(num(mean), sigma)
    if logical(cumulative):
        return distribution.cdf(math.log(value))
    return distribution.pdf(math.log(value)) / value


@register("LOGNORMDIST")
def lognormdist(x: Scalar, mean: Scalar, sd: Scalar) -> Scalar:
    """LOGNORMDIST: the lognormal distribution function."""
    return lognorm_dist(x, mean, sd, True)


@register("LOGNORM.INV", "LOGINV")
def lognorm_inv(p: Scalar, mean: Scalar, sd: Scalar) -> Scalar:
    """LOGNORM.INV: the lognormal quantile."""
    return math.exp(num(norm_inv(p, mean, sd)))


@register("EXPON.DIST", "EXPONDIST")
def expon_dist(x: Scalar, rate: Scalar, cumulative: Scalar) -> Scalar:
    """EXPON.DIST: the exponential distribution function or density."""
    value, lam = num(x), num(rate)
    check(value >= 0 and lam > 0)
    return -math.expm1(-lam * value) if logical(cumulative) else lam * math.exp(-lam * value)


@register("WEIBULL.DIST", "WEIBULL")
def weibull_dist(x: Scalar, alpha: Scalar, beta: Scalar, cumulative: Scalar) -> Scalar:
    """WEIBULL.DIST: the Weibull distribution function or density."""
    value, shape, scale = num(x), num(alpha), num(beta)
    check(value >= 0 and shape > 0 and scale > 0)
    power: float = (value / scale) ** shape
    if logical(cumulative):
        return -math.expm1(-power)
    return shape / scale * power / (value / scale) * math.exp(-power) if value else (1 / scale if shape == 1 else 0.0)


# -- discrete ------------------------------------------------------------------------------------------

def _log_choose(n: float, k: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@register("POISSON.DIST", "POISSON")
def poisson_dist(x: Scalar, mean: Scalar, cumulative: Scalar) -> Scalar:
    """POISSON.DIST: the Poisson probability of x events, or of at most x."""
    k, lam = math.floor(num(x)), num(mean)
    check(k >= 0 and lam >= 0)
    if logical(cumulative):
        return gamma_q(k + 1, lam) if lam > 0 else 1.0
    return math.exp(k * math.log(lam) - lam - math.lgamma(k + 1)) if lam > 0 else float(k == 0)


def _binomial(k: int, n: int, p: float) -> float:
    if p in (0.0, 1.0):
        return float(k == (0 if p == 0 else n))
    return math.exp(_log_choose(n, k) + k * math.log(p) + (n - k) * math.log1p(-p))


@register("BINOM.DIST", "BINOMDIST")
def binom_dist(successes: Scalar, trials: Scalar, p: Scalar, cumulative: Scalar) -> Scalar:
    """BINOM.DIST: the binomial probability of k successes in n trials, or of at most k."""
    k, n, chance = math.floor(num(successes)), math.floor(num(trials)), num(p)
    check(0 <= k <= n and 0 <= chance <= 1)
    if logical(cumulative):
        return min(1.0, math.fsum(_binomial(i, n, chance) for i in range(k + 1)))
    return _binomial(k, n, chance)


@register("BINOM.INV", "CRITBINOM")
def binom_inv(trials: Scalar, p: Scalar, alpha: Scalar) -> Scalar:
    """BINOM.INV: the smallest number of successes whose cumulative probability reaches alpha."""
    n, chance, target = math.floor(num(trials)), num(p), num(alpha)
    check(n >= 0 and 0 <= chance <= 1 and 0 <= target <= 1)
    total = 0.0
    for k in range(n + 1):
        total += _binomial(k, n, chance)
        if total >= target - 1e-15:
            return float(k)
    return float(n)


@register("NEGBINOM.DIST")
def negbinom_dist(failures: Scalar, successes: Scalar, p: Scalar, cumulative: Scalar) -> Scalar:
    """NEGBINOM.DIST: the probability of f failures before the s-th success, or of at most f."""
    f, s, chance = math.floor(num(failures)), math.floor(num(successes)), num(p)
    check(f >= 0 and s >= 1 and 0 < chance < 1)
    if logical(cumulative):
        return incomplete_beta(chance, s, f + 1)
    return math.exp(_log_choose(f + s - 1, s - 1) + s * math.log(chance) + f * math.log1p(-chance))


@register("NEGBINOMDIST")
def negbinomdist(failures: Scalar, successes: Scalar, p: Scalar) -> Scalar:
    """NEGBINOMDIST: the probability of f failures before the s-th success."""
    return negbinom_dist(failures, successes, p, False)


def _hypergeometric(k: int, n: int, big_k: int, big_n: int) -> float:
    if not max(0, n + big_k - big_n) <= k <= min(n, big_k):
        return 0.0
    return math.exp(_log_choose(big_k, k) + _log_choose(big_n - big_k, n - k) - _log_choose(big_n, n))


@register("HYPGEOM.DIST")
def hypgeom_dist(sample_successes: Scalar, sample: Scalar, population_successes: Scalar, population: Scalar,
                 cumulative: Scalar) -> Scalar:
    """HYPGEOM.DIST: the probability of k successes in a sample drawn without replacement, or of at most k."""
    k, n, big_k, big_n = (math.floor(num(v)) for v in (sample_successes, sample, population_successes, population))
    check(0 <= k <= min(n, big_k) and 0 < n <= big_n and 0 < big_k <= big_n and k >= n - big_n + big_k)
    if logical(cumulative):
        return min(1.0, math.fsum(_hypergeometric(i, n, big_k, big_n) for i in range(k + 1)))
    return _hypergeometric(k, n, big_k, big_n)


@register("HYPGEOMDIST")
def hypgeomdist(sample_successes: Scalar, sample: Scalar, population_successes: Scalar, population: Scalar) -> Scalar:
    """HYPGEOMDIST: the probability of k successes in a sample drawn without replacement."""
    return hypgeom_dist(sample_successes, sample, population_successes, population, False)


# -- error function, confidence, transformations -------------------------------------------------------

@register("ERF")
def erf(lower: Scalar, upper: Scalar = None) -> Scalar:
    """ERF: the error function up to x, or between two limits."""
    low = math.erf(num(lower))
    return low if upper is None else math.erf(num(upper)) - low


@register("ERF.PRECISE")
def erf_precise(x: Scalar) -> Scalar:
    """ERF.PRECISE: the error function."""
    return math.erf(num(x))


@register("ERFC", "ERFC.PRECISE")
def erfc(x: Scalar) -> Scalar:
    """ERFC: the complementary error function."""
    return math.erfc(num(x))


def confidence_width(alpha: Scalar, sd: Scalar, size: Scalar, quantile: Callable[[float, int], float]) -> float:
    """Half a confidence interval's width: ``quantile(alpha, n)`` standard errors."""
    a, sigma, n = num(alpha), num(sd), math.floor(num(size))
    check(0 < a < 1 and sigma > 0 and n >= 1)
    return quantile(a, n) * sigma / math.sqrt(n)


@register("CONFIDENCE.NORM", "CONFIDENCE")
def confidence_norm(alpha: Scalar, sd: Scalar, size: Scalar) -> Scalar:
    """CONFIDENCE.NORM: half the width of a normal confidence interval for a mean."""
    return confidence_width(alpha, sd, size, lambda a, _: normal_inverse(1 - a / 2))


@register("STANDARDIZE")
def standardize(x: Scalar, mean: Scalar, sd: Scalar) -> Scalar:
    """STANDARDIZE: (x - mean) / sd."""
    sigma = num(sd)
    check(sigma > 0)
    return (num(x) - num(mean)) / sigma


@register("FISHER")
def fisher(x: Scalar) -> Scalar:
    """FISHER: the Fisher transformation, atanh(x)."""
    value = num(x)
    check(-1 < value < 1)
    return math.atanh(value)


@register("FISHERINV")
def fisherinv(y: Scalar) -> Scalar:
    """FISHERINV: tanh(y)."""
    return math.tanh(num(y))


@register("PHI")
def phi(x: Scalar) -> Scalar:
    """PHI: the standard normal density."""
    return NormalDist().pdf(num(x))


@register("GAUSS")
def gauss(z: Scalar) -> Scalar:
    """GAUSS: the standard normal probability between the mean and z standard deviations."""
    return NormalDist().cdf(num(z)) - 0.5
