"""Every analytics report as tables (for CSV and the terminal) and one SVG chart.

A table's money cells are integer cents, written as dollars with two decimals; a suppressed
figure (None) is written empty; ratios with four decimals.
"""

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openaso.analytics.charts import bar_chart, histogram, line_chart
from openaso.analytics.compare import Comparison
from openaso.analytics.experience import Cell
from openaso.analytics.months import month_label
from openaso.analytics.rates import WorkingRate
from openaso.analytics.simulate import Simulation
from openaso.core.money import format_cents
from openaso.services.analytics import ExperienceReport, LagReport

Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str = "money"  # money (cents) | count | ratio | text


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]

    def cell(self, value: Value, column: Column) -> str:
        if value is None:
            return ""
        if column.kind == "money" and isinstance(value, int):
            return format_cents(value)
        if column.kind == "ratio" and isinstance(value, float):
            return f"{value:.4f}"
        return str(value)

    def text_rows(self) -> list[list[str]]:
        return [
            [self.cell(v, c) for v, c in zip(row, self.columns, strict=True)] for row in self.rows
        ]


def write_csv(tables: Sequence[Table], path: Path) -> None:
    """One CSV file; several tables follow each other, each after a line naming it."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for n, table in enumerate(tables):
            if len(tables) > 1:
                if n:
                    writer.writerow([])
                writer.writerow([f"# {table.title}"])
            writer.writerow([c.name for c in table.columns])
            writer.writerows(table.text_rows())


def _dollars(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def lag_tables(report: LagReport) -> list[Table]:
    triangle = report.triangle
    lag_columns = tuple(Column(f"lag {k}") for k in range(triangle.lags))
    rows: tuple[tuple[Value, ...], ...] = tuple(
        (
            month_label(triangle.first + i),
            *(int(triangle.amounts[i, k]) for k in range(triangle.lags)),
        )
        for i in range(triangle.origins)
    )
    ibnr_rows: tuple[tuple[Value, ...], ...] = tuple(
        (month_label(m.month), m.paid, round(m.completion, 6), m.developed, m.ultimate, m.ibnr,
         m.method)
        for m in report.reserve.months
    )  # fmt: skip
    shown = report.reserve.months
    ibnr_rows += (
        ("total", sum(m.paid for m in shown), None, None, sum(m.ultimate for m in shown),
         sum(m.ibnr for m in shown), ""),
    )  # fmt: skip
    factors = report.reserve.factors
    development = tuple(
        (k, round(factors[k], 6) if k < len(factors) else None, round(completion, 6))
        for k, completion in enumerate(report.reserve.completion)
    )
    return [
        Table("Lag triangle (paid, incremental)", (Column("incurred", "text"), *lag_columns), rows),
        Table(
            "Development factors",
            (Column("lag", "count"), Column("age-to-age", "ratio"), Column("completion", "ratio")),
            development,
        ),
        Table(
            "IBNR by incurred month",
            (
                Column("incurred", "text"),
                Column("paid"),
                Column("completion", "ratio"),
                Column("developed"),
                Column("ultimate"),
                Column("ibnr"),
                Column("method", "text"),
            ),
            ibnr_rows,
        ),
    ]


def lag_chart(report: LagReport) -> str:
    months = report.reserve.months
    return bar_chart(
        f"{report.sponsor_id}: paid and IBNR by incurred month",
        [month_label(m.month) for m in months],
        [
            ("paid to date", [m.paid / 100 for m in months]),
            ("IBNR", [m.ibnr / 100 for m in months]),
        ],
    )


CELL_COLUMNS = (
    Column("members", "count"),
    Column("member months", "count"),
    Column("employee months", "count"),
    Column("paid"),
    Column("PMPM"),
    Column("PEPM"),
)


def experience_tables(report: ExperienceReport) -> list[Table]:
    result = report.experience

    def cells(title: str, label: str, rows: Sequence[Cell]) -> Table:
        return Table(
            title,
            (Column(label, "text"), *CELL_COLUMNS),
            tuple(
                (c.label, c.members, c.member_months, c.employee_months, c.paid, c.pmpm, c.pepm)
                for c in rows
            ),
        )

    tables = [
        cells("Experience by month", "month", (*result.by_month, result.total)),
        cells("Experience by service category", "category", result.by_category),
        cells("Experience by tier", "tier", result.by_tier),
        Table(
            "Large claimants",
            (Column("claimant", "text"), Column("paid"), Column("by category", "text")),
            tuple(
                (c.key, c.paid, "; ".join(f"{n} {format_cents(v)}" for n, v in c.by_category))
                for c in result.large_claimants
            )
            or (("(count)", report.large_claimant_paid, f"{report.large_claimants} claimants"),),
        ),
    ]
    if result.loss_ratio:
        tables.append(
            Table(
                "Loss ratio against budget",
                (
                    Column("month", "text"),
                    Column("paid"),
                    Column("budget"),
                    Column("ratio", "ratio"),
                ),
                tuple((r.label, r.paid, r.budget, r.ratio) for r in result.loss_ratio),
            )
        )
    tables.append(Table("Trend", (Column("annual PMPM trend", "ratio"),), ((result.trend,),)))
    return tables


def experience_chart(report: ExperienceReport) -> str:
    months = report.experience.by_month
    series = [("PMPM", [_dollars(c.pmpm) for c in months])]
    if report.experience.loss_ratio:
        budget = [
            _dollars(round(r.budget / c.member_months)) if c.member_months else None
            for r, c in zip(report.experience.loss_ratio, months, strict=True)
        ]
        series.append(("budget PMPM", budget))
    return line_chart(f"{report.sponsor_id}: PMPM by month", [c.label for c in months], series)


def rates_table(rates: Sequence[WorkingRate]) -> Table:
    return Table(
        "Working rates (PEPM)",
        tuple(
            [Column("tier", "text")]
            + [Column(n) for n in ("expected claims", "admin + network", "specific premium")]
            + [Column(n) for n in ("aggregate premium", "other fees", "margin", "working rate")]
            + [Column("COBRA 102%"), Column("COBRA disability 150%")]
        ),
        tuple(
            (
                r.costs.tier, r.costs.expected_claims, r.costs.admin, r.costs.specific_premium,
                r.costs.aggregate_premium, r.costs.other_fees, r.margin, r.rate, r.cobra,
                r.cobra_disability,
            )
            for r in rates
        ),
    )  # fmt: skip


def rates_chart(rates: Sequence[WorkingRate]) -> str:
    parts = [
        ("expected claims", [r.costs.expected_claims / 100 for r in rates]),
        ("admin + network", [r.costs.admin / 100 for r in rates]),
        ("specific premium", [r.costs.specific_premium / 100 for r in rates]),
        ("aggregate premium", [r.costs.aggregate_premium / 100 for r in rates]),
        ("other + margin", [(r.costs.other_fees + r.margin) / 100 for r in rates]),
    ]
    return bar_chart("Working rate by tier (PEPM)", [r.costs.tier for r in rates], parts)


def compare_table(comparison: Comparison) -> Table:
    sf, fi = comparison.self_funded, comparison.fully_insured
    rows: tuple[tuple[Value, ...], ...] = (
        ("expected claims", sf.expected_claims, fi.claims),
        ("admin + network / expenses", sf.admin, fi.expenses),
        ("specific premium / pooling", sf.specific_premium, fi.pooling),
        ("aggregate premium", sf.aggregate_premium, None),
        ("other fees", sf.other_fees, fi.fees),
        ("premium tax, risk margin and other loads", None, fi.loads),
        ("expected cost", sf.expected, fi.premium),
        ("aggregate attachment", sf.aggregate_attachment, None),
        ("laser and ASD retentions", sf.retentions, None),
        ("maximum cost", sf.maximum, fi.premium),
        ("expected saving of self-funding", comparison.expected_saving, None),
        ("worst year above fully insured", comparison.worst_case_extra, None),
    )
    insured = "fully insured (quote)" if fi.quoted else "fully insured (equivalent)"
    return Table(
        "ASO against fully insured (plan year)",
        (Column("component", "text"), Column("self-funded"), Column(insured)),
        rows,
    )


def compare_chart(comparison: Comparison) -> str:
    sf, fi = comparison.self_funded, comparison.fully_insured
    return bar_chart(
        "Self-funded against fully insured",
        ["self-funded expected", "self-funded maximum", "fully insured"],
        [
            ("claims", [sf.expected_claims / 100, sf.aggregate_attachment / 100, fi.claims / 100]),
            ("fixed costs / retentions", [sf.fixed / 100, (sf.fixed + sf.retentions) / 100,
                                          (fi.pooling + fi.expenses + fi.fees) / 100]),
            ("insurer loads", [0.0, 0.0, fi.loads / 100]),
        ],
    )  # fmt: skip


def simulation_table(simulation: Simulation) -> Table:
    percent_columns = tuple(Column(f"P{p}") for p, _ in simulation.outcomes[0].percentiles)
    return Table(
        f"Plan-year cost, {simulation.years:,} simulated years of {simulation.members:,} members"
        f" (seed {simulation.seed})",
        (
            Column("option", "text"), Column("mean"), Column("SD"), Column("CV", "ratio"),
            *percent_columns, Column("VaR95"), Column("VaR99"), Column("TVaR95"),
            Column("TVaR99"), Column("P(cost > budget)", "ratio"),
            Column("P(aggregate pays)", "ratio"), Column("mean specific reimbursed"),
            Column("aggregate attachment"),
        ),
        tuple(
            (o.option.name, o.mean, o.sd, o.cv, *(v for _, v in o.percentiles), o.var95,
             o.var99, o.tvar95, o.tvar99, o.p_over_budget, o.p_aggregate_pays,
             o.mean_specific_reimbursed, o.attachment)
            for o in simulation.outcomes
        ),
    )  # fmt: skip


def simulation_chart(simulation: Simulation) -> str:
    return histogram(
        "Distribution of the employer's plan-year cost",
        [(o.option.name, o.costs / 100) for o in simulation.outcomes],
    )
