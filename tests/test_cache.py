"""A build that reuses the previous one (cache, layout) makes the same site as a build from nothing.

Each test builds the shipped content, edits it the way an editor would, builds again into the same
folder, and compares every file with a build from nothing of the edited content.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import build_site
from tests.helpers import ROOT, tree_digest

DUC_THO = "ha-tinh/duc-tho/2023-chinh-quyen-so"
CAM_XUYEN = "ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so"


def _portal(tmp_path):
    folder = tmp_path / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copyfile(ROOT / "site_config.yml", folder / "site_config.yml")
    return folder


def _build(folder, out, **kwargs):
    return build_site(folder / "content", folder / "site_config.yml", out, **kwargs)


def _replace(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _edit_target(c):
    _replace(c / f"{DUC_THO}.yml", "100% cán bộ công chức cấp", "98% cán bộ công chức cấp")


def _rename_province(c):
    _replace(c / "ha-tinh/unit.yml", "name: Tỉnh Hà Tĩnh", "name: Tỉnh Hà Tĩnh (cũ)")


def _alias_in_province_registry(c):
    _replace(
        c / "ha-tinh/agencies.yml",
        "      - Sở Thông tin - Truyền thông\n",
        "      - Sở Thông tin - Truyền thông\n      - Sở Thông tin và Truyền thông tỉnh\n",
    )
    _replace(c / f"{DUC_THO}.yml", "của Sở Thông tin\n", "của Sở Thông tin và Truyền thông tỉnh\n")


def _delete_plan(c):
    for suffix in (".yml", ".md", ".nguon.txt"):
        (c / f"{CAM_XUYEN}{suffix}").unlink()


def _add_plan(c):
    for suffix in (".yml", ".md", ".nguon.txt"):
        shutil.copyfile(c / f"{CAM_XUYEN}{suffix}", c / f"{CAM_XUYEN}-ban-sao{suffix}")
    _replace(c / f"{CAM_XUYEN}-ban-sao.yml", "number: 05-NQ/TU", "number: 06-NQ/TU")


def _edit_province_plan(c):
    _replace(
        c / "ha-tinh/2020-ung-dung-cntt.yml",
        "title: Ứng dụng công nghệ thông tin",
        "title: Kế hoạch ứng dụng công nghệ thông tin",
    )


def _untag_indicator(c):
    _replace(c / f"{DUC_THO}.yml", "    indicator_code: may-tinh-can-bo\n", "")


def _retitle_citation(c):
    _replace(
        c / f"{DUC_THO}.yml",
        "title: về một số chủ trương, chính sách chủ động tham gia",
        "title: Về một số chủ trương, chính sách chủ động tham gia",
    )


EDITS = [
    _edit_target,
    _rename_province,
    _alias_in_province_registry,
    _delete_plan,
    _add_plan,
    _edit_province_plan,
    _untag_indicator,
    _retitle_citation,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.strip("_") for e in EDITS])
def test_a_rebuild_after_an_edit_is_the_site_a_build_from_nothing_makes(tmp_path, edit):
    folder = _portal(tmp_path)
    out = folder / "site"
    first = _build(folder, out, index=False)
    edit(folder / "content")
    again = _build(folder, out, index=False)
    fresh = _build(folder, tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")
    assert fresh.laid_out == fresh.pages
    if edit is _rename_province:
        # provinces are in the navigation every page shows: every page is laid out again
        assert again.laid_out == again.pages
    else:
        # the unit left alone (Gia Lai's Đức Cơ) was neither rendered nor laid out again
        assert again.rendered < first.rendered and again.laid_out < again.pages


@pytest.mark.parametrize("edit", [_edit_target, _rename_province], ids=["edit_target", "rename_province"])
def test_a_rebuild_with_its_index_is_the_site_a_build_from_nothing_makes(tmp_path, edit):
    """A rebuild with its search index, after an edit of a target and after a change of the navigation (a province
    renamed: every page laid out again), is a fresh build's site and index, byte for byte."""
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out)
    edit(folder / "content")
    again = _build(folder, out)
    _build(folder, tmp_path / "fresh", reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")
    assert again.laid_out == again.pages if edit is _rename_province else again.laid_out < again.pages


def _page_inodes(site):
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def test_nothing_changed_only_portal_wide_pages_rendered(tmp_path):
    """A rebuild with nothing changed renders again only the pages drawn from the whole portal (lists,
    totals), fewer than a quarter of them, and lays out none: every page of the site is the previous one's file."""
    folder = _portal(tmp_path)
    out = folder / "site"
    first = _build(folder, out, index=False)
    before = _page_inodes(out)
    again = _build(folder, out, index=False)
    assert first.rendered == first.laid_out == first.pages
    assert 0 < again.rendered < first.pages / 4 and again.laid_out == 0
    assert _page_inodes(out) == before  # the same files, not written again


def test_the_theme_files_are_taken_from_the_previous_site_and_made_again_when_gone(tmp_path):
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)
    style = next((out / "assets").rglob("*.css"))  # a file of the theme
    before = style.stat().st_ino
    _edit_target(folder / "content")
    _build(folder, out, index=False)
    assert style.stat().st_ino == before  # not written again: the same file
    (out / "404.html").unlink()
    _build(folder, out, index=False)
    assert style.stat().st_ino != before  # the theme made again, whole
    _build(folder, tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_a_site_replaced_by_hand_is_not_trusted(tmp_path):
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    out.unlink()
    copy.rename(out)  # a new folder: its files may not be the ones the state describes
    again = _build(folder, out, index=False)
    assert again.laid_out == again.pages
    assert out.is_symlink()  # the folder replaced by the link to a new build, as one made by an earlier version
    assert tree_digest(out) == tree_digest(_build(folder, tmp_path / "fresh", index=False, reuse=False).out)


def test_a_changed_site_configuration_rebuilds_everything(tmp_path):
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)
    config = folder / "site_config.yml"
    config.write_text(config.read_text("utf-8") + "\n", "utf-8")  # any change to what every page depends on
    again = _build(folder, out, index=False)
    assert again.laid_out == again.pages
    assert _build(folder, out, index=False).laid_out == 0  # what that build made is known to the next


