"""vj-proxy: a proxy that forwards a client's traffic to a visualization-job server unchanged and judges
every exchange both ways by the suite's rules (modelarts_vj.rules)."""
