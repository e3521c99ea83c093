//! A per-query budget: work on the read path checks between its stages whether its
//! caller gave up (the request timed out, or its client went away) or its deadline
//! passed, and stops there with [`Error::Cancelled`] instead of finishing an answer
//! nobody will read.
//!
//! The budget travels with the thread, not through every signature: the server sets
//! it around the blocking work of one request ([`Budget::run`]); code that runs
//! without one (the CLI, tests) is never cancelled.
//!
//! ```
//! use std::sync::{atomic::AtomicBool, Arc};
//! use backissue_index::budget::{self, Budget};
//!
//! let gone = Arc::new(AtomicBool::new(true));
//! let answer = Budget::new(None, gone).run(|| budget::check("search"));
//! assert!(answer.is_err());
//! assert!(budget::check("search").is_ok()); // outside `run`: no budget
//! ```

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::error::{Error, Result};

/// When work must stop: a deadline, and a flag the caller raises when it gives up.
#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Option<Instant>,
    cancelled: Arc<AtomicBool>,
}

thread_local! {
    static CURRENT: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

impl Budget {
    /// A budget ending at `deadline` (if any) or when `cancelled` is raised.
    pub fn new(deadline: Option<Instant>, cancelled: Arc<AtomicBool>) -> Budget {
        Budget {
            deadline,
            cancelled,
        }
    }

    /// Runs `work` under this budget on this thread (the previous budget, if any,
    /// comes back after).
    pub fn run<T>(self, work: impl FnOnce() -> T) -> T {
        let previous = CURRENT.with(|current| current.replace(Some(self)));
        struct Restore(Option<Budget>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|current| *current.borrow_mut() = previous);
            }
        }
        let _restore = Restore(previous);
        work()
    }

    fn spent(&self) -> Option<&'static str> {
        if self.cancelled.load(Ordering::Acquire) {
            Some("its request was abandoned")
        } else if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            Some("its time ran out")
        } else {
            None
        }
    }
}

/// Ok unless this thread's budget is spent; `stage` names where the work stopped.
pub fn check(stage: &'static str) -> Result<()> {
    CURRENT.with(
        |current| match current.borrow().as_ref().and_then(Budget::spent) {
            Some(why) => Err(Error::Cancelled { stage, why }),
            None => Ok(()),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_spent_budget_stops_work_and_only_inside_run() {
        let flag = Arc::new(AtomicBool::new(false));
        let budget = Budget::new(None, flag.clone());
        budget.clone().run(|| assert!(check("a").is_ok()));
        flag.store(true, Ordering::Release);
        let stopped = budget.run(|| check("ranking"));
        assert!(matches!(
            stopped,
            Err(Error::Cancelled {
                stage: "ranking",
                ..
            })
        ));
        assert!(check("outside").is_ok());
        let past = Instant::now() - Duration::from_millis(1);
        let late = Budget::new(Some(past), Arc::new(AtomicBool::new(false))).run(|| check("b"));
        assert!(late.unwrap_err().to_string().contains("time ran out"));
    }
}
