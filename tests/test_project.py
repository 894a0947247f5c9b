"""Project files: atomic saves, and clear messages for bad files that leave nothing broken."""

import os

import pytest

from tflab.fileio import FileWriteError
from tflab.graph import ModelGraph
from tflab.project import Project, ProjectError, dumps, load_project, save_project


def seed_project() -> Project:
    graph = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"})],
                                  name="模型 \"one\"")
    return Project(graph, training={"epochs": 3}, meta={"view": "stack"})


def test_save_then_load_gives_the_same_project(tmp_path):
    path = tmp_path / "m.tflab"
    project = seed_project()
    save_project(project, path)
    again = load_project(path)
    assert again.graph == project.graph
    assert again.training == {"epochs": 3} and again.meta == {"view": "stack"}
    assert "模型" in path.read_text(encoding="utf-8")  # readable UTF-8, not escapes
    assert [p.name for p in tmp_path.iterdir()] == ["m.tflab"]  # no temporary left behind


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        (b'{"format": "something"}', "not a tflab project"),
        (b'{"format": "tflab-project", "version": 7, "graph": {}}', "newer tflab"),
        (b'{"format": "tflab-project", "version": 1, "graph": {"format": "tflab-graph", "version": 1, '
         b'"inputs": [], "layers": [{"name": "x", "class_name": "Nope"}], "calls": [], "outputs": []}}',
         "unknown layer class"),
    ],
)
def test_bad_files_give_a_clear_message(tmp_path, content, words):
    path = tmp_path / "bad.tflab"
    path.write_bytes(content)
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert words in info.value.en
    assert info.value.zh != info.value.en
    assert path.read_bytes() == content  # loading never touches the file


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="no file"):
        load_project(tmp_path / "nope.tflab")
    with pytest.raises(ProjectError, match="folder"):
        load_project(tmp_path)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.tflab"
    save_project(seed_project(), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    other = Project(ModelGraph.sequential((3,), [("Dense", {"units": 1})]))
    with pytest.raises(FileWriteError, match="No space left"):
        save_project(other, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.tflab"]


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileWriteError, match="Cannot write"):
        save_project(seed_project(), tmp_path / "no" / "such" / "m.tflab")


def test_a_saved_project_is_readable_by_others_like_any_new_file(tmp_path):
    path = tmp_path / "m.tflab"
    umask = os.umask(0o022)
    try:
        save_project(seed_project(), path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)  # a user's own choice survives the next save
    save_project(seed_project(), path)
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("damage, words", [
    (lambda text: text.replace('"units": 3', '"units": ' + "9" * 5000), "too many digits"),
    (lambda text: text[:-2] + ', "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "nested too deeply"),
])
def test_numbers_and_nesting_past_what_can_be_read_are_clear_errors(tmp_path, damage, words):
    path = tmp_path / "odd.tflab"
    save_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": 3})])), path)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ProjectError, match=words):
        load_project(path)


def test_a_project_saved_with_a_byte_order_mark_opens(tmp_path):
    path = tmp_path / "bom.tflab"
    project = Project(ModelGraph.sequential((4,), [("Dense", {"units": 3})]))
    path.write_bytes(b"\xef\xbb\xbf" + dumps(project).encode("utf-8"))
    assert load_project(path).graph.to_json() == project.graph.to_json()


def test_saving_through_a_link_keeps_the_link(tmp_path):
    real = tmp_path / "projects" / "real.tflab"
    real.parent.mkdir()
    save_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": 3})])), real)
    link = tmp_path / "shortcut.tflab"
    link.symlink_to(real)
    save_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": 5})])), link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert load_project(real).graph.layers["dense"].config == {"units": 5}


def test_a_save_cleans_what_killed_saves_left(tmp_path):
    import os
    import time

    from tflab import fileio

    path = tmp_path / "work.tflab"
    old = [tmp_path / f".work.tflab.abc{i}.tmp" for i in range(11)]
    for leftover in old:
        leftover.write_bytes(b"x" * 1000)
        stale = time.time() - fileio.STALE_TEMP_S - 60
        os.utime(leftover, (stale, stale))
    fresh = tmp_path / ".work.tflab.now.tmp"  # a save running at this moment elsewhere
    fresh.write_bytes(b"y")
    other = tmp_path / ".other.tflab.abc.tmp"
    other.write_bytes(b"z")
    os.utime(other, (0, 0))
    save_project(Project(ModelGraph.sequential((4,), [("Dense", {"units": 3})])), path)
    assert not any(p.exists() for p in old)
    assert fresh.exists() and other.exists()
