"""The pieces every HTML page of the package shares: a figure embedded as base64 PNG in its coloured frame (PNG
and SVG written beside the page), and the page written under a temporary name and renamed, so that a page with
its final name is complete."""

from __future__ import annotations

import base64
import html
import os

from .figures import save


def figure_html(fig, out_dir, name, number, caption_html, colour, after=""):
    """Saves ``fig`` as OUT_DIR/NAME.png and .svg; returns its <figure> element (frame colour, caption, links, then
    ``after``, HTML that ends the caption)."""
    png, svg = save(fig, os.path.join(out_dir, name))
    with open(png, "rb") as f:
        data = base64.b64encode(f.read()).decode("ascii")
    n = html.escape(name)
    return (f'<figure class="fig" id="fig-{n}" data-frame="{colour}" style="border-color: {colour}">'
            f'<img alt="{n}" src="data:image/png;base64,{data}">'
            f"<figcaption><b>Figure {number}.</b> {caption_html} Files: "
            f'<a href="{html.escape(os.path.basename(png))}">PNG</a>, '
            f'<a href="{html.escape(os.path.basename(svg))}">SVG</a>.{after}</figcaption></figure>')


def write_page(out_dir, title, css, body):
    """OUT_DIR/index.html from the body's HTML parts; returns its path."""
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")
    index = os.path.join(out_dir, "index.html")
    with open(index + ".tmp", "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(index + ".tmp", index)
    return index
