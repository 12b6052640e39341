"""The evaluation report for the provincial leading group: the 两率一度 tables per county, township and
village, the households behind 错评 / 漏评 / 错退 with their evidence, findings per rule and enumerator,
back-check results and the method — as an XLSX workbook or a printable HTML page, in Chinese or English.

`content.build` gathers the figures from the figures services (server/figures/read.py and evidence.py)
rather than recomputing them; `workbook` and `page` only lay the document out.
"""
