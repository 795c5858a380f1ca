//! The portfolio: every customer of the partner, page after page as Partner Center pages them
//! (`links.next.uri` with the headers of `links.next.headers`, `MS-ContinuationToken`; the
//! last page has no `links.next`), each customer's standing read as it is found (one or two
//! requests: `standing::StandingReads`), at most a number at once and fewer after throttling
//! (`pool`), cancel at any time. Apart from any I/O: the caller performs each job.

use serde::Deserialize;

use crate::flows::backend::BackendProblem;
use crate::flows::pool::{Pool, PoolProgress};

/// Customers asked for per page.
pub const PAGE_SIZE: u32 = 200;

/// A link to the next page, as Partner Center gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
pub struct PageLink {
    /// Its path and query, relative to the API's version (`/customers?size=200&…`).
    pub uri: String,
    /// Headers to send with it (`MS-ContinuationToken`).
    #[serde(default)]
    pub headers: Vec<Header>,
}

/// A header of a link.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
pub struct Header {
    /// Its name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// The parts of a customer the portfolio shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase")]
pub struct CustomerItem {
    /// Its id.
    pub id: String,
    /// Its company profile.
    #[serde(default)]
    pub company_profile: CompanyProfile,
    /// Its billing profile.
    #[serde(default)]
    pub billing_profile: BillingProfile,
}

/// A customer's company profile (the part the portfolio shows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase", default)]
pub struct CompanyProfile {
    /// The company name.
    pub company_name: String,
    /// Its domain.
    pub domain: String,
}

/// A customer's billing profile (the part the portfolio shows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase", default)]
pub struct BillingProfile {
    /// Its default address.
    pub default_address: Address,
}

/// An address (the part the portfolio shows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    /// Its country, ISO code.
    pub country: String,
}

/// The links of a collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(default)]
pub struct Links {
    /// The next page, absent on the last.
    pub next: Option<PageLink>,
}

/// One page of customers, as Partner Center answers `GET /v1/customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(csp_agreements_derive::Readable))]
#[serde(rename_all = "camelCase", default)]
pub struct Page {
    /// How many customers in all, when it says.
    pub total_count: Option<u64>,
    /// This page's customers.
    pub items: Vec<CustomerItem>,
    /// Where the next page is.
    pub links: Links,
}

/// The headers a page link may not set: the client's own.
const OWN_HEADERS: [&str; 8] = [
    "authorization",
    "accept",
    "content-type",
    "ms-requestid",
    "ms-correlationid",
    "x-locale",
    "host",
    "cookie",
];

impl PageLink {
    /// The path to request, under the API base: the link's own path under `/v1` (where
    /// Partner Center writes it relative to the version), never another host.
    pub fn path(&self) -> Option<String> {
        let uri = self.uri.trim();
        let relative = uri.starts_with('/') && !uri.starts_with("//") && !uri.contains('\\');
        if !relative || uri.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return None;
        }
        Some(if uri.starts_with("/v1/") {
            uri.to_string()
        } else {
            crate::checks::text::join(&["/v1", uri], "")
        })
    }

    /// The headers to send with it: every one it names, except the client's own, each a
    /// header a request can carry.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|h| {
                crate::flows::origin::is_header_name(&h.key)
                    && crate::flows::origin::is_header_value(&h.value)
                    && !OWN_HEADERS.contains(&h.key.to_ascii_lowercase().as_str())
            })
            .map(|h| (h.key.clone(), h.value.clone()))
            .collect()
    }
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Read a page of customers: the first (`None`, `GET /v1/customers?size=…`) or the one a
    /// link names.
    Page(Option<PageLink>),
    /// Read customer `index`'s standing.
    Customer(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pages {
    /// The next page to read.
    Next(Option<PageLink>),
    Reading,
    /// Every page read, or a page failed for good.
    Done,
}

/// A scan of the whole portfolio.
#[derive(Debug, Clone)]
pub struct Scan {
    pool: Pool,
    pages: Pages,
    customers: Vec<CustomerItem>,
    seen: std::collections::HashSet<String>,
    total_count: Option<u64>,
    pages_read: usize,
    page_error: Option<BackendProblem>,
}

/// How far a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanProgress {
    /// The customers' reads.
    pub pool: PoolProgress,
    /// Customers found so far.
    pub found: usize,
    /// How many Partner Center says there are, when it says.
    pub total_count: Option<u64>,
    /// Pages read.
    pub pages: usize,
    /// Why the pages stopped before the last, if they did.
    pub page_error: Option<BackendProblem>,
    /// Nothing under way, and nothing more will be found or read.
    pub finished: bool,
}

