"""Alembic environment of the `shared` schema (tenant registry). Run via `giamsat db upgrade`."""

from alembic import context

from giamsat.core.db import SHARED_SCHEMA, SharedBase
from giamsat.domains import load_models

load_models()
config = context.config
connection = config.attributes["connection"]


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name == SHARED_SCHEMA
    return True


context.configure(
    connection=connection,
    target_metadata=SharedBase.metadata,
    version_table_schema=SHARED_SCHEMA,
    include_schemas=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