def test_an_error_in_a_file_taken_from_the_load_cache_names_its_line(tmp_path):
    """The load cache keeps data, not positions: an error pointing into an unchanged file reads them again."""
    from generator.errors import ContentErrors
    from tests.helpers import copy_fixture

    folder = copy_fixture("basic", tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)  # the next build takes the files unchanged since from the load cache
    plan = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml"
    # a new plan sorting first with the same number: the error is reported in the cached one
    shutil.copyfile(plan, plan.with_name("2022-ke-hoach.yml"))
    shutil.copyfile(plan.with_suffix(".nguon.txt"), plan.with_name("2022-ke-hoach.nguon.txt"))
    _replace(plan.with_name("2022-ke-hoach.yml"), "2023-ke-hoach.nguon.txt", "2022-ke-hoach.nguon.txt")
    line = next(n for n, text in enumerate(plan.read_text("utf-8").splitlines(), 1) if text.startswith("number:"))
    with pytest.raises(ContentErrors) as caught:
        _build(folder, out, index=False)
    assert (
        f"content/tinh-mau/huyen-mau/2023-ke-hoach.yml:{line}:9: number (số, ký hiệu): số văn bản «12/KH-UBND»"
        in str(caught.value)
    )


def test_checks_across_files_hold_for_plans_taken_from_the_load_cache(tmp_path):
    """A plan's references to other files are checked in every build from its kept facts: removing an
    indicator from the catalogue is an error in the unchanged plan that uses it."""
    from generator.errors import ContentErrors

    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)
    catalogue = folder / "content/indicators.yml"
    text = catalogue.read_text("utf-8")
    start = text.index("  - code: van-ban-ky-so")
    end = text.find("\n  - code:", start + 1)
    catalogue.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), "utf-8")
    plan = folder / "content/gia-lai/duc-co/2023-chinh-quyen-so.yml"
    line = next(
        n for n, t in enumerate(plan.read_text("utf-8").splitlines(), 1) if "indicator_code: van-ban-ky-so" in t
    )
    with pytest.raises(ContentErrors) as caught:
        _build(folder, out, index=False)
    assert f"content/gia-lai/duc-co/2023-chinh-quyen-so.yml:{line}:" in str(caught.value)
    assert "mã chỉ số «van-ban-ky-so» không có trong content/indicators.yml" in str(caught.value)


def test_a_file_gone_from_the_previous_site_is_made_again(tmp_path):
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out, index=False)
    (out / "gia-lai/duc-co/2023-chinh-quyen-so/index.html").unlink(missing_ok=False)
    (out / "gia-lai/duc-co/2023-chinh-quyen-so/chi-tieu.csv").unlink()
    again = _build(folder, out, index=False)
    _build(folder, tmp_path / "fresh", index=False, reuse=False)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")
    assert again.rendered > 0