impl Scan {
    /// A scan reading at most `concurrency` customers at once.
    pub fn new(concurrency: usize) -> Scan {
        Scan {
            pool: Pool::new(0, concurrency),
            pages: Pages::Next(None),
            customers: Vec::new(),
            seen: std::collections::HashSet::new(),
            total_count: None,
            pages_read: 0,
            page_error: None,
        }
    }

    /// The request of the first page.
    pub fn first_page() -> crate::flows::endpoints::Endpoint {
        crate::flows::endpoints::customers(PAGE_SIZE)
    }

    /// The next job, if one may start now: the next page while fewer than a page of customers
    /// wait to be read (one page at a time), else a customer.
    pub fn next_job(&mut self) -> Option<Job> {
        let cancelled = self.pool.progress(true).cancelled;
        let waiting = self.pool.progress(true);
        let queued = waiting.total - waiting.done - waiting.in_flight;
        if !cancelled && queued < PAGE_SIZE as usize {
            if let Pages::Next(link) = &self.pages {
                let job = Job::Page(link.clone());
                self.pages = Pages::Reading;
                return Some(job);
            }
        }
        self.pool.next_item().map(Job::Customer)
    }

    /// A page read: its customers join the scan (each once, even if pages overlap); its link
    /// says where the next is. A page that failed (after the client's retries) ends the
    /// paging: the customers found are still read, and the progress says why it stopped.
    pub fn on_page(&mut self, page: Result<Page, BackendProblem>) {
        match page {
            Ok(page) => {
                self.pages_read += 1;
                self.total_count = page.total_count.or(self.total_count);
                let before = self.customers.len();
                for item in page.items {
                    if self.seen.insert(item.id.to_ascii_lowercase()) {
                        self.customers.push(item);
                    }
                }
                self.pool.extend(self.customers.len() - before);
                // A next page that is not a path on the API (another host) is not followed.
                self.pages = match page.links.next {
                    _ if self.pool.progress(true).cancelled => Pages::Done,
                    Some(link) if link.path().is_some() => Pages::Next(Some(link)),
                    Some(_) => {
                        self.page_error = Some(BackendProblem::Unexpected);
                        Pages::Done
                    }
                    None => Pages::Done,
                };
            }
            Err(problem) => {
                self.page_error = Some(problem);
                self.pages = Pages::Done;
            }
        }
    }

    /// A customer's standing read (or failed); `throttled` when Partner Center answered 429 on
    /// the way.
    pub fn on_customer(&mut self, failed: bool, throttled: bool) {
        self.pool.on_done(failed, throttled);
    }

    /// Customer `index`, as found.
    pub fn customer(&self, index: usize) -> &CustomerItem {
        &self.customers[index]
    }

