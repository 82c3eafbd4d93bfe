//! Plug in a transport of your own: here one that times every exchange and counts answers by HTTP status,
//! then hands the request to the default `HyperTransport`.
//!
//! ```sh
//! cargo run -p trtc --example custom_transport
//! ```
//!
//! A transport sees each request after it is signed (so it must not change the signed headers, the host or
//! the body) and returns the whole response. The same trait serves an HTTP stack of your own, a test double
//! that answers from memory, or a proxy the default transport does not speak.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use trtc::transport::BoxFuture;
use trtc::{Client, Credentials, DismissRoomRequest, HyperTransport, Region, Transport, TransportError};
use trtc_emulator::{Emulator, EmulatorConfig, Fault, FaultPlan, Trigger, DEMO_SECRET_ID, DEMO_SECRET_KEY};

const SDK_APP_ID: u64 = 1400000001;

/// What the transport saw: per action, the statuses answered and the slowest exchange.
#[derive(Debug, Default)]
struct Stats {
    statuses: BTreeMap<(String, u16), usize>,
    slowest: Duration,
}

struct Timed {
    inner: HyperTransport,
    stats: Arc<Mutex<Stats>>,
}

impl Transport for Timed {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let action = request
                .headers()
                .get("X-TC-Action")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_owned();
            let started = Instant::now();
            let answer = self.inner.send(request).await;
            let took = started.elapsed();
            let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
            let status = answer.as_ref().map_or(0, |r| r.status().as_u16());
            *stats.statuses.entry((action, status)).or_default() += 1;
            stats.slowest = stats.slowest.max(took);
            answer
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::demo(SDK_APP_ID).room(SDK_APP_ID, 1).room(SDK_APP_ID, 2)).await?;
    // One gateway error: the client retries it, and the transport sees both exchanges.
    emulator.set_faults(FaultPlan::new().rule(Fault::BadGateway, Trigger::Next(1))?)?;

    let stats = Arc::new(Mutex::new(Stats::default()));
    let client = Client::builder()
        .credential(Credentials::new(DEMO_SECRET_ID, DEMO_SECRET_KEY)?)
        .region(Region::ApGuangzhou)
        .endpoint(emulator.endpoint())
        .transport(Timed {
            inner: HyperTransport::new()?,
            stats: stats.clone(),
        })
        .build()?;
    for room in [1, 2] {
        let out = client.dismiss_room(DismissRoomRequest::new(SDK_APP_ID, room)).await?;
        println!("dismissed room {room}, RequestId {}", out.request_id);
    }

    {
        let stats = stats.lock().unwrap_or_else(|p| p.into_inner());
        for ((action, status), count) in &stats.statuses {
            println!("{action}: HTTP {status} x {count}");
        }
        println!("slowest exchange: {:?}", stats.slowest);
        assert_eq!(stats.statuses.get(&("DismissRoom".to_owned(), 502)), Some(&1));
        assert_eq!(stats.statuses.get(&("DismissRoom".to_owned(), 200)), Some(&2));
    }
    emulator.shutdown().await;
    Ok(())
}
