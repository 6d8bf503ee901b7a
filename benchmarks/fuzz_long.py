"""Long fuzz run of the reliability properties (tests/reliability/properties.py), more examples than CI.

    python benchmarks/fuzz_long.py [EXAMPLES_PER_PROPERTY]     # default 3000

Prints, per property, the examples run, how many were accepted (no InputError) and the failures (a
falsifying example is printed by hypothesis). Exit code 1 when any property failed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from advisor.errors import InputError  # noqa: E402
from tests.reliability import properties as p  # noqa: E402


def _property(
    check: Callable[[Any], None], accepted: Callable[[Any], bool], counts: dict[str, int]
) -> Callable[[Any], None]:
    def prop(value: Any) -> None:
        counts["examples"] += 1
        check(value)
        counts["accepted"] += bool(accepted(value))
    return prop


def _import_config(config: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        p.check_import_config(config, Path(folder))


def _import_only(config: Any) -> None:
    import json

    from advisor.importers import import_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        import_file(path)


def _import_text(name: str, *, check_only: bool = True) -> Callable[[str], None]:
    """Raw JSON text saved as ``name`` (an index gets a small valid config.json beside it): the property
    check, or (check_only=False) the bare import, which raises InputError when the text is refused."""
    import json

    from advisor.importers import import_file

    config = {"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4,
              "vocab_size": 1000, "intermediate_size": 128} if name != "config.json" else None

    def check(text: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            if check_only:
                p.check_import_text(text, name, Path(folder), config)
                return
            if config is not None:
                (Path(folder) / "config.json").write_text(json.dumps(config))
            (Path(folder) / name).write_text(text)
            import_file(Path(folder) / name)
    return check


def _accepts(fn: Callable[[Any], Any]) -> Callable[[Any], bool]:
    def accepted(value: Any) -> bool:
        try:
            fn(value)
        except InputError:
            return False
        return True
    return accepted


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    from advisor.engine import estimate
    from advisor.engine.scenario import scenario_from_json
    from advisor.feeds import parse_feed

    cases: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], None], Callable[[Any], bool]]] = [
        ("engine estimate", p.setups(), p.check_estimate, _accepts(estimate)),
        ("feed parser", p.FEED_BYTES, p.check_parse_feed, lambda d: not parse_feed(d).problems),
        ("config.json importer", p.HF_CONFIGS, _import_config, _accepts(_import_only)),
        ("scenario loader", p.SCENARIO_DOCS, p.check_scenario, _accepts(scenario_from_json)),
        ("config.json raw text", p.HF_CONFIG_TEXTS, _import_text("config.json"),
         _accepts(_import_text("config.json", check_only=False))),
        ("safetensors index", p.SAFETENSORS_INDEXES, _import_text("model.safetensors.index.json"),
         _accepts(_import_text("model.safetensors.index.json", check_only=False))),
    ]
    failed = 0
    for name, strategy, check, accepted in cases:
        counts = {"examples": 0, "accepted": 0}
        prop = _property(check, accepted, counts)
        test = settings(max_examples=examples, deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))(given(strategy)(prop))
        start = time.perf_counter()
        try:
            test()
            status = "ok"
        except Exception as exc:  # hypothesis re-raises the (shrunk) failure
            failed += 1
            status = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        seconds = time.perf_counter() - start
        shown = f", {counts['accepted']} accepted"
        print(f"{name:22s} {counts['examples']:6d} examples{shown}, {seconds:6.1f} s  {status}", flush=True)
    print(f"properties failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
