"""What content may contain: the single truth.

These pydantic models define every field an editor may write in `content/`.
The validator checks content against them, `schema/*.schema.json` (editor
autocompletion) is exported from them, and the README's authoring guide is
generated from them; `make test` fails when either drifts.

Field descriptions are Vietnamese because editors read them (in the guide,
in error messages and in their editor's autocompletion).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, field_validator
from pydantic_core import PydanticCustomError

# --------------------------------------------------------------------------- types


def _exact_amount(value: Any) -> Any:
    # YAML floats are loaded as Decimal by our loader, so a float here means
    # the model was built from Python, not YAML; both are refused as strings
    # would be: an amount must be written as a number, never "1.545.000".
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        meant = amount_meant(value) if isinstance(value, str) else None
        raise PydanticCustomError(
            "amount",
            "cần một số (ví dụ 1545000000 hoặc 329.586), không dùng dấu chấm ngăn cách hàng nghìn và không "
            "đặt trong ngoặc kép" + (f"; có lẽ ý là {meant}" if meant else ""),
        )
    return value


def _amounts(value: Any) -> Any:
    """A map of amounts, where an amount typed with a comma in a flow mapping («{kinh_phi: 1,5 tỷ}») reads as two
    entries, the second a number for a key («5 tỷ»): say so, rather than name a field «5 tỷ»."""
    if isinstance(value, dict):
        keys = list(value)
        for before, key in zip(keys, keys[1:]):
            if value[key] is None and isinstance(key, str) and re.fullmatch(r"\d+\s*\w*", key):
                typed = f"{value[before]},{key}"
                meant = amount_meant(typed)
                raise PydanticCustomError(
                    "amount",
                    "số tiền «{typed}» có dấu phẩy nên YAML tách thành hai mục «{before}» và «{key}»; "
                    "viết số không có dấu phẩy{hint}",
                    {"typed": typed, "before": before, "key": key, "hint": f", có lẽ là {meant}" if meant else ""},
                )
    return value


_SCALES = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}
_WRITTEN_AMOUNT = re.compile(r"^\s*([\d.,]+)\s*(tỷ|tỉ|triệu|nghìn|ngàn)?\s*(đồng|đ|%)?\s*$", re.I)


def amount_meant(text: str) -> str | None:
    """The number an editor most likely meant by an amount typed the way it is printed: «1,5 tỷ» → 1500000000,
    «1.545.000.000đ» → 1545000000, «1,500,000,000» → 1500000000, «100 %» → 100. None when it is not clear."""
    m = _WRITTEN_AMOUNT.match(text)
    if not m:
        return None
    digits, scale, _ = m.groups()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # Vietnamese thousands: 1.545.000.000
        number = Decimal(digits.replace(".", ""))
    elif re.fullmatch(r"\d{1,3}(,\d{3}){2,}", digits):  # English thousands: 1,500,000,000
        number = Decimal(digits.replace(",", ""))
    elif re.fullmatch(r"\d+(,\d+)?", digits):  # Vietnamese decimal comma: 1,5
        number = Decimal(digits.replace(",", "."))
    elif re.fullmatch(r"\d+(\.\d+)?", digits):
        number = Decimal(digits)
    else:
        return None
    if scale:
        number *= _SCALES[scale.lower()]
    text = format(number.normalize(), "f")
    return (
        f"{text} (số đồng, cho bảng có currency_unit: dong)"
        if scale or (m.group(3) or "").lower() in ("đ", "đồng")
        else text
    )


Amount = Annotated[
    Decimal,
    BeforeValidator(_exact_amount),
    Field(json_schema_extra={"type": "number"}),
]

AmountMap = Annotated[dict[str, Amount], BeforeValidator(_amounts)]

_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH_RE = re.compile(r"^(\d{1,2})/(\d{4})$")


def _vn_date(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("date", "cần một ngày dạng dd/mm/yyyy (ví dụ 22/10/2021), đặt trong ngoặc kép")
    m = _DATE_RE.match(value.strip())
    if not m:
        raise PydanticCustomError("date", "cần một ngày dạng dd/mm/yyyy (ví dụ 22/10/2021)")
    day, month, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PydanticCustomError(
            "date", "ngày không tồn tại trong lịch; cần một ngày dạng dd/mm/yyyy có thật"
        ) from None


VnDate = Annotated[
    dt.date,
    BeforeValidator(_vn_date),
    Field(json_schema_extra={"type": "string", "pattern": r"^\d{1,2}/\d{1,2}/\d{4}$", "format": None}),
]


def _partial_date(value: Any) -> Any:
    """A signing date the document gives only in part ("   /11/2022")."""
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("date", "cần dd/mm/yyyy, mm/yyyy hoặc yyyy")
    text = value.strip()
    if _DATE_RE.match(text):
        _vn_date(text)
        return text
    m = _MONTH_RE.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return text
    if re.fullmatch(r"\d{4}", text):
        return text
    raise PydanticCustomError("date", "cần dd/mm/yyyy, mm/yyyy (khi văn bản không ghi ngày) hoặc yyyy")


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    Field(json_schema_extra={"pattern": r"^(\d{1,2}/)?(\d{1,2}/)?\d{4}$"}),
]


def date_span(partial: str) -> tuple[dt.date, dt.date]:
    """The first and last day a PartialDate may mean: «2025» is 01/01/2025 to 31/12/2025."""
    parts = [int(p) for p in partial.split("/")]
    if len(parts) == 3:
        day = dt.date(parts[2], parts[1], parts[0])
        return day, day
    if len(parts) == 2:
        month, year = parts
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


Year = Annotated[int, Field(ge=1990, le=2100)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- units


class UnitLevel(str, Enum):
    """Cấp hành chính (chung cho tỉnh, huyện, xã)."""

    province = "tinh"
    district = "huyen"
    commune = "xa"


class Unit(Strict):
    """Đơn vị hành chính: tệp `unit.yml` trong thư mục của đơn vị."""

    name: Text = Field(title="tên", description="Tên chính thức, ví dụ «Huyện Đức Thọ».")
    level: UnitLevel = Field(
        title="cấp",
        description=(
            "Cấp: tinh (tỉnh, thành phố trực thuộc TW), huyen (huyện, quận, thị xã, thành phố thuộc tỉnh), xa "
            "(xã, phường, thị trấn)."
        ),
    )
    parent: str | None = Field(
        None,
        title="đơn vị cấp trên",
        description="Mã đơn vị cấp trên = đường dẫn thư mục của nó, ví dụ «ha-tinh»; bỏ trống với cấp tỉnh.",
    )
    code: str | None = Field(None, title="mã đơn vị", description="Mã đơn vị hành chính (nếu biết).")
    valid_from: VnDate | None = Field(
        None, title="ngày bắt đầu", description="Ngày bắt đầu tồn tại (nếu biết), dd/mm/yyyy."
    )
    valid_to: VnDate | None = Field(
        None, title="ngày chấm dứt", description="Ngày chấm dứt tồn tại (ví dụ 30/06/2025 với cấp huyện), dd/mm/yyyy."
    )
    succeeded_by: list[Text] = Field(
        default_factory=list, title="đơn vị kế thừa", description="Các đơn vị kế thừa sau sắp xếp (tên chính thức)."
    )
    predecessors: list[Text] = Field(
        default_factory=list,
        title="đơn vị được sắp xếp",
        description=(
            "Các đơn vị được sắp xếp, hợp nhất thành đơn vị này (ví dụ từ 01/07/2025), tên chính thức; trang đơn "
            "vị ghi «thành lập theo sắp xếp từ …»."
        ),
    )
    history: str | None = Field(
        None, title="ghi chú lịch sử", description="Ghi chú lịch sử (Markdown), hiển thị trên trang đơn vị."
    )


# --------------------------------------------------------------------------- plans


class PlanKind(str, Enum):
    plan = "ke-hoach"
    action_programme = "chuong-trinh-hanh-dong"
    programme = "chuong-trinh"
    decision = "quyet-dinh"
    scheme = "de-an"
    report = "bao-cao"


class Classification(str, Enum):
    """Độ mật: chỉ văn bản «thuong» được công bố."""

    ordinary = "thuong"
    confidential = "mat"
    secret = "toi-mat"
    top_secret = "tuyet-mat"


class Comparator(str, Enum):
    eq = "="
    ge = "≥"
    gt = ">"
    le = "≤"
    lt = "<"


class BudgetPhase(str, Enum):
    planned = "du-kien"
    executed = "thuc-hien"


class CurrencyUnit(str, Enum):
    dong = "dong"
    million_dong = "trieu-dong"


class BudgetLevel(str, Enum):
    district = "huyen"
    commune = "xa"
    province = "tinh"


class LineStatus(str, Enum):
    new = "moi"
    continuing = "chuyen-tiep"


class Signer(Strict):
    """Người ký văn bản."""

    name: Text = Field(title="họ tên", description="Họ tên người ký.")
    title: Text = Field(title="chức vụ", description="Chức vụ ghi ở chữ ký, ví dụ «Phó Chủ tịch».")
    on_behalf: str | None = Field(
        None, title="thẩm quyền ký", description="Thẩm quyền ký, ví dụ «TM. ỦY BAN NHÂN DÂN» hoặc «KT. CHỦ TỊCH»."
    )


class Period(Strict):
    """Kỳ kế hoạch: một năm, hoặc một giai đoạn có năm định hướng."""

    start: Year = Field(title="năm bắt đầu", description="Năm bắt đầu.")
    end: Year = Field(title="năm kết thúc", description="Năm kết thúc (bằng năm bắt đầu với kế hoạch một năm).")
    outlook: Year | None = Field(
        None, title="năm định hướng", description="Năm định hướng (ví dụ 2030 trong «định hướng đến năm 2030»)."
    )


class LegalBasis(Strict):
    """Một căn cứ pháp lý."""

    kind: str | None = Field(
        None,
        title="loại văn bản",
        description="Loại văn bản: Luật, Nghị định, Nghị quyết, Quyết định, Kế hoạch, Chỉ thị, Thông tư, Công văn…",
    )
    number: str | None = Field(
        None,
        title="số, ký hiệu",
        description="Số, ký hiệu như văn bản ghi, ví dụ «42/2022/NĐ-CP»; bỏ trống nếu không ghi.",
    )
    date: VnDate | None = Field(
        None, title="ngày ban hành", description="Ngày ban hành, dd/mm/yyyy; bỏ trống nếu văn bản không ghi."
    )
    issuer: str | None = Field(
        None, title="cơ quan ban hành", description="Cơ quan ban hành, ví dụ «Chính phủ», «UBND tỉnh Hà Tĩnh»."
    )
    title: Text = Field(title="trích yếu", description="Trích yếu như văn bản ghi.")
    same_as: str | None = Field(
        None,
        title="cùng văn bản với",
        description=(
            "Khi văn bản gọi một văn bản không số bằng tên khác với các văn bản khác (ví dụ «Luật An toàn thông "
            "tin» cho Luật An toàn thông tin mạng): tên mà cổng xác định là cùng văn bản đó. Trang ghi rõ đây là "
            "xác định của ban biên tập, tên như văn bản ghi vẫn giữ nguyên."
        ),
    )


class ResultArea(Strict):
    """Kết quả kỳ trước trong một lĩnh vực."""

    area: Text = Field(title="lĩnh vực", description="Lĩnh vực, ví dụ «Phát triển hạ tầng số».")
    intro: str | None = Field(
        None,
        title="câu dẫn",
        description=(
            "Câu dẫn của lĩnh vực đúng như văn bản ghi, đứng trước các mục (ví dụ «Bên cạnh những kết quả đã đạt "
            "được nêu trên, … như:»); Markdown."
        ),
    )
    achieved: list[Text] = Field(
        default_factory=list, title="kết quả đạt được", description="Kết quả đạt được (mỗi mục một đoạn)."
    )
    limitations: list[Text] = Field(default_factory=list, title="tồn tại, hạn chế", description="Tồn tại, hạn chế.")
    causes: list[Text] = Field(
        default_factory=list, title="nguyên nhân", description="Nguyên nhân của tồn tại, hạn chế."
    )
    achieved_heading: str | None = Field(
        None,
        title="tiêu đề phần kết quả",
        description=(
            "Tiêu đề phần kết quả đúng như văn bản ghi, khi khác «Kết quả đạt được». Bỏ trống: trang chỉ ghi "
            "«Kết quả đạt được» khi lĩnh vực có từ hai phần trở lên (văn bản chia a), b)…); lĩnh vực chỉ có một "
            "phần thì không thêm tiêu đề nào."
        ),
    )
    limitations_heading: str | None = Field(
        None,
        title="tiêu đề phần tồn tại, hạn chế",
        description=(
            "Tiêu đề phần tồn tại, hạn chế đúng như văn bản ghi, khi khác «Tồn tại, hạn chế» (bỏ trống: như "
            "achieved_heading)."
        ),
    )
    causes_heading: str | None = Field(
        None,
        title="tiêu đề phần nguyên nhân",
        description=(
            "Tiêu đề phần nguyên nhân đúng như văn bản ghi, khi khác «Nguyên nhân» (bỏ trống: như achieved_heading)."
        ),
    )


class PreviousResults(Strict):
    """Đánh giá kết quả kỳ trước."""

    period: Text = Field(title="kỳ được đánh giá", description="Kỳ được đánh giá, ví dụ «năm 2022».")
    reviewed_plan: str | None = Field(
        None,
        title="kế hoạch được đánh giá",
        description=(
            "Văn bản kế hoạch kỳ trước được đánh giá, chỉ khi văn bản nói rõ phần đánh giá là của kế hoạch nào, "
            "ví dụ «Kế hoạch số 3494/KH-UBND-VH ngày 16/11/2021»; văn bản chỉ liệt kê các kế hoạch đã thực hiện "
            "thì bỏ trống (trang ghi trường này như lời văn bản)."
        ),
    )
    summary: str | None = Field(None, title="đoạn mở đầu", description="Đoạn mở đầu (Markdown).")
    areas: list[ResultArea] = Field(default_factory=list, title="lĩnh vực")


class ResultStatus(str, Enum):
    met = "dat"
    not_met = "chua-dat"
    partly_met = "dat-mot-phan"


class ReportedResult(Strict):
    """Một kết quả đã báo cáo: kết quả kỳ trước văn bản nêu, hoặc kết quả một văn bản sau báo cáo cho chỉ tiêu này."""

    statement: Text = Field(title="câu báo cáo", description="Câu báo cáo kết quả đúng như văn bản ghi.")
    value: Amount | None = Field(None, title="giá trị", description="Giá trị số đạt được (nếu có).")
    unit: str | None = Field(None, title="đơn vị tính", description="Đơn vị, ví dụ «%».")
    period: str | None = Field(None, title="kỳ báo cáo", description="Kỳ báo cáo, ví dụ «năm 2022».")
    source_plan: str | None = Field(
        None,
        title="văn bản báo cáo trên cổng",
        description=(
            "Mã văn bản trên cổng chứa báo cáo này, ví dụ «ha-tinh/duc-tho/2023-chinh-quyen-so»; bỏ trống nếu là "
            "chính văn bản này."
        ),
    )
    source: str | None = Field(
        None,
        title="văn bản báo cáo",
        description="Văn bản báo cáo khi không có trên cổng, ví dụ «Báo cáo số 12/BC-UBND ngày 10/01/2024».",
    )
    status: ResultStatus | None = Field(
        None,
        title="đánh giá",
        description="dat hoặc chua-dat khi văn bản tự đánh giá; bỏ trống để cổng so giá trị với chỉ tiêu.",
    )


class Target(Strict):
    """Một chỉ tiêu; chỉ tiêu định tính chỉ có lĩnh vực và câu chỉ tiêu."""

    area: Text = Field(title="lĩnh vực", description="Lĩnh vực, ví dụ «Chính quyền số».")
    group: str | None = Field(
        None, title="nhóm chỉ tiêu", description="Nhóm chỉ tiêu khi văn bản chia nhóm, ví dụ «Mục tiêu đến năm 2025»."
    )
    statement: Text = Field(title="câu chỉ tiêu", description="Câu chỉ tiêu đúng như văn bản ghi.")
    indicator: str | None = Field(
        None,
        title="chỉ số",
        description="Chỉ số được đo, ngắn gọn, ví dụ «Tỷ lệ hồ sơ công việc cấp huyện xử lý trên môi trường mạng».",
    )
    indicator_code: str | None = Field(
        None, title="mã chỉ số", description="Mã chỉ số trong danh mục content/indicators.yml (nếu có)."
    )
    comparator: Comparator | None = Field(
        None, title="so sánh", description="So sánh: =, ≥, >, ≤, <; bỏ trống với chỉ tiêu định tính."
    )
    value: Amount | None = Field(None, title="giá trị", description="Giá trị số (100 cho 100%).")
    unit: str | None = Field(None, title="đơn vị tính", description="Đơn vị: «%», «số lượng», «hệ thống»…")
    scope: str | None = Field(None, title="phạm vi", description="Phạm vi: «cấp huyện», «cấp xã», «toàn huyện»…")
    deadline_year: Year | None = Field(
        None,
        title="năm phải đạt",
        description=(
            "Năm phải đạt, chỉ khi văn bản ghi: trong câu chỉ tiêu («đến cuối năm 2020») hoặc ở tiêu đề mục, "
            "nhóm chứa chỉ tiêu («MỤC TIÊU NĂM 2022», «Chỉ tiêu chủ yếu đến năm 2025»)."
        ),
    )
    deadline_from_period: bool = Field(
        False,
        title="thời hạn theo kỳ kế hoạch",
        description=(
            "true khi văn bản không ghi thời hạn của chỉ tiêu và ban biên tập coi thời hạn là năm cuối của kỳ kế "
            "hoạch: trang ghi năm đó kèm «theo kỳ kế hoạch — cổng suy ra»; «deadline_year» để trống (dữ liệu mở "
            "chỉ ghi năm văn bản ghi)."
        ),
    )
    lead: str | None = Field(
        None,
        title="đơn vị chủ trì",
        description=(
            "Đơn vị chủ trì (một đơn vị; văn bản ghi nhiều đơn vị trong ô chủ trì thì đơn vị đầu ở đây, các đơn "
            "vị sau ở «co_leads»)."
        ),
    )
    co_leads: list[Text] = Field(
        default_factory=list,
        title="đơn vị cùng chủ trì",
        description=(
            "Các đơn vị cùng chủ trì, sau đơn vị ở «lead», khi văn bản ghi nhiều đơn vị chủ trì, mỗi đơn vị một mục."
        ),
    )
    coordinating: list[Text] = Field(default_factory=list, title="đơn vị phối hợp", description="Đơn vị phối hợp.")
    implementing: list[Text] = Field(default_factory=list, title="đơn vị thực hiện", description="Đơn vị thực hiện.")
    note: str | None = Field(None, title="ghi chú", description="Ghi chú.")
    baseline: ReportedResult | None = Field(
        None,
        title="kết quả kỳ trước",
        description="Kết quả kỳ trước cho cùng chỉ số mà chính văn bản này nêu (phần đánh giá), để so với chỉ tiêu.",
    )
    parts: list[Text] = Field(
        default_factory=list,
        title="các phần của chỉ tiêu",
        description=(
            "Các phần của chỉ tiêu khi câu chỉ tiêu gồm nhiều phần đánh giá riêng, ví dụ [«cấp huyện», «cấp xã»] "
            "cho «100% cơ quan cấp huyện, 85% cơ quan cấp xã…»: kết quả ghi phần nào đã đạt (parts_met), trạng "
            "thái «đạt một phần» chỉ có ở chỉ tiêu có phần."
        ),
    )

    @field_validator("deadline_from_period")
    @classmethod
    def _deadline_stated_or_inferred(cls, v, info):
        if v and info.data.get("deadline_year") is not None:
            raise PydanticCustomError(
                "deadline",
                "chỉ tiêu có «deadline_year» (văn bản ghi thời hạn) thì không đặt «deadline_from_period: "
                "true» (thời hạn cổng suy ra từ kỳ kế hoạch): chọn một",
            )
        return v

    @field_validator("co_leads")
    @classmethod
    def _co_leads_need_lead(cls, v, info):
        if v and "lead" in info.data and not info.data["lead"]:
            raise PydanticCustomError("lead", "có «co_leads» thì đơn vị chủ trì đầu tiên phải ở «lead»")
        return v

    @field_validator("value")
    @classmethod
    def _value_needs_comparator(cls, v, info):
        # A comparator that failed its own validation is absent from info.data: one error is enough.
        if v is not None and "comparator" in info.data and info.data["comparator"] is None:
            raise PydanticCustomError("comparator", "chỉ tiêu có giá trị số thì phải có «comparator» (=, ≥, >, ≤, <)")
        return v

    @field_validator("parts")
    @classmethod
    def _parts_named_once(cls, v):
        if len(set(v)) != len(v):
            raise PydanticCustomError("parts", "mỗi phần của chỉ tiêu chỉ ghi một lần")
        if len(v) == 1:
            raise PydanticCustomError("parts", "chỉ tiêu có phần thì có từ hai phần trở lên")
        return v


class Section(Strict):
    """Một nhóm nhiệm vụ hoặc giải pháp dưới một tiêu đề."""

    area: Text = Field(title="tiêu đề nhóm", description="Tiêu đề nhóm như văn bản ghi, ví dụ «Phát triển hạ tầng số».")
    items: list[Text] = Field(title="mục", description="Các nhiệm vụ / giải pháp (mỗi mục một đoạn, Markdown).")


class AmountColumn(Strict):
    """Một cột số tiền của bảng kinh phí."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(
        title="mã cột", description="Mã cột (chữ thường không dấu), dùng trong «amounts»."
    )
    label: Text = Field(title="tiêu đề cột", description="Tiêu đề cột như văn bản ghi, ví dụ «Tổng mức đầu tư».")


