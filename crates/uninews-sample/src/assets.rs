//! Small, valid binary files made from a 64-bit key: PNG and baseline JPEG images
//! (different pixels and bytes per key), a GIF icon, and attachment bodies (a one-page
//! PDF; DOCX/XLSX as a stored ZIP). Hand-written because they are tiny and need no
//! compression; the PNG and ZIP checksums are standard CRC-32 and Adler-32.

use super::rng::mix;

/// CRC-32 (IEEE, as PNG and ZIP use it).
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A 32x24 RGB PNG: a two-colour gradient picked by `key`, plus a `tEXt` chunk naming it.
pub(crate) fn png(key: u64) -> Vec<u8> {
    const W: usize = 32;
    const H: usize = 24;
    let c = mix(key).to_le_bytes();
    let mut raw = Vec::with_capacity(H * (1 + W * 3));
    for y in 0..H {
        raw.push(0); // filter: none
        for x in 0..W {
            raw.push(c[0].wrapping_add((x * 4) as u8));
            raw.push(c[1].wrapping_add((y * 6) as u8));
            raw.push(c[2] ^ c[3]);
        }
    }
    // zlib stream with one stored deflate block (raw is < 64 KiB).
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    z.extend_from_slice(&raw);
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"tEXt",
        format!("Comment\0uninews sample image {key:016x}").as_bytes(),
    );
    png_chunk(&mut out, b"IDAT", &z);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Writes bits MSB-first with JPEG byte stuffing.
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, bits: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((bits >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let byte = self.acc as u8;
                self.out.push(byte);
                if byte == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

/// Standard luminance DC table (ITU T.81 K.3): code lengths per category 0..=11.
const DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/// Canonical Huffman code of DC category `cat` in the table above.
fn dc_code(cat: u32) -> (u32, u32) {
    let mut code = 0u32;
    let mut k = 0u32;
    for (len_minus_1, &count) in DC_BITS.iter().enumerate() {
        for _ in 0..count {
            if k == cat {
                return (code, len_minus_1 as u32 + 1);
            }
            code += 1;
            k += 1;
        }
        code <<= 1;
    }
    (0, 0)
}

/// A 32x32 greyscale baseline JPEG: 16 flat 8x8 blocks whose shades come from `key`, plus
/// a comment segment naming the key. Every block is DC-only (AC table holds just EOB).
pub(crate) fn jpeg(key: u64) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(&[
        0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ]);
    let comment = format!("uninews sample image {key:016x}");
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    // DQT: table 0, all ones.
    out.extend_from_slice(&[0xFF, 0xDB, 0, 67, 0]);
    out.extend_from_slice(&[1u8; 64]);
    // SOF0: 8-bit, 32x32, one component, 1x1 sampling, table 0.
    out.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 32, 0, 32, 1, 1, 0x11, 0]);
    // DHT: DC table 0, AC table 0 (a single code: EOB).
    out.extend_from_slice(&[0xFF, 0xC4, 0, (3 + 16 + DC_VALS.len()) as u8, 0x00]);
    out.extend_from_slice(&DC_BITS);
    out.extend_from_slice(&DC_VALS);
    out.extend_from_slice(&[
        0xFF, 0xC4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
    ]);
    // SOS: one component, tables 0/0, full spectral range.
    out.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    let mut bw = BitWriter {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    let mut prev = 0i32;
    let mut h = mix(key ^ 0x51);
    for _ in 0..16 {
        h = mix(h);
        // Flat block of level L (-128..127 after level shift): DC = 8 * L.
        let level = (h % 200) as i32 - 100;
        let dc = level * 8;
        let diff = dc - prev;
        prev = dc;
        let cat = 32 - diff.unsigned_abs().leading_zeros();
        let (code, len) = dc_code(cat);
        bw.put(code, len);
        if cat > 0 {
            let bits = if diff < 0 {
                (diff - 1) as u32 & ((1 << cat) - 1)
            } else {
                diff as u32
            };
            bw.put(bits, cat);
        }
        bw.put(0, 1); // EOB: the AC table's only code, "0"
    }
    out.extend_from_slice(&bw.finish());
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A 16x16 two-colour GIF (file-type icons).
pub(crate) fn gif(key: u64) -> Vec<u8> {
    let c = mix(key).to_le_bytes();
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&[16, 0, 16, 0, 0x80, 0, 0]);
    out.extend_from_slice(&[c[0], c[1], c[2], 0xFF, 0xFF, 0xFF]);
    out.extend_from_slice(&[0x2C, 0, 0, 0, 0, 16, 0, 16, 0, 0]);
    // LZW, minimum code size 2: clear, then 256 pixels of colour 0 as literal codes, with
    // a clear code every 2 pixels so the code size stays 3 bits.
    out.push(2);
    let mut bits: u64 = 0;
    let mut nbits = 0;
    let mut data = Vec::new();
    let mut emit = |code: u64, data: &mut Vec<u8>| {
        bits |= code << nbits;
        nbits += 3;
        while nbits >= 8 {
            data.push(bits as u8);
            bits >>= 8;
            nbits -= 8;
        }
    };
    for _ in 0..128 {
        emit(4, &mut data); // clear
        emit(0, &mut data);
        emit(0, &mut data);
    }
    emit(5, &mut data); // end of information
    if nbits > 0 {
        data.push(bits as u8);
    }
    for chunk in data.chunks(255) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[0, 0x3B]);
    out
}

/// A one-page PDF whose text names the file.
pub(crate) fn pdf(key: u64) -> Vec<u8> {
    let text = format!("uninews sample attachment {key:016x}");
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /SamplePage /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A valid ZIP archive holding one stored text file (stands in for DOCX/XLSX bytes).
pub(crate) fn zip(key: u64) -> Vec<u8> {
    let name = b"uninews-sample.txt";
    let body = format!("uninews sample attachment {key:016x}\n");
    let crc = crc32(body.as_bytes());
    let size = body.len() as u32;
    let mut out = Vec::new();
    let local = |out: &mut Vec<u8>, sig: u32| out.extend_from_slice(&sig.to_le_bytes());
    local(&mut out, 0x0403_4B50);
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, stored, time, date
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(body.as_bytes());
    let central = out.len() as u32;
    local(&mut out, 0x0201_4B50);
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attrs, external attrs (4)
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name);
    let central_len = out.len() as u32 - central;
    local(&mut out, 0x0605_4B50);
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn images_have_magic_bytes_and_differ_per_key() {
        let (a, b) = (png(1), png(2));
        assert!(a.starts_with(b"\x89PNG\r\n\x1a\n") && a.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
        assert_ne!(a, b);
        assert_eq!(png(1), a);
        let (j, k) = (jpeg(1), jpeg(2));
        assert!(j.starts_with(&[0xFF, 0xD8, 0xFF]) && j.ends_with(&[0xFF, 0xD9]));
        assert_ne!(j, k);
        assert!(gif(3).starts_with(b"GIF89a") && gif(3).ends_with(&[0x3B]));
        assert!(pdf(4).starts_with(b"%PDF-1.4") && pdf(4).ends_with(b"%%EOF\n"));
        assert!(zip(5).starts_with(b"PK\x03\x04"));
    }

    #[test]
    fn dc_codes_are_the_standard_ones() {
        assert_eq!(dc_code(0), (0b00, 2));
        assert_eq!(dc_code(1), (0b010, 3));
        assert_eq!(dc_code(5), (0b110, 3));
        assert_eq!(dc_code(6), (0b1110, 4));
        assert_eq!(dc_code(11), (0b1_1111_1110, 9));
    }
}