def test_a_rebuild_shares_unchanged_files_and_indexes_again_the_changed_province_only(tmp_path):
    """A rebuild publishes a new site whose unchanged files are the previous site's (the same files, not
    copies, nor written again); the previous site is left as it was. The search index is made by province: an
    edit in Hà Tĩnh indexes Hà Tĩnh again (and the portal-wide pages that changed with it), while Gia Lai's
    index is the previous one's files; the site, index included, is a build from nothing's."""
    folder = _portal(tmp_path)
    out = folder / "site"
    _build(folder, out)
    previous, before = out.resolve(), tree_digest(out)
    untouched = out / "gia-lai/duc-co/2023-chinh-quyen-so/index.html"
    untouched_inode = untouched.stat().st_ino
    kept_index = out / "gia-lai/pagefind/pagefind-entry.json"
    kept_inode, edited_inode = kept_index.stat().st_ino, (out / "ha-tinh/pagefind/pagefind-entry.json").stat().st_ino
    portal_index = out / "pagefind/pagefind-entry.json"
    portal_inode = portal_index.stat().st_ino
    previous_indicator_inodes = {p.parent.name: p.stat().st_ino for p in (out / "chi-so").glob("*/index.html")}
    _edit_target(folder / "content")
    _build(folder, out)
    assert untouched.stat().st_ino == untouched_inode
    assert kept_index.stat().st_ino == kept_inode  # Gia Lai's index: not made again
    assert (out / "ha-tinh/pagefind/pagefind-entry.json").stat().st_ino != edited_inode
    # The target's statement is on its indicator's page too, in the list of targets Pagefind leaves out: the
    # portal-wide index is kept, as what Pagefind reads of every portal-wide page is the same.
    indicator = [p for p in (out / "chi-so").glob("*/index.html") if "98% cán bộ công chức cấp" in p.read_text()]
    assert indicator and indicator[0].stat().st_ino != previous_indicator_inodes[indicator[0].parent.name]
    assert portal_index.stat().st_ino == portal_inode
    assert out.resolve() != previous and tree_digest(previous) == before
    fresh = tmp_path / "fresh"
    _build(folder, fresh, reuse=False)
    assert tree_digest(out) == tree_digest(fresh)

    _delete_plan(folder / "content")
    _build(folder, out)
    _build(folder, fresh, reuse=False)
    assert tree_digest(out) == tree_digest(fresh)


def test_a_province_indexed_again_reads_its_unchanged_pages_from_the_store_or_the_site_alike(tmp_path):
    """What Pagefind read of each page is kept in the store by province: a rebuild takes the unchanged pages
    from there, or from the site when the store's copy is unreadable; the index is a build from nothing's."""
    from generator.incremental.store import folder_for

    folder = _portal(tmp_path)
    out, fresh = folder / "site", tmp_path / "fresh"
    _build(folder, out)
    kept = folder_for(out) / "readings" / "ha-tinh.pickle.gz"
    assert kept.is_file()
    _edit_target(folder / "content")
    _build(folder, out)
    _build(folder, fresh, reuse=False)
    assert tree_digest(out) == tree_digest(fresh)
    kept.write_bytes(kept.read_bytes()[:100])  # cut short: not read
    _replace(folder / "content" / f"{DUC_THO}.yml", "98% cán bộ công chức cấp", "97% cán bộ công chức cấp")
    _build(folder, out)
    _build(folder, fresh, reuse=False)
    assert tree_digest(out) == tree_digest(fresh)