CategoryCode = Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]


class BudgetLine(Strict):
    """Một dòng (nhiệm vụ, dự án, khoản chi) của bảng kinh phí."""

    code: str | None = Field(None, title="số thứ tự", description="Số thứ tự như văn bản ghi.")
    name: Text = Field(title="tên", description="Tên nhiệm vụ, dự án hoặc khoản chi.")
    objective: str | None = Field(None, title="mục tiêu đầu tư", description="Mục tiêu đầu tư.")
    category: str | None = Field(None, title="loại chi", description="Loại chi, ví dụ «Hạ tầng kỹ thuật».")
    category_code: CategoryCode | None = Field(
        None,
        title="mã nhóm chi",
        description=(
            "Mã nhóm chi trong content/budget_categories.yml (phân loại của cổng để cộng theo nhóm chi trên toàn "
            "cổng; trang kế hoạch vẫn ghi loại chi như văn bản); bỏ trống thì dòng theo mã của nhóm."
        ),
    )
    level: BudgetLevel | None = Field(None, title="cấp chi", description="Cấp chi: tinh, huyen, xa.")
    amounts: AmountMap = Field(
        title="số tiền", description="Số tiền theo từng cột (mã cột → số, theo đơn vị tiền của bảng)."
    )
    printed: dict[str, str] = Field(
        default_factory=dict,
        title="số tiền như văn bản in",
        description="Số tiền đúng như văn bản in, khi cách in khác cách ghi số (ví dụ «201,519.636»).",
    )
    source_of_funds: str | None = Field(None, title="nguồn vốn", description="Nguồn vốn.")
    lead: str | None = Field(None, title="đơn vị chủ trì", description="Đơn vị chủ trì.")
    period: str | None = Field(None, title="thời gian thực hiện", description="Thời gian thực hiện.")
    status: LineStatus | None = Field(
        None, title="mới hay chuyển tiếp", description="moi (mới) hoặc chuyen-tiep (chuyển tiếp)."
    )
    effect: str | None = Field(None, title="hiệu quả", description="Hiệu quả / hiện trạng.")
    note: str | None = Field(None, title="ghi chú", description="Ghi chú.")


