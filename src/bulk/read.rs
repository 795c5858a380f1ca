//! Reading a CSV file as it arrives, in chunks of any size, with `csv-core` (the parser of the
//! `csv` crate, without its `std::io` layer: see README.md for the sizes of both). It finds the
//! separator (`,`, `;` or a tab) on the header line, drops a byte order mark, skips blank
//! lines, and gives each record with the line it starts on. A record longer than
//! [`MAX_ROW_BYTES`] is dropped and reported, so memory stays bounded whatever the file holds;
//! a quote still open at the end of the file is reported on the line it was opened.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The longest record kept, in bytes: a real row is a few hundred bytes; a longer one is
/// almost always a quote left open.
pub const MAX_ROW_BYTES: usize = 64 * 1024;
/// The most fields a record may have.
const MAX_FIELDS: usize = 256;

/// What the reader finds.
#[derive(Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A record, and the line (from 1) it starts on.
    Record {
        /// Its first line.
        line: u32,
        /// Its fields.
        fields: Fields<'a>,
    },
    /// A record longer than [`MAX_ROW_BYTES`], dropped.
    TooLong {
        /// Its first line.
        line: u32,
    },
    /// The file ends inside a quoted field opened on this line.
    UnclosedQuote {
        /// The line of the record that holds the quote.
        line: u32,
    },
}

/// The fields of one record, as bytes (checked as UTF-8 by the caller).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Fields<'a> {
    bytes: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No fields at all.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.bytes[start..end])
    }

    /// Every field, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// A CSV reader fed in chunks.
pub struct CsvReader {
    /// The parser, once the header line told the separator.
    parser: Option<Reader>,
    /// The start of the file, until its first line is complete (to find the separator).
    head: Vec<u8>,
    /// The separator found.
    separator: u8,
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    /// Between two records: blank lines are skipped here.
    at_start: bool,
    /// Newlines skipped between records (the parser counts the others).
    skipped_lines: u64,
    /// The first line of the record being read.
    record_line: u64,
    /// The raw bytes of the record being read, from earlier chunks (to find an open quote at
    /// the end of the file), at most `MAX_ROW_BYTES`.
    raw: Vec<u8>,
    /// The record being read is over `MAX_ROW_BYTES`: its bytes are dropped.
    too_long: bool,
}

impl Default for CsvReader {
    fn default() -> Self {
        CsvReader::new()
    }
}

impl CsvReader {
    /// A reader at the start of a file.
    pub fn new() -> CsvReader {
        CsvReader {
            parser: None,
            head: Vec::new(),
            separator: b',',
            out: vec![0; 1024],
            ends: vec![0; 16],
            out_len: 0,
            ends_len: 0,
            at_start: true,
            skipped_lines: 0,
            record_line: 1,
            raw: Vec::new(),
            too_long: false,
        }
    }

    /// The separator, as found on the header line (`,` until then).
    pub fn separator(&self) -> u8 {
        self.separator
    }

    /// Reads the next chunk of the file; `sink` gets every complete record.
    pub fn push(&mut self, chunk: &[u8], sink: &mut impl FnMut(Item<'_>)) {
        if self.parser.is_some() {
            return self.feed(chunk, false, sink);
        }
        // The header line is gathered first: it tells the separator.
        self.head.extend_from_slice(chunk);
        if self.head.contains(&b'\n') {
            self.start_with_head(false, sink);
        }
    }

    /// The end of the file: the last record, if it had no line end.
    pub fn finish(&mut self, sink: &mut impl FnMut(Item<'_>)) {
        if self.parser.is_none() {
            self.start_with_head(true, sink);
        } else {
            self.feed(&[], true, sink);
        }
    }

    /// Drops a byte order mark, finds the separator (the most frequent of `,`, `;` and tab
    /// outside quotes on the first line; `,` when none is there), and reads what came so far.
    fn start_with_head(&mut self, eof: bool, sink: &mut impl FnMut(Item<'_>)) {
        let head = std::mem::take(&mut self.head);
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        let line = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let (mut counts, mut quoted) = ([0usize; 3], false);
        for &b in line {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => counts[0] += 1,
                b';' if !quoted => counts[1] += 1,
                b'\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
        self.separator = if counts[best] == 0 {
            b','
        } else {
            [b',', b';', b'\t'][best]
        };
        self.parser = Some(ReaderBuilder::new().delimiter(self.separator).build());
        self.feed(body, eof, sink);
    }

    fn feed(&mut self, chunk: &[u8], eof: bool, sink: &mut impl FnMut(Item<'_>)) {
        let Some(parser) = self.parser.as_mut() else {
            return;
        };
        // Offsets in `chunk`: what was read, and where the record being read started.
        let (mut at, mut record_start) = (0, 0);
        loop {
            if self.at_start {
                let rest = &chunk[at..];
                let blank = rest
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                self.skipped_lines += rest[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
                at += blank;
                if at == chunk.len() && !eof {
                    return;
                }
                self.record_line = parser.line() + self.skipped_lines;
                record_start = at;
                self.raw.clear();
            }
            let (result, read, written, ended) = parser.read_record(
                &chunk[at..],
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            if read > 0 {
                self.at_start = false;
            }
            at += read;
            self.out_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        // The raw bytes of the unfinished record, for the end-of-file check.
                        let kept = &chunk[record_start..];
                        let room = MAX_ROW_BYTES.saturating_sub(self.raw.len());
                        self.raw.extend_from_slice(&kept[..kept.len().min(room)]);
                        return;
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    let fields = matches!(result, ReadRecordResult::OutputEndsFull);
                    let (len, max) = if fields {
                        (self.ends.len(), MAX_FIELDS)
                    } else {
                        (self.out.len(), MAX_ROW_BYTES)
                    };
                    if len >= max {
                        self.too_long = true;
                        self.out_len = 0;
                        self.ends_len = 0;
                    } else if fields {
                        self.ends.resize(len * 2, 0);
                    } else {
                        self.out.resize(len * 2, 0);
                    }
                }
                ReadRecordResult::Record => {
                    let line = self.record_line.min(u32::MAX as u64) as u32;
                    // The record ended with the file (no line end): was a quote left open?
                    let open = eof && read == 0 && {
                        let kept = &chunk[record_start..];
                        let room = MAX_ROW_BYTES.saturating_sub(self.raw.len());
                        self.raw.extend_from_slice(&kept[..kept.len().min(room)]);
                        opens_a_quote(&self.raw, self.separator)
                    };
                    if open {
                        sink(Item::UnclosedQuote { line });
                    } else if self.too_long {
                        sink(Item::TooLong { line });
                    } else {
                        sink(Item::Record {
                            line,
                            fields: Fields {
                                bytes: &self.out[..self.out_len],
                                ends: &self.ends[..self.ends_len],
                            },
                        });
                    }
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.too_long = false;
                    self.at_start = true;
                }
                ReadRecordResult::End => return,
            }
        }
    }
}

/// Whether these raw bytes of a record end inside a quoted field (a field that starts with `"`
/// and is not closed; `""` inside it is a quote).
fn opens_a_quote(raw: &[u8], separator: u8) -> bool {
    let (mut quoted, mut field_start, mut i) = (false, true, 0);
    while i < raw.len() {
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
            field_start = false;
        } else {
            field_start = b == separator;
        }
        i += 1;
    }
    quoted
}
