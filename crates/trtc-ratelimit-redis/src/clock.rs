//! Turning a slot in the Redis server's time into an instant on this machine.
//!
//! A reply says when the slot starts and what time it was on the server when the script ran. The script ran
//! somewhere between sending the command and reading the reply, so the slot starts, locally, within
//! `[received + wait - round trip, received + wait]`. Sleeping until `received + wait` is always safe but late
//! by however long the reply took, and replies to a burst of pipelined commands take very different times:
//! callers who booked adjacent slots would then send up to that difference apart, and a strict counter on
//! the service's side would see two of them too close.
//!
//! So, as NTP does, the limiter keeps the offset between the server's clock and this machine's monotonic
//! clock measured by the quickest recent round trip (its error is at most half that round trip), and places
//! each slot with it, kept within the safe interval above.

use std::time::Duration;

use tokio::time::Instant;

/// A sample older than this gives way to any new one: clocks drift, and servers fail over.
const MAX_SAMPLE_AGE: Duration = Duration::from_secs(10);

/// The best estimate of `server microseconds - local microseconds since `epoch``.
#[derive(Debug)]
pub(crate) struct ServerClock {
    epoch: Instant,
    best: Option<Sample>,
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    offset_us: i64,
    round_trip_us: i64,
    taken: Instant,
}

impl ServerClock {
    pub(crate) fn new() -> Self {
        ServerClock {
            epoch: Instant::now(),
            best: None,
        }
    }

    /// Where a slot starting at `start_us` (server time) falls locally, given that the command was sent at
    /// `sent`, its reply read at `received`, and the server's clock said `now_us` in between.
    pub(crate) fn slot(&mut self, start_us: i64, now_us: i64, sent: Instant, received: Instant) -> Instant {
        let wait = Duration::from_micros(start_us.saturating_sub(now_us).max(0) as u64);
        let round_trip = received.saturating_duration_since(sent);
        let latest = received + wait;
        let earliest = latest.checked_sub(round_trip).unwrap_or(latest).max(sent);

        let sent_us = self.micros(sent);
        let round_trip_us = round_trip.as_micros() as i64;
        let sample = Sample {
            offset_us: now_us.saturating_sub(sent_us + round_trip_us / 2),
            round_trip_us,
            taken: received,
        };
        let keep_old = self.best.is_some_and(|best| {
            best.round_trip_us < sample.round_trip_us && received.saturating_duration_since(best.taken) < MAX_SAMPLE_AGE
        });
        if !keep_old {
            self.best = Some(sample);
        }
        let offset_us = self.best.map_or(sample.offset_us, |b| b.offset_us);
        let local_us = start_us.saturating_sub(offset_us);
        let estimate = if local_us <= 0 {
            self.epoch
        } else {
            self.epoch + Duration::from_micros(local_us as u64)
        };
        estimate.clamp(earliest, latest)
    }

    fn micros(&self, at: Instant) -> i64 {
        at.saturating_duration_since(self.epoch).as_micros() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_slow_reply_does_not_delay_the_slot() {
        let mut clock = ServerClock::new();
        let epoch = clock.epoch;
        let t0 = epoch + 1000 * MS;
        // Server clock = local + 5 s. A quick round trip (1 ms) fixes the offset.
        let server = |local: Instant| 5_000_000 + clock_micros(epoch, local);
        let slot = clock.slot(server(t0 + 10 * MS), server(t0) + 500, t0, t0 + MS);
        assert_eq!(slot, t0 + 10 * MS);
        // The next command waited 40 ms behind others: the script ran 1 ms after sending, the reply came 40 ms
        // later. Its slot is 50 ms after the script ran, so 51 ms after sending, not 40 + 50 after it.
        let sent = t0 + 2 * MS;
        let slot = clock.slot(server(sent + 51 * MS), server(sent + MS), sent, sent + 41 * MS);
        let error = slot.max(sent + 51 * MS) - slot.min(sent + 51 * MS);
        assert!(error <= MS, "{error:?}");
    }

    #[test]
    fn never_outside_what_the_reply_allows() {
        let mut clock = ServerClock::new();
        let t0 = clock.epoch + 1000 * MS;
        clock.slot(1_000_000, 1_000_000, t0, t0 + MS);
        // The server's clock jumped an hour ahead: the old offset would say "now"; the reply's own bounds hold.
        let sent = t0 + 10 * MS;
        let hour = 3_600_000_000;
        let slot = clock.slot(hour + 50_000, hour, sent, sent + 2 * MS);
        assert!(slot >= sent + 50 * MS && slot <= sent + 52 * MS, "{:?}", slot - sent);
        // A slot already begun is now.
        let slot = clock.slot(hour, hour + 10, sent, sent + MS);
        assert!(slot <= sent + MS);
    }

    fn clock_micros(epoch: Instant, at: Instant) -> i64 {
        (at - epoch).as_micros() as i64
    }
}
