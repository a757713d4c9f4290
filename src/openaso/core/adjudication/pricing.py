"""Pricing: the allowed amount from the network's method; the rest of the charge is CO-45."""

from openaso.core.adjudication.work import ClaimWork, LineWork
from openaso.core.claims import LineReview
from openaso.core.decision import Adjustment
from openaso.core.money import percent_of
from openaso.core.plan import PricingMethod


def price(work: ClaimWork, line: LineWork) -> None:
    plan, service = line.medical_plan, line.line
    network = work.claim.network
    pricing = plan.pricing(network)
    key = _KEY[network]
    review = work.reviews.get(service.number) if work.reviews else None
    if review is not None:
        _reviewed(line, review)
        return
    if service.repriced is not None:
        _repriced(line, service.repriced)
        return
    if pricing.method is PricingMethod.PERCENT_OF_BILLED:
        basis = service.billed
    else:
        fee = work.fees.amount(service.code, service.service_date)
        if fee is None:
            line.pend("pricing", f"no fee-schedule amount for {service.code}: needs review", (key,))
            return
        basis = fee * service.units
    allowed = min(service.billed, percent_of(basis, pricing.percent))
    line.allowed = line.plan_share = allowed
    if service.billed > allowed:
        line.adjustments.append(Adjustment("CO", "45", service.billed - allowed))
    line.note(
        "pricing",
        _HOW[pricing.method],
        (key,),
        (("basis", basis), ("allowed", allowed), ("CO-45", service.billed - allowed)),
    )


def _repriced(line: LineWork, repriced: int) -> None:
    """The network's repricer set the allowed amount (837 HCP): it replaces the plan's pricing."""
    service = line.line
    allowed = min(service.billed, repriced)
    line.allowed = line.plan_share = allowed
    if service.billed > allowed:
        line.adjustments.append(Adjustment("CO", "45", service.billed - allowed))
    line.note(
        "pricing",
        "allowed: the lesser of billed and the repriced amount (837 HCP)",
        (),
        (("repriced", repriced), ("allowed", allowed), ("CO-45", service.billed - allowed)),
    )


def _reviewed(line: LineWork, review: LineReview) -> None:
    """An examiner priced or denied this line when the claim was pended."""
    service = line.line
    if review.action == "deny":
        line.deny_edit(
            "review", review.carc, f"denied by {review.examiner}: {review.reason}", (), review.group
        )
        return
    allowed = min(service.billed, review.allowed or 0)
    line.allowed = line.plan_share = allowed
    if service.billed > allowed:
        line.adjustments.append(Adjustment("CO", "45", service.billed - allowed))
    line.note(
        "review",
        f"priced by {review.examiner}: {review.reason}",
        (),
        (("allowed", allowed), ("CO-45", service.billed - allowed)),
    )


_KEY = {"in": "pricing.in_network", "out": "pricing.out_of_network"}
_HOW = {
    PricingMethod.FEE_SCHEDULE: "allowed: the lesser of billed and the fee schedule x units",
    PricingMethod.PERCENT_OF_FEE_SCHEDULE: "allowed: the lesser of billed and the plan's percent"
    " of the fee schedule x units",
    PricingMethod.PERCENT_OF_BILLED: "allowed: the plan's percent of billed",
}
