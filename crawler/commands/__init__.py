"""One module per group of CLI commands; crawler.cli registers them."""
