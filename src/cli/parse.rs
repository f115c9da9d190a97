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

#[cfg(test)]
mod tests {
    use super::*;

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
