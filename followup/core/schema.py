"""The JSON Schema of an opportunity file, for editors and people who write the files by hand."""

from __future__ import annotations

import json

from followup.core.model import Opportunity

SCHEMA_ID = "https://followup.invalid/opportunity.schema.json"


def opportunity_schema() -> dict:
    schema = Opportunity.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "followup opportunity file (data/<workbook>/opportunities/<id>.yaml)",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def opportunity_schema_text() -> str:
    return json.dumps(opportunity_schema(), indent=2, ensure_ascii=False) + "\n"
