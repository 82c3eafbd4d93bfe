//! Redis Cluster: three `redis-server` nodes sharing the 16384 slots. Each budget's key is one hash tag, so
//! the limiter's script for a budget runs on the node that owns its slot, and budgets spread over the nodes.
#![cfg(feature = "cluster")]

mod redis_support;

use std::time::{Duration, Instant};

use redis_support::{free_port, raw_command, redis_url, unique_prefix, RedisServer};
use trtc_ratelimit_redis::{RedisLimiterOptions, RedisRateLimiter};
use trtc_transport::{RateKey, RateLimiter};

/// The slots each node owns, in node order.
const SLOTS: [(u16, u16); 3] = [(0, 5460), (5461, 10922), (10923, 16383)];

/// Three nodes, each owning a third of the slots, that know each other; dropped with their config files.
struct Cluster {
    nodes: Vec<RedisServer>,
    dir: std::path::PathBuf,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = std::env::temp_dir().join(unique_prefix("cluster").replace(':', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        // Each node's cluster bus on a port of its own (not port + 10000, which may not exist).
        let bus_ports: Vec<u16> = SLOTS.iter().map(|_| free_port()).collect();
        let nodes: Vec<RedisServer> = bus_ports
            .iter()
            .enumerate()
            .map(|(i, bus)| {
                let config = dir.join(format!("nodes-{i}.conf")).display().to_string();
                RedisServer::start(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    &config,
                    "--cluster-port",
                    &bus.to_string(),
                ])
            })
            .collect();
        for (node, (first, last)) in nodes.iter().zip(SLOTS) {
            let reply = raw_command(
                node.port,
                &["CLUSTER", "ADDSLOTSRANGE", &first.to_string(), &last.to_string()],
            );
            assert_eq!(reply.unwrap(), "OK");
        }
        for (other, bus) in nodes[1..].iter().zip(&bus_ports[1..]) {
            let (port, bus) = (other.port.to_string(), bus.to_string());
            let reply = raw_command(nodes[0].port, &["CLUSTER", "MEET", "127.0.0.1", &port, &bus]);
            assert_eq!(reply.unwrap(), "OK");
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while !nodes.iter().all(|n| {
            let info = raw_command(n.port, &["CLUSTER", "INFO"]).unwrap_or_default();
            info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
        }) {
            assert!(Instant::now() < deadline, "the cluster did not form within 20 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Cluster { nodes, dir }
    }

    /// The node that owns `key`'s slot.
    fn owner(&self, key: &str) -> &RedisServer {
        let slot: u16 = raw_command(self.nodes[0].port, &["CLUSTER", "KEYSLOT", key])
            .unwrap()
            .parse()
            .unwrap();
        let i = SLOTS
            .iter()
            .position(|(first, last)| (*first..=*last).contains(&slot))
            .unwrap();
        &self.nodes[i]
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.nodes.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_budget_lives_on_the_node_owning_its_hash_tag() {
    if redis_url("each_budget_lives_on_the_node_owning_its_hash_tag").is_none() {
        return;
    }
    let cluster = Cluster::start();
    // One node's address is enough: the others are learned from it.
    let seed = cluster.nodes[0].url();
    let options = RedisLimiterOptions::default()
        .with_key_prefix(unique_prefix("cluster"))
        .with_rate(10)
        .with_guard(Duration::ZERO)
        .with_connect_timeout(Duration::from_secs(2));
    let limiter = RedisRateLimiter::new_cluster(&[seed.as_str()], options).unwrap();
    limiter.ready().await.unwrap();

    // Budgets of several applications, until two of them live on different nodes.
    let key_of = |app: u64| RateKey::new("trtc", "DismissRoom", "AKIDcluster").with_sdk_app_id(app);
    let first_port = cluster.owner(&limiter.redis_key_of(&key_of(1400000001))).port;
    let other = (1400000002..1400000100)
        .find(|app| cluster.owner(&limiter.redis_key_of(&key_of(*app))).port != first_port)
        .unwrap();

    let started = Instant::now();
    for _ in 0..3 {
        limiter.acquire(key_of(1400000001)).await.unwrap();
        limiter.acquire(key_of(other)).await.unwrap();
    }
    // Three permits of each budget at 10 per second: 200 ms, the two budgets side by side.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(190) && elapsed < Duration::from_millis(500),
        "{elapsed:?}"
    );
    assert!(!limiter.is_falling_back());
    for app in [1400000001, other] {
        let key = limiter.redis_key_of(&key_of(app));
        let owner = cluster.owner(&key);
        assert_eq!(raw_command(owner.port, &["EXISTS", &key]).unwrap(), "1", "{key}");
        let stats = raw_command(owner.port, &["INFO", "commandstats"]).unwrap();
        assert!(
            stats.contains("cmdstat_evalsha:calls="),
            "the script ran on {}: {stats}",
            owner.port
        );
    }
    assert!(format!("{limiter:?}").contains(&format!("Redis Cluster at {seed}")));

    // The application's own cluster connection serves as well, and shares the budget.
    let client = redis::cluster::ClusterClient::new(vec![seed.as_str()]).unwrap();
    let connection = client.get_async_connection().await.unwrap();
    let options = RedisLimiterOptions::default()
        .with_key_prefix(limiter.redis_key("", "", "").split('{').next().unwrap())
        .with_rate(10)
        .with_guard(Duration::ZERO);
    let shared = RedisRateLimiter::with_connection(connection, options).unwrap();
    let key = key_of(other);
    assert_eq!(shared.redis_key_of(&key), limiter.redis_key_of(&key));
    let started = Instant::now();
    shared.acquire(key).await.unwrap();
    limiter.acquire(key).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(90),
        "one budget for both: {:?}",
        started.elapsed()
    );
    assert!(!shared.is_falling_back());
}