def test_plan_chunks_are_kept_while_the_plan_unit_is_unchanged(tmp_path):
    from types import SimpleNamespace

    from generator.incremental.store import PlanChunks

    plans = [SimpleNamespace(id="a/1"), SimpleNamespace(id="b/2")]
    made = []

    def make(plan):
        made.append(plan.id)
        return f"{plan.id}#{len(made)}"

    def chunks(keys, fingerprint="f", read=True):
        shares = [(plan.id, plan.id, lambda plan=plan: make(plan)) for plan in plans]
        return PlanChunks(tmp_path, fingerprint, keys, read=read).chunks("chi-tieu", shares)

    assert chunks({"a/1": "x", "b/2": "y"}) == ["a/1#1", "b/2#2"]
    assert chunks({"a/1": "x", "b/2": "y"}) == ["a/1#1", "b/2#2"] and len(made) == 2  # nothing made again
    assert chunks({"a/1": "x", "b/2": "z"}) == ["a/1#1", "b/2#3"]  # b's unit changed
    assert chunks({"a/1": "x", "b/2": "z"}, fingerprint="g") == ["a/1#4", "b/2#5"]  # other code or configuration
    assert chunks({"a/1": "x", "b/2": "z"}, read=False) == ["a/1#6", "b/2#7"]  # a build from nothing
    assert chunks({"a/1": "x", "b/2": "z"}) == ["a/1#6", "b/2#7"]  # … writes them for the next

    def both(keys):  # a share drawn from two plans (a cited document's fields)
        return PlanChunks(tmp_path, "f", keys).chunks("van-ban", [("doc", ("a/1", "b/2"), lambda: make(plans[0]))])

    assert both({"a/1": "x", "b/2": "z"}) == ["a/1#8"] and both({"a/1": "x", "b/2": "z"}) == ["a/1#8"]
    assert both({"a/1": "x", "b/2": "w"}) == ["a/1#9"]  # either plan's unit changed: made again
    assert both({"a/1": "x"}) == ["a/1#10"] and both({"a/1": "x"}) == ["a/1#11"]  # a plan unknown: never kept


def test_a_portal_wide_file_is_spliced_from_the_shares_of_the_previous_one(tmp_path):
    from types import SimpleNamespace

    from generator.incremental.store import PlanChunks

    site, cache_folder = tmp_path / "site", tmp_path / "cache"
    (site / "data").mkdir(parents=True)
    texts = {"a/1": '{"x":1}', "b/2": "", "c/3": '{"x":"ba"}', "d/4": '{"x":4}'}
    made = []

    def make(plan):
        made.append(plan.id)
        return texts[plan.id]

    def build(ids, keys, *, previous=True, head=b"["):
        plans = [SimpleNamespace(id=i) for i in ids]
        staged = tmp_path / "staged.json"
        chunks = PlanChunks(cache_folder, "f", keys, previous_site=site if previous else None)
        made.clear()
        shares = [(plan.id, plan.id, lambda plan=plan: make(plan)) for plan in plans]
        chunks.splice("data/t.json", staged, shares, head=head, sep=b",", tail=b"]\n")
        staged.replace(site / "data/t.json")  # as the pipeline commits it
        return (site / "data/t.json").read_bytes()

    def expected(ids, head=b"["):
        return head + b",".join(texts[i].encode() for i in ids if texts[i]) + b"]\n"

    keys = {i: "k" for i in texts}
    ids = list(texts)
    assert build(ids, keys, previous=False) == expected(ids) and made == ids
    assert build(ids, keys) == expected(ids) and made == []  # everything copied
    texts["c/3"] = '{"x":"ba mươi"}'
    assert build(ids, {**keys, "c/3": "k2"}) == expected(ids) and made == ["c/3"]  # c's unit changed
    texts["b/2"] = '{"x":2}'  # an empty share becomes one: separators where they belong
    assert build(ids, {**keys, "c/3": "k2", "b/2": "k2"}) == expected(ids) and made == ["b/2"]
    texts["a/1"] = ""  # the first one empties
    assert build(ids, {**keys, "c/3": "k2", "b/2": "k2", "a/1": "k2"}) == expected(ids) and made == ["a/1"]
    ids = ["d/4", "c/3", "e/5"]  # plans in another order, one gone, one new
    texts["e/5"] = '{"x":5}'
    assert build(ids, {**keys, "c/3": "k2", "e/5": "k"}) == expected(ids) and made == ["e/5"]
    assert build(ids, {**keys, "c/3": "k2", "e/5": "k"}, head=b"[ ") == expected(ids, b"[ ") and len(made) == 3
    # The file replaced since its record (a failed build's record, an edit by hand): not read, made again.
    (site / "data/t.json").write_bytes(b"[]\n")
    assert build(ids, {**keys, "c/3": "k2", "e/5": "k"}, head=b"[ ") == expected(ids, b"[ ") and len(made) == 3


