"""File → text: the text layer of a PDF, the paragraphs and tables of a DOCX, or a .txt as it is."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = (".txt", ".pdf", ".docx")


class ImportProblem(Exception):
    """Something the editor must fix before importing (message in Vietnamese, naming the file)."""


@dataclass
class Extracted:
    text: str  # what becomes <slug>.nguon.txt
    raw: bytes  # the bytes of the .nguon.txt (a .txt source: its exact bytes)
    original: bytes | None  # the PDF or DOCX itself, kept beside the plan
    suffix: str
    page_starts: list[int] | None  # 1-based line where each PDF page begins (running headers are per page)


def extract(path: Path) -> Extracted:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportProblem(
            f"{path}: chỉ nhập được tệp .pdf, .docx hoặc .txt (tệp này có đuôi «{path.suffix or 'không có'}»)"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem(f"{path}: không tìm thấy tệp") from None
    if suffix == ".txt":
        return Extracted(_decode(path, data), data, None, suffix, None)
    if suffix == ".pdf":
        text, starts = _pdf(path, data)
    else:
        text, starts = _docx(path, data), None
    if not text.strip():
        raise ImportProblem(
            f"{path}: tệp không có lớp chữ (có thể là ảnh quét); cần nhận dạng chữ (OCR) trước khi nhập"
        )
    return Extracted(text, text.encode("utf-8"), data, suffix, starts)


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            break
        return text
    raise ImportProblem(f"{path}: tệp .txt không ở mã UTF-8; hãy lưu lại với mã hóa UTF-8")


def _pdf(path: Path, data: bytes) -> tuple[str, list[int]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ImportProblem(f"{path}: không đọc được tệp PDF ({exc})") from None
    lines: list[str] = []
    starts: list[int] = []
    for text in pages:
        starts.append(len(lines) + 1)
        lines += text.splitlines()
    return "\n".join(lines) + "\n", starts


def _docx(path: Path, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ImportProblem(f"{path}: không đọc được tệp DOCX ({exc})") from None
    lines: list[str] = []

    def table(t: Table) -> None:
        # One cell per line, row by row, as a PDF extraction flattens a table: one table reader for both.
        for row in t.rows:
            seen = None
            for cell in row.cells:
                if cell._tc is seen:  # a merged cell repeats in every column it spans
                    continue
                seen = cell._tc
                for p in cell.paragraphs:
                    if p.text.strip():
                        lines.append(p.text)

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines += Paragraph(child, document).text.split("\n")
        elif tag == "tbl":
            table(Table(child, document))
    return "\n".join(lines) + "\n"
