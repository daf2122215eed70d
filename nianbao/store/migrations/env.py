"""Alembic environment: nianbao passes an open connection in ``config.attributes["connection"]``."""

from alembic import context

from nianbao.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - nianbao always passes one
    raise RuntimeError("run migrations through nianbao.store.migrate.upgrade()")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
