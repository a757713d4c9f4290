"""Documents kept as loaded, one version per change: plans and stop-loss policies. A head row
names the current version; each version keeps the document, where it came from and who loaded
it, so any earlier decision can be explained by the document it was made under."""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update


def store_version(
    conn: Connection, head: Table, versions: Table, key: str, document_id: str,
    header: Mapping[str, Any], document: Mapping[str, object], origin: str, at: datetime, by: str,
) -> int:  # fmt: skip
    """Store a load of `document` (dates as ISO text, so it re-validates as written) under the
    head row `document_id`, whose other columns are `header`; `key` is the versions table's
    column naming the head. Returns the new version, or the current one when unchanged."""
    stored = json.loads(json.dumps(document, default=str))
    current = conn.execute(select(head.c.version).where(head.c.id == document_id)).scalar()
    if current is not None:
        query = select(versions.c.document).where(
            versions.c[key] == document_id, versions.c.version == current
        )
        if conn.execute(query).scalar_one() == stored:
            return int(current)
    version = (current or 0) + 1
    if current is None:
        conn.execute(insert(head).values(id=document_id, version=version, **header))
    else:
        conn.execute(update(head).where(head.c.id == document_id).values(version=version, **header))
    row = {key: document_id, "version": version, "document": stored}
    conn.execute(insert(versions).values(**row, origin=origin, loaded_at=at, loaded_by=by))
    return version