class BudgetGroup(Strict):
    """Một nhóm dòng của bảng kinh phí, kèm số cộng nhóm văn bản ghi."""

    code: str | None = Field(None, title="số thứ tự nhóm", description="Số thứ tự nhóm như văn bản ghi (I, II…).")
    name: str | None = Field(None, title="tên nhóm", description="Tên nhóm; bỏ trống khi bảng không chia nhóm.")
    category_code: CategoryCode | None = Field(
        None,
        title="mã nhóm chi",
        description="Mã nhóm chi trong content/budget_categories.yml cho mọi dòng của nhóm không ghi mã riêng.",
    )
    declared: AmountMap = Field(
        default_factory=dict, title="cộng nhóm", description="Cộng nhóm như văn bản ghi (mã cột → số). Không tự tính."
    )
    printed: dict[str, str] = Field(
        default_factory=dict,
        title="cộng nhóm như văn bản in",
        description="Cộng nhóm đúng như văn bản in, khi khác cách ghi số.",
    )
    lines: list[BudgetLine] = Field(default_factory=list, title="dòng")


class BudgetTable(Strict):
    """Một bảng kinh phí; số tổng văn bản ghi được giữ nguyên, cổng tự cộng để đối chiếu."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        title="mã bảng", description="Mã bảng, duy nhất trong kế hoạch, ví dụ «kinh-phi-2023»."
    )
    title: Text = Field(title="tiêu đề bảng", description="Tiêu đề bảng như văn bản ghi.")
    year: Year = Field(title="năm", description="Năm của số liệu.")
    phase: BudgetPhase = Field(
        title="dự kiến hay thực hiện", description="du-kien (kinh phí dự kiến) hoặc thuc-hien (kinh phí đã thực hiện)."
    )
    currency_unit: CurrencyUnit = Field(
        title="đơn vị tiền", description="Đơn vị tiền như văn bản in: dong hoặc trieu-dong."
    )
    columns: list[AmountColumn] = Field(min_length=1, title="cột số tiền", description="Các cột số tiền.")
    groups: list[BudgetGroup] = Field(
        min_length=1, title="nhóm", description="Các nhóm dòng; bảng không chia nhóm có một nhóm không tên."
    )
    declared_total: AmountMap = Field(
        default_factory=dict, title="tổng cộng", description="Tổng cộng như văn bản ghi (mã cột → số). Không tự tính."
    )
    declared_total_printed: dict[str, str] = Field(
        default_factory=dict,
        title="tổng cộng như văn bản in",
        description="Tổng cộng đúng như văn bản in, khi khác cách ghi số.",
    )
    total_in_words: str | None = Field(None, title="tổng bằng chữ", description="Tổng bằng chữ như văn bản ghi.")
    note: str | None = Field(
        None, title="ghi chú", description="Ghi chú về bảng (Markdown), ví dụ cách đọc số in không thống nhất."
    )


class Responsibility(Strict):
    """Nhiệm vụ giao cho một cơ quan, đơn vị."""

    unit: Text = Field(title="cơ quan, đơn vị", description="Cơ quan, đơn vị được giao.")
    group: str | None = Field(
        None,
        title="tiêu đề chung",
        description=(
            "Tiêu đề chung đúng như văn bản ghi khi văn bản gom nhiều đơn vị dưới một mục, ví dụ «Các Sở sau đây "
            "có trách nhiệm chủ trì và phối hợp với Sở Thông tin và Truyền thông thực hiện các nhiệm vụ»; các "
            "đơn vị liền nhau cùng nhóm hiện dưới tiêu đề đó."
        ),
    )
    duties: list[Text] = Field(title="nhiệm vụ", description="Nhiệm vụ được giao (mỗi mục một đoạn).")


class OriginalFile(Strict):
    """Tệp gốc (PDF, DOCX) mà văn bản trích xuất được lấy ra, lưu cạnh kế hoạch."""

    file: Text = Field(
        title="tệp gốc", description="Tệp gốc, đường dẫn tương đối với tệp kế hoạch, ví dụ «2025-ke-hoach.pdf»."
    )
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        title="mã SHA-256", description="SHA-256 của tệp gốc."
    )


class SourceDocument(Strict):
    """Văn bản gốc kèm mã SHA-256 để đối chiếu."""

    file: Text = Field(title="tệp văn bản gốc", description="Tệp văn bản gốc, đường dẫn tương đối với tệp kế hoạch.")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        title="mã SHA-256", description="SHA-256 của tệp văn bản gốc."
    )
    description: str | None = Field(None, title="mô tả", description="Mô tả, ví dụ «Văn bản trích xuất từ PDF».")
    original: OriginalFile | None = Field(
        None,
        title="tệp gốc",
        description="Tệp PDF hoặc DOCX mà văn bản gốc được trích ra (make import ghi sẵn), kèm SHA-256.",
    )


class TextRepair(Strict):
    """Một chỗ sửa lỗi trích xuất văn bản."""

    found: Text = Field(title="chuỗi trích xuất", description="Chuỗi trong văn bản trích xuất.")
    repaired: Text = Field(title="chuỗi đã sửa", description="Chuỗi đã sửa trong nội dung công bố.")
    note: str | None = Field(None, title="ghi chú")


class PlanPart(str, Enum):
    """Các phần của trang kế hoạch, theo thứ tự mặc định (thứ tự thường gặp trong văn bản)."""

    narrative = "noi-dung"  # phần lời văn (.md)
    legal_bases = "can-cu"
    previous_results = "ket-qua-ky-truoc"
    general_objectives = "muc-tieu-tong-quat"
    targets = "chi-tieu"
    tasks = "nhiem-vu"
    solutions = "giai-phap"
    budget_tables = "kinh-phi"
    funding_notes = "nguon-kinh-phi"
    responsibilities = "to-chuc-thuc-hien"
    recipients = "noi-nhan"


class PartHeading(Strict):
    """Tiêu đề của một phần trang đúng như văn bản ghi, thay tiêu đề mặc định của cổng."""

    part: PlanPart = Field(title="phần", description="Phần của trang.")
    heading: Text = Field(
        title="tiêu đề",
        description="Tiêu đề như văn bản ghi (không cần số thứ tự La Mã), ví dụ «Nhiệm vụ và giải pháp trọng tâm».",
    )


class Passage(Strict):
    """Một đoạn của văn bản không thuộc trường nào, đặt đúng chỗ của nó: cuối một phần của trang."""

    after: PlanPart = Field(
        title="đứng sau phần",
        description="Phần mà đoạn này đứng sau, ví dụ «to-chuc-thuc-hien» cho đoạn kết «Trên đây là Kế hoạch…».",
    )
    text: Text = Field(
        title="đoạn văn",
        description="Đoạn văn đúng như văn bản ghi (Markdown; «11\\.» ở đầu dòng để không thành danh sách).",
    )


class PrivacyException(Strict):
    """Một ngoại lệ đã duyệt: chuỗi được công bố dù kiểm tra dữ liệu cá nhân, dấu độ mật báo lỗi; mỗi lần kiểm tra, xây dựng đều in ra.

    Ngoại lệ không còn khớp chuỗi nào mà kiểm tra tìm thấy là lỗi, để không tích lại ngoại lệ cũ."""  # noqa: E501 (the JSON schema and the guide show this text)

    text: Text = Field(
        title="chuỗi được phép", description="Chuỗi được phép, chép đúng như thông báo lỗi ghi trong «…»."
    )
    reason: Text = Field(
        title="lý do",
        description=(
            "Lý do đây không phải dữ liệu cá nhân hay dấu độ mật, ví dụ «số đường dây nóng của UBND huyện, đã "
            "công bố trên cổng thông tin huyện»."
        ),
    )
    reviewed_by: Text = Field(title="người duyệt", description="Người duyệt ngoại lệ: họ tên, chức vụ.")
    reviewed_on: VnDate = Field(title="ngày duyệt", description="Ngày duyệt, dd/mm/yyyy.")


class Plan(Strict):
    """Một văn bản kế hoạch: tệp `<năm>-<tên>.yml` trong thư mục của đơn vị ban hành."""

    title: Text = Field(title="trích yếu", description="Trích yếu đầy đủ như văn bản ghi.")
    kind: PlanKind = Field(title="loại văn bản", description="Loại văn bản.")
    classification: Classification = Field(
        Classification.ordinary, title="độ mật", description="Độ mật; chỉ «thuong» được công bố."
    )
    issuer: Text = Field(
        title="cơ quan ban hành",
        description="Cơ quan ban hành như văn bản ghi, ví dụ «UBND huyện Đức Thọ», «Ban Thường vụ Huyện ủy Cẩm Xuyên».",
    )
    number: str | None = Field(
        None, title="số, ký hiệu", description="Số, ký hiệu; bỏ trống (null) nếu văn bản không ghi."
    )
    signed_date: PartialDate | None = Field(
        None, title="ngày ký", description="Ngày ký dd/mm/yyyy; mm/yyyy khi chỉ ghi tháng; bỏ trống nếu không ghi."
    )
    place: str | None = Field(None, title="địa danh", description="Địa danh ghi ở đầu văn bản.")
    signer: Signer | None = Field(None, title="người ký", description="Người ký.")
    period: Period = Field(title="kỳ kế hoạch", description="Kỳ kế hoạch.")
    reviews: str | None = Field(
        None,
        title="kế hoạch kỳ trước",
        description=(
            "Mã kế hoạch kỳ trước mà văn bản này đánh giá, nếu có trên cổng, ví dụ "
            "«ha-tinh/duc-tho/2022-chinh-quyen-so»."
        ),
    )
    summary: str | None = Field(
        None,
        title="tóm tắt",
        description="Tóm tắt ngắn do ban biên tập viết (một đến ba câu); trang ghi rõ đây không phải nội dung văn bản.",
    )
    editorial_note: str | None = Field(
        None,
        title="ghi chú của ban biên tập",
        description=(
            "Ghi chú của ban biên tập về văn bản (bố cục, phụ lục, cách đọc…), Markdown; trang ghi rõ đây không "
            "phải nội dung văn bản. Không đặt ghi chú của ban biên tập vào phần lời văn (.md): phần đó là lời "
            "của văn bản."
        ),
    )
    section_order: list[PlanPart] = Field(
        default_factory=list,
        title="thứ tự các phần",
        description=(
            "Thứ tự các phần trên trang khi văn bản xếp khác thứ tự mặc định (noi-dung, can-cu, "
            "ket-qua-ky-truoc, muc-tieu-tong-quat, chi-tieu, nhiem-vu, giai-phap, kinh-phi, nguon-kinh-phi, "
            "to-chuc-thuc-hien, noi-nhan): các phần ghi ở đây đứng trước, theo thứ tự đã ghi; các phần còn lại "
            "theo sau, theo thứ tự mặc định."
        ),
    )
    headings: list[PartHeading] = Field(
        default_factory=list,
        title="tiêu đề phần",
        description=(
            "Tiêu đề các phần đúng như văn bản ghi, khi văn bản đặt tên khác tiêu đề mặc định của trang (ví dụ "
            "«Nhiệm vụ và giải pháp trọng tâm» thay «Nhiệm vụ»)."
        ),
    )
    passages: list[Passage] = Field(
        default_factory=list,
        title="đoạn văn",
        description=(
            "Các đoạn của văn bản không thuộc trường nào (đoạn kết, câu dẫn cuối một mục…), mỗi đoạn đặt sau "
            "phần mà nó đứng sau trong văn bản."
        ),
    )
    legal_bases: list[LegalBasis] = Field(default_factory=list, title="căn cứ", description="Căn cứ pháp lý.")
    previous_results: PreviousResults | None = Field(None, title="kết quả kỳ trước", description="Kết quả kỳ trước.")
    general_objectives: list[Text] = Field(
        default_factory=list, title="mục tiêu tổng quát", description="Mục tiêu tổng quát (mỗi mục một đoạn)."
    )
    targets: list[Target] = Field(default_factory=list, title="chỉ tiêu", description="Chỉ tiêu cụ thể.")
    tasks: list[Section] = Field(default_factory=list, title="nhiệm vụ", description="Nhiệm vụ theo lĩnh vực.")
    solutions: list[Section] = Field(default_factory=list, title="giải pháp", description="Giải pháp.")
    budget_tables: list[BudgetTable] = Field(default_factory=list, title="bảng kinh phí", description="Bảng kinh phí.")
    funding_notes: list[Text] = Field(
        default_factory=list, title="nội dung kinh phí", description="Nội dung về kinh phí ngoài bảng (Markdown)."
    )
    responsibilities: list[Responsibility] = Field(
        default_factory=list, title="đơn vị thực hiện", description="Tổ chức thực hiện: đơn vị → nhiệm vụ."
    )
    recipients: list[Text] = Field(default_factory=list, title="nơi nhận", description="Nơi nhận.")
    source_document: SourceDocument = Field(title="văn bản gốc", description="Văn bản gốc.")
    text_repairs: list[TextRepair] = Field(
        default_factory=list,
        title="sửa lỗi trích xuất",
        description="Các chỗ sửa lỗi trích xuất (mất dấu, «ƣ» → «ư»…).",
    )
    privacy_exceptions: list[PrivacyException] = Field(
        default_factory=list,
        title="ngoại lệ dữ liệu cá nhân",
        description=(
            "Ngoại lệ đã duyệt cho kiểm tra dữ liệu cá nhân và dấu độ mật (trong tệp này, phần lời văn .md và "
            "văn bản gốc), chỉ khi kiểm tra báo nhầm, ví dụ số đường dây nóng của cơ quan. Mỗi mục phải khớp "
            "đúng một chuỗi mà kiểm tra tìm thấy."
        ),
    )

    @field_validator("section_order")
    @classmethod
    def _parts_once(cls, v):
        seen = set()
        for part in v:
            if part in seen:
                raise PydanticCustomError(
                    "section_order", "phần «{part}» ghi hai lần trong «section_order»", {"part": part.value}
                )
            seen.add(part)
        return v

    @field_validator("headings")
    @classmethod
    def _one_heading_per_part(cls, v):
        seen = set()
        for h in v:
            if h.part in seen:
                raise PydanticCustomError(
                    "headings", "phần «{part}» có hai tiêu đề trong «headings»", {"part": h.part.value}
                )
            seen.add(h.part)
        return v


class ResultSourceKind(str, Enum):
    report = "bao-cao"  # báo cáo kết quả thực hiện
    later_plan = "ke-hoach-sau"  # phần đánh giá kỳ trước của một kế hoạch sau (reviews:)
    article = "bai-viet"  # bài viết chính thức (cổng thông tin của cơ quan)
    other = "khac"


class ResultSource(Strict):
    """Nguồn của kết quả: văn bản, bài viết báo cáo kết quả thực hiện."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        title="mã nguồn", description="Mã nguồn trong tệp này, ví dụ «bc-2025»; các kết quả ghi mã này ở «source»."
    )
    kind: ResultSourceKind = Field(
        title="loại nguồn",
        description=(
            "bao-cao (báo cáo kết quả), ke-hoach-sau (phần đánh giá kỳ trước của kế hoạch sau trên cổng), "
            "bai-viet (bài viết chính thức), khac."
        ),
    )
    title: Text = Field(
        title="tên nguồn", description="Trích yếu hoặc tên bài, ví dụ «Báo cáo kết quả chuyển đổi số năm 2025»."
    )
    number: str | None = Field(None, title="số, ký hiệu", description="Số, ký hiệu nếu có, ví dụ «12/BC-UBND».")
    date: PartialDate | None = Field(None, title="ngày", description="Ngày ban hành, đăng: dd/mm/yyyy (nếu có).")
    url: HttpUrl | None = Field(None, title="liên kết", description="Liên kết đến nguồn (https://…).")
    plan: str | None = Field(
        None,
        title="kế hoạch sau trên cổng",
        description=(
            "Với ke-hoach-sau: mã kế hoạch trên cổng có phần đánh giá, ví dụ «ha-tinh/duc-tho/2023-chinh-quyen-so»; "
            "kế hoạch đó phải ghi «reviews» là kế hoạch này."
        ),
    )
    kept_copy: OriginalFile | None = Field(
        None,
        title="bản lưu",
        description="Bản lưu của nguồn cạnh tệp này (PDF…), kèm SHA-256; cổng công bố bản lưu để đối chiếu.",
    )


