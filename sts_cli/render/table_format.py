"""`--format table`: per StatefulSet, tables a person reads at a glance: pods, PVCs, order, DNS.

Each set is a list of blocks: lines of text and tables. The text lines go through rich (they
wrap at the terminal width, and take their style with colour), and a table is laid out by
`_PlainTable`: rich draws a small stand-in table whose columns have the same widest cells (the
column widths depend on nothing else), which gives the title, borders and header, with their
colour codes when colour is on; the body rows, which rich draws unstyled with colour or without,
are then written directly, a cell that is not a short line of printable ASCII being laid out by
rich itself. The result is what rich prints for the whole table, in a fraction of the time for
thousands of rows.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sts_cli import ordering
from sts_cli.render.templates import batched

if TYPE_CHECKING:
    from rich.console import Console

    from sts_cli.render import FormatContext
    from sts_cli.render.plan import ClaimPlan, RenderResult, SetPlan

Rows = Callable[[], Iterable[tuple[str, ...]]]  # called once per pass over the rows


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    style: str | None = None  # None: printed as a plain string


@dataclass(frozen=True, slots=True)
class _Table:
    title: str
    columns: tuple[str, ...]
    rows: Rows
    show_header: bool = True
    overflow: tuple[str, ...] = ()  # per column; "fold" when not given


Block = _Text | _Table


def _owners(refs: tuple[ordering.OwnerRef, ...]) -> str:
    return ", ".join(f"{r.kind}/{r.name}" for r in refs) or "none"


def _arrow(waves: list[list[str]]) -> str:
    if not waves:
        return "(none)"
    return " → ".join(" + ".join(wave) if len(wave) > 1 else wave[0] for wave in waves)


def _header(plan: SetPlan) -> str:
    view = plan.view
    location = view.obj.location()
    ordinals = ordering.ordinals(view)
    span = f"ordinals {ordinals[0]}..{ordinals[-1]}" if ordinals else "no ordinals"
    return (f"StatefulSet {plan.namespace}/{plan.name}  ({location.file}:{location.line})\n"
            f"{plan.replicas} replica{'s' if plan.replicas != 1 else ''}, {span}, {view.pod_management_policy}, "
            f"{view.update_strategy}, PVC retention whenDeleted={view.when_deleted} whenScaled={view.when_scaled}")


def _service_text(plan: SetPlan) -> str:
    status = plan.service
    if status.per_pod_records:
        extra = ", publishNotReadyAddresses" if status.publish_not_ready else ""
        return f"Service {status.namespace}/{status.name}: headless{extra}; per-pod DNS records"
    return f"No per-pod DNS records: {status.reason}"


def _pod_rows(plan: SetPlan) -> Rows:
    selected = set(plan.service.selected_pods) if plan.service.per_pod_records else set()

    def rows() -> Iterator[tuple[str, ...]]:
        for pod in plan.pods:
            volumes = "\n".join(f"{v.name} → {v.claim}" for v in pod.claim_volumes) or "-"
            fqdn = pod.fqdn or "- (no serviceName)"
            if pod.fqdn and pod.name not in selected:
                fqdn += " (no DNS record)"
            yield str(pod.ordinal), pod.name, fqdn, volumes
    return rows


def _claim_rows(plan: SetPlan) -> Rows:
    def rows() -> Iterator[tuple[str, ...]]:
        for claim in itertools.chain(plan.claims, plan.retained_claims):
            owner_pod = claim.pod + (" (gone)" if claim.retained else "")
            yield (claim.name, owner_pod, claim.storage or "?", ",".join(claim.access_modes) or "?",
                   claim.storage_class if claim.storage_class is not None else "(default)",
                   claim.volume_mode, _owners(claim.owners),
                   "deleted" if claim.fate.deleted_on_scale_down else "retained",
                   "deleted" if claim.fate.deleted_with_set else "retained")
    return rows


def _order_rows(plan: SetPlan) -> list[tuple[str, ...]]:
    update = plan.update
    rows: list[tuple[str, ...]] = []
    one = "all at once" if plan.view.pod_management_policy == ordering.PARALLEL else "one at a time, each Ready first"
    rows.append(("Creation", f"{_arrow(plan.creation)}  ({one})"))
    rows.append(("Scale-down", f"{_arrow(plan.scale_down)}  ("
                 + ("all at once" if plan.view.pod_management_policy == ordering.PARALLEL
                    else "highest first, one at a time") + ")"))
    if update.on_delete:
        rows.append(("Update (OnDelete)", "none: a pod takes the new template only when it is deleted"))
    else:
        label = f"Rolling update (partition {update.partition}"
        label += f", maxUnavailable {update.max_unavailable})" if update.max_unavailable_honoured else ")"
        rows.append((label, _arrow(update.waves)))
        if update.kept:
            rows.append(("Kept at old revision", ", ".join(update.kept)))
    scale = plan.scale
    if scale is not None:
        if scale.unchanged:
            rows.append((f"Scale {scale.from_replicas} → {scale.to_replicas}", "no change"))
        else:
            if scale.pods_added:
                rows.append((f"Scale {scale.from_replicas} → {scale.to_replicas}: add", _arrow(scale.add_waves)))
                if scale.claims_added:
                    rows.append(("  new PVCs (unless retained ones exist)", ", ".join(scale.claims_added)))
            if scale.pods_removed:
                rows.append((f"Scale {scale.from_replicas} → {scale.to_replicas}: remove",
                             _arrow(scale.remove_waves)))
                if scale.claims_retained:
                    rows.append(("  PVCs retained", ", ".join(scale.claims_retained)))
                if scale.claims_deleted:
                    rows.append(("  PVCs deleted", ", ".join(scale.claims_deleted)))
    return rows


def _first_claims(plan: SetPlan) -> Iterator[ClaimPlan]:
    """A PVC of each claim template (its labels stand for all of that template's PVCs)."""
    seen: set[str] = set()
    for claim in itertools.chain(plan.claims, plan.retained_claims):
        if claim.template in seen:
            return  # PVCs come ordinal by ordinal, each with every claim template
        seen.add(claim.template)
        yield claim


def _blocks(plan: SetPlan, color: bool) -> Iterator[Block]:
    yield _Text(_header(plan), "bold" if color else "")
    yield _Text(_service_text(plan), ("green" if plan.service.per_pod_records else "yellow") if color else "")
    template = ", ".join(f"{k}={v}" for k, v in plan.view.template_labels.items())
    yield _Text(f"Pod labels: {template + ' (template), ' if template else ''}"
                f"{ordering.POD_NAME_LABEL}=<pod>, {ordering.POD_INDEX_LABEL}=<ordinal>, "
                f"{ordering.REVISION_LABEL}=<assigned at run time>")
    if plan.pods:
        yield _Table("Pods", ("Ordinal", "Pod / hostname", "FQDN", "Volumes → PVCs"), _pod_rows(plan))
    else:
        yield _Text("Pods: none (0 replicas)")

    if plan.claims or plan.retained_claims:
        labels_by_template = {claim.template: ", ".join(f"{k}={v}" for k, v in claim.labels.items())
                              for claim in _first_claims(plan)}
        yield _Text("PVC labels: " + "; ".join(f"{name}: {labels or 'none'}"
                                               for name, labels in labels_by_template.items()))
        yield _Table("PersistentVolumeClaims", ("PVC", "Pod", "Size", "Access modes", "Class", "Volume mode",
                                                "Owner", "Scale-down", "Set deleted"), _claim_rows(plan))

    order = _order_rows(plan)
    yield _Table("Order", ("what", "pods"), lambda: order, show_header=False, overflow=("ellipsis", "fold"))
    for note in plan.update.notes:
        yield _Text(f"  update: {note}")

    if plan.records:
        yield _Table("DNS", ("Name", "Type", "Value"),
                     lambda: ((record.name, record.type, record.value) for record in plan.records))
    for note in plan.dns_notes:
        yield _Text(f"  dns: {note}")
    for note in plan.notes:
        yield _Text(f"  note: {note}")


# --- rich, and the plain writer ------------------------------------------------------------------

def _rich_table(spec: _Table) -> object:
    from rich import box
    from rich.table import Table

    table = Table(title=spec.title, title_justify="left", box=box.SQUARE, show_header=spec.show_header)
    for index, column in enumerate(spec.columns):
        table.add_column(column, overflow=_overflow(spec, index))  # type: ignore[arg-type]
    for row in spec.rows():
        table.add_row(*row)
    return table


def _overflow(spec: _Table, index: int) -> str:
    return spec.overflow[index] if index < len(spec.overflow) else "fold"


def _print(console: Console, block: Block) -> None:
    from rich.text import Text

    if isinstance(block, _Table):
        console.print(_rich_table(block))
    elif block.style is None:
        console.print(block.text)
    else:
        console.print(Text(block.text, style=block.style))


class _Output:
    """A rich console writing into a buffer that is handed out line by line."""

    def __init__(self, context: FormatContext) -> None:
        from rich.console import Console

        self.buffer = io.StringIO()
        self.console = Console(file=self.buffer, force_terminal=context.color, no_color=not context.color,
                               color_system="standard" if context.color else None, width=context.width,
                               highlight=False, emoji=False, markup=False)

    def take(self) -> list[str]:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.splitlines()


def _simple(text: str) -> bool:
    """A non-empty line of printable characters one cell wide each: rich lays it out as it is."""
    if not text or not text.isprintable():
        return False
    if text.isascii() or text.replace("→", "").isascii():
        return True
    from rich.cells import cell_len

    return cell_len(text) == len(text)


_WORD = re.compile(r"\s*\S+\s*")


def _wrap(text: str, width: int) -> list[str] | None:
    """rich's word wrap of a line of one-cell characters whose words all fit in `width` (None if a
    word is longer: rich folds it, which is left to rich): each line padded to `width`.

    A word (with the spaces after it) goes on the current line if its visible part fits in what
    is left; otherwise it starts the next line. Spaces past the width are dropped.
    """
    lines: list[str] = []
    line_start = offset = 0
    for match in _WORD.finditer(text):
        word = match.group()
        size = len(word.rstrip())
        if size > width:
            return None
        start = match.start()
        if offset + size > width and offset and start:
            lines.append(text[line_start:start])
            line_start, offset = start, len(word)
        else:
            offset += len(word)
    lines.append(text[line_start:])
    return [line[:width].ljust(width) for line in lines]


class _PlainTable:
    """What rich prints for `spec` (with colour or without), body rows written directly."""

    def __init__(self, output: _Output, spec: _Table) -> None:
        self.output = output
        self.spec = spec

    def _measure(self, cell: str) -> int:
        if _simple(cell):
            return len(cell)
        if "\n" in cell and all(_simple(part) for part in cell.split("\n")):
            return max(len(part) for part in cell.split("\n"))
        from rich.measure import Measurement

        console = self.output.console
        return Measurement.get(console, console.options.update_width(1 << 30), cell).maximum

    def _cell(self, cell: str, width: int, overflow: str) -> list[str]:
        inner = width - 2
        parts = cell.split("\n")
        if all(_simple(part) and len(part) <= inner for part in parts):
            return [f" {part}{' ' * (inner - len(part))} " for part in parts]
        if len(parts) == 1 and _simple(cell):
            wrapped = _wrap(cell, inner)
            if wrapped is not None:
                return [f" {line} " for line in wrapped]
        from rich.padding import Padding

        console = self.output.console
        options = console.options.update(width=width, justify="left", no_wrap=False, overflow=overflow,  # type: ignore[arg-type]
                                         height=None, highlight=False)
        return ["".join(segment.text for segment in line)
                for line in console.render_lines(Padding(cell, (0, 1, 0, 1)), options)]

    def lines(self) -> Iterator[str]:
        spec = self.spec
        widest = [self._measure(column) if spec.show_header else 0 for column in spec.columns]
        measure = self._measure
        for row in spec.rows():
            for index, cell in enumerate(row):
                size = len(cell) if cell.isascii() and cell.isprintable() else measure(cell)
                if size > widest[index]:
                    widest[index] = size
        # Measurements are capped at the width available, so the stand-in's cells need be no wider.
        cap = self.output.console.width
        probe = _Table(spec.title, spec.columns, lambda: [tuple("x" * min(size, cap) for size in widest)],
                       spec.show_header, spec.overflow)
        _print(self.output.console, probe)
        drawn = self.output.take()
        frame = _frame(drawn, spec.show_header)
        if frame is None or min(frame[0], default=0) < 3:
            _print(self.output.console, spec)
            yield from self.output.take()
            return
        widths, head, bottom = frame
        overflows = [_overflow(spec, index) for index in range(len(widths))]
        yield from head
        inners = [width - 2 for width in widths]
        for row in spec.rows():
            line = _fast_row(row, inners)
            if line is not None:
                yield line
                continue
            cells = [self._cell(cell, width, overflow)
                     for cell, width, overflow in zip(row, widths, overflows, strict=True)]
            height = max(len(lines) for lines in cells)
            for index in range(height):
                yield "│" + "│".join(lines[index] if index < len(lines) else " " * width
                                     for lines, width in zip(cells, widths, strict=True)) + "│"
        yield bottom


def _fast_row(row: tuple[str, ...], inners: list[int]) -> str | None:
    """A row whose cells are all short lines of one-cell characters, as rich draws it (else None)."""
    for cell, inner in zip(row, inners, strict=True):
        if not cell or len(cell) > inner or not cell.isprintable() or not (
                cell.isascii() or cell.replace("→", "").isascii()):
            return None
    return "│ " + " │ ".join(cell.ljust(inner) for cell, inner in zip(row, inners, strict=True)) + " │"


def _frame(drawn: list[str], show_header: bool) -> tuple[list[int], list[str], str] | None:
    """From rich's drawing of a one-row table: the column widths, the lines above the body rows
    (title, top border, header), and the bottom border. None if the drawing is not understood."""
    tops = [i for i, line in enumerate(drawn) if line.startswith("┌") and line.endswith("┐")]
    if len(tops) != 1 or not drawn[-1].startswith("└") or not drawn[-1].endswith("┘"):
        return None
    top = tops[0]
    widths = [len(part) for part in drawn[top][1:-1].split("┬")]
    head_end = top + 1
    if show_header:
        seps = [i for i, line in enumerate(drawn) if line.startswith("├")]
        if len(seps) != 1 or seps[0] < top:
            return None
        head_end = seps[0] + 1
    if drawn[-1] != "└" + "┴".join("─" * width for width in widths) + "┘":
        return None
    if any("\x1b" in line for line in drawn[head_end:]):
        return None  # a styled body row or border: not what the rows are written as
    return widths, drawn[:head_end], drawn[-1]


def _set_lines(output: _Output, plan: SetPlan, color: bool) -> Iterator[str]:
    for block in _blocks(plan, color):
        if isinstance(block, _Table):
            yield from _PlainTable(output, block).lines()
        else:
            _print(output.console, block)
            yield from output.take()


def _lines(result: RenderResult, context: FormatContext) -> Iterator[str]:
    output = _Output(context)
    for index, plan in enumerate(result.sets):
        if index:
            yield ""
        yield from _set_lines(output, plan, context.color)


def chunks(result: RenderResult, context: FormatContext) -> Iterator[str]:
    """The output in pieces of whole lines (each line without trailing spaces)."""
    # Cut as str.splitlines() of the whole text would cut it (a line may hold U+2028 and the like).
    return batched(part.rstrip() + "\n" for line in _lines(result, context) for part in (line + "\n").splitlines())
