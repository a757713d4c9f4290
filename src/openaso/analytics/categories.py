"""Service categories for experience reports, derived from the claim kind and the line's code.

The mapping (docs/analytics.md repeats it): rx → pharmacy, dental → dental, std → disability;
for medical lines, by code —
- revenue codes (4 digits, 0100–0219 room and board) → inpatient; 0450–0459 → emergency;
  other revenue codes → outpatient facility;
- CPT 99381–99397 (preventive medicine visits) → preventive; 99202–99215 → office visit;
  99281–99285 (ED visits) → emergency; 99221–99239 (hospital care) → inpatient;
- CPT 70010–79999 → imaging; 80047–89398 → lab; 10004–69990 → surgery;
- J codes (drugs administered) → pharmacy; anything else → other professional.
Place of service is not stored with a line, so it does not enter the mapping.
"""

CATEGORIES = (
    "preventive",
    "office_visit",
    "emergency",
    "inpatient",
    "outpatient_facility",
    "surgery",
    "imaging",
    "lab",
    "pharmacy",
    "dental",
    "disability",
    "other_professional",
)
KIND_CATEGORY = {"rx": "pharmacy", "dental": "dental", "std": "disability"}
CPT_RANGES = (
    (99381, 99397, "preventive"),
    (99202, 99215, "office_visit"),
    (99281, 99285, "emergency"),
    (99221, 99239, "inpatient"),
    (70010, 79999, "imaging"),
    (80047, 89398, "lab"),
    (10004, 69990, "surgery"),
)


def service_category(kind: str, code: str) -> str:
    if kind in KIND_CATEGORY:
        return KIND_CATEGORY[kind]
    code = code.strip().upper()
    if len(code) == 4 and code.isdigit():
        revenue = int(code)
        if 100 <= revenue <= 219:
            return "inpatient"
        if 450 <= revenue <= 459:
            return "emergency"
        return "outpatient_facility"
    if code.startswith("J"):
        return "pharmacy"
    if len(code) == 5 and code.isdigit():
        cpt = int(code)
        for low, high, category in CPT_RANGES:
            if low <= cpt <= high:
                return category
    return "other_professional"