class TargetResult(Strict):
    """Kết quả thực hiện một chỉ tiêu của kế hoạch, kèm ngày và nguồn."""

    target: Annotated[int, Field(ge=1)] = Field(
        title="chỉ tiêu số", description="Số thứ tự của chỉ tiêu trên trang kế hoạch (1, 2, …)."
    )
    value: Amount | None = Field(
        None, title="giá trị đạt được", description="Giá trị số đạt được, cùng đơn vị tính với chỉ tiêu."
    )
    unit: str | None = Field(None, title="đơn vị tính", description="Đơn vị tính của giá trị, ví dụ «%».")
    status: ResultStatus | None = Field(
        None,
        title="đánh giá",
        description=(
            "dat, chua-dat hoặc dat-mot-phan (chỉ với chỉ tiêu có phần) như nguồn đánh giá: chỉ tiêu định tính, "
            "hoặc nguồn không ghi giá trị số. Có giá trị số thì bỏ trống: cổng so giá trị với chỉ tiêu."
        ),
    )
    parts_met: list[Text] = Field(
        default_factory=list,
        title="các phần đã đạt",
        description="Với chỉ tiêu có phần (parts): các phần nguồn ghi là đã đạt, đúng tên ở «parts».",
    )
    statement: str | None = Field(
        None, title="lời nguồn", description="Câu kết quả đúng như nguồn ghi (nên có với chỉ tiêu định tính)."
    )
    date: PartialDate = Field(
        title="tính đến ngày",
        description="Ngày, tháng hoặc năm mà kết quả nói đến: dd/mm/yyyy, mm/yyyy hoặc yyyy (ví dụ 31/12/2025).",
    )
    source: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        title="nguồn", description="Mã nguồn ở «sources» của tệp này."
    )

    @field_validator("status")
    @classmethod
    def _value_or_status(cls, v, info):
        if v is not None and info.data.get("value") is not None:
            raise PydanticCustomError(
                "status",
                "kết quả có giá trị số thì bỏ trống «status» (cổng so giá trị với chỉ tiêu); nguồn chỉ ghi đạt hay "
                "chưa đạt thì bỏ «value»",
            )
        return v


