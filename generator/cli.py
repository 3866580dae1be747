"""Command line: `python -m generator check|build|new-plan|serve|schema|guide`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import BuildError, ContentErrors


def main(argv: list[str] | None = None, *, then_exit: bool = False) -> int:
    """`then_exit`: the process leaves right after, without tearing down its heap (__main__)."""
    parser = argparse.ArgumentParser(prog="python -m generator", description="Công khai: xây dựng cổng công khai kế hoạch.")
    parser.add_argument("--content", type=Path, default=Path("content"), help="thư mục nội dung (mặc định content/)")
    parser.add_argument("--config", type=Path, default=Path("site_config.yml"), help="cấu hình cổng (mặc định site_config.yml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="chỉ kiểm tra nội dung")
    b = sub.add_parser("build", help="xây dựng site/")
    b.add_argument("--out", type=Path, default=Path("site"))
    b.add_argument("--no-index", action="store_true", help="bỏ qua Pagefind (nhanh hơn khi xem trước)")
    b.add_argument("--fresh", action="store_true",
                   help="xây dựng lại từ đầu, không dùng lại gì của lần trước (kết quả các trang như nhau)")
    s = sub.add_parser("serve", help="xem trước, tự xây dựng lại khi nội dung đổi")
    s.add_argument("--port", type=int, default=8000)
    n = sub.add_parser("new-plan", help="tạo tệp kế hoạch mới từ lược đồ")
    n.add_argument("unit", help="mã đơn vị, ví dụ ha-tinh/duc-tho")
    n.add_argument("year", type=int)
    n.add_argument("--slug", default="ke-hoach")
    sub.add_parser("schema", help="ghi schema/*.schema.json")
    sub.add_parser("guide", help="ghi hướng dẫn soạn thảo vào README.md")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            from .pipeline import check
            content = check(args.content)
            print(f"Nội dung hợp lệ: {len(content.plans)} kế hoạch, {len(content.units)} đơn vị.")
        elif args.command == "build":
            from .pipeline import build_site
            report = build_site(args.content, args.config, args.out, index=not args.no_index, reuse=not args.fresh)
            print(report)
        elif args.command == "serve":
            from .serve import serve
            serve(args.content, args.config, args.port)
        elif args.command == "new-plan":
            from .scaffold import new_plan
            path = new_plan(args.content, args.unit, args.year, args.slug)
            print(f"Đã tạo {path}: điền các trường, xóa các trường không dùng, rồi chạy `make check`.")
        elif args.command == "schema":
            from .docs import write_json_schemas
            for path in write_json_schemas(Path("schema")):
                print(f"đã ghi {path}")
        elif args.command == "guide":
            from .docs import write_guide
            write_guide(Path("README.md"))
            print("đã cập nhật hướng dẫn soạn thảo trong README.md")
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"Lỗi xây dựng: {exc}\nsite/ giữ nguyên.", file=sys.stderr)
        return 1
    except (FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in Công khai itself, not in content: say so, keep the details for developers
        if os.environ.get("CONGKHAI_DEBUG"):
            raise
        print(f"Lỗi nội bộ của Công khai (không phải lỗi nội dung): {type(exc).__name__}: {exc}\n"
              "site/ giữ nguyên. Chạy lại với CONGKHAI_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển.", file=sys.stderr)
        return 2
    return 0
