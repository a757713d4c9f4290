"""Roles: PHI only for TPA staff, sponsors only their own sponsor, small cells suppressed."""

import pytest

from openaso.services.access import (
    AccessDeniedError,
    Principal,
    Role,
    require_phi,
    require_role,
    require_sponsor,
    suppress_small,
)

EXAMINER = Principal("ella", Role.EXAMINER)
SPONSOR = Principal("hr@acme", Role.SPONSOR, frozenset({"acme"}))
BROKER = Principal("bob", Role.BROKER, frozenset({"acme", "globex"}))


def test_tpa_staff_see_phi_and_every_sponsor() -> None:
    require_phi(EXAMINER)
    require_sponsor(EXAMINER, "anyone")


@pytest.mark.parametrize("who", [SPONSOR, BROKER])
def test_sponsors_and_brokers_never_see_phi(who: Principal) -> None:
    with pytest.raises(AccessDeniedError, match="de-identified"):
        require_phi(who)


def test_a_sponsor_sees_only_its_own_sponsor() -> None:
    require_sponsor(SPONSOR, "acme")
    with pytest.raises(AccessDeniedError, match="globex"):
        require_sponsor(SPONSOR, "globex")


def test_a_broker_sees_the_sponsors_it_is_assigned() -> None:
    require_sponsor(BROKER, "globex")
    with pytest.raises(AccessDeniedError):
        require_sponsor(BROKER, "initech")


def test_require_role_names_what_was_needed() -> None:
    with pytest.raises(AccessDeniedError, match="tpa_admin"):
        require_role(EXAMINER, Role.TPA_ADMIN)


def test_cells_under_ten_members_are_suppressed() -> None:
    assert suppress_small(9, 12_345) is None
    assert suppress_small(10, 12_345) == 12_345
    assert suppress_small(0, 0) == 0