class PlanResults(Strict):
    """Kết quả thực hiện các chỉ tiêu của một kế hoạch: tệp `<tên kế hoạch>.ket-qua.yml` cạnh tệp kế hoạch."""

    sources: list[ResultSource] = Field(title="nguồn", description="Các nguồn báo cáo kết quả.")
    results: list[TargetResult] = Field(default_factory=list, title="kết quả", description="Kết quả từng chỉ tiêu.")

    @field_validator("sources")
    @classmethod
    def _sources_once(cls, v):
        seen = set()
        for source in v:
            if source.id in seen:
                raise PydanticCustomError("sources", "mã nguồn «{id}» ghi hai lần", {"id": source.id})
            seen.add(source.id)
        return v


class Indicator(Strict):
    """Một chỉ số trong danh mục."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        title="mã chỉ số", description="Mã chỉ số, ổn định, ví dụ «ho-so-cong-viec-truc-tuyen-huyen»."
    )
    name: Text = Field(title="tên chỉ số", description="Tên chỉ số.")
    unit: str | None = Field(None, title="đơn vị đo", description="Đơn vị đo, ví dụ «%».")
    area: str | None = Field(None, title="lĩnh vực", description="Lĩnh vực.")
    description: str | None = Field(None, title="giải thích", description="Giải thích.")


class IndicatorCatalogue(Strict):
    """Danh mục chỉ số `content/indicators.yml`: các chỉ số mà nhiều kế hoạch đặt chỉ tiêu."""

    indicators: list[Indicator] = Field(default_factory=list, title="chỉ số")


class BudgetCategory(Strict):
    """Một nhóm chi trong phân loại của cổng."""

    code: CategoryCode = Field(title="mã nhóm chi", description="Mã nhóm chi, ổn định, ví dụ «ha-tang».")
    name: Text = Field(title="tên nhóm chi", description="Tên nhóm chi hiển thị trên cổng.")
    description: str | None = Field(None, title="mô tả", description="Những khoản chi thuộc nhóm này.")


class BudgetCategories(Strict):
    """Phân loại chi `content/budget_categories.yml`: vài nhóm chi (như một hệ thống mục lục) để cộng kinh phí của
    nhiều văn bản theo nhóm; mỗi văn bản đặt tên khoản chi theo cách riêng, nên cổng xếp chúng vào các nhóm này."""

    categories: list[BudgetCategory] = Field(default_factory=list, title="nhóm chi")


class Agency(Strict):
    """Một cơ quan, đơn vị được giao việc, với các cách viết tên khác nhau trong văn bản."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        title="mã cơ quan", description="Mã cơ quan, duy nhất trong đơn vị hành chính, ví dụ «phong-van-hoa-thong-tin»."
    )
    name: Text = Field(title="tên chuẩn", description="Tên chuẩn hiển thị trên cổng.")
    aliases: list[Text] = Field(
        default_factory=list,
        title="cách viết khác",
        description="Các cách viết khác trong văn bản (không phân biệt hoa thường, khoảng trắng).",
    )


