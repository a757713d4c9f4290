"""999 and TA1 acknowledgments written for the public 837 samples: exact text, counts, shape."""

from datetime import datetime
from pathlib import Path

import pytest
from bench.generate_837 import sample_claims, write_837

from openaso.adapters.x12.ack_999 import Party, write_999, write_ta1
from openaso.adapters.x12.claims_837 import FunctionalGroup837, read_837
from openaso.adapters.x12.segments import Segment, tokenize_text

SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
needs_samples = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the public X12 samples are not at {SHARED}"
)
WHEN = datetime(2026, 3, 1, 12, 0)
US = Party("ZZ", "OPENASO")
THEM = Party("ZZ", "SUBMITTER")
ENVELOPE = (
    "ISA*00*          *00*          *ZZ*OPENASO        *ZZ*SUBMITTER      *260301*1200*^*00501*"
    "000000123*0*P*:~\n"
)


def ack(group: FunctionalGroup837) -> str:
    return write_999(group, ours=US, theirs=THEM, control=123, group_control=45, when=WHEN)


def first_group(name: str) -> FunctionalGroup837:
    return read_837(SHARED / name).interchanges[0].groups[0]


def tags(text: str) -> list[str]:
    return [segment.tag for segment in tokenize_text(text, "999")]


def check_counts(text: str) -> list[Segment]:
    """The 999 parses back; SE01, GE01, IEA01 and the AK9 counts agree with what it holds."""
    segments = list(tokenize_text(text, "999"))
    by_tag = {s.tag: s for s in segments}
    st, se = by_tag["ST"], by_tag["SE"]
    assert se.get(1) == str(se.number - st.number + 1)
    assert se.get(2) == st.get(2) == "0001"
    assert by_tag["GE"].get(1) == by_tag["IEA"].get(1) == "1"
    assert by_tag["IEA"].get(2) == by_tag["ISA"].get(13) == "000000123"
    ik5 = [s for s in segments if s.tag == "IK5"]
    assert len(ik5) == sum(s.tag == "AK2" for s in segments)
    ak9 = by_tag["AK9"]
    assert ak9.get(3) == str(len(ik5))
    assert ak9.get(4) == str(sum(s.get(1) == "A" for s in ik5))
    return segments


@needs_samples
def test_accepted_837p_gets_the_shape_of_the_public_accepted_999() -> None:
    text = ack(first_group("linuxforhealth__837_005010X222A2__demo.example1.837"))
    assert text == ENVELOPE + (
        # GS02/GS03 swap the 837's GS03/GS02, as the public 999 sample does.
        "GS*FA*54321*000000005*20260301*1200*45*X*005010X231A1~\n"
        "ST*999*0001*005010X231A1~\n"
        "AK1*HC*1*005010X222A2~\n"
        "AK2*837*0021*005010X222A2~\n"
        "IK5*A~\n"
        "AK9*A*1*1*1~\n"
        "SE*6*0001~\n"
        "GE*1*45~\n"
        "IEA*1*000000123~\n"
    )
    public = (SHARED / "imsweb__837_5010__x12_999_accepted.txt").read_text()
    assert tags(text) == tags(public)
    check_counts(text)


@needs_samples
def test_rejected_set_gets_ik3_ik4_and_the_shape_of_the_public_rejected_999() -> None:
    text = ack(first_group("linuxforhealth__837_005010X222A2__demo.example6.837"))
    body = text.split("AK1", 1)[1]
    assert body == (
        "*HC*1*005010X222A2~\n"
        "AK2*837*3701*005010X222A2~\n"
        "IK3*CLM*19*2300*8~\n"
        "CTX*CLM01:125WILL~\n"
        "IK4*5:3**1~\n"
        "IK3*SV1*26*2400*8~\n"
        "CTX*CLM01:125WILL~\n"
        "IK4*1:1**7*HC>98940~\n"
        "IK5*R*5~\n"
        "AK9*R*1*1*0~\n"
        "SE*12*0001~\n"
        "GE*1*45~\n"
        "IEA*1*000000123~\n"
    )
    public = tags((SHARED / "imsweb__837_5010__x12_999_rejected.txt").read_text())
    ours = [tag for tag in tags(text) if tag not in ("IK4", "CTX")]
    assert ours[: public.index("IK3") + 1] == public[: public.index("IK3") + 1]
    assert ours[-5:] == public[-5:]  # IK5 AK9 SE GE IEA
    check_counts(text)


@needs_samples
def test_set_level_codes_and_group_codes() -> None:
    text = ack(first_group("imsweb__837_5010__x12_multiple_st.txt"))
    segments = check_counts(text)
    assert [s.elements for s in segments if s.tag in ("IK5", "AK9")] == [
        ["IK5", "R", "4", "5"], ["IK5", "R", "4", "5"], ["AK9", "R", "1", "2", "0", "5"],
    ]  # fmt: skip
    ik3 = [s.elements for s in segments if s.tag == "IK3"][:2]
    assert ik3 == [["IK3", "CLM", "20", "2300", "8"], ["IK3", "HI", "21", "2300", "8"]]
    unknown = ack(first_group("imsweb__837_5010__x12_bad_segment_identifier.txt"))
    assert "IK3*??*4*1000A*1~" in unknown  # an empty segment ID
    assert "IK3*Nd4*9*2010AA*1~" in unknown
    assert "IK3*NM3*18*2000B*1~" in unknown  # NM31 cut to IK301's 3 characters
    assert "IK3*N4*7*2010AA*3~" in unknown  # required segment missing
    check_counts(unknown)
    other = ack(first_group("edi__emedny_sample.txt"))
    assert "AK1*HP*6000600*005010X221A1~\nAK2*835*1740*005010X221A1~\nIK5*R*1~" in other


@needs_samples
def test_every_sample_group_gets_a_999_that_parses_back() -> None:
    for path in sorted(SHARED.iterdir()):
        if "837" not in path.name or "999" in path.name:
            continue
        for interchange in read_837(path).interchanges:
            for group in interchange.groups:
                segments = check_counts(ack(group))
                assert sum(s.tag == "AK2" for s in segments) == len(group.sets), path.name


def test_partly_accepted_group(tmp_path: Path) -> None:
    path = write_837(tmp_path / "g.837", sample_claims(6), "P")
    path.write_text(path.read_text().replace("BHT*0019*00*0001*20260302", "BHT*0019*00*0001*2026"))
    text = ack(read_837(path).interchanges[0].groups[0])
    assert "IK3*BHT*2**8~\nIK4*4**8*2026~\nIK5*R*5~" in text
    assert "AK9*P*2*2*1~" in text
    check_counts(text)


@needs_samples
def test_ta1_for_envelope_errors() -> None:
    (broken,) = read_837(SHARED / "imsweb__837_5010__x12_bad_first_line.txt").interchanges
    text = write_ta1(broken, ours=US, theirs=THEM, control=123, when=WHEN)
    assert text == ENVELOPE + "TA1*000000905*030101*1253*R*011~\nIEA*0*000000123~\n"
    assert tags(text) == ["ISA", "TA1", "IEA"]
    (counted,) = read_837(SHARED / "imsweb__837_5010__x12_multiple_gs.txt").interchanges
    assert "TA1*000000905*030101*1253*E*021~" in write_ta1(
        counted, ours=US, theirs=THEM, control=123, when=WHEN
    )
    (fine,) = read_837(SHARED / "imsweb__837_5010__x12_valid.txt").interchanges
    assert "TA1*000000905*030101*1253*A*000~" in write_ta1(
        fine, ours=US, theirs=THEM, control=123, when=WHEN, usage="T"
    )
