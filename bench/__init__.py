"""The benchmark suite (``make bench``, ``python -m bench``): latency, throughput, upstream
calls and CPU per operation of the gateway against separate sandbox processes, with a naive
contrast; see ``bench/README.md``."""
