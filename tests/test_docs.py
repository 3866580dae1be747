"""Documents generated from the schema must match the committed copies."""

from __future__ import annotations

import json
import re

from generator.content import docs, schema
from tests.helpers import ROOT


def test_json_schemas_match_schema_py():
    for name, model in docs.SCHEMA_FILES.items():
        committed = (ROOT / "schema" / f"{name}.schema.json").read_text("utf-8")
        assert committed == docs.json_schema(model), f"schema/{name}.schema.json is stale: run `make schema`"


def test_authoring_guide_matches_schema_py():
    text = (ROOT / "docs" / "huong-dan-soan-thao.md").read_text("utf-8")
    start = text.index(docs.GUIDE_START)
    end = text.index(docs.GUIDE_END) + len(docs.GUIDE_END)
    assert text[start:end] == docs.guide(), "docs/huong-dan-soan-thao.md is stale: run `make guide`"


def test_guide_documents_every_field():
    guide = docs.guide()
    for model in (schema.Unit, schema.Plan, schema.Target, schema.BudgetTable, schema.BudgetLine):
        for field, info in model.model_fields.items():
            assert f"| `{field}` ({info.title}) |" in guide, (model.__name__, field)


def test_json_schema_describes_amounts_as_numbers_and_dates_as_patterns():
    plan = json.loads(docs.json_schema(schema.Plan))
    line = plan["$defs"]["BudgetLine"]["properties"]["amounts"]
    assert line["additionalProperties"]["type"] == "number"
    basis = plan["$defs"]["LegalBasis"]["properties"]["date"]
    assert any(opt.get("pattern") == r"^\d{1,2}/\d{1,2}/\d{4}$" for opt in basis["anyOf"])


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text("utf-8").splitlines()[:6]
    assert any(line.strip().startswith("make site") for line in head)
    assert any(line.strip().startswith("make test") for line in head)


def test_readme_links_to_files_that_exist():
    """The README is for hosts and editors; developer notes and the authoring guide live in docs/."""
    readme = (ROOT / "README.md").read_text("utf-8")
    links = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", readme) if "://" not in t]
    assert "docs/huong-dan-soan-thao.md" in links and "docs/incremental.md" in links
    for target in links:
        assert (ROOT / target).is_file(), target
    assert len(readme.splitlines()) <= 250
