//! The command line's grammar: subcommands, flags and their value parsers.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes: 0 success; 1 the service answered with an error code; 2 bad input (arguments, credentials,
endpoint); 3 network failure, timeout or an answer that is not an API envelope; 4 internal failure.

Credentials come from TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and, for temporary keys,
TENCENTCLOUD_SESSION_TOKEN.";

/// The TRTC server API from the command line.
#[derive(Debug, Parser)]
#[command(name = "trtc", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Dismiss a room: remove every user and close it (DismissRoom).
    #[command(after_help = "Examples:
  trtc dismiss-room --emulator --sdk-app-id 1400000001 --room-id 1234
  trtc dismiss-room --sdk-app-id 1400000001 --room-id 1234 --region ap-guangzhou")]
    DismissRoom(DismissRoomArgs),
    /// Run a local TRTC emulator that verifies signatures, until killed.
    #[command(after_help = "Examples:
  trtc emulator --listen 127.0.0.1:9000 --secret-id AKIDdemo --secret-key demokey --sdk-app-id 1400000001 --room 1234
  trtc emulator --config emulator.json --fault internal-error@rate=0.1 --fault-seed 7")]
    Emulator(EmulatorArgs),
    /// Sign a request and print the canonical request, string to sign and headers (for debugging SignatureFailure).
    #[command(after_help = "Example:
  trtc sign --service trtc --host trtc.tencentcloudapi.com --action DismissRoom --version 2019-07-22 \\
      --timestamp 1700000000 --region ap-guangzhou --payload '{\"SdkAppId\":1400000001,\"RoomId\":1234}'")]
    Sign(SignArgs),
}

#[derive(Debug, Args)]
pub struct DismissRoomArgs {
    /// The SDKAppId of the TRTC application.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: u64,
    /// The numeric room id.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub room_id: u64,
    /// The region: ap-beijing, ap-guangzhou or ap-singapore (default ap-guangzhou with --emulator).
    #[arg(long)]
    pub region: Option<String>,
    /// Where to send: https://host, a bare host (HTTPS), or http://127.0.0.1:PORT [default: trtc.tencentcloudapi.com].
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Start an emulator in this process, create the room and dismiss it there: no credentials, no network.
    #[arg(long, conflicts_with = "endpoint")]
    pub emulator: bool,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on; loopback only unless --allow-non-loopback [default: 127.0.0.1:0, or the config file's].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Listen on a non-loopback address (the emulator is then reachable from the network).
    #[arg(long)]
    pub allow_non_loopback: bool,
    /// The SecretId the emulator accepts (with --secret-key and --sdk-app-id; optional with --config).
    #[arg(long)]
    pub secret_id: Option<String>,
    /// The SecretKey the emulator accepts.
    #[arg(long)]
    pub secret_key: Option<String>,
    /// The application the credential owns.
    #[arg(long, value_parser = parse_id, allow_negative_numbers = true)]
    pub sdk_app_id: Option<u64>,
    /// A numeric room to create at start in --sdk-app-id (repeatable).
    #[arg(long = "room", value_parser = parse_id, allow_negative_numbers = true)]
    pub rooms: Vec<u64>,
    /// Numeric rooms FIRST-LAST (inclusive) to create at start in --sdk-app-id (repeatable), e.g. 1-10000.
    #[arg(long = "room-range", value_parser = parse_room_range)]
    pub room_ranges: Vec<(u64, u64)>,
    /// A string room to create at start in --sdk-app-id (repeatable).
    #[arg(long = "str-room")]
    pub str_rooms: Vec<String>,
    /// Make --secret-id a temporary credential: every request must carry this token as X-TC-Token.
    #[arg(long)]
    pub token: Option<String>,
    /// A JSON configuration file (credentials, rooms and users, rate limit, faults); see docs/emulator.md.
    /// The other flags add to it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Requests per second allowed for each action and application (0: unlimited) [default: 20].
    #[arg(long)]
    pub rate_limit: Option<u32>,
    /// Inject a fault (repeatable): KIND[=DELAY]@TRIGGER, e.g. latency=250ms@rate=0.5, drop@next=3,
    /// bad-gateway@rate=0.1, internal-error@next=2.
    #[arg(long = "fault")]
    pub faults: Vec<String>,
    /// Seed of the PRNG that draws for fault rates, for reproducible runs [default: 0, or the config file's].
    #[arg(long)]
    pub fault_seed: Option<u64>,
    /// Do not serve the admin API under /_emulator/.
    #[arg(long)]
    pub no_admin_api: bool,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The service (product) name, e.g. trtc or cvm.
    #[arg(long)]
    pub service: String,
    /// The Host header exactly as sent.
    #[arg(long)]
    pub host: String,
    /// The action, e.g. DismissRoom.
    #[arg(long)]
    pub action: String,
    /// The API version, e.g. 2019-07-22.
    #[arg(long)]
    pub version: String,
    /// The request time in seconds since the Unix epoch.
    #[arg(long)]
    pub timestamp: u64,
    /// The region sent as X-TC-Region.
    #[arg(long)]
    pub region: Option<String>,
    /// POST or GET.
    #[arg(long, default_value = "POST", value_parser = ["POST", "GET"])]
    pub method: String,
    /// The Content-Type [default: application/json for POST, application/x-www-form-urlencoded for GET].
    #[arg(long)]
    pub content_type: Option<String>,
    /// The body, exactly as sent (POST).
    #[arg(long, conflicts_with_all = ["payload_file", "query"])]
    pub payload: Option<String>,
    /// A file holding the body, exactly as sent (POST).
    #[arg(long, conflicts_with = "query")]
    pub payload_file: Option<PathBuf>,
    /// The query string, exactly as sent, without the '?' (GET).
    #[arg(long)]
    pub query: Option<String>,
    /// The signed header set.
    #[arg(long, default_value = "content-type;host", value_parser = ["content-type;host", "content-type;host;x-tc-action"])]
    pub signed_headers: String,
    /// Sign UNSIGNED-PAYLOAD instead of the body's hash.
    #[arg(long)]
    pub unsigned_payload: bool,
    /// The language sent as X-TC-Language (zh-CN or en-US).
    #[arg(long)]
    pub language: Option<String>,
}

/// The most rooms one --room-range may create.
const MAX_ROOM_RANGE: u64 = 10_000_000;

/// `FIRST-LAST`, both ids, FIRST <= LAST, at most ten million rooms.
fn parse_room_range(s: &str) -> Result<(u64, u64), String> {
    let (first, last) = s
        .split_once('-')
        .ok_or_else(|| format!("{s:?} is not a range: write FIRST-LAST, e.g. 1-10000"))?;
    let (first, last) = (parse_id(first)?, parse_id(last)?);
    if first > last {
        return Err(format!("{s:?} runs backwards: write the smaller id first"));
    }
    if last - first >= MAX_ROOM_RANGE {
        return Err(format!(
            "{s:?} holds more than {MAX_ROOM_RANGE} rooms: split it or use fewer"
        ));
    }
    Ok((first, last))
}

/// An SdkAppId or RoomId: a whole number from 1.
fn parse_id(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("0 is not a valid id: ids start at 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{s:?} is not a whole number: give digits only, e.g. 1400000001"
        )),
    }
}
