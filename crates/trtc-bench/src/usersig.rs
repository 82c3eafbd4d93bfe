//! `trtc-bench usersig`: mint one UserSig, with the inputs `python_sdk.py usersig` gives the official package.

use std::hint::black_box;
use std::time::Instant;

use trtc::usersig::{Issuer, Secret, DEFAULT_EXPIRE};

use crate::{median, Flags};

/// The official packages' README example: SdkAppId, key and user id; the time is fixed for both sides.
pub(crate) const SDK_APP_ID: u32 = 1400000000;
pub(crate) const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
pub(crate) const USER_ID: &str = "xiaojun";
pub(crate) const TIME: u64 = 1_700_000_000;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let batches = flags.number("--batches", 200)? as usize;
    let per_batch = flags.number("--per-batch", 2000)? as usize;
    let issuer = Issuer::new(SDK_APP_ID, Secret::new(KEY)).map_err(|e| e.to_string())?;
    let mint = || -> Result<usize, String> {
        let sig = issuer
            .user_sig(black_box(USER_ID), black_box(TIME), DEFAULT_EXPIRE)
            .map_err(|e| e.to_string())?;
        Ok(sig.len())
    };
    for _ in 0..per_batch {
        black_box(mint()?);
    }
    let mut samples = Vec::with_capacity(batches);
    for _ in 0..batches {
        let start = Instant::now();
        for _ in 0..per_batch {
            black_box(mint()?);
        }
        samples.push(start.elapsed().as_nanos() as f64 / per_batch as f64);
    }
    println!("{}", serde_json::json!({ "usersig_ns": median(&mut samples).round() }));
    Ok(())
}
