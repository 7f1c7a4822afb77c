"""One way to import a spreadsheet, shared by every import (the macro table, production units).

A person downloads a template, fills it in, uploads it; the whole file is checked in the
background with a progress bar; they see what would be created, changed or left alone and
every problem by sheet, row and column; only a file without a single problem can be applied,
and it is applied in one transaction (nothing half-saved).

| module | what |
|---|---|
| `workbook.py` | refusing what is not a real, sane .xlsx (size, zip bomb); finding sheets by their headers in Persian or English; reading their non-blank rows |
| `cells.py` | what people type in cells: Persian, Arabic-Indic and Latin digits, separators, Jalali dates, yes/no |
| `report.py` | the `ImportReport`: counts of created/changed/unchanged, the listed changes, the problems |
| `importer.py` | `Importer`, the base class of an import: it provides its sheets, check and apply; `run()` does the rest (one transaction, nothing saved unless the whole file is clean) |
| `jobs.py`, `tasks.py` | the background job: upload → check (task) → preview → apply (task), progress on the job |
| `views.py`, `forms.py` | the upload form and the job's pages (preview, progress, apply), for any registered importer |
| `writing.py` | writing templates: header styles, right-to-left sheets, text Excel never evaluates |

An import is registered in its app's `AppConfig.ready()` with `registry.register(MyImporter)`,
so the background task can find it by the job's `kind`. The job rows are `MacroJob`
(jahesh/macrotable/models.py): the table predates this package and keeps its name.
"""
