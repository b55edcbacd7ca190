"""Statistical distributions, second half: t, chi-squared, F, gamma and beta, with their inverses."""

from __future__ import annotations

import math

from jbjr_budget.formula_engine.functions.coerce import logical, num
from jbjr_budget.formula_engine.functions.distributions import check, confidence_width, probability
from jbjr_budget.formula_engine.functions.probability import gamma_p, gamma_q, incomplete_beta, invert
from jbjr_budget.formula_engine.functions.registry import Failure, register
from jbjr_budget.formula_engine.values import DIV0, NUM, Scalar

__all__ = ["chi_cdf", "chi_tail", "f_cdf", "t_cdf", "t_inverse"]


def t_cdf(x: float, df: float) -> float:
    """The t distribution function."""
    tail = incomplete_beta(df / (df + x * x), df / 2, 0.5) / 2
    return 1 - tail if x >= 0 else tail


def t_inverse(p: float, df: float) -> float:
    """The t quantile."""
    if p == 0.5:
        return 0.0
    upper = invert(lambda x: t_cdf(x, df), max(p, 1 - p), 0.0, 10.0)
    return upper if p > 0.5 else -upper


def _degrees(value: Scalar) -> float:
    df = num(value)
    check(df >= 1)
    return df


@register("T.DIST")
def t_dist(x: Scalar, df: Scalar, cumulative: Scalar) -> Scalar:
    """T.DIST: the left-tailed t distribution function or density."""
    value, nu = num(x), _degrees(df)
    if logical(cumulative):
        return t_cdf(value, nu)
    log_density = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    return math.exp(log_density - (nu + 1) / 2 * math.log1p(value * value / nu))


@register("T.DIST.RT")
def t_dist_rt(x: Scalar, df: Scalar) -> Scalar:
    """T.DIST.RT: the right tail of the t distribution."""
    return 1 - t_cdf(num(x), _degrees(df))


@register("T.DIST.2T")
def t_dist_2t(x: Scalar, df: Scalar) -> Scalar:
    """T.DIST.2T: both tails of the t distribution beyond |x|."""
    value = num(x)
    check(value >= 0)
    return 2 * (1 - t_cdf(value, _degrees(df)))


@register("TDIST")
def tdist(x: Scalar, df: Scalar, tails: Scalar) -> Scalar:
    """TDIST: one or two tails of the t distribution beyond x (x >= 0)."""
    value, nu, count = num(x), math.floor(_degrees(df)), math.floor(num(tails))
    check(value >= 0 and count in (1, 2))
    return count * (1 - t_cdf(value, nu))


@register("T.INV")
def t_inv(p: Scalar, df: Scalar) -> Scalar:
    """T.INV: the left-tailed t quantile."""
    return t_inverse(probability(p), _degrees(df))


@register("T.INV.2T", "TINV")
def t_inv_2t(p: Scalar, df: Scalar) -> Scalar:
    """T.INV.2T and TINV: the two-tailed t quantile."""
    chance = num(p)
    check(0 < chance <= 1)
    return abs(t_inverse(chance / 2, _degrees(df)))


_GAMMA_3_2 = math.sqrt(math.pi) / 2


def chi_cdf(x: float, df: float) -> float:
    """The chi-squared distribution function."""
    return gamma_p(df / 2, x / 2)


