"""The rows a batch writes, for documents and for paragraphs, in one place.

A batch writes one row per document, or with --paragraphs one per paragraph.
RowSchema is the only code that knows which: the fields and their order, the
rows of a labelled document, the row of a document that failed, the CSV header
and cells, and what each row adds to the summary. Formats
(framing.batch.formats) turn its records into text.

Fields, in order: `id`; the corpus's extra columns (`extra`, e.g. metadata from a
table corpus); what reading a document tells about it (`document_fields`: the
title and date of a web page or of Markdown front matter); `paragraph` and `text`
(paragraph rows); one field per label column (an object with label, confidence
and scores); `paragraphs` (document rows); `warning`; `error` (why the document
could not be scored).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class RowSchema:
    heads: tuple[tuple[str, tuple[str, ...]], ...]
    paragraphs: bool = False
    extra: tuple[str, ...] = ()
    document_fields: tuple[str, ...] = ()

    @classmethod
    def for_model(
        cls,
        model,
        *,
        paragraphs: bool = False,
        extra: Iterable[str] = (),
        document_fields: Iterable[str] = (),
    ) -> "RowSchema":
        heads = tuple((column, tuple(model.classes(column))) for column in model.heads)
        return cls(
            heads=heads,
            paragraphs=paragraphs,
            extra=tuple(extra),
            document_fields=tuple(document_fields),
        )

    @property
    def columns(self) -> list[str]:
        return [column for column, _labels in self.heads]

    @property
    def metadata(self) -> tuple[str, ...]:
        """The fields between the id and the labels: extra, then document fields."""
        return self.extra + self.document_fields

    def reserved(self) -> set[str]:
        """The names of the fields framing itself writes (metadata must not take
        them)."""
        names = {"id", "paragraph", "text", "paragraphs", "warning", "error"}
        for column, labels in self.heads:
            names |= {column, f"{column}_confidence"}
            names |= {f"{column}_{label}" for label in labels}
        return names

    def _start(self, doc_id: str, fields: tuple) -> dict:
        """`fields` holds the values of `extra`, then of `document_fields` (those
        not given are None)."""
        record: dict = {"id": doc_id}
        names = self.metadata
        if names:
            values = tuple(fields)[: len(names)]
            record.update(zip(names, values + (None,) * (len(names) - len(values))))
        return record

    def rows(
        self,
        doc_id: str,
        document: dict,
        warning: str | None,
        *,
        fields: tuple = (),
        first: int = 0,
    ) -> list[dict]:
        """The rows of a document labelled by framing.labelling.label_documents.
        With paragraph rows, `document` may hold a slice of a long document's
        paragraphs that starts at paragraph number `first`."""
        columns = self.columns
        if self.paragraphs:
            rows = []
            for paragraph in document["paragraphs"]:
                record = self._start(doc_id, fields)
                record["paragraph"] = paragraph["index"] + first
                record["text"] = paragraph["text"]
                for column in columns:
                    record[column] = paragraph[column]
                record["warning"] = warning
                record["error"] = None
                rows.append(record)
            return rows
        record = self._start(doc_id, fields)
        for column in columns:
            record[column] = document[column]
        record["paragraphs"] = document.get("paragraph_count") or len(
            document["paragraphs"]
        )
        record["warning"] = warning
        record["error"] = None
        return [record]

    def error_row(self, doc_id: str, error: str, *, fields: tuple = ()) -> dict:
        """The row of a document that could not be scored: the same fields, in the
        same order, as a scored one, with the labels empty."""
        record = self._start(doc_id, fields)
        if self.paragraphs:
            record["paragraph"] = None
            record["text"] = None
        for column in self.columns:
            record[column] = None
        if not self.paragraphs:
            record["paragraphs"] = 0
        record["warning"] = None
        record["error"] = error
        return record

    def paragraphs_in(self, records: list[dict]) -> int:
        """How many paragraphs a document's rows stand for."""
        if self.paragraphs:
            return len(records)
        return sum(record["paragraphs"] for record in records)

    def csv_header(self) -> list[str]:
        header = ["id", *self.metadata]
        if self.paragraphs:
            header += ["paragraph", "text"]
        for column, labels in self.heads:
            header += [column, f"{column}_confidence"]
            header += [f"{column}_{label}" for label in labels]
        if not self.paragraphs:
            header.append("paragraphs")
        return header + ["warning", "error"]

    def csv_cells(self, record: dict) -> list:
        cells = [record["id"]] + [record[name] for name in self.metadata]
        if self.paragraphs:
            cells += [record["paragraph"], record["text"]]
        for column, labels in self.heads:
            result = record[column]
            if result:
                cells += [result["label"], result["confidence"]]
                cells += [result["scores"][label] for label in labels]
            else:
                cells += [""] * (2 + len(labels))
        if not self.paragraphs:
            cells.append(record["paragraphs"])
        return cells + [record["warning"] or "", record["error"] or ""]


class TallySummary(TypedDict):
    """What a run's rows add up to (Tally.summary)."""

    documents: int
    failed: int
    paragraphs: int
    counts: dict[str, dict[str, int]]


class RunSummary(TallySummary, total=False):
    """What a scoring run returns: the tally, and what the run adds to it."""

    resumed: int  # documents kept from the interrupted run
    total: int | None  # documents found before the run (None: not counted)
    skipped: dict[str, int]  # files left out of a folder, by extension
    unit: str  # what a document is: "files" (the default) or "records"
    warnings: list[str]  # about the input as a whole (a table's encoding)
    sheets: int  # .xlsx: how many sheets the rows fill
    truncated: int  # .xlsx: cells cut to Excel's limit


@dataclass
class Tally:
    """What a run's rows add up to: documents, failed documents, paragraphs, and
    how often each label was given (per row: per document or per paragraph)."""

    documents: int = 0
    failed: int = 0
    paragraphs: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def for_schema(cls, schema: RowSchema) -> "Tally":
        return cls(counts={column: {} for column in schema.columns})

    @classmethod
    def from_summary(cls, summary: TallySummary) -> "Tally":
        return cls(
            documents=summary["documents"],
            failed=summary["failed"],
            paragraphs=summary["paragraphs"],
            counts={c: dict(counts) for c, counts in summary["counts"].items()},
        )

    def add_failed(self) -> None:
        self.documents += 1
        self.failed += 1

    def add_rows(
        self, records: list[dict], paragraphs: int, *, new_document: bool = True
    ) -> None:
        """Count a labelled document's rows and paragraphs (new_document=False for
        the paragraph rows of a long document after its first slice)."""
        if new_document:
            self.documents += 1
        self.paragraphs += paragraphs
        for column, counts in self.counts.items():
            for record in records:
                label = record[column]["label"]
                counts[label] = counts.get(label, 0) + 1

    def merge(self, other: "Tally") -> None:
        self.documents += other.documents
        self.failed += other.failed
        self.paragraphs += other.paragraphs
        for column, counts in other.counts.items():
            mine = self.counts.setdefault(column, {})
            for label, count in counts.items():
                mine[label] = mine.get(label, 0) + count

    def summary(self) -> TallySummary:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "paragraphs": self.paragraphs,
            "counts": self.counts,
        }
