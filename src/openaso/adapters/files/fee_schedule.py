"""Fee schedules as CSV (`code,amount` with a header), every bad row named by its line."""

import csv
from pathlib import Path

from openaso.adapters.files.yaml_source import Finding
from openaso.core.money import parse_amount


def read_fee_schedule_csv(path: Path) -> tuple[dict[str, int], list[Finding]]:
    fees: dict[str, int] = {}
    findings: list[Finding] = []
    origin = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        return {}, [Finding(origin, None, "", f"cannot read the file: {exc}")]
    with handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"code", "amount"} <= set(reader.fieldnames):
            return {}, [Finding(origin, 1, "", "expected a header row with columns code,amount")]
        for row in reader:
            line = reader.line_num
            code = (row.get("code") or "").strip()
            if not code:
                findings.append(Finding(origin, line, "code", "a code is required"))
                continue
            try:
                amount = parse_amount(row.get("amount") or "")
            except ValueError as exc:
                findings.append(Finding(origin, line, "amount", str(exc)))
                continue
            if code in fees:
                findings.append(Finding(origin, line, "code", f"{code} is listed twice"))
                continue
            fees[code] = amount
    return fees, findings
