//! The Thrift compact protocol, as far as Parquet's footer and page headers need it.

/// Compact-protocol type codes.
pub const I32: u8 = 5;
pub const I64: u8 = 6;
pub const BINARY: u8 = 8;
pub const STRUCT: u8 = 12;

/// Writes one Thrift struct (and the structs and lists inside it) in the compact protocol.
pub struct CompactWriter {
    pub out: Vec<u8>,
    /// Id of the last field written, per open struct.
    last: Vec<i16>,
}

impl CompactWriter {
    /// A writer positioned inside a top-level struct.
    pub fn new() -> Self {
        Self {
            out: Vec::new(),
            last: vec![0],
        }
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn zigzag(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn header(&mut self, id: i16, kind: u8) {
        let last = self.last.last_mut().expect("inside a struct");
        let delta = id - *last;
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | kind);
        } else {
            self.out.push(kind);
            let id = i64::from(id);
            self.zigzag(id);
        }
        *self.last.last_mut().expect("inside a struct") = id;
    }

    pub fn i32(&mut self, id: i16, v: i32) {
        self.header(id, I32);
        self.zigzag(i64::from(v));
    }

    pub fn i64(&mut self, id: i16, v: i64) {
        self.header(id, I64);
        self.zigzag(v);
    }

    pub fn binary(&mut self, id: i16, bytes: &[u8]) {
        self.header(id, BINARY);
        self.element_binary(bytes);
    }

    /// Opens a struct field; close it with [`Self::end`].
    pub fn begin(&mut self, id: i16) {
        self.header(id, STRUCT);
        self.last.push(0);
    }

    /// Opens a struct that is an element of a list.
    pub fn begin_element(&mut self) {
        self.last.push(0);
    }

    /// Closes the innermost open struct (or, last, the top-level one).
    pub fn end(&mut self) {
        self.out.push(0);
        self.last.pop();
    }

    /// A list field of `len` elements of type `kind`, written next with the `element_*` calls.
    pub fn list(&mut self, id: i16, kind: u8, len: usize) {
        self.header(id, 9);
        if len < 15 {
            self.out.push(((len as u8) << 4) | kind);
        } else {
            self.out.push(0xF0 | kind);
            self.varint(len as u64);
        }
    }

    pub fn element_i32(&mut self, v: i32) {
        self.zigzag(i64::from(v));
    }

    pub fn element_binary(&mut self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        self.out.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_with_deltas_and_long_jumps() {
        let mut w = CompactWriter::new();
        w.i32(1, 3);
        w.i64(20, -1);
        w.binary(21, b"ab");
        w.end();
        // field 1 i32 3 -> 0x15 0x06; field 20 (jump of 19) -> 0x06, zigzag(20)=40, zigzag(-1)=1;
        // field 21 binary -> 0x18, len 2, "ab"; stop.
        assert_eq!(w.out, [0x15, 0x06, 0x06, 40, 1, 0x18, 2, b'a', b'b', 0]);
    }
}
