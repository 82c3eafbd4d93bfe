//! UserSig and PrivateMapKey, the credentials a TRTC client enters a room with: the `trtc-usersig` crate,
//! and [`IssueNow`], which mints and verifies at the system clock's time.
//!
//! `trtc-usersig` itself reads no clock, so its results are reproducible; in a backend, the time is now:
//!
//! ```
//! use trtc::usersig::{IssueNow, Issuer, Privileges, Room, Secret, DEFAULT_EXPIRE};
//!
//! let issuer = Issuer::new(1400000000, Secret::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"))?;
//! let user_sig = issuer.user_sig_now("alice", DEFAULT_EXPIRE)?;
//! let private_map_key = issuer.private_map_key_now("alice", &Room::numeric(1234)?, Privileges::parse("enter,recv-audio")?, 300)?;
//! assert_eq!(issuer.verify_now("alice", &user_sig)?.identifier, "alice");
//! assert!(issuer.verify_now("alice", &private_map_key)?.private_map.is_some());
//! # Ok::<(), trtc::usersig::Error>(())
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

pub use trtc_usersig::*;

/// The system clock's time in seconds since the Unix epoch, or an error if the clock is set before 1970.
pub fn unix_now() -> Result<u64, Error> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::InvalidInput {
            field: "time",
            problem: "the system clock is set before 1970: set the clock (a UserSig minted now would be expired)"
                .to_owned(),
        })
}

/// [`Issuer`]'s operations at the system clock's time.
pub trait IssueNow {
    /// [`Issuer::user_sig`] with `time` now.
    fn user_sig_now(&self, user_id: &str, expire: u32) -> Result<String, Error>;

    /// [`Issuer::private_map_key`] with `time` now.
    fn private_map_key_now(
        &self,
        user_id: &str,
        room: &Room,
        privileges: Privileges,
        expire: u32,
    ) -> Result<String, Error>;

    /// [`Issuer::verify`] at the current time.
    fn verify_now(&self, user_id: &str, sig: &str) -> Result<Claims, Error>;
}

impl IssueNow for Issuer {
    fn user_sig_now(&self, user_id: &str, expire: u32) -> Result<String, Error> {
        self.user_sig(user_id, unix_now()?, expire)
    }

    fn private_map_key_now(
        &self,
        user_id: &str,
        room: &Room,
        privileges: Privileges,
        expire: u32,
    ) -> Result<String, Error> {
        self.private_map_key(user_id, room, privileges, unix_now()?, expire)
    }

    fn verify_now(&self, user_id: &str, sig: &str) -> Result<Claims, Error> {
        self.verify(user_id, sig, unix_now()?)
    }
}
