//! Batching reservations. A hot SKU's position is one row, and PostgreSQL commits one
//! transaction on a row at a time; to take many reservations per second the reserver
//! gathers the orders waiting at that moment and captures them together, in one
//! transaction, in arrival order. Each caller still gets its own outcome.
//!
//! Workers share the waiting orders: a worker takes its share of what is waiting while
//! another worker is free, so two batches are planned and written on two cores at once
//! and meet only at the hot rows, for their last statements and commit. The last free
//! worker takes everything and lingers a moment for more (like a group commit): on a
//! hot row, one batch of 64 commits in little more time than a batch of 8. It lingers
//! only while orders are arriving together: when its last batch held a single order,
//! waiting would only add latency for a lone client.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::time::Instant;

use super::{capture_batch, CaptureOutcome, OrderRequest};
use crate::error::{EngineError, Result};

struct Job {
    order: OrderRequest,
    reply: oneshot::Sender<Result<CaptureOutcome>>,
}

/// A handle to the reservation workers; cheap to clone.
#[derive(Clone)]
pub struct Reserver {
    jobs: mpsc::Sender<Job>,
}

impl Reserver {
    /// Starts `workers` tasks, each capturing up to `max_batch` waiting orders per
    /// transaction, lingering up to `linger` after the first for more to arrive.
    pub fn spawn(
        pool: PgPool,
        actor: &str,
        workers: usize,
        max_batch: usize,
        linger: Duration,
    ) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>(max_batch.max(1) * 4);
        let waiting = Arc::new(Mutex::new(Waiting { queue, carried: Vec::new() }));
        let free = Arc::new(AtomicUsize::new(0));
        for _ in 0..workers.max(1) {
            let (waiting, free) = (Arc::clone(&waiting), Arc::clone(&free));
            let pool = pool.clone();
            let actor = actor.to_owned();
            tokio::spawn(async move {
                let mut busy = true;
                loop {
                    free.fetch_add(1, Ordering::SeqCst);
                    let batch = waiting.lock().await.collect(&free, max_batch, linger, busy).await;
                    free.fetch_sub(1, Ordering::SeqCst);
                    if batch.is_empty() {
                        break;
                    }
                    busy = batch.len() > 1;
                    let (orders, replies): (Vec<OrderRequest>, Vec<_>) =
                        batch.into_iter().map(|j| (j.order, j.reply)).unzip();
                    let outcomes = capture_batch(&pool, &actor, &orders).await;
                    for (reply, outcome) in replies.into_iter().zip(outcomes) {
                        // The caller may have given up waiting; its order stands anyway.
                        let _ = reply.send(outcome);
                    }
                }
            });
        }
        Reserver { jobs }
    }

    /// Captures the order with whatever else is waiting; resolves when it is committed.
    pub async fn reserve(&self, order: OrderRequest) -> Result<CaptureOutcome> {
        let (reply, answer) = oneshot::channel();
        let stopped = || EngineError::Internal("the reservation service has stopped".into());
        self.jobs.send(Job { order, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Orders not yet taken by a worker: the queue, and what a worker gathered but left to
/// another free worker.
struct Waiting {
    queue: mpsc::Receiver<Job>,
    carried: Vec<Job>,
}

impl Waiting {
    /// The next batch; empty when the reserver is dropped. Orders left by another worker
    /// go first and are not kept waiting longer; otherwise the batch starts with the next
    /// order and, while orders keep coming (`busy`), lingers for more. Then, if other
    /// workers are free, this one keeps only its share and leaves the rest to them.
    async fn collect(
        &mut self,
        free: &AtomicUsize,
        max_batch: usize,
        linger: Duration,
        busy: bool,
    ) -> Vec<Job> {
        let take = self.carried.len().min(max_batch);
        let mut batch: Vec<Job> = self.carried.drain(..take).collect();
        let carried = !batch.is_empty();
        if !carried {
            match self.queue.recv().await {
                Some(first) => batch.push(first),
                None => return batch,
            }
        }
        let deadline = Instant::now() + linger;
        while batch.len() < max_batch {
            match self.queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) if linger.is_zero() || !busy || carried => break,
                Err(_) => match tokio::time::timeout_at(deadline, self.queue.recv()).await {
                    Ok(Some(job)) => batch.push(job),
                    Ok(None) | Err(_) => break,
                },
            }
        }
        let workers = free.load(Ordering::SeqCst).max(1);
        if workers > 1 && batch.len() > 1 {
            let rest = batch.split_off(batch.len().div_ceil(workers));
            self.carried.extend(rest);
        }
        batch
    }
}
