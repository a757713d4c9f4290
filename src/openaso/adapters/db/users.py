"""Logins of the web app and API: users, their sponsors, and the hashes of their tokens."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from openaso.adapters.db.tables import api_tokens, user_sponsors, users


class SqlUsers:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, login: str) -> dict[str, Any] | None:
        """login, role, password_hash and sponsors (a frozenset) of a user; None if unknown."""
        row = self.conn.execute(select(users).where(users.c.login == login)).first()
        if row is None:
            return None
        query = select(user_sponsors.c.sponsor_id).where(user_sponsors.c.login == login)
        sponsors = frozenset(self.conn.execute(query).scalars())
        return {**row._mapping, "sponsors": sponsors}

    def save(
        self,
        login: str,
        role: str,
        password_hash: str | None,
        sponsors: Iterable[str],
        at: datetime,
    ) -> bool:
        """Add the user, or replace its role, password and sponsors; True when it is new."""
        new = self.get(login) is None
        values = {"role": role, "password_hash": password_hash}
        if new:
            self.conn.execute(insert(users).values(login=login, created_at=at, **values))
        else:
            self.conn.execute(update(users).where(users.c.login == login).values(**values))
            self.conn.execute(delete(user_sponsors).where(user_sponsors.c.login == login))
        rows = [{"login": login, "sponsor_id": s} for s in sorted(set(sponsors))]
        if rows:
            self.conn.execute(insert(user_sponsors), rows)
        return new

    def add_token(self, login: str, token_hash: str, at: datetime) -> None:
        self.conn.execute(
            insert(api_tokens).values(token_hash=token_hash, login=login, created_at=at)
        )

    def login_of_token(self, token_hash: str) -> str | None:
        query = select(api_tokens.c.login).where(api_tokens.c.token_hash == token_hash)
        return self.conn.execute(query).scalar()
