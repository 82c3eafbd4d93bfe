//! A [`FaultPlan`] being applied: the rules' remaining "next N" counts and the seeded PRNG that draws for
//! their rates, consulted once per API request.

use std::time::Duration;

use super::{Fault, FaultPlan, FaultRule, Trigger};

/// What the faults decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Decision {
    pub(crate) latency: Duration,
    /// `Drop`, `BadGateway` or `InternalError`; `None` to answer normally.
    pub(crate) answer: Option<Fault>,
}

/// A plan being applied: the rules with their remaining counts, and the PRNG.
#[derive(Debug, Clone)]
pub(crate) struct FaultState {
    plan: FaultPlan,
    remaining: Vec<u64>,
    rng: SplitMix64,
}

impl FaultState {
    pub(crate) fn new(plan: FaultPlan) -> FaultState {
        let remaining = plan
            .rules
            .iter()
            .map(|r| match r.trigger {
                Trigger::Next(n) => n,
                Trigger::Rate(_) => 0,
            })
            .collect();
        let rng = SplitMix64(plan.seed);
        FaultState { plan, remaining, rng }
    }

    /// The plan as it stands: "next N" counts reduced by the requests they already hit.
    pub(crate) fn current(&self) -> FaultPlan {
        let rules = self
            .plan
            .rules
            .iter()
            .zip(&self.remaining)
            .map(|(rule, &left)| match rule.trigger {
                Trigger::Next(_) => FaultRule {
                    fault: rule.fault,
                    trigger: Trigger::Next(left),
                },
                Trigger::Rate(_) => *rule,
            })
            .collect();
        FaultPlan {
            seed: self.plan.seed,
            rules,
        }
    }

    pub(crate) fn decide(&mut self) -> Decision {
        let mut decision = Decision::default();
        for (rule, remaining) in self.plan.rules.iter().zip(self.remaining.iter_mut()) {
            let is_latency = matches!(rule.fault, Fault::Latency { .. });
            if !is_latency && decision.answer.is_some() {
                continue;
            }
            let fires = match rule.trigger {
                Trigger::Rate(p) => self.rng.next_unit() < p,
                Trigger::Next(_) if *remaining > 0 => {
                    *remaining -= 1;
                    true
                }
                Trigger::Next(_) => false,
            };
            if !fires {
                continue;
            }
            match rule.fault {
                Fault::Latency { latency_ms } => decision.latency += Duration::from_millis(latency_ms),
                other => decision.answer = Some(other),
            }
        }
        decision
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fully determined by its seed.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1): the top 53 bits as a double's mantissa.
    fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs of the reference implementation seeded with 1234567.
        let mut rng = SplitMix64(1234567);
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
    }

    #[test]
    fn next_n_fires_exactly_n_times_and_only_when_consulted() {
        let plan = FaultPlan::new()
            .rule(Fault::Drop, Trigger::Next(1))
            .unwrap()
            .rule(Fault::BadGateway, Trigger::Next(2))
            .unwrap();
        let mut state = FaultState::new(plan);
        let answers: Vec<_> = (0..5).map(|_| state.decide().answer).collect();
        assert_eq!(
            answers,
            [
                Some(Fault::Drop),
                Some(Fault::BadGateway),
                Some(Fault::BadGateway),
                None,
                None
            ]
        );
        assert_eq!(state.current().rules()[1].trigger(), Trigger::Next(0));
    }

    #[test]
    fn rates_are_reproducible_and_roughly_right() {
        let plan = FaultPlan::new()
            .seed(42)
            .rule(Fault::InternalError, Trigger::Rate(0.25))
            .unwrap();
        let run = |plan: &FaultPlan| {
            let mut state = FaultState::new(plan.clone());
            (0..4000).map(|_| state.decide().answer.is_some()).collect::<Vec<_>>()
        };
        let a = run(&plan);
        assert_eq!(a, run(&plan), "same seed, same faults");
        assert_ne!(a, run(&plan.clone().seed(43)), "another seed, other faults");
        let hits = a.iter().filter(|&&hit| hit).count();
        assert!((850..1150).contains(&hits), "{hits} of 4000 at rate 0.25");
    }

    #[test]
    fn latencies_add_up_alongside_an_answer() {
        let plan = FaultPlan::new()
            .rule(Fault::Latency { latency_ms: 10 }, Trigger::Rate(1.0))
            .unwrap()
            .rule(Fault::InternalError, Trigger::Next(1))
            .unwrap()
            .rule(Fault::Latency { latency_ms: 5 }, Trigger::Next(1))
            .unwrap();
        let mut state = FaultState::new(plan);
        let first = state.decide();
        assert_eq!(first.latency, Duration::from_millis(15));
        assert_eq!(first.answer, Some(Fault::InternalError));
        assert_eq!(
            state.decide(),
            Decision {
                latency: Duration::from_millis(10),
                answer: None
            }
        );
    }
}
