"""Input and output schemas of the answers API."""

from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from agora.answers.selectors import MAX_QUESTION_CHARS
from agora.content.schemas import SearchHit
from agora.core.schemas import InputSchema


class AnswerIn(InputSchema):
    question: str = Field(
        min_length=1, max_length=MAX_QUESTION_CHARS,
        # At least one character that is not a space, and no NUL.
        pattern=r"^[^\u0000]*[^\s\u0000][^\u0000]*$",
        description="The question in the resident's own words: lower case, no punctuation "
        "and misspellings are fine.")


class CitationOut(Schema):
    document_id: UUID = Field(description="The cited document's public id.")
    title: str
    section: str = Field(description="The heading path of the cited section; empty for "
                                     "the document's opening.")
    url: str = Field(description="The section in Agora (the document's page, anchored).")
    source_url: str = Field(description="The original page, when the document declared one.")
    quote: str = Field(description="The exact text of the passage that states the answer, "
                                   "as it appears in the section.")


class HandoverOut(Schema):
    url: str = Field(description="The page where a signed-in resident sends the question to "
                                 "a person.")
    topic: str = Field(description="Slug of the topic the question seems to be about, or empty.")
    organisation: str = Field(description="Slug of the organisation that would receive it, or "
                                          "empty when no topic was recognised.")


class AnswerOut(Schema):
    status: Literal["answered", "abstained", "personal"] = Field(description=(
        "`answered`: the answer states the fact, from the cited section. `abstained`: the "
        "published guidance does not answer it with enough confidence; see `related` and "
        "`handover`. `personal`: it is about the asker's own requests or records, which "
        "guidance never answers (sign in on the site to see them)."))
    answer: str
    citations: list[CitationOut]
    confidence: float = Field(ge=0, le=1, description=(
        "Calibrated: about this share of answers given at this confidence were right on "
        "the project's question set. Agora answers only at 0.75 or more."))
    related: list[SearchHit] = Field(description="The closest pages, as the search gives them.")
    handover: HandoverOut | None = Field(description="For an abstained question: how to ask "
                                                     "a person. Otherwise null.")
