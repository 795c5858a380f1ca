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
        /// Where the fields' bytes lie in the file, those that are the file's bytes as they are
        /// (all of a record without quotes; a quoted field without doubled quotes): each value
        /// is then a span of the file. Empty when unknown (a record across two chunks).
        place: &'a [Segment],
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
    /// Bytes between two fields: none when the parser wrote them one after the other, one (the
    /// separator) when the record is read where it lies in the file.
    gap: usize,
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
        let (start, end) = self.span(index);
        self.bytes.get(start..end).filter(|_| index < self.len())
    }

    /// Where the field at `index` lies in [`Fields::bytes`] (empty past the last field).
    pub fn span(&self, index: usize) -> (usize, usize) {
        let Some(&end) = self.ends.get(index) else {
            return (self.bytes.len(), self.bytes.len());
        };
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] + self.gap
        };
        (start, end)
    }

    /// Every field's bytes, one after the other (with the separators between them when the
    /// record was read where it lies).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Every field, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Bytes the reader gives that are bytes of the file as they are: their address, length, and
/// offset in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    address: usize,
    len: usize,
    at: u64,
}

impl Segment {
    fn of(bytes: &[u8], at: u64) -> Segment {
        Segment {
            address: bytes.as_ptr() as usize,
            len: bytes.len(),
            at,
        }
    }

    /// Where `value` lies in the file, when it is within these bytes.
    pub fn offset(&self, value: &[u8]) -> Option<u64> {
        let offset = (value.as_ptr() as usize).wrapping_sub(self.address);
        (offset.saturating_add(value.len()) <= self.len).then(|| self.at + offset as u64)
    }

