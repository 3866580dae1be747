"""`make import`: a draft plan (YAML + Markdown + source text) from a PDF, DOCX or extracted text.

The importer reads a plan written in the national administrative-document format
(Nghị định 30/2020/NĐ-CP): header, «Căn cứ» bases, numbered sections, targets,
tasks, solutions, budget tables, «Tổ chức thực hiện», «Nơi nhận», signer. It never
invents: what the text does not say stays unknown, and every value it inferred
(rather than copied) carries a `# XEM LẠI` comment in the YAML, listed in the report.
Every source line is accounted for: placed in a field, in the Markdown narrative
under its section, or dropped as extraction noise (page numbers, running headers),
which the coverage report lists by line number.

Stages: extract (file → text lines) → text (repairs, noise, paragraphs) →
outline (numbered sections) → fields/tables (structured values) → draft (YAML, Markdown,
coverage). `measure` compares drafts of the seed plans with their hand transcriptions.
"""

from __future__ import annotations
