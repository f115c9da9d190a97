//! Tests of the WARC writer: file names, warcinfo, rotation, repair after a crash.

use super::*;
use crate::store::warc::read::scan;
use crate::store::warc::record::WarcRecord;

fn member(i: usize, size: usize) -> Vec<u8> {
    let mut r = WarcRecord::new(
        "resource",
        &format!("<urn:uuid:{i}>"),
        "2025-01-01T00:00:00.000000Z",
    )
    .field("WARC-Target-URI", format!("http://a.edu/{i}"));
    // Incompressible-ish bytes so the gzip member keeps roughly `size` bytes.
    r.block = (0..size)
        .map(|j| ((j * 7919 + i * 31) % 251) as u8 ^ (j >> 3) as u8)
        .collect();
    r.to_gzip().unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn info() -> Vec<(String, String)> {
    vec![("robots".into(), "classic".into())]
}

#[test]
fn files_start_with_warcinfo_and_are_open_until_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::open(dir.path(), 1 << 30, info()).unwrap();
    assert!(
        names(dir.path()).is_empty(),
        "no file before the first record"
    );
    let path = w.append(&[&member(1, 100)]).unwrap();
    let listed = names(dir.path());
    assert_eq!(listed.len(), 1);
    assert!(listed[0].ends_with(OPEN_SUFFIX), "{listed:?}");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("uninews-") && name.ends_with("-00000.warc.gz"),
        "{name}"
    );
    assert_eq!(name.len(), "uninews-20250101000000000-00000.warc.gz".len());
    w.close().unwrap();
    assert_eq!(names(dir.path()), std::slice::from_ref(&name));
    let s = scan(&path).unwrap();
    assert_eq!(s.torn, None);
    assert_eq!(s.records.len(), 2);
    let info = &s.records[0];
    assert_eq!(info.get("WARC-Type"), Some("warcinfo"));
    assert_eq!(info.get("WARC-Filename"), Some(name.as_str()));
    assert_eq!(info.get("Content-Type"), Some("application/warc-fields"));
    let text = String::from_utf8(info.block.clone()).unwrap();
    assert!(
        text.starts_with(&format!(
            "software: uninews/{}\r\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    assert!(text.contains("format: WARC File Format 1.1\r\n"));
    assert!(text.contains("conformsTo: http://iipc.github.io/warc-specifications/"));
    assert!(text.ends_with("robots: classic\r\n"));
    assert_eq!(
        info.get("WARC-Block-Digest"),
        Some(crate::store::warc::record::sha1_digest(&info.block).as_str())
    );
    assert_eq!(s.records[1].get("WARC-Target-URI"), Some("http://a.edu/1"));
}

#[test]
fn files_rotate_once_they_reach_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 3000;
    let mut w = WarcWriter::open(dir.path(), limit, info()).unwrap();
    let mut written = Vec::new();
    for i in 0..10 {
        // Each call is one exchange: two records that must stay together.
        let (a, b) = (member(2 * i, 700), member(2 * i + 1, 700));
        let path = w.append(&[&a, &b]).unwrap();
        written.push((path, 2 * i));
    }
    w.close().unwrap();
    let files: Vec<String> = names(dir.path());
    assert!(files.len() >= 3, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".warc.gz")), "{files:?}");
    let mut seen = Vec::new();
    for (n, f) in files.iter().enumerate() {
        let path = dir.path().join(f);
        let len = std::fs::metadata(&path).unwrap().len();
        let s = scan(&path).unwrap();
        assert_eq!(s.torn, None);
        assert_eq!(s.records[0].get("WARC-Type"), Some("warcinfo"), "{f}");
        let pairs = &s.records[1..];
        assert_eq!(
            pairs.len() % 2,
            0,
            "{f}: an exchange was split across files"
        );
        // Every file but the last reached the limit, and the limit was passed by at most
        // the one exchange that crossed it.
        if n + 1 < files.len() {
            assert!(len >= limit, "{f}: closed at {len} < {limit}");
            let last_pair = s.records[s.records.len() - 2].offset;
            assert!(
                last_pair < limit,
                "{f}: a file kept growing after the limit"
            );
        }
        for r in pairs {
            seen.push(r.get("WARC-Record-ID").unwrap().to_string());
        }
    }
    let want: Vec<String> = (0..20).map(|i| format!("<urn:uuid:{i}>")).collect();
    assert_eq!(seen, want, "every record exactly once, in order");
    assert_eq!(w.closed().len(), files.len());
    for (path, _) in &written {
        assert!(path.exists(), "{}", path.display());
    }
}

