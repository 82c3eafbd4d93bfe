//! Minting and verifying one UserSig and one PrivateMapKey.
// criterion's macros write the bench's `main` and group functions, which have nothing to document.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use trtc_usersig::{Issuer, Privileges, Room, Secret};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const TIME: u64 = 1_700_000_000;

fn benches(c: &mut Criterion) {
    let issuer = Issuer::new(1400000000, Secret::new(KEY)).unwrap();
    let room = Room::numeric(1234).unwrap();
    c.bench_function("mint UserSig", |b| {
        b.iter(|| issuer.user_sig(black_box("xiaojun"), black_box(TIME), 86_400).unwrap())
    });
    c.bench_function("mint PrivateMapKey", |b| {
        b.iter(|| {
            issuer
                .private_map_key(black_box("xiaojun"), &room, Privileges::ALL, black_box(TIME), 300)
                .unwrap()
        })
    });
    let sig = issuer.user_sig("xiaojun", TIME, 86_400).unwrap();
    c.bench_function("verify UserSig", |b| {
        b.iter(|| issuer.verify(black_box("xiaojun"), black_box(&sig), TIME).unwrap())
    });
}

criterion_group!(usersig, benches);
criterion_main!(usersig);