    /// Where `value` lies in the file, when it is within one of `place`.
    pub fn find(place: &[Segment], value: &[u8]) -> Option<u64> {
        place.iter().find_map(|segment| segment.offset(value))
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
    /// The bytes of the file pushed before the chunk being read.
    fed: u64,
    /// The segments of the record given.
    place: Vec<Segment>,
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
            fed: 0,
            place: Vec::new(),
        }
    }

    /// The separator, as found on the header line (`,` until then).
    pub fn separator(&self) -> u8 {
        self.separator
    }

    /// Reads the next chunk of the file; `sink` gets every complete record.
    pub fn push(&mut self, chunk: &[u8], sink: &mut impl FnMut(Item<'_>)) {
        if self.parser.is_some() {
            self.feed(chunk, self.fed, false, sink);
        } else if self.head.is_empty() && chunk.contains(&b'\n') {
            // The header line is whole in this first chunk: read in place.
            self.start(chunk, false, sink);
        } else {
            // The header line is gathered first: it tells the separator. Only the new chunk is
            // searched for its end, and no more than a record's limit is gathered (a byte
            // order mark aside): a longer header line is read on as a record too long.
            self.head.extend_from_slice(chunk);
            if chunk.contains(&b'\n') || self.head.len() > MAX_ROW_BYTES + 3 {
                let head = std::mem::take(&mut self.head);
                self.start(&head, false, sink);
            }
        }
        self.fed += chunk.len() as u64;
    }

    /// The end of the file: the last record, if it had no line end.
    pub fn finish(&mut self, sink: &mut impl FnMut(Item<'_>)) {
        if self.parser.is_none() {
            let head = std::mem::take(&mut self.head);
            self.start(&head, true, sink);
        } else {
            self.feed(&[], self.fed, true, sink);
        }
    }

    /// Drops a byte order mark, finds the separator (the most frequent of `,`, `;` and tab
    /// outside quotes on the first line; `,` when none is there), and reads `head`, the start of
    /// the file.
    fn start(&mut self, head: &[u8], eof: bool, sink: &mut impl FnMut(Item<'_>)) {
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
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
        let mut parser = ReaderBuilder::new().delimiter(self.separator).build();
        // `csv-core` drops a byte order mark at the start of its first read, which is not the
        // file's start when the records before were read in place: a first read of a line end
        // (skipped, as a blank line) so that a mark further on stays text, as it does here for
        // every record alike.
        let (mut out, mut ends) = ([0; 1], [0; 1]);
        parser.read_record(b"\n", &mut out, &mut ends);
        parser.set_line(1);
        self.parser = Some(parser);
        // `head` is the file from its first byte: its body after the mark.
        let base = (head.len() - body.len()) as u64;
        self.feed(body, base, eof, sink);
    }

    /// Reads `chunk`, which starts at the offset `base` of the file.
    fn feed(&mut self, chunk: &[u8], base: u64, eof: bool, sink: &mut impl FnMut(Item<'_>)) {
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
                // Most records hold no quote: they are read where they lie, split on the
                // separator, without the parser (whose state is the same at every record's
                // start). A record with a quote, or not ended in this chunk, goes to the parser.
                let line = self.record_line.min(u32::MAX as u64) as u32;
                let offset = base + at as u64;
                let rest = &chunk[at..];
                let plain = plain_record(rest, self.separator, &mut self.ends, line, offset, sink);
                if let Some((read, newline)) = plain {
                    parser.set_line(parser.line() + u64::from(newline));
                    at += read;
                    continue;
                }
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
                        let fields = Fields {
                            bytes: &self.out[..self.out_len],
                            ends: &self.ends[..self.ends_len],
                            gap: 0,
                        };
                        // A record whole in this chunk: its fields found in its bytes.
                        self.place.clear();
                        if self.raw.is_empty() {
                            let raw = &chunk[record_start..at];
                            let at = base + record_start as u64;
                            segments(raw, at, self.separator, fields, &mut self.place);
                        }
                        sink(Item::Record {
                            line,
                            fields,
                            place: &self.place,
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

/// Reads a record without quotes that ends in `rest` (a `\r` or `\n`) and gives it to `sink`:
/// the bytes read (its line end included) and whether that end was a `\n`; `None` when the
/// parser must read it (a quote, no line end in `rest`, too many fields).
fn plain_record(
    rest: &[u8],
    separator: u8,
    ends: &mut Vec<usize>,
    line: u32,
    offset: u64,
    sink: &mut impl FnMut(Item<'_>),
) -> Option<(usize, bool)> {
    let rest = &rest[..rest.len().min(MAX_ROW_BYTES)];
    let (mut fields, mut i, mut end) = (0, 0, None);
    while i < rest.len() {
        // Eight bytes at a time while none is one that matters (the separator, `"`, a line end),
        // then straight to the first that does.
        if let Some(word) = rest.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let found = matching(u64::from_le_bytes(*word), separator);
            if found == 0 {
                i += 8;
                continue;
            }
            i += (found.trailing_zeros() / 8) as usize;
        }
        let b = rest[i];
        if b == separator {
            if fields + 1 >= MAX_FIELDS {
                return None;
            }
            if fields == ends.len() {
                ends.resize(fields * 2, 0);
            }
            ends[fields] = i;
            fields += 1;
        } else if b == b'\n' || b == b'\r' {
            end = Some(i);
            break;
        } else if b == b'"' {
            return None;
        }
        i += 1;
    }
    let end = end?;
    if fields == ends.len() {
        ends.resize(fields * 2, 0);
    }
    ends[fields] = end;
    sink(Item::Record {
        line,
        fields: Fields {
            bytes: &rest[..end],
            ends: &ends[..=fields],
            gap: 1,
        },
        place: &[Segment::of(&rest[..end], offset)],
    });
    Some((end + 1, rest[end] == b'\n'))
}

/// The segments of a record the parser read (`raw`, its bytes in the file from `at`): each
/// field whose text is the file's bytes as they are, unquoted or quoted without a doubled
/// quote. A segment is only kept where the bytes found equal the parser's: what it maps is the
/// same text whatever this scan gets wrong.
fn segments(raw: &[u8], at: u64, separator: u8, fields: Fields<'_>, place: &mut Vec<Segment>) {
    let ends_field = |b: u8| b == separator || b == b'\r' || b == b'\n';
    let mut i = 0;
    for index in 0..fields.len() {
        let (Some(output), Some(rest)) = (fields.get(index), raw.get(i..)) else {
            return;
        };
        let (start, end, next) = if rest.first() == Some(&b'"') {
            // Quoted: up to the closing quote, which the separator or the line end follows.
            let mut j = 1;
            while j < rest.len() {
                match (rest[j], rest.get(j + 1)) {
                    (b'"', Some(b'"')) => j += 2,
                    (b'"', _) => break,
                    _ => j += 1,
                }
            }
            match rest.get(j + 1) {
                Some(&b) if !ends_field(b) => return,
                _ => (1, j, j + 1),
            }
        } else {
            let len = rest
                .iter()
                .position(|&b| ends_field(b))
                .unwrap_or(rest.len());
            (0, len, len)
        };
        if rest.get(start..end) == Some(output) {
            // The field's bytes in the parser's output, and where they are in the file.
            place.push(Segment::of(output, at + (i + start) as u64));
        }
        i += next + 1;
    }
}

/// The bytes of `word` (read little-endian) that are the separator, a quote, `\r` or `\n`, as
/// their high bits: each byte compared at once, a byte equal to `b` being a zero byte of
/// `word ^ b`, found by the borrow of a subtraction. A borrow can also mark a byte after a
/// match, never one before it: the lowest bit set is the first match.
#[inline(always)]
fn matching(word: u64, separator: u8) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |b: u8| {
        let x = word ^ (LOW * u64::from(b));
        x.wrapping_sub(LOW) & !x & HIGH
    };
    zero(separator) | zero(b'"') | zero(b'\n') | zero(b'\r')
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The lowest bit of `matching` is the first byte that matters, whatever the bytes around it
    /// (those that make a borrow run: 0x00, 0x01, the byte just above each that matters, 0x80,
    /// 0xFF), for each separator the reader takes.
    #[test]
    fn the_first_match_in_a_word_is_its_lowest_bit() {
        let fillers = [
            0x00u8, 0x01, 0x0B, 0x0E, 0x23, 0x2D, 0x3C, b'a', 0x80, 0xC3, 0xFF,
        ];
        for separator in [b',', b';', b'\t', b'|'] {
            let matters = |b: u8| b == separator || b == b'"' || b == b'\r' || b == b'\n';
            for special in [separator, b'"', b'\r', b'\n'] {
                for at in 0..8 {
                    for &before in &fillers {
                        for &after in fillers.iter().chain(&[separator, b'"', b'\n']) {
                            let mut word = [after; 8];
                            word[..at].fill(before);
                            word[at] = special;
                            let first = word.iter().position(|&b| matters(b));
                            let found = matching(u64::from_le_bytes(word), separator);
                            assert_eq!(
                                Some((found.trailing_zeros() / 8) as usize),
                                first,
                                "{word:?}"
                            );
                        }
                    }
                }
            }
            // A word without any: nothing found.
            for &filler in &fillers {
                let word = [filler; 8];
                if !word.iter().any(|&b| matters(b)) {
                    assert_eq!(matching(u64::from_le_bytes(word), separator), 0);
                }
            }
        }
    }

    #[test]
    fn a_header_line_without_end_is_gathered_up_to_a_records_limit() {
        let mut reader = CsvReader::new();
        let mut items = 0;
        for _ in 0..3 * MAX_ROW_BYTES / 1000 {
            reader.push(&[b'a'; 1000], &mut |_| items += 1);
            assert!(reader.head.len() <= MAX_ROW_BYTES + 3 + 1000);
        }
        reader.push(b"\nx\n", &mut |item| {
            items += 1;
            assert!(matches!(
                item,
                Item::TooLong { line: 1 } | Item::Record { .. }
            ));
        });
        assert_eq!(items, 2, "the header line, too long, then the row");
    }
}
