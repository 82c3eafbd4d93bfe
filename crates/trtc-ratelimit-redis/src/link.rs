//! Where the limiter's commands go: a connection it opens itself (from a URL or a `redis::Client`: a
//! `ConnectionManager`; from cluster nodes: a cluster connection), or one the application already has.
//!
//! The `redis` crate speaks the protocol and reconnects a dropped connection. What stays here is the one case
//! it leaves alone: a reply that never comes (a frozen server, a silently dead path). A connection the limiter
//! opened itself is then put aside and opened anew at the next try, as a caller cannot tell a slow reply from
//! one that will never arrive; one the application gave is the application's to mend.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::{Cmd, ConnectionAddr, ConnectionInfo, FromRedisValue, RedisResult};

/// A connection the application already has, handed to
/// [`RedisRateLimiter::with_connection`](crate::RedisRateLimiter::with_connection) so that the limiter shares
/// it (and its pool, TLS settings and credentials) instead of opening its own. Made with `From` /
/// `.into()` from any of the `redis` crate's types below.
#[derive(Clone)]
#[non_exhaustive]
pub enum SharedConnection {
    /// A `ConnectionManager`: reconnects by itself after the connection drops (the best choice).
    Manager(ConnectionManager),
    /// A `MultiplexedConnection`: once it drops, the limiter falls back until the application replaces it.
    Multiplexed(MultiplexedConnection),
    /// A Redis Cluster connection (feature `cluster`): each budget's key goes to the node owning its slot.
    #[cfg(feature = "cluster")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
    Cluster(redis::cluster_async::ClusterConnection),
}

impl std::fmt::Debug for SharedConnection {
    // The `redis` crate's own Debug output is not shown: it is not ours to vouch for (credentials).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SharedConnection::Manager(_) => "SharedConnection::Manager",
            SharedConnection::Multiplexed(_) => "SharedConnection::Multiplexed",
            #[cfg(feature = "cluster")]
            SharedConnection::Cluster(_) => "SharedConnection::Cluster",
        })
    }
}

impl From<ConnectionManager> for SharedConnection {
    fn from(connection: ConnectionManager) -> Self {
        SharedConnection::Manager(connection)
    }
}

impl From<MultiplexedConnection> for SharedConnection {
    fn from(connection: MultiplexedConnection) -> Self {
        SharedConnection::Multiplexed(connection)
    }
}

#[cfg(feature = "cluster")]
#[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
impl From<redis::cluster_async::ClusterConnection> for SharedConnection {
    fn from(connection: redis::cluster_async::ClusterConnection) -> Self {
        SharedConnection::Cluster(connection)
    }
}

impl SharedConnection {
    /// Runs one command and converts its reply.
    pub(crate) async fn query<T: FromRedisValue>(&mut self, cmd: &Cmd) -> RedisResult<T> {
        match self {
            SharedConnection::Manager(c) => cmd.query_async(c).await,
            SharedConnection::Multiplexed(c) => cmd.query_async(c).await,
            #[cfg(feature = "cluster")]
            SharedConnection::Cluster(c) => cmd.query_async(c).await,
        }
    }
}

/// How to open a connection, when the limiter opens its own.
enum Source {
    Client(redis::Client),
    #[cfg(feature = "cluster")]
    Cluster(redis::cluster::ClusterClient),
    Given,
}

/// The limiter's way to Redis: the connection in use, and how to open another.
pub(crate) struct Link {
    source: Source,
    /// Who the limiter talks to, for messages and logs: `Redis at redis://host:port/db`, password hidden.
    pub(crate) name: String,
    current: Mutex<Option<SharedConnection>>,
    /// Held while a connection is opened, so that callers arriving meanwhile wait for it, not open their own.
    opening: tokio::sync::Mutex<()>,
}

impl Link {
    pub(crate) fn client(client: redis::Client) -> Link {
        Link {
            name: format!("Redis at {}", redacted(client.get_connection_info())),
            source: Source::Client(client),
            current: Mutex::new(None),
            opening: tokio::sync::Mutex::new(()),
        }
    }

