"""Which commits must reach the disk before they return: any that wrote more than audit-log
entries. A transaction that wrote only the entry a PHI read leaves behind may, on a power cut
or an operating-system crash (SQLite) or a database server crash (PostgreSQL), be undone with
the last few such transactions; nothing else may. docs/web.md, "Performance", says why.
"""

from enum import Enum

# Statements that leave the stored data as it was.
_READS = ("SELECT", "PRAGMA", "SHOW", "SET ", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
_AUDIT_INSERT = "INSERT INTO AUDIT_LOG "


class Wrote(Enum):
    NOTHING = 0
    AUDIT_ONLY = 1
    MORE = 2  # claims, decisions, accumulators, the ledger, payments, users, schema, ...


def after(wrote: Wrote, statement: str) -> Wrote:
    """What a transaction has written once `statement` has run too. Anything not known to be
    a read or an audit entry counts as MORE (a needless sync is the safe mistake)."""
    if wrote is Wrote.MORE:
        return wrote
    words = statement.lstrip()[:32].upper()
    if words.startswith(_READS):
        return wrote
    if words.startswith(_AUDIT_INSERT):
        return Wrote.AUDIT_ONLY
    return Wrote.MORE
