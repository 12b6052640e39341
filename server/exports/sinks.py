"""What each export format builds in the job's work folder, from rows added batch by batch.

A sink's `finish()` returns (path of the one file it built, its download name). Media go into a ZIP as
they come, copied in chunks from the media store, under media/<instance id>/<file name>.
"""
import os
import shutil
import zipfile

from server.exports import writers
from server.infra import media_store

CHUNK = 1024 * 1024


class TableSink:
    """CSV (one file, or a .csv.zip when the form has repeats) or XLSX."""

    def __init__(self, folder, tables, params, base):
        self.folder, self.base, self.fmt = folder, base, params["format"]
        tables_format = params["tables"] if self.fmt == "zip" else self.fmt
        self.tables_folder = os.path.join(folder, "tables")
        os.makedirs(self.tables_folder)
        if tables_format == "xlsx":
            self.writer = writers.XlsxTables(os.path.join(self.tables_folder, f"{base}.xlsx"), tables,
                                             params["labels"])
        else:
            self.writer = writers.CsvTables(self.tables_folder, tables, bom=params["bom"])

    def add(self, name, rows):
        self.writer.add(name, rows)

    def media(self, record, decrypted=None):
        """Only a ZIP with media keeps attachments."""

    def finish(self):
        files = self.writer.close()
        if len(files) == 1 and self.fmt != "zip":
            return files[0], os.path.basename(files[0])
        name = f"{self.base}.csv.zip" if self.fmt == "csv" else f"{self.base}.zip"
        return writers.zip_files(os.path.join(self.folder, name), files), name


class MediaZipSink(TableSink):
    """The tables plus every attachment under media/, streamed into the ZIP as the rows go by."""

    def __init__(self, folder, tables, params, base):
        super().__init__(folder, tables, params, base)
        self.path = os.path.join(folder, f"{base}.zip")
        self.zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)
        self.missing = []

    def media(self, record, decrypted=None):
        """Add the record's attachments; `decrypted` {name: bytes} replaces an encrypted interview's parts
        (the .enc files and submission.xml.enc) by its media in clear."""
        folder = record.instance_id.replace("uuid:", "").replace("/", "_")
        if decrypted is not None:
            for name, data in decrypted.items():
                self.zip.writestr(f"media/{folder}/{name}", data, zipfile.ZIP_STORED)
            return
        for attachment in record.attachments:
            try:
                source = open(media_store.resolve(attachment.path), "rb")
            except (OSError, ValueError):
                self.missing.append(f"{record.instance_id}/{attachment.name}")
                continue
            info = zipfile.ZipInfo(f"media/{folder}/{attachment.name}")
            info.compress_type = zipfile.ZIP_STORED  # photos and audio are compressed already
            large = attachment.size >= zipfile.ZIP64_LIMIT
            with source, self.zip.open(info, "w", force_zip64=large) as target:
                shutil.copyfileobj(source, target, CHUNK)

    def finish(self):
        for path in self.writer.close():
            self.zip.write(path, os.path.basename(path))
        if self.missing:
            self.zip.writestr("media/MISSING.txt", "\n".join(self.missing) + "\n")
        self.zip.close()
        return self.path, os.path.basename(self.path)


def sink_for(folder, tables, params, base):
    if params["format"] == "zip":
        return MediaZipSink(folder, tables, params, base)
    if params["format"] in ("sav", "dta"):
        from server.exports.stats_out import StatsSink  # lazy: pandas and pyreadstat take ~1 s to import

        return StatsSink(folder, tables, params, base)
    return TableSink(folder, tables, params, base)
