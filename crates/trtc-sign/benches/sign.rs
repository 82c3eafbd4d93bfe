//! The cost of signing one DismissRoom call, as the client does it (a signing key kept for the day) and as a
//! one-off signer does it (the key derived for the call); and, for scale, the SHA-256 compressions alone
//! that a signature with a kept key cannot avoid.
// criterion's macros write the bench's `main` and group functions, which have nothing to document.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use trtc_sign::{sign, sign_with_key, Credentials, SignableRequest, SigningKey, SigningParams, Timestamp};

const BODY: &[u8] = br#"{"SdkAppId":1400000001,"RoomId":1234}"#;

fn dismiss_room(c: &mut Criterion) {
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
    .expect("valid credentials");
    let timestamp = Timestamp::from_secs(1_700_000_000).expect("valid timestamp");
    let params = SigningParams::new(
        "trtc",
        "trtc.tencentcloudapi.com",
        "DismissRoom",
        "2019-07-22",
        timestamp,
    )
    .with_region("ap-guangzhou");
    let request = SignableRequest::post("application/json", BODY);
    let key = SigningKey::derive(creds.secret_key(), timestamp.date(), "trtc");

    let mut group = c.benchmark_group("dismiss_room");
    group.bench_function("reused_key", |b| {
        b.iter(|| sign_with_key(black_box(&key), &creds, black_box(&params), black_box(&request)))
    });
    group.bench_function("fresh_key", |b| {
        b.iter(|| sign(black_box(&creds), black_box(&params), black_box(&request)))
    });
    group.bench_function("derive_key", |b| {
        b.iter(|| {
            SigningKey::derive(
                black_box(creds.secret_key()),
                black_box(timestamp.date()),
                black_box("trtc"),
            )
        })
    });
    // Six blocks in the four calls a signature makes (payload, canonical request, inner and outer HMAC),
    // each call's state feeding the next as the digests do.
    let blocks = [sha2::digest::generic_array::GenericArray::default(); 2];
    group.bench_function("six_sha256_blocks", |b| {
        b.iter(|| {
            let mut state = black_box([0x6a09_e667u32; 8]);
            for n in [1, 2, 2, 1] {
                sha2::compress256(&mut state, black_box(&blocks[..n]));
            }
            state
        })
    });
    group.finish();
}

criterion_group!(benches, dismiss_room);
criterion_main!(benches);
