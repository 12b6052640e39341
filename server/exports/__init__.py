"""Submission exports: one form's interviews (all its versions) as CSV, XLSX, ZIP with media, SPSS or Stata.

- `request`: what an export asks for, checked (every mistake a 400);
- `layout`: the tables and columns of a form, merged over its versions (ODK Central's export shape);
- `records`: the interviews, streamed from the database in batches, with fieldcheck's own columns;
- `flatten`: one interview -> one row per table (pure);
- `writers`, `sinks`, `stats_out`: CSV, XLSX, the ZIP with media, SPSS and Stata files;
- `service`: runs an export into a file that appears only when complete; `files`: where files live and
  when they go; `keys`: the private key of one export, handed from the request to its job.
"""
