"""build_report: lay out the sections on A4 with a header and 'page N of M' on every page, write atomically.

The PDF is rendered into a temporary file in the target directory and renamed over the target with os.replace,
so readers see either the old file or the complete new one, never a half-written PDF. Any failure (including a
progress callback that raises to cancel) removes the temporary file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageBreak, PageTemplate

from advisor import __version__
from advisor.engine.types import Recommendation
from advisor.errors import InputError
from advisor.report.appendix import approval_block, sensitivity, sources
from advisor.report.calibration import load_calibration, summarize
from advisor.report.comparison import page_two
from advisor.report.details import assumptions, candidate_details
from advisor.report.fonts import BODY, draw_text, register_fonts
from advisor.report.inputs import ProgressCallback, ScenarioLike, SourceRow
from advisor.report.styles import TITLE, para
from advisor.report.summary import page_one

HEADER_LABEL = "Rig Advisor · buying recommendation"
MARGIN = 18 * mm
HEADER_GAP = 10 * mm


class _NumberedCanvas(Canvas):
    """Defers each page until the end so the footer can say 'page N of M' (the total is known only then)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # else every page names Helvetica, a font not embedded (the doc template passes None explicitly)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont(BODY, 7.5)
            self.setFillColorRGB(0.4, 0.4, 0.4)
            self.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _header_footer(title: str, generated: dt.date) -> Any:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        width, height = A4
        top = height - MARGIN + 4 * mm
        canvas.setFillColorRGB(0.12, 0.37, 0.66)
        label = draw_text(canvas, MARGIN, top, HEADER_LABEL, 8, bold=True)
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        # The scenario name is user text: draw_text sets it with font fallback, cut to the MEASURED room left
        # beside the label (a count of characters overprints with wide CJK glyphs).
        room = width - 2 * MARGIN - label - 6 * mm
        draw_text(canvas, width - MARGIN, top, title, 8, align="right", max_width=room)
        canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
        canvas.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        canvas.setFont(BODY, 7.5)
        canvas.drawString(MARGIN, 10 * mm, f"Generated {generated.isoformat()} by Rig Advisor {__version__}")
        canvas.restoreState()

    return draw


def check_target(out_path: str | os.PathLike[str]) -> Path:
    """The resolved target, or an InputError naming why it cannot be written."""
    target = Path(out_path).expanduser()
    if target.exists() and target.is_dir():
        raise InputError(f"{target} is a directory; give a file name such as report.pdf", field="output")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"cannot write {target}: folder {parent} does not exist", field="output")
    if not parent.is_dir():
        raise InputError(f"cannot write {target}: {parent} is not a folder", field="output")
    return target


def _story(
    recommendation: Recommendation,
    scenario: ScenarioLike,
    generated: dt.date,
    source_rows: Sequence[SourceRow],
    calibration: Mapping[str, Any] | None,
    progress: ProgressCallback,
) -> list[Flowable]:
    """Body (page 1 decision, page 2 comparison, approval), then the appendix, its sections flowing on without
    forced breaks (a heading never drags a long table to the next page: pages stay filled)."""
    progress(0.05, "decision")
    story = page_one(recommendation, scenario, generated)
    story.append(PageBreak())
    progress(0.10, "comparison")
    story += page_two(recommendation, scenario)
    story += approval_block()
    # the appendix follows the approval block on its page when a good part of the page is left
    story += [CondPageBreak(A4[1] * 0.4), para("Appendix", TITLE)]
    progress(0.15, "assumptions")
    story += assumptions(recommendation, scenario)
    progress(0.25, "candidate details")
    story += candidate_details(recommendation, scenario)
    progress(0.40, "sensitivity")
    story += sensitivity(recommendation)
    progress(0.50, "sources")
    origin = "resources/calibration.json" if calibration is None else "given"
    cal = calibration if calibration is not None else load_calibration()
    story += sources(recommendation, source_rows, summarize(cal, origin))
    return story


def build_report(
    recommendation: Recommendation,
    scenario: ScenarioLike,
    out_path: str | os.PathLike[str],
    *,
    progress_callback: ProgressCallback | None = None,
    calibration: Mapping[str, Any] | None = None,
    sources: Sequence[SourceRow] = (),
    generated: dt.date | None = None,
) -> Path:
    """Write the PDF buying recommendation for `scenario` to `out_path`; returns the path written.

    calibration: the calibration mapping (default: resources/calibration.json if present). sources: catalog
    records used (specs, offers) for the Sources section. generated: the date printed (default: today).
    progress_callback(fraction, stage) is called as sections are laid out; raising from it cancels.
    Raises InputError (field 'output') if the target cannot be written; nothing is left behind then.
    """
    register_fonts()
    target = check_target(out_path)
    generated = generated or dt.date.today()
    progress: ProgressCallback = progress_callback or (lambda _f, _s: None)
    story = _story(recommendation, scenario, generated, sources, calibration, progress)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}", field="output") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        doc = BaseDocTemplate(
            str(temp),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_GAP,
            bottomMargin=MARGIN + 2 * mm,
            title=f"Buying recommendation: {scenario.name}",
            author="Rig Advisor",
            subject=recommendation.sentence,
            creator=f"Rig Advisor {__version__}",
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=_header_footer(scenario.name, generated))]
        )
        pages_seen = [0]

        def on_page(_canvas: Canvas, _doc: BaseDocTemplate) -> None:
            pages_seen[0] += 1
            progress(min(0.55 + 0.04 * pages_seen[0], 0.95), f"page {pages_seen[0]}")

        doc.afterPage = lambda: on_page(doc.canv, doc)  # type: ignore[method-assign]
        doc.build(story, canvasmaker=_NumberedCanvas)
        # Write-through before the rename, so a crash right after cannot leave an empty file at the target.
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {exc.strerror or exc}", field="output") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    progress(1.0, "done")
    return target
