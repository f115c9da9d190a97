//! Hand-verified expectations for the corpus list pages (ids and pager facts read off
//! the pages; see the corpus manifest for their URLs).

use uninews::frontier::discover::Cms;

pub struct Expect {
    pub file: &'static str,
    pub cms: Cms,
    /// Article URLs are `prefix` + id + `suffix`.
    pub prefix: &'static str,
    pub suffix: &'static str,
    pub ids: &'static [&'static str],
    pub next: Option<&'static str>,
    pub total: Option<u32>,
    /// Pages that must be among `pages`; `pages_len` is the exact count.
    pub pages_include: &'static [&'static str],
    pub pages_len: usize,
    pub off_scope_include: &'static [&'static str],
}

pub const CORPUS: &[Expect] = &[
    Expect {
        file: "cqjtu-yjszs/list-8.html",
        cms: Cms::Vsb,
        prefix: "http://yjszs.cqjtu.edu.cn/info/1078/",
        suffix: ".htm",
        ids: &["1591", "1564", "1305", "1304", "1566"],
        next: None,
        total: Some(1),
        pages_include: &[],
        pages_len: 0,
        // Teleport-wrapped out-of-bounds links, unwrapped.
        off_scope_include: &[
            "http://yjsgl.cqjtu.edu.cn/gmis/dsfc/dsfc",
            "http://adge.cqjtu.edu.cn/xkxx/xwdgk.htm",
        ],
    },
    Expect {
        file: "fudan-cs/list-7.html",
        cms: Cms::WebPlus,
        prefix: "https://cs.fudan.edu.cn/",
        suffix: "/page.html",
        ids: &[
            "09/4c/c24258a461132",
            "67/65/c24258a419685",
            "fc/a6/c24258a392358",
            "e9/79/c24258a387449",
            "5b/67/c24258a351079",
            "52/cb/c24258a348875",
            "52/c7/c24258a348871",
            "04/97/c24258a328855",
            "44/9f/c24258a279711",
            "13/1e/c24258a267038",
            "13/17/c24258a267031",
            "13/10/c24258a267024",
            "13/09/c24258a267017",
            "13/06/c24258a267014",
            "12/fa/c24258a267002",
            "12/f6/c24258a266998",
            "12/f3/c24258a266995",
            "12/f0/c24258a266992",
        ],
        // The mirror rewrote the pager's links to `.html`.
        next: Some("https://cs.fudan.edu.cn/24258/list2.html"),
        total: Some(10),
        pages_include: &[
            "https://cs.fudan.edu.cn/24258/list2.html",
            "https://cs.fudan.edu.cn/24258/list5.html",
            "https://cs.fudan.edu.cn/24258/list10.html",
        ],
        // list2 ... list10 (list.htm is the page itself; list.html its mirror spelling).
        pages_len: 10,
        off_scope_include: &[],
    },
    Expect {
        file: "fudan-cs/list-8.html",
        cms: Cms::WebPlus,
        prefix: "https://cs.fudan.edu.cn/12/",
        suffix: "/page.htm",
        ids: &[
            "ee/c24258a266990",
            "ec/c24258a266988",
            "e9/c24258a266985",
            "e8/c24258a266984",
            "e5/c24258a266981",
            "e3/c24258a266979",
            "e2/c24258a266978",
            "e0/c24258a266976",
            "df/c24258a266975",
            "dd/c24258a266973",
            "dc/c24258a266972",
            "d9/c24258a266969",
            "d8/c24258a266968",
            "d7/c24258a266967",
            "d5/c24258a266965",
            "d4/c24258a266964",
            "d3/c24258a266963",
            "d2/c24258a266962",
        ],
        next: Some("https://cs.fudan.edu.cn/24258/list3.htm"),
        total: Some(10),
        // `list1.htm` (first/prev) is page 1: canonicalised to `list.htm`.
        // Page 2 lists only its pager's links (first, next, last): enumerating every page
        // is done once, on the list's first page, not again from each page.
        pages_include: &[
            "https://cs.fudan.edu.cn/24258/list.htm",
            "https://cs.fudan.edu.cn/24258/list3.htm",
            "https://cs.fudan.edu.cn/24258/list10.html",
        ],
        pages_len: 3,
        off_scope_include: &[],
    },
    Expect {
        file: "gdqy/list-2.html",
        cms: Cms::Vsb,
        prefix: "https://www.gdqy.edu.cn/info/1057/",
        suffix: ".htm",
        ids: &[
            "8920", "8885", "8887", "8876", "8866", "8869", "8859", "8870", "8847", "8857", "8867",
            "8827", "8825", "8816", "8809", "8805", "8745", "8744", "8724", "8732",
        ],
        next: Some("https://www.gdqy.edu.cn/gqxw1/yw/128.htm"),
        total: Some(129),
        // 129 pages: yw.htm (this page), then yw/128.htm down to yw/1.htm.
        pages_include: &[
            "https://www.gdqy.edu.cn/gqxw1/yw/128.htm",
            "https://www.gdqy.edu.cn/gqxw1/yw/64.htm",
            "https://www.gdqy.edu.cn/gqxw1/yw/1.htm",
        ],
        pages_len: 128,
        off_scope_include: &["http://mail.gdqy.edu.cn/"],
    },
    Expect {
        file: "henu-rsc/list-5.html",
        cms: Cms::Vsb,
        prefix: "https://rs.henu.edu.cn/info/1030/",
        suffix: ".htm",
        // Six of the eight items are inside an HTML comment; the first is on another host.
        ids: &["2662"],
        next: None,
        total: Some(1),
        pages_include: &[],
        pages_len: 0,
        off_scope_include: &["https://bio.henu.edu.cn/info/1059/5857.htm"],
    },
    Expect {
        file: "nju-itsc/list-3.html",
        cms: Cms::WebPlus,
        prefix: "https://itsc.nju.edu.cn/28/",
        suffix: "/page.htm",
        ids: &[
            "e4/c21558a534756",
            "e7/c21558a534759",
            "d7/c21558a534743",
            "f1/c21558a534769",
            "ec/c21558a534764",
            "ea/c21558a534762",
            "e5/c21558a534757",
            "de/c21558a534750",
            "dd/c21558a534749",
            "db/c21558a534747",
            "ee/c21558a534766",
            "e9/c21558a534761",
            "e6/c21558a534758",
            "f0/c21558a534768",
        ],
        // The pager uses the column's alias folder.
        next: Some("https://itsc.nju.edu.cn/wlyxqk/list2.htm"),
        total: Some(9),
        pages_include: &[
            "https://itsc.nju.edu.cn/wlyxqk/list.htm",
            "https://itsc.nju.edu.cn/wlyxqk/list2.htm",
            "https://itsc.nju.edu.cn/wlyxqk/list9.htm",
        ],
        pages_len: 9,
        off_scope_include: &[],
    },
];
