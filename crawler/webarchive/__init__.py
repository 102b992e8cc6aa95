"""The archive as a web archive: WARC records read back (records), WACZ packages (wacz),
verification of blobs and WARC payloads (verify).  The records themselves are written at fetch
time by crawler/warc.py."""
