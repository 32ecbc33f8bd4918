"""Importers that bring records from other libraries into Practice Commons.

`participedia` reads Participedia CSV exports (cases, methods, organizations). Every importer
reads and checks its whole file before writing anything, writes each row in its own
transaction, and reports bad rows with their file line and reason (see `report`)."""