#[test]
fn a_torn_open_file_is_cut_to_its_last_whole_record_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::open(dir.path(), 1 << 30, info()).unwrap();
    let (a, b, c) = (member(1, 300), member(2, 300), member(3, 5000));
    w.append(&[&a, &b]).unwrap();
    let open = dir.path().join(&names(dir.path())[0]);
    let whole = std::fs::metadata(&open).unwrap().len();
    std::mem::forget(w); // a kill -9: no close, no rename
    for cut in [1, 10, c.len() / 2, c.len() - 1] {
        // Simulate a kill in the middle of writing member `c`.
        let copy = dir.path().join(format!("cut{cut}.warc.gz.open"));
        let mut bytes = std::fs::read(&open).unwrap();
        bytes.extend_from_slice(&c[..cut]);
        std::fs::write(&copy, &bytes).unwrap();
        let closed = repair_file(&copy).unwrap().expect("records left");
        assert_eq!(closed, dir.path().join(format!("cut{cut}.warc.gz")));
        assert!(!copy.exists());
        assert_eq!(
            std::fs::metadata(&closed).unwrap().len(),
            whole,
            "cut {cut}"
        );
        let s = scan(&closed).unwrap();
        assert_eq!(s.torn, None);
        let ids: Vec<_> = s.records[1..]
            .iter()
            .map(|r| r.get("WARC-Record-ID").unwrap())
            .collect();
        assert_eq!(ids, ["<urn:uuid:1>", "<urn:uuid:2>"], "cut {cut}");
        std::fs::remove_file(&closed).unwrap();
    }
    // A whole file left open (killed between records) is closed unchanged.
    let closed = repair_file(&open).unwrap().expect("records");
    assert_eq!(std::fs::metadata(&closed).unwrap().len(), whole);
}

#[test]
fn opening_the_folder_repairs_leftovers_and_drops_empty_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::open(dir.path(), 1 << 30, info()).unwrap();
    w.append(&[&member(1, 200)]).unwrap();
    let open = dir.path().join(&names(dir.path())[0]);
    std::mem::forget(w);
    let mut bytes = std::fs::read(&open).unwrap();
    bytes.extend_from_slice(&member(2, 200)[..50]);
    std::fs::write(&open, &bytes).unwrap();
    // A file killed while its warcinfo was being written holds no exchange.
    let empty = dir
        .path()
        .join("uninews-20000101000000000-00000.warc.gz.open");
    std::fs::write(&empty, &member(9, 100)[..20]).unwrap();

    let mut w = WarcWriter::open(dir.path(), 1 << 30, info()).unwrap();
    let listed = names(dir.path());
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].ends_with(".warc.gz"));
    let s = scan(&dir.path().join(&listed[0])).unwrap();
    assert_eq!(s.records.len(), 2);
    assert_eq!(s.torn, None);
    // The new run writes to a new file.
    let new = w.append(&[&member(3, 10)]).unwrap();
    w.close().unwrap();
    assert_ne!(new, dir.path().join(&listed[0]));
    assert_eq!(names(dir.path()).len(), 2);
}

#[test]
fn scan_reports_where_a_file_is_torn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.warc.gz");
    let (a, b) = (member(1, 100), member(2, 100));
    std::fs::write(&path, [a.clone(), b[..b.len() - 3].to_vec()].concat()).unwrap();
    let s = scan(&path).unwrap();
    assert_eq!(s.records.len(), 1);
    assert_eq!(s.good_len, a.len() as u64);
    assert!(s.torn.unwrap().contains(&format!("offset {}", a.len())));
    // Garbage that is not gzip at all is torn too.
    std::fs::write(&path, [a.clone(), b"GARBAGE".to_vec()].concat()).unwrap();
    let s = scan(&path).unwrap();
    assert_eq!((s.records.len(), s.good_len), (1, a.len() as u64));
}
