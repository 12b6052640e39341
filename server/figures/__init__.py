"""The figures (两率一度 and satisfaction) per village, township, county and evaluation, kept current by the
worker through per-interview contributions and per-village aggregates."""
