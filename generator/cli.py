"""Command line: `python -m generator check|build|release|new-plan|serve|import|results-template|import-results|…`."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from generator.errors import BuildError, ContentErrors, DiskFull


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description="Công khai: xây dựng cổng công khai kế hoạch."
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="thư mục nội dung (mặc định content/)")
    parser.add_argument(
        "--config", type=Path, default=Path("site_config.yml"), help="cấu hình cổng (mặc định site_config.yml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="chỉ kiểm tra nội dung")
    b = sub.add_parser("build", help="xây dựng site/")
    b.add_argument("--out", type=Path, default=Path("site"))
    b.add_argument("--no-index", action="store_true", help="bỏ qua Pagefind (nhanh hơn khi xem trước)")
    b.add_argument(
        "--fresh",
        action="store_true",
        help="xây dựng lại từ đầu, không dùng lại gì của lần trước (kết quả các trang như nhau)",
    )
    parts = b.add_mutually_exclusive_group()
    parts.add_argument(
        "--shard", default=None, metavar="TỈNH", help="chỉ dựng các trang, dữ liệu và chỉ mục tìm kiếm của một tỉnh"
    )
    parts.add_argument(
        "--assemble",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="bước toàn quốc: dựng các trang chung và ghép bản dựng của từng tỉnh từ THƯ_MỤC/<tỉnh> (docs/shards.md)",
    )
    rel = sub.add_parser("release", help="gắn thẻ phiên bản dữ liệu (--date) rồi xây dựng site/ (docs/releases.md)")
    rel.add_argument("--date", default=None, help="yyyy-mm-dd: gắn thẻ phien-ban/<ngày> vào commit hiện tại")
    rel.add_argument("--out", type=Path, default=Path("site"))
    rel.add_argument("--fresh", action="store_true", help="xây dựng lại từ đầu")
    data = sub.add_parser("release-data", help="(nội bộ) zip dữ liệu của một cây nội dung cho một phiên bản")
    data.add_argument("--date", required=True, help="ngày phiên bản, yyyy-mm-dd")
    data.add_argument("--time", type=int, required=True, help="thời điểm của commit (giây): thời gian trong zip")
    data.add_argument("--as-of", default=None, help="ngày tính trạng thái chỉ tiêu, yyyy-mm-dd")
    data.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("serve", help="xem trước, tự xây dựng lại khi nội dung đổi")
    s.add_argument("--port", type=int, default=8000)
    n = sub.add_parser("new-plan", help="tạo tệp kế hoạch mới từ lược đồ")
    n.add_argument("unit", help="mã đơn vị, ví dụ ha-tinh/duc-tho")
    n.add_argument("year", type=int)
    n.add_argument("--slug", default="ke-hoach")
    n.add_argument("--minimal", action="store_true", help="chỉ các trường bắt buộc, hợp lệ ngay (make new-plan)")
    i = sub.add_parser("import", help="tạo bản nháp kế hoạch từ tệp .pdf, .docx hoặc .txt")
    i.add_argument("source", type=Path)
    i.add_argument("unit", help="mã đơn vị, ví dụ ha-tinh/duc-tho")
    i.add_argument("--slug", default=None, help="<năm>-<tên>, ví dụ 2025-chuyen-doi-so (mặc định: suy từ trích yếu)")
    r = sub.add_parser("import-report", help="đo bộ nhập trên các văn bản đã chép tay trong content/")
    r.add_argument("--write", type=Path, default=None, help="ghi bảng số đo vào tệp này (docs/)")
    u = sub.add_parser("new-unit", help="tạo unit.yml cho một đơn vị hành chính")
    u.add_argument("unit", help="đường dẫn đơn vị: <tỉnh>[/<huyện>[/<xã>]]")
    u.add_argument("--name", required=True)
    u.add_argument("--level", required=True, help="tinh, huyen hoặc xa")
    u.add_argument("--code", default=None)
    u.add_argument("--valid-from", default=None, help="dd/mm/yyyy; mặc định 01/07/2025 khi có --predecessors")
    u.add_argument("--predecessors", default="", help="các đơn vị hợp nhất vào đơn vị này, cách nhau bằng dấu phẩy")
    rt = sub.add_parser(
        "results-template", help="tạo bảng tính CSV các chỉ tiêu của một kế hoạch để điền kết quả thực hiện"
    )
    rt.add_argument("plan", help="mã kế hoạch (ha-tinh/cam-xuyen/2021-…) hoặc đường dẫn tệp .yml của kế hoạch")
    rt.add_argument("--out", type=Path, required=True, help="tệp CSV sẽ ghi, ví dụ ket-qua.csv")
    ir = sub.add_parser(
        "import-results", help="nhập kết quả thực hiện từ bảng tính CSV đã điền vào <kế hoạch>.ket-qua.yml"
    )
    ir.add_argument("file", type=Path, help="tệp CSV đã điền (mẫu của results-template)")
    ir.add_argument("--plan", default=None, help="mã kế hoạch, khi tệp CSV không có cột ke_hoach")
    sub.add_parser("schema", help="ghi schema/*.schema.json")
    sub.add_parser("guide", help="ghi hướng dẫn soạn thảo vào docs/huong-dan-soan-thao.md")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            from generator.build.pipeline import check

            content = check(args.content)
            print(f"Nội dung hợp lệ: {len(content.plans)} kế hoạch, {len(content.units)} đơn vị.")
        elif args.command in ("build", "release"):
            from generator import release
            from generator.build.pipeline import build_site

            if args.command == "release" and args.date:
                tag = release.make_release(args.content, args.config, args.out, args.date)
                print(f"Đã gắn thẻ {tag.name} (commit {tag.commit[:10]}, SHA-256 {tag.recorded}).")
                print(f"Để các bản sao khác có phiên bản này: git push origin {tag.name}")
            releases = release.collect(args.content, args.config, args.out)
            index = not getattr(args, "no_index", False)
            report = build_site(
                args.content,
                args.config,
                args.out,
                index=index,
                reuse=not args.fresh,
                releases=releases,
                shard=getattr(args, "shard", None),
                shards_from=getattr(args, "assemble", None),
            )
            print(report)
        elif args.command == "release-data":
            from generator import release

            as_of = release.parse_date(args.as_of) if args.as_of else None
            release.write_archive(args.content, args.config, args.out, release.parse_date(args.date), args.time, as_of)
        elif args.command == "serve":
            from generator.serve import serve

            serve(args.content, args.config, args.port)
        elif args.command == "new-plan":
            from generator.scaffold import new_plan, new_plan_minimal

            path = (new_plan_minimal if args.minimal else new_plan)(args.content, args.unit, args.year, args.slug)
            print(f"Đã tạo {path}: điền các trường, xóa các trường không dùng, rồi chạy `make check`.")
        elif args.command == "import":
            from .importer.draft import import_file
            from .importer.extract import ImportProblem

            try:
                result = import_file(args.source, args.content, args.unit, args.slug)
            except ImportProblem as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                return 1
            print(result.report())
            return 1 if any(e.startswith(result.display + ".") for e in result.check_errors) else 0
        elif args.command == "import-report":
            from .importer.measure import main as report

            return report(args.content, args.write)
        elif args.command == "new-unit":
            from generator.scaffold import new_unit

            for path in new_unit(
                args.content,
                args.unit,
                args.name,
                args.level,
                code=args.code,
                valid_from=args.valid_from,
                predecessors=[p for p in args.predecessors.split(",") if p.strip()],
            ):
                print(f"Đã ghi {path}")
            print("Chạy `make check` để kiểm tra.")
        elif args.command == "results-template":
            from .importer.results_csv import ResultsCsvProblem, write_template

            try:
                plan, out = write_template(args.content, args.plan, args.out)
            except ResultsCsvProblem as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                return 1
            print(
                f"Đã ghi {out}: {len(plan.model.targets)} chỉ tiêu của kế hoạch {plan.id}. Mở bằng Excel hoặc "
                f"LibreOffice, điền các cột bắt đầu bằng «dien_», lưu dạng CSV UTF-8, rồi chạy: "
                f"make import-results FILE={out}"
            )
        elif args.command == "import-results":
            from .importer.results_csv import ResultsCsvProblem, import_results

            try:
                report = import_results(args.content, args.file, args.plan)
            except ResultsCsvProblem as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                return 1
            if report.errors:
                print(report.error_report(), file=sys.stderr)
                return 1
            print(report.summary())
        elif args.command == "schema":
            from generator.content.docs import write_json_schemas

            for path in write_json_schemas(Path("schema")):
                print(f"đã ghi {path}")
        elif args.command == "guide":
            from generator.content.docs import write_guide

            write_guide(Path("docs/huong-dan-soan-thao.md"))
            print("đã cập nhật hướng dẫn soạn thảo trong docs/huong-dan-soan-thao.md")
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"Lỗi xây dựng: {exc}\nsite/ giữ nguyên.", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # a command other than build (which names the folder it wrote)
            written = {"schema": Path("schema"), "guide": Path("docs/huong-dan-soan-thao.md")}.get(
                args.command, args.content
            )
            print(f"Lỗi: {DiskFull(os.path.abspath(exc.filename2 or exc.filename or written))}", file=sys.stderr)
            return 1
        if isinstance(exc, (FileExistsError, FileNotFoundError)):
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 1
        return _internal(exc)
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _internal(exc)
    return 0


def _internal(exc: Exception) -> int:
    """A bug in Công khai itself, not in content: say so, keep the details for developers."""
    if os.environ.get("CONGKHAI_DEBUG"):
        raise exc
    print(
        f"Lỗi nội bộ của Công khai (không phải lỗi nội dung): {type(exc).__name__}: {exc}\n"
        "site/ giữ nguyên. Chạy lại với CONGKHAI_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển.",
        file=sys.stderr,
    )
    return 2
