//! Attachments: links to files (by extension, or a CMS download endpoint such as VSB's
//! `download.jsp?…wbfileid=`), and embedded document players (WebPlus `pdfsrc`).

use crate::record::Attachment;
use url::Url;

/// File extensions that make a link an attachment.
const FILE_EXTS: [&str; 27] = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z", "tar", "gz", "tgz",
    "bz2", "txt", "rtf", "csv", "wps", "et", "dps", "odt", "ods", "odp", "ofd", "caj", "xlsm",
    "docm",
];

/// True when `url` points at a downloadable file.
pub fn is_file_url(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let query = url.query().unwrap_or("").to_ascii_lowercase();
    if (path.contains("download.jsp") && query.contains("wbfileid="))
        || path.contains("wbfileid=")
        || query.contains("downloadattachurl")
    {
        return true;
    }
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => FILE_EXTS.contains(&ext),
        _ => false,
    }
}

/// The `title` in a WebPlus `sudyfile-attr="{'title':'…'}"` attribute.
pub fn sudyfile_title(attr: &str) -> Option<String> {
    let at = attr.find("title")?;
    let rest = attr[at + 5..].trim_start().trim_start_matches(['\'', '"']);
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = &rest[1..];
    let end = inner.find(quote)?;
    crate::text::non_empty(&inner[..end])
}

/// Attachments in page order, one per URL.
#[derive(Debug, Default)]
pub struct AttachmentList {
    items: Vec<Attachment>,
}

impl AttachmentList {
    /// Add a link when it points at a file and has a name; later duplicates are ignored.
    pub fn push_link(&mut self, url: &Url, name: &str) {
        let name = crate::text::normalize_ws(name);
        if name.is_empty() || !is_file_url(url) {
            return;
        }
        self.push(url, name);
    }

    /// Add an attachment unconditionally (players, rule-selected links); duplicates ignored.
    pub fn push(&mut self, url: &Url, name: String) {
        let url = url.to_string();
        if self.items.iter().any(|a| a.url == url) {
            return;
        }
        self.items.push(Attachment {
            url,
            name,
            local: None,
        });
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The attachments.
    pub fn into_vec(self) -> Vec<Attachment> {
        self.items
    }
}

/// The file name at the end of a URL path (for players without a title).
pub fn file_name(url: &Url) -> String {
    url.path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn file_links_by_extension_and_download_endpoints() {
        assert!(is_file_url(&u(
            "https://a.edu.cn/_upload/article/files/x/y.xlsx"
        )));
        assert!(is_file_url(&u(
            "http://a.edu.cn/__local/E/E7/4E/87_4200.doc-e=.doc"
        )));
        assert!(is_file_url(&u(
            "http://a.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=1001"
        )));
        assert!(is_file_url(&u(
            "http://a.edu.cn/system/_content/download.jsp-urltype=news.DownloadAttachUrl&owner=1&wbfileid=1002"
        )));
        assert!(is_file_url(&u("https://a.edu.cn/files/Report.PDF")));
        assert!(!is_file_url(&u("https://a.edu.cn/info/1078/1564.htm")));
        assert!(!is_file_url(&u("https://a.edu.cn/pdf/")));
        assert!(!is_file_url(&u("https://a.edu.cn/.doc")));
    }

    #[test]
    fn sudyfile_titles() {
        assert_eq!(
            sudyfile_title("{'title':'活动报道.pdf'}").as_deref(),
            Some("活动报道.pdf")
        );
        assert_eq!(sudyfile_title("{}"), None);
    }

    #[test]
    fn list_keeps_page_order_and_drops_duplicates_and_nameless_links() {
        let mut l = AttachmentList::default();
        l.push_link(&u("https://a.edu.cn/a.doc"), "");
        l.push_link(&u("https://a.edu.cn/a.doc"), " 大纲 ");
        l.push_link(&u("https://a.edu.cn/a.doc"), "again");
        l.push_link(&u("https://a.edu.cn/page.htm"), "not a file");
        l.push_link(&u("https://a.edu.cn/b.pdf"), "b");
        let v = l.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name, "大纲");
        assert_eq!(v[1].url, "https://a.edu.cn/b.pdf");
    }
}
