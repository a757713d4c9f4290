"""Every code the engine can put on a line has a sentence a member understands."""

import ast
import re
from pathlib import Path

import pytest

from openaso.services.eob import APPEAL_RIGHTS, CARC_REASONS, REMARKS, explain, explain_remark

CORE = Path(__file__).resolve().parents[2] / "src" / "openaso" / "core"
# The modules that decide lines, fills and disability claims, and the eligibility they share.
DECIDING = [
    *sorted((CORE / "adjudication").glob("*.py")),
    CORE / "pharmacy.py",
    CORE / "disability.py",
    CORE / "members.py",
]
# In these modules every string literal shaped like a code is one (CARC: "45", "A1"; RARC:
# "N130", "MA130"); test_the_scan_finds_the_codes_it_should pins that the scan sees them.
CODE = re.compile(r"[A-Z]{0,2}\d{1,4}")


def _engine_codes() -> set[str]:
    found = set()
    for path in DECIDING:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and CODE.fullmatch(value):
                found.add(value)
    return found


def _is_remark(code: str) -> bool:
    return code[0] in "MN"  # RARCs are M, MA and N codes; no CARC starts with M or N


def test_the_scan_finds_the_codes_it_should() -> None:
    assert {"1", "2", "3", "18", "26", "27", "29", "31", "45", "119", "204", "N130"} <= (
        _engine_codes()
    )


def test_every_adjustment_reason_the_engine_emits_has_a_sentence() -> None:
    missing = sorted(c for c in _engine_codes() if not _is_remark(c) and c not in CARC_REASONS)
    assert missing == [], f"add a member-friendly sentence to CARC_REASONS for {missing}"


def test_every_remark_the_engine_emits_has_a_sentence() -> None:
    missing = sorted(c for c in _engine_codes() if _is_remark(c) and c not in REMARKS)
    assert missing == [], f"add a member-friendly sentence to REMARKS for {missing}"


@pytest.mark.parametrize("carc", sorted(CARC_REASONS))
def test_each_sentence_says_why_and_what_it_means_for_the_member(carc: str) -> None:
    text = explain("PR", carc, "in")
    assert text.startswith(CARC_REASONS[carc])
    assert "what you may owe" in text


def test_the_member_share_codes_name_themselves() -> None:
    assert "deductible" in explain("PR", "1", "in")
    assert "coinsurance" in explain("PR", "2", "in")
    assert "copay" in explain("PR", "3", "in")


def test_an_in_network_discount_is_not_owed_and_an_out_of_network_one_may_be_billed() -> None:
    assert "You do not owe it" in explain("CO", "45", "in")
    assert "balance billing" in explain("CO", "45", "out")
    assert "not part of what you owe" in explain("CO", "29", "in")


def test_an_unknown_code_is_named_rather_than_dropped() -> None:
    assert "reason code Z9" in explain("CO", "Z9", "in")
    assert "Remark code M999" in explain_remark("M999")


def test_every_sentence_prints_in_the_pdf_core_fonts() -> None:
    texts = [*CARC_REASONS.values(), *REMARKS.values(), *APPEAL_RIGHTS]
    texts += [explain(g, "45", n) for g in ("PR", "CO", "OA") for n in ("in", "out")]
    assert [t for t in texts if not t.isascii()] == []


def test_the_appeal_rights_give_the_180_days_and_external_review() -> None:
    text = " ".join(APPEAL_RIGHTS)
    assert "180 days" in text
    assert "external review" in text
