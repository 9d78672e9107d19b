"""The finished print PDF: one tagged link per contents entry, named by its chapter, and pages
that print at their own size."""

from __future__ import annotations

import pikepdf
import pytest

pytestmark = pytest.mark.slow


def test_one_tagged_link_per_contents_entry_with_readable_text(default_pdf):
    with pikepdf.open(default_pdf) as pdf:
        assert pdf.Root.ViewerPreferences.PrintScaling == "/None"
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        contents = pdf.pages[2].obj  # the contents page
        links = [a for a in contents.Annots if a.Subtype == "/Link"]
        targets = [str(a.Dest) for a in links]
        assert len(targets) == len(set(targets)) > 10, "one annotation per entry"
        assert str(links[0].Contents) == "How to use this workbook"
        for link in links:
            assert str(link.Contents) != str(link.Dest)
            owner = owners[int(link.StructParent)]
            assert owner.S == "/Link"
            kids = [k for k in owner.K if isinstance(k, pikepdf.Dictionary)]
            objects = [k.Obj.objgen for k in kids if "/Obj" in k]
            assert objects == [link.objgen]


def bookmark_pages(path) -> list[tuple[str, int]]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        found = []
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            found.append((item.title, pages[item.destination[0].objgen]))
            stack[:0] = list(item.children)
        return found


def test_print_and_fillable_number_their_pages_alike(default_pdf, default_fillable):
    """ "Turn to page 23" means one place in both editions of one paper size."""
    assert bookmark_pages(default_pdf) == bookmark_pages(default_fillable)
    with pikepdf.open(default_pdf) as printed, pikepdf.open(default_fillable) as form:
        assert len(printed.pages) == len(form.pages)
