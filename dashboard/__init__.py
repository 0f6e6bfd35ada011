"""The dashboard shell: entry point, database connection, filters, page context and messages."""
