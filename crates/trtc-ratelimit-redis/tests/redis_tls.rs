//! `rediss://`: a limiter reaches a `redis-server` that speaks only TLS, trusting the server's certificate
//! through a `redis::Client` built with its CA, and refuses the same server when the CA is not trusted.
#![cfg(feature = "tls")]

mod redis_support;

use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use redis_support::{free_port, raw_command, redis_url, unique_prefix, RedisServer};
use trtc_ratelimit_redis::{RedisLimiterErrorKind, RedisLimiterOptions, RedisRateLimiter};
use trtc_transport::{RateKey, RateLimiter};

/// A CA, and a certificate it issued for 127.0.0.1, as PEM files in a directory of their own.
struct Certificates {
    dir: std::path::PathBuf,
    ca_pem: String,
}

impl Certificates {
    fn new() -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "trtc-rs Redis test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate().unwrap();
        let mut server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        server
            .distinguished_name
            .push(DnType::CommonName, "trtc-rs Redis test server");
        let cert = server.signed_by(&key, &issuer).unwrap();

        let dir = std::env::temp_dir().join(unique_prefix("tls").replace(':', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), ca_cert.pem()).unwrap();
        std::fs::write(dir.join("server.pem"), cert.pem()).unwrap();
        std::fs::write(dir.join("server.key"), key.serialize_pem()).unwrap();
        Certificates {
            dir,
            ca_pem: ca_cert.pem(),
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

impl Drop for Certificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permits_come_over_tls_from_a_server_whose_ca_is_trusted() {
    if redis_url("permits_come_over_tls_from_a_server_whose_ca_is_trusted").is_none() {
        return;
    }
    let certs = Certificates::new();
    let tls_port = free_port();
    // The plain port is for this test's own look at what the limiter wrote; the limiter uses TLS only.
    let redis = RedisServer::start(&[
        "--tls-port",
        &tls_port.to_string(),
        "--tls-cert-file",
        &certs.path("server.pem"),
        "--tls-key-file",
        &certs.path("server.key"),
        "--tls-ca-cert-file",
        &certs.path("ca.pem"),
        "--tls-auth-clients",
        "no",
    ]);
    let url = format!("rediss://127.0.0.1:{tls_port}/0");
    let options = RedisLimiterOptions::default()
        .with_key_prefix(unique_prefix("tls"))
        .with_rate(10)
        .with_guard(Duration::ZERO)
        .with_connect_timeout(Duration::from_secs(2));

    // The Mozilla roots do not know this CA: the handshake fails and `connect` says so at start.
    let err = RedisRateLimiter::connect(&url, options.clone()).await.unwrap_err();
    assert_eq!(err.kind(), RedisLimiterErrorKind::Unavailable);
    assert!(
        err.to_string()
            .contains(&format!("Redis at rediss://127.0.0.1:{tls_port}/0 could not be set up")),
        "{err}"
    );

    // Trusting the CA through the redis crate's own TLS settings: permits come from Redis, over TLS.
    let client = redis::Client::build_with_tls(
        url.as_str(),
        redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(certs.ca_pem.clone().into_bytes()),
        },
    )
    .unwrap();
    let limiter = RedisRateLimiter::from_client(client, options).unwrap();
    limiter.ready().await.unwrap();
    let key = RateKey::new("trtc", "DismissRoom", "AKIDtls").with_sdk_app_id(1400000001);
    let started = Instant::now();
    for _ in 0..4 {
        limiter.acquire(key).await.unwrap();
    }
    // Four permits of a budget of 10 per second: the first at once, then 100 ms apart.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_millis(600),
        "{elapsed:?}"
    );
    assert!(!limiter.is_falling_back());
    assert_eq!(
        raw_command(redis.port, &["EXISTS", &limiter.redis_key_of(&key)]).unwrap(),
        "1",
        "the budget was written through the TLS port"
    );
    let stats = raw_command(redis.port, &["INFO", "commandstats"]).unwrap();
    assert!(stats.contains("cmdstat_evalsha:calls=4"), "{stats}");
}