def test_a_previous_file_cut_short_while_spliced_fails_the_build_with_its_name(tmp_path):
    import os

    import pytest

    from generator.errors import BuildError
    from generator.incremental import store

    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)

    def cut_short() -> str:  # another process truncates the previous file once this build has checked it
        os.truncate(site / "data/t.csv", 2)
        return "a,2\n"

    def splice(keys, shares):
        chunks = store.PlanChunks(tmp_path / "cache", "f", keys, previous_site=site)
        chunks.splice("data/t.csv", tmp_path / "staged.csv", shares, head=b"h\n")
        (tmp_path / "staged.csv").replace(site / "data/t.csv")

    splice({"a/1": "k", "b/2": "k"}, [("a/1", "a/1", lambda: "a,1\n"), ("b/2", "b/2", lambda: "b,2\n")])
    # a/1's unit changed: made again, while b/2's row is to be copied from the previous file, now cut short
    with pytest.raises(BuildError, match="data/t.csv"):
        splice({"a/1": "k2", "b/2": "k"}, [("a/1", "a/1", cut_short), ("b/2", "b/2", lambda: "b,2\n")])


def test_shares_are_kept_by_the_unit_of_the_plan_they_come_from(tmp_path):
    """The indicators' table has a share per plan's target: all of a plan's go when its unit changes."""
    from generator.incremental.store import PlanChunks

    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    made = []

    def build(keys, texts):
        shares = [(sid, sid.split("|")[1], lambda sid=sid: made.append(sid) or texts[sid]) for sid in texts]
        chunks = PlanChunks(tmp_path / "cache", "f", keys, previous_site=site)
        chunks.splice("data/chi-so.csv", tmp_path / "staged.csv", shares, head=b"h\n")
        (tmp_path / "staged.csv").replace(site / "data/chi-so.csv")
        return (site / "data/chi-so.csv").read_text("utf-8")

    texts = {"x|a/1|1": "x,a1\n", "x|b/2|4": "x,b4\n", "y|a/1|2": "y,a2\n"}
    assert build({"a/1": "k", "b/2": "k"}, texts) == "h\nx,a1\nx,b4\ny,a2\n" and len(made) == 3
    made.clear()
    texts = {"x|b/2|4": "x,b4\n", "x|a/1|1": "x,a1 mới\n", "y|a/1|2": "y,a2\n"}  # a's value moved it down
    assert build({"a/1": "k2", "b/2": "k"}, texts) == "h\nx,b4\nx,a1 mới\ny,a2\n"
    assert sorted(made) == ["x|a/1|1", "y|a/1|2"]


def test_file_digests_are_kept_by_stat_and_never_trusted_after_a_write(tmp_path, monkeypatch):
    """FileDigests.read gives a file's SHA-256 and its bytes when it had to read them (None: taken from the
    record of an earlier build, the file not read)."""
    import hashlib
    import os
    import time

    from generator.incremental.store import FileDigests

    monkeypatch.setattr(FileDigests, "RACY_S", 0)
    out = tmp_path / "site"
    f = tmp_path / "a.txt"
    f.write_bytes(b"Kinh phi 100")
    digest = hashlib.sha256(b"Kinh phi 100").hexdigest()
    first = FileDigests()
    assert first.read(f) == (digest, b"Kinh phi 100")  # nothing recorded: read
    assert first.read(f) == (digest, None)  # asked again in the same build: read once
    first.save(out)
    assert FileDigests.load(out).read(f) == (digest, None)  # as recorded: not read
    # The same size, the modification time set back: the change time moved, the file is read again.
    time.sleep(0.05)  # a later tick of the file system's clock than the record's (RACY_S is off here)
    st = os.stat(f)
    f.write_bytes(b"Kinh phi 900")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert FileDigests.load(out).read(f) == (hashlib.sha256(b"Kinh phi 900").hexdigest(), b"Kinh phi 900")
    # A file written just before the record is kept is left out of it (see RACY_S): a second write in the
    # same clock tick could leave its stat as it was, so the next build reads it again.
    monkeypatch.setattr(FileDigests, "RACY_S", 3600)
    late = FileDigests()
    late.sha256(f)
    late.save(out)
    assert FileDigests.load(out).read(f)[1] == b"Kinh phi 900"


