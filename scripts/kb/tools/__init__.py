"""Developer tools beside the pipeline: the benchmark, its synthetic corpus, the search evaluation
and the headless browser they share. The pipeline never imports from here."""
