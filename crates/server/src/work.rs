//! Blocking work (ranking, embedding, reading the index) off the async workers,
//! bounded and abandoned with its request.
//!
//! - **Bounded.** Work holds a slot of a pool as large as the request permits
//!   ([`crate::Limits::max_concurrency`]) until it *finishes*, not until its request
//!   is answered: a request that times out frees its request permit at once, but
//!   its work still counts here, so slow work cannot pile up behind timeouts. With
//!   every slot taken, a request is refused with 503 and `Retry-After`.
//! - **Abandoned with its request.** A request that times out or whose client goes
//!   away drops its future, which raises a flag; work that has not started by then
//!   never runs, and work under way stops at the engine's next stage
//!   (`backissue_engine::budget`: before ranking, embedding, the neighbour search,
//!   facets and snippets), as it does once the request timeout has passed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backissue_engine::budget::Budget;
use tokio::sync::Semaphore;

/// The slots of blocking work in flight, abandoned work included, and how long one
/// piece of work may take.
#[derive(Debug, Clone)]
pub struct WorkSlots {
    slots: Arc<Semaphore>,
    budget: Option<Duration>,
    refused: prometheus_client::metrics::counter::Counter,
}

impl WorkSlots {
    /// A pool of `slots` (at least 1) whose work stops between stages once
    /// `budget` has passed (`None`: only when abandoned).
    pub fn new(slots: usize, budget: Option<Duration>) -> WorkSlots {
        WorkSlots {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            budget,
            refused: Default::default(),
        }
    }

    /// Slots free now.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }

    /// Work refused so far, every slot being taken.
    pub fn refused(&self) -> u64 {
        self.refused.get()
    }
}

/// Why blocking work gave no answer.
#[derive(Debug)]
pub enum WorkError {
    /// Every slot is taken: the server is busy.
    Busy,
    /// The work panicked (or the runtime is shutting down).
    Failed(tokio::task::JoinError),
}

/// Sets the flag when dropped: the request's future is gone.
struct Abandon(Arc<AtomicBool>);

impl Drop for Abandon {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Runs `work` on a blocking thread holding one of `slots`; skips it when the
/// request is abandoned before it starts.
pub async fn run<T, F>(slots: &WorkSlots, work: F) -> Result<T, WorkError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let slot = slots.slots.clone().try_acquire_owned().map_err(|_| {
        tracing::warn!("every blocking-work slot is taken; request refused");
        slots.refused.inc();
        WorkError::Busy
    })?;
    let abandoned = Arc::new(AtomicBool::new(false));
    let _abandon = Abandon(abandoned.clone());
    let deadline = slots.budget.map(|budget| Instant::now() + budget);
    let joined = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        if abandoned.load(Ordering::Acquire) {
            tracing::debug!("request abandoned before its work started; skipped");
            return None;
        }
        // The engine checks this between its stages (`backissue_engine::budget`).
        Some(Budget::new(deadline, abandoned).run(work))
    })
    .await
    .map_err(WorkError::Failed)?;
    // `None` only when the request was abandoned, and then nobody awaits this.
    joined.ok_or(WorkError::Busy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[tokio::test]
    async fn abandoned_work_that_has_not_started_never_runs_and_slots_are_held_until_work_ends() {
        let slots = WorkSlots::new(2, None);
        let ran = Arc::new(AtomicUsize::new(0));
        // Two slow pieces of work take both slots; their requests time out.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        for _ in 0..2 {
            let wait = wait.clone();
            let slow = run(&slots, move || {
                let _ = wait.lock().unwrap().recv_timeout(Duration::from_secs(10));
            });
            assert!(tokio::time::timeout(Duration::from_millis(20), slow)
                .await
                .is_err());
        }
        // The requests are gone but their work still runs: no slot is free.
        assert_eq!(slots.available(), 0);
        let counted = ran.clone();
        let refused = run(&slots, move || counted.fetch_add(1, Ordering::SeqCst)).await;
        assert!(matches!(refused, Err(WorkError::Busy)));
        assert_eq!(slots.refused(), 1);
        release.send(()).unwrap();
        release.send(()).unwrap();
        for _ in 0..200 {
            if slots.available() == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(slots.available(), 2, "finished work gives its slot back");

        let counted = ran.clone();
        let answer = run(&slots, move || counted.fetch_add(1, Ordering::SeqCst) + 1).await;
        assert_eq!(answer.unwrap(), 1, "work of a live request runs");
    }

    #[tokio::test]
    async fn work_runs_under_the_budget_of_its_request() {
        let slots = WorkSlots::new(2, Some(Duration::ZERO));
        let answer = run(&slots, || backissue_engine::budget::check("a stage")).await;
        assert!(
            answer.unwrap().is_err(),
            "a spent deadline stops the engine's work"
        );
        let slots = WorkSlots::new(2, Some(Duration::from_secs(60)));
        let answer = run(&slots, || backissue_engine::budget::check("a stage")).await;
        assert!(answer.unwrap().is_ok());
    }

    #[test]
    fn work_whose_request_is_dropped_before_it_starts_is_skipped() {
        // One blocking thread: the second piece of work queues behind the first.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .max_blocking_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let ran = Arc::new(AtomicUsize::new(0));
        runtime.block_on(async {
            let slots = WorkSlots::new(4, None);
            let (release, wait) = std::sync::mpsc::channel::<()>();
            let first = tokio::spawn({
                let slots = slots.clone();
                async move {
                    run(&slots, move || {
                        let _ = wait.recv_timeout(Duration::from_secs(10));
                    })
                    .await
                }
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
            let counted = ran.clone();
            let queued = run(&slots, move || counted.fetch_add(1, Ordering::SeqCst));
            // Its request times out while it waits for the thread.
            assert!(tokio::time::timeout(Duration::from_millis(20), queued)
                .await
                .is_err());
            release.send(()).unwrap();
            first.await.unwrap().unwrap();
            for _ in 0..200 {
                if slots.available() == 4 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            assert_eq!(slots.available(), 4);
        });
        assert_eq!(ran.load(Ordering::SeqCst), 0, "abandoned work ran");
    }
}
