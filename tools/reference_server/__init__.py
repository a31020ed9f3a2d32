"""A reference server that conforms to spec/openapi.yaml: the suite's default target and a mock for clients."""
