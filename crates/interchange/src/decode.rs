//! Turns the bytes of an XML file into a stream of UTF-8, honouring its byte order mark or XML
//! declaration (Sparx EA writes windows-1252), without holding the whole file: a 200 MB file is
//! read through a fixed-size buffer. A size limit stops a file that never ends.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use encoding_rs::{Decoder, Encoding, UTF_8};

use crate::error::{Error, Result};

const CHUNK: usize = 64 * 1024;

/// A UTF-8 stream and what it was decoded from.
pub struct Utf8Stream<'a> {
    pub reader: Box<dyn BufRead + 'a>,
    /// The encoding of the bytes (UTF-8 when nothing was transcoded).
    pub encoding: &'static Encoding,
    /// Set when the input went past the size limit.
    pub exceeded: Rc<Cell<bool>>,
    /// Length of the byte order mark skipped at the start.
    pub bom: usize,
}

/// Reads the start of `input` to find its encoding and returns a UTF-8 stream of the whole.
pub fn utf8_stream<'a, R: Read + 'a>(mut input: R, limit: u64) -> Result<Utf8Stream<'a>> {
    let mut head = vec![0u8; 1024];
    let mut filled = 0;
    while filled < head.len() {
        let n = input.read(&mut head[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let (encoding, bom) = detect(&head)?;
    let exceeded = Rc::new(Cell::new(false));
    let rest = std::io::Cursor::new(head.split_off(bom)).chain(input);
    let limited = Limit {
        inner: rest,
        left: limit,
        exceeded: exceeded.clone(),
    };
    let reader: Box<dyn BufRead + 'a> = if encoding == UTF_8 {
        Box::new(BufReader::with_capacity(CHUNK, limited))
    } else {
        Box::new(BufReader::with_capacity(
            CHUNK,
            Transcode::new(limited, encoding.new_decoder_without_bom_handling()),
        ))
    };
    Ok(Utf8Stream {
        reader,
        encoding,
        exceeded,
        bom,
    })
}

/// The encoding and the length of the byte order mark.
fn detect(head: &[u8]) -> Result<(&'static Encoding, usize)> {
    if let Some((enc, len)) = Encoding::for_bom(head) {
        return Ok((enc, len));
    }
    // Without a BOM the declaration is ASCII in every encoding Tributary reads.
    let Some(label) = declared_encoding(head) else {
        return Ok((UTF_8, 0));
    };
    match Encoding::for_label(label.as_bytes()) {
        Some(enc) if enc.is_single_byte() || enc == UTF_8 => Ok((enc, 0)),
        // UTF-16 without a BOM, or an encoding that is not ASCII-compatible: the declaration
        // itself could not have been read as ASCII, so the label is not to be trusted.
        _ => Err(Error::Encoding(label)),
    }
}

/// The `encoding="..."` of an XML declaration at the very start.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(head.get(..head.len().min(200))?)
        .ok()
        .or_else(|| std::str::from_utf8(&head[..=head.iter().position(|&b| b == b'>')?]).ok())?;
    let decl = text.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// Fails the read (and raises the flag) once more than `left` bytes have passed.
struct Limit<R> {
    inner: R,
    left: u64,
    exceeded: Rc<Cell<bool>>,
}

impl<R: Read> Read for Limit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.exceeded.set(true);
            return Err(std::io::Error::other("the file is larger than the limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Decodes another encoding into UTF-8 as it is read.
struct Transcode<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    done: bool,
    pending: Vec<u8>,
}

impl<R: Read> Transcode<R> {
    fn new(inner: R, decoder: Decoder) -> Self {
        Transcode {
            inner,
            decoder,
            input: vec![0; CHUNK],
            start: 0,
            end: 0,
            done: false,
            pending: Vec::new(),
        }
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if !self.pending.is_empty() {
            let k = self.pending.len().min(out.len());
            out[..k].copy_from_slice(&self.pending[..k]);
            self.pending.drain(..k);
            return Ok(k);
        }
        // One character takes up to four bytes of UTF-8: decode a tiny request into a spare
        // buffer and hand it out from there.
        if out.len() < 4 {
            let mut spare = [0u8; 16];
            let n = self.read(&mut spare)?;
            self.pending.extend_from_slice(&spare[..n]);
            return if self.pending.is_empty() {
                Ok(0)
            } else {
                self.read(out)
            };
        }
        loop {
            if self.start == self.end && !self.done {
                self.start = 0;
                self.end = self.inner.read(&mut self.input)?;
                self.done = self.end == 0;
            }
            let last = self.done;
            let (_, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[self.start..self.end], out, last);
            self.start += read;
            if written > 0 || last {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn decode(bytes: Vec<u8>) -> (String, &'static str) {
        let mut s = utf8_stream(std::io::Cursor::new(bytes), 1 << 20).unwrap();
        let mut out = String::new();
        s.reader.read_to_string(&mut out).unwrap();
        (out, s.encoding.name())
    }

    #[test]
    fn windows_1252_declared_is_transcoded() {
        let mut bytes = b"<?xml version='1.0' encoding='windows-1252'?><a>".to_vec();
        bytes.extend([0x43, 0x61, 0x66, 0xE9, 0x20, 0x80]); // "Café €" in windows-1252
        bytes.extend(b"</a>");
        let (text, enc) = decode(bytes);
        assert_eq!(enc, "windows-1252");
        assert!(text.contains("<a>Café €</a>"), "{text}");
    }

    #[test]
    fn no_declaration_is_utf8_and_a_bom_is_dropped() {
        let (text, enc) = decode(b"\xEF\xBB\xBF<a>\xC3\xA9</a>".to_vec());
        assert_eq!((text.as_str(), enc), ("<a>é</a>", "UTF-8"));
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>é</a>".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(bytes).0, "<a>é</a>");
    }

    #[test]
    fn an_unknown_encoding_is_named() {
        let err = utf8_stream(
            std::io::Cursor::new(b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>".to_vec()),
            100,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("\"klingon\""), "{err}");
    }

    #[test]
    fn the_limit_stops_reading() {
        let mut s = utf8_stream(std::io::Cursor::new(vec![b' '; 5000]), 100).unwrap();
        let mut out = String::new();
        assert!(s.reader.read_to_string(&mut out).is_err());
        assert!(s.exceeded.get());
    }
}
