"""The case database connection: read-only, from DATABASE_URL or the embedded demo file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from dashboard.problems import DatabaseProblem
from queries.meta import SchemaCheck, check_schema


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=str(path)).render_as_string()


def shown_url(url: str) -> str:
    """The URL as it may appear on screen: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def readonly_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite opened with mode=ro, PostgreSQL in read-only transactions."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseProblem(
            "DATABASE_URL is not a database URL.",
            advice="Use a form such as postgresql+psycopg://user@host/dbname or sqlite:////path/to/file.sqlite.",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _readonly_sqlite(parsed)
    if backend == "postgresql":
        try:
            return create_engine(
                parsed,
                pool_pre_ping=True,
                connect_args={"options": "-c default_transaction_read_only=on", "connect_timeout": 5},
            )
        except (NoSuchModuleError, ImportError):
            raise DatabaseProblem(
                "The PostgreSQL driver is not installed.",
                advice="Use postgresql+psycopg:// URLs; psycopg is in requirements.txt.",
            ) from None
    raise DatabaseProblem(
        f"The dashboard reads SQLite or PostgreSQL databases, not '{backend}'.",
        (f"DATABASE_URL: {shown_url(url)}",),
    )


def _readonly_sqlite(parsed: URL) -> Engine:
    if not parsed.database or parsed.database == ":memory:":
        raise DatabaseProblem("The SQLite URL does not name a database file.")
    path = Path(parsed.database).expanduser().resolve()
    if not path.is_file():
        # Checked here because opening a missing SQLite file would otherwise create it.
        raise DatabaseProblem(
            "The case database file was not found.",
            (f"Looked for: {path}",),
            "Check DATABASE_URL, or unset it to use the demo database.",
        )
    uri = URL.create("sqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"})
    engine = create_engine(uri)

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection, _record):
        # A second lock on the door: refuse writes even through a connection opened some other way.
        dbapi_connection.execute("PRAGMA query_only = ON")

    return engine


def check_database(engine: Engine) -> SchemaCheck:
    """Connect and check the schema; any problem becomes a DatabaseProblem with advice."""
    try:
        with engine.connect() as conn:
            check = check_schema(conn)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise DatabaseProblem(
            "The case database could not be opened.",
            (f"Database: {shown_url(engine.url.render_as_string())}", f"Reason: {reason}"),
            "Check that the database server is running and reachable, and that DATABASE_URL is right.",
        ) from None
    titles = {
        "empty": "The case database is empty.",
        "wrong_schema": "This database does not match the case database contract.",
        "no_records": "The case database holds no records yet.",
    }
    if check.problem:
        raise DatabaseProblem(
            titles[check.problem],
            check.details,
            "docs/case-database.md describes the tables and columns the dashboard reads.",
        )
    return check
