"""837 intake: store the claims of a file's accepted sets and answer with 999s and TA1s.

One file is one transaction: its record, its claims and its acknowledgments are kept together
or not at all. A transaction set with any error is rejected whole (the reader keeps none of its
claims); an interchange whose envelope cannot be trusted (TA1 R) keeps nothing either. Claims
get the payer's claim number `<file>-<n>`; the provider's own (CLM01) is kept for the 835.

A replacement (CLM05-3 = 7) or void (8) acts on the claim its REF*F8 names by payer claim
number: a replacement takes the original's place in the family's order and is decided there,
a void reverses what the original posted (see services.lifecycle).
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openaso.adapters.files.yaml_source import Finding
from openaso.adapters.x12.ack_999 import Party, group_status, write_999, write_ta1
from openaso.adapters.x12.claims_837 import Claim837, Intake837, TransactionSet837, read_837
from openaso.core.claims import ClaimOrigin
from openaso.core.plan import Network
from openaso.services.lifecycle import ClaimActionError, replace_sent, void_sent
from openaso.services.ports import UnitOfWork

Person = tuple[str, str | None, str | None, date | None]


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    kind: str  # 999 | TA1
    control: int  # ours (ISA13)
    interchange: str  # theirs (ISA13)
    group: str | None  # theirs (GS06)
    status: str  # A E P R
    content: str


@dataclass
class FileIntake:
    """What became of a file: kept for the intake history and printed for the operator."""

    name: str
    file_id: int | None = None
    earlier: dict[str, Any] | None = None  # the receipt this one repeats: nothing stored
    stored: list[str] = field(default_factory=list)  # payer claim numbers
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (original, replacement)
    voided: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # patient not found: CO-31 to come
    sets_accepted: int = 0
    sets_rejected: int = 0
    problems: list[Finding] = field(default_factory=list)
    acknowledgments: list[Acknowledgment] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.earlier is not None:
            return "already received"
        if self.sets_rejected or self.problems:
            return "partial" if self.stored or self.replaced or self.voided else "rejected"
        return "accepted"

    def summary(self) -> dict[str, Any]:
        return {
            "claims": len(self.stored),
            "replaced": len(self.replaced),
            "voided": len(self.voided),
            "unmatched": len(self.unmatched),
            "sets_accepted": self.sets_accepted,
            "sets_rejected": self.sets_rejected,
            "problems": [str(problem) for problem in self.problems[:200]],
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def intake_837(uow: UnitOfWork, path: Path, *, ours: Party, actor: str, at: datetime) -> FileIntake:
    """Receive the 837 at `path`: see the module's docstring."""
    result = FileIntake(path.name)
    sha = sha256_of(path)
    with uow:
        earlier = uow.x12.find_stored(sha)
        if earlier is not None:
            result.earlier = earlier
            return result
        file_id = result.file_id = uow.x12.add(sha, path.name, "837", at, actor)
        intake = _Intake(uow, file_id, result, actor, at)
        # Claims are stored set by set as the file is read: memory holds one set, not a file.
        read = read_837(path, on_set=intake.take_set)
        rejected = [i for i, x in enumerate(read.interchanges) if x.acknowledgment == "R"]
        intake.finish(rejected)
        result.problems += read.problems()
        _acknowledge(uow, read, result, ours, at)
        uow.x12.finish(file_id, result.outcome, result.summary())
        uow.audit.record(at, actor, "837 intake", "x12_file", str(file_id), result.summary())
        uow.commit()
    return result


