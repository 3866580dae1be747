"""`site_config.yml`: what a portal operator sets (not content)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, HttpUrl

from .errors import ContentErrors
from .load import load_yaml
from .schema import Strict, Text


# An address only: it lands in a mailto: link on every page.
Email = Annotated[str, Field(pattern=r"^[^@\s\"'<>()\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$",
                                 description="Địa chỉ thư điện tử, ví dụ tiepcan@example.gov.vn.")]


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
    base_url: HttpUrl = Field(description="Địa chỉ công khai đầy đủ, kể cả thư mục con, ví dụ https://example.gov.vn/cong-khai/.")
    language: str = Field("vi", pattern=r"^vi$", description="Ngôn ngữ giao diện (hiện chỉ hỗ trợ vi).")
    managing_agency: Contact = Field(description="Cơ quan chủ quản.")
    responsible_person: Contact = Field(description="Người chịu trách nhiệm nội dung.")
    information_focal_point: Contact = Field(description="Đầu mối cung cấp thông tin (Luật Tiếp cận thông tin, Điều 9).")
    request_procedure: Text = Field(description="Cách gửi yêu cầu cung cấp thông tin (Markdown).")
    licence: Licence = Field(description="Giấy phép dữ liệu.")


def load_config(path: Path) -> SiteConfig:
    from .validate import _model  # the same error translation as content

    doc, errors = load_yaml(path, path.parent / "_") if path.exists() else (None, [])
    if not path.exists():
        from .errors import ContentError
        raise ContentErrors([ContentError(str(path), 1, 1, "", "không tìm thấy tệp cấu hình cổng")])
    config = _model(doc, SiteConfig, errors) if doc else None
    if errors or config is None:
        raise ContentErrors(errors)
    return config
