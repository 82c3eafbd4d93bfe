//! The cost of turning a typed request into the JSON body that is signed and sent: the first step of every
//! call, and part of the signing figure of `cargo xtask bench` (docs/benchmarks.md).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use trtc_model::DismissRoomRequest;

fn dismiss_room_body(c: &mut Criterion) {
    c.bench_function("dismiss_room_body", |b| {
        b.iter(|| {
            let request = DismissRoomRequest::new(black_box(1_400_000_001), black_box(1234));
            serde_json::to_vec(&request)
        })
    });
}

criterion_group!(benches, dismiss_room_body);
criterion_main!(benches);
