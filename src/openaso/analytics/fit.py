"""Fit the Monte Carlo claim model to a plan's own experience: annual claims per member-year.

- no-claim probability = the share of member-years with no paid claims;
- catastrophic probability = the share at or above the threshold (default the §7 Pareto scale,
  $150,000), the Pareto α by maximum likelihood with x_m = threshold: α = n / Σ ln(x / x_m);
- the lognormal body from the member-years with claims below the threshold: σ = the standard
  deviation of ln x, and its conditional mean.
The body is fitted to the body, and the tail to the tail; with few member-years the tail is not
credible, so under `min_tail` catastrophic member-years the default tail is kept.
"""

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.simulate import ClaimModel

DEFAULT = ClaimModel()


def fit_claim_model(
    annual: NDArray[np.int64],
    threshold: float = DEFAULT.pareto_scale,
    min_tail: int = 5,
    trend: float = 0.0,
) -> ClaimModel:
    """`annual`: paid cents of every member-year (zeros included)."""
    if len(annual) == 0:
        raise ValueError("experience: no member-years to fit the claim model to")
    values = annual.astype(np.float64)
    positive = values[values > 0]
    body = positive[positive < threshold]
    tail = positive[positive >= threshold]
    if len(body) < 2:
        raise ValueError(
            f"experience: {len(body)} member-years with claims under the threshold;"
            " need at least 2 to fit the body"
        )
    model = replace(
        DEFAULT,
        no_claim=float((values <= 0).mean()),
        body_sigma=float(np.log(body).std(ddof=1)),
        body_mean=float(body.mean()),
        trend=trend,
    )
    if len(tail) < min_tail:
        return model
    alpha = len(tail) / float(np.log(tail / threshold).sum())
    if alpha <= 1.0:
        raise ValueError(f"experience: the fitted Pareto α is {alpha:.2f}; a mean needs α > 1")
    return replace(
        model,
        catastrophic=len(tail) / len(values),
        pareto_scale=threshold,
        pareto_alpha=alpha,
    )
