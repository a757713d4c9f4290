"""The analysis reports as the API's shapes (cents to decimal strings, months to YYYY-MM)."""

from openaso.analytics.compare import Comparison
from openaso.analytics.experience import Cell, LossRatio
from openaso.analytics.months import month_label
from openaso.analytics.simulate import Simulation
from openaso.core.money import format_cents
from openaso.entrypoints.api.analysis_schemas import (
    CellPublic,
    ClaimantPublic,
    ComparePublic,
    DevelopmentPublic,
    ExperiencePublic,
    FullyInsuredPublic,
    IbnrPublic,
    IncurredMonthPublic,
    LagPublic,
    LossRatioPublic,
    OutcomePublic,
    PercentilePublic,
    RatePublic,
    RatesPublic,
    SelfFundedPublic,
    SimulationPublic,
    SimulationResultPublic,
)
from openaso.services.analysis import Rates
from openaso.services.analytics import ExperienceReport, LagReport
from openaso.services.simulation_jobs import JobStatus


def _money(cents: int | None) -> str | None:
    return None if cents is None else format_cents(cents)


def lag_public(report: LagReport) -> LagPublic:
    triangle, factors = report.triangle, report.reserve.factors
    return LagPublic(
        sponsor_id=report.sponsor_id,
        valuation=month_label(triangle.valuation),
        incurred=[month_label(triangle.first + i) for i in range(triangle.origins)],
        paid=[[format_cents(int(v)) for v in row] for row in triangle.amounts.tolist()],
        development=[
            DevelopmentPublic(
                lag=k,
                age_to_age=round(factors[k], 6) if k < len(factors) else None,
                completion=round(completion, 6),
            )
            for k, completion in enumerate(report.reserve.completion)
        ],
    )


def ibnr_public(report: LagReport) -> IbnrPublic:
    return IbnrPublic(
        sponsor_id=report.sponsor_id,
        valuation=month_label(report.triangle.valuation),
        months=[
            IncurredMonthPublic(
                incurred=month_label(m.month),
                paid=format_cents(m.paid),
                completion=round(m.completion, 6),
                developed=format_cents(m.developed),
                ultimate=format_cents(m.ultimate),
                ibnr=format_cents(m.ibnr),
                method=m.method,
            )
            for m in report.reserve.months
        ],
        paid=format_cents(report.reserve.paid),
        ibnr=format_cents(report.reserve.ibnr),
    )


def _cell(cell: Cell) -> CellPublic:
    return CellPublic(
        label=cell.label,
        members=cell.members,
        member_months=cell.member_months,
        employee_months=cell.employee_months,
        paid=_money(cell.paid),
        pmpm=_money(cell.pmpm),
        pepm=_money(cell.pepm),
    )


def _loss_ratio(row: LossRatio) -> LossRatioPublic:
    budget = format_cents(row.budget)
    return LossRatioPublic(
        month=row.label, paid=format_cents(row.paid), budget=budget, ratio=row.ratio
    )


def experience_public(report: ExperienceReport) -> ExperiencePublic:
    result = report.experience
    return ExperiencePublic(
        sponsor_id=report.sponsor_id,
        start=result.by_month[0].label,
        end=result.by_month[-1].label,
        suppressed=report.suppressed,
        by_month=[_cell(c) for c in result.by_month],
        by_category=[_cell(c) for c in result.by_category],
        by_tier=[_cell(c) for c in result.by_tier],
        total=_cell(result.total),
        large_claimants=report.large_claimants,
        large_claimant_paid=_money(report.large_claimant_paid),
        claimants=[
            ClaimantPublic(key=c.key, paid=format_cents(c.paid)) for c in result.large_claimants
        ],
        loss_ratio=[
            LossRatioPublic(
                month=r.label,
                paid=format_cents(r.paid),
                budget=format_cents(r.budget),
                ratio=r.ratio,
            )
            for r in result.loss_ratio
        ],
        trend=result.trend,
    )


def rates_public(sponsor_id: str, found: Rates) -> RatesPublic:
    data = [
        RatePublic(
            tier=r.costs.tier,
            employees=found.employees.get(r.costs.tier, 0),
            expected_claims=format_cents(r.costs.expected_claims),
            admin=format_cents(r.costs.admin),
            specific_premium=format_cents(r.costs.specific_premium),
            aggregate_premium=format_cents(r.costs.aggregate_premium),
            other_fees=format_cents(r.costs.other_fees),
            margin=format_cents(r.margin),
            working_rate=format_cents(r.rate),
            cobra=format_cents(r.cobra),
            cobra_disability=format_cents(r.cobra_disability),
        )
        for r in found.rates
    ]
    first, last = found.months
    return RatesPublic(
        sponsor_id=sponsor_id,
        start=month_label(first),
        end=month_label(last),
        data=data,
        count=len(data),
    )


def compare_public(sponsor_id: str, comparison: Comparison) -> ComparePublic:
    sf, fi = comparison.self_funded, comparison.fully_insured
    return ComparePublic(
        sponsor_id=sponsor_id,
        self_funded=SelfFundedPublic(
            expected_claims=format_cents(sf.expected_claims),
            admin=format_cents(sf.admin),
            specific_premium=format_cents(sf.specific_premium),
            aggregate_premium=format_cents(sf.aggregate_premium),
            other_fees=format_cents(sf.other_fees),
            aggregate_attachment=format_cents(sf.aggregate_attachment),
            expected=format_cents(sf.expected),
            maximum=format_cents(sf.maximum),
        ),
        fully_insured=FullyInsuredPublic(
            claims=format_cents(fi.claims),
            pooling=format_cents(fi.pooling),
            expenses=format_cents(fi.expenses),
            fees=format_cents(fi.fees),
            loads=format_cents(fi.loads),
            premium=format_cents(fi.premium),
            quoted=fi.quoted,
        ),
        expected_saving=format_cents(comparison.expected_saving),
        worst_case_extra=format_cents(comparison.worst_case_extra),
    )


def _result(simulation: Simulation) -> SimulationResultPublic:
    return SimulationResultPublic(
        members=simulation.members,
        years=simulation.years,
        seed=simulation.seed,
        expected_gross=format_cents(simulation.expected_gross),
        gross_mean=format_cents(simulation.gross_mean),
        outcomes=[
            OutcomePublic(
                option=o.option.name,
                mean=format_cents(o.mean),
                sd=format_cents(o.sd),
                cv=round(o.cv, 6),
                percentiles=[
                    PercentilePublic(percent=p, cost=format_cents(v)) for p, v in o.percentiles
                ],
                var95=format_cents(o.var95),
                var99=format_cents(o.var99),
                tvar95=format_cents(o.tvar95),
                tvar99=format_cents(o.tvar99),
                p_over_budget=o.p_over_budget,
                p_aggregate_pays=o.p_aggregate_pays,
                mean_specific_reimbursed=format_cents(o.mean_specific_reimbursed),
                aggregate_attachment=_money(o.attachment),
            )
            for o in simulation.outcomes
        ],
    )


def simulation_public(job: JobStatus) -> SimulationPublic:
    return SimulationPublic(
        id=job.id,
        sponsor_id=job.sponsor_id,
        state=job.state,
        done=job.done,
        years=job.years,
        percent=job.percent,
        error=job.error,
        result=None if job.result is None else _result(job.result),
    )
