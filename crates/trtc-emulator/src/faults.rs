//! Fault injection: what can go wrong between a client and the service, on demand and reproducibly.
//!
//! A [`FaultPlan`] is a list of rules, each a [`Fault`] and a [`Trigger`]. For every API request (not the
//! admin API) the rules are checked in order: every latency rule that fires adds its delay, and the first
//! other rule that fires decides the answer; later non-latency rules are not consulted, so a "next N" count
//! is only used up by requests the rule actually hit. Rates draw from a seeded PRNG, so a run with the same
//! seed and the same sequence of requests injects the same faults.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Error;

/// One kind of failure to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Fault {
    /// Act on the request at once, and answer normally after this extra delay (the answer is late, not the work).
    Latency {
        /// The delay in milliseconds.
        latency_ms: u64,
    },
    /// Read the request, then close the connection without answering.
    Drop,
    /// Answer HTTP 502 with an HTML page, as a gateway in front of the service does.
    BadGateway,
    /// Answer the API envelope with the code `InternalError` (HTTP 200), changing no state.
    InternalError,
}

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Trigger {
    /// For each request with this probability, from 0 (never) to 1 (always).
    Rate(f64),
    /// For the next N requests the rule is consulted for, then never.
    Next(u64),
}

/// A fault and when it fires.
///
/// Written as text (CLI `--fault`): `KIND[=DELAY]@TRIGGER`, where KIND is `latency` (with `=DELAY`,
/// e.g. `=250ms` or `=2s`), `drop`, `bad-gateway` or `internal-error`, and TRIGGER is `rate=P` (0 to 1)
/// or `next=N`.
///
/// ```
/// use std::time::Duration;
/// use trtc_emulator::{Fault, FaultRule, Trigger};
///
/// let rule: FaultRule = "latency=250ms@rate=0.5".parse()?;
/// assert_eq!(rule, FaultRule::new(Fault::Latency { latency_ms: 250 }, Trigger::Rate(0.5))?);
/// let rule: FaultRule = "drop@next=3".parse()?;
/// assert_eq!(rule.trigger(), Trigger::Next(3));
/// assert!("drop@rate=1.5".parse::<FaultRule>().is_err());
/// # Ok::<(), trtc_emulator::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    fault: Fault,
    #[serde(flatten)]
    trigger: Trigger,
}

impl FaultRule {
    /// A rule; refused when a rate is outside 0..=1 (or not a number).
    pub fn new(fault: Fault, trigger: Trigger) -> Result<FaultRule, Error> {
        let rule = FaultRule { fault, trigger };
        rule.check()?;
        Ok(rule)
    }

    fn check(&self) -> Result<(), Error> {
        if let Trigger::Rate(rate) = self.trigger {
            if !(0.0..=1.0).contains(&rate) {
                return Err(Error::config(
                    "rate",
                    format!("a fault rate must be between 0 and 1 (got {rate}); e.g. 0.25 for one request in four"),
                ));
            }
        }
        Ok(())
    }

    /// The fault.
    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// When it fires.
    pub fn trigger(&self) -> Trigger {
        self.trigger
    }
}

impl FromStr for FaultRule {
    type Err = Error;

    fn from_str(spec: &str) -> Result<FaultRule, Error> {
        let usage = "write KIND[=DELAY]@TRIGGER, e.g. latency=250ms@rate=0.5, drop@next=3, bad-gateway@rate=0.1, internal-error@next=2";
        let bad = |why: String| Error::config("fault", format!("{why} in {spec:?}: {usage}"));
        let (kind, trigger) = spec.split_once('@').ok_or_else(|| bad("no '@TRIGGER'".to_owned()))?;
        let fault = match kind.split_once('=') {
            Some(("latency", delay)) => Fault::Latency {
                latency_ms: parse_millis(delay)
                    .ok_or_else(|| bad(format!("delay {delay:?} is not like 250ms or 2s")))?,
            },
            None if kind == "latency" => return Err(bad("latency needs a delay (latency=250ms)".to_owned())),
            None if kind == "drop" => Fault::Drop,
            None if kind == "bad-gateway" || kind == "502" => Fault::BadGateway,
            None if kind == "internal-error" => Fault::InternalError,
            _ => return Err(bad(format!("unknown fault kind {kind:?}"))),
        };
        let trigger = match trigger.split_once('=') {
            Some(("rate", p)) => Trigger::Rate(p.parse().map_err(|_| bad(format!("rate {p:?} is not a number")))?),
            Some(("next", n)) => Trigger::Next(
                n.parse()
                    .map_err(|_| bad(format!("next {n:?} is not a whole number")))?,
            ),
            _ => return Err(bad(format!("trigger {trigger:?} is neither rate=P nor next=N"))),
        };
        FaultRule::new(fault, trigger)
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fault {
            Fault::Latency { latency_ms } => write!(f, "latency={latency_ms}ms")?,
            Fault::Drop => f.write_str("drop")?,
            Fault::BadGateway => f.write_str("bad-gateway")?,
            Fault::InternalError => f.write_str("internal-error")?,
        }
        match self.trigger {
            Trigger::Rate(p) => write!(f, "@rate={p}"),
            Trigger::Next(n) => write!(f, "@next={n}"),
        }
    }
}

