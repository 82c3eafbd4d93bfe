//! Seconds since the epoch and the UTC calendar date the credential scope needs.
//!
//! Plain arithmetic (the days-from-civil algorithm of Howard Hinnant), no date crate and no local time:
//! the scope date is always UTC, which is where signers that use local time break between 00:00 and
//! 08:00 Beijing time.

use std::fmt;

use crate::SignError;

/// The last second this crate signs for: 9999-12-31T23:59:59Z.
const MAX_SECS: u64 = 253_402_300_799;

/// A request time in whole seconds since the Unix epoch, as sent in `X-TC-Timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// A timestamp of `secs` seconds since 1970-01-01T00:00:00Z; refused after 9999-12-31T23:59:59Z.
    ///
    /// ```
    /// let ts = trtc_sign::Timestamp::from_secs(1_551_113_065)?;
    /// assert_eq!(ts.date().to_string(), "2019-02-25");
    /// # Ok::<(), trtc_sign::SignError>(())
    /// ```
    pub fn from_secs(secs: u64) -> Result<Self, SignError> {
        if secs > MAX_SECS {
            return Err(SignError::TimestampOutOfRange { got: secs });
        }
        Ok(Timestamp(secs))
    }

    /// Seconds since the Unix epoch.
    pub fn secs(self) -> u64 {
        self.0
    }

    /// The UTC calendar date of this instant.
    pub fn date(self) -> UtcDate {
        UtcDate::from_days(self.0 / 86_400)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A UTC calendar date; `Display` gives the `YYYY-MM-DD` form used in the credential scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDate {
    year: u16,
    month: u8,
    day: u8,
}

impl UtcDate {
    /// The date `days` days after 1970-01-01 (Hinnant's civil_from_days, in unsigned arithmetic: no date
    /// here is before 1970, so the era and the day of the era are plain quotient and remainder).
    fn from_days(days: u64) -> Self {
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z % 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + u64::from(month <= 2);
        // Timestamp caps the input at year 9999 and days are never negative, so these fit.
        UtcDate {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// The year, e.g. 2019.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Writes `YYYY-MM-DD` into a fixed buffer, without allocating.
    pub(crate) fn to_bytes(self) -> [u8; 10] {
        let mut out = *b"0000-00-00";
        let y = self.year;
        out[0] = b'0' + (y / 1000 % 10) as u8;
        out[1] = b'0' + (y / 100 % 10) as u8;
        out[2] = b'0' + (y / 10 % 10) as u8;
        out[3] = b'0' + (y % 10) as u8;
        out[5] = b'0' + self.month / 10;
        out[6] = b'0' + self.month % 10;
        out[8] = b'0' + self.day / 10;
        out[9] = b'0' + self.day % 10;
        out
    }
}

impl fmt::Display for UtcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(secs: u64) -> String {
        Timestamp::from_secs(secs).unwrap().date().to_string()
    }

    #[test]
    fn boundaries() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(86_399), "1970-01-01");
        assert_eq!(date(86_400), "1970-01-02");
        assert_eq!(date(951_782_400), "2000-02-29"); // leap day of a year divisible by 400
        assert_eq!(date(951_868_800), "2000-03-01");
        assert_eq!(date(1_709_164_800), "2024-02-29");
        assert_eq!(date(1_704_067_199), "2023-12-31");
        assert_eq!(date(1_704_067_200), "2024-01-01");
        assert_eq!(date(4_107_542_400), "2100-03-01"); // 2100 is not a leap year
        assert_eq!(date(MAX_SECS), "9999-12-31");
    }

    #[test]
    fn bytes_match_display() {
        for secs in [0, 1_551_113_065, 4_107_542_399, MAX_SECS] {
            let d = Timestamp::from_secs(secs).unwrap().date();
            assert_eq!(std::str::from_utf8(&d.to_bytes()).unwrap(), d.to_string());
        }
    }

    #[test]
    fn refuses_past_9999() {
        assert_eq!(
            Timestamp::from_secs(MAX_SECS + 1),
            Err(SignError::TimestampOutOfRange { got: MAX_SECS + 1 })
        );
    }
}
