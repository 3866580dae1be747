"""Render's helpers: relative links, fragments kept between builds."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.outputs.spec import rel

segment = st.sampled_from(["ha-tinh", "duc-tho", "2023-ke-hoach", "data", "van-ban", "chi-so", "x"])
folder = st.lists(segment, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))
target = st.one_of(
    folder,
    st.builds(lambda f, name: f + name, folder, st.sampled_from(["a.csv", "van-ban-goc.txt"])),
    st.just("./"),
    st.just(""),
)


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


def test_a_kept_fragment_is_the_html_made_first_for_its_key_and_only_plain_values_or_plans_are_keys(tmp_path):
    """{% cache key %}: the HTML made for a key is given again for that key, in the same page and, once
    saved, in the next build's; what the fragment reads besides its key does not make it again."""
    import jinja2
    import pytest

    from generator.incremental.store import PlanChunks
    from generator.outputs.templates import environment

    env = environment()
    template = env.from_string(
        "{% for x in items %}{% cache x %}[{{ x }} {{ note }}{{ loop.index }}]{% endcache %}{% endfor %}"
    )
    chunks = PlanChunks(tmp_path, "ma", {})
    env.fragments = chunks.fragments("a.md")
    assert template.render(items=["một", 2, "một", None], note="cũ") == "[một cũ1][2 cũ2][một cũ1][None cũ4]"
    env.fragments.save()

    env.fragments = chunks.fragments("a.md")  # the next build
    assert template.render(items=[2, "ba"], note="mới") == "[2 cũ2][ba mới2]"  # 2 was kept
    env.fragments = None
    assert template.render(items=[2], note="mới") == "[2 mới1]"  # nothing kept: made

    env.fragments = chunks.fragments("a.md")
    with pytest.raises(jinja2.TemplateRuntimeError, match="khoá"):
        template.render(items=[{"không": "được"}], note="")
    with pytest.raises(jinja2.TemplateRuntimeError, match="khoá"):  # a list is a key only when it lists plans
        template.render(items=[["không", "được"]], note="")
