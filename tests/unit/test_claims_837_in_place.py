"""The segments `ClaimReader.read` reads in place (LX, SV1, SV3, DTP, HCP) give what their
handlers give: every file read both ways is the same intake, errors and claims alike."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bench.generate_837 import sample_claims, write_837
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openaso.adapters.x12.claims_837 import Intake837, TransactionSet837, read_837
from openaso.adapters.x12.claims_837_lines import ClaimReader

SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
SAMPLES = sorted(SHARED.glob("*837*")) if SHARED.is_dir() else []
# A line-level HCP, a line-level RD8, a claim-level DTP, whole dollars, decimal units, a
# modifier and a line with no LX: each leaves the in-place read for its handler somewhere.
EDGES = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*OPENASO        *260101*1200*^*"
    "00501*000000042*0*P*:~GS*HC*SENDER*OPENASO*20260101*1200*7*X*005010X222A1~"
    "ST*837*0001*005010X222A1~BHT*0019*00*1*20260301*1200*CH~HL*1**20*1~"
    "NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*TOWN*PA*17111~REF*EI*123456789~"
    "HL*2*1*22*1~SBR*P*18*G1******CI~NM1*IL*1*DOE*JANE****MI*M1~HL*3*2*23*0~PAT*19~"
    "NM1*QC*1*DOE*TIM~DMG*D8*20150101*M~CLM*PCN-1*275.5***11:B:1*Y*A*Y*Y~"
    "DTP*472*D8*20260201~HI*ABK:J029~HCP*02*100~LX*1~SV1*HC:99213:25*100*UN*1.5***1~"
    "DTP*472*RD8*20260201-20260203~HCP*02*80.00~LX*2~SV1*HC:99214*175.50*UN*2***1~"
    "SV1*HC:80053*0*UN*0***1~DTP*472*D8*20260202~SE*27*0001~GE*1*7~IEA*1*000000042~"
)


@contextmanager
def handlers_only() -> Iterator[None]:
    ClaimReader.in_place = False
    try:
        yield
    finally:
        ClaimReader.in_place = True


def both_ways(path: Path) -> tuple[object, object]:
    """(in place, handlers only): each the kept intake and the intake and sets of a streamed
    read."""

    def read() -> tuple[Intake837, Intake837, list[tuple[int, TransactionSet837]]]:
        passed: list[tuple[int, TransactionSet837]] = []
        streamed = read_837(path, on_set=lambda index, t: passed.append((index, t)))
        return read_837(path), streamed, passed

    in_place = read()
    with handlers_only():
        handled = read()
    return in_place, handled


def test_handlers_only_is_what_the_switch_gives_back() -> None:
    with handlers_only():
        assert not ClaimReader.in_place
    assert ClaimReader.in_place


@pytest.mark.parametrize("kind", ["P", "D"])
def test_generated_files_read_alike(tmp_path: Path, kind: str) -> None:
    claims = sample_claims(300, dental=kind == "D")
    path = write_837(tmp_path / "g.837", claims, "P" if kind == "P" else "D")
    in_place, handled = both_ways(path)
    assert in_place == handled
    assert len(read_837(path).claims()) == 300


def test_edge_cases_read_alike(tmp_path: Path) -> None:
    path = tmp_path / "edges.837"
    path.write_text(EDGES)
    in_place, handled = both_ways(path)
    assert in_place == handled
    assert [f.key for f in read_837(path).problems()] == ["LX", "SV104"]  # 0 units, no LX
    path.write_text(ACCEPTED)
    in_place, handled = both_ways(path)
    assert in_place == handled
    assert read_837(path).problems() == []
    first, second = read_837(path).claims()
    assert [line.units for line in first.claim.lines] == [2, 2, 3]  # 1.5 rounds half up
    assert second.claim.lines[0].service_date == first.claim.lines[1].service_date


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_public_samples_read_alike(sample: Path) -> None:
    in_place, handled = both_ways(sample)
    assert in_place == handled


ACCEPTED = (  # the same with a third line, nothing wrong, and a claim dated as the first
    EDGES.replace("SV1*HC:80053*0*UN*0***1~", "LX*3*~SV1*HC:80053*10.00*UN*3~")
    .replace("CLM*PCN-1*275.5*", "CLM*PCN-1*285.5*")
    .replace(
        "SE*27*",
        "CLM*PCN-2*10***11:B:1*Y*A*Y*Y~DTP*472*D8*20260201~HI*ABK:J029~LX*1~"
        "SV1*HC:99213*10.00*UN*1***1~SE*33*",
    )
)
BASES = [EDGES, ACCEPTED]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "repeat"]))
        char = draw(st.sampled_from(["*", "~", ":", ".", "-", " ", "0", "1", "A", "é"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:at] + char + text[at:]
        elif kind == "replace":
            text = text[:at] + char + text[at + 1 :]
        else:  # the segment at `at`, twice
            start, end = text.rfind("~", 0, at) + 1, text.find("~", at)
            if end > 0:
                text = text[:start] + text[start : end + 1] + text[start:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_files_read_alike(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("mutated") / "m.837"
    path.write_text(text, encoding="utf-8")
    in_place, handled = both_ways(path)
    assert in_place == handled