def test_an_edited_source_document_is_checked_again_after_a_build(tmp_path, monkeypatch):
    """A source document changed in place, its size and modification time as they were, still fails
    its SHA-256 check on the next build (the digests kept by stat see the change time)."""
    import os

    from generator.errors import ContentErrors
    from generator.incremental.store import FileDigests

    monkeypatch.setattr(FileDigests, "RACY_S", 0)
    folder = tmp_path / "basic"
    shutil.copytree(ROOT / "tests/fixtures/basic", folder)
    build_site(folder / "content", folder / "site_config.yml", tmp_path / "site", index=False)
    source = folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.nguon.txt"
    text = source.read_text("utf-8")
    st = os.stat(source)
    source.write_text(text.replace("a", "b", 1), "utf-8")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(ContentErrors, match="SHA-256 không khớp"):
        build_site(folder / "content", folder / "site_config.yml", tmp_path / "site", index=False)


def test_a_page_fragment_is_made_again_when_the_unit_of_a_plan_it_shows_changes(tmp_path):
    """An indicator's page is a row per plan's target, each kept between builds ({% cache %}): after an edit of
    Đức Thọ, then one of Cẩm Xuyên's target, each row shows its plan as it is now, as a build from nothing does."""
    folder = _portal(tmp_path)
    out = folder / "site"
    html_file = out / "chi-so/may-tinh-can-bo/index.html"
    _build(folder, out, index=False)
    row = lambda: next(r for r in re.findall(r"<tr>.*?</tr>", html_file.read_text("utf-8"), re.S) if "Cẩm Xuyên" in r)  # noqa: E731
    assert "= 100%" in row()

    _edit_target(folder / "content")  # Đức Thọ's target: its row is made again, Cẩm Xuyên's is kept
    _build(folder, out, index=False)
    assert "98% cán bộ công chức cấp" in html_file.read_text("utf-8") and "= 100%" in row()

    _replace(
        folder / "content" / f"{CAM_XUYEN}.yml",
        "indicator_code: may-tinh-can-bo\n  comparator: '='\n  value: 100\n",
        "indicator_code: may-tinh-can-bo\n  comparator: '='\n  value: 95\n",
    )
    _build(folder, out, index=False)
    assert "= 95%" in row() and "= 100%" not in row()
    assert tree_digest(out) == tree_digest(_build(folder, tmp_path / "fresh", index=False, reuse=False).out)


def test_the_store_is_kept_under_one_version_and_emptied_under_another(tmp_path):
    """One rule: what the store holds was made under one version of the code and configuration; a build
    under another version starts from an empty store (compiled templates included: Jinja tells them by
    their source alone), and a build under the same version finds what the last one kept."""
    from generator.incremental.store import Store

    out = tmp_path / "site"
    first = Store(out, "ma-cu")
    first.make_ready()
    (first.compiled_templates()).mkdir(parents=True)
    (first.compiled_templates() / "__jinja2_x.cache").write_bytes(b"compiled by other code")
    first.keep_validated({"content/a.yml": ("digest", b"model", False, None)}, {})
    same = Store(out, "ma-cu")
    assert same.validated() == {"content/a.yml": ("digest", b"model", False, None)}
    other = Store(out, "ma-moi")
    assert other.validated() == {}  # not trusted before the build's lock is taken, and not read
    other.make_ready()
    assert not (other.compiled_templates() / "__jinja2_x.cache").exists()
    assert Store(out, "ma-moi").validated() == {} and Store(out, "ma-cu").validated() == {}
    assert Store(out, "ma-cu", reuse=False).validated() == {}  # a build from nothing reads nothing


@pytest.mark.parametrize("index", [True, False])
def test_a_build_keeps_what_it_validated_of_each_file_by_its_bytes(tmp_path, index):
    """What a build validated of each content file is kept for the next, by the file's bytes, so that a rebuild
    reads and checks again only the files that changed (docs/incremental.md): with the search index (kept while
    Pagefind runs) and without. An edited file's entry is the edited bytes'."""
    import hashlib

    from generator.incremental.store import Store, code_fingerprint

    folder, out = _portal(tmp_path), tmp_path / "site"
    content = folder / "content"

    def kept() -> dict:
        code = code_fingerprint(folder / "site_config.yml", content, for_index=index)
        return {name: entry[0] for name, entry in Store(out, code).validated().items()}

    _build(folder, out, index=index)
    files = {f"content/{p.relative_to(content).as_posix()}": p.read_bytes() for p in content.rglob("*.yml")}
    assert len(files) > 10 and kept() == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    _edit_target(content)
    _build(folder, out, index=index)
    edited = (content / f"{DUC_THO}.yml").read_bytes()
    assert kept()[f"content/{DUC_THO}.yml"] == hashlib.sha256(edited).hexdigest()


