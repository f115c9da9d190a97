//! Which stored articles become fixtures: spread over a site's page templates and
//! columns rather than the first K. Pure and deterministic.
//!
//! Articles are grouped by the rules that extracted them (`extractor`) and the *shape* of
//! their URL: host, path with the varying numbers replaced by `#`, and the query's
//! parameter names. `/info/1078/1564.htm` and `/info/1078/1570.htm` share the shape
//! `/info/1078/#.htm` (one VSB column); `/2020/0416/c9364a5/page.htm` has the shape
//! `/#/#/c9364a#/page.htm` (one WebPlus column, any date). Picks then go round-robin over
//! the groups (in key order), and inside a group they are evenly spaced over its
//! articles in URL order, so a column's old and new articles are both represented.

use url::Url;

/// The group of an article: `<extractor> <host>[:<port>]<path shape>[?<names>]`.
pub fn group_key(extractor: &str, url: &Url) -> String {
    let mut key = format!("{extractor} {}", url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(&path_shape(url.path()));
    if let Some(query) = url.query() {
        let mut names: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split('=').next().unwrap_or_default())
            .collect();
        names.sort_unstable();
        names.dedup();
        key.push('?');
        key.push_str(&names.join("&"));
    }
    key
}

/// A URL path with its varying numbers replaced by `#`: every number in the last
/// segment (the article's id), the last number of a mixed directory segment
/// (`c9364a123` → `c9364a#`), and all-digit directories that look like dates (a year
/// 1990-2099, a `yyyymm`/`yyyymmdd`, or the month/day parts after a year). Other
/// all-digit directories are column ids and stay (`/info/1078/`).
pub fn path_shape(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    let mut out = Vec::with_capacity(segments.len());
    let mut after_date = false;
    for (i, seg) in segments.iter().enumerate() {
        let all_digits = !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit());
        let shaped = if i == last {
            replace_digit_runs(seg, usize::MAX)
        } else if all_digits {
            if is_year_like(seg) || (after_date && seg.len() <= 4) {
                after_date = true;
                "#".to_string()
            } else {
                after_date = false;
                seg.to_string()
            }
        } else {
            after_date = false;
            replace_digit_runs(seg, 1)
        };
        out.push(shaped);
    }
    out.join("/")
}

/// `1990`..`2099`, or `yyyymm` / `yyyymmdd` in that range.
fn is_year_like(seg: &str) -> bool {
    let year_ok = |y: &str| y.parse::<u32>().is_ok_and(|y| (1990..=2099).contains(&y));
    matches!(seg.len(), 4 | 6 | 8) && year_ok(&seg[..4])
}

/// Replace the last `n` runs of ASCII digits in `seg` with `#` (`usize::MAX`: all).
fn replace_digit_runs(seg: &str, n: usize) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let bytes = seg.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let skip = runs.len().saturating_sub(n);
    let mut out = String::with_capacity(seg.len());
    let mut pos = 0;
    for &(start, end) in &runs[skip..] {
        out.push_str(&seg[pos..start]);
        out.push('#');
        pos = end;
    }
    out.push_str(&seg[pos..]);
    out
}

/// Up to `k` items from `groups` (each group's items in a stable order): one from each
/// group in turn until `k` are taken or every group is used up; within a group, the
/// picks are evenly spaced (one pick takes the middle item). Returned in round-robin
/// order: the first pick of every group, then the second, ...
pub fn pick<T>(groups: Vec<Vec<T>>, k: usize) -> Vec<T> {
    let mut counts = vec![0usize; groups.len()];
    let mut total = 0;
    while total < k {
        let mut progressed = false;
        for (g, items) in groups.iter().enumerate() {
            if total == k {
                break;
            }
            if counts[g] < items.len() {
                counts[g] += 1;
                total += 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    let mut chosen: Vec<std::collections::VecDeque<T>> = Vec::with_capacity(groups.len());
    for (items, &c) in groups.into_iter().zip(&counts) {
        let n = items.len();
        let wanted: Vec<usize> = (0..c).map(|i| (2 * i + 1) * n / (2 * c)).collect();
        let mut taken = std::collections::VecDeque::with_capacity(c);
        for (idx, item) in items.into_iter().enumerate() {
            if wanted.binary_search(&idx).is_ok() {
                taken.push_back(item);
            }
        }
        chosen.push(taken);
    }
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        for q in chosen.iter_mut() {
            if let Some(item) = q.pop_front() {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(u: &str) -> String {
        group_key("cms:vsb", &Url::parse(u).unwrap())
    }

    #[test]
    fn shapes_keep_columns_and_drop_ids_and_dates() {
        assert_eq!(path_shape("/info/1078/1564.htm"), "/info/1078/#.htm");
        assert_eq!(path_shape("/info/1079/1564.htm"), "/info/1079/#.htm");
        assert_eq!(
            path_shape("/2020/0416/c9364a123/page.htm"),
            "/#/#/c9364a#/page.htm"
        );
        assert_eq!(
            path_shape("/news/2021/03/07/a12.html"),
            "/news/#/#/#/a#.html"
        );
        assert_eq!(path_shape("/20210307/123.shtml"), "/#/#.shtml");
        assert_eq!(path_shape("/"), "/");
    }

    #[test]
    fn articles_of_one_column_share_a_key_and_columns_differ() {
        assert_eq!(
            key("http://x.edu.cn/info/1078/1564.htm"),
            key("http://x.edu.cn/info/1078/99.htm")
        );
        assert_ne!(
            key("http://x.edu.cn/info/1078/1564.htm"),
            key("http://x.edu.cn/info/1079/1564.htm")
        );
        assert_ne!(
            key("http://x.edu.cn:8080/info/1078/1.htm"),
            key("http://x.edu.cn/info/1078/1.htm")
        );
        assert_eq!(
            key("http://x.edu.cn/c.jsp?id=5&col=2"),
            key("http://x.edu.cn/c.jsp?col=3&id=77")
        );
        assert_ne!(
            group_key(
                "generic",
                &Url::parse("http://x.edu.cn/info/1078/1.htm").unwrap()
            ),
            key("http://x.edu.cn/info/1078/1.htm")
        );
    }

    #[test]
    fn picks_go_round_robin_and_spread_within_a_group() {
        let groups = vec![
            (0..10).map(|i| format!("a{i}")).collect::<Vec<_>>(),
            vec!["b0".to_string()],
            (0..4).map(|i| format!("c{i}")).collect(),
        ];
        assert_eq!(pick(groups.clone(), 3), ["a5", "b0", "c2"]);
        // a: 3 picks over 10 → 1, 5, 8; b is used up after one; c: 2 picks over 4 → 1, 3.
        assert_eq!(
            pick(groups.clone(), 6),
            ["a1", "b0", "c1", "a5", "c3", "a8"]
        );
        assert_eq!(pick(groups.clone(), 100).len(), 15);
        assert!(pick(groups, 0).is_empty());
        assert!(pick(Vec::<Vec<u8>>::new(), 3).is_empty());
    }
}
