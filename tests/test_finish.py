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