def chi_tail(x: float, df: float) -> float:
    """The right tail of the chi-squared distribution, 1 - :func:`chi_cdf`, without losing a small tail's digits.

    Notes:
        A tail above one half is 1 - P (P small, so exact). A smaller one, for whole degrees of freedom (all Excel
        passes), comes from a closed form accurate to an ulp or two, where the continued fraction of the
        incomplete gamma function loses a few more: with y = x/2, for even df ``e^-y * sum(y^k / k!, k < df/2)``,
        for odd df ``erfc(sqrt(y)) + e^-y * sum(y^(k-1/2) / Gamma(k+1/2), k = 1 .. (df-1)/2)``.

    References:
        Abramowitz and Stegun, *Handbook of Mathematical Functions*, 26.4.4 and 26.4.5.

    Examples:
        >>> round(chi_tail(2.0, 5.0), 6), round(chi_tail(30.0, 4.0), 9)
        (0.849145, 4.894e-06)
    """
    y = x / 2
    if x <= 0 or df != math.floor(df) or df > 1000 or y > 700:  # outside the closed form's range of floats
        return gamma_q(df / 2, y) if x > 0 else 1.0
    odd = df % 2 == 1
    term, k = (math.sqrt(y) / _GAMMA_3_2, 1.5) if odd else (1.0, 1.0)
    total = 0.0
    for _ in range(int(df // 2)):
        total += term
        term *= y / k
        k += 1
    tail = (math.erfc(math.sqrt(y)) if odd else 0.0) + math.exp(-y) * total
    return 1 - chi_cdf(x, df) if tail > 0.5 else tail


@register("CHISQ.DIST")
def chisq_dist(x: Scalar, df: Scalar, cumulative: Scalar) -> Scalar:
    """CHISQ.DIST: the chi-squared distribution function or density."""
    value, nu = num(x), math.floor(_degrees(df))
    check(value >= 0)
    if logical(cumulative):
        return chi_cdf(value, nu)
    if value == 0:
        return 0.5 if nu == 2 else 0.0
    return math.exp((nu / 2 - 1) * math.log(value) - value / 2 - nu / 2 * math.log(2) - math.lgamma(nu / 2))


@register("CHISQ.DIST.RT", "CHIDIST")
def chisq_dist_rt(x: Scalar, df: Scalar) -> Scalar:
    """CHISQ.DIST.RT and CHIDIST: the right tail of the chi-squared distribution."""
    value = num(x)
    check(value >= 0)
    return chi_tail(value, math.floor(_degrees(df)))


@register("CHISQ.INV")
def chisq_inv(p: Scalar, df: Scalar) -> Scalar:
    """CHISQ.INV: the chi-squared quantile."""
    chance, nu = probability(p, open_interval=False), math.floor(_degrees(df))
    check(chance < 1)
    return invert(lambda x: chi_cdf(x, nu), chance, 0.0, max(nu, 1.0) * 4)


@register("CHISQ.INV.RT", "CHIINV")
def chisq_inv_rt(p: Scalar, df: Scalar) -> Scalar:
    """CHISQ.INV.RT and CHIINV: the chi-squared quantile of a right tail."""
    chance, nu = num(p), math.floor(_degrees(df))
    check(0 < chance <= 1)
    return invert(lambda x: -chi_tail(x, nu), -chance, 0.0, max(nu, 1.0) * 4)


def f_cdf(x: float, d1: float, d2: float) -> float:
    """The F distribution function."""
    return incomplete_beta(d1 * x / (d1 * x + d2), d1 / 2, d2 / 2) if x > 0 else 0.0


def _f_degrees(d1: Scalar, d2: Scalar) -> tuple[float, float]:
    return math.floor(_degrees(d1)), math.floor(_degrees(d2))


@register("F.DIST")
def f_dist(x: Scalar, d1: Scalar, d2: Scalar, cumulative: Scalar) -> Scalar:
    """F.DIST: the F distribution function or density."""
    value, (m, n) = num(x), _f_degrees(d1, d2)
    check(value >= 0)
    if logical(cumulative):
        return f_cdf(value, m, n)
    if value == 0:
        return 0.0
    log_beta = math.lgamma(m / 2) + math.lgamma(n / 2) - math.lgamma((m + n) / 2)
    return math.exp((m / 2) * math.log(m / n) + (m / 2 - 1) * math.log(value)
                    - (m + n) / 2 * math.log1p(m * value / n) - log_beta)


@register("F.DIST.RT", "FDIST")
def f_dist_rt(x: Scalar, d1: Scalar, d2: Scalar) -> Scalar:
    """F.DIST.RT and FDIST: the right tail of the F distribution."""
    value = num(x)
    check(value >= 0)
    return 1 - f_cdf(value, *_f_degrees(d1, d2))


@register("F.INV")
def f_inv(p: Scalar, d1: Scalar, d2: Scalar) -> Scalar:
    """F.INV: the F quantile."""
    chance, (m, n) = probability(p, open_interval=False), _f_degrees(d1, d2)
    check(chance < 1)
    return invert(lambda x: f_cdf(x, m, n), chance, 0.0, 10.0)


@register("F.INV.RT", "FINV")
def f_inv_rt(p: Scalar, d1: Scalar, d2: Scalar) -> Scalar:
    """F.INV.RT and FINV: the F quantile of a right tail."""
    chance = num(p)
    check(0 < chance <= 1)
    return f_inv(1 - chance, d1, d2)


def _gamma_parameters(alpha: Scalar, beta: Scalar) -> tuple[float, float]:
    shape, scale = num(alpha), num(beta)
    check(shape > 0 and scale > 0)
    return shape, scale


@register("GAMMA.DIST", "GAMMADIST")
def gamma_dist(x: Scalar, alpha: Scalar, beta: Scalar, cumulative: Scalar) -> Scalar:
    """GAMMA.DIST: the gamma distribution function or density (shape alpha, scale beta)."""
    value, (shape, scale) = num(x), _gamma_parameters(alpha, beta)
    check(value >= 0)
    if logical(cumulative):
        return gamma_p(shape, value / scale)
    if value == 0:
        return 1 / scale if shape == 1 else 0.0
    return math.exp((shape - 1) * math.log(value) - value / scale - shape * math.log(scale) - math.lgamma(shape))


@register("GAMMA.INV", "GAMMAINV")
def gamma_inv(p: Scalar, alpha: Scalar, beta: Scalar) -> Scalar:
    """GAMMA.INV: the gamma quantile."""
    chance, (shape, scale) = probability(p, open_interval=False), _gamma_parameters(alpha, beta)
    check(chance < 1)
    return invert(lambda x: gamma_p(shape, x / scale), chance, 0.0, shape * scale * 4)


@register("GAMMALN", "GAMMALN.PRECISE")
def gammaln(x: Scalar) -> Scalar:
    """GAMMALN: the natural logarithm of the gamma function."""
    value = num(x)
    check(value > 0)
    return math.lgamma(value)


@register("GAMMA")
def gamma(x: Scalar) -> Scalar:
    """GAMMA: the gamma function (not at 0 or negative whole numbers)."""
    value = num(x)
    check(not (value <= 0 and value == math.floor(value)))
    try:
        return math.gamma(value)
    except OverflowError:
        raise Failure(NUM) from None


def _beta_bounds(x: float, alpha: Scalar, beta: Scalar, low: Scalar, high: Scalar) -> tuple[float, float, float]:
    a, b = num(alpha), num(beta)
    bottom, top = (0.0 if low is None else num(low)), (1.0 if high is None else num(high))
    check(a > 0 and b > 0 and bottom < top and bottom <= x <= top)
    return (x - bottom) / (top - bottom), a, b


@register("BETA.DIST")
def beta_dist(x: Scalar, alpha: Scalar, beta: Scalar, cumulative: Scalar, low: Scalar = 0.0,
              high: Scalar = 1.0) -> Scalar:
    """BETA.DIST: the beta distribution function or density on [low, high]."""
    value, a, b = _beta_bounds(num(x), alpha, beta, low, high)
    if logical(cumulative):
        return incomplete_beta(value, a, b)
    width = (1.0 if high is None else num(high)) - (0.0 if low is None else num(low))
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return math.exp((a - 1) * math.log(value) + (b - 1) * math.log1p(-value) - log_beta) / width


@register("BETADIST")
def betadist(x: Scalar, alpha: Scalar, beta: Scalar, low: Scalar = 0.0, high: Scalar = 1.0) -> Scalar:
    """BETADIST: the beta distribution function on [low, high]."""
    return beta_dist(x, alpha, beta, True, low, high)


@register("BETA.INV", "BETAINV")
def beta_inv(p: Scalar, alpha: Scalar, beta: Scalar, low: Scalar = 0.0, high: Scalar = 1.0) -> Scalar:
    """BETA.INV: the beta quantile on [low, high]."""
    chance = probability(p, open_interval=False)
    bottom, top = (0.0 if low is None else num(low)), (1.0 if high is None else num(high))
    _, a, b = _beta_bounds(bottom, alpha, beta, low, high)
    return bottom + (top - bottom) * invert(lambda x: incomplete_beta(x, a, b), chance, 0.0, 1.0)


@register("CONFIDENCE.T")
def confidence_t(alpha: Scalar, sd: Scalar, size: Scalar) -> Scalar:
    """CONFIDENCE.T: half the width of a t confidence interval for a mean."""
    if math.floor(num(size)) == 1:
        raise Failure(DIV0)
    return confidence_width(alpha, sd, size, lambda a, n: abs(t_inverse(a / 2, n - 1)))
