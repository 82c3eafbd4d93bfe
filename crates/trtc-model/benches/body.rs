//! The cost of the model's share of a call: turning a typed request into the JSON body that is signed and sent
//! (the first step of every call, and part of the signing figure of `cargo xtask bench`, docs/benchmarks.md), and
//! reading the answer back into the typed response.
// criterion's macros write the bench's `main` and group functions, which have nothing to document.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use trtc_model::{parse_response, Action, DismissRoomRequest, DismissRoomResponse};

const ANSWER: &[u8] = br#"{"Response":{"RequestId":"eac6b301-a322-493a-8e36-83b295459397"}}"#;

fn dismiss_room_body(c: &mut Criterion) {
    c.bench_function("dismiss_room_body", |b| {
        b.iter(|| {
            let request = DismissRoomRequest::new(black_box(1_400_000_001), black_box(1234));
            serde_json::to_vec(&request)
        })
    });
}

fn dismiss_room_answer(c: &mut Criterion) {
    c.bench_function("dismiss_room_answer", |b| {
        b.iter(|| parse_response::<DismissRoomResponse>(200, black_box(ANSWER)))
    });
}

/// The same answer read as the generated action reads it, keeping the body for `raw`.
fn dismiss_room_answer_keeping_raw(c: &mut Criterion) {
    c.bench_function("dismiss_room_answer_keeping_raw", |b| {
        b.iter(|| DismissRoomRequest::read_response(200, black_box(ANSWER)))
    });
}

criterion_group!(
    benches,
    dismiss_room_body,
    dismiss_room_answer,
    dismiss_room_answer_keeping_raw
);
criterion_main!(benches);
