"""Quick check answers "will it run?" at once, with the reason when it does not."""

from __future__ import annotations

from advisor.app.store import MemoryStore
from ui.pages.quick_check import QuickCheckPage


def test_70b_q4_does_not_fit_one_4090_but_fits_two_5090(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.set_inputs("rtx-4090", 1, "llama-3.1-70b", "Q4_K_M", 8192)
    est = page.estimate
    assert est is not None and not est.fits
    assert "DOES NOT FIT" in page.verdict.text()
    # 69.55 B params at Q4_K_M's 4.773 block bits + the 1.05 B Q6_K output head (128,256 x 8,192) at 6.5625 =
    # 42.4 GB of weights (bartowski's Llama-3.1-70B Q4_K_M file: 42.5 GB), more than a 24 GB card
    assert abs(est.weights_gb - ((70.6 - 1.0508) * 4.773 + 1.0508 * 6.5625) / 8) < 0.1
    page.set_inputs("rtx-5090", 2, "llama-3.1-70b", "Q4_K_M", 8192)
    assert page.estimate is not None and page.estimate.fits
    assert "FITS" in page.verdict.text()
    assert "largest context that fits" in page.details.text()
    assert page.estimate.max_context_tokens > 8192


def test_unknown_context_text_is_refused_with_reason(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.context.setEditText("lots")
    assert page.estimate is None
    assert "context" in page.verdict.text()


def test_infinite_or_huge_context_is_refused_in_words(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    for text, reason in (("inf", "--context: must be at least 1 token"), ("1e999", "--context: must be at least 1"),
                         ("1e23", "--context: at most 100,000,000 tokens")):
        page.context.setEditText(text)
        assert page.estimate is None
        assert reason in page.verdict.text() and "Error" not in page.verdict.text(), (text, page.verdict.text())