class AgencyRegistry(Strict):
    """Danh mục cơ quan `agencies.yml` trong thư mục một đơn vị hành chính: gộp các cách viết tên của cùng một cơ quan."""  # noqa: E501 (shown in the JSON schema)

    agencies: list[Agency] = Field(default_factory=list, title="cơ quan")


# The top-level models, by the file they describe; the JSON Schema export and
# the authoring guide walk this.
DOCUMENTS = {
    "unit.yml": Unit,
    "<kế hoạch>.yml": Plan,
    "<kế hoạch>.ket-qua.yml": PlanResults,
    "indicators.yml": IndicatorCatalogue,
    "agencies.yml": AgencyRegistry,
    "budget_categories.yml": BudgetCategories,
}


# --------------------------------------------------------------------------- site_config.yml
# What a portal operator sets (not content).

# An address only: it lands in a mailto: link on every page.
Email = Annotated[
    str,
    Field(
        pattern=r"^[^@\s\"'<>()\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$",
        description="Địa chỉ thư điện tử, ví dụ tiepcan@example.gov.vn.",
    ),
]


class Contact(Strict):
    name: Text = Field(description="Tên cơ quan hoặc người.")
    title: str | None = Field(None, description="Chức vụ (với người).")
    address: str | None = None
    phone: str | None = None
    email: Email | None = None


