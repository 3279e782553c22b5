"""HTML: the main content only; navigation, headers, footers, forms and scripts are dropped.

selectolax (the lexbor engine) parses real-world HTML as browsers do. The main content is
`<main>`, else `[role=main]`, else `<article>`, else the body without its chrome.
"""

from selectolax.lexbor import LexborHTMLParser

from agora.content.extraction.base import Extracted, Outline
from agora.content.extraction.text import decode

CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
          "form", "iframe", "svg", "[role=navigation]", "[role=banner]",
          "[role=contentinfo]", "[aria-hidden=true]", ".govuk-skip-link", ".skip-link",
          ".breadcrumbs", ".govuk-breadcrumbs", ".cookie-banner")
BLOCKS = {"p", "li", "td", "th", "pre", "blockquote", "dd", "dt", "figcaption", "caption",
          "address"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _walk(node, outline: Outline) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag in HEADINGS:
            outline.heading(HEADINGS[tag], child.text(deep=True, separator=" "))
        elif tag in BLOCKS:
            outline.add(" ".join(child.text(deep=True, separator=" ").split()))
        elif tag == "-text":
            text = " ".join((child.text_content or "").split())
            if text:
                outline.add(text)
        else:
            _walk(child, outline)
        child = child.next


def extract_html(data: bytes) -> Extracted:
    tree = LexborHTMLParser(decode(data))
    metadata = {}
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and (canonical.attributes.get("href") or "").startswith("http"):
        metadata["source_url"] = canonical.attributes["href"]
    title_node = tree.css_first("title")
    page_title = " ".join(title_node.text().split()) if title_node is not None else ""
    main = (tree.css_first("main") or tree.css_first("[role=main]")
            or tree.css_first("article") or tree.body)
    outline = Outline()
    if main is not None:
        for selector in CHROME:
            for node in main.css(selector):
                if node is not main:
                    node.decompose()
        _walk(main, outline)
    return outline.finish("text/html", title=outline.title or page_title, metadata=metadata)
