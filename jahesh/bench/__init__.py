"""`make bench`: how fast Jahesh serves its pages, next to a bare "hello" view (the floor).

Run it with `.venv/bin/python -m jahesh.bench` (or `make bench`). It uses its own SQLite
database, var/bench/bench.sqlite3 (migrated and loaded with the demo province, both
idempotent), never var/jahesh.sqlite3. It prints a table per section and merges the same
figures into var/bench.json as {"<section>": {...}}, keeping the sections it did not run.

A benchmark is a list of named sections (jahesh.bench.sections.SECTIONS); each one returns
rows for the table and figures for the JSON. Sections that need the HTTP server ask the shared
context for it: gunicorn is started once, on first use, and always stopped at the end.
"""