class Licence(Strict):
    name: Text
    url: HttpUrl


class SiteConfig(Strict):
    portal_name: Text = Field(description="Tên cổng.")
    description: Text = Field(description="Mô tả ngắn của cổng.")
    base_url: HttpUrl = Field(
        description="Địa chỉ công khai đầy đủ, kể cả thư mục con, ví dụ https://example.gov.vn/cong-khai/."
    )
    language: str = Field("vi", pattern=r"^vi$", description="Ngôn ngữ giao diện (hiện chỉ hỗ trợ vi).")
    managing_agency: Contact = Field(description="Cơ quan chủ quản.")
    responsible_person: Contact = Field(description="Người chịu trách nhiệm nội dung.")
    information_focal_point: Contact = Field(
        description="Đầu mối cung cấp thông tin (Luật Tiếp cận thông tin, Điều 9)."
    )
    request_procedure: Text = Field(description="Cách gửi yêu cầu cung cấp thông tin (Markdown).")
    licence: Licence = Field(description="Giấy phép dữ liệu.")
    as_of: VnDate | None = Field(
        None,
        description=(
            "Ngày tính trạng thái chỉ tiêu (đạt, chưa đạt, quá hạn…), dd/mm/yyyy. Bỏ trống: ngày của lần commit "
            "cuối cùng thay đổi content/ (cùng nội dung thì cùng trang). Không có Git và không ghi: không tính "
            "«quá hạn»."
        ),
    )
    feedback_form_url: HttpUrl | None = Field(
        None,
        description=(
            "Địa chỉ mẫu góp ý, đề nghị đính chính của cổng (https://…), nếu có. Bỏ trống: liên kết «Góp ý / đề nghị "
            "đính chính» mở thư gửi đầu mối cung cấp thông tin. Có ghi: liên kết mở mẫu này, kèm các tham số trang "
            "(địa chỉ trang, có neo đến dòng), muc (mục cần sửa), van_ban (tên văn bản), so_ky_hieu."
        ),
    )
    demo: bool = Field(
        False,
        description=(
            "true: cổng trình diễn, thông tin liên hệ là mẫu; mọi trang hiện dòng «Bản trình diễn». Cổng thật để "
            "trống: khi đó thông tin mẫu (điện thoại 0000 000 000, «(mẫu — …)», địa chỉ example.gov.vn…) làm dừng "
            "việc xây dựng trang."
        ),
    )
