"""`models import FILE [--json] [--dry-run] [--update | --new-name NAME] [--name NAME]` (DESIGN 4).

Reads a Hugging Face config.json, a GGUF header or a model.safetensors.index.json, prints a preview (or
the derived entry as JSON) and, unless --dry-run, saves it in the catalog. A name already in the catalog
needs --update or --new-name; bad input exits 2 with the field named and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys

from advisor.importers.result import ImportResult


def register(subparsers: argparse._SubParsersAction) -> None:
    models = subparsers.add_parser("models", help="import model architectures into the catalog")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import",
        help="import a config.json, a .gguf file, a model.safetensors(.index.json) or a model folder",
        description="Derive a catalog model entry from a model file. Prints a preview, then saves it "
        "(unless --dry-run).",
    )
    imp.add_argument(
        "file",
        metavar="FILE",
        help="config.json, *.gguf (first shard if split), model.safetensors.index.json, model.safetensors "
        "(with config.json beside it), or a folder holding them",
    )
    imp.add_argument("--json", action="store_true", help="print the derived entry as JSON (unrounded)")
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported, write nothing")
    imp.add_argument("--name", help="model name to use instead of the one found in the file")
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--update", action="store_true", help="replace the catalog model of the same name")
    choice.add_argument("--new-name", metavar="NAME", help="save as a new entry under NAME")
    imp.set_defaults(func=run_import)


def engine_kv_bytes_per_token(result: ImportResult) -> float | None:
    """The engine's KV bytes/token (f16) for the record, if the engine module is present."""
    try:
        from advisor.catalog.convert import to_model
        from advisor.engine.fit import kv_bytes_per_token
    except ImportError:
        return None
    return float(kv_bytes_per_token(to_model(result.record), "f16"))


def run_import(args: argparse.Namespace) -> int:
    from advisor.importers import import_file

    result = import_file(args.file, name=args.name)
    saved_id = None
    if not args.dry_run:
        from advisor.db.database import open_database
        from advisor.importers.save import save_import

        engine = open_database()
        try:
            saved = save_import(result, engine, update=args.update, new_name=args.new_name)
        finally:
            engine.dispose()
        saved_id = saved.id
    if args.json:
        out = result.to_json()
        out["engine_kv_bytes_per_token"] = engine_kv_bytes_per_token(result)
        out["saved_id"] = saved_id
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for line in result.preview_lines():
        print(line)
    engine_kv = engine_kv_bytes_per_token(result)
    if engine_kv is not None and abs(engine_kv - result.kv_bytes_per_token) > 0.5:
        print(f"  engine KV estimate: {engine_kv:,.0f} B/token (differs from the importer's figure)")
    if saved_id is not None:
        print(f"saved as models/{saved_id}")
    else:
        print("dry run: nothing written")
    return 0
