"""Help > About: version, engine state, database and where the data comes from."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from advisor import __version__

DATA_SOURCES = (
    "Hardware specs: vendor spec sheets and whitepapers (NVIDIA, AMD, Apple, Intel); consumer bandwidth "
    "cross-checked with TechPowerUp.",
    "Model architectures: the models' config.json on Hugging Face and their technical reports.",
    "API prices: the providers' published price pages (each record carries its source and date).",
    "Electricity: US EIA and Eurostat averages; datacenter PUE from the Uptime Institute survey.",
    "Throughput calibration: public llama.cpp / vLLM benchmark results (resources/calibration).",
)


def about_text(store_description: str) -> str:
    items = "".join(f"<li>{s}</li>" for s in DATA_SOURCES)
    return (
        f"<h3>Rig Advisor {__version__}</h3>"
        "<p>Buy hardware for local LLM inference, or keep paying an API? Fit, throughput and break-even, "
        "with the working shown.</p>"
        f"<p><b>Catalog:</b> {store_description}</p>"
        f"<p><b>Data sources</b></p><ul>{items}</ul>"
        "<p>Every catalog record shows its source and as-of date in the catalog pages.</p>"
    )


def show_about(parent: QWidget | None, store_description: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Rig Advisor")
    box.setText(about_text(store_description))
    box.setObjectName("aboutDialog")
    box.open()
    return box
