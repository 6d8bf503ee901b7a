"""The application layer: the use cases both front ends call, Qt-free and printing nothing.

    catalog / db  ->  engine  ->  app  ->  cli | ui | report

Each module is one group of use cases, each use case one function: `estimates` (fit and speed of a setup:
`estimate` and Quick check), `scenarios` (recommend, the Scenarios page's recompute, the PDF, scenario files),
`sweep` (every catalog system for a scenario), `prices` (price feeds and sources), `price_data` (price
history and rollback), `model_import` (config.json / GGUF / safetensors), `store` (catalog records in the
database or in memory; catalog edits), `state` (the scenario being edited). Long work takes the one progress
protocol of `advisor.progress`.
"""
