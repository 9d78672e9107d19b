"""A paged edition cut into pieces laid out apart (render/pieces.py)."""

from __future__ import annotations

from workbook.render.pieces import split_document

SHELL = "<html><head><title>t</title></head><body>{}</body></html>"


def test_each_section_is_a_piece_of_its_own():
    html = SHELL.format('<section id="a"><p>A</p></section>\n<section id="b"><p>B</p></section>')
    pieces = split_document(html)
    assert pieces is not None
    assert [body.strip() for body in pieces.bodies] == [
        '<section id="a"><p>A</p></section>',
        '<section id="b"><p>B</p></section>',
    ]
    assert pieces.document(0, 1) == html


def test_a_lead_in_stays_with_the_section_it_introduces():
    """`.handout-client + .worksheet` keeps a client's name on the first worksheet's page: the
    two must be laid out together for the rule to match."""
    body = '<p class="handout-client">For Sam</p>\n<section class="worksheet">W</section>'
    pieces = split_document(SHELL.format(body + '<section id="c">C</section>'))
    assert pieces is not None
    assert len(pieces.bodies) == 2
    assert pieces.bodies[0].startswith('<p class="handout-client">')
    assert '<section class="worksheet">' in pieces.bodies[0]


def test_a_body_that_cannot_be_cut_cleanly_is_left_whole():
    assert split_document(SHELL.format("stray text <section>A</section>")) is None
    assert split_document(SHELL.format("<section><p>A</section>")) is None
