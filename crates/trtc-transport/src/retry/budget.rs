//! The retry budget: a token bucket that bounds retries across all calls of a client.

use std::sync::atomic::{AtomicU32, Ordering};

use super::RetryReason;

/// The token bucket that bounds retries across all calls of a client.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
}

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            tokens: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// Takes the cost of a retry for `reason`; `false` when the budget cannot pay it.
    pub(crate) fn withdraw(&self, reason: RetryReason) -> bool {
        let cost = reason.cost();
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// A success returns one token, up to the capacity.
    pub(crate) fn deposit(&self) {
        let capacity = self.capacity;
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| (t < capacity).then_some(t + 1));
    }

    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_runs_dry_and_refills() {
        let budget = RetryBudget::new(12);
        assert!(budget.withdraw(RetryReason::Transient));
        assert!(budget.withdraw(RetryReason::Transient));
        assert!(
            !budget.withdraw(RetryReason::Transient),
            "2 tokens left, a retry costs 5"
        );
        for _ in 0..3 {
            budget.deposit();
        }
        assert_eq!(budget.tokens(), 5);
        assert!(budget.withdraw(RetryReason::Throttled));
        for _ in 0..100 {
            budget.deposit();
        }
        assert_eq!(budget.tokens(), 12, "never above capacity");
    }
}
