//! `trtc-bench sign`: build and sign one DismissRoom request, with the day's signing key reused or derived.

use std::hint::black_box;
use std::time::Instant;

use trtc::sign::{sign, sign_with_key, Credentials, SignableRequest, SigningKey, SigningParams, Timestamp};
use trtc::DismissRoomRequest;

use crate::{median, Flags};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let flags = Flags::new(args);
    let batches = flags.number("--batches", 200)? as usize;
    let per_batch = flags.number("--per-batch", 2000)? as usize;
    let credentials = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
    .map_err(|e| e.to_string())?;
    let timestamp = Timestamp::from_secs(1_700_000_000).map_err(|e| e.to_string())?;
    let key = SigningKey::derive(credentials.secret_key(), timestamp.date(), "trtc");

    // One request: serialize the typed model, then sign it as the client does.
    let build_and_sign = |reuse: bool| -> Result<usize, String> {
        let request = DismissRoomRequest::new(black_box(1_400_000_001), black_box(1234));
        let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let params = SigningParams::new(
            "trtc",
            "trtc.tencentcloudapi.com",
            "DismissRoom",
            "2019-07-22",
            timestamp,
        )
        .with_region("ap-guangzhou");
        let signable = SignableRequest::post("application/json", &body);
        let out = if reuse {
            sign_with_key(&key, &credentials, &params, &signable)
        } else {
            sign(&credentials, &params, &signable)
        }
        .map_err(|e| e.to_string())?;
        Ok(out.headers().len())
    };

    let measure = |reuse: bool| -> Result<f64, String> {
        for _ in 0..per_batch {
            black_box(build_and_sign(reuse)?);
        }
        let mut samples = Vec::with_capacity(batches);
        for _ in 0..batches {
            let start = Instant::now();
            for _ in 0..per_batch {
                black_box(build_and_sign(reuse)?);
            }
            samples.push(start.elapsed().as_nanos() as f64 / per_batch as f64);
        }
        Ok(median(&mut samples))
    };
    let reused = measure(true)?;
    let fresh = measure(false)?;
    println!(
        "{}",
        serde_json::json!({ "sign_reused_key_ns": reused.round(), "sign_fresh_key_ns": fresh.round() })
    );
    Ok(())
}
