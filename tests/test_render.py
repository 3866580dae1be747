"""Render's helpers: relative links."""
from __future__ import annotations

import posixpath

from hypothesis import given, strategies as st

from generator.render import rel

segment = st.sampled_from(["ha-tinh", "duc-tho", "2023-ke-hoach", "data", "van-ban", "chi-so", "x"])
folder = st.lists(segment, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))
target = st.one_of(folder, st.builds(lambda f, name: f + name, folder, st.sampled_from(["a.csv", "van-ban-goc.txt"])),
                   st.just("./"), st.just(""))


def _relpath(target: str, page_url: str) -> str:
    base = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else "."
    path = posixpath.relpath(target or ".", base or ".")
    return path + "/" if target.endswith("/") and not path.endswith("/") else path


@given(target, folder)
def test_rel_is_posix_relpath(target, page_url):
    assert rel(target, page_url) == _relpath(target, page_url)


def test_rel_examples():
    assert rel("ha-tinh/", "ha-tinh/duc-tho/2023/") == "../../"
    assert rel("data/kinh-phi.csv", "ngan-sach/") == "../data/kinh-phi.csv"
    assert rel("./", "") == "./"
    assert rel("ha-tinh/duc-tho/", "") == "ha-tinh/duc-tho/"
