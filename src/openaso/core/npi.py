"""National Provider Identifier: ten digits whose last is a Luhn check digit over 80840 + nine."""


def npi_problem(npi: str) -> str | None:
    """Why `npi` is not a valid NPI, or None when it is."""
    if len(npi) != 10 or not npi.isdigit():
        return f"expected ten digits, got {npi!r}"
    if npi[0] not in "12":
        return f"{npi} does not start with 1 (person) or 2 (organisation)"
    if luhn_check_digit("80840" + npi[:9]) != int(npi[9]):
        return f"{npi} fails the check digit (expected {luhn_check_digit('80840' + npi[:9])})"
    return None


def luhn_check_digit(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # every second digit from the right, starting with the rightmost
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10
