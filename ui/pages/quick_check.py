"""Quick check — "will it run?": hardware x count, model, quant, context, concurrency, backend -> fit and speed.

One estimate takes about a millisecond, so it runs on every change directly (no job): the answer to
"does V4-Flash at Q4 run on two RTX 5090s at 256K?" appears as the last field is set.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from advisor.app.estimates import CONTEXT_POINTS, EstimateAnswer, EstimateQuery, context_curve, estimate_query
from advisor.app.store import MemoryStore
from advisor.engine.fit import GIB_PER_GB
from advisor.engine.types import BACKENDS, KV_DTYPE_BYTES, Estimate
from ui.jobs import describe_error
from ui.plots.memory_plot import MemoryPlot
from ui.plots.throughput_plot import ThroughputPlot
from ui.widgets.wheel_guard import guard_wheel

CONTEXT_PRESETS = (4096, 8192, 32768, 131072, 262144, 1048576)
DEFAULT_PROMPT_TOKENS = 2000
SYSTEM_PREFIX = "system:"  # hardware combo data for a catalog system: "system:<id>"


def system_id(hardware: str) -> str | None:
    """The system id of a "system:<id>" choice, None for a bare accelerator."""
    return hardware[len(SYSTEM_PREFIX) :] if hardware.startswith(SYSTEM_PREFIX) else None
OFFLOAD_CHOICES = (
    ("none (all on the accelerators)", "none"),
    ("MoE experts in host RAM", "experts_cpu"),
    ("whole model on the CPU", "cpu_only"),
)


class QuickCheckPage(QWidget):
    """Attributes for tests: the input widgets, `verdict`, `details`, `estimate` (last result or None)."""

    def __init__(self, store: MemoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.estimate: Estimate | None = None
        self.hardware = QComboBox()
        self.hardware.setToolTip("Accelerator (GPU, Apple SoC, APU) from the catalog")
        self.count = QSpinBox()
        self.count.setRange(1, 64)
        self.count.setSuffix(" x")
        self.count.setToolTip("Number of devices [count]")
        self.model = QComboBox()
        self.model.setToolTip("The LLM (catalog model)")
        self.quant = QComboBox()
        self.quant.setToolTip("Weight format; native = the checkpoint as released [bits per weight shown]")
        self.context = QComboBox()
        self.context.setEditable(True)
        # typed values are used, never added to the presets (typing "abc" + Enter used to add a preset)
        self.context.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.context.setToolTip(
            "Context each sequence reserves KV cache for [tokens]; type a number, 8K, 256K or 1M"
        )
        for c in CONTEXT_PRESETS:
            self.context.addItem(f"{c // 1024}K" if c < 1048576 else "1M", c)
        self.context.setCurrentIndex(1)
        self.prompt = QSpinBox()
        self.prompt.setRange(1, 10_000_000)
        self.prompt.setSingleStep(500)
        self.prompt.setValue(DEFAULT_PROMPT_TOKENS)
        self.prompt.setSuffix(" tok")
        self.prompt.setKeyboardTracking(False)
        self.prompt.setToolTip("Prompt length for the time to first token [tokens]; capped at the context")
        self.batch = QSpinBox()
        self.batch.setRange(1, 1024)
        self.batch.setSuffix(" seq")
        self.batch.setToolTip("Concurrent sequences decoding together [sequences]")
        self.backend = QComboBox()
        self.backend.addItems(list(BACKENDS))
        self.backend.setToolTip("Inference engine (sets efficiency and overheads)")
        self.offload = QComboBox()
        for label, mode in OFFLOAD_CHOICES:
            self.offload.addItem(label, mode)
        self.offload.setToolTip(
            "Keep everything on the accelerators, put the MoE experts in the host's RAM, or run the whole "
            "model on the CPU (needs a system with a host: pick one under Hardware)"
        )
        self.host = QComboBox()
        self.host.setToolTip("The machine around the devices: its RAM size and bandwidth hold and feed "
                             "offloaded experts [GB, GB/s] (default: the system's host, else a generic desktop)")
        self.parallel = QComboBox()
        self.parallel.addItems(["layer", "tensor", "expert"])
        self.parallel.setToolTip("How several devices split the model: layer (pipeline), tensor or expert")
        self.kv_dtype = QComboBox()
        self.kv_dtype.addItems([k for k in KV_DTYPE_BYTES if k != "bf16"])
        self.kv_dtype.setToolTip("KV-cache element type [bytes: f16 2, q8_0 1.06, q4_0 0.56, fp8 1]")
        self.wired_limit = QSpinBox()
        self.wired_limit.setRange(0, 4_194_304)
        self.wired_limit.setSingleStep(1024)
        self.wired_limit.setSuffix(" MiB")
        self.wired_limit.setSpecialValueText("macOS default")
        self.wired_limit.setKeyboardTracking(False)
        self.wired_limit.setToolTip(
            "Apple silicon only: the GPU wired limit set with sudo sysctl iogpu.wired_limit_mb=N [MiB]; "
            "macOS default ~2/3 of RAM up to 36 GB, ~3/4 above"
        )
        form = QFormLayout()
        for label, w in (
            ("Hardware", self.hardware),
            ("Count", self.count),
            ("Model", self.model),
            ("Quant", self.quant),
            ("Context", self.context),
            ("Prompt", self.prompt),
            ("Concurrency", self.batch),
            ("Backend", self.backend),
            ("Multi-device split", self.parallel),
            ("Offload", self.offload),
            ("Host", self.host),
            ("KV cache", self.kv_dtype),
            ("GPU wired limit", self.wired_limit),
        ):
            form.addRow(label, w)
        inputs = QGroupBox("Setup")
        inputs.setLayout(form)
        inputs.setMaximumWidth(380)

        self.verdict = QLabel("")
        self.verdict.setObjectName("quickVerdict")
        self.verdict.setWordWrap(True)
        self.details = QLabel("")
        self.details.setObjectName("quickDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(self.details.textFormat().RichText)
        self.memory_plot = MemoryPlot(title="Memory, whole setup")
        self.memory_plot.setMaximumHeight(240)
        self.throughput_plot = ThroughputPlot()
        results = QVBoxLayout()
        results.addWidget(self.verdict)
        results.addWidget(self.details)
        results.addWidget(self.memory_plot)
        results.addWidget(self.throughput_plot, 1)
        row = QHBoxLayout(self)
        row.addWidget(inputs)
        row.addLayout(results, 1)
        guard_wheel(inputs)
        self.reload_catalog()
        for combo, preferred in ((self.hardware, ("rtx-4090", "rtx-5090")), (self.model, ("llama-3.1-8b",))):
            for key in preferred:
                if combo.findData(key) >= 0:
                    combo.setCurrentIndex(combo.findData(key))
                    break
        for combo in (
            self.hardware,
            self.model,
            self.quant,
            self.backend,
            self.parallel,
            self.kv_dtype,
            self.offload,
            self.host,
        ):
            combo.currentIndexChanged.connect(lambda _i: self.recompute())
        self.context.currentTextChanged.connect(lambda _t: self.recompute())
        for spin in (self.count, self.batch, self.prompt, self.wired_limit):
            spin.valueChanged.connect(lambda _v: self.recompute())
        store.subscribe(
            lambda kind: self.reload_catalog() if kind in ("hardware", "models", "quants", "hosts") else None
        )
        self.recompute()

    def reload_catalog(self) -> None:
        for combo, kind in ((self.hardware, "hardware"), (self.model, "models")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for rec in self.store.records(kind):
                combo.addItem(rec.name, rec.id)  # type: ignore[attr-defined]
            if kind == "hardware":
                # whole systems after the chips: their memory configuration, count and host come along
                combo.insertSeparator(combo.count())
                for rec in self.store.records("systems"):
                    combo.addItem(f"System: {rec.name}", SYSTEM_PREFIX + rec.id)  # type: ignore[attr-defined]
            i = combo.findData(current)
            combo.setCurrentIndex(i if i >= 0 else 0)
            combo.blockSignals(False)
        current = self.host.currentData()
        self.host.blockSignals(True)
        self.host.clear()
        self.host.addItem("the system's host / generic desktop", "")
        for h in self.store.records("hosts"):
            self.host.addItem(f"{h.name} ({h.ram_gb:g} GB)", h.id)  # type: ignore[attr-defined]
        self.host.setCurrentIndex(max(0, self.host.findData(current)))
        self.host.blockSignals(False)
        current = self.quant.currentData()
        self.quant.blockSignals(True)
        self.quant.clear()
        for q in self.store.records("quants"):
            self.quant.addItem(f"{q.name} ({q.bits_per_weight:g} bpw)", q.name)  # type: ignore[attr-defined]
        self.quant.addItem("native (as released)", "native")
        i = self.quant.findData(current if current else "Q4_K_M")
        self.quant.setCurrentIndex(i if i >= 0 else 0)
        self.quant.blockSignals(False)

    def set_inputs(
        self, hardware: str, count: int, model: str, quant: str, context: int, batch: int = 1
    ) -> None:
        """Set every input at once (tests, other pages); recomputes once."""
        widgets = (self.hardware, self.model, self.quant, self.count, self.batch, self.context)
        for w in widgets:
            w.blockSignals(True)
        self.hardware.setCurrentIndex(max(0, self.hardware.findData(hardware)))
        self.model.setCurrentIndex(max(0, self.model.findData(model)))
        self.quant.setCurrentIndex(max(0, self.quant.findData(quant)))
        self.count.setValue(count)
        self.batch.setValue(batch)
        self.context.setEditText(str(context))
        for w in widgets:
            w.blockSignals(False)
        self.recompute()

    def _context_tokens(self) -> int:
        text = self.context.currentText().strip().upper().replace(",", "").replace("_", "")
        index = self.context.findText(self.context.currentText())
        if index >= 0 and self.context.itemData(index):
            return int(self.context.itemData(index))
        factor = 1
        if text.endswith("K"):
            factor, text = 1024, text[:-1]
        elif text.endswith("M"):
            factor, text = 1024 * 1024, text[:-1]
        try:
            value = float(text) * factor
        except ValueError:
            return 0
        # "inf", "nan", 1e999: not a context; 0 makes the estimate say "--context: must be at least 1 token"
        return int(value) if math.isfinite(value) else 0

    def setup_name(self) -> str:
        """ "2 x NVIDIA GeForce RTX 5090", or a system's own name (it says its count and memory)."""
        text = self.hardware.currentText()
        if system_id(str(self.hardware.currentData() or "")):
            return text.removeprefix("System: ")
        return f"{self.count.value()} x {text}"

    def offload_mode(self) -> str:
        return str(self.offload.currentData() or "none")

    def _sync_count(self) -> None:
        """A system brings its own device count: show it, and lock the field."""
        sid = system_id(str(self.hardware.currentData() or ""))
        rec = self.store.get("systems", sid) if sid else None
        self.count.setEnabled(rec is None)
        if rec is not None and self.count.value() != rec.count:  # type: ignore[attr-defined]
            self.count.blockSignals(True)
            self.count.setValue(int(rec.count))  # type: ignore[attr-defined]
            self.count.blockSignals(False)

    def query(self) -> EstimateQuery:
        """The question as `estimate` on the command line asks it (same names, same catalog)."""
        picked = str(self.hardware.currentData() or "")
        system = system_id(picked)
        context = self._context_tokens()
        return EstimateQuery(
            hardware="" if system else picked,
            system=system,
            count=self.count.value(),
            model=str(self.model.currentData() or ""),
            quant=str(self.quant.currentData() or "native"),
            context_tokens=context,
            batch=self.batch.value(),
            prompt_tokens=max(1, min(self.prompt.value(), context)),  # a prompt fills at most the context
            gen_tokens=0,
            backend=self.backend.currentText(),
            kv_dtype=self.kv_dtype.currentText(),
            parallel=self.parallel.currentText(),
            offload=self.offload_mode(),
            host=str(self.host.currentData() or "") or None,
            wired_limit_mb=self.wired_limit.value() or None,
        )

    def recompute(self) -> Estimate | None:
        self._sync_count()
        try:
            answer = estimate_query(self.store.catalog(), self.query())
            est = answer.estimate
        except Exception as exc:  # bad input: say why, keep the last plot
            self.estimate = None
            self.verdict.setText(f"<b>Cannot estimate</b> — {describe_error(exc)}")
            self.verdict.setStyleSheet("background:#a33; color:white; padding:8px; font-size:14px;")
            self.details.setText("")
            return None
        self.estimate = est
        q = self.query()
        title = (
            f"{self.setup_name()} · {self.model.currentText()} {q.quant} · "
            f"{q.context_tokens:,} tokens x {q.batch}"
        )
        if est.fits:
            self.verdict.setText(
                f"<b>FITS</b> — {title}<br>{est.total_gb:.1f} GB of {est.usable_gb:.1f} GB usable"
                f"{self._capacity_note(q.count)}"
            )
            self.verdict.setStyleSheet("background:#1b7f3b; color:white; padding:8px; font-size:14px;")
        else:
            self.verdict.setText(f"<b>DOES NOT FIT</b> — {title}<br>{est.reason}")
            self.verdict.setStyleSheet("background:#a33; color:white; padding:8px; font-size:14px;")
        notes = "".join(f"<li>{n}</li>" for n in est.notes)
        self.details.setText(
            "<table cellspacing=4>"
            f"<tr><td>weights</td><td align=right>{est.weights_gb:,.1f} GB</td></tr>"
            f"<tr><td>KV cache</td><td align=right>{est.kv_gb:,.2f} GB "
            f"({est.kv_bytes_per_token / 1e3:,.1f} kB/token)</td></tr>"
            f"<tr><td>overhead</td><td align=right>{est.overhead_gb:,.1f} GB</td></tr>"
            f"<tr><td>host RAM used</td><td align=right>{est.host_gb:,.1f} GB</td></tr>"
            + (_speed_rows(est, q) if est.fits else "")
            + "</table>"
            + (f"<ul>{notes}</ul>" if notes else "")
        )
        self.memory_plot.display([(self.setup_name(), est)])
        if est.fits:
            self._show_curve(q, answer)
        else:  # a setup that does not run has no speed: say why instead of drawing one
            self.throughput_plot.clear(f"Does not fit, so no speed: {est.reason}", title)
        return est

    def _capacity_note(self, count: int) -> str:
        """Memory is shown in GB (1e9 bytes) everywhere, as the CLI does; cards are sold in GiB, so say how
        the spec-sheet figure becomes GB (a "24 GB" RTX 4090 holds 25.8 GB, of which ~25.3 usable)."""
        choice = str(self.hardware.currentData() or "")
        sid = system_id(choice)
        sysrec = self.store.get("systems", sid) if sid else None
        hw = self.store.get("hardware", sysrec.accelerator if sysrec is not None else choice)  # type: ignore[attr-defined]
        spec = getattr(hw, "memory_gb", None)
        if not spec:
            return ""
        total = count * float(spec) * GIB_PER_GB
        return f" (the spec sheet's {count} x {float(spec):g} GiB = {total:.1f} GB)"

    def _show_curve(self, q: EstimateQuery, answer: EstimateAnswer) -> None:
        """Decode/prefill at each context length, for this setup (one vectorised engine call)."""
        est = answer.estimate
        contexts = tuple(c for c in CONTEXT_POINTS if c <= max(q.context_tokens or 0, 8192))
        try:
            curve = context_curve(answer.setup, contexts)
        except Exception:  # the curve is a bonus; the numbers above already answered
            self.throughput_plot.clear()
            return
        self.throughput_plot.display(
            self.setup_name(),
            contexts,
            curve,
            est.max_context_tokens,
            users=q.batch,
        )


