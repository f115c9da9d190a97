//! Value parsers for command-line options shared by several commands (`--rate`, sizes).

/// A size option: a positive number of bytes, optionally with a unit: `K`/`KB`, `M`/`MB`,
/// `G`/`GB` (powers of 1000) or `KiB`, `MiB`, `GiB` (powers of 1024); case-insensitive.
pub(super) fn size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => 0,
    };
    match num.parse::<u64>().ok().and_then(|n| n.checked_mul(factor)) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "{s:?} is not a positive size in bytes (e.g. 500000, 500K, 20MiB, 1G)"
        )),
    }
}

/// `--rate`: a positive number, or `unlimited`.
pub(super) fn rate(s: &str) -> Result<f64, String> {
    if s.eq_ignore_ascii_case("unlimited") {
        return Ok(f64::INFINITY);
    }
    match s.parse::<f64>() {
        Ok(r) if r > 0.0 && !r.is_nan() => Ok(r),
        _ => Err(format!(
            "{s:?} is not a positive number of requests per second (or `unlimited`)"
        )),
    }
}

/// A `--start-urls` file: one URL per line; blank lines and lines starting with `#`
/// are ignored, as is anything after whitespace on a line (a comment or a label).
pub(super) fn url_list(text: &str) -> Result<Vec<url::Url>, String> {
    let mut urls = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or(line);
        match url::Url::parse(first) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => urls.push(u),
            Ok(u) => return Err(format!("line {}: {:?} is not http(s)", i + 1, u.as_str())),
            Err(e) => return Err(format!("line {}: {first:?} is not a URL: {e}", i + 1)),
        }
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_lists_skip_comments_and_blank_lines_and_name_the_bad_line() {
        let text =
            "# province A\nhttp://a.edu.cn/news/\n\n  https://b.edu.cn/xw.htm  B university\n";
        let urls = url_list(text).unwrap();
        let got: Vec<&str> = urls.iter().map(url::Url::as_str).collect();
        assert_eq!(got, ["http://a.edu.cn/news/", "https://b.edu.cn/xw.htm"]);
        let err = url_list("http://a.test/\nnot a url\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(
            url_list("ftp://a.test/x")
                .unwrap_err()
                .contains("not http(s)")
        );
    }

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        assert_eq!(size("500000"), Ok(500_000));
        assert_eq!(size("512K"), Ok(512_000));
        assert_eq!(size("512KiB"), Ok(512 * 1024));
        assert_eq!(size("20M"), Ok(20_000_000));
        assert_eq!(size("20mb"), Ok(20_000_000));
        assert_eq!(size("20MiB"), Ok(20 * 1024 * 1024));
        assert_eq!(size("1g"), Ok(1_000_000_000));
        assert_eq!(size("1GiB"), Ok(1 << 30));
        for bad in ["0", "", "M", "-1", "1.5M", "20X", "99999999999999999999"] {
            assert!(size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rates_are_positive_or_unlimited() {
        assert_eq!(rate("2.5"), Ok(2.5));
        assert_eq!(rate("Unlimited"), Ok(f64::INFINITY));
        for bad in ["0", "-1", "NaN", "", "fast"] {
            assert!(rate(bad).is_err(), "{bad:?}");
        }
    }
}
