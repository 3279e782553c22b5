"""Markdown with YAML front matter: the front matter gives metadata, headings the sections.

python-frontmatter splits off the metadata; markdown-it-py (CommonMark) parses the body,
so headings inside code blocks or lists are not mistaken for sections.
"""

import frontmatter
import yaml
from markdown_it import MarkdownIt

from agora.content.extraction.base import Extracted, ExtractionError, Outline
from agora.content.extraction.text import decode

METADATA_KEYS = ("title", "source_url", "publisher", "topic", "licence", "kind", "summary")
_BLOCK_ENDS = {"paragraph_close", "bullet_list_close", "ordered_list_close", "table_close",
               "blockquote_close", "fence", "code_block"}


def extract_markdown(data: bytes) -> Extracted:
    try:
        post = frontmatter.loads(decode(data))
    except yaml.YAMLError as error:
        raise ExtractionError(f"Its front matter is not valid YAML ({error}).") from None
    metadata = {}
    for key in METADATA_KEYS:
        value = post.metadata.get(key)
        if value in (None, "", []):
            continue
        if key == "topic":
            value = [str(item) for item in value] if isinstance(value, list) else [str(value)]
        else:
            value = str(value)
        metadata[key] = value
    outline = Outline()
    tokens = MarkdownIt("commonmark").enable("table").parse(post.content)
    buffer: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            outline.add(" ".join(buffer))
            buffer = []
            outline.heading(int(token.tag[1]), tokens[index + 1].content)
        elif (token.type == "inline" and tokens[index - 1].type != "heading_open") or (
            token.type in ("fence", "code_block")
        ):
            buffer.append(token.content)
        if token.level == 0 and token.type in _BLOCK_ENDS:
            outline.add("\n".join(buffer))
            buffer = []
    outline.add("\n".join(buffer))
    return outline.finish(
        "text/markdown", title=metadata.get("title", ""), metadata=metadata
    )