def _speed_rows(est: Estimate, q: EstimateQuery) -> str:
    """Table rows for a setup that fits: largest context, speeds with their bands, TTFT, power."""
    lo, hi = est.tg_band
    plo, phi = est.pp_band
    prompt = q.prompt_tokens
    return (
        f"<tr><td><b>largest context that fits</b></td><td align=right><b>{est.max_context_tokens:,} tokens"
        "</b></td></tr>"
        f"<tr><td><b>decode</b></td><td align=right><b>{est.tg_tok_s_per_user:,.1f} tok/s per user</b> "
        f"({est.tg_tok_s:,.1f} aggregate; band {lo:,.1f}–{hi:,.1f})</td></tr>"
        f"<tr><td><b>prefill</b></td><td align=right><b>{est.pp_tok_s:,.0f} tok/s</b> "
        f"(band {plo:,.0f}–{phi:,.0f})</td></tr>"
        f"<tr><td>time to first token</td><td align=right>{est.ttft_s:,.2f} s for a {prompt:,}-token prompt"
        "</td></tr>"
        f"<tr><td>power</td><td align=right>{est.load_power_w:,.0f} W busy, {est.idle_power_w:,.0f} W idle"
        "</td></tr>"
        f"<tr><td>limited by</td><td align=right>{est.limiting_factor}</td></tr>"
    )
