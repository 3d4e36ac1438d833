"""What SQL a piece of code sends: for tests that hold a statement count flat."""

from __future__ import annotations

from sqlalchemy import event


def statements_sent(session, fn) -> tuple[object, list[str]]:
    """`fn()`'s result and the statements it sent on the session's connection."""
    conn = session.connection()
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(conn, "before_cursor_execute", record)
    try:
        return fn(), seen
    finally:
        event.remove(conn, "before_cursor_execute", record)
