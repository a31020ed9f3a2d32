"""Sources a reader can open: the repository cites public pages by title and document id, never a path
outside itself (a user's clone holds nothing else to open), and every document id it names is one of
modelarts_vj.rules.requirements.PAGES, under that page's title."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from modelarts_vj.rules.requirements import PAGES

ROOT = Path(__file__).resolve().parent.parent
# Written in two pieces so that this file does not match itself.
OUTSIDE_PATH = re.compile(r"\bshared" + "/")
DOC_ID = re.compile(r"\bmodelarts_03_\d{4}\b")
# `"Title" (doc_id`, `("Title", doc_id` or `"Title", doc_id`, a title possibly wrapped over lines.
TITLED_DOC_ID = re.compile(r'"([^"]+)",?\s+\(?(modelarts_03_\d{4})\b')


def repository_texts() -> dict[str, str]:
    """Every file of the repository a clone would have (tracked, or new and not ignored) that is text."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    texts = {}
    for name in filter(None, listed):
        try:
            texts[name] = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary, deleted in the working tree, or a link to a folder (src/modelarts_vj's parts)
    return texts


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    texts = repository_texts()
    assert "spec/openapi.yaml" in texts and "README.md" in texts, "the file listing is empty or wrong"
    return texts


def test_nothing_cites_a_path_outside_the_repository(texts):
    offenders = [f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {text[match.start():match.end() + 30]!r}"
                 for name, text in texts.items() for match in OUTSIDE_PATH.finditer(text)]
    assert not offenders, "cite the public page by title and document id instead:\n" + "\n".join(offenders)


def test_every_document_id_cited_is_a_known_page_under_its_title(texts):
    titles = {page.doc_id: page.title for page in PAGES.values()}
    unknown, mistitled, checked = [], [], 0
    for name, text in texts.items():
        unknown += [f"{name}: {doc_id}" for doc_id in DOC_ID.findall(text) if doc_id not in titles]
        for title, doc_id in TITLED_DOC_ID.findall(text):
            checked += 1
            if doc_id in titles and re.sub(r"\s+", " ", title) != titles[doc_id]:
                mistitled.append(f"{name}: {title!r} for {doc_id} ({titles[doc_id]!r})")
    assert not unknown, unknown
    assert not mistitled, mistitled
    assert checked >= len(PAGES) - 1, "the spec names the family's pages by title: the pattern finds too few"


def test_the_spec_names_its_ground_truth_by_title_and_document_id():
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    create = PAGES["create"]
    assert spec["info"]["x-seed-page"] == f"{create.title} ({create.doc_id})"
    for page in PAGES.values():
        if page.doc_id != PAGES["project_id"].doc_id:  # the spec needs no page on where to find a project id
            assert page.doc_id in spec["info"]["description"], page