    #[cfg(feature = "cluster")]
    pub(crate) fn cluster(client: redis::cluster::ClusterClient, nodes: &[ConnectionInfo]) -> Link {
        let nodes: Vec<String> = nodes.iter().map(redacted).collect();
        Link {
            name: format!("Redis Cluster at {}", nodes.join(", ")),
            source: Source::Cluster(client),
            current: Mutex::new(None),
            opening: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn given(connection: SharedConnection) -> Link {
        Link {
            name: "the application's Redis connection".to_owned(),
            source: Source::Given,
            current: Mutex::new(Some(connection)),
            opening: tokio::sync::Mutex::new(()),
        }
    }

    /// The connection in use, or a new one. `still_up` is asked once this caller's turn to open has come:
    /// when another caller has just found Redis down meanwhile, this one does not try again.
    pub(crate) async fn connection<E>(
        &self,
        connect_timeout: Duration,
        still_up: impl Fn() -> Result<(), E>,
        failed: impl Fn(redis::RedisError) -> E,
    ) -> Result<SharedConnection, E> {
        if let Some(connection) = self.lock().clone() {
            return Ok(connection);
        }
        let _turn = self.opening.lock().await;
        if let Some(connection) = self.lock().clone() {
            return Ok(connection);
        }
        still_up()?;
        let opened = match &self.source {
            Source::Client(client) => {
                // One attempt per try: the limiter's retry interval paces the attempts, and a manager busy
                // with a backoff of its own would keep callers waiting after Redis is back.
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(connect_timeout)
                    .set_number_of_retries(0)
                    .set_tcp_settings(tcp_settings());
                ConnectionManager::new_with_config(client.clone(), config)
                    .await
                    .map(SharedConnection::Manager)
            }
            #[cfg(feature = "cluster")]
            Source::Cluster(client) => client.get_async_connection().await.map(SharedConnection::Cluster),
            Source::Given => unreachable_given(),
        }
        .map_err(failed)?;
        *self.lock() = Some(opened.clone());
        Ok(opened)
    }

    /// A reply did not come in time: a connection the limiter opened is replaced at the next try.
    pub(crate) fn put_aside(&self) {
        if !matches!(self.source, Source::Given) {
            *self.lock() = None;
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<SharedConnection>> {
        // The slot holds a handle that is replaced whole: a panic elsewhere cannot leave it half-written.
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Commands are tiny and latency is the whole point: without `TCP_NODELAY` a command written while the one
/// before is unacknowledged waits (Nagle), its reply comes after its slot began, and its request is sent
/// late, crowding the ones after it (the fleet test throttled without it).
pub(crate) fn tcp_settings() -> redis::io::tcp::TcpSettings {
    redis::io::tcp::TcpSettings::default().set_nodelay(true)
}

/// A given connection is never put aside, so its slot is never empty: this cannot be reached. It returns
/// an error rather than panicking all the same.
fn unreachable_given() -> RedisResult<SharedConnection> {
    Err(redis::RedisError::from((
        redis::ErrorKind::ClientError,
        "the application's connection is no longer available",
    )))
}

/// `redis://[user:***@]host:port/db` (or `rediss://`, `redis+unix://path`): where Redis is, password hidden.
pub(crate) fn redacted(info: &ConnectionInfo) -> String {
    let redis = &info.redis;
    let user = match (&redis.username, &redis.password) {
        (Some(user), Some(_)) => format!("{user}:***@"),
        (None, Some(_)) => ":***@".to_owned(),
        (Some(user), None) => format!("{user}@"),
        (None, None) => String::new(),
    };
    let host_port = |host: &str, port: u16| match host.contains(':') {
        true => format!("[{host}]:{port}"),
        false => format!("{host}:{port}"),
    };
    match &info.addr {
        ConnectionAddr::Tcp(host, port) => format!("redis://{user}{}/{}", host_port(host, *port), redis.db),
        ConnectionAddr::TcpTls { host, port, .. } => {
            format!("rediss://{user}{}/{}", host_port(host, *port), redis.db)
        }
        ConnectionAddr::Unix(path) => format!("redis+unix://{user}{}?db={}", path.display(), redis.db),
    }
}

#[cfg(test)]
mod tests {
    use redis::IntoConnectionInfo;

    use super::*;

    fn shown(url: &str) -> String {
        redacted(&url.into_connection_info().unwrap())
    }

    #[test]
    fn addresses_are_shown_without_the_password() {
        assert_eq!(shown("redis://127.0.0.1"), "redis://127.0.0.1:6379/0");
        assert_eq!(shown("redis://cache.internal:6390/3"), "redis://cache.internal:6390/3");
        assert_eq!(shown("redis://[::1]:7000/"), "redis://[::1]:7000/0");
        assert_eq!(shown("redis://:p%40ss%3Aword@host"), "redis://:***@host:6379/0");
        assert_eq!(shown("redis://fleet:s3cret@host:1/2"), "redis://fleet:***@host:1/2");
        assert_eq!(
            shown("redis+unix:///run/redis.sock"),
            "redis+unix:///run/redis.sock?db=0"
        );
    }
}
