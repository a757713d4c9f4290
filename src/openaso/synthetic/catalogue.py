"""What the synthetic providers bill and what the plans pay: the fee schedule, the providers
and the formulary of the generated book.

Professional fees are commercial in-network levels of roughly 130-180% of the 2025 Medicare
physician fee schedule (conversion factor $32.3465, domain.md §9); facility lines are revenue
codes priced per day or per unit. Codes deliberately left out of the fee schedule (UNLISTED)
pend for an examiner, as an unlisted procedure does in practice.
"""

from dataclasses import dataclass
from typing import Literal

from openaso.core.npi import luhn_check_digit

# code → in-network fee in cents (per unit)
FEES: dict[str, int] = {
    # office visits, preventive care, immunisation
    "99202": 11_000, "99203": 15_500, "99204": 23_500, "99213": 12_500, "99214": 17_500,
    "99215": 24_500,
    "99393": 16_500, "99394": 17_500, "99395": 18_000, "99396": 19_500, "90471": 3_000,
    # laboratory
    "36415": 600, "80053": 2_200, "80061": 2_600, "83036": 2_000, "84443": 3_300, "85025": 1_500,
    "87880": 2_400,
    # imaging (global)
    "71046": 6_500, "72148": 62_000, "73721": 58_000, "74177": 48_000, "76700": 21_000,
    # therapy and chiropractic
    "97110": 4_200, "97140": 3_900, "98941": 5_200,
    # emergency and hospital professional services
    "99283": 14_000, "99284": 24_000, "99285": 36_000, "99223": 31_000, "99232": 12_000,
    # surgery and maternity (global)
    "29881": 120_000, "45378": 65_000, "47562": 140_000, "49505": 110_000, "66984": 95_000,
    "59400": 420_000,
    # facility revenue codes (837I): per day, per case or per unit
    "0120": 310_000, "0170": 150_000, "0200": 720_000, "0250": 10_000, "0300": 6_000,
    "0320": 35_000, "0360": 520_000, "0450": 190_000, "0610": 140_000, "0720": 380_000,
    # dental
    "D0120": 5_500, "D0150": 9_000, "D0274": 6_500, "D1110": 10_500, "D1120": 7_500,
    "D1206": 4_000, "D2391": 19_000, "D2740": 125_000,
}  # fmt: skip
UNLISTED: dict[str, int] = {"99499": 45_000, "0001U": 80_000}  # billed list price in cents

Kind = Literal["P", "I", "D"]


@dataclass(frozen=True, slots=True)
class Provider:
    npi: str
    tin: str
    name: str
    network: Literal["in", "out"]
    kind: Kind  # the 837 it sends
    specialty: str  # what it does in the generator: pcp lab imaging therapy chiro er ...
    markup: int  # billed charge as a percent of the fee schedule


def npi(serial: int, organisation: bool = True) -> str:
    """A valid NPI (Luhn check digit over 80840 + nine digits) for a serial number."""
    nine = f"{2 if organisation else 1}{serial:08d}"
    return nine + str(luhn_check_digit("80840" + nine))


_PROVIDERS = (  # name, network, kind, specialty, markup %
    ("VALLEY FAMILY MEDICINE", "in", "P", "pcp", 165),
    ("RIVERSIDE PRIMARY CARE", "in", "P", "pcp", 180),
    ("NORTHSIDE PEDIATRICS", "in", "P", "pcp", 170),
    ("CITY INTERNAL MEDICINE", "out", "P", "pcp", 230),
    ("QUEST POINT LABORATORIES", "in", "P", "lab", 210),
    ("HILLTOP IMAGING CENTER", "in", "P", "imaging", 190),
    ("MOTION PHYSICAL THERAPY", "in", "P", "therapy", 160),
    ("SPINE AND JOINT CHIROPRACTIC", "in", "P", "chiro", 150),
    ("EMERGENCY PHYSICIANS GROUP", "in", "P", "er", 220),
    ("HOSPITALIST PARTNERS", "in", "P", "hospitalist", 200),
    ("ORTHOPAEDIC SURGEONS ASSOC", "in", "P", "surgeon", 210),
    ("WOMENS HEALTH OBGYN", "in", "P", "obgyn", 180),
    ("ST LUKE REGIONAL HOSPITAL", "in", "I", "hospital", 240),
    ("MERCY GENERAL HOSPITAL", "in", "I", "hospital", 260),
    ("LAKESIDE SURGERY CENTER", "in", "I", "asc", 200),
    ("UNIVERSITY MEDICAL CENTER", "out", "I", "hospital", 300),
    ("BRIGHT SMILES DENTAL", "in", "D", "dental", 150),
    ("MAIN STREET DENTAL", "in", "D", "dental", 160),
    ("UPTOWN FAMILY DENTISTRY", "out", "D", "dental", 190),
)  # fmt: skip
PROVIDERS: tuple[Provider, ...] = tuple(
    Provider(npi(index + 1), f"{710_000_000 + index:09d}", name, network, kind, specialty, markup)  # type: ignore[arg-type]
    for index, (name, network, kind, specialty, markup) in enumerate(_PROVIDERS)
)

# NDC → (formulary tier, ingredient cost per 30 days in cents, drug), for pharmacy fills
FORMULARY: dict[str, tuple[str, int, str]] = {
    "00093-7146-56": ("generic", 1_200, "atorvastatin"),
    "00378-0018-01": ("generic", 900, "lisinopril"),
    "00093-1048-01": ("generic", 1_500, "metformin"),
    "68180-0513-01": ("generic", 1_100, "amlodipine"),
    "00093-3109-01": ("generic", 1_800, "amoxicillin"),
    "00002-8215-01": ("preferred", 52_000, "insulin lispro"),
    "00169-4130-13": ("preferred", 98_000, "GLP-1 agonist"),
    "00173-0682-20": ("non_preferred", 38_000, "inhaled corticosteroid"),
    "50242-0040-62": ("specialty", 640_000, "biologic"),
}