@pytest.mark.parametrize("damage", ["cut short", "emptied", "garbage"])
def test_a_cache_file_cut_short_or_unreadable_is_taken_as_absent(tmp_path, damage):
    """A full disk left a cache file half-written, and the build failed reading it back («Expecting value: line 1
    column 1»): any cache or state file that cannot be read whole is as if absent, what it held made again."""
    from tests.helpers import copy_fixture

    folder = copy_fixture("basic", tmp_path)
    out = folder / "site"
    _build(folder, out)
    _build(folder, out)  # nothing changed: waits for what the first build left writing in the background
    published = out.resolve().parent  # the sites (the one published, the one before)
    damaged = 0
    import os

    beside = [
        Path(root) / name for root, _dirs, files in os.walk(folder) for name in files
    ]  # (os.walk: a folder may go)
    for path in beside:  # every file beside the site, the content and its configuration
        if (
            not path.is_file()
            or path.is_symlink()
            or path.name.endswith(".lock")
            or path == folder / "site_config.yml"
            or path.is_relative_to(folder / "content")
            or path.is_relative_to(published)
        ):
            continue
        try:
            data = path.read_bytes()
            path.write_bytes(
                {"cut short": data[: len(data) // 2], "emptied": b"", "garbage": b"\x80{[\x00" * 7}[damage]
            )
        except FileNotFoundError:  # a replaced site's, being deleted in the background
            continue
        damaged += 1
    assert damaged  # what the builds keep between them: state, digests, load cache, kept shares and fragments...
    _replace(folder / "content/tinh-mau/huyen-mau/2023-ke-hoach.yml", "Trần Văn Ký", "Trần Văn Kỳ")
    again = _build(folder, out)
    fresh = _build(folder, tmp_path / "fresh", reuse=False)
    assert again.laid_out == again.pages  # nothing trusted from before
    assert tree_digest(out) == tree_digest(fresh.out)


def _repository_copy(tmp_path: Path) -> Path:
    """The generator's code, templates and pinned requirements, with the small fixture's content, in a folder
    of their own: code that can be changed, as a developer changes it."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "generator", repo / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", repo / "templates")
    shutil.copyfile(ROOT / "requirements.txt", repo / "requirements.txt")
    shutil.copytree(ROOT / "tests/fixtures/basic/content", repo / "content")
    shutil.copyfile(ROOT / "tests/fixtures/basic/site_config.yml", repo / "site_config.yml")
    return repo


def _command(repo: Path, *args: str):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CONGKHAI_FAULT")}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, env=env, capture_output=True, text=True)


# Appended to the copy's privacy.py: a signer's name becomes personal data the build refuses.
_TIGHTER = """

_possible_before, _findings_before = possible, findings


def possible(text, *args, **kwargs):
    return "Trần Văn Ký" in text or _possible_before(text, *args, **kwargs)


def findings(text, *args, **kwargs):
    yield from _findings_before(text, *args, **kwargs)
    if "Trần Văn Ký" in text:
        yield text.index("Trần Văn Ký"), "họ tên người ký (quy tắc mới)", "Trần Văn Ký"
"""


def test_a_rule_tightened_in_any_module_applies_to_what_the_caches_kept(tmp_path):
    """The load cache's version hashed a hand-kept list of modules that left out privacy.py: after a privacy
    rule was tightened, `make site` published a plan that `make check` and `make site FRESH=1` refused."""
    import os

    repo = _repository_copy(tmp_path)
    first = _command(repo, "build", "--out", "site")
    assert first.returncode == 0, first.stderr
    published, before = (
        os.readlink(repo / "site"),
        tree_digest(repo / "site"),
    )  # the plan kept, checked, in the load cache

    with open(repo / "generator/content/privacy.py", "a", encoding="utf-8") as f:
        f.write(_TIGHTER)
    refused = "họ tên người ký (quy tắc mới)"
    for args in (["check"], ["build", "--out", "site", "--fresh"], ["build", "--out", "site"]):
        result = _command(repo, *args)
        assert result.returncode == 1 and refused in result.stderr, (args, result.stdout, result.stderr)
        assert "content/tinh-mau/huyen-mau/2023-ke-hoach.yml" in result.stderr
    assert os.readlink(repo / "site") == published and tree_digest(repo / "site") == before
