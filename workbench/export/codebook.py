"""A code tree written back as our text format or as CSV."""

from __future__ import annotations

import csv
import io
import textwrap

from workbench.domain.codetree import Codebook, CodeSpec


def _node_lines(spec: CodeSpec, depth: int) -> list[str]:
    pad = "  " * depth
    marker = "-" if spec.codable else "*"
    number = f"{spec.number} " if spec.number is not None else ""
    lines = [f"{pad}{marker} {number}{spec.name}"]
    if spec.colour:
        lines.append(f"{pad}  colour: {spec.colour}")
    if spec.definition:
        wrapped = textwrap.wrap(
            spec.definition,
            width=78,
            initial_indent=f"{pad}  definition: ",
            subsequent_indent=f"{pad}    ",
            break_on_hyphens=False,
        )
        lines.extend(wrapped)
    for child in spec.children:
        lines.append("")
        lines.extend(_node_lines(child, depth + 1))
    return lines


def codebook_text(book: Codebook) -> str:
    lines = ["# workbench codebook (format: schema/codebook-format.md)"]
    if book.title:
        lines.append(f"codebook: {book.title}")
    lines.append(f"tree: {book.tree}")
    for root in book.roots:
        lines.append("")
        lines.extend(_node_lines(root, 0))
    return "\n".join(lines) + "\n"


def codebook_csv(book: Codebook) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nr", "code", "parent", "definition", "colour", "codable"])

    def visit(spec: CodeSpec, parent: str) -> None:
        writer.writerow(
            [
                "" if spec.number is None else spec.number,
                spec.name,
                parent,
                spec.definition,
                spec.colour or "",
                "yes" if spec.codable else "no",
            ]
        )
        for child in spec.children:
            visit(child, spec.name)

    for root in book.roots:
        visit(root, "")
    return out.getvalue()