class _Intake:
    """Claims of accepted sets, stored as each set is read; replacements and voids wait for the
    end of the file, when it is known which interchanges stand."""

    def __init__(
        self, uow: UnitOfWork, file_id: int, result: FileIntake, actor: str, at: datetime
    ) -> None:
        self.uow, self.file_id, self.result, self.actor, self.at = uow, file_id, result, actor, at
        self.count = 0
        self.seqs: dict[int, list[int]] = {}  # interchange → claims stored from it
        self.ids: dict[int, list[str]] = {}
        self.actions: list[tuple[int, Claim837, str, ClaimOrigin]] = []
        self.networks: dict[str, Network | None] = {}

    def take_set(self, interchange: int, transaction: TransactionSet837) -> None:
        if not transaction.accepted:
            self.result.sets_rejected += 1
            return
        self.result.sets_accepted += 1
        claims = transaction.claims
        members = self._members(claims)
        originals: list[tuple[Any, str]] = []
        origins: list[ClaimOrigin] = []
        for read in claims:
            self.count += 1
            payer_id = f"{self.file_id}-{self.count}"
            member_id, family = members[id(read)]
            if family.startswith("unknown:"):
                self.result.unmatched.append(payer_id)
            origin = self._origin(read)  # before the claim takes the payer's number
            claim = replace(
                read.claim, id=payer_id, member_id=member_id, network=self._network(read)
            )
            if read.frequency in ("7", "8"):
                self.actions.append((interchange, replace(read, claim=claim), family, origin))
                continue
            originals.append((claim, family))
            origins.append(origin)
        seqs = self.uow.claims.add_many(originals, origins)
        self.seqs.setdefault(interchange, []).extend(seqs)
        self.ids.setdefault(interchange, []).extend(claim.id for claim, _ in originals)
        self.result.stored += [claim.id for claim, _ in originals]

    def finish(self, rejected: Sequence[int]) -> None:
        """Drop what came from rejected interchanges, then replace and void."""
        for interchange in rejected:
            self.uow.claims.discard(self.seqs.pop(interchange, []))
            dropped = set(self.ids.pop(interchange, []))
            self.result.stored = [i for i in self.result.stored if i not in dropped]
        for interchange, read, family, origin in self.actions:
            if interchange not in rejected:
                self._act(read, family, origin)

    def _act(self, read: Claim837, family: str, origin: ClaimOrigin) -> None:
        original = read.original_ref or ""
        what = "replacement" if read.frequency == "7" else "void"
        uow, at, actor = self.uow, self.at, self.actor
        try:
            if read.frequency == "8":
                reason = f"voided by 837 claim {read.claim.id} of file {self.file_id}"
                void_sent(uow, original, read.billing_npi, reason, actor, at)
                self.result.voided.append(original)
            else:
                replace_sent(uow, original, read.claim, family, origin, actor, at)
                self.result.replaced.append((original, read.claim.id))
                self.result.stored.append(read.claim.id)
        except ClaimActionError as error:
            message = f"the {what} in claim {read.claim.id} was not applied: {error}"
            self.result.problems.append(Finding(self.result.name, read.line, "REF*F8", message))

    def _origin(self, read: Claim837) -> ClaimOrigin:
        billing = [("npi", read.billing_npi), ("frequency", read.frequency), ("kind", read.kind)]
        if read.billing_tin:
            billing.append(("tin", read.billing_tin))
        if read.rendering_npi:
            billing.append(("rendering_npi", read.rendering_npi))
        if read.original_ref:
            billing.append(("original_ref", read.original_ref))
        return ClaimOrigin(self.file_id, read.claim.id, read.diagnoses, tuple(billing))

    def _network(self, read: Claim837) -> Network:
        """In network when the billing provider (or failing it, the rendering one) is in the
        registry as such; a provider not in the registry is out of network."""
        for npi in (read.billing_npi, read.rendering_npi):
            if not npi:
                continue
            if npi not in self.networks:
                network = self.uow.providers.network(npi)
                self.networks[npi] = "in" if network == "in" else "out" if network else None
            found = self.networks[npi]
            if found is not None:
                return found
        return "out"

    def _members(self, claims: Sequence[Claim837]) -> dict[int, tuple[str, str]]:
        """Each claim's (member, family). A subscriber is found by the identifier on the card; a
        dependent, who has no identifier of their own on an 837, by name and birth date within
        the subscriber's family. Whoever is not found is kept apart and denied (CO-31)."""
        uow = self.uow
        ids = {read.claim.member_id for read in claims} | {read.subscriber_id for read in claims}
        known = uow.members.get_many(ids)
        families = uow.members.people_of_families(
            {known[read.subscriber_id].family_id for read in claims if read.subscriber_id in known}
        )
        found: dict[int, tuple[str, str]] = {}
        unknown: dict[str, str | None] = {}
        for read in claims:
            member = known.get(read.claim.member_id)
            subscriber = known.get(read.subscriber_id)
            if member is not None:
                found[id(read)] = (member.id, member.family_id)
                continue
            if read.patient == "dependent" and subscriber is not None:
                people = families.get(subscriber.family_id, [])
                match = _match(people, read.patient_name, read.patient_birth)
                if match is not None:  # one of the subscriber's family, so theirs is its family
                    found[id(read)] = (match, subscriber.family_id)
                    continue
            member_id = read.claim.member_id
            found[id(read)] = (member_id, f"unknown:{member_id}")
            unknown[f"unknown:{member_id}"] = None
        uow.members.ensure_families(unknown)
        return found


def _match(people: Sequence[Person], name: tuple[str, str], birth: date | None) -> str | None:
    """The one family member with this name and birth date (or, failing the last name, which
    can differ within a family, this first name and birth date)."""
    last, first = (part.strip().upper() for part in name)
    exact = [
        p[0]
        for p in people
        if (p[1] or "").upper() == last and (p[2] or "").upper() == first and p[3] == birth
    ]
    if len(exact) == 1:
        return exact[0]
    loose = [p[0] for p in people if (p[2] or "").upper() == first and p[3] == birth]
    return loose[0] if len(loose) == 1 and birth is not None else None


def _acknowledge(
    uow: UnitOfWork, read: Intake837, result: FileIntake, ours: Party, at: datetime
) -> None:
    """A TA1 for an interchange with envelope errors, and a 999 for every functional group of an
    interchange that was not rejected."""
    file_id = result.file_id
    assert file_id is not None
    for interchange in read.interchanges:
        theirs = Party(interchange.sender_qualifier, interchange.sender)
        if interchange.errors:

            def ta1(control: int, x: Any = interchange, t: Party = theirs) -> str:
                return write_ta1(x, ours=ours, theirs=t, control=control, when=at)

            control, text = uow.x12.acknowledge(
                file_id, "TA1", interchange.control, None, interchange.acknowledgment, ta1
            )
            result.acknowledgments.append(
                Acknowledgment(
                    "TA1", control, interchange.control, None, interchange.acknowledgment, text
                )
            )
        if interchange.acknowledgment == "R":
            continue
        for group in interchange.groups:
            status = group_status(group)

            def ack(control: int, g: Any = group, t: Party = theirs) -> str:
                return write_999(
                    g, ours=ours, theirs=t, control=control, group_control=control, when=at
                )

            control, text = uow.x12.acknowledge(
                file_id, "999", interchange.control, group.control, status, ack
            )
            result.acknowledgments.append(
                Acknowledgment("999", control, interchange.control, group.control, status, text)
            )
