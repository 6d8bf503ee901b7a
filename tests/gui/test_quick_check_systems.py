"""Quick check over whole systems and with offload (issue 14 item 9): a Mac Studio's memory size can be
picked (it is a system, not a chip), its count comes with it, and MoE experts can be put in host RAM."""

from __future__ import annotations

import pytest

from ui.pages.quick_check import QuickCheckPage


def _page(qtbot, store) -> QuickCheckPage:  # type: ignore[no-untyped-def]
    page = QuickCheckPage(store)
    qtbot.addWidget(page)
    page.set_inputs("rtx-4090", 1, "llama-3.1-405b", "Q4_K_M", 8192)
    return page


def _pick(combo, data: str) -> None:  # type: ignore[no-untyped-def]
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)  # the combo's own signal, as a user's pick


def test_mac_studio_memory_sizes_are_systems(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    _pick(page.hardware, "system:mac-studio-m3-ultra-256gb")
    assert not page.count.isEnabled() and page.count.value() == 1
    assert page.verdict.text().startswith("<b>DOES NOT FIT</b> — Mac Studio M3 Ultra 256 GB")
    _pick(page.hardware, "system:mac-studio-m3-ultra-512gb")
    text = page.verdict.text()
    assert text.startswith("<b>FITS</b> — Mac Studio M3 Ultra 512 GB (80-core GPU) · ")
    assert page.estimate is not None and page.estimate.usable_gb > 400
    assert "1 x 512 GiB = 549.8 GB" in text  # the spec sheet's GiB in GB, as the rest of the app
    _pick(page.hardware, "rtx-4090")
    assert page.count.isEnabled()


def test_experts_in_host_ram_make_a_moe_fit_the_offload_box(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    _pick(page.model, "deepseek-v4-flash")
    _pick(page.hardware, "system:epyc-4090-offload")
    assert page.verdict.text().startswith("<b>DOES NOT FIT</b>")
    _pick(page.offload, "experts_cpu")
    assert page.verdict.text().startswith("<b>FITS</b>")
    est = page.estimate
    assert est is not None and est.host_gb > 100  # the routed experts sit in the EPYC's RAM
    assert "host RAM used" in page.details.text() and f"{est.host_gb:,.1f} GB" in page.details.text()
    assert "tok/s per user" in page.details.text()


def test_a_context_of_zero_is_refused_at_the_page(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    page.context.setEditText("abc")
    # "abc" is no number of tokens: the page says so instead of estimating
    assert page.estimate is None and "--context: must be at least 1 token" in page.verdict.text()


def test_memory_plot_draws_accelerator_memory_and_names_host_ram(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, db_store)
    _pick(page.model, "deepseek-v4-flash")
    _pick(page.hardware, "system:epyc-4090-offload")
    _pick(page.offload, "experts_cpu")
    est = page.estimate
    assert est is not None and est.fits
    weights_bar = page.memory_plot.bars[0].opts["width"]
    assert weights_bar[0] == pytest.approx(est.weights_gb - est.host_gb)  # only what sits on the GPU
    assert weights_bar[0] < est.usable_gb  # so the bar ends before the usable mark, as the verdict says
    assert f"+{est.host_gb:,.0f} GB of weights in host RAM" in page.memory_plot.title.text()
