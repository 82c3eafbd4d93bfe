//! Fault injection: what can go wrong between a client and the service, on demand and reproducibly.
//!
//! A [`FaultPlan`] is a list of rules, each a [`Fault`] and a [`Trigger`]. For every API request (not the
//! admin API) the rules are checked in order: every latency rule that fires adds its delay, and the first
//! other rule that fires decides the answer; later non-latency rules are not consulted, so a "next N" count
//! is only used up by requests the rule actually hit. Rates draw from a seeded PRNG, so a run with the same
//! seed and the same sequence of requests injects the same faults.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

mod injector;

pub(crate) use injector::FaultState;

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

#[cfg(test)]
mod tests {
    use super::*;

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
