"""A real object with the three lookups `read_cases` needs, answering only one device, model and quant."""

from __future__ import annotations

from advisor.engine.types import Device, ModelArch, Quant


class OneOfEach:
    """Device names containing ``device_key``, and exactly ``model.name`` / ``quant.name``; KeyError otherwise."""

    def __init__(self, device_key: str, device: Device, model: ModelArch, quant: Quant) -> None:
        self._key, self._device, self._model, self._quant = device_key, device, model, quant

    def device(self, name: str) -> Device:
        if self._key not in name:
            raise KeyError(name)
        return self._device

    def model(self, name: str) -> ModelArch:
        if name != self._model.name:
            raise KeyError(name)
        return self._model

    def quant(self, name: str) -> Quant:
        if name != self._quant.name:
            raise KeyError(name)
        return self._quant
