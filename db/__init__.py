"""Everything that touches PostgreSQL: connection settings, schema, migrations and SQL."""