fn parse_millis(s: &str) -> Option<u64> {
    if let Some(ms) = s.strip_suffix("ms") {
        ms.parse().ok()
    } else if let Some(secs) = s.strip_suffix('s') {
        secs.parse::<u64>().ok()?.checked_mul(1000)
    } else {
        None
    }
}

/// The faults an emulator injects: rules and the PRNG seed for their rates.
///
/// ```
/// use trtc_emulator::{Fault, FaultPlan, Trigger};
///
/// let plan = FaultPlan::new()
///     .seed(7)
///     .rule(Fault::Latency { latency_ms: 100 }, Trigger::Rate(0.5))?
///     .rule(Fault::BadGateway, Trigger::Next(2))?;
/// assert_eq!(plan.rules().len(), 2);
/// # Ok::<(), trtc_emulator::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FaultPlan {
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    rules: Vec<FaultRule>,
}

impl FaultPlan {
    /// No faults, seed 0.
    pub fn new() -> FaultPlan {
        FaultPlan::default()
    }

    /// Seeds the PRNG that draws for rate triggers.
    pub fn seed(mut self, seed: u64) -> FaultPlan {
        self.seed = seed;
        self
    }

    /// Adds a rule; refused when a rate is outside 0..=1.
    pub fn rule(mut self, fault: Fault, trigger: Trigger) -> Result<FaultPlan, Error> {
        self.rules.push(FaultRule::new(fault, trigger)?);
        Ok(self)
    }

    /// Adds a rule made earlier (e.g. parsed from text).
    pub fn with(mut self, rule: FaultRule) -> FaultPlan {
        self.rules.push(rule);
        self
    }

    /// The rules, in the order they are consulted.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// The PRNG seed.
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    /// Checks every rule (a plan read from JSON has not been through [`FaultRule::new`]).
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.rules.iter().try_for_each(FaultRule::check)
    }
}

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

    #[test]
    fn text_form_round_trips_and_errors_name_the_fix() {
        for spec in [
            "latency=250ms@rate=0.5",
            "drop@next=3",
            "bad-gateway@rate=0.1",
            "internal-error@next=2",
        ] {
            let rule: FaultRule = spec.parse().unwrap();
            assert_eq!(rule.to_string(), spec);
        }
        assert_eq!(
            "latency=2s@next=1".parse::<FaultRule>().unwrap().to_string(),
            "latency=2000ms@next=1"
        );
        assert_eq!("502@next=1".parse::<FaultRule>().unwrap().fault(), Fault::BadGateway);
        for bad in [
            "drop",
            "latency@next=1",
            "teleport@next=1",
            "drop@rate=2",
            "drop@sometimes",
            "drop@next=-1",
        ] {
            let err = bad.parse::<FaultRule>().unwrap_err().to_string();
            assert!(err.contains("e.g.") || err.contains("between 0 and 1"), "{bad}: {err}");
        }
    }

    #[test]
    fn json_form() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"seed":9,"rules":[{"fault":"latency","latency_ms":20,"rate":0.5},{"fault":"drop","next":1}]}"#,
        )
        .unwrap();
        assert_eq!(plan.rules()[0].fault(), Fault::Latency { latency_ms: 20 });
        assert_eq!(plan.rules()[1].trigger(), Trigger::Next(1));
        let back = serde_json::to_value(&plan).unwrap();
        assert_eq!(back["rules"][1], serde_json::json!({"fault":"drop","next":1}));
        let bad: FaultPlan = serde_json::from_str(r#"{"rules":[{"fault":"drop","rate":3}]}"#).unwrap();
        assert!(bad.check().is_err());
    }
}
