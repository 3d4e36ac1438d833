"""Alembic environment of one tenant schema; the version table lives inside that schema.

Tables are created schema-less and placed by the connection's `schema_translate_map`, the same
mechanism the application's sessions use.
"""

from alembic import context

from giamsat.core.db import TenantBase
from giamsat.domains import load_models
from giamsat.tenancy.names import validate_schema_name

load_models()
config = context.config
schema = validate_schema_name(config.attributes["schema"])
connection = config.attributes["connection"].execution_options(schema_translate_map={None: schema})

context.configure(
    connection=connection,
    target_metadata=TenantBase.metadata,
    version_table_schema=schema,
)
with context.begin_transaction():
    context.run_migrations()