    /// Changes how many customers are read at once.
    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.pool.set_concurrency(concurrency);
    }

    /// Nothing new starts (neither a page nor a customer); what is under way finishes.
    pub fn cancel(&mut self) {
        self.pool.cancel();
        if matches!(self.pages, Pages::Next(_)) {
            self.pages = Pages::Done;
        }
    }

    /// How far it is.
    pub fn progress(&self) -> ScanProgress {
        let more = !matches!(self.pages, Pages::Done);
        let pool = self.pool.progress(more);
        ScanProgress {
            pool,
            found: self.customers.len(),
            total_count: self.total_count,
            pages: self.pages_read,
            page_error: self.page_error,
            finished: pool.finished && self.pages != Pages::Reading && (pool.cancelled || !more),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: std::ops::Range<u32>, next: Option<&str>, total: u64) -> Page {
        Page {
            total_count: Some(total),
            items: ids
                .map(|n| CustomerItem {
                    id: format!("c-{n}"),
                    company_profile: CompanyProfile::default(),
                    billing_profile: BillingProfile::default(),
                })
                .collect(),
            links: Links {
                next: next.map(|token| PageLink {
                    uri: "/customers?size=200&seekOperation=Next".into(),
                    headers: vec![Header {
                        key: "MS-ContinuationToken".into(),
                        value: token.into(),
                    }],
                }),
            },
        }
    }

    #[test]
    fn every_page_then_every_customer_each_once() {
        let mut scan = Scan::new(4);
        assert_eq!(scan.next_job(), Some(Job::Page(None)));
        assert_eq!(
            scan.next_job(),
            None,
            "one page at a time, nothing found yet"
        );
        scan.on_page(Ok(page(0..200, Some("t1"), 450)));
        // A full page waits: customers are read before the next page is asked for.
        let Some(Job::Customer(0)) = scan.next_job() else {
            panic!()
        };
        let mut jobs = vec![Job::Customer(0)];
        let mut pages = 1;
        loop {
            match scan.next_job() {
                Some(Job::Page(Some(link))) => {
                    assert_eq!(
                        link.headers(),
                        [("MS-ContinuationToken".to_string(), format!("t{pages}"))]
                    );
                    assert_eq!(
                        link.path().unwrap(),
                        "/v1/customers?size=200&seekOperation=Next"
                    );
                    let (range, next) = if pages == 1 {
                        (150..400, Some("t2"))
                    } else {
                        (400..450, None)
                    };
                    pages += 1;
                    scan.on_page(Ok(page(range, next, 450)));
                }
                Some(job) => jobs.push(job),
                None if scan.progress().finished => break,
                None => scan.on_customer(false, false),
            }
        }
        assert_eq!(pages, 3);
        let p = scan.progress();
        assert_eq!(
            (p.found, p.total_count, p.pages, p.pool.done),
            (450, Some(450), 3, 450)
        );
        let mut read: Vec<_> = jobs
            .iter()
            .map(|j| match j {
                Job::Customer(i) => *i,
                _ => usize::MAX,
            })
            .collect();
        read.sort_unstable();
        read.dedup();
        assert_eq!(
            read.len(),
            450,
            "the 50 customers two pages both held are read once"
        );
    }

    #[test]
    fn a_page_that_fails_stops_the_paging_not_the_reads() {
        let mut scan = Scan::new(2);
        scan.next_job();
        scan.on_page(Ok(page(0..3, Some("t1"), 9)));
        assert_eq!(
            scan.next_job(),
            Some(Job::Page(Some(
                page(0..0, Some("t1"), 0).links.next.unwrap()
            )))
        );
        scan.on_page(Err(BackendProblem::Unavailable));
        let mut read = 0;
        while let Some(Job::Customer(_)) = scan.next_job() {
            scan.on_customer(false, false);
            read += 1;
        }
        let p = scan.progress();
        assert_eq!(
            (read, p.finished, p.page_error),
            (3, true, Some(BackendProblem::Unavailable))
        );
    }

    #[test]
    fn a_link_to_another_host_or_with_the_clients_headers_is_not_followed_as_is() {
        for uri in [
            "https://evil.example/customers",
            "//evil.example/x",
            "customers?x",
            "/a b",
            "/a\\b",
        ] {
            let link = PageLink {
                uri: uri.into(),
                headers: vec![],
            };
            assert_eq!(link.path(), None, "{uri}");
        }
        let link = PageLink {
            uri: "/v1/customers?seek=1".into(),
            headers: vec![
                Header {
                    key: "Authorization".into(),
                    value: "Bearer stolen".into(),
                },
                Header {
                    key: "MS-ContinuationToken".into(),
                    value: "ok".into(),
                },
                Header {
                    key: "MS-Other".into(),
                    value: "line\r\nbreak".into(),
                },
                Header {
                    key: "bad name".into(),
                    value: "x".into(),
                },
            ],
        };
        assert_eq!(link.path().unwrap(), "/v1/customers?seek=1");
        assert_eq!(
            link.headers(),
            [("MS-ContinuationToken".to_string(), "ok".to_string())]
        );
        // A page whose next link leaves the API ends the paging, said so.
        let mut scan = Scan::new(1);
        scan.next_job();
        let mut odd = page(0..1, None, 5);
        odd.links.next = Some(PageLink {
            uri: "https://evil.example/".into(),
            headers: vec![],
        });
        scan.on_page(Ok(odd));
        assert_eq!(scan.progress().page_error, Some(BackendProblem::Unexpected));
        assert_eq!(scan.next_job(), Some(Job::Customer(0)));
    }

    #[test]
    fn cancel_stops_pages_and_reads() {
        let mut scan = Scan::new(2);
        scan.next_job();
        scan.on_page(Ok(page(0..10, Some("t"), 20)));
        assert_eq!(
            scan.next_job(),
            Some(Job::Page(page(0..0, Some("t"), 0).links.next))
        );
        scan.cancel();
        assert_eq!(scan.next_job(), None);
        assert!(!scan.progress().finished, "a page is under way");
        scan.on_page(Ok(page(10..20, None, 20)));
        assert!(scan.progress().finished);
        // The answer reads as Partner Center writes it.
        let json = r#"{"totalCount":2,"items":[{"id":"a","companyProfile":{"companyName":"A","domain":"a.example"},"billingProfile":{"defaultAddress":{"country":"FR"}}}],"links":{"next":{"uri":"/customers?size=1&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"AQAAAA=="}]}},"attributes":{"objectType":"Collection"}}"#;
        let page: Page = serde_json::from_str(json).unwrap();
        assert_eq!(page.items[0].billing_profile.default_address.country, "FR");
        assert_eq!(page.links.next.unwrap().headers()[0].1, "AQAAAA==");
    }
}
