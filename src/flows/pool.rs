//! Many independent pieces of work against Partner Center, apart from any I/O: at most a
//! number at once, fewer after Partner Center throttled (429), more again as answers come back
//! without it, pause-free cancel, and the progress. The "Check all" and "Complete all accepted"
//! of the ledger and the reads of the portfolio run on it; the caller performs each item.

use std::collections::VecDeque;

/// The fewest items at once, however much Partner Center throttles.
pub const MIN_CONCURRENCY: usize = 1;
/// The most requests a caller may ask to have under way at once.
pub const MAX_CONCURRENCY: u32 = 16;
/// Requests under way at once when the caller does not say.
pub const DEFAULT_CONCURRENCY: u32 = 4;

/// Items run at most `limit` at once; the limit halves when an item met throttling and grows
/// back by one after `limit` items in a row that did not (additive increase, multiplicative
/// decrease), never past the `ceiling` the caller chose.
#[derive(Debug, Clone)]
pub struct Pool {
    queue: VecDeque<usize>,
    ceiling: usize,
    limit: usize,
    calm: usize,
    in_flight: usize,
    total: usize,
    done: usize,
    failed: usize,
    cancelled: bool,
    throttled: usize,
}

/// How far a pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolProgress {
    /// Items known so far.
    pub total: usize,
    /// Items done (failed ones included).
    pub done: usize,
    /// Items that failed.
    pub failed: usize,
    /// Items under way.
    pub in_flight: usize,
    /// The number of items at once now.
    pub limit: usize,
    /// Items that met throttling.
    pub throttled: usize,
    /// Cancelled: nothing new starts.
    pub cancelled: bool,
    /// Nothing under way and nothing more will start.
    pub finished: bool,
}

impl Pool {
    /// A pool of items `0..total`, at most `concurrency` at once (at least 1).
    pub fn new(total: usize, concurrency: usize) -> Pool {
        let ceiling = concurrency.max(MIN_CONCURRENCY);
        Pool {
            queue: (0..total).collect(),
            ceiling,
            limit: ceiling,
            calm: 0,
            in_flight: 0,
            total,
            done: 0,
            failed: 0,
            cancelled: false,
            throttled: 0,
        }
    }

    /// Adds `count` items (their indexes follow the ones known), for work found as it goes (the
    /// portfolio's pages).
    pub fn extend(&mut self, count: usize) {
        self.queue.extend(self.total..self.total + count);
        self.total += count;
    }

    /// The next item to start, if one may start now.
    pub fn next_item(&mut self) -> Option<usize> {
        if self.cancelled || self.in_flight >= self.limit {
            return None;
        }
        let item = self.queue.pop_front()?;
        self.in_flight += 1;
        Some(item)
    }

    /// An item ended: `failed` when it did not do its work, `throttled` when Partner Center
    /// answered 429 on the way (even if a retry then succeeded).
    pub fn on_done(&mut self, failed: bool, throttled: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.done += 1;
        self.failed += usize::from(failed);
        if throttled {
            self.throttled += 1;
            self.limit = (self.limit / 2).max(MIN_CONCURRENCY);
            self.calm = 0;
        } else {
            self.calm += 1;
            if self.calm >= self.limit && self.limit < self.ceiling {
                self.limit += 1;
                self.calm = 0;
            }
        }
    }

    /// Changes the most items at once (1 or more); the current limit follows it down.
    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.ceiling = concurrency.max(MIN_CONCURRENCY);
        self.limit = self.limit.min(self.ceiling).max(MIN_CONCURRENCY);
    }

    /// Nothing new starts; the items under way finish.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Whether nothing is under way and nothing more will start (more may still be added with
    /// `extend`, unless cancelled).
    pub fn is_idle(&self) -> bool {
        self.in_flight == 0 && (self.cancelled || self.queue.is_empty())
    }

    /// How far it is; `more_coming` when the caller may still add items.
    pub fn progress(&self, more_coming: bool) -> PoolProgress {
        PoolProgress {
            total: self.total,
            done: self.done,
            failed: self.failed,
            in_flight: self.in_flight,
            limit: self.limit,
            throttled: self.throttled,
            cancelled: self.cancelled,
            finished: self.is_idle() && (self.cancelled || !more_coming),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_limit_at_once_and_every_item_once() {
        let mut pool = Pool::new(10, 3);
        let started: Vec<_> = std::iter::from_fn(|| pool.next_item()).collect();
        assert_eq!(started, [0, 1, 2]);
        pool.on_done(false, false);
        assert_eq!(pool.next_item(), Some(3));
        assert_eq!(pool.next_item(), None);
        let mut seen = started;
        seen.push(3);
        while !pool.is_idle() {
            pool.on_done(false, false);
            seen.extend(std::iter::from_fn(|| pool.next_item()));
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        let p = pool.progress(false);
        assert_eq!((p.done, p.total, p.finished), (10, 10, true));
    }

    #[test]
    fn throttling_halves_the_limit_calm_brings_it_back() {
        let mut pool = Pool::new(100, 8);
        for _ in 0..8 {
            pool.next_item();
        }
        pool.on_done(false, true);
        assert_eq!(pool.progress(false).limit, 4);
        pool.on_done(false, true);
        pool.on_done(false, true);
        pool.on_done(false, true);
        assert_eq!(pool.progress(false).limit, 1, "never below one");
        // Four items are still under way: nothing starts above the limit.
        assert_eq!(pool.next_item(), None);
        for _ in 0..4 {
            pool.on_done(false, false);
        }
        assert_eq!(
            pool.progress(false).limit,
            3,
            "one more after each calm stretch"
        );
        let mut guard = 0;
        while pool.progress(false).limit < 8 && guard < 1000 {
            if pool.next_item().is_some() {
                pool.on_done(false, false);
            }
            guard += 1;
        }
        assert_eq!(
            pool.progress(false).limit,
            8,
            "back to the ceiling, not past it"
        );
        assert_eq!(pool.progress(false).throttled, 4);
    }

    #[test]
    fn cancel_starts_nothing_new_and_items_can_be_added() {
        let mut pool = Pool::new(0, 2);
        assert!(pool.is_idle());
        assert!(!pool.progress(true).finished, "more may come");
        pool.extend(3);
        assert_eq!((pool.next_item(), pool.next_item()), (Some(0), Some(1)));
        pool.cancel();
        assert_eq!(pool.next_item(), None);
        assert!(!pool.is_idle());
        pool.on_done(true, false);
        pool.on_done(false, false);
        let p = pool.progress(true);
        assert!(p.finished && p.cancelled);
        assert_eq!((p.done, p.failed, p.total), (2, 1, 3));
    }
}
