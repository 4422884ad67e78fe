"""Alembic environment: runs on the connection the service hands over (see service.db.migrate)."""

from alembic import context

from service.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through service.db.migrate(engine) or `triage migrate`")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
