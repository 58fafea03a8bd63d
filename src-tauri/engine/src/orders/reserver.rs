//! Batching reservations. A hot SKU's position is one row, and PostgreSQL commits one
//! transaction on a row at a time; to take many reservations per second the reserver
//! gathers the orders waiting at that moment and captures them together, in one
//! transaction, in arrival order. Each caller still gets its own outcome.
//!
//! After the first order of a batch arrives, the worker lingers a moment for others
//! (like a group commit): on a hot row, one batch of 64 commits in little more time than
//! a batch of 8, so a short wait buys throughput. It lingers only while orders are
//! arriving together: when its last batch held a single order, waiting would only add
//! latency for a lone client.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Mutex};

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
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            let pool = pool.clone();
            let actor = actor.to_owned();
            tokio::spawn(async move {
                let mut busy = true;
                loop {
                    let batch = {
                        let mut q = queue.lock().await;
                        let Some(first) = q.recv().await else { break };
                        let mut batch = vec![first];
                        let deadline = tokio::time::Instant::now() + linger;
                        while batch.len() < max_batch {
                            match q.try_recv() {
                                Ok(job) => batch.push(job),
                                Err(_) if linger.is_zero() || !busy => break,
                                Err(_) => match tokio::time::timeout_at(deadline, q.recv()).await {
                                    Ok(Some(job)) => batch.push(job),
                                    Ok(None) | Err(_) => break,
                                },
                            }
                        }
                        batch
                    };
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
