"""Plain-English definitions of every figure, shown beside it: one module per view."""
