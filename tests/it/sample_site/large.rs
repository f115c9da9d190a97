//! A 100,000-article site: the last list page and an article are served without the site
//! ever being materialised (measured in bytes allocated on this thread, not in time).
#![allow(unsafe_code)] // the counting allocator below; the only unsafe in the workspace

use super::{client, get, start, text_of};
use reqwest::StatusCode;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use uninews_sample::{SampleSite, SiteConfig};

/// Counts the bytes this thread allocates (reallocations count their growth).
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

fn add(n: usize) {
    let _ = ALLOCATED.try_with(|c| c.set(c.get().saturating_add(n)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// const-initialised thread-local without a destructor, so touching it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        // SAFETY: same layout, as GlobalAlloc requires of the caller.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr came from System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size.saturating_sub(layout.size()));
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated() -> usize {
    ALLOCATED.with(Cell::get)
}

#[test]
fn a_100k_site_costs_one_page_of_work() {
    let start = allocated();
    let site = SampleSite::new(SiteConfig::default().with_articles(100_000)).expect("config");
    let vsb_last = site.render("/xyxw/1.htm").expect("oldest VSB page");
    let wp_last = site
        .render("/9364/list5000.htm")
        .expect("oldest WebPlus page");
    let links = site.list_links("/9364/list5000.htm").expect("list");
    let article = site.render(&links[0]).expect("article");
    let used = allocated() - start;
    assert_eq!(site.article_count(), 200_000);
    assert_eq!(links.len(), 20);
    assert!(site.render("/9364/list5001.htm").is_none());
    assert!(vsb_last.body.len() > 1000 && wp_last.body.len() > 1000 && article.body.len() > 1000);
    // 200,000 article paths alone would be ~5 MB; one page of work is far below 1 MB.
    assert!(used < 1 << 20, "allocated {used} bytes");
    eprintln!("100k site: {used} bytes allocated for the site and three pages");
}

#[tokio::test]
async fn a_100k_site_is_served() {
    let server = start(SiteConfig::default().with_articles(100_000)).await;
    let c = client();
    let (status, h, body) = get(&c, &server.url("/xyxw.htm")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&h, &body).contains("共100000条&nbsp;&nbsp;1/5000"));
    let (status, h, body) = get(&c, &server.url("/xyxw/1.htm")).await;
    assert_eq!(status, StatusCode::OK);
    let site = server.site();
    let oldest = site
        .list_links("/xyxw/1.htm")
        .expect("list")
        .pop()
        .expect("one");
    assert!(text_of(&h, &body).contains(&oldest[1..]));
    let (status, _, _) = get(&c, &server.url(&oldest)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        get(&c, &server.url("/9364/list5000.htm")).await.0,
        StatusCode::OK
    );
}
